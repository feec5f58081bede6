/*
 * quant.c: type table, fp16 conversion, reference dequantization and
 * activation quantization (see quant.h).  Everything here is the scalar
 * reference the SIMD kernels are tested against.
 */
#include "quant.h"

#include <math.h>
#include <string.h>

#include "cs_err.h"
#include "quant_internal.h"

/* ---------------------------------------------------------------- types */

typedef struct {
    const char *name;
    int block_size;
    size_t block_bytes;
    int vec_dot_type; /* -1: no kernels */
} type_info;

static const type_info TYPES[CS_TYPE_COUNT] = {
    [CS_TYPE_F32] = {"f32", 1, 4, CS_TYPE_F32},
    [CS_TYPE_F16] = {"f16", 1, 2, CS_TYPE_F16},
    [CS_TYPE_Q4_0] = {"q4_0", CS_QK4_0, sizeof(cs_block_q4_0), CS_TYPE_Q8_0},
    [CS_TYPE_Q4_1] = {"q4_1", CS_QK4_0, sizeof(cs_block_q4_1), -1},
    [CS_TYPE_Q5_0] = {"q5_0", CS_QK5_0, sizeof(cs_block_q5_0), CS_TYPE_Q8_0},
    [CS_TYPE_Q5_1] = {"q5_1", CS_QK5_0, sizeof(cs_block_q5_1), -1},
    [CS_TYPE_Q8_0] = {"q8_0", CS_QK8_0, sizeof(cs_block_q8_0), CS_TYPE_Q8_0},
    [CS_TYPE_Q8_1] = {"q8_1", CS_QK8_0, sizeof(cs_block_q8_1), -1},
    [CS_TYPE_Q2_K] = {"q2_K", CS_QK_K, sizeof(cs_block_q2_K), -1},
    [CS_TYPE_Q3_K] = {"q3_K", CS_QK_K, sizeof(cs_block_q3_K), -1},
    [CS_TYPE_Q4_K] = {"q4_K", CS_QK_K, sizeof(cs_block_q4_K), CS_TYPE_Q8_K},
    [CS_TYPE_Q5_K] = {"q5_K", CS_QK_K, sizeof(cs_block_q5_K), CS_TYPE_Q8_K},
    [CS_TYPE_Q6_K] = {"q6_K", CS_QK_K, sizeof(cs_block_q6_K), CS_TYPE_Q8_K},
    [CS_TYPE_Q8_K] = {"q8_K", CS_QK_K, sizeof(cs_block_q8_K), -1},
    [CS_TYPE_BF16] = {"bf16", 1, 2, -1},
};

static const type_info *info(int type)
{
    if (type < 0 || type >= CS_TYPE_COUNT || TYPES[type].name == NULL)
        return NULL;
    return &TYPES[type];
}

int cs_type_block_size(int type)
{
    const type_info *t = info(type);
    return t ? t->block_size : 0;
}

size_t cs_type_block_bytes(int type)
{
    const type_info *t = info(type);
    return t ? t->block_bytes : 0;
}

const char *cs_type_name(int type)
{
    const type_info *t = info(type);
    return t ? t->name : "unknown";
}

int cs_type_vec_dot_type(int type)
{
    const type_info *t = info(type);
    return t ? t->vec_dot_type : -1;
}

int cs_type_supported(int type)
{
    return cs_type_vec_dot_type(type) >= 0;
}

size_t cs_row_bytes(int type, int64_t n)
{
    const type_info *t = info(type);
    if (t == NULL || n < 0 || n % t->block_size != 0)
        return 0;
    return (size_t)(n / t->block_size) * t->block_bytes;
}

/* ---------------------------------------------------------------- fp16 */

/* Round half to even for |x| < 2^22, inline (nearbyintf is a library call
 * at the baseline ISA): adding 1.5 * 2^23 leaves the rounded integer in the
 * low mantissa bits. */
static inline int round_half_even(float x)
{
    float t = x + 12582912.0f;
    int32_t i;
    memcpy(&i, &t, sizeof i);
    return i - 0x4b400000;
}

