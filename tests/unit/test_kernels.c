/* test_kernels.c: tensor types, fp16, dequantization, activation
 * quantization, every fast kernel against the scalar one, matmul and the
 * thread pool. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cs_err.h"
#include "matmul.h"
#include "quant.h"
#include "quant_internal.h"
#include "threadpool.h"
#include "kernels_testutil.h"


/* ---------------------------------------------------------------- types */

Test(types, ids_sizes_names)
{
    cr_expect_eq(CS_TYPE_Q4_K, 12);
    cr_expect_eq(CS_TYPE_Q8_K, 15);
    cr_expect_eq(cs_type_block_size(CS_TYPE_Q5_0), 32);
    cr_expect_eq(cs_type_block_size(CS_TYPE_Q6_K), 256);
    cr_expect_eq(cs_type_block_bytes(CS_TYPE_Q4_K), 144);
    cr_expect_eq(cs_type_block_bytes(CS_TYPE_F16), 2);
    cr_expect_eq(cs_type_block_size(4), 0, "retired Q4_2");
    cr_expect_eq(cs_type_block_size(-1), 0);
    cr_expect_eq(cs_type_block_size(999), 0);
    cr_expect_str_eq(cs_type_name(CS_TYPE_Q6_K), "q6_K");
    cr_expect_str_eq(cs_type_name(77), "unknown");
    cr_expect_eq(cs_row_bytes(CS_TYPE_Q8_0, 576), 18 * 34);
    cr_expect_eq(cs_row_bytes(CS_TYPE_Q4_K, 576), 0, "576 is not a multiple of 256");
    cr_expect_eq(cs_row_bytes(CS_TYPE_F32, 3), 12);
    cr_expect(cs_type_supported(CS_TYPE_Q5_0));
    cr_expect(!cs_type_supported(CS_TYPE_Q4_1));
    cr_expect(!cs_type_supported(CS_TYPE_Q2_K));
    cr_expect_eq(cs_type_vec_dot_type(CS_TYPE_Q5_K), CS_TYPE_Q8_K);
    cr_expect_eq(cs_type_vec_dot_type(CS_TYPE_Q4_0), CS_TYPE_Q8_0);
    cr_expect_eq(cs_type_vec_dot_type(CS_TYPE_F16), CS_TYPE_F16);
}

/* ---------------------------------------------------------------- fp16 */

static uint32_t bits(float f) { uint32_t u; memcpy(&u, &f, 4); return u; }

Test(fp16, edge_cases)
{
    cr_expect_eq(cs_fp32_to_fp16(0.0f), 0x0000);
    cr_expect_eq(cs_fp32_to_fp16(-0.0f), 0x8000);
    cr_expect_eq(cs_fp32_to_fp16(1.0f), 0x3c00);
    cr_expect_eq(cs_fp32_to_fp16(-2.0f), 0xc000);
    cr_expect_eq(cs_fp32_to_fp16(65504.0f), 0x7bff);
    cr_expect_eq(cs_fp32_to_fp16(65519.0f), 0x7bff, "rounds down below the midpoint");
    cr_expect_eq(cs_fp32_to_fp16(65520.0f), 0x7c00, "midpoint rounds to even = inf");
    cr_expect_eq(cs_fp32_to_fp16(1e10f), 0x7c00);
    cr_expect_eq(cs_fp32_to_fp16(-INFINITY), 0xfc00);
    cr_expect_eq(cs_fp32_to_fp16(0x1p-24f), 0x0001, "smallest subnormal");
    cr_expect_eq(cs_fp32_to_fp16(0x1p-25f), 0x0000, "tie rounds to even zero");
    cr_expect_eq(cs_fp32_to_fp16(0x1.8p-24f), 0x0002, "tie rounds to even 2");
    cr_expect_eq(cs_fp32_to_fp16(0x1p-14f), 0x0400, "smallest normal");
    cr_expect_eq(cs_fp32_to_fp16(0x1.ffcp-15f), 0x0400, "rounds up into the normals");
    cr_expect_eq(cs_fp32_to_fp16(1.0f + 0x1p-11f), 0x3c00, "tie to even (down)");
    cr_expect_eq(cs_fp32_to_fp16(1.0f + 0x3p-11f), 0x3c02, "tie to even (up)");
    cr_expect_eq(cs_fp32_to_fp16(1e-9f), 0x0000);
    cs_half nan = cs_fp32_to_fp16(NAN);
    cr_expect((nan & 0x7c00) == 0x7c00 && (nan & 0x3ff) != 0, "NaN stays NaN");
    cr_expect_eq(cs_fp16_to_fp32(0x7bff), 65504.0f);
    cr_expect_eq(cs_fp16_to_fp32(0x0001), 0x1p-24f);
    cr_expect_eq(cs_fp16_to_fp32(0x03ff), 0x3ffp-24f);
    cr_expect_eq(cs_fp16_to_fp32(0x3555), 0x1.554p-2f);
    cr_expect_eq(bits(cs_fp16_to_fp32(0x8000)), 0x80000000u);
    cr_expect(isinf(cs_fp16_to_fp32(0x7c00)) && cs_fp16_to_fp32(0xfc00) < 0);
    cr_expect(isnan(cs_fp16_to_fp32(0x7e00)));
}

