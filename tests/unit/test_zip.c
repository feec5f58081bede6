/* test_zip.c: CRC-32 against known vectors (and zlib when the test is built
 * with it), the stored ZIP writer read back by a reader written from the
 * APPNOTE here, and the audit bundle as a ZIP. */
#include "audit_testutil.h"
#include "cs_audit.h"
#include "cs_audit_export.h"
#include "cs_err.h"
#include "cs_zip.h"

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#ifdef CS_TEST_ZLIB
#include <zlib.h>
#endif

/* ------------------------------------------------------------ CRC-32 */

Test(crc32, known_vectors)
{
    cr_assert_eq(cs_crc32(0, "", 0), 0u);
    cr_assert_eq(cs_crc32(0, "123456789", 9), 0xCBF43926u); /* the CRC-32/ISO-HDLC check value */
    cr_assert_eq(cs_crc32(0, "The quick brown fox jumps over the lazy dog", 43), 0x414FA339u);
    static const uint8_t zeros[32] = {0};
    cr_assert_eq(cs_crc32(0, zeros, sizeof zeros), 0x190A55ADu);
}

Test(crc32, continues_across_pieces)
{
    const char *s = "clinsum audit bundle";
    size_t n = strlen(s);
    uint32_t whole = cs_crc32(0, s, n);
    for (size_t k = 0; k <= n; k++) cr_assert_eq(cs_crc32(cs_crc32(0, s, k), s + k, n - k), whole, "split %zu", k);
}

#ifdef CS_TEST_ZLIB
Test(crc32, matches_zlib_on_every_length_and_byte)
{
    uint8_t buf[4099];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof buf; i++) buf[i] = (uint8_t)((x = x * 1103515245u + 12345u) >> 16);
    for (size_t len = 0; len <= sizeof buf; len += len < 64 ? 1 : 97)
        cr_assert_eq(cs_crc32(0, buf, len), (uint32_t)crc32(0, buf, (uInt)len), "len %zu", len);
}
#endif

/* ------------------------------------------------------------ a reader */

static uint32_t rd16(const uint8_t *p) { return (uint32_t)p[0] | (uint32_t)p[1] << 8; }
static uint32_t rd32(const uint8_t *p) { return rd16(p) | rd16(p + 2) << 16; }

typedef struct {
    char name[64];
    const uint8_t *data;
    uint32_t len;
    uint16_t date, time;
} entry;

/* Reads the archive the way unzip does: end record -> central directory ->
 * each local header, checking that the two headers agree and the CRC holds.
 * Returns the number of entries. */
static size_t read_zip(const uint8_t *z, size_t zl, entry *out, size_t cap)
{
    cr_assert_geq(zl, 22);
    const uint8_t *end = z + zl - 22;
    cr_assert_eq(rd32(end), 0x06054b50u, "end of central directory signature");
    size_t n = rd16(end + 10), dir_len = rd32(end + 12), dir_off = rd32(end + 16);
    cr_assert_eq(rd16(end + 8), n);
    cr_assert_eq(dir_off + dir_len, zl - 22, "the directory ends where the end record starts");
    cr_assert_leq(n, cap);
    const uint8_t *c = z + dir_off;
    for (size_t i = 0; i < n; i++) {
        cr_assert_eq(rd32(c), 0x02014b50u);
        cr_assert_eq(rd16(c + 10), 0, "stored");
        uint32_t crc = rd32(c + 16), size = rd32(c + 24), nl = rd16(c + 28), off = rd32(c + 42);
        cr_assert_eq(rd32(c + 20), size, "stored: compressed size = size");
        cr_assert_eq(rd16(c + 30) + rd16(c + 32), 0, "no extra field or comment");
        cr_assert_lt(nl, sizeof out[i].name);
        memcpy(out[i].name, c + 46, nl);
        out[i].name[nl] = '\0';
        const uint8_t *l = z + off;
        cr_assert_eq(rd32(l), 0x04034b50u);
        cr_assert_eq(rd32(l + 14), crc);
        cr_assert_eq(rd32(l + 22), size);
        cr_assert_eq(rd16(l + 26), nl);
        cr_assert_eq(memcmp(l + 30, out[i].name, nl), 0, "local and central names agree");
        out[i].data = l + 30 + nl + rd16(l + 28);
        out[i].len = size;
        out[i].time = (uint16_t)rd16(c + 12);
        out[i].date = (uint16_t)rd16(c + 14);
        cr_assert_eq(cs_crc32(0, out[i].data, size), crc, "%s: CRC", out[i].name);
        c += 46 + nl;
    }
    cr_assert_eq((size_t)(c - z), dir_off + dir_len);
    return n;
}

/* ------------------------------------------------------------ writer */

Test(zip, round_trips_files_including_an_empty_one)
{
    uint8_t bin[300];
    for (size_t i = 0; i < sizeof bin; i++) bin[i] = (uint8_t)(i * 7);
    cs_zip_entry e[] = {{"a.txt", "hello\n", 6}, {"empty", "", 0}, {"dir/bin.dat", bin, sizeof bin}};
    uint8_t *z;
    size_t zl;
    cr_assert_eq(cs_zip_store(e, 3, 1700000000, &z, &zl), CS_OK);
    cr_assert_eq(zl, 3 * (30 + 46) + 5 + 5 + 11 + 6 + 0 + 300 + 5 + 5 + 11 + 22);
    entry got[4];
    cr_assert_eq(read_zip(z, zl, got, 4), 3);
    for (size_t i = 0; i < 3; i++) {
        cr_assert_str_eq(got[i].name, e[i].name);
        cr_assert_eq(got[i].len, e[i].len);
        cr_assert_eq(memcmp(got[i].data, e[i].data, e[i].len), 0);
    }
    free(z);
}

