/*
 * kernels_avx2.c: x86-64 AVX2 + FMA + F16C dot products.
 *
 * The file is compiled for the baseline ISA; every function carries a
 * target attribute and the table is only used after matmul.c checked the
 * CPU.  The integer part of each block's dot product is the same as the
 * scalar kernel's (vpmaddubsw cannot saturate with these operand ranges),
 * so results differ from kernels_scalar.c only in the order of float sums.
 * For Q4_0/Q5_0/Q8_0/Q4_K/Q5_K/Q6_K that order is the one of llama.cpp's
 * AVX2 kernels (build of 2025-02-20, the one behind ../shared/golden), so
 * a matmul here gives llama.cpp's float results bit for bit; a random
 * model 30 layers deep amplifies any other rounding into different
 * greedy tokens.  The 4-token prefill kernels compute, per token, exactly
 * what the 1-token kernels do.
 *
 * Signed x signed bytes: vpmaddubsw wants unsigned x signed, so we take
 * |w| and move w's sign onto the activation (vpsignb), as ggml does.
 */
#include <immintrin.h>
#include <math.h>
#include <string.h>

#include "quant_internal.h"

#define AVX2 __attribute__((target("avx2,fma,f16c")))
/* For helpers taking a constant type: without forced inlining GCC keeps one
 * out-of-line copy and switches on the type in the inner loop. */
#define ALWAYS_INLINE __attribute__((always_inline))
/* Round half to even, as llama.cpp quantizes activations. */
#define RND (_MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC)

/* ---------------------------------------------------------------- helpers */

static inline AVX2 float hsum_f32x8(__m256 v)
{
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
}

static inline AVX2 float half(cs_half h)
{
    return _cvtsh_ss(h);
}

/* 8 int32 sums of products of signed bytes x (weights) and y. */
static inline AVX2 __m256i dot_i8_pairs(__m256i x, __m256i y)
{
    __m256i p16 = _mm256_maddubs_epi16(_mm256_sign_epi8(x, x), _mm256_sign_epi8(y, x));
    return _mm256_madd_epi16(p16, _mm256_set1_epi16(1));
}

/* 32 nibbles -> bytes: low nibbles in lanes 0..15, high nibbles 16..31. */
static inline AVX2 __m256i nibbles_32(const uint8_t *qs)
{
    __m128i t = _mm_loadu_si128((const __m128i *)qs);
    __m256i b = _mm256_set_m128i(_mm_srli_epi16(t, 4), t);
    return _mm256_and_si256(b, _mm256_set1_epi8(0x0f));
}

/* 32 bits -> 32 bytes, 0xff where the bit is set. */
static inline AVX2 __m256i bits_32(const uint8_t *p)
{
    uint32_t x;
    memcpy(&x, p, 4);
    const __m256i shuf = _mm256_set_epi64x(0x0303030303030303, 0x0202020202020202,
                                           0x0101010101010101, 0x0000000000000000);
    __m256i b = _mm256_shuffle_epi8(_mm256_set1_epi32((int)x), shuf);
    const __m256i others = _mm256_set1_epi64x(0x7fbfdfeff7fbfdfe);
    return _mm256_cmpeq_epi8(_mm256_or_si256(b, others), _mm256_set1_epi64x(-1));
}

/* ---------------------------------------------------------------- float */

static AVX2 float dot_f32(int n, const void *w, const void *a)
{
    const float *x = w, *y = a;
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    int i = 0;
    for (; i + 16 <= n; i += 16) {
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i), acc0);
        acc1 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i + 8), _mm256_loadu_ps(y + i + 8), acc1);
    }
    for (; i + 8 <= n; i += 8)
        acc0 = _mm256_fmadd_ps(_mm256_loadu_ps(x + i), _mm256_loadu_ps(y + i), acc0);
    float s = hsum_f32x8(_mm256_add_ps(acc0, acc1));
    for (; i < n; i++)
        s += x[i] * y[i];
    return s;
}

