/* test_audit.c: the audit-log writer: typed fields only, chaining,
 * checkpoints and seal, the signing key, resuming and torn-tail recovery. */
#include "audit_testutil.h"
#include "cs_audit.h"
#include "cs_audit_key.h"
#include "cs_audit_line.h"
#include "cs_audit_verify.h"
#include "cs_err.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

static char dir[256], logp[300], keyd[300];

static void setup(void)
{
    snprintf(dir, sizeof dir, "%s", tu_tmpdir());
    snprintf(logp, sizeof logp, "%s/audit.jsonl", dir);
    snprintf(keyd, sizeof keyd, "%s/keys", dir);
}

static void teardown(void) { tu_rm_rf(dir); }

static cs_audit *open_log(unsigned every)
{
    cs_audit_options o = {.actor = "tester", .key_dir = keyd, .checkpoint_every = every};
    cs_audit *a;
    cr_assert_eq(cs_audit_open(logp, &o, &a), CS_OK);
    return a;
}

static void assert_intact(void)
{
    cs_audit_report r;
    int rc = cs_audit_verify_file(logp, NULL, &r);
    cr_assert_eq(rc, CS_OK, "verify: %s (seq %llu): %s", cs_audit_problem_name(r.problem),
                 (unsigned long long)r.bad_seq, r.detail);
}

TestSuite(audit, .init = setup, .fini = teardown);

Test(audit, validators_admit_identifiers_only)
{
    cr_assert(cs_audit_valid_enum("ccda"));
    cr_assert(cs_audit_valid_enum("Q4_K_M"));
    cr_assert(cs_audit_valid_enum("fhir-documentreference"));
    cr_assert(cs_audit_valid_enum("safe-harbor.v2+x"));
    cr_assert_not(cs_audit_valid_enum(NULL));
    cr_assert_not(cs_audit_valid_enum(""));
    cr_assert_not(cs_audit_valid_enum("John Smith"));       /* free text has spaces */
    cr_assert_not(cs_audit_valid_enum("a\"b"));
    cr_assert_not(cs_audit_valid_enum("a\\b"));
    cr_assert_not(cs_audit_valid_enum("dx:diabetes"));
    cr_assert_not(cs_audit_valid_enum("caf\xc3\xa9"));
    cr_assert_not(cs_audit_valid_enum("7/22/2019"));
    char lng[CS_AUDIT_ENUM_MAX + 2];
    memset(lng, 'a', sizeof lng - 1);
    lng[sizeof lng - 1] = '\0';
    cr_assert_not(cs_audit_valid_enum(lng));
    lng[CS_AUDIT_ENUM_MAX] = '\0';
    cr_assert(cs_audit_valid_enum(lng));

    cr_assert(cs_audit_valid_key("n_name"));
    cr_assert_not(cs_audit_valid_key("Name"));
    cr_assert_not(cs_audit_valid_key("_x"));
    cr_assert_not(cs_audit_valid_key("a-b"));
    cr_assert_not(cs_audit_valid_key(NULL));

    cr_assert(cs_audit_valid_origin("https://example.org"));
    cr_assert(cs_audit_valid_origin("http://localhost:8080"));
    cr_assert(cs_audit_valid_origin("wss://[::1]:443"));
    cr_assert_not(cs_audit_valid_origin("https://example.org/patient/123"));
    cr_assert_not(cs_audit_valid_origin("https://example.org?q=smith"));
    cr_assert_not(cs_audit_valid_origin("https://Example.org"));
    cr_assert_not(cs_audit_valid_origin("ftp://example.org"));
    cr_assert_not(cs_audit_valid_origin("https://"));
    cr_assert_not(cs_audit_valid_origin("https://a:123456"));
}

