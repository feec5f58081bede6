/*
 * cs_audit_verify.c: walks an audit log, checking each line's hash, each
 * link, each checkpoint signature and the seal, and classifies the first
 * break (see cs_audit_verify.h for the categories).
 */
#include "cs_audit_verify.h"

#include "cs_audit.h"
#include "cs_audit_key.h"
#include "cs_audit_line.h"
#include "cs_err.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *cs_audit_problem_name(cs_audit_problem p)
{
    switch (p) {
    case CS_AUDIT_INTACT: return "intact";
    case CS_AUDIT_MODIFIED: return "modified";
    case CS_AUDIT_INSERTED: return "inserted";
    case CS_AUDIT_DELETED: return "deleted";
    case CS_AUDIT_REORDERED: return "reordered";
    case CS_AUDIT_BAD_SIGNATURE: return "bad_signature";
    case CS_AUDIT_KEY_SUBSTITUTED: return "key_substituted";
    case CS_AUDIT_TRUNCATED: return "truncated";
    case CS_AUDIT_SEAL_MISSING: return "seal_missing";
    }
    return "unknown";
}

typedef struct {
    cs_audit_line ln;
    const char *why; /* parse failure reason, NULL if parsed */
} entry;

static int fail(cs_audit_report *r, cs_audit_problem p, uint64_t seq, uint64_t line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int fail(cs_audit_report *r, cs_audit_problem p, uint64_t seq, uint64_t line, const char *fmt, ...)
{
    r->problem = p;
    r->bad_seq = seq;
    r->bad_line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->detail, sizeof r->detail, fmt, ap);
    va_end(ap);
    return CS_ERR_TAMPERED;
}

static const uint8_t zero[32];

/* Hash the chain expects line i to link to (the accepted line before it). */
static const uint8_t *link_before(const entry *e, size_t i)
{
    return i == 0 ? zero : e[i - 1].ln.hash;
}

/* Classifies a line that does not continue the chain.  All lines before i
 * were accepted, so line i-1 carries seq expect-1. */
static int classify_break(cs_audit_report *r, const entry *e, size_t n, size_t i, uint64_t expect)
{
    const cs_audit_line *l = &e[i].ln;
    unsigned long long s = l->seq, x = expect;
    /* The chain continues from line i-1 past line i: line i was slipped in
     * (a forward jump in seq is a deletion or reordering instead). */
    if (l->seq <= expect && i + 1 < n && !e[i + 1].why && !memcmp(e[i + 1].ln.prev, link_before(e, i), 32))
        return fail(r, CS_AUDIT_INSERTED, s, i + 1,
                    "line %zu (claiming seq %llu) was inserted: the next event links to the one before it", i + 1, s);
    /* Line i links past line i-1: line i-1 was slipped in. */
    if (i >= 1 && !memcmp(l->prev, link_before(e, i - 1), 32))
        return fail(r, CS_AUDIT_INSERTED, e[i - 1].ln.seq, i,
                    "line %zu (claiming seq %llu) was inserted: seq %llu on line %zu links to the event before it",
                    i, (unsigned long long)e[i - 1].ln.seq, s, i + 1);
    if (l->seq == expect)
        return fail(r, CS_AUDIT_MODIFIED, x - 1, i,
                    "event seq %llu (line %zu) was modified and its hash recomputed: seq %llu no longer links to it",
                    x - 1, i, s);
    if (l->seq > expect) {
        for (size_t j = i + 1; j < n; j++)
            if (!e[j].why && e[j].ln.seq == expect)
                return fail(r, CS_AUDIT_REORDERED, x, j + 1,
                            "events out of order: seq %llu is on line %zu, after seq %llu on line %zu", x, j + 1, s,
                            i + 1);
        if (!memcmp(l->prev, link_before(e, i), 32))
            return fail(r, CS_AUDIT_MODIFIED, s, i + 1,
                        "event on line %zu was renumbered: it links to seq %llu but claims seq %llu", i + 1, x - 1, s);
        return fail(r, CS_AUDIT_DELETED, x, i + 1, "events seq %llu..%llu were deleted (between lines %zu and %zu)", x,
                    s - 1, i, i + 1);
    }
    return fail(r, CS_AUDIT_INSERTED, s, i + 1, "line %zu repeats seq %llu: an event was inserted", i + 1, s);
}

