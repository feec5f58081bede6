/*
 * cmd_audit.c: `clinsum audit verify LOG [--key PUB] [--json]` and
 * `clinsum audit export LOG (--out DIR | --zip FILE) [--key PUB] [--wasm PATH]`
 * (PATH's emscripten glue, the .js beside it, is read too when present;
 * --zip writes the same files as one stored ZIP, as the browser exports).
 *
 * verify exits 0 only when the log is intact; otherwise it prints the first
 * bad event's sequence number and what happened there, and exits 1.
 * export writes the bundle (cs_audit_export.h) and records an "exported"
 * event in the log when the log is signed with this machine's key.
 */
#include "commands.h"
#include "cs_audit.h"
#include "cs_audit_export.h"
#include "cs_audit_key.h"
#include "cs_audit_verify.h"
#include "cs_err.h"
#include "cs_fileio.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LOG_CAP ((size_t)1 << 31)
#define WASM_CAP ((size_t)256 << 20)

static void print_summary(const char *log, const cs_audit_report *r)
{
    char kid[17] = "-";
    if (r->key_known) cs_audit_key_id(r->key, kid);
    if (r->problem == CS_AUDIT_INTACT) {
        printf("%s: intact: %llu events, %llu checkpoints (last at seq %llu), %llu unsigned after it, "
               "key %s (%s)\n",
               log, (unsigned long long)r->n_events, (unsigned long long)r->n_checkpoints,
               (unsigned long long)r->last_checkpoint_seq, (unsigned long long)r->unsigned_tail, kid,
               r->key_trusted ? "trusted" : "named in the log; pass --key to check it");
        if (r->torn_bytes)
            printf("%s: note: %zu bytes of an interrupted final write are ignored\n", log, r->torn_bytes);
    } else {
        printf("%s: FAILED: first bad event seq %llu: %s: %s\n", log, (unsigned long long)r->bad_seq,
               cs_audit_problem_name(r->problem), r->detail);
    }
}

static int read_optional(const char *path, size_t cap, uint8_t **data, size_t *len)
{
    struct stat st;
    if (stat(path, &st) != 0 && errno == ENOENT) {
        *data = NULL;
        *len = 0;
        return CS_OK;
    }
    return cs_read_file(path, cap, data, len);
}

static int cmd_verify(int argc, char **argv)
{
    const char *log = NULL, *key = NULL;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--key") && i + 1 < argc) key = argv[++i];
        else if (!strcmp(argv[i], "--json")) json = 1;
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "clinsum audit verify: unknown option '%s'\n", argv[i]);
            return 2;
        } else log = argv[i];
    }
    if (!log) { fprintf(stderr, "usage: clinsum audit verify LOG [--key PUB] [--json]\n"); return 2; }
    cs_audit_report r;
    int rc = cs_audit_verify_file(log, key, &r);
    if (rc != CS_OK && rc != CS_ERR_TAMPERED) {
        /* Which file failed: the key if it cannot be read, else the log. */
        uint8_t pk[32];
        cs_cli_error(key && cs_audit_pubkey_read(key, pk) != CS_OK ? key : log, rc);
        return 1;
    }
    if (json) {
        char *s = cs_audit_report_json(&r);
        if (!s) { cs_cli_error(log, CS_ERR_NOMEM); return 1; }
        puts(s);
        free(s);
    } else {
        print_summary(log, &r);
    }
    if (rc == CS_ERR_TAMPERED) {
        fprintf(stderr, "clinsum: %s: %s at seq %llu\n", log, cs_strerror(rc), (unsigned long long)r.bad_seq);
        return 1;
    }
    return 0;
}

/* The app's WASM module next to the build, if one is there. */
static const char *find_wasm(char *buf, size_t cap)
{
    const char *env = getenv("CLINSUM_WASM");
    if (env && *env) return env;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return NULL;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash) return NULL;
    *slash = '\0';
    static const char *rel[] = {"../../wasm/ui/clinsum.wasm", "../../wasm/app/clinsum.wasm", "../share/clinsum/clinsum.wasm",
                                "clinsum.wasm"};
    for (size_t i = 0; i < sizeof rel / sizeof *rel; i++) {
        snprintf(buf, cap, "%s/%s", exe, rel[i]);
        if (access(buf, R_OK) == 0) return buf;
    }
    return NULL;
}

