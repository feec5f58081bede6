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
