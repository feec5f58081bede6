/*
 * wasm_web_audit.c: the audit log's entry points for the browser.  The web
 * worker (ui/worker.js, ui/audit-store.js) calls these through the WASM
 * module; they are the same compliance/ code the CLI uses, so a log the
 * browser writes verifies with `clinsum audit verify`.
 *
 * Files: the log and its key live in emscripten's in-memory file system
 * (MEMFS).  The worker copies them in from the Origin Private File System
 * (or IndexedDB) before cs_web_audit_open() and writes back what changed
 * after each call, so the log survives reloads and the chain continues.
 * The key pair is created on first use in key_dir exactly as the native
 * build creates it in $CLINSUM_KEY_DIR, and the worker persists it beside
 * the log.  Trade-off: a key kept by the browser proves that the log was
 * not edited after it was written (any change breaks the chain or a
 * signature), but not against someone holding the browser profile, who has
 * the key too and could write a new, self-consistent log.  An auditor who
 * kept an earlier export (its public key and seal) catches that: verify
 * with --key.
 *
 * One log is open at a time (a module-wide handle: the worker is single
 * threaded).  Functions return CS_OK or a negative cs_err; the ones that
 * return memory return NULL on failure, cs_web_audit_last_error() says why,
 * and the caller releases the memory with cs_web_audit_free().  Nothing here
 * ever receives document text except to hash it (document, summary).
 */
#include "wasm_web_audit.h"

#include "cs_audit.h"
#include "cs_audit_export.h"
#include "cs_audit_key.h"
#include "cs_audit_verify.h"
#include "cs_err.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>
#else
#define EMSCRIPTEN_KEEPALIVE
#endif

#define PATH_CAP 512
#define LOG_CAP ((size_t)1 << 30)

static struct {
    cs_audit *log;
    char path[PATH_CAP];
    char key_dir[PATH_CAP];
    char actor[CS_AUDIT_ENUM_MAX + 1];
    unsigned every;
    int last_error;
    size_t result_len;
} web;

static int fail(int rc)
{
    web.last_error = rc;
    return rc;
}

/* ------------------------------------------------------------ opening */

static int reopen(void)
{
    cs_audit_options o = {.actor = web.actor, .key_dir = web.key_dir, .checkpoint_every = web.every};
    return cs_audit_open(web.path, &o, &web.log);
}

/*
 * Opens (creating) the log at log_path and loads or creates the key pair in
 * key_dir (both MEMFS paths the worker filled from persistent storage).  An
 * open log is closed first.  actor: NULL or "" for "browser".
 * checkpoint_every: 0 for the default.
 */
EMSCRIPTEN_KEEPALIVE int cs_web_audit_open(const char *log_path, const char *key_dir, const char *actor,
                                           int checkpoint_every)
{
    if (web.log) cs_audit_close(web.log), web.log = NULL;
    if (!log_path || !*log_path || !key_dir || !*key_dir || checkpoint_every < 0 ||
        strlen(log_path) >= PATH_CAP || strlen(key_dir) >= PATH_CAP)
        return fail(CS_ERR_INVALID);
    snprintf(web.path, sizeof web.path, "%s", log_path);
    snprintf(web.key_dir, sizeof web.key_dir, "%s", key_dir);
    snprintf(web.actor, sizeof web.actor, "%s", actor && *actor ? actor : "browser");
    web.every = (unsigned)checkpoint_every;
    int rc = reopen();
    return rc == CS_OK ? CS_OK : fail(rc);
}

/* Signs the chain so far (a checkpoint) and rewrites the seal: the worker
 * calls this when a document is done, so a later cut is detectable. */
EMSCRIPTEN_KEEPALIVE int cs_web_audit_checkpoint(void)
{
    if (!web.log) return fail(CS_ERR_INVALID);
    int rc = cs_audit_close(web.log);
    web.log = NULL;
    int rc2 = reopen();
    if (rc == CS_OK) rc = rc2;
    return rc == CS_OK ? CS_OK : fail(rc);
}

/* Closes the log with a final checkpoint. */
EMSCRIPTEN_KEEPALIVE int cs_web_audit_close(void)
{
    int rc = cs_audit_close(web.log);
    web.log = NULL;
    return rc == CS_OK ? CS_OK : fail(rc);
}

/* Sequence number of the last event (0 when empty or closed). */
EMSCRIPTEN_KEEPALIVE double cs_web_audit_last_seq(void)
{
    return (double)cs_audit_last_seq(web.log);
}