Test(fp16, every_half_round_trips)
{
    for (uint32_t u = 0; u < 65536; u++) {
        float f = cs_fp16_to_fp32((cs_half)u);
        cs_half back = cs_fp32_to_fp16(f);
        if (isnan(f))
            cr_assert((back & 0x7e00) == 0x7e00, "0x%04x", u);
        else
            cr_assert_eq(back, u, "0x%04x -> %g -> 0x%04x", u, f, back);
    }
}

#if defined(__x86_64__)
#include <immintrin.h>
__attribute__((target("f16c"))) static cs_half hw_to_half(float f)
{
    return (cs_half)_cvtss_sh(f, _MM_FROUND_TO_NEAREST_INT);
}
__attribute__((target("f16c"))) static float hw_to_float(cs_half x) { return _cvtsh_ss(x); }

Test(fp16, matches_f16c_hardware)
{
    if (!cs_kernels_available(CS_ISA_AVX2)) /* AVX2 kernels imply F16C */
        cr_skip_test("skip: no F16C on this CPU");
    for (uint32_t u = 0; u < 65536; u++) {
        float a = cs_fp16_to_fp32((cs_half)u), b = hw_to_float((cs_half)u);
        cr_assert(bits(a) == bits(b), "0x%04x", u);
    }
    for (int i = 0; i < 2000000; i++) {
        uint32_t u = rnd() ^ (rnd() << 16);
        float f;
        memcpy(&f, &u, 4);
        cr_assert_eq(cs_fp32_to_fp16(f), hw_to_half(f), "bits 0x%08x", u);
    }
}
#endif

/* ---------------------------------------------------------------- dequantize */

Test(dequantize, q4_0_hand_computed)
{
    cs_block_q4_0 b = {.d = h(0.5f)};
    b.qs[0] = 0x1f; /* weight 0 = 15, weight 16 = 1 */
    b.qs[15] = 0x80; /* weight 15 = 0, weight 31 = 8 */
    float y[32];
    cr_assert_eq(cs_dequantize_row(CS_TYPE_Q4_0, &b, y, 32), CS_OK);
    cr_expect_eq(y[0], 3.5f);
    cr_expect_eq(y[16], -3.5f);
    cr_expect_eq(y[15], -4.0f);
    cr_expect_eq(y[31], 0.0f);
    cr_expect_eq(y[1], -4.0f);
}

Test(dequantize, q5_0_hand_computed)
{
    cs_block_q5_0 b = {.d = h(2.0f)};
    b.qs[3] = 0x21;   /* weight 3 low = 1, weight 19 low = 2 */
    b.qh[0] = 0x08;   /* bit 3: weight 3 gets +16 */
    b.qh[3] = 0x80;   /* bit 31: weight 31 gets +16 */
    float y[32];
    cr_assert_eq(cs_dequantize_row(CS_TYPE_Q5_0, &b, y, 32), CS_OK);
    cr_expect_eq(y[3], 2.0f * (17 - 16));
    cr_expect_eq(y[19], 2.0f * (2 - 16));
    cr_expect_eq(y[31], 2.0f * (16 - 16));
    cr_expect_eq(y[0], 2.0f * -16);
}

Test(dequantize, q8_0_and_f16_and_f32)
{
    cs_block_q8_0 b = {.d = h(0.25f)};
    b.qs[5] = -128;
    b.qs[6] = 127;
    float y[32];
    cr_assert_eq(cs_dequantize_row(CS_TYPE_Q8_0, &b, y, 32), CS_OK);
    cr_expect_eq(y[5], -32.0f);
    cr_expect_eq(y[6], 31.75f);
    cs_half hv[2] = {h(1.5f), h(-0.125f)};
    cr_assert_eq(cs_dequantize_row(CS_TYPE_F16, hv, y, 2), CS_OK);
    cr_expect(y[0] == 1.5f && y[1] == -0.125f);
    float fv[2] = {3.0f, -7.0f};
    cr_assert_eq(cs_dequantize_row(CS_TYPE_F32, fv, y, 2), CS_OK);
    cr_expect(y[0] == 3.0f && y[1] == -7.0f);
    cr_expect_eq(cs_dequantize_row(CS_TYPE_Q8_0, &b, y, 31), CS_ERR_INVALID);
    cr_expect_eq(cs_dequantize_row(CS_TYPE_Q2_K, &b, y, 256), CS_ERR_UNSUPPORTED);
}

