/*
 * kernels_simd128.c: WebAssembly SIMD128 dot products (built with -msimd128).
 *
 * WASM has a signed 8x8->16-bit widening multiply (extmul) and a pairwise
 * widening add, so each block's integer dot product is computed exactly as
 * in the scalar kernel and only the order of the float sums differs.
 */
#include <string.h>
#include <wasm_simd128.h>

#include "quant_internal.h"

/* ---------------------------------------------------------------- helpers */

static inline float hsum_f32x4(v128_t v)
{
    return wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1) +
           wasm_f32x4_extract_lane(v, 2) + wasm_f32x4_extract_lane(v, 3);
}

/* 4 int32 partial sums of x[i] * y[i] over 16 signed bytes. */
static inline v128_t dot_i8x16(v128_t x, v128_t y)
{
    return wasm_i32x4_add(wasm_i32x4_extadd_pairwise_i16x8(wasm_i16x8_extmul_low_i8x16(x, y)),
                          wasm_i32x4_extadd_pairwise_i16x8(wasm_i16x8_extmul_high_i8x16(x, y)));
}

/* 16 bits (bits 8*first .. 8*first+15 of p) -> 16 bytes, 0xff where set. */
static inline v128_t bits_16(uint32_t bits, int first)
{
    v128_t b = wasm_i32x4_splat((int32_t)bits);
    v128_t idx = first == 0 ? wasm_i8x16_make(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1)
                            : wasm_i8x16_make(2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3);
    b = wasm_i8x16_swizzle(b, idx);
    const v128_t mask = wasm_u8x16_make(1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128);
    return wasm_i8x16_ne(wasm_v128_and(b, mask), wasm_i8x16_splat(0));
}

/* ---------------------------------------------------------------- float */

static float dot_f32(int n, const void *w, const void *a)
{
    const float *x = w, *y = a;
    v128_t acc = wasm_f32x4_splat(0.0f);
    int i = 0;
    for (; i + 4 <= n; i += 4)
        acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load(x + i), wasm_v128_load(y + i)));
    float s = hsum_f32x4(acc);
    for (; i < n; i++)
        s += x[i] * y[i];
    return s;
}

/* 4 halves -> 4 floats, exactly and without float arithmetic on
 * subnormals (no flush-to-zero in WASM: denormal operands cost ~100 cycles
 * each on x86): normals rebias the exponent with an integer add,
 * subnormals are mant * 2^-24 from an exact int conversion, infinities and
 * NaNs (exponent 31) get exponent 255 with NaNs made quiet. */
static inline v128_t half4_to_f32x4(const cs_half *p)
{
    v128_t h = wasm_u32x4_load16x4(p);
    v128_t sign = wasm_i32x4_shl(wasm_v128_and(h, wasm_i32x4_splat(0x8000)), 16);
    v128_t em = wasm_i32x4_shl(wasm_v128_and(h, wasm_i32x4_splat(0x7fff)), 13);
    v128_t normal = wasm_i32x4_add(em, wasm_i32x4_splat(112 << 23));
    v128_t sub = wasm_f32x4_mul(wasm_f32x4_convert_i32x4(wasm_v128_and(h, wasm_i32x4_splat(0x3ff))),
                                wasm_f32x4_splat(0x1p-24f));
    v128_t infnan = wasm_v128_or(wasm_v128_or(em, wasm_i32x4_splat(0x7f800000)),
                                 wasm_v128_and(wasm_i32x4_gt(em, wasm_i32x4_splat(0x7c00 << 13)),
                                               wasm_i32x4_splat(0x400000)));
    v128_t is_sub = wasm_i32x4_lt(em, wasm_i32x4_splat(0x0400 << 13));
    v128_t is_special = wasm_i32x4_ge(em, wasm_i32x4_splat(0x7c00 << 13));
    v128_t f = wasm_v128_bitselect(sub, normal, is_sub);
    return wasm_v128_or(sign, wasm_v128_bitselect(infnan, f, is_special));
}