static int check_key(cs_audit_report *r, const uint8_t *trusted, const uint8_t key[32], uint64_t seq, uint64_t line,
                     const char *what)
{
    char have[17], want[17];
    cs_audit_key_id(key, have);
    if (trusted && memcmp(trusted, key, 32)) {
        cs_audit_key_id(trusted, want);
        return fail(r, CS_AUDIT_KEY_SUBSTITUTED, seq, line, "%s is signed by key %s, not the trusted key %s", what,
                    have, want);
    }
    if (r->key_known && memcmp(r->key, key, 32)) {
        cs_audit_key_id(r->key, want);
        return fail(r, CS_AUDIT_KEY_SUBSTITUTED, seq, line, "%s is signed by key %s, but earlier checkpoints by %s",
                    what, have, want);
    }
    return CS_OK;
}

static void count(cs_audit_report *r, const entry *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (e[i].why) continue;
        if ((size_t)e[i].ln.type < sizeof r->n_by_type / sizeof *r->n_by_type) r->n_by_type[e[i].ln.type]++;
        if (e[i].ln.network == 1) r->n_network_made++;
        if (e[i].ln.network == 2) r->n_network_blocked++;
    }
}

static int walk(cs_audit_report *r, const entry *e, size_t n, const uint8_t *trusted)
{
    uint64_t expect = 1, good_ckpt = 0;
    for (size_t i = 0; i < n; i++) {
        const cs_audit_line *l = &e[i].ln;
        unsigned long long s = l->seq;
        if (e[i].why)
            return fail(r, CS_AUDIT_MODIFIED, expect, i + 1, "line %zu is not a valid event (%s)", i + 1, e[i].why);
        if (memcmp(l->hash, l->actual, 32))
            return fail(r, CS_AUDIT_MODIFIED, s, i + 1, "event seq %llu (line %zu) was modified: it no longer matches its hash",
                        s, i + 1);
        if (l->seq != expect || memcmp(l->prev, link_before(e, i), 32)) return classify_break(r, e, n, i, expect);
        expect++;
        r->n_events = i + 1;
        r->last_seq = l->seq;
        if (l->type != CS_AUDIT_CHECKPOINT) continue;
        char what[64];
        snprintf(what, sizeof what, "checkpoint seq %llu", s);
        int rc = check_key(r, trusted, l->key, s, i + 1, what);
        if (rc != CS_OK) return rc;
        char msg[160];
        size_t ml = cs_audit_checkpoint_message(l->hash, msg);
        if (crypto_sign_verify_detached(l->sig, (const unsigned char *)msg, ml, l->key) != 0)
            return fail(r, CS_AUDIT_BAD_SIGNATURE, good_ckpt + 1, i + 1,
                        "checkpoint seq %llu has an invalid signature: events seq %llu..%llu were changed after signing",
                        s, (unsigned long long)good_ckpt + 1, s);
        memcpy(r->key, l->key, 32);
        r->key_known = 1;
        r->n_checkpoints++;
        r->last_checkpoint_seq = good_ckpt = l->seq;
    }
    r->unsigned_tail = r->last_seq - r->last_checkpoint_seq;
    return CS_OK;
}