/* Scales/mins j<4 live in the low 6 bits of bytes j and j+4; j>=4 in the
 * nibbles of bytes j+4 plus the top 2 bits of bytes j-4 and j. */
Test(dequantize, q4_K_and_q5_K_hand_computed)
{
    cs_block_q4_K b;
    memset(&b, 0, sizeof b);
    b.d = h(0.5f);
    b.dmin = h(0.25f);
    b.scales[0] = 3;          /* sc0 = 3 */
    b.scales[4] = 2;          /* m0 = 2 */
    b.scales[1] = 0x40 | 5;   /* sc1 = 5, top bits 01 -> sc5 high bits = 1 */
    b.scales[5] = 0x80 | 1;   /* m1 = 1, top bits 10 -> m5 high bits = 2 */
    b.scales[9] = 0x72;       /* sc5 low = 2, m5 low = 7 */
    b.qs[0] = 0x9a;           /* weight 0 = 10, weight 32 = 9 */
    b.qs[64 + 1] = 0x0c;      /* weight 128+1 = 12 (sub-block 4), 160+1 = 0 (sub-block 5) */
    float y[256];
    cr_assert_eq(cs_dequantize_row(CS_TYPE_Q4_K, &b, y, 256), CS_OK);
    cr_expect_float_eq(y[0], 0.5f * 3 * 10 - 0.25f * 2, 1e-6);
    cr_expect_float_eq(y[32], 0.5f * 5 * 9 - 0.25f * 1, 1e-6);
    /* sc5 = 2 | 1<<4 = 18, m5 = 7 | 2<<4 = 39 */
    cr_expect_float_eq(y[161], 0.5f * 18 * 0 - 0.25f * 39, 1e-6);
    /* sub-block 4: sc4 = scales[8] & 15 | (scales[0]>>6)<<4 = 0, m4 = 0 */
    cr_expect_float_eq(y[129], 0.0f, 1e-6);

    cs_block_q5_K c;
    memset(&c, 0, sizeof c);
    c.d = h(1.0f);
    c.dmin = h(1.0f);
    c.scales[0] = 1;
    c.scales[1] = 1;
    c.qs[0] = 0x21;   /* weight 0 low = 1, weight 32 low = 2 */
    c.qh[0] = 0x03;   /* bit 0 -> weight 0 +16, bit 1 -> weight 32 +16 */
    cr_assert_eq(cs_dequantize_row(CS_TYPE_Q5_K, &c, y, 256), CS_OK);
    cr_expect_float_eq(y[0], 17.0f, 1e-6);
    cr_expect_float_eq(y[32], 18.0f, 1e-6);
    cr_expect_float_eq(y[1], 0.0f, 1e-6);
}

Test(dequantize, q6_K_hand_computed)
{
    cs_block_q6_K b;
    memset(&b, 0, sizeof b);
    b.d = h(0.5f);
    for (int i = 0; i < 16; i++)
        b.scales[i] = (int8_t)(i - 8);
    b.ql[0] = 0x5f;   /* weight 0 low = 15, weight 64 low = 5 */
    b.qh[0] = 0x32;   /* weight 0 hi = 2, 32 hi = 0, 64 hi = 3, 96 hi = 0 */
    b.ql[64 + 33] = 0xa0; /* second half: weight 128+32+1 low 0, 128+96+1 low 10 */
    float y[256];
    cr_assert_eq(cs_dequantize_row(CS_TYPE_Q6_K, &b, y, 256), CS_OK);
    cr_expect_float_eq(y[0], 0.5f * -8 * ((15 | 2 << 4) - 32), 1e-6);
    cr_expect_float_eq(y[64], 0.5f * (4 - 8) * ((5 | 3 << 4) - 32), 1e-6);
    cr_expect_float_eq(y[32], 0.5f * (2 - 8) * -32, 1e-6);
    cr_expect_float_eq(y[225], 0.5f * (14 - 8) * (10 - 32), 1e-6);
}

/* ---------------------------------------------------------------- quantize */