/* The signing key as 64 hex characters ("" when no log is open). */
EMSCRIPTEN_KEEPALIVE const char *cs_web_audit_public_key(void)
{
    static char hex[65];
    hex[0] = '\0';
    if (web.log) cs_audit_hex(cs_audit_public_key(web.log), 32, hex);
    return hex;
}

/* ------------------------------------------------------------ events */

static int done(int rc)
{
    return rc == CS_OK ? CS_OK : fail(rc);
}

static int need_log(void)
{
    return web.log ? CS_OK : fail(CS_ERR_INVALID);
}

static int unhex32(const char *hex, uint8_t out[32])
{
    if (!hex || strlen(hex) != 64) return -1;
    for (int i = 0; i < 32; i++) {
        unsigned v = 0;
        for (int k = 0; k < 2; k++) {
            char c = hex[2 * i + k];
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (d < 0) return -1;
            v = v << 4 | (unsigned)d;
        }
        out[i] = (uint8_t)v;
    }
    return 0;
}

/* The document's bytes are hashed here and forgotten. */
EMSCRIPTEN_KEEPALIVE int cs_web_audit_document_opened(const uint8_t *bytes, int len, const char *format)
{
    if (need_log() || len < 0) return fail(CS_ERR_INVALID);
    return done(cs_audit_document_opened(web.log, bytes, (size_t)len, format));
}

EMSCRIPTEN_KEEPALIVE int cs_web_audit_parsed(int sections, const char *format)
{
    if (need_log() || sections < 0) return fail(CS_ERR_INVALID);
    return done(cs_audit_parsed(web.log, (size_t)sections, format && *format ? format : NULL));
}

/* counts_json: {"name":3,"date":2,...}, non-negative integer counts per
 * identifier category (as the page shows them). */
EMSCRIPTEN_KEEPALIVE int cs_web_audit_redacted(const char *policy, const char *counts_json)
{
    if (need_log()) return CS_ERR_INVALID;
    cJSON *o = counts_json ? cJSON_Parse(counts_json) : NULL;
    cs_audit_count c[CS_AUDIT_MAX_FIELDS];
    size_t n = 0;
    int rc = cJSON_IsObject(o) ? CS_OK : CS_ERR_INVALID;
    for (cJSON *it = o ? o->child : NULL; it && rc == CS_OK; it = it->next) {
        double v = it->valuedouble;
        if (n + 2 >= CS_AUDIT_MAX_FIELDS || !cJSON_IsNumber(it) || v < 0 || v != (double)(int64_t)v)
            rc = CS_ERR_INVALID;
        else
            c[n++] = (cs_audit_count){it->string, (int64_t)v};
    }
    if (rc == CS_OK) rc = cs_audit_redacted(web.log, policy, c, n);
    cJSON_Delete(o);
    return done(rc);
}

/* sha256_hex: the model file's SHA-256 (the page stores models under it). */
EMSCRIPTEN_KEEPALIVE int cs_web_audit_model_loaded(const char *sha256_hex, const char *arch, const char *quant)
{
    uint8_t h[32];
    if (need_log() || unhex32(sha256_hex, h)) return fail(CS_ERR_INVALID);
    return done(cs_audit_model_loaded(web.log, h, arch, quant));
}

/* The summary's bytes are hashed here and forgotten.  Counts and times are
 * doubles because that is what JavaScript numbers are. */
EMSCRIPTEN_KEEPALIVE int cs_web_audit_summary_produced(const uint8_t *out, int len, double prompt_tokens,
                                                       double output_tokens, double prefill_ms, double decode_ms,
                                                       double total_ms, int faithfulness_flags)
{
    if (need_log() || len < 0) return fail(CS_ERR_INVALID);
    cs_audit_summary_info s = {out,
                               (size_t)len,
                               (int64_t)prompt_tokens,
                               (int64_t)output_tokens,
                               (int64_t)prefill_ms,
                               (int64_t)decode_ms,
                               (int64_t)total_ms,
                               faithfulness_flags};
    return done(cs_audit_summary_produced(web.log, &s));
}

/* A download the user asked for (what: "summary", ...): its bytes are hashed. */
EMSCRIPTEN_KEEPALIVE int cs_web_audit_exported(const char *what, const uint8_t *bytes, int len)
{
    if (need_log() || len < 0 || (!bytes && len)) return fail(CS_ERR_INVALID);
    uint8_t h[32];
    cs_audit_sha256(bytes ? (const void *)bytes : "", (size_t)len, h);
    return done(cs_audit_exported(web.log, what, h, len));
}

/*
 * Reduces a URL to its origin: lowercase scheme and host, no user info, no
 * path, query or fragment, and the default port dropped, as URL.origin does.
 * Returns 1 for a URL that is no network request (data:, blob:, about:, a
 * relative reference), 0 with out filled, or -1 for a malformed one.
 */
