/*
 * cs_audit.c: the audit-log writer.  Formats typed events as chained JSON
 * lines, appends each with one write() + fsync(), signs checkpoints, keeps
 * the seal file current, and repairs a torn tail on open.  The line format
 * is described in AUDIT_FORMAT.md; cs_audit_line.c reads it back.
 */
#include "cs_audit.h"

#include "cs_audit_fs.h"
#include "cs_audit_key.h"
#include "cs_audit_line.h"
#include "cs_buf.h"
#include "cs_err.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#ifndef __EMSCRIPTEN__
#include <sys/file.h>
#endif

struct cs_audit {
    int fd;
    char *path;
    char *seal_path;
    char actor[CS_AUDIT_ENUM_MAX + 1];
    uint8_t pk[32];
    uint8_t sk[64];
    unsigned every;
    int no_fsync;
    uint64_t seq;       /* last event's sequence number, 0 if none */
    uint8_t head[32];   /* last event's hash, zeros if none */
    uint64_t last_ckpt; /* last checkpoint's seq (0: none seen) */
    off_t size;         /* file size after our last write or scan; -1 unknown */
};

/* ------------------------------------------------------------ names, validation */

const char *cs_audit_type_name(cs_audit_type t)
{
    switch (t) {
    case CS_AUDIT_DOCUMENT_OPENED: return "document_opened";
    case CS_AUDIT_PARSED: return "parsed";
    case CS_AUDIT_REDACTED: return "redacted";
    case CS_AUDIT_MODEL_LOADED: return "model_loaded";
    case CS_AUDIT_SUMMARY_PRODUCED: return "summary_produced";
    case CS_AUDIT_EXPORTED: return "exported";
    case CS_AUDIT_NETWORK: return "network";
    case CS_AUDIT_CHECKPOINT: return "checkpoint";
    case CS_AUDIT_RECOVERED: return "recovered";
    }
    return NULL;
}

int cs_audit_valid_key(const char *key)
{
    if (!key || !(key[0] >= 'a' && key[0] <= 'z')) return 0;
    size_t n = 0;
    for (; key[n]; n++) {
        char c = key[n];
        if (n >= CS_AUDIT_KEY_MAX || !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return 0;
    }
    return 1;
}

int cs_audit_valid_enum(const char *s)
{
    if (!s || !*s) return 0;
    for (size_t n = 0; s[n]; n++) {
        char c = s[n];
        if (n >= CS_AUDIT_ENUM_MAX) return 0;
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' ||
              c == '+' || c == '-'))
            return 0;
    }
    return 1;
}

/* scheme://host[:port] with a lowercase scheme from a short list, a DNS name
 * or bracketed IPv6 host, and nothing after the port: an origin names where
 * a request went, never what it carried. */
int cs_audit_valid_origin(const char *s)
{
    static const char *schemes[] = {"https://", "http://", "wss://", "ws://"};
    if (!s || strlen(s) > CS_AUDIT_ORIGIN_MAX) return 0;
    const char *p = NULL;
    for (size_t i = 0; i < sizeof schemes / sizeof *schemes && !p; i++)
        if (!strncmp(s, schemes[i], strlen(schemes[i]))) p = s + strlen(schemes[i]);
    if (!p) return 0;
    const char *h = p;
    if (*p == '[') {
        for (p++; *p && *p != ']'; p++)
            if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || *p == ':' || *p == '.')) return 0;
        if (*p++ != ']' || p - h < 4) return 0;
    } else {
        for (; (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '-'; p++) {}
        if (p == h) return 0;
    }
    if (*p == ':') {
        const char *d = ++p;
        for (; *p >= '0' && *p <= '9'; p++) {}
        if (p == d || p - d > 5) return 0;
    }
    return *p == '\0';
}

/* ------------------------------------------------------------ fields */

cs_audit_field cs_audit_field_hash(const char *key, const uint8_t sha256[32])
{
    cs_audit_field f = {.key = key, .kind = sha256 ? CS_AUDIT_F_HASH : 0};
    if (sha256) memcpy(f.hash, sha256, 32);
    return f;
}

