/* test_web_audit.c: the browser's audit entry points (app/wasm_web_audit.c)
 * compiled natively, so ASan/UBSan see them too: URL -> origin reduction,
 * refused values, verification and the ZIP export.  The WASM build of the
 * same file is tested under node by tests/wasm/web_audit.sh. */
#include "wasm_web_audit.h"

#include "audit_testutil.h"
#include "cs_audit_verify.h"
#include "cs_err.h"

#include <criterion/criterion.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>


static char dir[300], logp[400], keyd[400];

static void setup(void)
{
    snprintf(dir, sizeof dir, "%s", tu_tmpdir());
    snprintf(logp, sizeof logp, "%s/audit.jsonl", dir);
    snprintf(keyd, sizeof keyd, "%s/keys", dir);
    cr_assert_eq(cs_web_audit_open(logp, keyd, NULL, 0), CS_OK);
}

static void teardown(void)
{
    cs_web_audit_close();
    tu_rm_rf(dir);
}

/* The origin the last network event recorded, or "" when none. */
static const char *last_origin(void)
{
    static char o[200];
    o[0] = '\0';
    char *log = tu_read(logp, NULL);
    const char *p = log, *hit = NULL;
    while ((p = strstr(p, "\"origin\":\""))) hit = p, p++;
    if (hit) {
        hit += strlen("\"origin\":\"");
        size_t n = strcspn(hit, "\"");
        snprintf(o, sizeof o, "%.*s", (int)n, hit);
    }
    free(log);
    return o;
}

