/* test_audit_export.c: the WASM import-section reader and the audit bundle. */
#include "audit_testutil.h"
#include "cs_audit.h"
#include "cs_audit_export.h"
#include "cs_err.h"
#include "cs_policy.h"
#include "cs_wasm_imports.h"

#include <criterion/criterion.h>

/* A module with a type section, then imports: env.fd_write (func),
 * env.memory (memory, min 1 max 2), env.__syscall_connect (func),
 * env.g (global i32 mutable), env.t (table funcref min 0). */
static const uint8_t module[] = {
    0, 'a', 's', 'm', 1, 0, 0, 0,
    1, 4, 1, 0x60, 0, 0, /* type section: one () -> () */
    2, 74, 5,
    3, 'e', 'n', 'v', 8, 'f', 'd', '_', 'w', 'r', 'i', 't', 'e', 0, 0,
    3, 'e', 'n', 'v', 6, 'm', 'e', 'm', 'o', 'r', 'y', 2, 1, 1, 2,
    3, 'e', 'n', 'v', 17, '_', '_', 's', 'y', 's', 'c', 'a', 'l', 'l', '_', 'c', 'o', 'n', 'n', 'e', 'c', 't', 0, 0,
    3, 'e', 'n', 'v', 1, 'g', 3, 0x7f, 1,
    3, 'e', 'n', 'v', 1, 't', 1, 0x70, 0, 0,
    0, 3, 1, 'x', 9, /* a custom section after it */
};

Test(wasm_imports, lists_every_import_and_flags_network)
{
    cs_wasm_import *v;
    size_t n;
    cr_assert_eq(cs_wasm_imports_parse(module, sizeof module, &v, &n), CS_OK);
    cr_assert_eq(n, 5);
    cr_assert_str_eq(v[0].module, "env");
    cr_assert_str_eq(v[0].name, "fd_write");
    cr_assert_eq(v[0].kind, CS_WASM_IMPORT_FUNC);
    cr_assert_not(v[0].network);
    cr_assert_eq(v[1].kind, CS_WASM_IMPORT_MEMORY);
    cr_assert_str_eq(v[2].name, "__syscall_connect");
    cr_assert(v[2].network);
    cr_assert_eq(v[3].kind, CS_WASM_IMPORT_GLOBAL);
    cr_assert_eq(v[4].kind, CS_WASM_IMPORT_TABLE);
    cr_assert_str_eq(cs_wasm_import_kind_name(v[4].kind), "table");
    cs_wasm_imports_free(v, n);
}

Test(wasm_imports, every_truncation_is_an_error_not_a_crash)
{
    for (size_t len = 0; len < sizeof module - 5; len++) {
        cs_wasm_import *v;
        size_t n;
        int rc = cs_wasm_imports_parse(module, len, &v, &n);
        if (len == 8 || len == 14) { /* header only / header + type section: no imports */
            cr_assert_eq(rc, CS_OK, "len %zu", len);
            cr_assert_eq(n, 0);
        } else {
            cr_assert_eq(rc, CS_ERR_FORMAT, "len %zu", len);
            cr_assert_null(v);
        }
    }
}