cs_audit_field cs_audit_field_int(const char *key, int64_t v)
{
    return (cs_audit_field){.key = key, .kind = CS_AUDIT_F_INT, .i = v};
}

cs_audit_field cs_audit_field_str_enum(const char *key, const char *v)
{
    return (cs_audit_field){.key = key, .kind = CS_AUDIT_F_ENUM, .s = v};
}

cs_audit_field cs_audit_field_origin(const char *key, const char *origin)
{
    return (cs_audit_field){.key = key, .kind = CS_AUDIT_F_ORIGIN, .s = origin};
}

/* Validates every field and renders them as the body of a JSON object.
 * Values need no escaping: the validators admit no quote or backslash. */
static int fields_json(const cs_audit_field *f, size_t n, cs_buf *out)
{
    if (n > CS_AUDIT_MAX_FIELDS || (n && !f)) return CS_ERR_INVALID;
    for (size_t i = 0; i < n; i++) {
        if (!cs_audit_valid_key(f[i].key)) return CS_ERR_INVALID;
        for (size_t j = 0; j < i; j++)
            if (!strcmp(f[i].key, f[j].key)) return CS_ERR_INVALID;
        switch (f[i].kind) {
        case CS_AUDIT_F_HASH: break;
        case CS_AUDIT_F_INT: break;
        case CS_AUDIT_F_ENUM: if (!cs_audit_valid_enum(f[i].s)) return CS_ERR_INVALID; break;
        case CS_AUDIT_F_ORIGIN: if (!cs_audit_valid_origin(f[i].s)) return CS_ERR_INVALID; break;
        default: return CS_ERR_INVALID;
        }
    }
    int rc = CS_OK;
    for (size_t i = 0; i < n && rc == CS_OK; i++) {
        if (i) rc = cs_buf_putc(out, ',');
        if (rc == CS_OK) rc = cs_buf_printf(out, "\"%s\":", f[i].key);
        if (rc != CS_OK) break;
        if (f[i].kind == CS_AUDIT_F_HASH) {
            char hex[65];
            cs_audit_hex(f[i].hash, 32, hex);
            rc = cs_buf_printf(out, "\"%s\"", hex);
        } else if (f[i].kind == CS_AUDIT_F_INT) {
            rc = cs_buf_printf(out, "%lld", (long long)f[i].i);
        } else {
            rc = cs_buf_printf(out, "\"%s\"", f[i].s);
        }
    }
    return rc;
}

/* ------------------------------------------------------------ hashing */

