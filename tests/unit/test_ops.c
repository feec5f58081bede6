/* test_ops.c: RMSNorm, softmax, SwiGLU and RoPE against direct formulas. */
#include <criterion/criterion.h>
#include <math.h>

#include "ops.h"

Test(ops, rmsnorm_matches_the_formula)
{
    float x[6] = {1, -2, 3, 0.5f, -0.25f, 4}, w[6] = {1, 2, 0.5f, 1, 1, -1}, out[6];
    double ss = 0;
    for (int i = 0; i < 6; i++) ss += x[i] * x[i];
    double r = 1.0 / sqrt(ss / 6 + 1e-5);
    cs_op_rmsnorm(out, x, w, 6, 1e-5f);
    for (int i = 0; i < 6; i++) cr_expect_float_eq(out[i], (float)(x[i] * r * w[i]), 1e-6);
    cs_op_rmsnorm(x, x, w, 6, 1e-5f); /* in place */
    for (int i = 0; i < 6; i++) cr_expect_float_eq(x[i], out[i], 0);
}

Test(ops, softmax_sums_to_one_and_masks)
{
    float x[5] = {1, 2, 3, -INFINITY, 1000};
    cs_op_softmax(x, 4);
    cr_expect_float_eq(x[0] + x[1] + x[2] + x[3], 1.0f, 1e-6);
    cr_expect_eq(x[3], 0.0f);
    cr_expect_float_eq(x[2] / x[1], expf(1.0f), 1e-5);
    cr_expect_eq(x[4], 1000.0f, "entries past n are untouched");
    float big[2] = {1000.0f, 1000.0f};  /* no overflow: max is subtracted */
    cs_op_softmax(big, 2);
    cr_expect_float_eq(big[0], 0.5f, 1e-7);
}

Test(ops, swiglu)
{
    float g[3] = {0.0f, 2.0f, -3.0f}, u[3] = {5.0f, 0.5f, 2.0f};
    cs_op_swiglu(g, u, 3);
    cr_expect_float_eq(g[0], 0.0f, 0);
    cr_expect_float_eq(g[1], 2.0f / (1.0f + expf(-2.0f)) * 0.5f, 1e-6);
    cr_expect_float_eq(g[2], -3.0f / (1.0f + expf(3.0f)) * 2.0f, 1e-6);
}

Test(ops, rope_cache_angles)
{
    float cs[8];
    cs_op_rope_cache(cs, 0, 8, 10000.0f, 1.0f, NULL);
    for (int i = 0; i < 4; i++) {
        cr_expect_float_eq(cs[2 * i], 1.0f, 0);
        cr_expect_float_eq(cs[2 * i + 1], 0.0f, 0);
    }
    cs_op_rope_cache(cs, 7, 8, 500.0f, 0.5f, NULL);
    for (int i = 0; i < 4; i++) {
        double theta = 7 * 0.5 * pow(500.0, -2.0 * i / 8);
        cr_expect_float_eq(cs[2 * i], (float)cos(theta), 1e-5);
        cr_expect_float_eq(cs[2 * i + 1], (float)sin(theta), 1e-5);
    }
    float ff[4] = {1, 2, 4, 8};
    cs_op_rope_cache(cs, 3, 8, 10000.0f, 1.0f, ff);
    double theta3 = 3 * pow(10000.0, -6.0 / 8) / 8;
    cr_expect_float_eq(cs[7], (float)sin(theta3), 1e-6);
}

Test(ops, rope_normal_rotates_adjacent_pairs_neox_halves)
{
    float cs[8];
    cs_op_rope_cache(cs, 5, 8, 10000.0f, 1.0f, NULL);
    float a[10], b[10];
    for (int i = 0; i < 10; i++) a[i] = b[i] = (float)(i + 1);
    cs_op_rope(a, cs, 8, 0);
    cs_op_rope(b, cs, 8, 1);
    for (int i = 0; i < 4; i++) {
        float c = cs[2 * i], s = cs[2 * i + 1];
        float x0 = (float)(2 * i + 1), x1 = (float)(2 * i + 2);  /* pairs (2i, 2i+1) */
        cr_expect_float_eq(a[2 * i], x0 * c - x1 * s, 1e-5);
        cr_expect_float_eq(a[2 * i + 1], x0 * s + x1 * c, 1e-5);
        float y0 = (float)(i + 1), y1 = (float)(i + 5);            /* pairs (i, i+4) */
        cr_expect_float_eq(b[i], y0 * c - y1 * s, 1e-5);
        cr_expect_float_eq(b[i + 4], y0 * s + y1 * c, 1e-5);
    }
    cr_expect_eq(a[8], 9.0f, "dims past n_rot pass through");
    cr_expect_eq(b[9], 10.0f);
}


