/* kernels_testutil.h: random blocks and tolerances shared by the native
 * kernel tests (test_kernels.c) and the WASM SIMD128 check (wasm_kernels.c). */
#ifndef KERNELS_TESTUTIL_H
#define KERNELS_TESTUTIL_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "cs_err.h"
#include "quant.h"
#include "quant_internal.h"

static const int TYPES[] = {CS_TYPE_F32,  CS_TYPE_F16,  CS_TYPE_Q4_0, CS_TYPE_Q5_0,
                            CS_TYPE_Q8_0, CS_TYPE_Q4_K, CS_TYPE_Q5_K, CS_TYPE_Q6_K};
#define N_TYPES (int)(sizeof TYPES / sizeof TYPES[0])


static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static inline uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16);
}
static inline float rndf(float lo, float hi) { return lo + (hi - lo) * (float)(rnd() & 0xffffff) / 16777216.0f; }

static inline cs_half h(float f) { return cs_fp32_to_fp16(f); }

/* Fills `bytes` of a row of `type` with random blocks whose scales are sane
 * (random fp16 bits could be NaN or huge). */
static inline void random_row(int type, void *row, int64_t n)
{
    size_t bytes = cs_row_bytes(type, n);
    uint8_t *p = row;
    for (size_t i = 0; i < bytes; i++)
        p[i] = (uint8_t)rnd();
    int64_t nb = n / cs_type_block_size(type);
    for (int64_t i = 0; i < nb; i++) {
        switch (type) {
        case CS_TYPE_F32: ((float *)row)[i] = rndf(-1, 1); break;
        case CS_TYPE_F16: ((cs_half *)row)[i] = h(rndf(-1, 1)); break;
        case CS_TYPE_Q4_0: ((cs_block_q4_0 *)row)[i].d = h(rndf(-0.1f, 0.1f)); break;
        case CS_TYPE_Q5_0: ((cs_block_q5_0 *)row)[i].d = h(rndf(-0.1f, 0.1f)); break;
        case CS_TYPE_Q8_0: ((cs_block_q8_0 *)row)[i].d = h(rndf(-0.01f, 0.01f)); break;
        case CS_TYPE_Q4_K:
            ((cs_block_q4_K *)row)[i].d = h(rndf(0, 0.01f));
            ((cs_block_q4_K *)row)[i].dmin = h(rndf(0, 0.01f));
            break;
        case CS_TYPE_Q5_K:
            ((cs_block_q5_K *)row)[i].d = h(rndf(0, 0.01f));
            ((cs_block_q5_K *)row)[i].dmin = h(rndf(0, 0.01f));
            break;
        case CS_TYPE_Q6_K: ((cs_block_q6_K *)row)[i].d = h(rndf(-0.01f, 0.01f)); break;
        }
    }
}

static inline void random_floats(float *x, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        x[i] = rndf(-2, 2);
}

/* Activations in the dot type of weight type `type`. */
static inline void *quantized_acts(int type, const float *x, int64_t n)
{
    int dt = cs_type_vec_dot_type(type);
    /* Q8_0 rows carry their scales as floats too (quant_internal.h). */
    void *a = malloc(dt == CS_TYPE_Q8_0 ? cs_q8_0_row_with_scales(n) : cs_row_bytes(dt, n));
    if (cs_quantize_activations(type, x, a, n) != CS_OK)
        abort();
    if (dt == CS_TYPE_Q8_0)
        cs_q8_0_append_scales(a, n);
    return a;
}

/* Tolerance for comparing float sums taken in different orders. */
static inline float dot_tolerance(int type, const void *w, const void *a, int64_t n)
{
    float *wf = malloc(n * sizeof *wf), *af = malloc(n * sizeof *af);
    cs_dequantize_row(type, w, wf, n);
    cs_dequantize_row(cs_type_vec_dot_type(type), a, af, n);
    double s = 0;
    for (int64_t i = 0; i < n; i++)
        s += fabs((double)wf[i] * af[i]);
    free(wf);
    free(af);
    return (float)(s * 2e-5 + 1e-6);
}

#endif