void cs_audit_hex(const uint8_t *bytes, size_t n, char *out)
{
    static const char d[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = d[bytes[i] >> 4];
        out[2 * i + 1] = d[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}

void cs_audit_sha256(const void *data, size_t len, uint8_t out[32])
{
    crypto_hash_sha256(out, data, len);
}

int cs_audit_sha256_file(const char *path, uint8_t out[32])
{
    if (cs_audit_crypto_init() != CS_OK) return CS_ERR_CRYPTO;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return CS_ERR_IO;
    size_t cap = 1 << 20;
    unsigned char *buf = malloc(cap);
    if (!buf) { close(fd); return CS_ERR_NOMEM; }
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    int rc = CS_OK;
    for (;;) {
        ssize_t n = read(fd, buf, cap);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) { rc = CS_ERR_IO; break; }
        if (n == 0) break;
        crypto_hash_sha256_update(&st, buf, (unsigned long long)n);
    }
    crypto_hash_sha256_final(&st, out);
    free(buf);
    close(fd);
    return rc;
}

/* ------------------------------------------------------------ file plumbing */

static int lock(cs_audit *a)
{
#ifndef __EMSCRIPTEN__
    while (flock(a->fd, LOCK_EX) != 0)
        if (errno != EINTR) return CS_ERR_IO;
#else
    (void)a;
#endif
    return CS_OK;
}

static void unlock(cs_audit *a)
{
#ifndef __EMSCRIPTEN__
    flock(a->fd, LOCK_UN);
#else
    (void)a;
#endif
}

static int pread_all(int fd, char *buf, size_t n, off_t off)
{
    while (n) {
        ssize_t r = pread(fd, buf, n, off);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return CS_ERR_IO;
        buf += r;
        n -= (size_t)r;
        off += r;
    }
    return CS_OK;
}

/*
 * Brings the handle's idea of the chain head up to date with the file: if
 * the size is what we last saw, nothing changed; otherwise re-read the tail
 * (another writer appended, or this is the first look).  A final line without
 * its newline is a torn write: it is cut off and its length returned in
 * *torn.  A complete last line that is not a valid event stops us
 * (CS_ERR_TAMPERED): continuing would chain onto an unverifiable head.
 */
static int sync_head(cs_audit *a, size_t *torn)
{
    *torn = 0;
    struct stat st;
    if (fstat(a->fd, &st) != 0) return CS_ERR_IO;
    if (st.st_size == a->size) return CS_OK;
    off_t size = st.st_size;
    size_t win = 16 * CS_AUDIT_LINE_MAX;
    char *buf = NULL;
    int rc = CS_OK;
    for (;;) {
        off_t start = size > (off_t)win ? size - (off_t)win : 0;
        size_t n = (size_t)(size - start);
        char *nb = realloc(buf, n + 1);
        if (!nb) { rc = CS_ERR_NOMEM; break; }
        buf = nb;
        if (n && (rc = pread_all(a->fd, buf, n, start)) != CS_OK) break;
        /* end of the complete part, and start of its last line */
        size_t end = n;
        while (end > 0 && buf[end - 1] != '\n') end--;
        size_t ls = end ? end - 1 : 0;
        while (ls > 0 && buf[ls - 1] != '\n') ls--;
        if (start > 0 && (end == 0 || ls == 0)) {
            if (win > (size_t)1 << 30) { rc = CS_ERR_TAMPERED; break; }
            win *= 4; /* a very long torn tail: look further back */
            continue;
        }
        *torn = n - end;
        a->seq = 0;
        memset(a->head, 0, 32);
        a->last_ckpt = 0;
        if (end > 0) {
            cs_audit_line ln;
            if (cs_audit_line_parse(buf + ls, end - 1 - ls, &ln, NULL) != CS_OK ||
                memcmp(ln.hash, ln.actual, 32) != 0) {
                rc = CS_ERR_TAMPERED;
                break;
            }
            a->seq = ln.seq;
            memcpy(a->head, ln.hash, 32);
            /* The last checkpoint inside the window, if any; else assume the
             * chain is due one (a checkpoint too many is harmless). */
            for (size_t e = end - 1; e > 0 && !a->last_ckpt;) {
                size_t s = e;
                while (s > 0 && buf[s - 1] != '\n') s--;
                if (s == 0 && start > 0) break; /* partial first line */
                static const char ck[] = "\"type\":\"checkpoint\"";
                if (memmem(buf + s, e - s, ck, sizeof ck - 1) &&
                    cs_audit_line_parse(buf + s, e - s, &ln, NULL) == CS_OK)
                    a->last_ckpt = ln.seq;
                if (s == 0) break;
                e = s - 1;
            }
        }
        /* No fsync here: the "recovered" event written next is synced, and
         * syncing twice would widen the window in which a second crash cuts
         * the tail without recording it. */
        if (*torn && ftruncate(a->fd, start + (off_t)end) != 0) {
            rc = CS_ERR_IO;
            break;
        }
        a->size = start + (off_t)end;
        break;
    }
    free(buf);
    if (rc != CS_OK) a->size = -1;
    return rc;
}

static void now_utc(char *out)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    cs_audit_format_utc((int64_t)ts.tv_sec, (int)(ts.tv_nsec / 1000000), out);
}

/* Writes the seal file atomically (temporary file, fsync, rename). */
static int write_seal(cs_audit *a, uint64_t seq, const uint8_t hash[32])
{
    cs_audit_seal s = {.seq = seq};
    char msg[160], text[512];
    memcpy(s.hash, hash, 32);
    memcpy(s.key, a->pk, 32);
    size_t ml = cs_audit_seal_message(seq, hash, msg);
    if (crypto_sign_detached(s.sig, NULL, (const unsigned char *)msg, ml, a->sk) != 0) return CS_ERR_CRYPTO;
    size_t tl = cs_audit_seal_format(&s, text);
    return cs_audit_write_atomic(a->seal_path, text, tl, 0644, a->no_fsync);
}