static AVX2 float dot_f16(int n, const void *w, const void *a)
{
    const cs_half *x = w, *y = a;
    __m256 acc0 = _mm256_setzero_ps(), acc1 = _mm256_setzero_ps();
    int i = 0;
    for (; i + 16 <= n; i += 16) {
        __m256 x0 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(x + i)));
        __m256 y0 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(y + i)));
        __m256 x1 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(x + i + 8)));
        __m256 y1 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(y + i + 8)));
        acc0 = _mm256_fmadd_ps(x0, y0, acc0);
        acc1 = _mm256_fmadd_ps(x1, y1, acc1);
    }
    for (; i + 8 <= n; i += 8) {
        __m256 x0 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(x + i)));
        __m256 y0 = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(y + i)));
        acc0 = _mm256_fmadd_ps(x0, y0, acc0);
    }
    float s = hsum_f32x8(_mm256_add_ps(acc0, acc1));
    for (; i < n; i++)
        s += half(x[i]) * half(y[i]);
    return s;
}

static AVX2 void fp32_to_fp16(const float *x, cs_half *y, int64_t n)
{
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm_storeu_si128((__m128i *)(y + i),
                         _mm256_cvtps_ph(_mm256_loadu_ps(x + i), _MM_FROUND_TO_NEAREST_INT));
    for (; i < n; i++)
        y[i] = cs_fp32_to_fp16(x[i]);
}

static AVX2 void fp16_to_fp32(const cs_half *x, float *y, int64_t n)
{
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        _mm256_storeu_ps(y + i, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(x + i))));
    for (; i < n; i++)
        y[i] = half(x[i]);
}

/* ---------------------------------------------------------------- 32-blocks */

/* Weight block i as 32 signed bytes, for Q4_0 / Q5_0 / Q8_0. */
static inline AVX2 __m256i q4_0_bytes(const cs_block_q4_0 *b)
{
    return _mm256_sub_epi8(nibbles_32(b->qs), _mm256_set1_epi8(8));
}

static inline AVX2 __m256i q5_0_bytes(const cs_block_q5_0 *b)
{
    /* 0xf0 (= -16 as a signed byte) where the 5th bit is clear. */
    __m256i hi = _mm256_andnot_si256(bits_32(b->qh), _mm256_set1_epi8((char)0xf0));
    return _mm256_or_si256(nibbles_32(b->qs), hi);
}

static inline AVX2 __m256i q8_0_bytes(const cs_block_q8_0 *b)
{
    return _mm256_loadu_si256((const __m256i *)b->qs);
}

/* `type` is a constant once inlined into the wrappers below. */
static inline AVX2 ALWAYS_INLINE __m256i block32_bytes(int type, const void *w, int i)
{
    switch (type) {
    case CS_TYPE_Q4_0: return q4_0_bytes((const cs_block_q4_0 *)w + i);
    case CS_TYPE_Q5_0: return q5_0_bytes((const cs_block_q5_0 *)w + i);
    default: return q8_0_bytes((const cs_block_q8_0 *)w + i);
    }
}

static inline AVX2 ALWAYS_INLINE cs_half block32_d(int type, const void *w, int i)
{
    switch (type) {
    case CS_TYPE_Q4_0: return ((const cs_block_q4_0 *)w)[i].d;
    case CS_TYPE_Q5_0: return ((const cs_block_q5_0 *)w)[i].d;
    default: return ((const cs_block_q8_0 *)w)[i].d;
    }
}

/* Decode: one weight row against one token.  This is exactly llama.cpp's
 * AVX2 arithmetic (ggml_vec_dot_*_q8_0, and llamafile's tinyBLAS_Q0_AVX for
 * prefill): one accumulator, fma(dx * dy, float(8 lane sums)) per block in
 * order, the same final horizontal sum, so the results agree bit for bit
 * given the same activations.  The token's scales come as floats appended
 * by matmul.c. */
static inline AVX2 ALWAYS_INLINE float block32_dot(int type, int n, const void *w, const void *a)
{
    const cs_block_q8_0 *y = a;
    const float *dy = (const float *)(const void *)((const char *)a + cs_q8_0_scales_offset(n));
    __m256 acc = _mm256_setzero_ps();
    for (int i = 0; i < n / 32; i++) {
        __m256i p = dot_i8_pairs(block32_bytes(type, w, i), q8_0_bytes(&y[i]));
        acc = _mm256_fmadd_ps(_mm256_set1_ps(half(block32_d(type, w, i)) * dy[i]), _mm256_cvtepi32_ps(p), acc);
    }
    return hsum_f32x8(acc);
}