static float dot_f16(int n, const void *w, const void *a)
{
    const cs_half *x = w, *y = a;
    v128_t acc = wasm_f32x4_splat(0.0f);
    int i = 0;
    for (; i + 4 <= n; i += 4)
        acc = wasm_f32x4_add(acc, wasm_f32x4_mul(half4_to_f32x4(x + i), half4_to_f32x4(y + i)));
    float s = hsum_f32x4(acc);
    for (; i < n; i++)
        s += cs_fp16_to_fp32(x[i]) * cs_fp16_to_fp32(y[i]);
    return s;
}

static void fp16_to_fp32(const cs_half *x, float *y, int64_t n)
{
    int64_t i = 0;
    for (; i + 4 <= n; i += 4)
        wasm_v128_store(y + i, half4_to_f32x4(x + i));
    for (; i < n; i++)
        y[i] = cs_fp16_to_fp32(x[i]);
}

/* ---------------------------------------------------------------- 32-blocks */

/* Weights 0..15 and 16..31 of a block as signed bytes. */
static inline void q4_0_bytes(const cs_block_q4_0 *b, v128_t *lo, v128_t *hi)
{
    v128_t q = wasm_v128_load(b->qs);
    const v128_t m4 = wasm_i8x16_splat(0x0f), eight = wasm_i8x16_splat(8);
    *lo = wasm_i8x16_sub(wasm_v128_and(q, m4), eight);
    *hi = wasm_i8x16_sub(wasm_u8x16_shr(q, 4), eight);
}

static inline void q5_0_bytes(const cs_block_q5_0 *b, v128_t *lo, v128_t *hi)
{
    uint32_t qh;
    memcpy(&qh, b->qh, 4);
    v128_t q = wasm_v128_load(b->qs);
    const v128_t m4 = wasm_i8x16_splat(0x0f), f0 = wasm_i8x16_splat((int8_t)0xf0);
    /* 0xf0 (-16) where the 5th bit is clear, so nibble | that = q - 16. */
    *lo = wasm_v128_or(wasm_v128_and(q, m4), wasm_v128_andnot(f0, bits_16(qh, 0)));
    *hi = wasm_v128_or(wasm_u8x16_shr(q, 4), wasm_v128_andnot(f0, bits_16(qh, 1)));
}

static inline void q8_0_bytes(const cs_block_q8_0 *b, v128_t *lo, v128_t *hi)
{
    *lo = wasm_v128_load(b->qs);
    *hi = wasm_v128_load(b->qs + 16);
}

#define ALWAYS_INLINE __attribute__((always_inline))

static inline ALWAYS_INLINE void block32_bytes(int type, const void *w, int i, v128_t *lo, v128_t *hi)
{
    switch (type) {
    case CS_TYPE_Q4_0: q4_0_bytes((const cs_block_q4_0 *)w + i, lo, hi); break;
    case CS_TYPE_Q5_0: q5_0_bytes((const cs_block_q5_0 *)w + i, lo, hi); break;
    default: q8_0_bytes((const cs_block_q8_0 *)w + i, lo, hi); break;
    }
}

static inline ALWAYS_INLINE float block32_d(int type, const void *w, int i)
{
    switch (type) {
    case CS_TYPE_Q4_0: return cs_fp16_to_fp32(((const cs_block_q4_0 *)w)[i].d);
    case CS_TYPE_Q5_0: return cs_fp16_to_fp32(((const cs_block_q5_0 *)w)[i].d);
    default: return cs_fp16_to_fp32(((const cs_block_q8_0 *)w)[i].d);
    }
}

/* The activation row's scales as floats, appended by matmul.c. */
static inline const float *q8_0_scales(const void *a, int n)
{
    return (const float *)(const void *)((const char *)a + cs_q8_0_scales_offset(n));
}