Test(quantize, q8_0_hand_computed)
{
    float x[32] = {0};
    x[0] = 1.0f;
    x[1] = -0.5f;
    x[2] = 0.25f;
    x[3] = 2.5f / 127.0f * 1.0f; /* 2.5 steps: ties go to even (2) */
    cs_block_q8_0 y;
    cr_assert_eq(cs_quantize_row_q8_0(x, &y, 32), CS_OK);
    cr_expect_eq(y.d, h(1.0f / 127.0f));
    cr_expect_eq(y.qs[0], 127);
    cr_expect_eq(y.qs[1], -64, "-63.5 rounds to even");
    cr_expect_eq(y.qs[2], 32, "31.75");
    cr_expect(y.qs[3] == 2 || y.qs[3] == 3);
    float zero[32] = {0};
    cr_assert_eq(cs_quantize_row_q8_0(zero, &y, 32), CS_OK);
    cr_expect_eq(y.d, 0);
    cr_expect_eq(y.qs[7], 0);
    cr_expect_eq(cs_quantize_row_q8_0(x, &y, 31), CS_ERR_INVALID);
}

Test(quantize, q8_K_hand_computed)
{
    float x[256] = {0};
    x[0] = 0.5f;
    x[10] = 2.0f; /* largest magnitude, positive: maps to -127, d < 0 */
    x[20] = -2.0f;
    x[200] = 1.0f;
    cs_block_q8_K y;
    cr_assert_eq(cs_quantize_row_q8_K(x, &y, 256), CS_OK);
    cr_expect_float_eq(y.d, -2.0f / 127.0f, 1e-9);
    cr_expect_eq(y.qs[10], -127);
    cr_expect_eq(y.qs[20], 127);
    cr_expect_eq(y.qs[0], -32, "-31.75");
    cr_expect_eq(y.qs[200], -64, "-63.5 rounds to even");
    cr_expect_eq(y.bsums[0], -32 - 127);
    cr_expect_eq(y.bsums[1], 127);
    cr_expect_eq(y.bsums[12], -64);
    cr_expect_eq(y.bsums[2], 0);
    float back[256];
    cs_dequantize_row(CS_TYPE_Q8_K, &y, back, 256);
    cr_expect_float_eq(back[10], 2.0f, 1e-6);
    float zero[256] = {0};
    cr_assert_eq(cs_quantize_row_q8_K(zero, &y, 256), CS_OK);
    cr_expect(y.d == 0 && y.qs[3] == 0 && y.bsums[3] == 0);
}

/* ---------------------------------------------------------------- kernels */

/* Every ISA this build and CPU can run, scalar first. */
static int isas(cs_isa *out)
{
    int n = 0;
    for (cs_isa i = CS_ISA_SCALAR; i <= CS_ISA_SIMD128; i++)
        if (cs_kernels_available(i))
            out[n++] = i;
    return n;
}

Test(kernels, selection)
{
    cr_expect(cs_kernels_available(CS_ISA_SCALAR));
    cr_expect(cs_kernels_available(CS_ISA_AUTO));
    cr_expect_eq(cs_kernels_select(CS_ISA_SCALAR), CS_OK);
    cr_expect_eq(cs_kernels_active(), CS_ISA_SCALAR);
    cr_expect_eq(cs_kernels_select(CS_ISA_AUTO), CS_OK);
    cr_expect_neq(cs_kernels_active(), CS_ISA_AUTO);
#if !defined(__wasm_simd128__)
    cr_expect_eq(cs_kernels_select(CS_ISA_SIMD128), CS_ERR_UNSUPPORTED);
#endif
    cr_expect_eq(cs_kernels_select((cs_isa)42), CS_ERR_UNSUPPORTED);
    cr_expect_str_eq(cs_isa_name(CS_ISA_AVX2), "avx2");
    cr_expect_str_eq(cs_isa_name((cs_isa)42), "unknown");
#if defined(__x86_64__)
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        cr_expect(cs_kernels_available(CS_ISA_AVX2), "this CPU has AVX2: the AVX2 kernels must be used");
#endif
}