/*
 * Formats and appends one event as a single write() of the complete line.
 * On a short write the file is cut back to where the line began, so a
 * failed append leaves no partial line behind.  Caller holds the lock.
 */
static int write_event(cs_audit *a, cs_audit_type type, const char *fields)
{
    char time[96], prev[65], hex[65];
    cs_buf b = {0};
    now_utc(time);
    cs_audit_hex(a->head, 32, prev);
    uint64_t seq = a->seq + 1;
    int rc = cs_buf_printf(&b, "{\"v\":%d,\"seq\":%llu,\"time\":\"%s\",\"actor\":\"%s\",\"type\":\"%s\",\"fields\":{%s},\"prev\":\"%s\"",
                           CS_AUDIT_FORMAT_VERSION, (unsigned long long)seq, time, a->actor, cs_audit_type_name(type),
                           fields, prev);
    uint8_t h[32];
    if (rc == CS_OK) {
        crypto_hash_sha256(h, (const unsigned char *)b.data, b.len);
        cs_audit_hex(h, 32, hex);
        rc = cs_buf_printf(&b, ",\"hash\":\"%s\"", hex);
    }
    if (rc == CS_OK && type == CS_AUDIT_CHECKPOINT) {
        char msg[160], sighex[129];
        uint8_t sig[64];
        size_t ml = cs_audit_checkpoint_message(h, msg);
        if (crypto_sign_detached(sig, NULL, (const unsigned char *)msg, ml, a->sk) != 0) rc = CS_ERR_CRYPTO;
        cs_audit_hex(sig, 64, sighex);
        if (rc == CS_OK) rc = cs_buf_printf(&b, ",\"sig\":\"%s\"", sighex);
    }
    if (rc == CS_OK) rc = cs_buf_puts(&b, "}\n");
    if (rc == CS_OK && b.len > CS_AUDIT_LINE_MAX) rc = CS_ERR_LIMIT;
    if (rc == CS_OK) {
        ssize_t w;
        do w = write(a->fd, b.data, b.len);
        while (w < 0 && errno == EINTR);
        if (w != (ssize_t)b.len) {
            if (w > 0 && ftruncate(a->fd, a->size) != 0) a->size = -1;
            rc = CS_ERR_IO;
        } else {
            a->size += (off_t)b.len;
            a->seq = seq;
            memcpy(a->head, h, 32);
            if (!a->no_fsync && fsync(a->fd) != 0) rc = CS_ERR_IO;
        }
    }
    cs_buf_free(&b);
    if (rc == CS_OK && type == CS_AUDIT_CHECKPOINT) {
        a->last_ckpt = seq;
        rc = write_seal(a, seq, h);
    }
    return rc;
}

static int write_checkpoint(cs_audit *a)
{
    char key[65], fields[160];
    cs_audit_hex(a->pk, 32, key);
    snprintf(fields, sizeof fields, "\"from\":%llu,\"key\":\"%s\"", (unsigned long long)(a->last_ckpt + 1), key);
    return write_event(a, CS_AUDIT_CHECKPOINT, fields);
}

/* Under the lock: catch up with the file and record a torn tail we cut.
 * A log with no complete event and no seal first gets a seal for "nothing
 * yet", before any event, so a missing seal always means it was removed. */
static int prepare(cs_audit *a)
{
    size_t torn;
    struct stat st;
    int rc = sync_head(a, &torn);
    if (rc == CS_OK && a->seq == 0 && stat(a->seal_path, &st) != 0) rc = write_seal(a, 0, a->head);
    if (rc == CS_OK && torn) {
        char fields[96];
        snprintf(fields, sizeof fields, "\"torn_bytes\":%zu,\"after_seq\":%llu", torn, (unsigned long long)a->seq);
        rc = write_event(a, CS_AUDIT_RECOVERED, fields);
    }
    return rc;
}