/* Prefill: one weight row against 4 tokens, each weight block unpacked
 * once; per token the same arithmetic as block32_dot (written out for 4
 * accumulators: GCC's code from a loop over tokens ran 25% slower). */
static inline AVX2 ALWAYS_INLINE void block32_multi4(int type, int n, const void *w, const void *const yv[4],
                                                    float out[4])
{
    const cs_block_q8_0 *y0 = yv[0], *y1 = yv[1], *y2 = yv[2], *y3 = yv[3];
    size_t at = cs_q8_0_scales_offset(n);
    const float *d0 = (const void *)((const char *)y0 + at), *d1 = (const void *)((const char *)y1 + at);
    const float *d2 = (const void *)((const char *)y2 + at), *d3 = (const void *)((const char *)y3 + at);
    const __m256i ones = _mm256_set1_epi16(1);
    __m256 c0 = _mm256_setzero_ps(), c1 = _mm256_setzero_ps();
    __m256 c2 = _mm256_setzero_ps(), c3 = _mm256_setzero_ps();
    for (int i = 0; i < n / 32; i++) {
        __m256i q = block32_bytes(type, w, i);
        __m256i aq = _mm256_sign_epi8(q, q);
        __m256 dx = _mm256_set1_ps(half(block32_d(type, w, i)));
        __m256i p0 = _mm256_madd_epi16(_mm256_maddubs_epi16(aq, _mm256_sign_epi8(q8_0_bytes(&y0[i]), q)), ones);
        __m256i p1 = _mm256_madd_epi16(_mm256_maddubs_epi16(aq, _mm256_sign_epi8(q8_0_bytes(&y1[i]), q)), ones);
        __m256i p2 = _mm256_madd_epi16(_mm256_maddubs_epi16(aq, _mm256_sign_epi8(q8_0_bytes(&y2[i]), q)), ones);
        __m256i p3 = _mm256_madd_epi16(_mm256_maddubs_epi16(aq, _mm256_sign_epi8(q8_0_bytes(&y3[i]), q)), ones);
        c0 = _mm256_fmadd_ps(_mm256_mul_ps(dx, _mm256_broadcast_ss(d0 + i)), _mm256_cvtepi32_ps(p0), c0);
        c1 = _mm256_fmadd_ps(_mm256_mul_ps(dx, _mm256_broadcast_ss(d1 + i)), _mm256_cvtepi32_ps(p1), c1);
        c2 = _mm256_fmadd_ps(_mm256_mul_ps(dx, _mm256_broadcast_ss(d2 + i)), _mm256_cvtepi32_ps(p2), c2);
        c3 = _mm256_fmadd_ps(_mm256_mul_ps(dx, _mm256_broadcast_ss(d3 + i)), _mm256_cvtepi32_ps(p3), c3);
    }
    out[0] = hsum_f32x8(c0);
    out[1] = hsum_f32x8(c1);
    out[2] = hsum_f32x8(c2);
    out[3] = hsum_f32x8(c3);
}

/* Q4_0 follows llama.cpp's repacked AVX2 kernels instead (ggml-cpu-aarch64
 * q4_0_8x8: every Q4_0 matrix with rows % 8 == 0 is repacked at load, i.e.
 * all of them in practice): per block the whole integer dot, then one
 * fma(sum, dx * dy) per block in order. */
static inline AVX2 int hsum_i32x8(__m256i v)
{
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_unpackhi_epi64(s, s));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 1));
    return _mm_cvtsi128_si32(s);
}

/* The 4 integer block sums of p[0..3] (8 lanes each), exact. */
static inline AVX2 __m128i hsum4_i32x8(__m256i p0, __m256i p1, __m256i p2, __m256i p3)
{
    __m256i t = _mm256_hadd_epi32(_mm256_hadd_epi32(p0, p1), _mm256_hadd_epi32(p2, p3));
    return _mm_add_epi32(_mm256_castsi256_si128(t), _mm256_extracti128_si256(t, 1));
}

