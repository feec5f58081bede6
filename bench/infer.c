/*
 * infer.c: bench_infer --model M.gguf [--threads T] [--reps R]
 *
 * The figures llama-bench reports, measured the same way: prefill of a
 * 512-token prompt into an empty context (pp512) and 128 decode steps from
 * an empty context (tg128), best of R runs; plus time to first token (512-
 * token prompt, then the first greedy pick), model load time (open + map +
 * weight table) and peak RSS.  The last line is machine-readable:
 *   prefill_tok_s=X decode_tok_s=Y threads=T
 */
#include "cs_err.h"
#include "gguf.h"
#include "model.h"
#include "sampler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

#define N_PROMPT 512
#define N_GEN 128

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}
static double now(void) { return clock_s(CLOCK_MONOTONIC); }
/* CPU seconds of the whole process: on a box shared with other jobs, wall
 * time includes waiting for a core; CPU time does not. */
static double cpu(void) { return clock_s(CLOCK_PROCESS_CPUTIME_ID); }

int main(int argc, char **argv)
{
    const char *path = NULL;
    int threads = 2, reps = 3;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--model") && i + 1 < argc) path = argv[++i];
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc) threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--reps") && i + 1 < argc) reps = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: bench_infer --model M.gguf [--threads T] [--reps R]\n");
            return 2;
        }
    }
    if (!path) {
        /* `make bench` runs every bench without arguments: use the shared model if present. */
        static const char shared[] = CS_SHARED_DIR "/models/smollm2-135m-shape-random-q4_k_m.gguf";
        struct stat sb;
        if (stat(shared, &sb) != 0) {
            printf("skip: bench_infer needs --model M.gguf\n");
            return 0;
        }
        path = shared;
    }
    if (threads < 1 || reps < 1) return 2;

    double t0 = now();
    cs_gguf *g;
    cs_model *m;
    const char *why = NULL;
    int rc = cs_gguf_open_file(path, &g, &why);
    if (rc == CS_OK) rc = cs_model_load(g, &m, &why);
    if (rc != CS_OK) {
        fprintf(stderr, "clinsum: %s: %s\n", path, why ? why : cs_strerror(rc));
        return 1;
    }
    double load_s = now() - t0;

    cs_context_params p = {.n_ctx = N_PROMPT + N_GEN, .n_threads = threads};
    cs_context *ctx;
    if ((rc = cs_context_new(m, &p, &ctx)) != CS_OK) {
        fprintf(stderr, "clinsum: %s: %s\n", path, cs_strerror(rc));
        return 1;
    }
    int V = m->config.vocab_size;
    int32_t prompt[N_PROMPT];
    uint32_t s = 12345;
    for (int i = 0; i < N_PROMPT; i++) {
        s = s * 1664525u + 1013904223u;
        prompt[i] = (int32_t)((s >> 8) % (uint32_t)V);
    }

    double best_pp = 0, best_tg = 0, best_ttft = 1e30, cpu_pp = 1e30, cpu_tg = 1e30;
    for (int r = 0; r < reps; r++) {
        cs_context_reset(ctx);
        double a = now(), ca = cpu();
        if ((rc = cs_context_eval(ctx, prompt, N_PROMPT)) != CS_OK) break;
        int32_t tok = cs_argmax(cs_context_logits(ctx), V);
        double b = now();
        if (cpu() - ca < cpu_pp) cpu_pp = cpu() - ca;
        (void)tok;
        if (N_PROMPT / (b - a) > best_pp) best_pp = N_PROMPT / (b - a);
        if (b - a < best_ttft) best_ttft = b - a;

        cs_context_reset(ctx);
        tok = 1;
        a = now();
        ca = cpu();
        for (int i = 0; i < N_GEN && rc == CS_OK; i++) {
            rc = cs_context_eval(ctx, &tok, 1);
            tok = cs_argmax(cs_context_logits(ctx), V);
        }
        b = now();
        if (cpu() - ca < cpu_tg) cpu_tg = cpu() - ca;
        if (rc != CS_OK) break;
        if (N_GEN / (b - a) > best_tg) best_tg = N_GEN / (b - a);
    }
    if (rc != CS_OK) {
        fprintf(stderr, "clinsum: %s: %s\n", path, cs_strerror(rc));
        return 1;
    }

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double rss_mib = (double)ru.ru_maxrss / 1024.0;
    double file_mib = (double)cs_gguf_file_size(g) / (1024.0 * 1024.0);
    double kv_mib = (double)cs_context_kv_bytes(ctx) / (1024.0 * 1024.0);
    const cs_model_config *c = &m->config;
    printf("model: %s\n", path);
    printf("shape: dim %d, layers %d, ffn %d, heads %d/%d kv, vocab %d\n", c->dim, c->n_layers, c->hidden_dim,
           c->n_heads, c->n_kv_heads, c->vocab_size);
    printf("threads: %d, best of %d runs\n", cs_context_n_threads(ctx), reps);
    printf("model load: %.1f ms\n", load_s * 1e3);
    printf("prefill (pp%d): %.1f tok/s\n", N_PROMPT, best_pp);
    printf("decode (tg%d): %.1f tok/s\n", N_GEN, best_tg);
    printf("CPU time (all threads, includes spin-waits): prefill %.2f s = %.1f tok per CPU-second, decode %.1f ms/token\n",
           cpu_pp, N_PROMPT / cpu_pp, cpu_tg * 1e3 / N_GEN);
    printf("time to first token (%d-token prompt): %.1f ms\n", N_PROMPT, best_ttft * 1e3);
    printf("peak RSS: %.1f MiB (file %.1f MiB + KV cache %.1f MiB = %.1f MiB; budget +10%% = %.1f MiB)\n", rss_mib,
           file_mib, kv_mib, file_mib + kv_mib, (file_mib + kv_mib) * 1.1);
    printf("prefill_tok_s=%.1f decode_tok_s=%.1f threads=%d\n", best_pp, best_tg, cs_context_n_threads(ctx));
    cs_context_free(ctx);
    cs_model_free(m);
    cs_gguf_free(g);
    return 0;
}