/* Every fast dot product against the scalar one on random blocks. */
Test(kernels, fast_dot_matches_scalar)
{
    cs_isa list[4];
    int n_isa = isas(list);
    const cs_kernel_table *ref = cs_kernel_table_for(CS_ISA_SCALAR);
    for (int k = 1; k < n_isa; k++) {
        const cs_kernel_table *fast = cs_kernel_table_for(list[k]);
        for (int ti = 0; ti < N_TYPES; ti++) {
            int type = TYPES[ti];
            cr_assert_not_null(fast->dot[type], "%s %s", cs_isa_name(list[k]), cs_type_name(type));
            for (int trial = 0; trial < 200; trial++) {
                int64_t n = cs_type_block_size(type) >= 256 ? 256 * (1 + trial % 6) : 32 * (1 + trial % 48);
                if (type == CS_TYPE_F32 || type == CS_TYPE_F16)
                    n = 1 + trial * 7 % 700; /* any length, exercises tails */
                void *w = malloc(cs_row_bytes(type, n));
                float *x = malloc(n * sizeof *x);
                random_row(type, w, n);
                random_floats(x, n);
                void *a = quantized_acts(type, x, n);
                float r = ref->dot[type]((int)n, w, a);
                float f = fast->dot[type]((int)n, w, a);
                float tol = dot_tolerance(type, w, a, n);
                cr_assert(fabsf(r - f) <= tol, "%s %s n=%d: scalar %.9g fast %.9g (tol %g)",
                          cs_isa_name(list[k]), cs_type_name(type), (int)n, r, f, tol);
                free(w);
                free(x);
                free(a);
            }
        }
    }
}

/* Extreme integer operands: the largest products must not saturate the
 * 16-bit intermediate sums of the SIMD kernels (integer part exact). */
Test(kernels, extreme_blocks_exact)
{
    cs_isa list[4];
    int n_isa = isas(list);
    const cs_kernel_table *ref = cs_kernel_table_for(CS_ISA_SCALAR);
    uint8_t w[sizeof(cs_block_q6_K) * 2], a[sizeof(cs_block_q8_K) * 2];
    for (int k = 1; k < n_isa; k++) {
        const cs_kernel_table *fast = cs_kernel_table_for(list[k]);
        for (int ti = 2; ti < N_TYPES; ti++) {
            int type = TYPES[ti];
            int n = cs_type_block_size(type);
            for (int pattern = 0; pattern < 4; pattern++) {
                memset(w, pattern & 1 ? 0xff : 0x00, sizeof w);
                memset(a, 0, sizeof a);
                int dt = cs_type_vec_dot_type(type);
                if (dt == CS_TYPE_Q8_0) {
                    cs_block_q8_0 *y = (void *)a;
                    y->d = h(1.0f);
                    memset(y->qs, pattern & 2 ? 0x81 : 0x7f, 32); /* -127 or 127 */
                    cs_q8_0_append_scales(y, n);
                } else {
                    cs_block_q8_K *y = (void *)a;
                    y->d = 1.0f;
                    memset(y->qs, pattern & 2 ? 0x81 : 0x7f, 256);
                    for (int g = 0; g < 16; g++)
                        y->bsums[g] = (int16_t)(16 * y->qs[0]);
                }
                /* scales to 1.0 (keep the integer sums exact in float) */
                switch (type) {
                case CS_TYPE_Q4_0: ((cs_block_q4_0 *)w)->d = h(1); break;
                case CS_TYPE_Q5_0: ((cs_block_q5_0 *)w)->d = h(1); break;
                case CS_TYPE_Q8_0: ((cs_block_q8_0 *)w)->d = h(1); break;
                case CS_TYPE_Q4_K: ((cs_block_q4_K *)w)->d = h(1); ((cs_block_q4_K *)w)->dmin = h(1); break;
                case CS_TYPE_Q5_K: ((cs_block_q5_K *)w)->d = h(1); ((cs_block_q5_K *)w)->dmin = h(1); break;
                case CS_TYPE_Q6_K: ((cs_block_q6_K *)w)->d = h(1); break;
                }
                float r = ref->dot[type](n, w, a), f = fast->dot[type](n, w, a);
                cr_assert_eq(r, f, "%s %s pattern %d: %.9g vs %.9g", cs_isa_name(list[k]),
                             cs_type_name(type), pattern, r, f);
            }
        }
    }
}