static inline AVX2 ALWAYS_INLINE void q4_0_dot_n(int nt, int n, const void *w, const void *const yv[4],
                                                float out[4])
{
    const cs_block_q4_0 *x = w;
    size_t at = cs_q8_0_scales_offset(n);
    float acc[4] = {0, 0, 0, 0};
    int nb = n / 32, i = 0;
    /* 4 blocks at a time: integer sums and scale products in vectors, then
     * the 4 fmas in block order (the order is what must match). */
    for (; i + 4 <= nb; i += 4) {
        __m256i q[4];
        for (int j = 0; j < 4; j++)
            q[j] = q4_0_bytes(&x[i + j]);
        __m128 dx = _mm_setr_ps(half(x[i].d), half(x[i + 1].d), half(x[i + 2].d), half(x[i + 3].d));
        for (int k = 0; k < nt; k++) {
            const cs_block_q8_0 *y = yv[k];
            __m128 dy = _mm_loadu_ps((const float *)(const void *)((const char *)yv[k] + at) + i);
            __m128i si = hsum4_i32x8(dot_i8_pairs(q[0], q8_0_bytes(&y[i])), dot_i8_pairs(q[1], q8_0_bytes(&y[i + 1])),
                                     dot_i8_pairs(q[2], q8_0_bytes(&y[i + 2])), dot_i8_pairs(q[3], q8_0_bytes(&y[i + 3])));
            float sf[4], d[4];
            _mm_storeu_ps(sf, _mm_cvtepi32_ps(si));
            _mm_storeu_ps(d, _mm_mul_ps(dx, dy));
            for (int j = 0; j < 4; j++)
                acc[k] = fmaf(sf[j], d[j], acc[k]);
        }
    }
    for (; i < nb; i++) {
        __m256i q = q4_0_bytes(&x[i]);
        float dx1 = half(x[i].d);
        for (int k = 0; k < nt; k++) {
            const cs_block_q8_0 *y = yv[k];
            float dy;
            memcpy(&dy, (const char *)yv[k] + at + sizeof(float) * (size_t)i, sizeof dy);
            acc[k] = fmaf((float)hsum_i32x8(dot_i8_pairs(q, q8_0_bytes(&y[i]))), dx1 * dy, acc[k]);
        }
    }
    for (int k = 0; k < nt; k++)
        out[k] = acc[k];
}

static AVX2 float dot_q4_0(int n, const void *w, const void *a)
{
    const void *y[4] = {a};
    float out[4];
    q4_0_dot_n(1, n, w, y, out);
    return out[0];
}
static AVX2 float dot_q5_0(int n, const void *w, const void *a) { return block32_dot(CS_TYPE_Q5_0, n, w, a); }
static AVX2 float dot_q8_0(int n, const void *w, const void *a) { return block32_dot(CS_TYPE_Q8_0, n, w, a); }

static AVX2 void q4_0_multi4(int n, const void *w, const void *const y[4], float out[4])
{
    q4_0_dot_n(4, n, w, y, out);
}

static AVX2 void q5_0_multi4(int n, const void *w, const void *const y[4], float out[4])
{
    block32_multi4(CS_TYPE_Q5_0, n, w, y, out);
}

static AVX2 void q8_0_multi4(int n, const void *w, const void *const y[4], float out[4])
{
    block32_multi4(CS_TYPE_Q8_0, n, w, y, out);
}

static AVX2 void quantize_q8_0(const float *x, cs_block_q8_0 *y, int64_t n)
{
    const __m256 sign = _mm256_set1_ps(-0.0f);
    for (int64_t i = 0; i < n / 32; i++, x += 32) {
        __m256 v0 = _mm256_loadu_ps(x), v1 = _mm256_loadu_ps(x + 8);
        __m256 v2 = _mm256_loadu_ps(x + 16), v3 = _mm256_loadu_ps(x + 24);
        __m256 m = _mm256_max_ps(_mm256_andnot_ps(sign, v0), _mm256_andnot_ps(sign, v1));
        m = _mm256_max_ps(m, _mm256_max_ps(_mm256_andnot_ps(sign, v2), _mm256_andnot_ps(sign, v3)));
        __m128 m4 = _mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
        m4 = _mm_max_ps(m4, _mm_movehl_ps(m4, m4));
        m4 = _mm_max_ss(m4, _mm_movehdup_ps(m4));
        float amax = _mm_cvtss_f32(m4);
        y[i].d = cs_fp32_to_fp16(amax / 127.0f);
        __m256 id = _mm256_set1_ps(amax != 0.0f ? 127.0f / amax : 0.0f);
        __m256i i0 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v0, id), RND));
        __m256i i1 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v1, id), RND));
        __m256i i2 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v2, id), RND));
        __m256i i3 = _mm256_cvtps_epi32(_mm256_round_ps(_mm256_mul_ps(v3, id), RND));
        /* packs work per 128-bit lane; the permute restores element order. */
        __m256i p = _mm256_packs_epi16(_mm256_packs_epi32(i0, i1), _mm256_packs_epi32(i2, i3));
        p = _mm256_permutevar8x32_epi32(p, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
        _mm256_storeu_si256((__m256i *)y[i].qs, p);
    }
}