static int url_origin(const char *url, char *out, size_t cap)
{
    static const struct { const char *scheme; const char *port; } net[] = {
        {"https", "443"}, {"http", "80"}, {"wss", "443"}, {"ws", "80"}};
    const char *colon = strchr(url, ':');
    if (!colon || strncmp(colon, "://", 3)) return 1;
    size_t sl = (size_t)(colon - url);
    int k = -1;
    for (int i = 0; i < 4 && k < 0; i++)
        if (sl == strlen(net[i].scheme) && !strncasecmp(url, net[i].scheme, sl)) k = i;
    if (k < 0) return 1;
    const char *auth = colon + 3;
    size_t al = strcspn(auth, "/?#");
    const char *at = memchr(auth, '@', al);
    while (at) { /* the last '@' ends the user info */
        al -= (size_t)(at + 1 - auth);
        auth = at + 1;
        at = memchr(auth, '@', al);
    }
    /* host[:port]; an IPv6 host is bracketed, so its last ':' is inside. */
    const char *rb = al && auth[0] == '[' ? memchr(auth, ']', al) : NULL;
    const char *pc = NULL;
    for (const char *p = rb ? rb : auth; p < auth + al; p++)
        if (*p == ':') pc = p;
    size_t hl = pc ? (size_t)(pc - auth) : al;
    const char *port = pc ? pc + 1 : NULL;
    size_t pl = pc ? al - hl - 1 : 0;
    if (port && pl == strlen(net[k].port) && !strncmp(port, net[k].port, pl)) port = NULL;
    if (port && pl == 0) port = NULL;
    int n = snprintf(out, cap, "%s://%.*s%s%.*s", net[k].scheme, (int)hl, auth, port ? ":" : "", (int)pl,
                     port ? port : "");
    if (n < 0 || (size_t)n >= cap) return -1;
    for (char *p = out + sl + 3; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    return cs_audit_valid_origin(out) ? 0 : -1;
}

/*
 * A request the page made (blocked = 0) or the browser refused (blocked = 1,
 * e.g. a Content-Security-Policy violation).  Only the URL's origin is
 * recorded.  Returns 1 (nothing written) when the URL is no network request.
 */
EMSCRIPTEN_KEEPALIVE int cs_web_audit_network(const char *url, int blocked)
{
    if (need_log() || !url) return fail(CS_ERR_INVALID);
    char origin[CS_AUDIT_ORIGIN_MAX + 1];
    int k = url_origin(url, origin, sizeof origin);
    if (k < 0) return fail(CS_ERR_INVALID);
    if (k > 0) return 1;
    return done(cs_audit_network(web.log, origin, blocked != 0));
}

/* ------------------------------------------------------------ verify, export */

static int read_all(const char *path, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    struct stat st;
    if (stat(path, &st) != 0) return CS_ERR_NOT_FOUND;
    if ((uint64_t)st.st_size > LOG_CAP) return CS_ERR_TOO_LARGE;
    FILE *f = fopen(path, "rb");
    if (!f) return CS_ERR_IO;
    char *p = malloc((size_t)st.st_size + 1);
    size_t got = p ? fread(p, 1, (size_t)st.st_size, f) : 0;
    fclose(f);
    if (!p) return CS_ERR_NOMEM;
    if (got != (size_t)st.st_size) { free(p); return CS_ERR_IO; }
    p[got] = '\0';
    *data = p;
    *len = got;
    return CS_OK;
}

/* Reads the log and its seal and verifies them against this browser's key
 * (so a log re-signed by another key fails as key_substituted).  Works when
 * the open failed too (a log edited in storage cannot be continued, but the
 * page still shows and exports the verdict). */
static int verify_log(char **log, size_t *len, char **seal, size_t *seal_len, cs_audit_report *r)
{
    if (!web.path[0]) return CS_ERR_INVALID;
    uint8_t pk[32];
    const uint8_t *trusted = web.log ? cs_audit_public_key(web.log) : NULL;
    char pub[PATH_CAP + 32];
    snprintf(pub, sizeof pub, "%s/%s", web.key_dir, CS_AUDIT_PUB_FILE);
    if (!trusted && cs_audit_pubkey_read(pub, pk) == CS_OK) trusted = pk;
    char seal_path[PATH_CAP + 8];
    snprintf(seal_path, sizeof seal_path, "%s.seal", web.path);
    int rc = read_all(web.path, log, len);
    if (rc == CS_OK) {
        rc = read_all(seal_path, seal, seal_len);
        if (rc == CS_ERR_NOT_FOUND) rc = CS_OK;
    }
    if (rc == CS_OK) {
        rc = cs_audit_verify(*log, *len, *seal, *seal_len, trusted, r);
        if (rc == CS_ERR_TAMPERED) rc = CS_OK;
    }
    return rc;
}

/* The verification report (cs_audit_report_json) of the log named by the
 * last cs_web_audit_open() (open or not), or NULL. */
EMSCRIPTEN_KEEPALIVE char *cs_web_audit_verify_json(void)
{
    char *log = NULL, *seal = NULL;
    size_t len, seal_len = 0;
    cs_audit_report r;
    int rc = verify_log(&log, &len, &seal, &seal_len, &r);
    free(log);
    free(seal);
    if (rc != CS_OK) return fail(rc), NULL;
    char *s = cs_audit_report_json(&r);
    if (!s) fail(CS_ERR_NOMEM);
    return s;
}

/*
 * The audit bundle as one ZIP (cs_audit_bundle_zip), for the Export button:
 * signs the chain (a checkpoint), builds the bundle with the egress
 * attestation over `wasm` (the module the worker runs) and `glue` (the JS
 * that loaded it), both optional, then records an "exported" event as the
 * CLI does (manifest hash, total size) and signs again.  mtime_ms: the
 * files' date (Date.now()).  Returns the malloc'd archive, its length in
 * cs_web_audit_result_len(); NULL on failure.  A tampered log (also one
 * that could not be opened) is exported too, the bundle documenting the
 * failure, but not extended.
 */
EMSCRIPTEN_KEEPALIVE uint8_t *cs_web_audit_export_zip(const uint8_t *wasm, int wasm_len, const char *wasm_name,
                                                      const char *glue, int glue_len, double mtime_ms)
{
    web.result_len = 0;
    if (wasm_len < 0 || glue_len < 0) return fail(CS_ERR_INVALID), NULL;
    int rc = web.log ? cs_web_audit_checkpoint() : CS_OK;
    if (rc != CS_OK) return NULL;
    char *log = NULL, *seal = NULL;
    size_t len, seal_len = 0;
    cs_audit_report r;
    rc = verify_log(&log, &len, &seal, &seal_len, &r);
    cs_audit_bundle b = {0};
    uint8_t pk[32]; /* bundle_build clears r, so the key is copied out first */
    int trusted = rc == CS_OK && r.key_trusted;
    if (trusted) memcpy(pk, r.key, 32);
    if (rc == CS_OK) {
        cs_audit_bundle_input in = {log,
                                    len,
                                    seal,
                                    seal_len,
                                    trusted ? pk : NULL,
                                    wasm && wasm_len ? wasm : NULL,
                                    (size_t)wasm_len,
                                    wasm_name && *wasm_name ? wasm_name : "clinsum.wasm",
                                    glue && glue_len ? glue : NULL,
                                    (size_t)glue_len};
        rc = cs_audit_bundle_build(&in, &b, &r);
    }
    free(log);
    free(seal);
    uint8_t *zip = NULL;
    size_t zl = 0;
    if (rc == CS_OK) rc = cs_audit_bundle_zip(&b, (int64_t)(mtime_ms / 1000), &zip, &zl);
    if (rc == CS_OK && r.problem == CS_AUDIT_INTACT && web.log) {
        const cs_audit_bundle_file *m = cs_audit_bundle_find(&b, "manifest.json");
        uint8_t h[32];
        cs_audit_sha256(m->data, m->len, h);
        size_t total = 0;
        for (size_t i = 0; i < b.n; i++) total += b.files[i].len;
        rc = cs_audit_exported(web.log, "audit_bundle", h, (int64_t)total);
        if (rc == CS_OK) rc = cs_web_audit_checkpoint();
    }
    cs_audit_bundle_free(&b);
    if (rc != CS_OK) {
        free(zip);
        return fail(rc), NULL;
    }
    web.result_len = zl;
    return zip;
}

/* ------------------------------------------------------------ plumbing */

/* Length of the last returned buffer (cs_web_audit_export_zip). */
EMSCRIPTEN_KEEPALIVE double cs_web_audit_result_len(void)
{
    return (double)web.result_len;
}

/* The error of the last failed call (a cs_err), and its message. */
EMSCRIPTEN_KEEPALIVE int cs_web_audit_last_error(void)
{
    return web.last_error;
}

EMSCRIPTEN_KEEPALIVE const char *cs_web_audit_strerror(int rc)
{
    return cs_strerror(rc);
}

EMSCRIPTEN_KEEPALIVE void cs_web_audit_free(void *p)
{
    free(p);
}