Test(kernels, fast_quantize_is_bit_identical)
{
    cs_isa list[4];
    int n_isa = isas(list);
    enum { N = 1024 };
    float x[N];
    for (int k = 1; k < n_isa; k++) {
        const cs_kernel_table *fast = cs_kernel_table_for(list[k]);
        for (int trial = 0; trial < 50; trial++) {
            random_floats(x, N);
            if (trial % 5 == 0)
                memset(x + 32, 0, 32 * sizeof(float)); /* an all-zero block */
            if (trial % 7 == 0)
                for (int i = 0; i < N; i++)
                    x[i] = (float)(i % 64 - 32) * 0.5f; /* exact ties */
            cs_block_q8_0 a[N / 32], b[N / 32];
            cs_quantize_q8_0_ref(x, a, N);
            fast->quantize_q8_0(x, b, N);
            cr_assert(memcmp(a, b, sizeof a) == 0, "%s q8_0 trial %d", cs_isa_name(list[k]), trial);
            cs_block_q8_K c[N / 256], d[N / 256];
            cs_quantize_q8_K_ref(x, c, N);
            fast->quantize_q8_K(x, d, N);
            cr_assert(memcmp(c, d, sizeof c) == 0, "%s q8_K trial %d", cs_isa_name(list[k]), trial);
            cs_half e[N], f[N];
            cs_fp32_to_fp16_row_ref(x, e, N - 3);
            fast->fp32_to_fp16(x, f, N - 3);
            cr_assert(memcmp(e, f, (N - 3) * sizeof(cs_half)) == 0, "%s f16", cs_isa_name(list[k]));
            float g[N], gg[N];
            cs_fp16_to_fp32_row_ref(e, g, N - 3);
            fast->fp16_to_fp32(e, gg, N - 3);
            cr_assert(memcmp(g, gg, (N - 3) * sizeof(float)) == 0, "%s f16 -> f32", cs_isa_name(list[k]));
        }
    }
}

Test(kernels, dot_multi_matches_dot)
{
    cs_isa list[4];
    int n_isa = isas(list);
    for (int k = 0; k < n_isa; k++) {
        const cs_kernel_table *t = cs_kernel_table_for(list[k]);
        for (int ti = 0; ti < N_TYPES; ti++) {
            int type = TYPES[ti];
            if (t->dot_multi[type] == NULL)
                continue;
            int64_t n = 800; /* 25 blocks of 32: an odd count, 4-byte padding */
            if (cs_type_block_size(type) == 256)
                n = 768;
            int ntok = 11;
            void *w = malloc(cs_row_bytes(type, n));
            random_row(type, w, n);
            int q8_0 = cs_type_vec_dot_type(type) == CS_TYPE_Q8_0;
            size_t stride = q8_0 ? cs_q8_0_row_with_scales(n) : cs_row_bytes(cs_type_vec_dot_type(type), n);
            char *a = malloc(stride * ntok);
            float *x = malloc(n * sizeof *x);
            for (int tok = 0; tok < ntok; tok++) {
                random_floats(x, n);
                cs_quantize_activations(type, x, a + stride * tok, n);
                if (q8_0)
                    cs_q8_0_append_scales(a + stride * tok, n);
            }
            float out[11 * 3];
            t->dot_multi[type]((int)n, w, a, stride, ntok, out, 3);
            for (int tok = 0; tok < ntok; tok++) {
                /* Same arithmetic per token: prefill and decode agree bit for bit. */
                float r = t->dot[type]((int)n, w, a + stride * tok);
                cr_assert(out[tok * 3] == r, "%s %s token %d: %.9g vs %.9g", cs_isa_name(list[k]),
                          cs_type_name(type), tok, out[tok * 3], r);
            }
            free(w);
            free(a);
            free(x);
        }
    }
}

/* ---------------------------------------------------------------- matmul */

/* y = x W^T computed naively from dequantized weights and activations. */
static void naive(int type, const void *w, int64_t rows, int64_t cols, const float *x, int ntok, float *y)
{
    float *wf = malloc(cols * sizeof *wf), *xq = malloc(cols * sizeof *xq);
    void *a = malloc(cs_row_bytes(cs_type_vec_dot_type(type), cols));
    size_t rb = cs_row_bytes(type, cols);
    for (int t = 0; t < ntok; t++) {
        cs_quantize_activations(type, x + t * cols, a, cols);
        cs_dequantize_row(cs_type_vec_dot_type(type), a, xq, cols);
        for (int64_t r = 0; r < rows; r++) {
            cs_dequantize_row(type, (const char *)w + r * rb, wf, cols);
            double s = 0;
            for (int64_t c = 0; c < cols; c++)
                s += (double)wf[c] * xq[c];
            y[t * rows + r] = (float)s;
        }
    }
    free(wf);
    free(xq);
    free(a);
}

