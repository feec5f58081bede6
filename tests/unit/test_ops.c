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
    float o1[D], o2[D], lanes[16 * D];

    cs_ops_force_scalar(0);
    cs_op_softmax(a, N);
    cs_op_swiglu(g1, up, N);
    float d1 = cs_op_dot_f16(k, q, 70);
    cs_op_weighted_sum_f16(o1, q, v, 150, D, D, lanes);
    cs_ops_force_scalar(1);
    cs_op_softmax(b, N);
    cs_op_swiglu(g2, up, N);
    float d2 = cs_op_dot_f16(k, q, 70);
    cs_op_weighted_sum_f16(o2, q, v, 150, D, D, lanes);
    cs_ops_force_scalar(0);

    cr_expect_arr_eq(a, b, sizeof a);
    cr_expect_arr_eq(g1, g2, sizeof g1);
    cr_expect_eq(d1, d2);
    cr_expect_arr_eq(o1, o2, sizeof o1);
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