Test(wasm_imports, rejects_bad_headers_and_lebs)
{
    cs_wasm_import *v;
    size_t n;
    uint8_t bad[sizeof module];
    memcpy(bad, module, sizeof module);
    bad[1] = 'b';
    cr_assert_eq(cs_wasm_imports_parse(bad, sizeof bad, &v, &n), CS_ERR_FORMAT);
    static const uint8_t overlong[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 2, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
    cr_assert_eq(cs_wasm_imports_parse(overlong, sizeof overlong, &v, &n), CS_ERR_FORMAT);
    static const uint8_t huge_count[] = {0, 'a', 's', 'm', 1, 0, 0, 0, 2, 5, 0xff, 0xff, 0xff, 0xff, 0x0f};
    cr_assert_eq(cs_wasm_imports_parse(huge_count, sizeof huge_count, &v, &n), CS_ERR_FORMAT);
    cr_assert_eq(cs_wasm_imports_parse(NULL, 0, &v, &n), CS_ERR_FORMAT);
}

Test(wasm_imports, network_heuristic)
{
    cr_assert(cs_wasm_import_is_network("env", "emscripten_fetch"));
    cr_assert(cs_wasm_import_is_network("env", "__syscall_socket"));
    cr_assert(cs_wasm_import_is_network("env", "emscripten_websocket_new"));
    cr_assert(cs_wasm_import_is_network("env", "getaddrinfo"));
    cr_assert(cs_wasm_import_is_network("xhr", "open"));
    cr_assert_not(cs_wasm_import_is_network("wasi_snapshot_preview1", "fd_write"));
    cr_assert_not(cs_wasm_import_is_network("env", "emscripten_memcpy_big"));
    cr_assert_not(cs_wasm_import_is_network("env", "__syscall_openat"));
}

/* Minified names ("a"."a") mean nothing until the glue names them. */
static const uint8_t minified[] = {
    0, 'a', 's', 'm', 1, 0, 0, 0,
    2, 19, 3,
    1, 'a', 1, 'a', 0, 0,
    1, 'a', 1, 'b', 0, 0,
    1, 'a', 1, 'c', 0, 0,
};
static const char glue[] =
    "var x=1;var ASM_CONSTS={70876:function(){return Module.getRandomValue()}};\n"
    "var asmLibraryArg={\"a\":_fd_write,\"b\":___syscall_openat,\"c\":_emscripten_fetch};var y;";

Test(wasm_imports, minified_names_resolved_through_the_glue)
{
    cs_wasm_import *v;
    size_t n;
    cr_assert_eq(cs_wasm_imports_parse(minified, sizeof minified, &v, &n), CS_OK);
    cr_assert_eq(n, 3);
    cr_assert(cs_wasm_imports_minified(v, n));
    cr_assert_not(v[2].network, "a.c says nothing by itself");
    cr_assert_eq(cs_wasm_imports_resolve_glue(glue, sizeof glue - 1, v, n), 3);
    cr_assert_str_eq(v[0].js_name, "_fd_write");
    cr_assert_str_eq(v[1].js_name, "___syscall_openat");
    cr_assert_not(v[1].network);
    cr_assert(v[2].network, "_emscripten_fetch is networking");
    cs_wasm_imports_free(v, n);
    cr_assert_eq(cs_wasm_glue_asm_network_tokens(glue, sizeof glue - 1), 0);
    static const char bad[] = "var ASM_CONSTS = {1: function(){ fetch('https://x.org/'+y) }, 2: function(){ new WebSocket(u) }};";
    cr_assert_eq(cs_wasm_glue_asm_network_tokens(bad, sizeof bad - 1), 2);
    cr_assert_eq(cs_wasm_glue_asm_network_tokens("var a = 1;", 10), -1);
    /* Unminified modules are not "minified"; an unknown glue resolves nothing. */
    cr_assert_eq(cs_wasm_imports_parse(module, sizeof module, &v, &n), CS_OK);
    cr_assert_not(cs_wasm_imports_minified(v, n));
    cr_assert_eq(cs_wasm_imports_resolve_glue("nothing here", 12, v, n), 0);
    cs_wasm_imports_free(v, n);
}

static char dir[256], logp[300], keyd[300];

static void setup(void)
{
    snprintf(dir, sizeof dir, "%s", tu_tmpdir());
    snprintf(logp, sizeof logp, "%s/audit.jsonl", dir);
    snprintf(keyd, sizeof keyd, "%s/keys", dir);
    cs_audit_options o = {.key_dir = keyd, .no_fsync = 1};
    cs_audit *a;
    cr_assert_eq(cs_audit_open(logp, &o, &a), CS_OK);
    cr_assert_eq(cs_audit_document_opened(a, "x", 1, "text"), CS_OK);
    cr_assert_eq(cs_audit_network(a, "https://a.example", 0), CS_OK);
    cr_assert_eq(cs_audit_network(a, "https://b.example", 1), CS_OK);
    cr_assert_eq(cs_audit_close(a), CS_OK);
}

static void teardown(void) { tu_rm_rf(dir); }

Test(bundle, builds_every_file_with_a_manifest, .init = setup, .fini = teardown)
{
    size_t len, seal_len;
    char *log = tu_read(logp, &len);
    char sealp[320];
    snprintf(sealp, sizeof sealp, "%s.seal", logp);
    char *seal = tu_read(sealp, &seal_len);
    cs_audit_bundle_input in = {log, len, seal, seal_len, NULL, module, sizeof module, "app.wasm", NULL, 0};
    cs_audit_bundle b;
    cs_audit_report r;
    cr_assert_eq(cs_audit_bundle_build(&in, &b, &r), CS_OK);
    cr_assert_eq(r.problem, CS_AUDIT_INTACT, "%s", r.detail);
    static const char *names[] = {"audit.jsonl", "audit.jsonl.seal", "audit-ed25519.pub", "verification.json",
                                  "egress.json", "report.html", "manifest.json"};
    cr_assert_eq(b.n, 7);
    for (size_t i = 0; i < 7; i++) cr_assert_not_null(cs_audit_bundle_find(&b, names[i]), "%s", names[i]);
    cr_assert_null(cs_audit_bundle_find(&b, "nope"));
    const cs_audit_bundle_file *f = cs_audit_bundle_find(&b, "audit.jsonl");
    cr_assert_eq(f->len, len);
    cr_assert_arr_eq(f->data, log, len);

    const char *eg = cs_audit_bundle_find(&b, "egress.json")->data;
    cr_assert_not_null(strstr(eg, CS_CONTENT_SECURITY_POLICY));
    cr_assert_not_null(strstr(eg, "\"__syscall_connect\""));
    cr_assert_not_null(strstr(eg, "\"network_imports\":\t1"), "%s", eg);
    cr_assert_not_null(strstr(eg, "\"no_network_capability\":\tfalse"));
    cr_assert_not_null(strstr(eg, "\"made\":\t1"));
    cr_assert_not_null(strstr(eg, "\"blocked\":\t1"));

    const char *html = cs_audit_bundle_find(&b, "report.html")->data;
    cr_assert_not_null(strstr(html, "Log intact."));
    cr_assert_not_null(strstr(html, "__syscall_connect"));
    cr_assert_null(strstr(html, "src="));
    cr_assert_null(strstr(html, "href="));

    /* The manifest lists the SHA-256 of each other file. */
    const char *man = cs_audit_bundle_find(&b, "manifest.json")->data;
    uint8_t h[32];
    char hex[65];
    cs_audit_sha256(html, strlen(html), h);
    cs_audit_hex(h, 32, hex);
    cr_assert_not_null(strstr(man, hex));
    /* Written to a directory that does not exist yet, file by file. */
    char out[400], path[480];
    snprintf(out, sizeof out, "%s/a/b/bundle", dir);
    cr_assert_eq(cs_audit_bundle_write(&b, out), CS_OK);
    for (size_t i = 0; i < b.n; i++) {
        snprintf(path, sizeof path, "%s/%s", out, b.files[i].name);
        size_t got;
        char *d = tu_read(path, &got);
        cr_assert_not_null(d, "%s", path);
        cr_assert_eq(got, b.files[i].len);
        cr_assert_arr_eq(d, b.files[i].data, got);
        free(d);
    }
    cs_audit_bundle_free(&b);
    cr_assert_eq(b.n, 0);
    free(log);
    free(seal);
}

Test(bundle, documents_a_tampered_log, .init = setup, .fini = teardown)
{
    size_t len;
    char *log = tu_read(logp, &len);
    char *p = strstr(log, "\"size\":1");
    cr_assert_not_null(p);
    p[7] = '2';
    const uint8_t junk[] = {1, 2, 3};
    cs_audit_bundle_input in = {.log = log, .log_len = len, .wasm = junk, .wasm_len = 3, .wasm_name = "x.wasm"};
    cs_audit_bundle b;
    cs_audit_report r;
    cr_assert_eq(cs_audit_bundle_build(&in, &b, &r), CS_OK);
    cr_assert_eq(r.problem, CS_AUDIT_MODIFIED);
    cr_assert_eq(r.bad_seq, 1);
    cr_assert_null(cs_audit_bundle_find(&b, "audit.jsonl.seal"));
    cr_assert_not_null(strstr(cs_audit_bundle_find(&b, "report.html")->data, "FAILED"));
    cr_assert_not_null(strstr(cs_audit_bundle_find(&b, "verification.json")->data, "\"intact\":false"));
    cr_assert_not_null(strstr(cs_audit_bundle_find(&b, "egress.json")->data, "not a well-formed"));
    cs_audit_bundle_free(&b);

    /* A minified module attests nothing without its glue, and flags the
     * fetch import once the glue names it. */
    cs_audit_bundle_input m = {.log = log, .log_len = len, .wasm = minified, .wasm_len = sizeof minified};
    cr_assert_eq(cs_audit_bundle_build(&m, &b, &r), CS_OK);
    cr_assert_not_null(strstr(cs_audit_bundle_find(&b, "egress.json")->data, "\"no_network_capability\":\tfalse"));
    cr_assert_not_null(strstr(cs_audit_bundle_find(&b, "report.html")->data, "not all resolved"));
    cs_audit_bundle_free(&b);
    m.glue = glue;
    m.glue_len = sizeof glue - 1;
    cr_assert_eq(cs_audit_bundle_build(&m, &b, &r), CS_OK);
    const char *eg = cs_audit_bundle_find(&b, "egress.json")->data;
    cr_assert_not_null(strstr(eg, "\"js_name\":\t\"_emscripten_fetch\""), "%s", eg);
    cr_assert_not_null(strstr(eg, "\"network_imports\":\t1"));
    cs_audit_bundle_free(&b);
    free(log);
}
