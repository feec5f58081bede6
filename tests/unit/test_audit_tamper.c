/* test_audit_tamper.c: each way of tampering with a log (modify, insert,
 * delete, reorder, truncate, key substitution, seal removal, signature
 * forgery) fails verification and names the place. */
#include "audit_testutil.h"
#include "cs_audit.h"
#include "cs_audit_verify.h"
#include "cs_err.h"

#include <criterion/criterion.h>

static char dir[256], logp[300], sealp[310], keyd[300], pubp[340];
static char *lines[64];
static size_t n_lines;

/* A closed log: events 1-4, checkpoint 5, events 6-9, checkpoint 10,
 * events 11-12, closing checkpoint 13. */
static void make_log(const char *path, const char *key_dir)
{
    cs_audit_options o = {.actor = "t", .key_dir = key_dir, .checkpoint_every = 4, .no_fsync = 1};
    cs_audit *a;
    cr_assert_eq(cs_audit_open(path, &o, &a), CS_OK);
    for (int i = 0; i < 10; i++) cr_assert_eq(cs_audit_parsed(a, (size_t)i + 100, "text"), CS_OK);
    cr_assert_eq(cs_audit_close(a), CS_OK);
}

static void load_lines(void)
{
    char *s = tu_read(logp, NULL);
    n_lines = 0;
    for (char *p = s, *nl; (nl = strchr(p, '\n')); p = nl + 1) {
        lines[n_lines] = strndup(p, (size_t)(nl - p + 1));
        n_lines++;
    }
    free(s);
}

static void store_lines(void)
{
    FILE *f = fopen(logp, "wb");
    for (size_t i = 0; i < n_lines; i++) fputs(lines[i], f);
    fclose(f);
}

static void setup(void)
{
    snprintf(dir, sizeof dir, "%s", tu_tmpdir());
    snprintf(logp, sizeof logp, "%s/audit.jsonl", dir);
    snprintf(sealp, sizeof sealp, "%s.seal", logp);
    snprintf(keyd, sizeof keyd, "%s/keys", dir);
    snprintf(pubp, sizeof pubp, "%s/audit-ed25519.pub", keyd);
    make_log(logp, keyd);
    load_lines();
    cr_assert_eq(n_lines, 13);
}

static void teardown(void)
{
    for (size_t i = 0; i < n_lines; i++) free(lines[i]);
    tu_rm_rf(dir);
}

static cs_audit_report verify(const char *key, cs_audit_problem want, uint64_t seq)
{
    cs_audit_report r;
    int rc = cs_audit_verify_file(logp, key, &r);
    if (want == CS_AUDIT_INTACT) {
        cr_assert_eq(rc, CS_OK, "%s", r.detail);
    } else {
        cr_assert_eq(rc, CS_ERR_TAMPERED);
        cr_assert_eq(r.problem, want, "got %s (%s)", cs_audit_problem_name(r.problem), r.detail);
        cr_assert_eq(r.bad_seq, seq, "bad seq %llu (%s)", (unsigned long long)r.bad_seq, r.detail);
        cr_assert_gt(strlen(r.detail), 10);
    }
    return r;
}

/* Recomputes a line's hash after an edit, as an attacker without the key
 * can (the hash is over the bytes before `,"hash":"`). */
static void rehash(size_t i)
{
    char *p = strstr(lines[i], ",\"hash\":\"");
    uint8_t h[32];
    char hex[65];
    cs_audit_sha256(lines[i], (size_t)(p - lines[i]), h);
    cs_audit_hex(h, 32, hex);
    memcpy(p + 9, hex, 64);
}

/* Sets line i's prev to line j's hash. */
static void relink(size_t i, size_t j)
{
    char *h = strstr(lines[j], ",\"hash\":\"") + 9;
    char *p = strstr(lines[i], "\"prev\":\"") + 8;
    memcpy(p, h, 64);
}

static void replace(size_t i, const char *from, const char *to)
{
    char *p = strstr(lines[i], from);
    cr_assert_not_null(p);
    cr_assert_eq(strlen(from), strlen(to));
    memcpy(p, to, strlen(to));
}

TestSuite(tamper, .init = setup, .fini = teardown);

Test(tamper, intact_log_passes_with_and_without_key)
{
    cs_audit_report r = verify(NULL, CS_AUDIT_INTACT, 0);
    cr_assert_eq(r.last_seq, 13);
    cr_assert_eq(r.n_checkpoints, 3);
    cr_assert_not(r.key_trusted);
    r = verify(pubp, CS_AUDIT_INTACT, 0);
    cr_assert(r.key_trusted);
    char *j = cs_audit_report_json(&r);
    cr_assert_not_null(strstr(j, "\"intact\":true"));
    cr_assert_not_null(strstr(j, "\"last_seq\":13"));
    free(j);
}

Test(tamper, modified_event)
{
    replace(2, "\"sections\":102", "\"sections\":902");
    store_lines();
    verify(NULL, CS_AUDIT_MODIFIED, 3);
}

Test(tamper, modified_event_with_recomputed_hash)
{
    replace(6, "\"sections\":105", "\"sections\":905");
    rehash(6);
    store_lines();
    verify(NULL, CS_AUDIT_MODIFIED, 7);
}

Test(tamper, text_smuggled_into_a_field)
{
    replace(2, "\"format\":\"text\"", "\"format\":\"An S\"");
    rehash(2);
    store_lines();
    cs_audit_report r = verify(NULL, CS_AUDIT_MODIFIED, 3);
    cr_assert_not_null(strstr(r.detail, "not a valid event"));
    cr_assert_null(strstr(r.detail, "An S"), "reports never quote the log");
}