static inline ALWAYS_INLINE float block32_dot(int type, int n, const void *w, const void *a)
{
    const cs_block_q8_0 *y = a;
    const float *dy = q8_0_scales(a, n);
    v128_t acc = wasm_f32x4_splat(0.0f);
    for (int i = 0; i < n / 32; i++) {
        v128_t lo, hi;
        block32_bytes(type, w, i, &lo, &hi);
        v128_t s = wasm_i32x4_add(dot_i8x16(lo, wasm_v128_load(y[i].qs)), dot_i8x16(hi, wasm_v128_load(y[i].qs + 16)));
        acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_f32x4_splat(block32_d(type, w, i) * dy[i]),
                                                 wasm_f32x4_convert_i32x4(s)));
    }
    return hsum_f32x4(acc);
}

static float dot_q4_0(int n, const void *w, const void *a) { return block32_dot(CS_TYPE_Q4_0, n, w, a); }
static float dot_q5_0(int n, const void *w, const void *a) { return block32_dot(CS_TYPE_Q5_0, n, w, a); }
static float dot_q8_0(int n, const void *w, const void *a) { return block32_dot(CS_TYPE_Q8_0, n, w, a); }

/* Prefill: one weight row against 4 tokens, each block unpacked once. */
static inline ALWAYS_INLINE void block32_multi(int type, int n, const void *w, const void *a, size_t a_stride,
                                               int ntok, float *out, size_t out_stride)
{
    int t = 0;
    for (; t + 4 <= ntok; t += 4) {
        const cs_block_q8_0 *y[4];
        const float *dy[4];
        v128_t acc[4];
        for (int k = 0; k < 4; k++) {
            y[k] = (const void *)((const char *)a + a_stride * (size_t)(t + k));
            dy[k] = q8_0_scales(y[k], n);
            acc[k] = wasm_f32x4_splat(0.0f);
        }
        for (int i = 0; i < n / 32; i++) {
            v128_t lo, hi;
            block32_bytes(type, w, i, &lo, &hi);
            float dx = block32_d(type, w, i);
            for (int k = 0; k < 4; k++) {
                v128_t s = wasm_i32x4_add(dot_i8x16(lo, wasm_v128_load(y[k][i].qs)),
                                          dot_i8x16(hi, wasm_v128_load(y[k][i].qs + 16)));
                acc[k] = wasm_f32x4_add(acc[k], wasm_f32x4_mul(wasm_f32x4_splat(dx * dy[k][i]),
                                                               wasm_f32x4_convert_i32x4(s)));
            }
        }
        for (int k = 0; k < 4; k++)
            out[(size_t)(t + k) * out_stride] = hsum_f32x4(acc[k]);
    }
    for (; t < ntok; t++)
        out[(size_t)t * out_stride] = block32_dot(type, n, w, (const char *)a + a_stride * (size_t)t);
}

static void dot_multi_q4_0(int n, const void *w, const void *a, size_t a_stride, int ntok, float *out,
                           size_t out_stride)
{
    block32_multi(CS_TYPE_Q4_0, n, w, a, a_stride, ntok, out, out_stride);
}

static void dot_multi_q5_0(int n, const void *w, const void *a, size_t a_stride, int ntok, float *out,
                           size_t out_stride)
{
    block32_multi(CS_TYPE_Q5_0, n, w, a, a_stride, ntok, out, out_stride);
}

static void dot_multi_q8_0(int n, const void *w, const void *a, size_t a_stride, int ntok, float *out,
                           size_t out_stride)
{
    block32_multi(CS_TYPE_Q8_0, n, w, a, a_stride, ntok, out, out_stride);
}