Test(matmul, all_types_isas_threads)
{
    cs_isa list[4];
    int n_isa = isas(list);
    cs_threadpool *pools[4];
    for (int i = 0; i < 4; i++)
        cr_assert_eq(cs_threadpool_create(i + 1, &pools[i]), CS_OK);
    const int64_t rows = 37, cols = 512;
    const int ntoks[] = {1, 5, 9};
    for (int ti = 0; ti < N_TYPES; ti++) {
        int type = TYPES[ti];
        void *w = malloc(cs_row_bytes(type, cols) * rows);
        random_row(type, w, cols * rows);
        cs_tensor_view W = {type, rows, cols, w};
        for (int ni = 0; ni < 3; ni++) {
            int ntok = ntoks[ni];
            float *x = malloc(ntok * cols * sizeof *x);
            random_floats(x, ntok * cols);
            float *want = malloc(ntok * rows * sizeof *want);
            naive(type, w, rows, cols, x, ntok, want);
            float *y = malloc(ntok * rows * sizeof *y), *y1 = malloc(ntok * rows * sizeof *y1);
            for (int k = 0; k < n_isa; k++) {
                cr_assert_eq(cs_kernels_select(list[k]), CS_OK);
                for (int p = 0; p < 4; p++) {
                    memset(y, 0xff, ntok * rows * sizeof *y);
                    cr_assert_eq(cs_matmul(&W, x, y, ntok, pools[p]), CS_OK);
                    if (p == 0)
                        memcpy(y1, y, ntok * rows * sizeof *y);
                    else
                        cr_assert(memcmp(y, y1, ntok * rows * sizeof *y) == 0,
                                  "%s %s %d threads differs from 1 thread", cs_isa_name(list[k]),
                                  cs_type_name(type), p + 1);
                }
                /* the batch (prefill kernels) equals token by token (decode) */
                float one[37];
                for (int t = 0; t < ntok; t++) {
                    cr_assert_eq(cs_matmul(&W, x + t * cols, one, 1, pools[1]), CS_OK);
                    cr_assert(memcmp(one, y + t * rows, sizeof one) == 0, "%s %s token %d of %d",
                              cs_isa_name(list[k]), cs_type_name(type), t, ntok);
                }
                for (int i = 0; i < ntok * rows; i++)
                    cr_assert(fabsf(y[i] - want[i]) <= 1e-3f * (1 + fabsf(want[i])),
                              "%s %s ntok %d out %d: %g vs %g", cs_isa_name(list[k]),
                              cs_type_name(type), ntok, i, y[i], want[i]);
            }
            free(x);
            free(want);
            free(y);
            free(y1);
        }
        free(w);
    }
    cs_kernels_select(CS_ISA_AUTO);
    for (int i = 0; i < 4; i++)
        cs_threadpool_free(pools[i]);
}

Test(matmul, multi_equals_separate)
{
    const int64_t cols = 256;
    void *w1 = malloc(cs_row_bytes(CS_TYPE_Q8_0, cols) * 10);
    void *w2 = malloc(cs_row_bytes(CS_TYPE_Q4_K, cols) * 7);
    random_row(CS_TYPE_Q8_0, w1, cols * 10);
    random_row(CS_TYPE_Q4_K, w2, cols * 7);
    cs_tensor_view A = {CS_TYPE_Q8_0, 10, cols, w1}, B = {CS_TYPE_Q4_K, 7, cols, w2};
    float x[3 * 256], ya[30], yb[21], ma[30], mb[21];
    random_floats(x, 3 * 256);
    cs_threadpool *tp;
    cr_assert_eq(cs_threadpool_create(2, &tp), CS_OK);
    cr_assert_eq(cs_matmul(&A, x, ya, 3, tp), CS_OK);
    cr_assert_eq(cs_matmul(&B, x, yb, 3, NULL), CS_OK);
    const cs_tensor_view *Ws[2] = {&A, &B};
    float *ys[2] = {ma, mb};
    cr_assert_eq(cs_matmul_multi(Ws, ys, 2, x, 3, tp), CS_OK);
    cr_expect(memcmp(ya, ma, sizeof ya) == 0);
    cr_expect(memcmp(yb, mb, sizeof yb) == 0);
    cs_threadpool_free(tp);
    free(w1);
    free(w2);
}

Test(matmul, rejects_bad_arguments)
{
    float x[64] = {0}, y[4];
    cs_block_q8_0 b[2] = {0};
    cs_tensor_view W = {CS_TYPE_Q8_0, 1, 64, b};
    cr_expect_eq(cs_matmul(&W, x, y, 0, NULL), CS_ERR_INVALID);
    W.cols = 60;
    cr_expect_eq(cs_matmul(&W, x, y, 1, NULL), CS_ERR_INVALID);
    W.cols = 64;
    W.type = CS_TYPE_Q2_K;
    cr_expect_eq(cs_matmul(&W, x, y, 1, NULL), CS_ERR_UNSUPPORTED);
    W.type = 99;
    cr_expect_eq(cs_matmul(&W, x, y, 1, NULL), CS_ERR_UNSUPPORTED);
    W.type = CS_TYPE_Q8_0;
    W.data = NULL;
    cr_expect_eq(cs_matmul(&W, x, y, 1, NULL), CS_ERR_INVALID);
    cr_expect_eq(cs_matmul_multi(NULL, NULL, 0, x, 1, NULL), CS_ERR_INVALID);
}

