/*
 * bench_kernels: matmul throughput per tensor type on SmolLM2-135M shapes.
 *
 * Decode (one token, matrix-vector) is reported in GB/s of weights read,
 * since it is memory-bound; prefill (512 tokens, matrix-matrix) in GFLOP/s.
 * Then the matmuls of one whole decode step / 512-token prefill of the
 * 135M model with the Q4_K_M file's type mix, as a ceiling for tok/s.
 * Best of several repeats: the machine is shared and noisy.
 *
 *   bench_kernels [--quick] [--isa scalar|avx2] [--threads N] [--type q4_K] [--no-model] [--cpu-time]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cs_err.h"
#include "matmul.h"
#include "quant.h"
#include "threadpool.h"

/* --cpu-time: time the calling thread's CPU time instead of the wall clock,
 * which hides preemption by other processes (meaningful with 1 thread). */
static clockid_t g_clock = CLOCK_MONOTONIC;

static double now(void)
{
    struct timespec ts;
    clock_gettime(g_clock, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint64_t rng = 88172645463325252ull;
static uint8_t rnd8(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint8_t)(rng >> 32);
}

/* A weight matrix of random blocks with small, finite scales. */
static void *make_weights(int type, int64_t rows, int64_t cols)
{
    size_t bytes = cs_row_bytes(type, cols) * (size_t)rows;
    uint8_t *w = aligned_alloc(64, (bytes + 63) / 64 * 64);
    if (w == NULL)
        return NULL;
    for (size_t i = 0; i < bytes; i++)
        w[i] = rnd8() & 0x77; /* keeps every fp16 field finite and small */
    return w;
}

typedef struct {
    int type;
    int64_t rows, cols;
    void *w;
} mat;

/* Seconds for one call of all mats on n_tokens, best of `reps` batches. */
static double time_mats(const mat *m, int n, const float *x, float *y, int n_tokens,
                        cs_threadpool *tp, int reps, double min_batch)
{
    double best = 1e30;
    for (int r = 0; r < reps; r++) {
        int iters = 0;
        double t0 = now(), t;
        do {
            for (int i = 0; i < n; i++) {
                cs_tensor_view W = {m[i].type, m[i].rows, m[i].cols, m[i].w};
                if (cs_matmul(&W, x, y, n_tokens, tp) != CS_OK) {
                    fprintf(stderr, "bench_kernels: matmul failed\n");
                    exit(1);
                }
            }
            iters++;
            t = now() - t0;
        } while (t < min_batch && iters < 1000000); /* cap: a clock that does not advance */
        if (t / iters < best)
            best = t / iters;
    }
    return best;
}

int main(int argc, char **argv)
{
    int quick = 0, only_threads = 0, no_model = 0;
    const char *only_type = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0)
            quick = 1;
        else if (strcmp(argv[i], "--isa") == 0 && i + 1 < argc) {
            const char *s = argv[++i];
            cs_isa isa = strcmp(s, "scalar") == 0 ? CS_ISA_SCALAR : strcmp(s, "avx2") == 0 ? CS_ISA_AVX2 : CS_ISA_AUTO;
            if (cs_kernels_select(isa) != CS_OK) {
                fprintf(stderr, "bench_kernels: %s kernels not available here\n", s);
                return 1;
            }
        } else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc)
            only_threads = atoi(argv[++i]);
        else if (strcmp(argv[i], "--type") == 0 && i + 1 < argc)
            only_type = argv[++i];
        else if (strcmp(argv[i], "--no-model") == 0)
            no_model = 1;
        else if (strcmp(argv[i], "--cpu-time") == 0) {
            struct timespec ts;
            if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) {
                fprintf(stderr, "bench_kernels: no thread CPU-time clock here\n");
                return 1;
            }
            g_clock = CLOCK_THREAD_CPUTIME_ID;
        }
        else {
            fprintf(stderr, "usage: bench_kernels [--quick] [--isa scalar|avx2] [--threads N] [--type q4_K] [--no-model] [--cpu-time]\n");
            return 2;
        }
    }
    const int reps = quick ? 2 : 5;
    const double batch = quick ? 0.02 : 0.1;
    const int prefill = 512;
    static const int shapes[][2] = {{576, 576}, {192, 576}, {1536, 576}, {576, 1536}, {49152, 576}};
    static const int types[] = {CS_TYPE_Q4_0, CS_TYPE_Q5_0, CS_TYPE_Q8_0, CS_TYPE_Q4_K,
                                CS_TYPE_Q5_K, CS_TYPE_Q6_K, CS_TYPE_F16, CS_TYPE_F32};
    float *x = malloc(sizeof(float) * prefill * 1536);
    float *y = malloc(sizeof(float) * prefill * 49152);
    if (x == NULL || y == NULL)
        return 1;
    for (int i = 0; i < prefill * 1536; i++)
        x[i] = (float)(rnd8() % 200) / 100.0f - 1.0f;
    printf("bench_kernels: kernels=%s, best of %d\n", cs_isa_name(cs_kernels_active()), reps);

    for (int threads = 1; threads <= 2; threads++) {
        if (only_threads && threads != only_threads)
            continue;
        cs_threadpool *tp;
        if (cs_threadpool_create(threads, &tp) != CS_OK)
            return 1;
        printf("\n== threads=%d\n%-6s %-11s %12s %12s %14s\n", threads, "type", "shape", "decode GB/s",
               "decode us", "prefill GFLOP/s");
        for (size_t ti = 0; ti < sizeof types / sizeof types[0]; ti++) {
            for (size_t si = 0; si < sizeof shapes / sizeof shapes[0]; si++) {
                mat m = {types[ti], shapes[si][0], shapes[si][1], NULL};
                if (cs_row_bytes(m.type, m.cols) == 0)
                    continue; /* K-quants need cols % 256 == 0 */
                if (only_type && strcmp(only_type, cs_type_name(m.type)) != 0)
                    continue;
                if (quick && si == 4 && m.type != CS_TYPE_Q8_0)
                    continue;
                m.w = make_weights(m.type, m.rows, m.cols);
                double bytes = (double)cs_row_bytes(m.type, m.cols) * m.rows;
                double td = time_mats(&m, 1, x, y, 1, tp, reps, batch);
                double flops = 2.0 * m.rows * m.cols * prefill;
                double tpf = si == 4 ? 0 : time_mats(&m, 1, x, y, prefill, tp, quick ? 1 : 2, 0);
                char shape[32];
                snprintf(shape, sizeof shape, "%dx%d", (int)m.rows, (int)m.cols);
                printf("%-6s %-11s %12.2f %12.1f", cs_type_name(m.type), shape, bytes / td / 1e9, td * 1e6);
                if (tpf > 0)
                    printf(" %14.1f\n", flops / tpf / 1e9);
                else
                    printf(" %14s\n", "-");
                free(m.w);
            }
        }

        /* The matmuls of SmolLM2-135M Q4_K_M (30 layers): attention and
         * gate/up in Q5_0 (rows of 576 cannot be Q4_K), ffn_down Q4_K in 16
         * layers and Q6_K in 14, attn_v Q8_0 in 14 layers, output Q8_0. */
        if (no_model) {
            cs_threadpool_free(tp);
            continue;
        }
        mat model[30 * 7 + 1];
        int n = 0;
        for (int l = 0; l < 30; l++) {
            model[n++] = (mat){CS_TYPE_Q5_0, 576, 576, NULL};
            model[n++] = (mat){CS_TYPE_Q5_0, 192, 576, NULL};
            model[n++] = (mat){l < 14 ? CS_TYPE_Q8_0 : CS_TYPE_Q5_0, 192, 576, NULL};
            model[n++] = (mat){CS_TYPE_Q5_0, 576, 576, NULL};
            model[n++] = (mat){CS_TYPE_Q5_0, 1536, 576, NULL};
            model[n++] = (mat){CS_TYPE_Q5_0, 1536, 576, NULL};
            model[n++] = (mat){l < 16 ? CS_TYPE_Q4_K : CS_TYPE_Q6_K, 576, 1536, NULL};
        }
        model[n++] = (mat){CS_TYPE_Q8_0, 49152, 576, NULL};
        double total = 0;
        for (int i = 0; i < n; i++) {
            model[i].w = make_weights(model[i].type, model[i].rows, model[i].cols);
            total += (double)cs_row_bytes(model[i].type, model[i].cols) * model[i].rows;
        }
        double td = time_mats(model, n, x, y, 1, tp, reps, batch);
        double tp512 = time_mats(model, n - 1, x, y, prefill, tp, 1, 0);
        printf("model matmuls (135M Q4_K_M mix, %.1f MB): decode %.1f tok/s (%.2f GB/s), "
               "prefill %.1f tok/s (512 tokens, output layer excluded)\n",
               total / 1e6, 1.0 / td, total / td / 1e9, prefill / tp512);
        for (int i = 0; i < n; i++)
            free(model[i].w);
        cs_threadpool_free(tp);
    }
    free(x);
    free(y);
    return 0;
}