Test(audit, free_text_is_refused_and_nothing_written)
{
    cs_audit *a = open_log(0);
    cs_audit_field bad[][2] = {
        {cs_audit_field_str_enum("format", "ccda"), cs_audit_field_str_enum("note", "Patient John Smith")},
        {cs_audit_field_str_enum("Format", "ccda"), cs_audit_field_int("n", 1)},
        {cs_audit_field_int("n", 1), cs_audit_field_int("n", 2)}, /* duplicate key */
        {cs_audit_field_hash("sha256", NULL), cs_audit_field_int("n", 1)},
        {cs_audit_field_origin("origin", "https://h.org/path?name=smith"), cs_audit_field_int("n", 1)},
        {cs_audit_field_str_enum("x", NULL), cs_audit_field_int("n", 1)},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        cr_assert_eq(cs_audit_append(a, CS_AUDIT_PARSED, bad[i], 2), CS_ERR_INVALID, "case %zu", i);
    cr_assert_eq(cs_audit_append(a, CS_AUDIT_CHECKPOINT, NULL, 0), CS_ERR_INVALID);
    cr_assert_eq(cs_audit_append(a, CS_AUDIT_RECOVERED, NULL, 0), CS_ERR_INVALID);
    cr_assert_eq(cs_audit_append(a, (cs_audit_type)99, NULL, 0), CS_ERR_INVALID);
    cr_assert_eq(cs_audit_redacted(a, "safe harbor", NULL, 0), CS_ERR_INVALID);
    cs_audit_count c = {"Jane Doe", 1};
    cr_assert_eq(cs_audit_redacted(a, "safe-harbor", &c, 1), CS_ERR_INVALID);
    cr_assert_eq(cs_audit_network(a, "https://x.org/Jane", 0), CS_ERR_INVALID);
    cr_assert_eq(cs_audit_model_loaded(a, NULL, "llama", "Q4_0"), CS_ERR_INVALID);
    cr_assert_eq(cs_audit_last_seq(a), 0);
    cs_audit_abandon(a);
    size_t len;
    char *s = tu_read(logp, &len);
    cr_assert_eq(len, 0, "a refused event wrote %zu bytes", len);
    free(s);
}

Test(audit, typed_events_chain_and_verify)
{
    cs_audit *a = open_log(0);
    const char doc[] = "Patient: Zyxwv Qwerty, MRN 998877";
    uint8_t model[32];
    cs_audit_sha256("model", 5, model);
    cs_audit_count counts[] = {{"NAME", 1}, {"mrn", 1}, {"date", 0}};
    cs_audit_summary_info si = {.output = "summary", .output_len = 7, .prompt_tokens = 300, .output_tokens = 80,
                                .prefill_ms = 12, .decode_ms = 900, .total_ms = 950, .faithfulness_flags = 1};
    cr_assert_eq(cs_audit_document_opened(a, doc, sizeof doc - 1, "text"), CS_OK);
    cr_assert_eq(cs_audit_parsed(a, 4, "text"), CS_OK);
    cr_assert_eq(cs_audit_redacted(a, "safe-harbor", counts, 3), CS_OK);
    cr_assert_eq(cs_audit_model_loaded(a, model, "llama", "Q4_K_M"), CS_OK);
    cr_assert_eq(cs_audit_summary_produced(a, &si), CS_OK);
    cr_assert_eq(cs_audit_exported(a, "summary", NULL, 7), CS_OK);
    cr_assert_eq(cs_audit_network(a, "https://example.org", 1), CS_OK);
    cr_assert_eq(cs_audit_last_seq(a), 7);
    cr_assert_eq(cs_audit_close(a), CS_OK);

    char *s = tu_read(logp, NULL);
    cr_assert_eq(tu_count_lines(s), 8, "7 events and a closing checkpoint");
    cr_assert_null(strstr(s, "Zyxwv"));
    cr_assert_null(strstr(s, "998877"));
    uint8_t h[32];
    char hex[65];
    cs_audit_sha256(doc, sizeof doc - 1, h);
    cs_audit_hex(h, 32, hex);
    cr_assert_not_null(strstr(s, hex), "document_opened carries the document's SHA-256");
    cr_assert_not_null(strstr(s, "\"sha256\":\"" ));
    cr_assert_not_null(strstr(s, "\"type\":\"redacted\",\"fields\":{\"policy\":\"safe-harbor\",\"n_name\":1,\"n_mrn\":1,\"n_date\":0,\"total\":2}"));
    cr_assert_not_null(strstr(s, "\"origin\":\"https://example.org\",\"action\":\"blocked\""));
    cr_assert_not_null(strstr(s, "\"actor\":\"tester\""));
    cr_assert_not_null(strstr(s, "\"faithfulness_flags\":1"));
    free(s);

    cs_audit_report r;
    cr_assert_eq(cs_audit_verify_file(logp, NULL, &r), CS_OK, "%s", r.detail);
    cr_assert_eq(r.n_events, 8);
    cr_assert_eq(r.n_checkpoints, 1);
    cr_assert_eq(r.last_checkpoint_seq, 8);
    cr_assert_eq(r.unsigned_tail, 0);
    cr_assert_eq(r.n_network_blocked, 1);
    cr_assert_eq(r.n_network_made, 0);
    cr_assert_eq(r.n_by_type[CS_AUDIT_REDACTED], 1);
    cr_assert_eq(r.seal_seq, 8);
}

Test(audit, every_line_links_to_the_previous_hash)
{
    cs_audit *a = open_log(0);
    for (int i = 0; i < 5; i++) cr_assert_eq(cs_audit_parsed(a, (size_t)i, NULL), CS_OK);
    cs_audit_abandon(a);
    char *s = tu_read(logp, NULL);
    uint8_t prev[32] = {0};
    uint64_t seq = 0;
    for (char *p = s, *nl; (nl = strchr(p, '\n')); p = nl + 1) {
        cs_audit_line ln;
        const char *why;
        cr_assert_eq(cs_audit_line_parse(p, (size_t)(nl - p), &ln, &why), CS_OK, "%s", why);
        cr_assert_eq(ln.seq, ++seq);
        cr_assert_arr_eq(ln.prev, prev, 32);
        cr_assert_arr_eq(ln.hash, ln.actual, 32);
        memcpy(prev, ln.hash, 32);
    }
    cr_assert_eq(seq, 5);
    free(s);
}

Test(audit, checkpoints_every_n_and_seal)
{
    cs_audit *a = open_log(3);
    for (int i = 0; i < 7; i++) cr_assert_eq(cs_audit_parsed(a, 1, NULL), CS_OK);
    /* events 1-3, checkpoint 4, events 5-7, checkpoint 8, event 9 */
    cr_assert_eq(cs_audit_last_seq(a), 9);
    cs_audit_abandon(a);
    cs_audit_report r;
    cr_assert_eq(cs_audit_verify_file(logp, NULL, &r), CS_OK, "%s", r.detail);
    cr_assert_eq(r.n_checkpoints, 2);
    cr_assert_eq(r.last_checkpoint_seq, 8);
    cr_assert_eq(r.unsigned_tail, 1, "crashed writers leave an unsigned but verifiable tail");
    cr_assert_eq(r.seal_seq, 8);
}

Test(audit, reopening_continues_the_chain)
{
    for (int run = 0; run < 3; run++) {
        cs_audit *a = open_log(0);
        cr_assert_eq(cs_audit_last_seq(a), run == 0 ? 0 : (uint64_t)run * 3);
        cr_assert_eq(cs_audit_parsed(a, 1, NULL), CS_OK);
        cr_assert_eq(cs_audit_parsed(a, 2, NULL), CS_OK);
        cr_assert_eq(cs_audit_close(a), CS_OK);
    }
    cs_audit_report r;
    cr_assert_eq(cs_audit_verify_file(logp, NULL, &r), CS_OK, "%s", r.detail);
    cr_assert_eq(r.last_seq, 9);
    cr_assert_eq(r.n_checkpoints, 3);
}

Test(audit, torn_tail_is_cut_and_recorded)
{
    cs_audit *a = open_log(0);
    cr_assert_eq(cs_audit_parsed(a, 1, NULL), CS_OK);
    cr_assert_eq(cs_audit_parsed(a, 2, NULL), CS_OK);
    cs_audit_abandon(a);
    size_t len;
    char *s = tu_read(logp, &len);
    char *last = strchr(s, '\n') + 1; /* second line */
    size_t keep = len - 40;           /* cut the second line short: a torn write */
    tu_write(logp, s, keep);
    cs_audit_report r;
    cr_assert_eq(cs_audit_verify_file(logp, NULL, &r), CS_OK, "a torn tail still verifies: %s", r.detail);
    cr_assert_eq(r.torn_bytes, keep - (size_t)(last - s));
    cr_assert_eq(r.last_seq, 1);

    a = open_log(0);
    cr_assert_eq(cs_audit_last_seq(a), 2, "the recovery event continues the chain at seq 2");
    cr_assert_eq(cs_audit_parsed(a, 3, NULL), CS_OK);
    cr_assert_eq(cs_audit_close(a), CS_OK);
    free(s);
    s = tu_read(logp, NULL);
    cr_assert_not_null(strstr(s, "\"type\":\"recovered\",\"fields\":{\"torn_bytes\":"));
    free(s);
    assert_intact();
}

Test(audit, refuses_to_continue_a_corrupt_head)
{
    tu_write(logp, "{\"not\":\"an event\"}\n", 19);
    cs_audit_options o = {.key_dir = keyd};
    cs_audit *a;
    cr_assert_eq(cs_audit_open(logp, &o, &a), CS_ERR_TAMPERED);
    cr_assert_null(a);
}

Test(audit, key_created_private_and_reused)
{
    uint8_t pk[32], sk[64], pk2[32], sk2[64], pub[32];
    cr_assert_eq(cs_audit_key_load_or_create(keyd, pk, sk), CS_OK);
    char path[400];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", keyd, CS_AUDIT_KEY_FILE);
    cr_assert_eq(stat(path, &st), 0);
    cr_assert_eq(st.st_mode & 0777, 0600);
    cr_assert_eq(st.st_size, 64);
    snprintf(path, sizeof path, "%s/%s", keyd, CS_AUDIT_PUB_FILE);
    cr_assert_eq(cs_audit_pubkey_read(path, pub), CS_OK);
    cr_assert_arr_eq(pub, pk, 32);
    cr_assert_eq(cs_audit_key_load_or_create(keyd, pk2, sk2), CS_OK);
    cr_assert_arr_eq(pk2, pk, 32);
    cr_assert_arr_eq(sk2, sk, 64);
    char id[17];
    cs_audit_key_id(pk, id);
    cr_assert_eq(strlen(id), 16);

    /* A key readable by others is refused. */
    snprintf(path, sizeof path, "%s/%s", keyd, CS_AUDIT_KEY_FILE);
    cr_assert_eq(chmod(path, 0644), 0);
    cr_assert_eq(cs_audit_key_load_or_create(keyd, pk2, sk2), CS_ERR_CRYPTO);
    cr_assert_eq(chmod(path, 0600), 0);
    /* The public key file is rewritten when missing. */
    snprintf(path, sizeof path, "%s/%s", keyd, CS_AUDIT_PUB_FILE);
    unlink(path);
    cr_assert_eq(cs_audit_key_load_or_create(keyd, pk2, sk2), CS_OK);
    cr_assert_eq(cs_audit_pubkey_read(path, pub), CS_OK);
    cr_assert_arr_eq(pub, pk, 32);
}

Test(audit, key_dir_resolution)
{
    char out[512];
    cr_assert_eq(cs_audit_key_dir("/x/y", out, sizeof out), CS_OK);
    cr_assert_str_eq(out, "/x/y");
    setenv("CLINSUM_KEY_DIR", "/k", 1);
    cr_assert_eq(cs_audit_key_dir(NULL, out, sizeof out), CS_OK);
    cr_assert_str_eq(out, "/k");
    unsetenv("CLINSUM_KEY_DIR");
    setenv("XDG_DATA_HOME", "/d", 1);
    cr_assert_eq(cs_audit_key_dir(NULL, out, sizeof out), CS_OK);
    cr_assert_str_eq(out, "/d/clinsum");
    unsetenv("XDG_DATA_HOME");
    setenv("HOME", "/h", 1);
    cr_assert_eq(cs_audit_key_dir(NULL, out, sizeof out), CS_OK);
    cr_assert_str_eq(out, "/h/.local/share/clinsum");
    cr_assert_eq(cs_audit_key_dir("/a/very/long/path", out, 5), CS_ERR_LIMIT);
}

Test(audit, sha256_matches_known_vectors)
{
    uint8_t h[32];
    char hex[65];
    cs_audit_sha256("abc", 3, h);
    cs_audit_hex(h, 32, hex);
    cr_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    char path[400];
    snprintf(path, sizeof path, "%s/f", dir);
    tu_write(path, "abc", 3);
    uint8_t h2[32];
    cr_assert_eq(cs_audit_sha256_file(path, h2), CS_OK);
    cr_assert_arr_eq(h, h2, 32);
    snprintf(path, sizeof path, "%s/missing", dir);
    cr_assert_eq(cs_audit_sha256_file(path, h2), CS_ERR_IO);
    cr_assert_str_eq(cs_audit_type_name(CS_AUDIT_SUMMARY_PRODUCED), "summary_produced");
    cr_assert_null(cs_audit_type_name((cs_audit_type)0));
}

Test(audit, two_writers_share_one_chain)
{
    cs_audit *a = open_log(4), *b = open_log(4);
    for (int i = 0; i < 10; i++) {
        cr_assert_eq(cs_audit_parsed(i % 2 ? a : b, (size_t)i, NULL), CS_OK);
    }
    cr_assert_eq(cs_audit_close(a), CS_OK);
    cr_assert_eq(cs_audit_close(b), CS_OK);
    assert_intact();
}

Test(audit, concurrent_processes_share_one_chain)
{
    pid_t kids[3];
    for (int k = 0; k < 3; k++) {
        kids[k] = fork();
        cr_assert_neq(kids[k], -1);
        if (kids[k] == 0) {
            cs_audit_options o = {.key_dir = keyd, .checkpoint_every = 5, .no_fsync = 1};
            cs_audit *a;
            if (cs_audit_open(logp, &o, &a) != CS_OK) _exit(1);
            for (int i = 0; i < 30; i++)
                if (cs_audit_parsed(a, (size_t)i, NULL) != CS_OK) _exit(2);
            _exit(cs_audit_close(a) == CS_OK ? 0 : 3);
        }
    }
    for (int k = 0; k < 3; k++) {
        int st;
        waitpid(kids[k], &st, 0);
        cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
    assert_intact();
}

Test(audit, utc_formatting_matches_the_calendar)
{
    char s[32];
    cs_audit_format_utc(0, 0, s);
    cr_assert_str_eq(s, "1970-01-01T00:00:00.000Z");
    cs_audit_format_utc(951782400 + 3723, 45, s); /* leap day 2000 */
    cr_assert_str_eq(s, "2000-02-29T01:02:03.045Z");
    cs_audit_format_utc(1700000000, 999, s);
    cr_assert_str_eq(s, "2023-11-14T22:13:20.999Z");
    cs_audit_format_utc(4102444799, 0, s);
    cr_assert_str_eq(s, "2099-12-31T23:59:59.000Z");
    time_t t = 1234567890;
    struct tm tm;
    gmtime_r(&t, &tm);
    char want[32];
    strftime(want, sizeof want, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
    cs_audit_format_utc(t, 0, s);
    cr_assert_str_eq(s, want);
}

Test(audit, public_key_is_the_one_on_disk_and_in_checkpoints)
{
    cs_audit *a = open_log(0);
    uint8_t pk[32], file[32];
    memcpy(pk, cs_audit_public_key(a), 32);
    cr_assert_eq(cs_audit_parsed(a, 1, NULL), CS_OK);
    cr_assert_eq(cs_audit_close(a), CS_OK);
    char path[400];
    snprintf(path, sizeof path, "%s/%s", keyd, CS_AUDIT_PUB_FILE);
    cr_assert_eq(cs_audit_pubkey_read(path, file), CS_OK);
    cr_assert_arr_eq(pk, file, 32);
    cs_audit_report r;
    cr_assert_eq(cs_audit_verify_file(logp, path, &r), CS_OK, "%s", r.detail);
    cr_assert_arr_eq(r.key, pk, 32);

    /* The public key may also be given as its raw 32 bytes; junk is refused. */
    snprintf(path, sizeof path, "%s/raw.pub", dir);
    tu_write(path, (const char *)pk, 32);
    cr_assert_eq(cs_audit_pubkey_read(path, file), CS_OK);
    cr_assert_arr_eq(pk, file, 32);
    tu_write(path, "not a key\n", 10);
    cr_assert_eq(cs_audit_pubkey_read(path, file), CS_ERR_CRYPTO);
    snprintf(path, sizeof path, "%s/none.pub", dir);
    cr_assert_eq(cs_audit_pubkey_read(path, file), CS_ERR_NOT_FOUND);
}

/* Fault injection: a file-size limit makes write() stop part-way through a
 * line (as a full disk would).  The append must fail and leave no partial
 * line behind. */
Test(audit, short_write_leaves_no_partial_line)
{
    cs_audit *a = open_log(0);
    cr_assert_eq(cs_audit_parsed(a, 1, NULL), CS_OK);
    cs_audit_abandon(a);
    struct stat st;
    cr_assert_eq(stat(logp, &st), 0);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = {(rlim_t)st.st_size + 100, (rlim_t)st.st_size + 100};
        cs_audit_options o = {.key_dir = keyd};
        cs_audit *b;
        if (cs_audit_open(logp, &o, &b) != CS_OK) _exit(10);
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0) _exit(11);
        int rc = cs_audit_parsed(b, 2, NULL);
        cs_audit_abandon(b);
        _exit(rc == CS_ERR_IO ? 0 : 12);
    }
    int status;
    waitpid(pid, &status, 0);
    cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child exit %d", WEXITSTATUS(status));
    struct stat after;
    cr_assert_eq(stat(logp, &after), 0);
    cr_assert_eq(after.st_size, st.st_size, "the partial line was cut back");
    cs_audit_report r;
    cr_assert_eq(cs_audit_verify_file(logp, NULL, &r), CS_OK, "%s", r.detail);
    cr_assert_eq(r.torn_bytes, 0);
    /* And the chain goes on. */
    a = open_log(0);
    cr_assert_eq(cs_audit_parsed(a, 3, NULL), CS_OK);
    cr_assert_eq(cs_audit_last_seq(a), 2);
    cr_assert_eq(cs_audit_close(a), CS_OK);
    assert_intact();
}
