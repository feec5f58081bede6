/*
 * cs_zip.h: packs a few in-memory files into one ZIP archive, stored (no
 * compression), so the audit bundle leaves the browser as a single download
 * and the CLI can write the same single file.
 *
 * The archive is the plain PKWARE layout: per file a local header and the
 * bytes, then the central directory and the end record.  Names are written
 * as given (the bundle's are ASCII) and flagged UTF-8.  No ZIP64: every file,
 * and the archive, must stay under 4 GiB and there are at most 65535 files
 * (CS_ERR_LIMIT otherwise).  CRC-32 is the ISO-HDLC / zlib one (cs_crc32).
 *
 * Written here rather than linked from zlib/minizip: a stored archive needs
 * no compression, and the WASM build would have to cross-build zlib only for
 * its 20-line CRC.
 *
 * Ownership: cs_zip_store() returns a malloc'd archive the caller frees; the
 * entries are only read.  Errors: CS_ERR_INVALID (empty or too long name),
 * CS_ERR_LIMIT, CS_ERR_NOMEM; nothing is returned on error.  Thread-safe.
 */
#ifndef CS_ZIP_H
#define CS_ZIP_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    const char *name; /* path inside the archive, '/' separated, NUL-terminated */
    const void *data;
    size_t len;
} cs_zip_entry;

/* CRC-32 of len bytes continuing from crc (start with 0), as zlib's crc32(). */
uint32_t cs_crc32(uint32_t crc, const void *data, size_t len);

/* Builds the archive.  mtime_unix (seconds since 1970, UTC) is written as
 * every entry's DOS date and time (clamped to 1980..2107). */
int cs_zip_store(const cs_zip_entry *entries, size_t n, int64_t mtime_unix, uint8_t **out, size_t *out_len);

#endif