Test(web_audit, urls_become_origins, .init = setup, .fini = teardown)
{
    static const char *cases[][2] = {
        {"http://127.0.0.1:8765/clinsum_web.wasm", "http://127.0.0.1:8765"},
        {"HTTPS://Example.COM/path?q=Smith#frag", "https://example.com"},
        {"https://user:secret@example.com:443/x", "https://example.com"},
        {"http://a@b@host.example:8080", "http://host.example:8080"},
        {"http://example.com:80/", "http://example.com"},
        {"http://example.com:/", "http://example.com"},
        {"wss://chat.example.org/socket", "wss://chat.example.org"},
        {"ws://[::1]:9000/x", "ws://[::1]:9000"},
        {"https://[2001:db8::1]/", "https://[2001:db8::1]"},
        {"http://192.0.2.1/pixel.png", "http://192.0.2.1"},
        {"https://example.com?only=query", "https://example.com"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cr_assert_eq(cs_web_audit_network(cases[i][0], (int)(i & 1)), CS_OK, "%s", cases[i][0]);
        cr_assert_str_eq(last_origin(), cases[i][1], "%s", cases[i][0]);
    }
    char *log = tu_read(logp, NULL);
    cr_assert_null(strstr(log, "Smith"));
    cr_assert_null(strstr(log, "secret"));
    cr_assert_null(strstr(log, "pixel"));
    free(log);
}

Test(web_audit, non_network_urls_are_skipped_and_bad_ones_refused, .init = setup, .fini = teardown)
{
    static const char *skip[] = {"data:text/plain,Smith", "blob:http://127.0.0.1/abc", "about:blank", "/relative",
                                 "inline", "eval", "", "ftp://example.com/", "file:///etc/passwd",
                                 "chrome-extension://abc/x"};
    for (size_t i = 0; i < sizeof skip / sizeof *skip; i++)
        cr_assert_eq(cs_web_audit_network(skip[i], 0), 1, "%s", skip[i]);
    static const char *bad[] = {"http:///nohost", "http://exa mple.com/", "http://example.com:123456/",
                                "http://ex\"ample.com/", "http://[zz::1]/", "http://example.com:8a/"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        cr_assert_eq(cs_web_audit_network(bad[i], 0), CS_ERR_INVALID, "%s", bad[i]);
    char long_host[300] = "http://";
    memset(long_host + 7, 'a', 250);
    cr_assert_eq(cs_web_audit_network(long_host, 0), CS_ERR_INVALID);
    cr_assert_eq(cs_web_audit_network(NULL, 0), CS_ERR_INVALID);
    cr_assert_eq(cs_web_audit_last_seq(), 0, "nothing written");
}

Test(web_audit, pipeline_events_verify_and_export, .init = setup, .fini = teardown)
{
    const char *doc = "Patient Zebulon Quackenbush, MRN 99887766";
    cr_assert_eq(cs_web_audit_document_opened((const uint8_t *)doc, (int)strlen(doc), "text"), CS_OK);
    cr_assert_eq(cs_web_audit_parsed(3, "text"), CS_OK);
    cr_assert_eq(cs_web_audit_redacted("mask", "{\"NAME\":1,\"ID\":1,\"DATE\":0}"), CS_OK);
    cr_assert_eq(cs_web_audit_model_loaded("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
                                           "llama", "Q8_0"),
                 CS_OK);
    cr_assert_eq(cs_web_audit_summary_produced((const uint8_t *)"- stable", 8, 10, 5, 1, 2, 3.9, 0), CS_OK);
    cr_assert_eq(cs_web_audit_exported("summary", (const uint8_t *)"- stable", 8), CS_OK);
    cr_assert_eq(cs_web_audit_checkpoint(), CS_OK);
    cr_assert_eq(cs_web_audit_last_seq(), 7);
    cr_assert_eq(strlen(cs_web_audit_public_key()), 64);

    char *j = cs_web_audit_verify_json();
    cr_assert_not_null(j);
    cr_assert_not_null(strstr(j, "\"intact\":true"), "%s", j);
    cr_assert_not_null(strstr(j, "trusted key"));
    cs_web_audit_free(j);

    static const uint8_t not_wasm[] = {1, 2, 3};
    uint8_t *zip = cs_web_audit_export_zip(not_wasm, 3, "clinsum_web.wasm", NULL, 0, 1795578611000.0);
    cr_assert_not_null(zip);
    size_t zl = (size_t)cs_web_audit_result_len();
    cr_assert_gt(zl, 1000);
    cr_assert_eq(memcmp(zip, "PK\3\4", 4), 0);
    cr_assert_eq(memcmp(zip + zl - 22, "PK\5\6", 4), 0);
    cs_web_audit_free(zip);
    cr_assert_eq(cs_web_audit_last_seq(), 9, "exported + checkpoint after the bundle");

    char *log = tu_read(logp, NULL);
    cr_assert_null(strstr(log, "Zebulon"));
    cr_assert_null(strstr(log, "99887766"));
    cr_assert_not_null(strstr(log, "\"n_name\":1,\"n_id\":1,\"n_date\":0,\"total\":2"));
    cr_assert_not_null(strstr(log, "\"what\":\"audit_bundle\""));
    free(log);
    cs_audit_report r;
    char pub[450];
    snprintf(pub, sizeof pub, "%s/audit-ed25519.pub", keyd);
    cr_assert_eq(cs_audit_verify_file(logp, pub, &r), CS_OK);
    cr_assert_eq(r.last_checkpoint_seq, 9);
}

Test(web_audit, refused_values_write_nothing, .init = setup, .fini = teardown)
{
    cr_assert_eq(cs_web_audit_redacted("mask", "not json"), CS_ERR_INVALID);
    cr_assert_eq(cs_web_audit_redacted("mask", "{\"name\":\"3\"}"), CS_ERR_INVALID);
    cr_assert_eq(cs_web_audit_redacted("mask", "{\"name\":1e300}"), CS_ERR_INVALID);
    cr_assert_eq(cs_web_audit_redacted("free text policy", "{}"), CS_ERR_INVALID);
    cr_assert_eq(cs_web_audit_redacted("mask", NULL), CS_ERR_INVALID);
    cr_assert_eq(cs_web_audit_model_loaded(NULL, "a", "b"), CS_ERR_INVALID);
    cr_assert_eq(cs_web_audit_document_opened(NULL, 5, "text"), CS_ERR_INVALID);
    cr_assert_eq(cs_web_audit_document_opened(NULL, -1, "text"), CS_ERR_INVALID);
    cr_assert_eq(cs_web_audit_parsed(-1, "text"), CS_ERR_INVALID);
    cr_assert_eq(cs_web_audit_exported("summary", NULL, 4), CS_ERR_INVALID);
    cr_assert_eq(cs_web_audit_last_error(), CS_ERR_INVALID);
    cr_assert_str_eq(cs_web_audit_strerror(CS_ERR_INVALID), cs_strerror(CS_ERR_INVALID));
    cr_assert_eq(cs_web_audit_last_seq(), 0);
}

Test(web_audit, an_edited_log_is_reported_and_exported_but_not_extended, .init = setup, .fini = teardown)
{
    cr_assert_eq(cs_web_audit_parsed(4, "text"), CS_OK);
    cr_assert_eq(cs_web_audit_parsed(5, "text"), CS_OK);
    cr_assert_eq(cs_web_audit_close(), CS_OK);
    size_t len;
    char *log = tu_read(logp, &len);
    char *p = strstr(log, "\"sections\":5");
    cr_assert_not_null(p);
    p[12] = '6';
    tu_write(logp, log, len);
    free(log);
    /* The last line is still well-formed, so the log opens; verification
     * then names the edit. */
    cr_assert_eq(cs_web_audit_open(logp, keyd, "browser", 0), CS_OK);
    char *j = cs_web_audit_verify_json();
    cr_assert_not_null(strstr(j, "\"problem\":\"modified\",\"first_bad_seq\":2"), "%s", j);
    cs_web_audit_free(j);
    uint8_t *zip = cs_web_audit_export_zip(NULL, 0, NULL, NULL, 0, 0);
    cr_assert_not_null(zip);
    cs_web_audit_free(zip);
    log = tu_read(logp, NULL);
    cr_assert_null(strstr(log, "audit_bundle"), "a broken chain is not extended by the export");
    free(log);
}