static void quantize_q8_0(const float *x, cs_block_q8_0 *y, int64_t n)
{
    for (int64_t i = 0; i < n / 32; i++, x += 32) {
        v128_t v[8];
        v128_t m = wasm_f32x4_splat(0.0f);
        for (int k = 0; k < 8; k++) {
            v[k] = wasm_v128_load(x + 4 * k);
            m = wasm_f32x4_max(m, wasm_f32x4_abs(v[k]));
        }
        float m0 = wasm_f32x4_extract_lane(m, 0), m1 = wasm_f32x4_extract_lane(m, 1);
        float m2 = wasm_f32x4_extract_lane(m, 2), m3 = wasm_f32x4_extract_lane(m, 3);
        float amax = m0 > m1 ? m0 : m1;
        amax = m2 > amax ? m2 : amax;
        amax = m3 > amax ? m3 : amax;
        y[i].d = cs_fp32_to_fp16(amax / 127.0f);
        v128_t id = wasm_f32x4_splat(amax != 0.0f ? 127.0f / amax : 0.0f);
        v128_t q[8];
        for (int k = 0; k < 8; k++)
            q[k] = wasm_i32x4_trunc_sat_f32x4(wasm_f32x4_nearest(wasm_f32x4_mul(v[k], id)));
        for (int k = 0; k < 2; k++) {
            v128_t a = wasm_i16x8_narrow_i32x4(q[4 * k], q[4 * k + 1]);
            v128_t b = wasm_i16x8_narrow_i32x4(q[4 * k + 2], q[4 * k + 3]);
            wasm_v128_store(y[i].qs + 16 * k, wasm_i8x16_narrow_i16x8(a, b));
        }
    }
}

/* ---------------------------------------------------------------- K-quants */

static inline int hsum_i32x4(v128_t v)
{
    return wasm_i32x4_extract_lane(v, 0) + wasm_i32x4_extract_lane(v, 1) + wasm_i32x4_extract_lane(v, 2) +
           wasm_i32x4_extract_lane(v, 3);
}

/* Q4_K (has_qh 0) and Q5_K (has_qh 1) against NT (1 or 4) tokens: each
 * weight chunk is unpacked once; per token the same arithmetic either way. */
static inline ALWAYS_INLINE void q45_K_dot_n(int has_qh, int nt, int n, const void *w, const void *const yv[4],
                                            float out[4])
{
    const size_t block_bytes = has_qh ? sizeof(cs_block_q5_K) : sizeof(cs_block_q4_K);
    const v128_t m4 = wasm_i8x16_splat(0x0f), one = wasm_i8x16_splat(1);
    float acc[4] = {0, 0, 0, 0};
    for (int i = 0; i < n / CS_QK_K; i++) {
        const uint8_t *b = (const uint8_t *)w + (size_t)i * block_bytes;
        const cs_block_q4_K *hdr = (const cs_block_q4_K *)(const void *)b; /* shared header */
        const uint8_t *qh = has_qh ? ((const cs_block_q5_K *)(const void *)b)->qh : NULL;
        const uint8_t *qs = has_qh ? ((const cs_block_q5_K *)(const void *)b)->qs : hdr->qs;
        uint8_t sc[8], mn[8];
        for (int s = 0; s < 8; s++)
            cs_k_scale_min(s, hdr->scales, &sc[s], &mn[s]);
        v128_t hb0 = has_qh ? wasm_v128_load(qh) : wasm_i8x16_splat(0);
        v128_t hb1 = has_qh ? wasm_v128_load(qh + 16) : wasm_i8x16_splat(0);
        v128_t sumi[4] = {wasm_i32x4_splat(0), wasm_i32x4_splat(0), wasm_i32x4_splat(0), wasm_i32x4_splat(0)};
        for (int c = 0; c < 4; c++) {
            v128_t q0 = wasm_v128_load(qs + 32 * c), q1 = wasm_v128_load(qs + 32 * c + 16);
            v128_t l0 = wasm_v128_and(q0, m4), l1 = wasm_v128_and(q1, m4);
            v128_t h0 = wasm_u8x16_shr(q0, 4), h1 = wasm_u8x16_shr(q1, 4);
            if (has_qh) {
                l0 = wasm_v128_or(l0, wasm_i8x16_shl(wasm_v128_and(wasm_u8x16_shr(hb0, 2 * c), one), 4));
                l1 = wasm_v128_or(l1, wasm_i8x16_shl(wasm_v128_and(wasm_u8x16_shr(hb1, 2 * c), one), 4));
                h0 = wasm_v128_or(h0, wasm_i8x16_shl(wasm_v128_and(wasm_u8x16_shr(hb0, 2 * c + 1), one), 4));
                h1 = wasm_v128_or(h1, wasm_i8x16_shl(wasm_v128_and(wasm_u8x16_shr(hb1, 2 * c + 1), one), 4));
            }
            v128_t sl = wasm_i32x4_splat(sc[2 * c]), sh = wasm_i32x4_splat(sc[2 * c + 1]);
            for (int k = 0; k < nt; k++) {
                const int8_t *y8 = ((const cs_block_q8_K *)yv[k])[i].qs + 64 * c;
                v128_t dl = wasm_i32x4_add(dot_i8x16(l0, wasm_v128_load(y8)), dot_i8x16(l1, wasm_v128_load(y8 + 16)));
                v128_t dh = wasm_i32x4_add(dot_i8x16(h0, wasm_v128_load(y8 + 32)), dot_i8x16(h1, wasm_v128_load(y8 + 48)));
                sumi[k] = wasm_i32x4_add(sumi[k], wasm_i32x4_add(wasm_i32x4_mul(dl, sl), wasm_i32x4_mul(dh, sh)));
            }
        }
        float d = cs_fp16_to_fp32(hdr->d), dmin = cs_fp16_to_fp32(hdr->dmin);
        for (int k = 0; k < nt; k++) {
            const cs_block_q8_K *y = (const cs_block_q8_K *)yv[k] + i;
            int summ = 0;
            for (int s = 0; s < 8; s++)
                summ += mn[s] * (y->bsums[2 * s] + y->bsums[2 * s + 1]);
            acc[k] += d * y->d * (float)hsum_i32x4(sumi[k]) - dmin * y->d * (float)summ;
        }
    }
    for (int k = 0; k < nt; k++)
        out[k] = acc[k];
}