/* ---------------------------------------------------------------- K-quants */

/* The minimums' integer products of a Q4_K/Q5_K block as llama.cpp forms
 * them: 4 lanes, lane k = m[2k] * s[2k] + m[2k+1] * s[2k+1] with s[j] the
 * activations' sum over sub-block j. */
static inline AVX2 __m128i k_min_products(const uint8_t mn[8], const cs_block_q8_K *y)
{
    __m256i bs = _mm256_loadu_si256((const __m256i *)y->bsums);
    __m128i s = _mm_hadd_epi16(_mm256_castsi256_si128(bs), _mm256_extracti128_si256(bs, 1));
    __m128i m = _mm_cvtepu8_epi16(_mm_loadl_epi64((const __m128i *)mn));
    return _mm_madd_epi16(m, s);
}

/* Q4_K (has_qh 0) and Q5_K (has_qh 1), one weight row against NT (1 or 4)
 * tokens, each weight chunk unpacked once.  Per token this is llama.cpp's
 * AVX2 ggml_vec_dot_q4_K_q8_K / q5_K: the scales' sums in 8 int32 lanes
 * times d, accumulated with fma per block; the minimums in 4 float lanes
 * (Q4_K) or one scalar fma per block (Q5_K), added at the end. */
static inline AVX2 ALWAYS_INLINE void q45_K_dot_n(int has_qh, int nt, int n, const void *w,
                                                 const void *const yv[4], float out[4])
{
    const size_t block_bytes = has_qh ? sizeof(cs_block_q5_K) : sizeof(cs_block_q4_K);
    const __m256i m4 = _mm256_set1_epi8(0x0f), one = _mm256_set1_epi8(1);
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    __m128 acc_m[4] = {_mm_setzero_ps(), _mm_setzero_ps(), _mm_setzero_ps(), _mm_setzero_ps()};
    float summs[4] = {0, 0, 0, 0};
    for (int i = 0; i < n / CS_QK_K; i++) {
        const uint8_t *b = (const uint8_t *)w + (size_t)i * block_bytes;
        /* Q4_K and Q5_K share d, dmin, scales at the start of the block. */
        const cs_block_q4_K *hdr = (const cs_block_q4_K *)(const void *)b;
        const uint8_t *qh = has_qh ? ((const cs_block_q5_K *)(const void *)b)->qh : NULL;
        const uint8_t *qs = has_qh ? ((const cs_block_q5_K *)(const void *)b)->qs : hdr->qs;
        uint8_t sc[8], mn[8];
        for (int s = 0; s < 8; s++)
            cs_k_scale_min(s, hdr->scales, &sc[s], &mn[s]);
        const float xd = half(hdr->d), xdmin = half(hdr->dmin);
        __m256i sumi[4] = {_mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256(),
                           _mm256_setzero_si256()};
        __m256i hb = has_qh ? _mm256_loadu_si256((const __m256i *)qh) : _mm256_setzero_si256();
        for (int c = 0; c < 4; c++) {
            __m256i q = _mm256_loadu_si256((const __m256i *)(qs + 32 * c));
            __m256i lo = _mm256_and_si256(q, m4);
            __m256i hi = _mm256_and_si256(_mm256_srli_epi16(q, 4), m4);
            if (has_qh) {
                lo = _mm256_or_si256(lo, _mm256_slli_epi16(_mm256_and_si256(hb, one), 4));
                hi = _mm256_or_si256(hi, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hb, 1), one), 4));
                hb = _mm256_srli_epi16(hb, 2);
            }
            __m256i sl = _mm256_set1_epi16(sc[2 * c]), sh = _mm256_set1_epi16(sc[2 * c + 1]);
            for (int k = 0; k < nt; k++) {
                const int8_t *y8 = ((const cs_block_q8_K *)yv[k])[i].qs + 64 * c;
                __m256i pl = _mm256_madd_epi16(_mm256_maddubs_epi16(lo, _mm256_loadu_si256((const __m256i *)y8)), sl);
                __m256i ph = _mm256_madd_epi16(_mm256_maddubs_epi16(hi, _mm256_loadu_si256((const __m256i *)(y8 + 32))), sh);
                sumi[k] = _mm256_add_epi32(sumi[k], _mm256_add_epi32(pl, ph));
            }
        }
        for (int k = 0; k < nt; k++) {
            const cs_block_q8_K *y = (const cs_block_q8_K *)yv[k] + i;
            __m128i prod = k_min_products(mn, y);
            float dmin = -y->d * xdmin;
            if (has_qh) {
                __m128i t = _mm_add_epi32(prod, _mm_unpackhi_epi64(prod, prod));
                t = _mm_add_epi32(t, _mm_shuffle_epi32(t, 1));
                summs[k] = fmaf(dmin, (float)_mm_cvtsi128_si32(t), summs[k]);
            } else {
                acc_m[k] = _mm_fmadd_ps(_mm_set1_ps(dmin), _mm_cvtepi32_ps(prod), acc_m[k]);
            }
            acc[k] = _mm256_fmadd_ps(_mm256_set1_ps(y->d * xd), _mm256_cvtepi32_ps(sumi[k]), acc[k]);
        }
    }
    for (int k = 0; k < nt; k++) {
        if (has_qh) {
            out[k] = hsum_f32x8(acc[k]) + summs[k];
        } else {
            __m128 m = _mm_add_ps(acc_m[k], _mm_movehl_ps(acc_m[k], acc_m[k]));
            m = _mm_add_ss(m, _mm_movehdup_ps(m));
            out[k] = hsum_f32x8(acc[k]) + _mm_cvtss_f32(m);
        }
    }
}