/* ------------------------------------------------------------ open / append / close */

static void free_handle(cs_audit *a)
{
    if (!a) return;
    if (a->fd >= 0) close(a->fd);
    sodium_memzero(a->sk, sizeof a->sk);
    free(a->path);
    free(a->seal_path);
    free(a);
}

int cs_audit_open(const char *path, const cs_audit_options *opt, cs_audit **out)
{
    *out = NULL;
    cs_audit_options o = opt ? *opt : (cs_audit_options){0};
    const char *actor = o.actor ? o.actor : getenv("CLINSUM_ACTOR");
    if (!actor || !*actor) actor = "local";
    if (!path || !*path || !cs_audit_valid_enum(actor)) return CS_ERR_INVALID;
    cs_audit *a = calloc(1, sizeof *a);
    if (!a) return CS_ERR_NOMEM;
    a->fd = -1;
    a->size = -1;
    snprintf(a->actor, sizeof a->actor, "%s", actor);
    a->every = o.checkpoint_every ? o.checkpoint_every : CS_AUDIT_DEFAULT_CHECKPOINT_EVERY;
    a->no_fsync = o.no_fsync;
    size_t pl = strlen(path);
    a->path = malloc(pl + 1);
    a->seal_path = malloc(pl + 6);
    if (!a->path || !a->seal_path) { free_handle(a); return CS_ERR_NOMEM; }
    memcpy(a->path, path, pl + 1);
    memcpy(a->seal_path, path, pl);
    memcpy(a->seal_path + pl, ".seal", 6);
    int rc = cs_audit_key_load_or_create(o.key_dir, a->pk, a->sk);
    if (rc != CS_OK) { free_handle(a); return rc; }
    a->fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (a->fd < 0) { free_handle(a); return CS_ERR_IO; }
    rc = lock(a);
    if (rc == CS_OK) {
        rc = prepare(a);
        unlock(a);
    }
    if (rc != CS_OK) { free_handle(a); return rc; }
    *out = a;
    return CS_OK;
}

int cs_audit_append(cs_audit *a, cs_audit_type type, const cs_audit_field *fields, size_t n)
{
    if (!a || !cs_audit_type_name(type) || type == CS_AUDIT_CHECKPOINT || type == CS_AUDIT_RECOVERED)
        return CS_ERR_INVALID;
    cs_buf f = {0};
    int rc = fields_json(fields, n, &f);
    if (rc == CS_OK) rc = lock(a);
    if (rc == CS_OK) {
        rc = prepare(a);
        if (rc == CS_OK) rc = write_event(a, type, f.data ? f.data : "");
        if (rc == CS_OK && a->seq - a->last_ckpt >= a->every) rc = write_checkpoint(a);
        unlock(a);
    }
    cs_buf_free(&f);
    return rc;
}

int cs_audit_close(cs_audit *a)
{
    if (!a) return CS_OK;
    int rc = lock(a);
    if (rc == CS_OK) {
        rc = prepare(a);
        if (rc == CS_OK && a->seq > 0 && a->last_ckpt != a->seq) rc = write_checkpoint(a);
        unlock(a);
    }
    free_handle(a);
    return rc;
}

void cs_audit_abandon(cs_audit *a)
{
    free_handle(a);
}

uint64_t cs_audit_last_seq(const cs_audit *a)
{
    return a ? a->seq : 0;
}

const uint8_t *cs_audit_public_key(const cs_audit *a)
{
    return a->pk;
}

/* ------------------------------------------------------------ typed events */

int cs_audit_document_opened(cs_audit *a, const void *bytes, size_t len, const char *format)
{
    if (!bytes && len) return CS_ERR_INVALID;
    uint8_t h[32];
    crypto_hash_sha256(h, bytes ? bytes : (const void *)"", len);
    cs_audit_field f[] = {cs_audit_field_hash("sha256", h), cs_audit_field_int("size", (int64_t)len),
                          cs_audit_field_str_enum("format", format ? format : "unknown")};
    return cs_audit_append(a, CS_AUDIT_DOCUMENT_OPENED, f, 3);
}