static float bits_to_f32(uint32_t u)
{
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

static uint32_t f32_to_bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

float cs_fp16_to_fp32(cs_half h)
{
    uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    uint32_t exp = (h >> 10) & 0x1f;
    uint32_t mant = h & 0x3ff;
    if (exp == 0) { /* zero or subnormal: mant * 2^-24, exact in float */
        float f = (float)mant * 0x1p-24f;
        return bits_to_f32(f32_to_bits(f) | sign);
    }
    if (exp == 31) /* infinity, or NaN made quiet with its payload kept */
        return bits_to_f32(sign | 0x7f800000u | (mant << 13) | (mant ? 0x400000u : 0));
    return bits_to_f32(sign | ((exp + 112) << 23) | (mant << 13));
}

cs_half cs_fp32_to_fp16(float f)
{
    uint32_t x = f32_to_bits(f);
    uint16_t sign = (uint16_t)((x >> 16) & 0x8000);
    uint32_t a = x & 0x7fffffffu;
    if (a > 0x7f800000u) /* NaN: quiet, top payload bits kept (as F16C does) */
        return sign | 0x7e00 | (uint16_t)((a & 0x7fffffu) >> 13);
    if (a >= 0x47800000u) /* >= 65536 (and infinity) */
        return sign | 0x7c00;
    if (a < 0x38800000u) { /* below 2^-14: half subnormal (or 1024 = 2^-14) */
        float s = bits_to_f32(a) * 0x1p24f; /* exact: a power-of-two scale */
        return sign | (uint16_t)round_half_even(s);
    }
    /* Normal: round the 13 dropped bits to nearest even; a carry into the
     * exponent is the correct result, including overflow to infinity. */
    uint32_t r = (a + 0xfffu + ((a >> 13) & 1u)) >> 13;
    return sign | (uint16_t)(r - (112u << 10));
}

void cs_fp32_to_fp16_row_ref(const float *x, cs_half *y, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        y[i] = cs_fp32_to_fp16(x[i]);
}

void cs_fp16_to_fp32_row_ref(const cs_half *x, float *y, int64_t n)
{
    for (int64_t i = 0; i < n; i++)
        y[i] = cs_fp16_to_fp32(x[i]);
}

/* The rows go through the selected kernels (F16C on x86): bit-identical. */
void cs_fp32_to_fp16_row(const float *x, cs_half *y, int64_t n)
{
    cs_kernel_table_active()->fp32_to_fp16(x, y, n);
}

void cs_fp16_to_fp32_row(const cs_half *x, float *y, int64_t n)
{
    cs_kernel_table_active()->fp16_to_fp32(x, y, n);
}

/* ---------------------------------------------------------------- dequant */

static void deq_q4_0(const cs_block_q4_0 *b, int64_t nb, float *y)
{
    for (int64_t i = 0; i < nb; i++, y += 32) {
        float d = cs_fp16_to_fp32(b[i].d);
        for (int j = 0; j < 16; j++) {
            y[j] = d * (float)((b[i].qs[j] & 0xf) - 8);
            y[j + 16] = d * (float)((b[i].qs[j] >> 4) - 8);
        }
    }
}

static void deq_q5_0(const cs_block_q5_0 *b, int64_t nb, float *y)
{
    for (int64_t i = 0; i < nb; i++, y += 32) {
        float d = cs_fp16_to_fp32(b[i].d);
        uint32_t qh;
        memcpy(&qh, b[i].qh, 4);
        for (int j = 0; j < 16; j++) {
            int lo = (b[i].qs[j] & 0xf) | (int)(((qh >> j) & 1u) << 4);
            int hi = (b[i].qs[j] >> 4) | (int)(((qh >> (j + 16)) & 1u) << 4);
            y[j] = d * (float)(lo - 16);
            y[j + 16] = d * (float)(hi - 16);
        }
    }
}

static void deq_q8_0(const cs_block_q8_0 *b, int64_t nb, float *y)
{
    for (int64_t i = 0; i < nb; i++, y += 32) {
        float d = cs_fp16_to_fp32(b[i].d);
        for (int j = 0; j < 32; j++)
            y[j] = d * (float)b[i].qs[j];
    }
}

static void deq_q4_K(const cs_block_q4_K *b, int64_t nb, float *y)
{
    for (int64_t i = 0; i < nb; i++) {
        float d = cs_fp16_to_fp32(b[i].d), dmin = cs_fp16_to_fp32(b[i].dmin);
        const uint8_t *q = b[i].qs;
        for (int c = 0; c < 4; c++, q += 32) {
            uint8_t sc0, m0, sc1, m1;
            cs_k_scale_min(2 * c, b[i].scales, &sc0, &m0);
            cs_k_scale_min(2 * c + 1, b[i].scales, &sc1, &m1);
            float d0 = d * sc0, mm0 = dmin * m0, d1 = d * sc1, mm1 = dmin * m1;
            for (int l = 0; l < 32; l++)
                *y++ = d0 * (float)(q[l] & 0xf) - mm0;
            for (int l = 0; l < 32; l++)
                *y++ = d1 * (float)(q[l] >> 4) - mm1;
        }
    }
}

static void deq_q5_K(const cs_block_q5_K *b, int64_t nb, float *y)
{
    for (int64_t i = 0; i < nb; i++) {
        float d = cs_fp16_to_fp32(b[i].d), dmin = cs_fp16_to_fp32(b[i].dmin);
        const uint8_t *q = b[i].qs, *qh = b[i].qh;
        for (int c = 0; c < 4; c++, q += 32) {
            uint8_t sc0, m0, sc1, m1;
            cs_k_scale_min(2 * c, b[i].scales, &sc0, &m0);
            cs_k_scale_min(2 * c + 1, b[i].scales, &sc1, &m1);
            float d0 = d * sc0, mm0 = dmin * m0, d1 = d * sc1, mm1 = dmin * m1;
            uint8_t u0 = (uint8_t)(1u << (2 * c)), u1 = (uint8_t)(2u << (2 * c));
            for (int l = 0; l < 32; l++)
                *y++ = d0 * (float)((q[l] & 0xf) + (qh[l] & u0 ? 16 : 0)) - mm0;
            for (int l = 0; l < 32; l++)
                *y++ = d1 * (float)((q[l] >> 4) + (qh[l] & u1 ? 16 : 0)) - mm1;
        }
    }
}

/* Q6_K value k (0..255) of a block, as an integer in -32..31. */
int cs_q6_K_value(const cs_block_q6_K *b, int k)
{
    int half = k / 128, r = k % 128, quad = r / 32, l = r % 32;
    const uint8_t *ql = b->ql + 64 * half, *qh = b->qh + 32 * half;
    int lo = (quad & 1) ? ql[l + 32] : ql[l];
    lo = (quad & 2) ? lo >> 4 : lo & 0xf;
    int hi = (qh[l] >> (2 * quad)) & 3;
    return (lo | (hi << 4)) - 32;
}

static void deq_q6_K(const cs_block_q6_K *b, int64_t nb, float *y)
{
    for (int64_t i = 0; i < nb; i++, y += CS_QK_K) {
        float d = cs_fp16_to_fp32(b[i].d);
        for (int k = 0; k < CS_QK_K; k++)
            y[k] = d * (float)b[i].scales[k / 16] * (float)cs_q6_K_value(&b[i], k);
    }
}

int cs_dequantize_row(int type, const void *src, float *dst, int64_t n)
{
    if (!cs_type_supported(type) && type != CS_TYPE_Q8_K)
        return CS_ERR_UNSUPPORTED;
    int64_t bs = cs_type_block_size(type);
    if (n < 0 || n % bs != 0)
        return CS_ERR_INVALID;
    int64_t nb = n / bs;
    switch (type) {
    case CS_TYPE_F32: memcpy(dst, src, (size_t)n * sizeof(float)); break;
    case CS_TYPE_F16: cs_fp16_to_fp32_row(src, dst, n); break;
    case CS_TYPE_Q4_0: deq_q4_0(src, nb, dst); break;
    case CS_TYPE_Q5_0: deq_q5_0(src, nb, dst); break;
    case CS_TYPE_Q8_0: deq_q8_0(src, nb, dst); break;
    case CS_TYPE_Q4_K: deq_q4_K(src, nb, dst); break;
    case CS_TYPE_Q5_K: deq_q5_K(src, nb, dst); break;
    case CS_TYPE_Q6_K: deq_q6_K(src, nb, dst); break;
    case CS_TYPE_Q8_K: {
        const cs_block_q8_K *b = src;
        for (int64_t i = 0; i < nb; i++)
            for (int j = 0; j < CS_QK_K; j++)
                dst[i * CS_QK_K + j] = b[i].d * (float)b[i].qs[j];
        break;
    }
    default: return CS_ERR_UNSUPPORTED;
    }
    return CS_OK;
}

/* ---------------------------------------------------------------- quantize */

void cs_quantize_q8_0_ref(const float *x, cs_block_q8_0 *y, int64_t n)
{
    for (int64_t i = 0; i < n / CS_QK8_0; i++, x += CS_QK8_0) {
        float amax = 0.0f;
        for (int j = 0; j < CS_QK8_0; j++)
            amax = fmaxf(amax, fabsf(x[j]));
        float d = amax / 127.0f;
        float id = amax != 0.0f ? 127.0f / amax : 0.0f;
        y[i].d = cs_fp32_to_fp16(d);
        for (int j = 0; j < CS_QK8_0; j++)
            y[i].qs[j] = (int8_t)round_half_even(x[j] * id);
    }
}

void cs_quantize_q8_K_ref(const float *x, cs_block_q8_K *y, int64_t n)
{
    for (int64_t i = 0; i < n / CS_QK_K; i++, x += CS_QK_K) {
        float amax = 0.0f, max = 0.0f;
        for (int j = 0; j < CS_QK_K; j++) {
            float a = fabsf(x[j]);
            if (a > amax) {
                amax = a;
                max = x[j];
            }
        }
        if (amax == 0.0f) {
            memset(&y[i], 0, sizeof y[i]);
            continue;
        }
        /* -127/max (not 127/amax): the value of largest magnitude maps to
         * exactly -127, as llama.cpp does it. */
        float iscale = -127.0f / max;
        for (int j = 0; j < CS_QK_K; j++) {
            int v = round_half_even(iscale * x[j]);
            y[i].qs[j] = (int8_t)(v < 127 ? v : 127);
        }
        for (int g = 0; g < CS_QK_K / 16; g++) {
            int s = 0;
            for (int j = 0; j < 16; j++)
                s += y[i].qs[16 * g + j];
            y[i].bsums[g] = (int16_t)s;
        }
        y[i].d = 1.0f / iscale;
    }
}

void cs_q8_0_append_scales(void *row, int64_t n)
{
    const cs_block_q8_0 *b = row;
    float d[64];
    for (int64_t i = 0; i < n / CS_QK8_0; i += 64) {
        int64_t m = n / CS_QK8_0 - i < 64 ? n / CS_QK8_0 - i : 64;
        for (int64_t k = 0; k < m; k++)
            d[k] = cs_fp16_to_fp32(b[i + k].d);
        memcpy((char *)row + cs_q8_0_scales_offset(n) + (size_t)i * sizeof(float), d,
               (size_t)m * sizeof(float));
    }
}

size_t cs_q8_0_row_with_scales(int64_t n)
{
    return cs_q8_0_scales_offset(n) + (size_t)(n / CS_QK8_0) * sizeof(float);
}

int cs_quantize_row_q8_0(const float *x, cs_block_q8_0 *y, int64_t n)
{
    if (n < 0 || n % CS_QK8_0 != 0)
        return CS_ERR_INVALID;
    cs_quantize_q8_0_ref(x, y, n);
    return CS_OK;
}

int cs_quantize_row_q8_K(const float *x, cs_block_q8_K *y, int64_t n)
{
    if (n < 0 || n % CS_QK_K != 0)
        return CS_ERR_INVALID;
    cs_quantize_q8_K_ref(x, y, n);
    return CS_OK;
}

int cs_quantize_activations(int wtype, const float *x, void *y, int64_t n)
{
    switch (cs_type_vec_dot_type(wtype)) {
    case CS_TYPE_F32: memcpy(y, x, (size_t)n * sizeof(float)); return CS_OK;
    case CS_TYPE_F16: cs_fp32_to_fp16_row(x, y, n); return CS_OK;
    case CS_TYPE_Q8_0: return cs_quantize_row_q8_0(x, y, n);
    case CS_TYPE_Q8_K: return cs_quantize_row_q8_K(x, y, n);
    default: return CS_ERR_UNSUPPORTED;
    }
}
