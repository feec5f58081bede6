/*
 * kernels_scalar.c: the reference dot products, one per weight type.
 *
 * Each follows llama.cpp's CPU arithmetic: an exact integer dot product per
 * block (or sub-block, times its integer scale), then one float
 * multiply-add by the product of the block scales.  The SIMD kernels must
 * produce the same integers; only the order of the float sums differs.
 */
#include <string.h>

#include "quant_internal.h"

static float dot_f32(int n, const void *w, const void *a)
{
    const float *x = w, *y = a;
    float s = 0.0f;
    for (int i = 0; i < n; i++)
        s += x[i] * y[i];
    return s;
}

static float dot_f16(int n, const void *w, const void *a)
{
    const cs_half *x = w, *y = a;
    float s = 0.0f;
    for (int i = 0; i < n; i++)
        s += cs_fp16_to_fp32(x[i]) * cs_fp16_to_fp32(y[i]);
    return s;
}

static float dot_q4_0(int n, const void *w, const void *a)
{
    const cs_block_q4_0 *x = w;
    const cs_block_q8_0 *y = a;
    float s = 0.0f;
    for (int i = 0; i < n / CS_QK4_0; i++) {
        int sumi = 0;
        for (int j = 0; j < 16; j++) {
            sumi += ((x[i].qs[j] & 0xf) - 8) * y[i].qs[j];
            sumi += ((x[i].qs[j] >> 4) - 8) * y[i].qs[j + 16];
        }
        s += cs_fp16_to_fp32(x[i].d) * cs_fp16_to_fp32(y[i].d) * (float)sumi;
    }
    return s;
}

static float dot_q5_0(int n, const void *w, const void *a)
{
    const cs_block_q5_0 *x = w;
    const cs_block_q8_0 *y = a;
    float s = 0.0f;
    for (int i = 0; i < n / CS_QK5_0; i++) {
        uint32_t qh;
        memcpy(&qh, x[i].qh, 4);
        int sumi = 0;
        for (int j = 0; j < 16; j++) {
            int lo = (x[i].qs[j] & 0xf) | (int)(((qh >> j) & 1u) << 4);
            int hi = (x[i].qs[j] >> 4) | (int)(((qh >> (j + 16)) & 1u) << 4);
            sumi += (lo - 16) * y[i].qs[j] + (hi - 16) * y[i].qs[j + 16];
        }
        s += cs_fp16_to_fp32(x[i].d) * cs_fp16_to_fp32(y[i].d) * (float)sumi;
    }
    return s;
}

static float dot_q8_0(int n, const void *w, const void *a)
{
    const cs_block_q8_0 *x = w, *y = a;
    float s = 0.0f;
    for (int i = 0; i < n / CS_QK8_0; i++) {
        int sumi = 0;
        for (int j = 0; j < 32; j++)
            sumi += x[i].qs[j] * y[i].qs[j];
        s += cs_fp16_to_fp32(x[i].d) * cs_fp16_to_fp32(y[i].d) * (float)sumi;
    }
    return s;
}

/* Q4_K and Q5_K share everything but the 5th bit. */
static float dot_q45_K(int n, const uint8_t *scales, const uint8_t *qs, const uint8_t *qh,
                       cs_half dh, cs_half dminh, const cs_block_q8_K *y)
{
    (void)n;
    int sumi = 0, summ = 0;
    for (int c = 0; c < 4; c++) {
        for (int h = 0; h < 2; h++) {
            int s = 2 * c + h;
            uint8_t sc, m;
            cs_k_scale_min(s, scales, &sc, &m);
            int dot = 0;
            for (int l = 0; l < 32; l++) {
                int q = h ? qs[32 * c + l] >> 4 : qs[32 * c + l] & 0xf;
                if (qh && (qh[l] >> s) & 1)
                    q += 16;
                dot += q * y->qs[32 * s + l];
            }
            sumi += sc * dot;
            summ += m * (y->bsums[2 * s] + y->bsums[2 * s + 1]);
        }
    }
    float d = cs_fp16_to_fp32(dh) * y->d, dmin = cs_fp16_to_fp32(dminh) * y->d;
    return d * (float)sumi - dmin * (float)summ;
}

static float dot_q4_K(int n, const void *w, const void *a)
{
    const cs_block_q4_K *x = w;
    const cs_block_q8_K *y = a;
    float s = 0.0f;
    for (int i = 0; i < n / CS_QK_K; i++)
        s += dot_q45_K(n, x[i].scales, x[i].qs, NULL, x[i].d, x[i].dmin, &y[i]);
    return s;
}

static float dot_q5_K(int n, const void *w, const void *a)
{
    const cs_block_q5_K *x = w;
    const cs_block_q8_K *y = a;
    float s = 0.0f;
    for (int i = 0; i < n / CS_QK_K; i++)
        s += dot_q45_K(n, x[i].scales, x[i].qs, x[i].qh, x[i].d, x[i].dmin, &y[i]);
    return s;
}

static float dot_q6_K(int n, const void *w, const void *a)
{
    const cs_block_q6_K *x = w;
    const cs_block_q8_K *y = a;
    float s = 0.0f;
    for (int i = 0; i < n / CS_QK_K; i++) {
        int sumi = 0;
        for (int g = 0; g < 16; g++) {
            int dot = 0;
            for (int l = 0; l < 16; l++)
                dot += cs_q6_K_value(&x[i], 16 * g + l) * y[i].qs[16 * g + l];
            sumi += x[i].scales[g] * dot;
        }
        s += cs_fp16_to_fp32(x[i].d) * y[i].d * (float)sumi;
    }
    return s;
}

const cs_kernel_table cs_kernels_scalar = {
    .isa = CS_ISA_SCALAR,
    .dot = {
        [CS_TYPE_F32] = dot_f32,
        [CS_TYPE_F16] = dot_f16,
        [CS_TYPE_Q4_0] = dot_q4_0,
        [CS_TYPE_Q5_0] = dot_q5_0,
        [CS_TYPE_Q8_0] = dot_q8_0,
        [CS_TYPE_Q4_K] = dot_q4_K,
        [CS_TYPE_Q5_K] = dot_q5_K,
        [CS_TYPE_Q6_K] = dot_q6_K,
    },
    .quantize_q8_0 = cs_quantize_q8_0_ref,
    .quantize_q8_K = cs_quantize_q8_K_ref,
    .fp32_to_fp16 = cs_fp32_to_fp16_row_ref,
    .fp16_to_fp32 = cs_fp16_to_fp32_row_ref,
};