/* Q6_K against NT (1 or 4) tokens: (q - 32) * y as maddubs(q, y) -
 * maddubs(32, y) in int16, times the int8 scales, in 8 int32 lanes per
 * block, then fma by d: llama.cpp's AVX2 ggml_vec_dot_q6_K_q8_K. */
static inline AVX2 ALWAYS_INLINE void q6_K_dot_n(int nt, int n, const void *w, const void *const yv[4],
                                                float out[4])
{
    const cs_block_q6_K *x = w;
    const __m256i m4 = _mm256_set1_epi8(0x0f), m2 = _mm256_set1_epi8(3), m32 = _mm256_set1_epi8(32);
    __m256 acc[4] = {_mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps(), _mm256_setzero_ps()};
    for (int i = 0; i < n / CS_QK_K; i++) {
        __m256i sumi[4] = {_mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256(),
                           _mm256_setzero_si256()};
        for (int h = 0; h < 2; h++) {
            const uint8_t *ql = x[i].ql + 64 * h, *qhp = x[i].qh + 32 * h;
            const int8_t *sc = x[i].scales + 8 * h;
            __m256i l0 = _mm256_loadu_si256((const __m256i *)ql);
            __m256i l1 = _mm256_loadu_si256((const __m256i *)(ql + 32));
            __m256i qh = _mm256_loadu_si256((const __m256i *)qhp);
            __m256i q[4];
            q[0] = _mm256_or_si256(_mm256_and_si256(l0, m4), _mm256_slli_epi16(_mm256_and_si256(qh, m2), 4));
            q[1] = _mm256_or_si256(_mm256_and_si256(l1, m4),
                                   _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 2), m2), 4));
            q[2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l0, 4), m4),
                                   _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 4), m2), 4));
            q[3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(l1, 4), m4),
                                   _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 6), m2), 4));
            for (int j = 0; j < 4; j++) {
                __m256i s = _mm256_set_m128i(_mm_set1_epi16(sc[2 * j + 1]), _mm_set1_epi16(sc[2 * j]));
                for (int k = 0; k < nt; k++) {
                    const int8_t *y8 = ((const cs_block_q8_K *)yv[k])[i].qs + 128 * h + 32 * j;
                    __m256i yk = _mm256_loadu_si256((const __m256i *)y8);
                    __m256i p = _mm256_sub_epi16(_mm256_maddubs_epi16(q[j], yk), _mm256_maddubs_epi16(m32, yk));
                    sumi[k] = _mm256_add_epi32(sumi[k], _mm256_madd_epi16(p, s));
                }
            }
        }
        for (int k = 0; k < nt; k++) {
            const cs_block_q8_K *y = (const cs_block_q8_K *)yv[k] + i;
            acc[k] = _mm256_fmadd_ps(_mm256_set1_ps(y->d * half(x[i].d)), _mm256_cvtepi32_ps(sumi[k]), acc[k]);
        }
    }
    for (int k = 0; k < nt; k++)
        out[k] = hsum_f32x8(acc[k]);
}