static inline ALWAYS_INLINE void q6_K_dot_n(int nt, int n, const void *w, const void *const yv[4], float out[4])
{
    const cs_block_q6_K *x = w;
    const v128_t m4 = wasm_i8x16_splat(0x0f), m2 = wasm_i8x16_splat(3), m32 = wasm_i8x16_splat(32);
    float acc[4] = {0, 0, 0, 0};
    for (int i = 0; i < n / CS_QK_K; i++) {
        v128_t sumi[4] = {wasm_i32x4_splat(0), wasm_i32x4_splat(0), wasm_i32x4_splat(0), wasm_i32x4_splat(0)};
        for (int h = 0; h < 2; h++) {
            const uint8_t *ql = x[i].ql + 64 * h, *qh = x[i].qh + 32 * h;
            const int8_t *sc = x[i].scales + 8 * h;
            for (int half = 0; half < 2; half++) { /* weights l = 16*half .. +15 */
                v128_t l0 = wasm_v128_load(ql + 16 * half), l1 = wasm_v128_load(ql + 32 + 16 * half);
                v128_t hh = wasm_v128_load(qh + 16 * half);
                v128_t q[4];
                q[0] = wasm_v128_or(wasm_v128_and(l0, m4), wasm_i8x16_shl(wasm_v128_and(hh, m2), 4));
                q[1] = wasm_v128_or(wasm_v128_and(l1, m4),
                                    wasm_i8x16_shl(wasm_v128_and(wasm_u8x16_shr(hh, 2), m2), 4));
                q[2] = wasm_v128_or(wasm_u8x16_shr(l0, 4),
                                    wasm_i8x16_shl(wasm_v128_and(wasm_u8x16_shr(hh, 4), m2), 4));
                q[3] = wasm_v128_or(wasm_u8x16_shr(l1, 4), wasm_i8x16_shl(wasm_u8x16_shr(hh, 6), 4));
                for (int j = 0; j < 4; j++) {
                    v128_t qs = wasm_i8x16_sub(q[j], m32), s = wasm_i32x4_splat(sc[2 * j + half]);
                    for (int k = 0; k < nt; k++) {
                        const int8_t *y8 = ((const cs_block_q8_K *)yv[k])[i].qs + 128 * h + 32 * j + 16 * half;
                        sumi[k] = wasm_i32x4_add(sumi[k], wasm_i32x4_mul(dot_i8x16(qs, wasm_v128_load(y8)), s));
                    }
                }
            }
        }
        float d = cs_fp16_to_fp32(x[i].d);
        for (int k = 0; k < nt; k++)
            acc[k] += d * ((const cs_block_q8_K *)yv[k])[i].d * (float)hsum_i32x4(sumi[k]);
    }
    for (int k = 0; k < nt; k++)
        out[k] = acc[k];
}

