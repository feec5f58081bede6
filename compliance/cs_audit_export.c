/*
 * cs_audit_export.c: builds the audit bundle: verification result, egress
 * attestation, the HTML report and a manifest, all from the log's hashes and
 * counts (the log holds nothing else).
 */
#include "cs_audit_export.h"

#include "cs_audit.h"
#include "cs_audit_fs.h"
#include "cs_audit_key.h"
#include "cs_audit_line.h"
#include "cs_buf.h"
#include "cs_err.h"
#include "cs_policy.h"
#include "cs_wasm_imports.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void cs_audit_bundle_free(cs_audit_bundle *b)
{
    if (!b) return;
    for (size_t i = 0; i < b->n; i++) free(b->files[i].data);
    b->n = 0;
}

const cs_audit_bundle_file *cs_audit_bundle_find(const cs_audit_bundle *b, const char *name)
{
    for (size_t i = 0; i < b->n; i++)
        if (!strcmp(b->files[i].name, name)) return &b->files[i];
    return NULL;
}

int cs_audit_bundle_write(const cs_audit_bundle *b, const char *dir)
{
    int rc = cs_audit_mkdirs(dir, 0755);
    for (size_t i = 0; i < b->n && rc == CS_OK; i++) {
        char path[4200];
        int n = snprintf(path, sizeof path, "%s/%s", dir, b->files[i].name);
        rc = n < 0 || (size_t)n >= sizeof path ? CS_ERR_LIMIT
                                               : cs_audit_write_atomic(path, b->files[i].data, b->files[i].len, 0644, 0);
    }
    return rc;
}

/* Adds a file, taking ownership of data (freed on failure). */
static int add(cs_audit_bundle *b, const char *name, char *data, size_t len)
{
    if (!data) return CS_ERR_NOMEM;
    if (b->n >= CS_AUDIT_BUNDLE_MAX_FILES) { free(data); return CS_ERR_LIMIT; }
    b->files[b->n++] = (cs_audit_bundle_file){name, data, len};
    return CS_OK;
}

static int add_copy(cs_audit_bundle *b, const char *name, const char *data, size_t len)
{
    char *p = malloc(len + 1);
    if (p) {
        memcpy(p, data, len);
        p[len] = '\0';
    }
    return add(b, name, p, len);
}

static int add_json(cs_audit_bundle *b, const char *name, cJSON *o)
{
    char *s = o ? cJSON_Print(o) : NULL;
    cJSON_Delete(o);
    return add(b, name, s, s ? strlen(s) : 0);
}

/* ------------------------------------------------------------ egress */

typedef struct {
    int checked;          /* a module was given and parsed */
    const char *error;    /* why not, if a module was given */
    cs_wasm_import *imports;
    size_t n_imports;
    size_t n_network;
    int minified;         /* import names are minified */
    int resolved;         /* imports named through the glue */
    int asm_network;      /* network tokens in the glue's EM_ASM code, -1 none */
    char sha256[65];
} wasm_facts;

/* What the attestation can claim: a parsed module whose imports (by name,
 * or by their JS names when minified) and embedded JS show no networking. */
static int no_network(const wasm_facts *w)
{
    return w->checked && w->n_network == 0 && (!w->minified || (size_t)w->resolved == w->n_imports) &&
           w->asm_network <= 0;
}

static void read_wasm(const cs_audit_bundle_input *in, wasm_facts *w)
{
    memset(w, 0, sizeof *w);
    if (!in->wasm) return;
    uint8_t h[32];
    cs_audit_sha256(in->wasm, in->wasm_len, h);
    cs_audit_hex(h, 32, w->sha256);
    if (cs_wasm_imports_parse(in->wasm, in->wasm_len, &w->imports, &w->n_imports) != CS_OK) {
        w->error = "not a well-formed WebAssembly module";
        return;
    }
    w->checked = 1;
    w->asm_network = -1;
    w->minified = cs_wasm_imports_minified(w->imports, w->n_imports);
    if (in->glue) {
        int k = cs_wasm_imports_resolve_glue(in->glue, in->glue_len, w->imports, w->n_imports);
        w->resolved = k > 0 ? k : 0;
        w->asm_network = cs_wasm_glue_asm_network_tokens(in->glue, in->glue_len);
    }
    for (size_t i = 0; i < w->n_imports; i++) w->n_network += w->imports[i].network;
}