static int cmd_export(int argc, char **argv)
{
    const char *log = NULL, *out = NULL, *zip = NULL, *key = NULL, *wasm = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--out") && i + 1 < argc) out = argv[++i];
        else if (!strcmp(argv[i], "--zip") && i + 1 < argc) zip = argv[++i];
        else if (!strcmp(argv[i], "--key") && i + 1 < argc) key = argv[++i];
        else if (!strcmp(argv[i], "--wasm") && i + 1 < argc) wasm = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "clinsum audit export: unknown option '%s'\n", argv[i]);
            return 2;
        } else log = argv[i];
    }
    if (!log || (!out && !zip)) {
        fprintf(stderr, "usage: clinsum audit export LOG (--out DIR | --zip FILE) [--key PUB] [--wasm PATH]\n");
        return 2;
    }
    char found[PATH_MAX + 64];
    if (!wasm) wasm = find_wasm(found, sizeof found);

    uint8_t *data = NULL, *seal = NULL, *mod = NULL, *glue = NULL, pk[32];
    size_t len = 0, seal_len = 0, mod_len = 0, glue_len = 0;
    char glue_path[PATH_MAX + 64] = "";
    char seal_path[PATH_MAX + 8];
    snprintf(seal_path, sizeof seal_path, "%s.seal", log);
    const char *bad = log;
    int rc = cs_read_file(log, LOG_CAP, &data, &len);
    if (rc == CS_OK) rc = read_optional(seal_path, 4096, &seal, &seal_len), bad = seal_path;
    if (rc == CS_OK && key) rc = cs_audit_pubkey_read(key, pk), bad = key;
    if (rc == CS_OK && wasm) rc = cs_read_file(wasm, WASM_CAP, &mod, &mod_len), bad = wasm;
    /* emscripten's glue beside the module (x.wasm -> x.js) names minified imports. */
    size_t wl = wasm ? strlen(wasm) : 0;
    if (rc == CS_OK && wl > 5 && !strcmp(wasm + wl - 5, ".wasm") && wl < sizeof glue_path) {
        snprintf(glue_path, sizeof glue_path, "%.*s.js", (int)(wl - 5), wasm);
        rc = read_optional(glue_path, WASM_CAP, &glue, &glue_len), bad = glue_path;
    }
    if (rc != CS_OK) {
        cs_cli_error(bad, rc == CS_ERR_NOT_FOUND ? CS_ERR_IO : rc);
        free(data), free(seal), free(mod), free(glue);
        return 1;
    }
    const char *wasm_name = wasm ? (strrchr(wasm, '/') ? strrchr(wasm, '/') + 1 : wasm) : NULL;
    cs_audit_bundle_input in = {(const char *)data, len, (const char *)seal, seal_len, key ? pk : NULL,
                                mod, mod_len, wasm_name, (const char *)glue, glue_len};
    cs_audit_bundle b;
    cs_audit_report r;
    rc = cs_audit_bundle_build(&in, &b, &r);
    free(data), free(seal), free(mod), free(glue);
    if (rc != CS_OK) { cs_cli_error(log, rc); return 1; }

    size_t total = 0;
    for (size_t i = 0; i < b.n; i++) total += b.files[i].len;
    if (out && (rc = cs_audit_bundle_write(&b, out)) != CS_OK) {
        cs_audit_bundle_free(&b);
        cs_cli_error(out, rc);
        return 1;
    }
    if (zip) {
        uint8_t *z = NULL;
        size_t zl = 0;
        rc = cs_audit_bundle_zip(&b, (int64_t)time(NULL), &z, &zl);
        if (rc == CS_OK) rc = cs_write_file_atomic(zip, z, zl);
        free(z);
        if (rc != CS_OK) { cs_audit_bundle_free(&b); cs_cli_error(zip, rc); return 1; }
    }
    uint8_t manifest[32];
    const cs_audit_bundle_file *m = cs_audit_bundle_find(&b, "manifest.json");
    cs_audit_sha256(m->data, m->len, manifest);
    cs_audit_bundle_free(&b);

    /* Record the export in the log itself, but only in an intact log this
     * machine signs: appending to someone else's log would mix keys, and
     * extending a broken chain would bury the break. */
    uint8_t local_pk[32], local_sk[64];
    int own = r.problem == CS_AUDIT_INTACT && cs_audit_key_load_or_create(NULL, local_pk, local_sk) == CS_OK &&
              (!r.key_known || !memcmp(r.key, local_pk, 32));
    memset(local_sk, 0, sizeof local_sk);
    if (own) {
        cs_audit *a;
        rc = cs_audit_open(log, NULL, &a);
        if (rc == CS_OK) rc = cs_audit_exported(a, "audit_bundle", manifest, (int64_t)total);
        int rc2 = cs_audit_close(a);
        if (rc == CS_OK) rc = rc2;
        if (rc != CS_OK) { cs_cli_error(log, rc); return 1; }
    } else if (r.problem == CS_AUDIT_INTACT) {
        fprintf(stderr, "clinsum: %s: note: signed by another key; the export is not recorded in it\n", log);
    }
    print_summary(log, &r);
    if (out) printf("%s: bundle written to %s\n", log, out);
    if (zip) printf("%s: bundle written to %s (zip)\n", log, zip);
    if (r.problem != CS_AUDIT_INTACT) {
        fprintf(stderr, "clinsum: %s: %s at seq %llu (bundle written)\n", log, cs_strerror(CS_ERR_TAMPERED),
                (unsigned long long)r.bad_seq);
        return 1;
    }
    return 0;
}

int cmd_audit(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "verify")) return cmd_verify(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "export")) return cmd_export(argc - 1, argv + 1);
    fprintf(stderr, "usage: clinsum audit verify LOG [--key PUB] [--json]\n"
                    "       clinsum audit export LOG (--out DIR | --zip FILE) [--key PUB] [--wasm PATH]\n");
    return 2;
}
