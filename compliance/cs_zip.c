/*
 * cs_zip.c: a stored (uncompressed) ZIP writer and CRC-32.  Layout from
 * PKWARE's APPNOTE.TXT sections 4.3.7 (local header), 4.3.12 (central
 * directory header) and 4.3.16 (end of central directory record); all
 * integers little-endian.
 */
#include "cs_zip.h"

#include "cs_audit_line.h"
#include "cs_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ CRC-32 */

/* Reflected polynomial 0xEDB88320, four bits per lookup: a 16-entry
 * constant table (no initialisation, so no race) at a few hundred MB/s,
 * plenty for a bundle of kilobytes to megabytes. */
static const uint32_t crc_nibble[16] = {
    0x00000000, 0x1DB71064, 0x3B6E20C8, 0x26D930AC, 0x76DC4190, 0x6B6B51F4, 0x4DB26158, 0x5005713C,
    0xEDB88320, 0xF00F9344, 0xD6D6A3E8, 0xCB61B38C, 0x9B64C2B0, 0x86D3D2D4, 0xA00AE278, 0xBDBDF21C};

uint32_t cs_crc32(uint32_t crc, const void *data, size_t len)
{
    const uint8_t *p = data;
    crc = ~crc;
    for (size_t i = 0; i < len; i++) {
        crc ^= p[i];
        crc = crc_nibble[crc & 0xF] ^ (crc >> 4);
        crc = crc_nibble[crc & 0xF] ^ (crc >> 4);
    }
    return ~crc;
}

/* ------------------------------------------------------------ DOS time */

static void dos_time(int64_t t, uint16_t *date, uint16_t *time)
{
    const int64_t lo = 315532800;  /* 1980-01-01 */
    const int64_t hi = 4354819199; /* 2107-12-31 23:59:59 */
    t = t < lo ? lo : t > hi ? hi : t;
    /* The calendar arithmetic lives once, in the log's timestamp formatter
     * (emscripten 3.1.6's gmtime_r() aborts). */
    char utc[32];
    cs_audit_format_utc(t, 0, utc);
    int y = 1980, mo = 1, d = 1, h = 0, mi = 0, s = 0;
    sscanf(utc, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &s);
    *date = (uint16_t)((y - 1980) << 9 | mo << 5 | d);
    *time = (uint16_t)(h << 11 | mi << 5 | s / 2);
}

/* ------------------------------------------------------------ archive */

#define LOCAL_SIZE 30
#define CENTRAL_SIZE 46
#define END_SIZE 22
#define FLAG_UTF8 0x0800
#define VERSION 20 /* 2.0: the oldest that every reader accepts */

static uint8_t *put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8);
    return p + 2;
}

static uint8_t *put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8), p[2] = (uint8_t)(v >> 16), p[3] = (uint8_t)(v >> 24);
    return p + 4;
}

/* The fields local and central headers share, from "version needed" on. */
static uint8_t *put_common(uint8_t *p, uint16_t date, uint16_t time, uint32_t crc, uint32_t size, uint16_t name_len)
{
    p = put16(p, VERSION);
    p = put16(p, FLAG_UTF8);
    p = put16(p, 0); /* method: stored */
    p = put16(p, time);
    p = put16(p, date);
    p = put32(p, crc);
    p = put32(p, size); /* compressed size */
    p = put32(p, size); /* uncompressed size */
    p = put16(p, name_len);
    return put16(p, 0); /* extra field length */
}

int cs_zip_store(const cs_zip_entry *e, size_t n, int64_t mtime_unix, uint8_t **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    if (n > 0xFFFF) return CS_ERR_LIMIT;
    /* Sizes first, so the archive is one allocation and every offset is
     * known to fit in 32 bits before anything is written. */
    uint64_t body = 0, dir = 0;
    for (size_t i = 0; i < n; i++) {
        size_t nl = e[i].name ? strlen(e[i].name) : 0;
        if (nl == 0 || nl > 0xFFFF) return CS_ERR_INVALID;
        if ((uint64_t)e[i].len > 0xFFFFFFFEu) return CS_ERR_LIMIT;
        body += LOCAL_SIZE + nl + e[i].len;
        dir += CENTRAL_SIZE + nl;
    }
    uint64_t total = body + dir + END_SIZE;
    if (body + dir > 0xFFFFFFFEu || total > SIZE_MAX) return CS_ERR_LIMIT;
    uint8_t *buf = malloc((size_t)total);
    if (!buf) return CS_ERR_NOMEM;

    uint16_t date, time;
    dos_time(mtime_unix, &date, &time);
    uint8_t *p = buf, *c = buf + body;
    for (size_t i = 0; i < n; i++) {
        uint16_t nl = (uint16_t)strlen(e[i].name);
        uint32_t crc = cs_crc32(0, e[i].data, e[i].len), size = (uint32_t)e[i].len;
        uint32_t offset = (uint32_t)(p - buf);
        p = put32(p, 0x04034b50);
        p = put_common(p, date, time, crc, size, nl);
        memcpy(p, e[i].name, nl), p += nl;
        if (size) memcpy(p, e[i].data, size), p += size;

        c = put32(c, 0x02014b50);
        c = put16(c, 3 << 8 | VERSION); /* made by: UNIX, so readers use the mode below */
        c = put_common(c, date, time, crc, size, nl);
        c = put16(c, 0);                   /* comment length */
        c = put16(c, 0);                   /* disk number */
        c = put16(c, 0);                   /* internal attributes */
        c = put32(c, (uint32_t)0100644 << 16); /* external: regular file, rw-r--r-- */
        c = put32(c, offset);
        memcpy(c, e[i].name, nl), c += nl;
    }
    c = put32(c, 0x06054b50);
    c = put16(c, 0); /* this disk */
    c = put16(c, 0); /* disk with the directory */
    c = put16(c, (uint16_t)n);
    c = put16(c, (uint16_t)n);
    c = put32(c, (uint32_t)dir);
    c = put32(c, (uint32_t)body);
    put16(c, 0); /* comment length */
    *out = buf;
    *out_len = (size_t)total;
    return CS_OK;
}