/* ------------------------------------------------ llama.cpp arithmetic */

#include "quant.h"
#include <stdlib.h>
#include <string.h>

Test(ops, expf_is_close_to_libm_and_handles_extremes)
{
    for (float x = -100.0f; x < 88.0f; x += 0.37f) {
        float a = cs_op_expf(x), b = expf(x);
        cr_expect(fabsf(a - b) <= 3e-7f * b + 1e-37f, "x=%g: %g vs %g", x, a, b);
    }
    cr_expect_eq(cs_op_expf(-INFINITY), 0.0f);
    cr_expect_eq(cs_op_expf(0.0f), 1.0f);
    cr_expect(isinf(cs_op_expf(200.0f)));
    cr_expect(isnan(cs_op_expf(NAN)));
}

static uint32_t lcg(uint32_t *s) { return *s = *s * 1664525u + 1013904223u; }
static float rnd(uint32_t *s, float scale) { return ((float)(lcg(s) >> 8) / 16777216.0f - 0.5f) * scale; }

/* The vector versions must give the scalar versions' bits. */
Test(ops, vector_paths_give_the_scalar_bits)
{
    uint32_t seed = 7;
    enum { N = 200, D = 64 };
    float a[N], b[N], g1[N], g2[N], up[N];
    for (int i = 0; i < N; i++) {
        a[i] = b[i] = rnd(&seed, 40.0f);
        g1[i] = g2[i] = rnd(&seed, 20.0f);
        up[i] = rnd(&seed, 2.0f);
    }
    a[5] = b[5] = -INFINITY;
    uint16_t k[N], q[N], v[N * D];
    for (int i = 0; i < N; i++) k[i] = cs_fp32_to_fp16(rnd(&seed, 2.0f)), q[i] = cs_fp32_to_fp16(rnd(&seed, 2.0f));
    for (int i = 0; i < N * D; i++) v[i] = cs_fp32_to_fp16(rnd(&seed, 2.0f));
    float o1[D], o2[D], lanes[64 * D], v1[D], v2[D];

    cs_ops_force_scalar(0);
    cs_op_softmax(a, N);
    cs_op_swiglu(g1, up, N);
    float d1 = cs_op_dot_f16(k, q, 70);
    cs_op_weighted_sum_f16(o1, q, v, 150, D, D, lanes);
    float e1 = cs_op_dot_f16_vec(k, q, 190);
    cs_op_weighted_sum_f16_vec(v1, q, v, 150, 160, D, D, lanes);
    cs_ops_force_scalar(1);
    cs_op_softmax(b, N);
    cs_op_swiglu(g2, up, N);
    float d2 = cs_op_dot_f16(k, q, 70);
    cs_op_weighted_sum_f16(o2, q, v, 150, D, D, lanes);
    float e2 = cs_op_dot_f16_vec(k, q, 190);
    cs_op_weighted_sum_f16_vec(v2, q, v, 150, 160, D, D, lanes);
    cs_ops_force_scalar(0);

    cr_expect_arr_eq(a, b, sizeof a);
    cr_expect_arr_eq(g1, g2, sizeof g1);
    cr_expect_eq(d1, d2);
    cr_expect_arr_eq(o1, o2, sizeof o1);
    cr_expect_eq(e1, e2);
    cr_expect_arr_eq(v1, v2, sizeof v1);
    float sum = 0;
    for (int i = 0; i < N; i++) sum += a[i];
    cr_expect_float_eq(sum, 1.0f, 1e-5);
    cr_expect_eq(a[5], 0.0f);
}