static cJSON *egress_json(const cs_audit_bundle_input *in, const wasm_facts *w, const cs_audit_report *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "content_security_policy", CS_CONTENT_SECURITY_POLICY);
    cJSON *m = cJSON_AddObjectToObject(o, "wasm_module");
    if (!in->wasm) {
        cJSON_AddBoolToObject(m, "checked", 0);
        cJSON_AddStringToObject(m, "reason", "no WASM module was given (clinsum audit export --wasm PATH)");
    } else {
        cJSON_AddBoolToObject(m, "checked", w->checked);
        cJSON_AddStringToObject(m, "file", in->wasm_name ? in->wasm_name : "module.wasm");
        cJSON_AddStringToObject(m, "sha256", w->sha256);
        if (w->error) cJSON_AddStringToObject(m, "error", w->error);
        cJSON *arr = cJSON_AddArrayToObject(m, "imports");
        for (size_t i = 0; i < w->n_imports; i++) {
            cJSON *x = cJSON_CreateObject();
            cJSON_AddStringToObject(x, "module", w->imports[i].module);
            cJSON_AddStringToObject(x, "name", w->imports[i].name);
            if (w->imports[i].js_name) cJSON_AddStringToObject(x, "js_name", w->imports[i].js_name);
            cJSON_AddStringToObject(x, "kind", cs_wasm_import_kind_name(w->imports[i].kind));
            cJSON_AddBoolToObject(x, "network", w->imports[i].network);
            cJSON_AddItemToArray(arr, x);
        }
        cJSON_AddNumberToObject(m, "network_imports", (double)w->n_network);
        cJSON_AddBoolToObject(m, "names_minified", w->minified);
        cJSON *g = cJSON_AddObjectToObject(m, "js_glue");
        cJSON_AddBoolToObject(g, "given", in->glue != NULL);
        cJSON_AddNumberToObject(g, "imports_resolved", w->resolved);
        if (w->asm_network >= 0) cJSON_AddNumberToObject(g, "em_asm_network_tokens", w->asm_network);
    }
    cJSON *net = cJSON_AddObjectToObject(o, "network_events_in_log");
    cJSON_AddNumberToObject(net, "made", (double)r->n_network_made);
    cJSON_AddNumberToObject(net, "blocked", (double)r->n_network_blocked);
    cJSON_AddBoolToObject(o, "no_network_capability", no_network(w));
    return o;
}

/* ------------------------------------------------------------ HTML */

static void row(cs_buf *b, const char *k, const char *v)
{
    cs_buf_puts(b, "<tr><th scope=\"row\">");
    cs_buf_put_html_escaped(b, k);
    cs_buf_puts(b, "</th><td>");
    cs_buf_put_html_escaped(b, v);
    cs_buf_puts(b, "</td></tr>\n");
}

static void row_u(cs_buf *b, const char *k, unsigned long long v)
{
    char s[32];
    snprintf(s, sizeof s, "%llu", v);
    row(b, k, s);
}