static int check_seal(cs_audit_report *r, const entry *e, const char *seal, size_t seal_len, const uint8_t *trusted)
{
    unsigned long long end = r->last_seq;
    if (!seal) {
        if (r->n_checkpoints == 0) return CS_OK;
        return fail(r, CS_AUDIT_SEAL_MISSING, end + 1, 0,
                    "the seal file is missing: a cut after seq %llu cannot be ruled out", end);
    }
    cs_audit_seal s;
    if (cs_audit_seal_parse(seal, seal_len, &s) != CS_OK)
        return fail(r, CS_AUDIT_SEAL_MISSING, end + 1, 0, "the seal file is unreadable");
    r->seal_present = 1;
    r->seal_seq = s.seq;
    int rc = check_key(r, trusted, s.key, s.seq, 0, "the seal");
    if (rc != CS_OK) return rc;
    char msg[160];
    size_t ml = cs_audit_seal_message(s.seq, s.hash, msg);
    if (crypto_sign_verify_detached(s.sig, (const unsigned char *)msg, ml, s.key) != 0)
        return fail(r, CS_AUDIT_BAD_SIGNATURE, s.seq, 0, "the seal has an invalid signature");
    if (s.seq > r->last_seq)
        return fail(r, CS_AUDIT_TRUNCATED, end + 1, r->n_events + 1,
                    "the log was truncated: it ends at seq %llu but the seal records checkpoint seq %llu", end,
                    (unsigned long long)s.seq);
    if (s.seq == 0) {
        if (memcmp(s.hash, zero, 32)) return fail(r, CS_AUDIT_MODIFIED, 1, 1, "the seal does not belong to this log");
        return CS_OK;
    }
    const cs_audit_line *l = &e[s.seq - 1].ln; /* the chain is intact: line k holds seq k */
    if (l->type != CS_AUDIT_CHECKPOINT || memcmp(l->hash, s.hash, 32))
        return fail(r, CS_AUDIT_MODIFIED, s.seq, s.seq,
                    "event seq %llu differs from the checkpoint the seal records: the log was rewritten",
                    (unsigned long long)s.seq);
    if (!r->key_known) {
        memcpy(r->key, s.key, 32);
        r->key_known = 1;
    }
    return CS_OK;
}

int cs_audit_verify(const char *log, size_t len, const char *seal, size_t seal_len, const uint8_t *trusted_pk,
                    cs_audit_report *r)
{
    memset(r, 0, sizeof *r);
    if (cs_audit_crypto_init() != CS_OK) return CS_ERR_CRYPTO;
    size_t end = len;
    while (end > 0 && log[end - 1] != '\n') end--;
    r->torn_bytes = len - end;
    size_t n = 0;
    for (size_t i = 0; i < end; i++) n += log[i] == '\n';
    entry *e = calloc(n ? n : 1, sizeof *e);
    if (!e) return CS_ERR_NOMEM;
    for (size_t i = 0, at = 0; i < n; i++) {
        const char *nl = memchr(log + at, '\n', end - at);
        size_t ll = (size_t)(nl - (log + at));
        if (cs_audit_line_parse(log + at, ll, &e[i].ln, &e[i].why) != CS_OK && !e[i].why) e[i].why = "unreadable";
        at += ll + 1;
    }
    count(r, e, n);
    if (trusted_pk) {
        memcpy(r->key, trusted_pk, 32);
        r->key_known = 1;
        r->key_trusted = 1;
    }
    int rc = walk(r, e, n, trusted_pk);
    if (rc == CS_OK) rc = check_seal(r, e, seal, seal_len, trusted_pk);
    free(e);
    return rc;
}

/* Reads a whole small-to-moderate file; *data is NUL-terminated. */
static int slurp(const char *path, size_t cap, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno == ENOENT ? CS_ERR_NOT_FOUND : CS_ERR_IO;
    struct stat st;
    int rc = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) ? CS_OK : CS_ERR_IO;
    if (rc == CS_OK && (uint64_t)st.st_size > cap) rc = CS_ERR_TOO_LARGE;
    char *p = rc == CS_OK ? malloc((size_t)st.st_size + 1) : NULL;
    if (rc == CS_OK && !p) rc = CS_ERR_NOMEM;
    size_t got = 0;
    while (rc == CS_OK && got < (size_t)st.st_size) {
        ssize_t k = read(fd, p + got, (size_t)st.st_size - got);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) rc = CS_ERR_IO;
        else got += (size_t)k;
    }
    close(fd);
    if (rc != CS_OK) { free(p); return rc; }
    p[got] = '\0';
    *data = p;
    *len = got;
    return CS_OK;
}

