# Run at every build (common/CMakeLists.txt): writes OUT, a C file defining
# sp_git_commit() and sp_user_agent(), only when the commit changed, so that
# an unchanged tree rebuilds nothing. Inputs: SRC (the source tree), OUT,
# VERSION.
execute_process(COMMAND git -C "${SRC}" rev-parse --short=12 HEAD
  OUTPUT_VARIABLE commit OUTPUT_STRIP_TRAILING_WHITESPACE
  RESULT_VARIABLE rc ERROR_QUIET)
if(NOT rc EQUAL 0 OR commit STREQUAL "")
  set(commit "unknown")
else()
  execute_process(COMMAND git -C "${SRC}" status --porcelain --untracked-files=no
    OUTPUT_VARIABLE dirty OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
  if(NOT dirty STREQUAL "")
    string(APPEND commit "+dirty")
  endif()
endif()
set(text "/* Generated at build time by cmake/git_commit.cmake. Do not edit. */
#include \"common/version.h\"

const char *sp_git_commit(void) { return \"${commit}\"; }
const char *sp_user_agent(void) { return \"subpow/${VERSION} (${commit})\"; }
")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
else()
  set(old "")
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUT}" "${text}")
endif()