static char *report_html(const cs_audit_bundle_input *in, const wasm_facts *w, const cs_audit_report *r)
{
    cs_buf b = {0};
    char when[64], kid[17] = "-", buf[320];
    cs_audit_format_utc((int64_t)time(NULL), 0, when);
    int ok = r->problem == CS_AUDIT_INTACT;
    cs_buf_puts(&b,
                "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
                "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
                "<title>clinsum audit report</title>\n<style>\n"
                "body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#111}\n"
                "table{border-collapse:collapse;margin:.5rem 0 1.5rem}th,td{border:1px solid #bbb;padding:.25rem .6rem;text-align:left;vertical-align:top}\n"
                "th{background:#f2f2f2}.ok{background:#e6f4ea;border:2px solid #1e7e34}.bad{background:#fdecea;border:2px solid #b00020}\n"
                ".verdict{padding:1rem;font-size:1.2rem}code{font-size:.9rem;word-break:break-all}\n"
                "</style></head><body>\n<h1>clinsum audit report</h1>\n");
    cs_buf_printf(&b, "<p>Generated %s. The log records what clinsum did to each document as hashes, counts and "
                      "settings; it contains no patient data.</p>\n", when);
    cs_buf_printf(&b, "<div class=\"verdict %s\" role=\"status\"><strong>%s</strong>", ok ? "ok" : "bad",
                  ok ? "Log intact." : "Log FAILED verification.");
    if (!ok) {
        snprintf(buf, sizeof buf, " First bad event: seq %llu (%s). ", (unsigned long long)r->bad_seq,
                 cs_audit_problem_name(r->problem));
        cs_buf_put_html_escaped(&b, buf);
        cs_buf_put_html_escaped(&b, r->detail);
    } else {
        cs_buf_puts(&b, " Every event is chained to the one before it, every checkpoint signature is valid and the "
                        "seal matches.");
    }
    cs_buf_puts(&b, "</div>\n<h2>Verification</h2>\n<table>\n");
    row_u(&b, "Events", r->n_events);
    row_u(&b, "Last sequence number", r->last_seq);
    row_u(&b, "Signed checkpoints", r->n_checkpoints);
    row_u(&b, "Last checkpoint (seq)", r->last_checkpoint_seq);
    row_u(&b, "Events after the last checkpoint (not yet signed)", r->unsigned_tail);
    row_u(&b, "Incomplete final line ignored (bytes)", r->torn_bytes);
    row(&b, "Seal", r->seal_present ? "present" : "absent");
    if (r->key_known) cs_audit_key_id(r->key, kid);
    row(&b, "Signing key fingerprint", kid);
    row(&b, "Key checked against",
        r->key_trusted ? "a key supplied by the verifier" : "the key named in the log (compare audit-ed25519.pub with the key you hold)");
    cs_buf_puts(&b, "</table>\n<h2>Events by type</h2>\n<table>\n");
    for (int t = CS_AUDIT_DOCUMENT_OPENED; t <= CS_AUDIT_RECOVERED; t++)
        row_u(&b, cs_audit_type_name((cs_audit_type)t), r->n_by_type[t]);
    cs_buf_puts(&b, "</table>\n<h2>Egress attestation</h2>\n<table>\n");
    row(&b, "Content-Security-Policy served by the app", CS_CONTENT_SECURITY_POLICY);
    row_u(&b, "Network requests made (logged)", r->n_network_made);
    row_u(&b, "Network requests blocked (logged)", r->n_network_blocked);
    if (!in->wasm) {
        row(&b, "WASM module", "not checked: no module was given");
    } else {
        row(&b, "WASM module", in->wasm_name ? in->wasm_name : "module.wasm");
        row(&b, "WASM module SHA-256", w->sha256);
        if (w->error) row(&b, "WASM module", w->error);
        else {
            row_u(&b, "Imports", w->n_imports);
            if (w->minified)
                row(&b, "Import names", (size_t)w->resolved == w->n_imports
                                            ? "minified; all resolved through the JS glue"
                                            : "minified and not all resolved: give the JS glue to check them");
            row(&b, "Imports that look like networking", w->n_network ? "SOME (see below)" : "none");
            if (w->asm_network >= 0)
                row(&b, "Network APIs in embedded JavaScript (EM_ASM)", w->asm_network ? "SOME" : "none");
            row(&b, "Verdict", no_network(w) ? "the module has no way to reach the network"
                                             : "not shown: see the rows above");
        }
    }
    cs_buf_puts(&b, "</table>\n");
    if (w->n_imports) {
        cs_buf_puts(&b, "<table>\n<caption>Every function and object the WASM module imports from its host</caption>\n"
                        "<tr><th scope=\"col\">module</th><th scope=\"col\">name</th><th scope=\"col\">JS function</th>"
                        "<th scope=\"col\">kind</th><th scope=\"col\">network</th></tr>\n");
        for (size_t i = 0; i < w->n_imports; i++) {
            cs_buf_puts(&b, "<tr><td>");
            cs_buf_put_html_escaped(&b, w->imports[i].module);
            cs_buf_puts(&b, "</td><td>");
            cs_buf_put_html_escaped(&b, w->imports[i].name);
            cs_buf_puts(&b, "</td><td>");
            cs_buf_put_html_escaped(&b, w->imports[i].js_name ? w->imports[i].js_name : "-");
            cs_buf_printf(&b, "</td><td>%s</td><td>%s</td></tr>\n", cs_wasm_import_kind_name(w->imports[i].kind),
                          w->imports[i].network ? "<strong>yes</strong>" : "no");
        }
        cs_buf_puts(&b, "</table>\n");
    }
    cs_buf_puts(&b, "<h2>Re-check it yourself</h2>\n<p><code>clinsum audit verify audit.jsonl --key "
                    "audit-ed25519.pub</code> exits 0 only when the log is intact. manifest.json lists the SHA-256 "
                    "of every file in this bundle.</p>\n</body></html>\n");
    /* cs_buf appends fail only on OOM; then the buffer stays short: detect it. */
    if (!b.data || !strstr(b.data, "</html>")) { cs_buf_free(&b); return NULL; }
    return cs_buf_take(&b);
}