Test(zip, no_files_is_an_empty_archive)
{
    uint8_t *z;
    size_t zl;
    cr_assert_eq(cs_zip_store(NULL, 0, 0, &z, &zl), CS_OK);
    cr_assert_eq(zl, 22);
    entry got[1];
    cr_assert_eq(read_zip(z, zl, got, 1), 0);
    free(z);
}

Test(zip, dos_date_and_time)
{
    cs_zip_entry e = {"x", "x", 1};
    uint8_t *z;
    size_t zl;
    entry got[1];
    /* 2026-11-25 03:50:11 UTC: seconds are stored halved (rounded down). */
    cr_assert_eq(cs_zip_store(&e, 1, 1795578611, &z, &zl), CS_OK);
    read_zip(z, zl, got, 1);
    cr_assert_eq(got[0].date, (2026 - 1980) << 9 | 11 << 5 | 25);
    cr_assert_eq(got[0].time, 3 << 11 | 50 << 5 | 5);
    free(z);
    /* 2000-02-29 23:59:58: a leap day. */
    cr_assert_eq(cs_zip_store(&e, 1, 951868798, &z, &zl), CS_OK);
    read_zip(z, zl, got, 1);
    cr_assert_eq(got[0].date, 20 << 9 | 2 << 5 | 29);
    cr_assert_eq(got[0].time, 23 << 11 | 59 << 5 | 29);
    free(z);
    /* Before 1980 is clamped to 1980-01-01 00:00. */
    cr_assert_eq(cs_zip_store(&e, 1, 0, &z, &zl), CS_OK);
    read_zip(z, zl, got, 1);
    cr_assert_eq(got[0].date, 0 << 9 | 1 << 5 | 1);
    cr_assert_eq(got[0].time, 0);
    free(z);
}

Test(zip, refuses_bad_names_and_sizes_without_output)
{
    uint8_t *z = (uint8_t *)"x";
    size_t zl = 5;
    cs_zip_entry noname = {"", "x", 1};
    cr_assert_eq(cs_zip_store(&noname, 1, 0, &z, &zl), CS_ERR_INVALID);
    cr_assert_null(z);
    cr_assert_eq(zl, 0);
    cs_zip_entry null_name = {NULL, "x", 1};
    cr_assert_eq(cs_zip_store(&null_name, 1, 0, &z, &zl), CS_ERR_INVALID);
    if (sizeof(size_t) > 4) {
        /* Sizes are checked before any byte is read, so data is never touched. */
        cs_zip_entry huge = {"big", "x", (size_t)0xFFFFFFFFu + 1};
        cr_assert_eq(cs_zip_store(&huge, 1, 0, &z, &zl), CS_ERR_LIMIT);
        cs_zip_entry two[] = {{"a", "x", 0x90000000u}, {"b", "x", 0x90000000u}};
        cr_assert_eq(cs_zip_store(two, 2, 0, &z, &zl), CS_ERR_LIMIT);
    }
    cr_assert_eq(cs_zip_store(&noname, 0x10000, 0, &z, &zl), CS_ERR_LIMIT);
    cr_assert_null(z);
}

/* ------------------------------------------------------------ bundle */

Test(zip, audit_bundle_as_zip_holds_the_bundle_files)
{
    const char *dir = tu_tmpdir();
    char logp[300], keyd[300];
    snprintf(logp, sizeof logp, "%s/a.jsonl", dir);
    snprintf(keyd, sizeof keyd, "%s/keys", dir);
    cs_audit_options o = {.key_dir = keyd, .no_fsync = 1};
    cs_audit *a;
    cr_assert_eq(cs_audit_open(logp, &o, &a), CS_OK);
    cr_assert_eq(cs_audit_document_opened(a, "abc", 3, "text"), CS_OK);
    cr_assert_eq(cs_audit_network(a, "http://127.0.0.1:8080", 0), CS_OK);
    cr_assert_eq(cs_audit_close(a), CS_OK);
    size_t len, seal_len;
    char *log = tu_read(logp, &len);
    char sealp[320];
    snprintf(sealp, sizeof sealp, "%s.seal", logp);
    char *seal = tu_read(sealp, &seal_len);
    cs_audit_bundle_input in = {.log = log, .log_len = len, .seal = seal, .seal_len = seal_len};
    cs_audit_bundle b;
    cs_audit_report r;
    cr_assert_eq(cs_audit_bundle_build(&in, &b, &r), CS_OK);
    cr_assert_eq(r.problem, CS_AUDIT_INTACT);

    uint8_t *z;
    size_t zl;
    cr_assert_eq(cs_audit_bundle_zip(&b, 1795578611, &z, &zl), CS_OK);
    entry got[CS_AUDIT_BUNDLE_MAX_FILES];
    size_t n = read_zip(z, zl, got, CS_AUDIT_BUNDLE_MAX_FILES);
    cr_assert_eq(n, b.n);
    for (size_t i = 0; i < n; i++) {
        cr_assert_str_eq(got[i].name, b.files[i].name);
        cr_assert_eq(got[i].len, b.files[i].len);
        cr_assert_eq(memcmp(got[i].data, b.files[i].data, b.files[i].len), 0, "%s", got[i].name);
    }
    cr_assert_eq(got[0].len, len, "audit.jsonl is the log byte for byte");
    cr_assert_eq(memcmp(got[0].data, log, len), 0);
    free(z);
    cs_audit_bundle_free(&b);
    free(log);
    free(seal);
    tu_rm_rf(dir);
}