static float dot_q4_K(int n, const void *w, const void *a)
{
    const void *y[4] = {a};
    float out[4];
    q45_K_dot_n(0, 1, n, w, y, out);
    return out[0];
}

static float dot_q5_K(int n, const void *w, const void *a)
{
    const void *y[4] = {a};
    float out[4];
    q45_K_dot_n(1, 1, n, w, y, out);
    return out[0];
}

static float dot_q6_K(int n, const void *w, const void *a)
{
    const void *y[4] = {a};
    float out[4];
    q6_K_dot_n(1, n, w, y, out);
    return out[0];
}

/* Prefill over ntok tokens, 4 at a time; the rest through the 1-token path
 * (same arithmetic). */
static inline ALWAYS_INLINE void k_multi(int type, int n, const void *w, const void *a, size_t a_stride, int ntok,
                                        float *out, size_t out_stride)
{
    for (int t = 0; t < ntok;) {
        int nt = ntok - t >= 4 ? 4 : 1;
        const void *y[4];
        float o[4];
        for (int k = 0; k < nt; k++)
            y[k] = (const char *)a + a_stride * (size_t)(t + k);
        if (type == CS_TYPE_Q6_K) {
            if (nt == 4)
                q6_K_dot_n(4, n, w, y, o);
            else
                q6_K_dot_n(1, n, w, y, o);
        } else if (nt == 4) {
            q45_K_dot_n(type == CS_TYPE_Q5_K, 4, n, w, y, o);
        } else {
            q45_K_dot_n(type == CS_TYPE_Q5_K, 1, n, w, y, o);
        }
        for (int k = 0; k < nt; k++)
            out[(size_t)(t + k) * out_stride] = o[k];
        t += nt;
    }
}

static void dot_multi_q4_K(int n, const void *w, const void *a, size_t a_stride, int ntok, float *out,
                           size_t out_stride)
{
    k_multi(CS_TYPE_Q4_K, n, w, a, a_stride, ntok, out, out_stride);
}

static void dot_multi_q5_K(int n, const void *w, const void *a, size_t a_stride, int ntok, float *out,
                           size_t out_stride)
{
    k_multi(CS_TYPE_Q5_K, n, w, a, a_stride, ntok, out, out_stride);
}

static void dot_multi_q6_K(int n, const void *w, const void *a, size_t a_stride, int ntok, float *out,
                           size_t out_stride)
{
    k_multi(CS_TYPE_Q6_K, n, w, a, a_stride, ntok, out, out_stride);
}

const cs_kernel_table cs_kernels_simd128 = {
    .isa = CS_ISA_SIMD128,
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
    .dot_multi = {
        [CS_TYPE_Q4_0] = dot_multi_q4_0,
        [CS_TYPE_Q5_0] = dot_multi_q5_0,
        [CS_TYPE_Q8_0] = dot_multi_q8_0,
        [CS_TYPE_Q4_K] = dot_multi_q4_K,
        [CS_TYPE_Q5_K] = dot_multi_q5_K,
        [CS_TYPE_Q6_K] = dot_multi_q6_K,
    },
    .quantize_q8_0 = quantize_q8_0,
    .quantize_q8_K = cs_quantize_q8_K_ref,
    .fp32_to_fp16 = cs_fp32_to_fp16_row_ref,
    .fp16_to_fp32 = fp16_to_fp32,
};