int cs_audit_verify_file(const char *path, const char *pubkey_path, cs_audit_report *r)
{
    memset(r, 0, sizeof *r);
    uint8_t pk[32];
    int rc = CS_OK;
    if (pubkey_path && (rc = cs_audit_pubkey_read(pubkey_path, pk)) != CS_OK) return rc == CS_ERR_NOT_FOUND ? CS_ERR_IO : rc;
    char *log, *seal = NULL, sp[4200];
    size_t len, seal_len = 0;
    if ((rc = slurp(path, (size_t)1 << 31, &log, &len)) != CS_OK) return rc == CS_ERR_NOT_FOUND ? CS_ERR_IO : rc;
    snprintf(sp, sizeof sp, "%s.seal", path);
    rc = slurp(sp, 4096, &seal, &seal_len);
    if (rc == CS_OK || rc == CS_ERR_NOT_FOUND) rc = cs_audit_verify(log, len, seal, seal_len, pubkey_path ? pk : NULL, r);
    free(log);
    free(seal);
    return rc;
}

char *cs_audit_report_json(const cs_audit_report *r)
{
    cJSON *o = cJSON_CreateObject();
    char kid[17], khex[65];
    if (!o) return NULL;
    cJSON_AddBoolToObject(o, "intact", r->problem == CS_AUDIT_INTACT);
    cJSON_AddStringToObject(o, "problem", cs_audit_problem_name(r->problem));
    cJSON_AddNumberToObject(o, "first_bad_seq", (double)r->bad_seq);
    cJSON_AddNumberToObject(o, "first_bad_line", (double)r->bad_line);
    cJSON_AddStringToObject(o, "detail", r->detail);
    cJSON_AddNumberToObject(o, "events", (double)r->n_events);
    cJSON_AddNumberToObject(o, "last_seq", (double)r->last_seq);
    cJSON_AddNumberToObject(o, "checkpoints", (double)r->n_checkpoints);
    cJSON_AddNumberToObject(o, "last_checkpoint_seq", (double)r->last_checkpoint_seq);
    cJSON_AddNumberToObject(o, "unsigned_tail_events", (double)r->unsigned_tail);
    cJSON_AddNumberToObject(o, "torn_bytes", (double)r->torn_bytes);
    cJSON *by = cJSON_AddObjectToObject(o, "events_by_type");
    for (int t = CS_AUDIT_DOCUMENT_OPENED; t <= CS_AUDIT_RECOVERED; t++)
        cJSON_AddNumberToObject(by, cs_audit_type_name((cs_audit_type)t), (double)r->n_by_type[t]);
    cJSON *net = cJSON_AddObjectToObject(o, "network_events");
    cJSON_AddNumberToObject(net, "made", (double)r->n_network_made);
    cJSON_AddNumberToObject(net, "blocked", (double)r->n_network_blocked);
    cJSON *key = cJSON_AddObjectToObject(o, "key");
    if (r->key_known) {
        cs_audit_key_id(r->key, kid);
        cs_audit_hex(r->key, 32, khex);
        cJSON_AddStringToObject(key, "ed25519", khex);
        cJSON_AddStringToObject(key, "fingerprint", kid);
    }
    cJSON_AddStringToObject(key, "source", r->key_trusted ? "trusted key supplied by the verifier"
                                                          : "key named in the log (consistency only)");
    cJSON *seal = cJSON_AddObjectToObject(o, "seal");
    cJSON_AddBoolToObject(seal, "present", r->seal_present);
    cJSON_AddNumberToObject(seal, "seq", (double)r->seal_seq);
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}