Test(matmul, get_row)
{
    const int64_t rows = 5, cols = 256;
    for (int ti = 0; ti < N_TYPES; ti++) {
        int type = TYPES[ti];
        size_t rb = cs_row_bytes(type, cols);
        char *w = malloc(rb * rows);
        random_row(type, w, cols * rows);
        cs_tensor_view W = {type, rows, cols, w};
        float got[256], want[256];
        cr_assert_eq(cs_tensor_get_row(&W, 3, got), CS_OK);
        cs_dequantize_row(type, w + 3 * rb, want, cols);
        cr_expect(memcmp(got, want, sizeof got) == 0, "%s", cs_type_name(type));
        cr_expect_eq(cs_tensor_get_row(&W, 5, got), CS_ERR_INVALID);
        cr_expect_eq(cs_tensor_get_row(&W, -1, got), CS_ERR_INVALID);
        free(w);
    }
}

/* ---------------------------------------------------------------- threadpool */

typedef struct {
    int hits[64];
    int nth_seen;
} count_arg;

static void count_job(void *p, int ith, int nth)
{
    count_arg *c = p;
    c->hits[ith]++;
    c->nth_seen = nth;
}

Test(threadpool, every_thread_runs_each_job_once)
{
    for (int n = 1; n <= 4; n++) {
        cs_threadpool *tp;
        cr_assert_eq(cs_threadpool_create(n, &tp), CS_OK);
        int size = cs_threadpool_size(tp);
        cr_assert(size == n || size == 1);
        count_arg c = {0};
        for (int rep = 0; rep < 1000; rep++)
            cs_threadpool_run(tp, count_job, &c);
        for (int i = 0; i < size; i++)
            cr_expect_eq(c.hits[i], 1000, "n=%d thread %d", n, i);
        cr_expect_eq(c.nth_seen, size);
        cs_threadpool_free(tp);
    }
    count_arg c = {0};
    cs_threadpool_run(NULL, count_job, &c);
    cr_expect(c.hits[0] == 1 && c.nth_seen == 1);
    cr_expect_eq(cs_threadpool_size(NULL), 1);
    cs_threadpool *tp;
    cr_expect_eq(cs_threadpool_create(0, &tp), CS_ERR_INVALID);
    cr_expect_null(tp);
    cs_threadpool_free(NULL);
}

typedef struct {
    int hits[1000];
    int nth_seen;
} parts_arg;

static void parts_job(void *p, int ith, int nth)
{
    parts_arg *c = p;
    __atomic_fetch_add(&c->hits[ith], 1, __ATOMIC_RELAXED);
    c->nth_seen = nth;
}

Test(threadpool, every_part_runs_exactly_once)
{
    for (int n = 1; n <= 4; n++) {
        cs_threadpool *tp;
        cr_assert_eq(cs_threadpool_create(n, &tp), CS_OK);
        const int counts[] = {1, 2, 3, 7, 64, 1000};
        for (int ci = 0; ci < 6; ci++) {
            parts_arg *c = calloc(1, sizeof *c);
            for (int rep = 0; rep < 50; rep++)
                cs_threadpool_run_parts(tp, parts_job, c, counts[ci]);
            for (int i = 0; i < counts[ci]; i++)
                cr_assert_eq(c->hits[i], 50, "threads %d parts %d part %d", n, counts[ci], i);
            cr_assert_eq(c->hits[counts[ci] < 1000 ? counts[ci] : 0], counts[ci] < 1000 ? 0 : 50);
            cr_expect_eq(c->nth_seen, counts[ci]);
            free(c);
        }
        cs_threadpool_run_parts(tp, parts_job, NULL, 0); /* nothing to do: no call */
        cs_threadpool_free(tp);
    }
}

Test(threadpool, scratch_grows_and_is_aligned)
{
    cs_threadpool *tp;
    cr_assert_eq(cs_threadpool_create(2, &tp), CS_OK);
    char *a = cs_threadpool_scratch(tp, 100);
    cr_assert_not_null(a);
    cr_expect_eq((uintptr_t)a % 64, 0);
    memset(a, 1, 100);
    char *b = cs_threadpool_scratch(tp, 50);
    cr_expect_eq(a, b, "reused when large enough");
    char *c = cs_threadpool_scratch(tp, 1 << 20);
    cr_assert_not_null(c);
    memset(c, 2, 1 << 20);
    cr_expect_null(cs_threadpool_scratch(NULL, 10));
    cs_threadpool_free(tp);
}
