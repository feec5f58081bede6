/*
 * cs_fileio.h: reading and writing the files a user named (the app's I/O
 * policy lives here, not in the libraries).
 *
 * cs_read_file() reads a whole regular file, refusing anything larger than
 * max_bytes before reading it (so a 2 GB file costs nothing).  On success
 * *data is malloc'd (caller frees) and NUL-terminated one past *len.
 * cs_write_file_atomic() writes to a temporary file beside `path`, fsyncs it
 * and renames it into place, so readers never see a partial file.
 */
#ifndef CS_FILEIO_H
#define CS_FILEIO_H

#include <stddef.h>
#include <stdint.h>

int cs_read_file(const char *path, size_t max_bytes, uint8_t **data, size_t *len);
int cs_write_file_atomic(const char *path, const void *data, size_t len);

#endif