/* ------------------------------------------------------------ bundle */

int cs_audit_bundle_build(const cs_audit_bundle_input *in, cs_audit_bundle *out, cs_audit_report *r)
{
    memset(out, 0, sizeof *out);
    int rc = cs_audit_verify(in->log, in->log_len, in->seal, in->seal_len, in->trusted_pk, r);
    if (rc != CS_OK && rc != CS_ERR_TAMPERED) return rc;
    wasm_facts w;
    read_wasm(in, &w);
    rc = add_copy(out, "audit.jsonl", in->log, in->log_len);
    if (rc == CS_OK && in->seal) rc = add_copy(out, "audit.jsonl.seal", in->seal, in->seal_len);
    if (rc == CS_OK && r->key_known) {
        char hex[66];
        cs_audit_hex(r->key, 32, hex);
        hex[64] = '\n';
        rc = add_copy(out, "audit-ed25519.pub", hex, 65);
    }
    if (rc == CS_OK) {
        char *v = cs_audit_report_json(r);
        rc = add(out, "verification.json", v, v ? strlen(v) : 0);
    }
    if (rc == CS_OK) rc = add_json(out, "egress.json", egress_json(in, &w, r));
    if (rc == CS_OK) {
        char *h = report_html(in, &w, r);
        rc = add(out, "report.html", h, h ? strlen(h) : 0);
    }
    if (rc == CS_OK) {
        cJSON *m = cJSON_CreateObject();
        cJSON *files = cJSON_AddObjectToObject(m, "sha256");
        for (size_t i = 0; i < out->n; i++) {
            uint8_t h[32];
            char hex[65];
            cs_audit_sha256(out->files[i].data, out->files[i].len, h);
            cs_audit_hex(h, 32, hex);
            cJSON_AddStringToObject(files, out->files[i].name, hex);
        }
        rc = add_json(out, "manifest.json", m);
    }
    cs_wasm_imports_free(w.imports, w.n_imports);
    if (rc != CS_OK) cs_audit_bundle_free(out);
    return rc;
}
