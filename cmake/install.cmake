# Install rules (included at the end of the top CMakeLists.txt):
#   bin/subpow                       the command (build/bench in the tree: the
#                                    installed name must not collide with other
#                                    software's "bench")
#   lib/libsubpow_*.a                the reference, the backend interface, the
#                                    CPU backend, the error codes and version
#   include/subpow/<folder>/*.h      their public headers, the reference first
#   lib/pkgconfig/subpow.pc          pkg-config --cflags --libs subpow: the
#                                    reference, the backend interface, common
#   lib/pkgconfig/subpow-cpu.pc      ... subpow-cpu: the CPU backend as well
#                                    (libsubpow_cpu, which needs hwloc)
#   lib/cmake/subpow/                find_package(subpow): subpow::reference, ...
include(CMakePackageConfigHelpers)
install(PROGRAMS $<TARGET_FILE:bench> DESTINATION ${CMAKE_INSTALL_BINDIR}
  RENAME subpow)

set(sp_install_targets subpow_common subpow_reference subpow_backend)
set(SP_INSTALL_CPU FALSE)
if(TARGET subpow_cpu)
  list(APPEND sp_install_targets subpow_cpu)
  set(SP_INSTALL_CPU TRUE)
endif()
foreach(t IN LISTS sp_install_targets)
  string(REPLACE "subpow_" "" short ${t})
  set_target_properties(${t} PROPERTIES EXPORT_NAME ${short})
endforeach()
install(TARGETS ${sp_install_targets} EXPORT subpowTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})

set(sp_inc ${CMAKE_INSTALL_INCLUDEDIR}/subpow)
install(FILES reference/reference.h DESTINATION ${sp_inc}/reference)
install(FILES common/error.h common/error_record.h common/hex.h
  ${PROJECT_BINARY_DIR}/generated/common/version.h
  DESTINATION ${sp_inc}/common)
install(FILES backend/backend.h DESTINATION ${sp_inc}/backend)
if(TARGET subpow_cpu)
  install(FILES optimized/cpu_backend.h DESTINATION ${sp_inc}/optimized)
endif()

# Relocatable: the prefix is found from the .pc file's own place, so that
# `cmake --install --prefix P` works for any P.
file(RELATIVE_PATH SP_PC_TO_PREFIX /p/${CMAKE_INSTALL_LIBDIR}/pkgconfig /p)
# The command's data: the vectors (bench verify, --backend auto) and the
# sweep's plot script, found from the installed executable (bench/data_dir.h).
install(DIRECTORY vectors/ DESTINATION ${CMAKE_INSTALL_DATADIR}/subpow/vectors)
install(FILES scripts/plot_sweep.gp DESTINATION ${CMAKE_INSTALL_DATADIR}/subpow/scripts)

configure_file(cmake/subpow.pc.in ${PROJECT_BINARY_DIR}/subpow.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/subpow.pc
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
# One .pc file per installed library that needs more than subpow's: each
# links what its headers need (a program using sp_backend_cpu with only
# `subpow` failed to link: no libsubpow_cpu, no hwloc).
if(TARGET subpow_cpu)
  configure_file(cmake/subpow-cpu.pc.in ${PROJECT_BINARY_DIR}/subpow-cpu.pc
    @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/subpow-cpu.pc
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endif()

set(sp_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/subpow)
install(EXPORT subpowTargets NAMESPACE subpow:: DESTINATION ${sp_cmake_dir})
configure_package_config_file(cmake/subpowConfig.cmake.in
  ${PROJECT_BINARY_DIR}/subpowConfig.cmake INSTALL_DESTINATION ${sp_cmake_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/subpowConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/subpowConfig.cmake
  ${PROJECT_BINARY_DIR}/subpowConfigVersion.cmake DESTINATION ${sp_cmake_dir})
