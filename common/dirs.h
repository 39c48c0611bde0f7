/*
 * Making directories: `mkdir -p`, for the wallet tree, the --backend auto
 * cache and the sweep's output folder.
 */
#ifndef SUBPOW_COMMON_DIRS_H
#define SUBPOW_COMMON_DIRS_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Creates `dir` and every missing directory above it with `mode` (0700 for
 * key material, 0755 otherwise; the umask applies); existing directories are
 * kept as they are. Returns 0 when `dir` is a directory afterwards, else
 * -SP_ERANGE (longer than PATH_MAX), -SP_ENOT_DIR (a file, FIFO or device is
 * in the way), or the sp_error of the failed call (sp_error_from_errno:
 * -SP_EACCESS, -SP_ENOT_FOUND, -SP_EIO). An empty `dir` is -SP_EINVAL.
 */
int sp_make_dirs(const char *dir, mode_t mode);

/* sp_make_dirs of the directory part of the file path `path` (nothing to do
 * when it has none, as in "cache.json"). */
int sp_make_parent_dirs(const char *path, mode_t mode);

#ifdef __cplusplus
}
#endif

#endif /* SUBPOW_COMMON_DIRS_H */
