/*
 * Opening a path that a user or a wallet names (key files, password files,
 * the journal, vectors, outputs): never blocks and only ever yields a
 * regular file.
 *
 * Why: open(2) of a FIFO blocks until the other end opens it, so a FIFO given
 * as --password-file or --journal hung the process forever, past SIGTERM.
 * O_NONBLOCK makes that open return at once (a FIFO opened for
 * writing without a reader fails with ENXIO, see fifo(7)); fstat(2) on the
 * descriptor (not stat on the name, which could change in between) then
 * tells what was opened, and anything but a regular file is refused.
 */
#ifndef SUBPOW_COMMON_USER_FILE_H
#define SUBPOW_COMMON_USER_FILE_H

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "common/error_record.h"

/*
 * Opens `path` with open(2) `flags` (O_RDONLY, O_WRONLY | O_CREAT | O_APPEND,
 * ...; O_CLOEXEC, O_NOCTTY and, while opening, O_NONBLOCK are added) and
 * `mode` for a created file. Returns the descriptor (blocking mode restored)
 * of a regular file, or a negative sp_error code, the translation
 * (sp_error_from_errno, common/error.h) of an errno that says what it was:
 *   ENOENT    no such file (or a missing directory on the way):
 *             -SP_ENOT_FOUND,
 *   EISDIR    a directory: -SP_ENOT_REGULAR,
 *   EINVAL    something else that is not a regular file (FIFO, socket,
 *             device): -SP_ENOT_REGULAR,
 *   others    as open(2) reports them (EACCES: -SP_EACCESS, EEXIST:
 *             -SP_EEXISTS, ELOOP: -SP_EIO, ...).
 * When `err` is not NULL it is filled: that code, the errno in sys_errno
 * (a caller that must tell a directory from a FIFO, or ENOENT from ENOTDIR,
 * reads it there), and one line naming the path and what was wrong ("PATH:
 * is a FIFO, not a regular file"); the path is printed with control
 * characters escaped (common/sanitize.h). O_TRUNC is applied only once the
 * file is known to be regular.
 */
int sp_user_file_open(const char *path, int flags, mode_t mode,
                      sp_error_record *err);

/*
 * The same for stdio: `write` false opens for reading ("rb"), true creates or
 * truncates for writing ("wb", mode 0644 for a new file). Returns the stream,
 * or NULL with errno set to the errno of the error above and `err` (may be
 * NULL) filled as above.
 */
FILE *sp_user_file_fopen(const char *path, int write, sp_error_record *err);

/* The reason part of the message for the negative errno `neg_errno` of a
 * failed open ("no such file or directory", "is a directory", "not a
 * regular file"). */
const char *sp_user_file_strerror(int neg_errno);

#endif /* SUBPOW_COMMON_USER_FILE_H */
