/*
 * bench_audit: audit-log appends per second, with fsync after every event
 * (the crash-safe default) and without (the ceiling set by formatting,
 * hashing and write()).  Checkpoints (an Ed25519 signature and a seal file
 * every 64 events) are included, as in real use.  Also times verification.
 *   bench_audit [EVENTS]      (default 2000; the log goes under $TMPDIR)
 */
#include "cs_audit.h"
#include "cs_audit_verify.h"
#include "cs_err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int run(const char *dir, int fsync_on, int n)
{
    char log[512], keys[512];
    snprintf(log, sizeof log, "%s/bench-%d.jsonl", dir, fsync_on);
    snprintf(keys, sizeof keys, "%s/keys", dir);
    cs_audit_options o = {.actor = "bench", .key_dir = keys, .no_fsync = !fsync_on};
    cs_audit *a;
    int rc = cs_audit_open(log, &o, &a);
    if (rc != CS_OK) { fprintf(stderr, "bench_audit: %s\n", cs_strerror(rc)); return 1; }
    uint8_t h[32];
    cs_audit_sha256("model", 5, h);
    double t0 = now();
    for (int i = 0; i < n && rc == CS_OK; i++) rc = cs_audit_model_loaded(a, h, "llama", "Q4_K_M");
    double t1 = now();
    if (rc == CS_OK) rc = cs_audit_close(a);
    else cs_audit_abandon(a);
    if (rc != CS_OK) { fprintf(stderr, "bench_audit: %s\n", cs_strerror(rc)); return 1; }
    printf("audit append (%s): %8.0f events/s  (%d events, %.3f s)\n", fsync_on ? "fsync each" : "no fsync  ",
           n / (t1 - t0), n, t1 - t0);
    cs_audit_report r;
    double t2 = now();
    rc = cs_audit_verify_file(log, NULL, &r);
    double t3 = now();
    if (fsync_on) printf("audit verify:              %8.0f events/s  (%llu events, %s)\n",
                         (double)r.n_events / (t3 - t2), (unsigned long long)r.n_events,
                         rc == CS_OK ? "intact" : "FAILED");
    unlink(log);
    snprintf(log + strlen(log), 8, ".seal");
    unlink(log);
    return rc == CS_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 2000;
    const char *t = getenv("TMPDIR");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/clinsum-bench-audit-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(dir)) { perror("bench_audit"); return 1; }
    int rc = run(dir, 1, n) | run(dir, 0, n * 10);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "bench_audit: could not remove %s\n", dir);
    return rc;
}
