/*
 * cs_audit_fs.h: the two file operations compliance/ needs beyond appends
 * (internal): creating a directory path and replacing a file atomically.
 *
 * cs_audit_mkdirs() is mkdir -p (new directories get `mode`).
 * cs_audit_write_atomic() writes a temporary file beside `path` with `mode`,
 * fsyncs it (unless no_fsync) and renames it into place, so readers see the
 * old or the new file, never a mix.  Both return CS_OK, CS_ERR_IO or
 * CS_ERR_LIMIT (path too long).  Thread-safe (the temporary name includes
 * the process id; one writer per path per process).
 */
#ifndef CS_AUDIT_FS_H
#define CS_AUDIT_FS_H

#include <stddef.h>
#include <sys/types.h>

int cs_audit_mkdirs(const char *path, mode_t mode);
int cs_audit_write_atomic(const char *path, const void *data, size_t len, mode_t mode, int no_fsync);

#endif