int cs_audit_parsed(cs_audit *a, size_t n_sections, const char *format)
{
    cs_audit_field f[] = {cs_audit_field_int("sections", (int64_t)n_sections), cs_audit_field_str_enum("format", format)};
    return cs_audit_append(a, CS_AUDIT_PARSED, f, format ? 2 : 1);
}

int cs_audit_redacted(cs_audit *a, const char *policy, const cs_audit_count *counts, size_t n)
{
    if (n + 2 > CS_AUDIT_MAX_FIELDS || (n && !counts)) return CS_ERR_INVALID;
    char keys[CS_AUDIT_MAX_FIELDS][CS_AUDIT_KEY_MAX + 1];
    cs_audit_field f[CS_AUDIT_MAX_FIELDS];
    size_t k = 0;
    int64_t total = 0;
    f[k++] = cs_audit_field_str_enum("policy", policy);
    for (size_t i = 0; i < n; i++) {
        const char *c = counts[i].category;
        if (!cs_audit_valid_enum(c) || strlen(c) + 2 > CS_AUDIT_KEY_MAX || counts[i].count < 0) return CS_ERR_INVALID;
        char *key = keys[i];
        key[0] = 'n';
        key[1] = '_';
        size_t j = 0;
        for (; c[j]; j++) {
            char ch = c[j];
            if (ch >= 'A' && ch <= 'Z') ch = (char)(ch - 'A' + 'a');
            key[2 + j] = ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) ? ch : '_';
        }
        key[2 + j] = '\0';
        f[k++] = cs_audit_field_int(key, counts[i].count);
        total += counts[i].count;
    }
    f[k++] = cs_audit_field_int("total", total);
    return cs_audit_append(a, CS_AUDIT_REDACTED, f, k);
}

int cs_audit_model_loaded(cs_audit *a, const uint8_t file_sha256[32], const char *arch, const char *quant)
{
    cs_audit_field f[] = {cs_audit_field_hash("sha256", file_sha256), cs_audit_field_str_enum("arch", arch),
                          cs_audit_field_str_enum("quant", quant)};
    return cs_audit_append(a, CS_AUDIT_MODEL_LOADED, f, 3);
}

int cs_audit_summary_produced(cs_audit *a, const cs_audit_summary_info *in)
{
    if (!in || (!in->output && in->output_len)) return CS_ERR_INVALID;
    uint8_t h[32];
    crypto_hash_sha256(h, in->output ? in->output : (const void *)"", in->output_len);
    cs_audit_field f[] = {
        cs_audit_field_hash("sha256", h),
        cs_audit_field_int("size", (int64_t)in->output_len),
        cs_audit_field_int("prompt_tokens", in->prompt_tokens),
        cs_audit_field_int("output_tokens", in->output_tokens),
        cs_audit_field_int("prefill_ms", in->prefill_ms),
        cs_audit_field_int("decode_ms", in->decode_ms),
        cs_audit_field_int("total_ms", in->total_ms),
        cs_audit_field_int("faithfulness_flags", in->faithfulness_flags),
    };
    return cs_audit_append(a, CS_AUDIT_SUMMARY_PRODUCED, f, sizeof f / sizeof *f);
}

int cs_audit_exported(cs_audit *a, const char *what, const uint8_t sha256[32], int64_t bytes)
{
    cs_audit_field f[3];
    size_t n = 0;
    f[n++] = cs_audit_field_str_enum("what", what);
    if (sha256) f[n++] = cs_audit_field_hash("sha256", sha256);
    f[n++] = cs_audit_field_int("size", bytes);
    return cs_audit_append(a, CS_AUDIT_EXPORTED, f, n);
}

int cs_audit_network(cs_audit *a, const char *origin, int blocked)
{
    cs_audit_field f[] = {cs_audit_field_origin("origin", origin),
                          cs_audit_field_str_enum("action", blocked ? "blocked" : "made")};
    return cs_audit_append(a, CS_AUDIT_NETWORK, f, 2);
}