static AVX2 float dot_q4_K(int n, const void *w, const void *a)
{
    const void *y[4] = {a};
    float out[4];
    q45_K_dot_n(0, 1, n, w, y, out);
    return out[0];
}

static AVX2 float dot_q5_K(int n, const void *w, const void *a)
{
    const void *y[4] = {a};
    float out[4];
    q45_K_dot_n(1, 1, n, w, y, out);
    return out[0];
}

static AVX2 float dot_q6_K(int n, const void *w, const void *a)
{
    const void *y[4] = {a};
    float out[4];
    q6_K_dot_n(1, n, w, y, out);
    return out[0];
}

static AVX2 void q4_K_multi4(int n, const void *w, const void *const y[4], float out[4])
{
    q45_K_dot_n(0, 4, n, w, y, out);
}

static AVX2 void q5_K_multi4(int n, const void *w, const void *const y[4], float out[4])
{
    q45_K_dot_n(1, 4, n, w, y, out);
}

static AVX2 void q6_K_multi4(int n, const void *w, const void *const y[4], float out[4])
{
    q6_K_dot_n(4, n, w, y, out);
}

/* ---------------------------------------------------------------- prefill */

/* A prefill kernel: one weight row against 4 tokens' activations. */
typedef void (*multi4_fn)(int n, const void *w, const void *const y[4], float out[4]);

/* Drives a 4-token kernel over ntok tokens; the last < 4 use `dot`, which
 * computes exactly what the 4-token kernel would. */
static inline AVX2 ALWAYS_INLINE void multi_by4(multi4_fn f4, cs_vec_dot_fn dot, int n, const void *w,
                                               const void *a, size_t a_stride, int ntok, float *out,
                                               size_t out_stride)
{
    int t = 0;
    for (; t + 4 <= ntok; t += 4) {
        const void *y[4];
        float o[4];
        for (int k = 0; k < 4; k++)
            y[k] = (const char *)a + a_stride * (size_t)(t + k);
        f4(n, w, y, o);
        for (int k = 0; k < 4; k++)
            out[(size_t)(t + k) * out_stride] = o[k];
    }
    for (; t < ntok; t++)
        out[(size_t)t * out_stride] = dot(n, w, (const char *)a + a_stride * (size_t)t);
}

#define CS_DOT_MULTI(name, f4, dot)                                                                \
    static AVX2 void name(int n, const void *w, const void *a, size_t a_stride, int ntok, float *out, \
                          size_t out_stride)                                                       \
    {                                                                                              \
        multi_by4(f4, dot, n, w, a, a_stride, ntok, out, out_stride);                              \
    }
CS_DOT_MULTI(dot_multi_q4_0, q4_0_multi4, dot_q4_0)
CS_DOT_MULTI(dot_multi_q5_0, q5_0_multi4, dot_q5_0)
CS_DOT_MULTI(dot_multi_q8_0, q8_0_multi4, dot_q8_0)
CS_DOT_MULTI(dot_multi_q4_K, q4_K_multi4, dot_q4_K)
CS_DOT_MULTI(dot_multi_q5_K, q5_K_multi4, dot_q5_K)
CS_DOT_MULTI(dot_multi_q6_K, q6_K_multi4, dot_q6_K)

const cs_kernel_table cs_kernels_avx2 = {
    .isa = CS_ISA_AVX2,
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
    .fp32_to_fp16 = fp32_to_fp16,
    .fp16_to_fp32 = fp16_to_fp32,
};
