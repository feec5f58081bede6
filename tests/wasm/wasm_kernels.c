/* wasm_kernels.c: inside WebAssembly, checks the SIMD128 kernels against the
 * scalar ones on random blocks and runs a matmul through the thread pool
 * (one thread without -pthread).  Prints ok:/FAIL: lines; exit 1 on failure. */
#include <stdio.h>
#include <string.h>

#include "kernels_testutil.h"
#include "matmul.h"
#include "quant_internal.h"
#include "threadpool.h"

static int failures;

static void check(int ok, const char *what, const char *type)
{
    if (!ok)
        failures++;
    printf("%s: wasm %s %s\n", ok ? "ok" : "FAIL", what, type);
}

int main(void)
{
    const cs_kernel_table *ref = cs_kernel_table_for(CS_ISA_SCALAR);
    const cs_kernel_table *simd = cs_kernel_table_for(CS_ISA_SIMD128);
    check(simd != NULL && cs_kernels_active() == CS_ISA_SIMD128, "simd128 kernels selected by default", "");
    if (simd == NULL)
        return 1;
    for (int ti = 0; ti < N_TYPES; ti++) {
        int type = TYPES[ti], ok = simd->dot[type] != NULL;
        for (int trial = 0; ok && trial < 300; trial++) {
            int64_t n = cs_type_block_size(type) >= 256 ? 256 * (1 + trial % 6) : 32 * (1 + trial % 48);
            if (type == CS_TYPE_F32 || type == CS_TYPE_F16)
                n = 1 + trial * 7 % 700;
            void *w = malloc(cs_row_bytes(type, n));
            float *x = malloc(n * sizeof *x);
            random_row(type, w, n);
            random_floats(x, n);
            void *a = quantized_acts(type, x, n);
            float r = ref->dot[type]((int)n, w, a), f = simd->dot[type]((int)n, w, a);
            if (fabsf(r - f) > dot_tolerance(type, w, a, n)) {
                printf("  n=%d scalar %.9g simd %.9g\n", (int)n, r, f);
                ok = 0;
            }
            free(w);
            free(x);
            free(a);
        }
        check(ok, "dot matches scalar", cs_type_name(type));
    }
    enum { N = 1024 };
    static float x[N];
    static cs_block_q8_0 qa[N / 32], qb[N / 32];
    int same = 1;
    for (int trial = 0; trial < 50; trial++) {
        random_floats(x, N);
        if (trial % 5 == 0)
            memset(x, 0, 32 * sizeof(float));
        cs_quantize_q8_0_ref(x, qa, N);
        simd->quantize_q8_0(x, qb, N);
        same &= memcmp(qa, qb, sizeof qa) == 0;
    }
    check(same, "quantize bit-identical", "q8_0");

    /* every half value converts to the same float bits */
    static cs_half all[65536];
    static float fa[65536], fb[65536];
    for (int i = 0; i < 65536; i++)
        all[i] = (cs_half)i;
    cs_fp16_to_fp32_row_ref(all, fa, 65536);
    simd->fp16_to_fp32(all, fb, 65536);
    check(memcmp(fa, fb, sizeof fa) == 0, "fp16 -> fp32 bit-identical for all 65536 halves", "f16");

    /* matmul through the pool: simd128 vs scalar selection */
    cs_threadpool *tp = NULL;
    check(cs_threadpool_create(4, &tp) == CS_OK && cs_threadpool_size(tp) == 1,
          "thread pool runs one thread without -pthread", "");
    for (int ti = 0; ti < N_TYPES; ti++) {
        int type = TYPES[ti];
        const int64_t rows = 19, cols = 512;
        const int ntok = 6; /* one group of 4 tokens and 2 single ones */
        void *w = malloc(cs_row_bytes(type, cols) * rows);
        random_row(type, w, cols * rows);
        cs_tensor_view W = {type, rows, cols, w};
        float *xs = malloc(ntok * cols * sizeof *xs), y0[19 * 6], y1[19 * 6], y2[19 * 6];
        random_floats(xs, ntok * cols);
        cs_kernels_select(CS_ISA_SCALAR);
        int ok = cs_matmul(&W, xs, y0, ntok, tp) == CS_OK;
        cs_kernels_select(CS_ISA_SIMD128);
        ok &= cs_matmul(&W, xs, y1, ntok, tp) == CS_OK;
        for (int i = 0; i < rows * ntok; i++)
            ok &= fabsf(y0[i] - y1[i]) <= 1e-4f * (1 + fabsf(y0[i]));
        check(ok, "matmul matches scalar", cs_type_name(type));
        /* token by token (decode kernels) equals the batch (prefill kernels) */
        int same_bits = 1;
        for (int t = 0; t < ntok; t++) {
            same_bits &= cs_matmul(&W, xs + t * cols, y2 + t * rows, 1, tp) == CS_OK;
            same_bits &= memcmp(y2 + t * rows, y1 + t * rows, rows * sizeof(float)) == 0;
        }
        check(same_bits, "prefill equals decode bit for bit", cs_type_name(type));
        free(w);
        free(xs);
    }
    cs_threadpool_free(tp);
    return failures ? 1 : 0;
}