Test(tamper, whole_chain_rewritten_without_the_key)
{
    /* Change event 7 and recompute every later hash and link: only the
     * signature of checkpoint 10 can tell. */
    replace(6, "\"sections\":105", "\"sections\":905");
    for (size_t i = 6; i < n_lines; i++) {
        if (i > 6) relink(i, i - 1);
        rehash(i);
    }
    store_lines();
    cs_audit_report r = verify(NULL, CS_AUDIT_BAD_SIGNATURE, 6);
    cr_assert_not_null(strstr(r.detail, "6..10"), "%s", r.detail);
}

Test(tamper, forged_signature)
{
    char *sig = strstr(lines[4], "\"sig\":\"") + 7;
    sig[10] = sig[10] == 'a' ? 'b' : 'a';
    store_lines();
    verify(NULL, CS_AUDIT_BAD_SIGNATURE, 1);
}

Test(tamper, inserted_forged_event)
{
    /* A well-formed event claiming seq 3, linked to seq 2, placed before the
     * real seq 3. */
    char *x = strdup(lines[2]);
    replace(2, "\"sections\":102", "\"sections\":777");
    rehash(2);
    for (size_t i = n_lines; i > 3; i--) lines[i] = lines[i - 1];
    lines[3] = x; /* forged seq 3 on line 3, the real one on line 4 */
    n_lines++;
    store_lines();
    cs_audit_report r = verify(NULL, CS_AUDIT_INSERTED, 3);
    cr_assert_eq(r.bad_line, 3);
}

Test(tamper, inserted_duplicate_line)
{
    for (size_t i = n_lines; i > 8; i--) lines[i] = lines[i - 1];
    lines[8] = strdup(lines[3]);
    n_lines++;
    store_lines();
    cs_audit_report r = verify(NULL, CS_AUDIT_INSERTED, 4);
    cr_assert_eq(r.bad_line, 9);
}

Test(tamper, deleted_event)
{
    free(lines[5]);
    memmove(lines + 5, lines + 6, (n_lines - 6) * sizeof *lines);
    n_lines--;
    store_lines();
    verify(NULL, CS_AUDIT_DELETED, 6);
}

Test(tamper, deleted_run_of_events)
{
    for (int k = 0; k < 3; k++) free(lines[1 + k]);
    memmove(lines + 1, lines + 4, (n_lines - 4) * sizeof *lines);
    n_lines -= 3;
    store_lines();
    cs_audit_report r = verify(NULL, CS_AUDIT_DELETED, 2);
    cr_assert_not_null(strstr(r.detail, "2..4"), "%s", r.detail);
}

Test(tamper, reordered_events)
{
    char *t = lines[6];
    lines[6] = lines[7];
    lines[7] = t;
    store_lines();
    cs_audit_report r = verify(NULL, CS_AUDIT_REORDERED, 7);
    cr_assert_eq(r.bad_line, 8);
}

Test(tamper, event_moved_to_the_end)
{
    char *t = lines[1];
    memmove(lines + 1, lines + 2, (n_lines - 2) * sizeof *lines);
    lines[n_lines - 1] = t;
    store_lines();
    verify(NULL, CS_AUDIT_REORDERED, 2);
}

Test(tamper, truncated_after_a_checkpoint)
{
    /* Cut events 11, 12 and the closing checkpoint 13. */
    for (size_t i = 10; i < n_lines; i++) free(lines[i]);
    n_lines = 10;
    store_lines();
    cs_audit_report r = verify(NULL, CS_AUDIT_TRUNCATED, 11);
    cr_assert_not_null(strstr(r.detail, "13"), "%s", r.detail);
}

Test(tamper, truncated_mid_line)
{
    size_t len;
    char *s = tu_read(logp, &len);
    tu_write(logp, s, len - 100);
    free(s);
    verify(NULL, CS_AUDIT_TRUNCATED, 13);
}

Test(tamper, seal_removed)
{
    cr_assert_eq(unlink(sealp), 0);
    verify(NULL, CS_AUDIT_SEAL_MISSING, 14);
}

Test(tamper, key_substitution_whole_log_resigned)
{
    /* An attacker regenerates the whole log (and seal) with a key of their
     * own: consistent by itself, caught against the trusted key. */
    char otherkeys[320];
    snprintf(otherkeys, sizeof otherkeys, "%s/other-keys", dir);
    unlink(logp);
    unlink(sealp);
    make_log(logp, otherkeys);
    verify(NULL, CS_AUDIT_INTACT, 0);
    cs_audit_report r = verify(pubp, CS_AUDIT_KEY_SUBSTITUTED, 5);
    cr_assert_not_null(strstr(r.detail, "not the trusted key"), "%s", r.detail);
}

Test(tamper, key_substitution_seal_from_another_key)
{
    char other[320], otherkeys[320];
    snprintf(other, sizeof other, "%s/other.jsonl", dir);
    snprintf(otherkeys, sizeof otherkeys, "%s/other-keys", dir);
    make_log(other, otherkeys);
    char otherseal[340];
    snprintf(otherseal, sizeof otherseal, "%s.seal", other);
    cr_assert_eq(rename(otherseal, sealp), 0);
    cs_audit_report r = verify(NULL, CS_AUDIT_KEY_SUBSTITUTED, 13);
    cr_assert_not_null(strstr(r.detail, "seal"), "%s", r.detail);
}

Test(tamper, empty_and_torn_only_logs_are_intact)
{
    cs_audit_report r;
    cr_assert_eq(cs_audit_verify("", 0, NULL, 0, NULL, &r), CS_OK);
    cr_assert_eq(cs_audit_verify("{\"v\":1,\"se", 11, NULL, 0, NULL, &r), CS_OK);
    cr_assert_eq(r.torn_bytes, 11);
    cr_assert_str_eq(cs_audit_problem_name(CS_AUDIT_SEAL_MISSING), "seal_missing");
}