Test(ops, f16_dots_are_dot_products)
{
    uint16_t x[40], y[40], v[40 * 3];
    double want = 0;
    for (int i = 0; i < 40; i++) {
        x[i] = cs_fp32_to_fp16((float)(i % 7) * 0.25f);
        y[i] = cs_fp32_to_fp16((float)(i % 5) - 2.0f);
        want += (double)cs_fp16_to_fp32(x[i]) * cs_fp16_to_fp32(y[i]);
        for (int d = 0; d < 3; d++) v[i * 3 + d] = cs_fp32_to_fp16((float)(d + 1));
    }
    cr_expect_float_eq(cs_op_dot_f16(x, y, 40), (float)want, 1e-4);
    float out[3], lanes[16 * 3];
    cs_op_weighted_sum_f16(out, x, v, 40, 3, 3, lanes);
    double px = 0;
    for (int i = 0; i < 40; i++) px += cs_fp16_to_fp32(x[i]);
    for (int d = 0; d < 3; d++) cr_expect_float_eq(out[d], (float)(px * (d + 1)), 1e-4);
}

/* The decode (ggml_vec_dot_f16) order: 64 lanes, pairwise tree, then the
 * tail past the last multiple of 64 in double; same sums as above, and for
 * values whose float sum is inexact, a different rounding than 16 lanes. */
Test(ops, f16_vec_dots_are_dot_products_in_ggml_vec_order)
{
    enum { N = 100 };
    uint16_t x[N], y[N], v[N * 3];
    double want = 0;
    for (int i = 0; i < N; i++) {
        x[i] = cs_fp32_to_fp16((float)(i % 7) * 0.25f);
        y[i] = cs_fp32_to_fp16((float)(i % 5) - 2.0f);
        want += (double)cs_fp16_to_fp32(x[i]) * cs_fp16_to_fp32(y[i]);
        for (int d = 0; d < 3; d++) v[i * 3 + d] = cs_fp32_to_fp16((float)(d + 1));
    }
    cr_expect_float_eq(cs_op_dot_f16_vec(x, y, N), (float)want, 1e-4);
    float out[3], lanes[64 * 3];
    /* positions 90..127 are padding: probability 0, values never read */
    cs_op_weighted_sum_f16_vec(out, x, v, 90, 128, 3, 3, lanes);
    double p90 = 0;
    for (int i = 0; i < 90; i++) p90 += cs_fp16_to_fp32(x[i]);
    for (int d = 0; d < 3; d++) cr_expect_float_eq(out[d], (float)(p90 * (d + 1)), 1e-4);

    /* 1 at element 0 and 2^-24 at 16, 32, 48: 16 lanes chain 1 + 2^-24 three
     * times (each rounds back to 1); ggml's tree adds 2^-24 + 2^-24 first. */
    uint16_t a[64] = {0}, b[64] = {0};
    a[0] = cs_fp32_to_fp16(1.0f);
    a[16] = a[32] = a[48] = cs_fp32_to_fp16(0x1p-12f);
    b[0] = cs_fp32_to_fp16(1.0f);
    b[16] = b[32] = b[48] = cs_fp32_to_fp16(0x1p-12f);
    cr_expect_eq(cs_op_dot_f16(a, b, 64), 1.0f);
    cr_expect_eq(cs_op_dot_f16_vec(a, b, 64), 1.0f + 0x1p-23f);
}

/* ggml's rope, built by GCC with FMA contraction, rounds x0*c - x1*s as
 * fma(x0, c, -(x1*s)) and x0*s + x1*c as fma(x0, s, x1*c); so must we. */
Test(ops, rope_rounds_like_contracted_ggml)
{
    uint32_t seed = 11;
    float cs[64];
    cs_op_rope_cache(cs, 37, 64, 10000.0f, 1.0f, NULL);
    int differs = 0;
    for (int rep = 0; rep < 50; rep++) {
        float x[64], y[64];
        for (int i = 0; i < 64; i++) x[i] = y[i] = rnd(&seed, 3.0f);
        cs_op_rope(y, cs, 64, 0);
        for (int i = 0; i < 32; i++) {
            float c = cs[2 * i], s = cs[2 * i + 1], x0 = x[2 * i], x1 = x[2 * i + 1];
            cr_expect_eq(y[2 * i], fmaf(x0, c, -(x1 * s)));
            cr_expect_eq(y[2 * i + 1], fmaf(x0, s, x1 * c));
            volatile float p0 = x0 * c, p1 = x1 * s;
            differs += y[2 * i] != p0 - p1;
        }
    }
    cr_expect_gt(differs, 0, "the test values never tell fused from unfused rounding");
}
