/*
 * ops.c: RMSNorm, softmax, SwiGLU, RoPE and attention's f16 dot products,
 * each with the rounding of llama.cpp's CPU backend.  Scalar versions are
 * the reference; AVX2 versions (x86-64, run-time checked) give the same
 * bits and are what runs: softmax, SiLU and attention are a tenth to a
 * fifth of the time, the matmuls the rest.
 */
#include "ops.h"

#include "matmul.h"
#include "quant.h"

#include <math.h>
#include <string.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define OPS_AVX2 1
#define AVX2 __attribute__((target("avx2,fma,f16c")))
static int force_scalar;
static int have_avx2(void)
{
    static int cached = -1;
    if (cached < 0) cached = cs_kernels_available(CS_ISA_AVX2);  /* the kernels' CPU check */
    return cached && !force_scalar;
}
void cs_ops_force_scalar(int on) { force_scalar = on; }
#else
void cs_ops_force_scalar(int on) { (void)on; }
#endif

/* ------------------------------------------------------------------ rmsnorm */

void cs_op_rmsnorm(float *out, const float *x, const float *w, int n, float eps)
{
    double ss = 0.0;  /* ggml sums squares in double */
    for (int i = 0; i < n; i++) ss += (double)(x[i] * x[i]);
    float mean = (float)(ss / n);
    float scale = 1.0f / sqrtf(mean + eps);
    for (int i = 0; i < n; i++) out[i] = (x[i] * scale) * w[i];
}

/* ------------------------------------------------------------------ exp */

/* The polynomial of ggml's AVX-512 ggml_v_expf (itself from Arm's optimized
 * routines): x = n*ln2 + b, e^b by a degree-5 polynomial, scaled by 2^n.
 * The golden outputs were made on an AVX-512 machine, so this is the
 * variant whose bits we reproduce. */
#define EXP_SHIFT 0x1.8p23f
#define EXP_LOG2E 0x1.715476p+0f
#define EXP_LN2_HI 0x1.62e4p-1f
#define EXP_LN2_LO 0x1.7f7d1cp-20f
#define EXP_C5 0x1.0e4020p-7f
#define EXP_C4 0x1.573e2ep-5f
#define EXP_C3 0x1.555e66p-3f
#define EXP_C2 0x1.fffdb6p-2f
#define EXP_C1 0x1.ffffecp-1f

float cs_op_expf(float x)
{
    float z = fmaf(x, EXP_LOG2E, EXP_SHIFT);
    float n = z - EXP_SHIFT;
    float b = fmaf(-n, EXP_LN2_LO, fmaf(-n, EXP_LN2_HI, x));
    if (isnan(x)) return x;
    if (fabsf(n) > 192.0f) return n > 0 ? INFINITY : 0.0f;
    float u = b * b;
    float j = fmaf(fmaf(fmaf(EXP_C5, b, EXP_C4), u, fmaf(EXP_C3, b, EXP_C2)), u, fmaf(EXP_C1, b, 1.0f));
    return ldexpf(j, (int)n);
}

/* Sum of 16 floats in the order GCC's _mm512_reduce_add_ps adds them. */
static float reduce16(const float *a)
{
    float t3[8], t6[4];
    for (int i = 0; i < 8; i++) t3[i] = a[i + 8] + a[i];
    for (int i = 0; i < 4; i++) t6[i] = t3[i + 4] + t3[i];
    return (t6[0] + t6[2]) + (t6[1] + t6[3]);
}

/* Sum of 64 lanes as ggml's AVX-512 GGML_F32x16_REDUCE adds its four
 * 16-lane accumulators (0+2, 1+3, then the two), then reduce16. */
static float reduce64(const float *x)
{
    float t[16];
    for (int l = 0; l < 16; l++) t[l] = (x[l] + x[l + 32]) + (x[l + 16] + x[l + 48]);
    return reduce16(t);
}

#ifdef OPS_AVX2
/* Eight lanes of cs_op_expf; lanes needing 2^n outside the normal range
 * (results near underflow, or the special cases) are redone in scalar. */
static AVX2 __m256 expf8(__m256 x)
{
    const __m256 shift = _mm256_set1_ps(EXP_SHIFT);
    __m256 z = _mm256_fmadd_ps(x, _mm256_set1_ps(EXP_LOG2E), shift);
    __m256 n = _mm256_sub_ps(z, shift);
    __m256 b = _mm256_fnmadd_ps(n, _mm256_set1_ps(EXP_LN2_LO), _mm256_fnmadd_ps(n, _mm256_set1_ps(EXP_LN2_HI), x));
    __m256 u = _mm256_mul_ps(b, b);
    __m256 j = _mm256_fmadd_ps(
        _mm256_fmadd_ps(_mm256_fmadd_ps(_mm256_set1_ps(EXP_C5), b, _mm256_set1_ps(EXP_C4)), u,
                        _mm256_fmadd_ps(_mm256_set1_ps(EXP_C3), b, _mm256_set1_ps(EXP_C2))),
        u, _mm256_fmadd_ps(_mm256_set1_ps(EXP_C1), b, _mm256_set1_ps(1.0f)));
    /* 2^n as float bits, exact for -125 <= n <= 126; j * 2^n is then exact
     * scaling unless the result is subnormal, which the check excludes. */
    __m256i ni = _mm256_cvtps_epi32(n);
    __m256 pow2 = _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_add_epi32(ni, _mm256_set1_epi32(127)), 23));
    __m256 r = _mm256_mul_ps(j, pow2);
    __m256 bad = _mm256_or_ps(_mm256_cmp_ps(n, _mm256_set1_ps(-125.0f), _CMP_LT_OQ),
                              _mm256_cmp_ps(n, _mm256_set1_ps(126.0f), _CMP_GT_OQ));
    bad = _mm256_or_ps(bad, _mm256_cmp_ps(x, x, _CMP_UNORD_Q));
    if (_mm256_movemask_ps(bad)) {
        float xs[8], rs[8];
        _mm256_storeu_ps(xs, x);
        _mm256_storeu_ps(rs, r);
        int m = _mm256_movemask_ps(bad);
        for (int i = 0; i < 8; i++)
            if (m & (1 << i)) rs[i] = cs_op_expf(xs[i]);
        r = _mm256_loadu_ps(rs);
    }
    return r;
}

/* reduce16 of the lanes lo (0..7) and hi (8..15), in registers. */
static AVX2 inline float reduce16_avx2(__m256 lo, __m256 hi)
{
    __m256 t3 = _mm256_add_ps(hi, lo);
    __m128 t6 = _mm_add_ps(_mm256_extractf128_ps(t3, 1), _mm256_castps256_ps128(t3));
    __m128 t8 = _mm_add_ps(t6, _mm_shuffle_ps(t6, t6, _MM_SHUFFLE(1, 0, 3, 2)));
    return _mm_cvtss_f32(t8) + _mm_cvtss_f32(_mm_shuffle_ps(t8, t8, 1));
}

static AVX2 double softmax_chunks_avx2(float *x, int n16, float max)
{
    double sum = 0.0;
    __m256 vmax = _mm256_set1_ps(max);
    for (int i = 0; i < n16; i += 16) {
        __m256 lo = expf8(_mm256_sub_ps(_mm256_loadu_ps(x + i), vmax));
        __m256 hi = expf8(_mm256_sub_ps(_mm256_loadu_ps(x + i + 8), vmax));
        _mm256_storeu_ps(x + i, lo);
        _mm256_storeu_ps(x + i + 8, hi);
        sum += (double)reduce16_avx2(lo, hi);
    }
    return sum;
}

static AVX2 void silu_chunks_avx2(float *g, int n16)
{
    for (int i = 0; i < n16; i += 8) {
        __m256 x = _mm256_loadu_ps(g + i);
        __m256 e = expf8(_mm256_sub_ps(_mm256_setzero_ps(), x));
        _mm256_storeu_ps(g + i, _mm256_div_ps(x, _mm256_add_ps(_mm256_set1_ps(1.0f), e)));
    }
}
#endif

#ifdef OPS_AVX2
static AVX2 float max_avx2(const float *x, int n)
{
    __m256 m = _mm256_set1_ps(-INFINITY);
    int i = 0;
    for (; i + 8 <= n; i += 8) m = _mm256_max_ps(m, _mm256_loadu_ps(x + i));
    float l[8], r = -INFINITY;
    _mm256_storeu_ps(l, m);
    for (int k = 0; k < 8; k++) r = l[k] > r ? l[k] : r;
    for (; i < n; i++) r = x[i] > r ? x[i] : r;
    return r;
}

static AVX2 void scale_avx2(float *x, int n, float s)
{
    __m256 v = _mm256_set1_ps(s);
    int i = 0;
    for (; i + 8 <= n; i += 8) _mm256_storeu_ps(x + i, _mm256_mul_ps(_mm256_loadu_ps(x + i), v));
    for (; i < n; i++) x[i] *= s;
}
#endif

void cs_op_softmax(float *x, int n)
{
    float max = -INFINITY;
#ifdef OPS_AVX2
    if (have_avx2()) max = max_avx2(x, n);
    else
#endif
    for (int i = 0; i < n; i++)
        if (x[i] > max) max = x[i];
    int n16 = n & ~15;
    double sum = 0.0;
#ifdef OPS_AVX2
    if (have_avx2()) sum = softmax_chunks_avx2(x, n16, max);
    else
#endif
    for (int i = 0; i < n16; i += 16) {
        for (int l = 0; l < 16; l++) x[i + l] = cs_op_expf(x[i + l] - max);
        sum += (double)reduce16(x + i);
    }
    for (int i = n16; i < n; i++) {
        float e = expf(x[i] - max);
        x[i] = e;
        sum += (double)e;
    }
    float inv = (float)(1.0 / sum);
#ifdef OPS_AVX2
    if (have_avx2()) {
        scale_avx2(x, n, inv);
        return;
    }
#endif
    for (int i = 0; i < n; i++) x[i] *= inv;
}

void cs_op_swiglu(float *gate, const float *up, int n)
{
    int n16 = n & ~15;
#ifdef OPS_AVX2
    if (have_avx2()) silu_chunks_avx2(gate, n16);
    else
#endif
    for (int i = 0; i < n16; i++) gate[i] = gate[i] / (1.0f + cs_op_expf(-gate[i]));
    for (int i = n16; i < n; i++) gate[i] = gate[i] / (1.0f + expf(-gate[i]));
    for (int i = 0; i < n; i++) gate[i] *= up[i];
}

/* ------------------------------------------------------------------ rope */

void cs_op_rope_cache(float *cs, int pos, int n_rot, float freq_base, float freq_scale,
                      const float *freq_factors)
{
    /* ggml walks the angle down by repeated multiplication in float; doing
     * the same keeps us bit-close to the reference. */
    const float theta_scale = powf(freq_base, -2.0f / (float)n_rot);
    float theta = (float)pos;
    for (int i = 0; i < n_rot / 2; i++) {
        float t = theta;
        if (freq_factors) t /= freq_factors[i];
        t *= freq_scale;
        cs[2 * i] = cosf(t);
        cs[2 * i + 1] = sinf(t);
        theta *= theta_scale;
    }
}

void cs_op_rope(float *x, const float *cs, int n_rot, int neox)
{
    int half = n_rot / 2;
    for (int i = 0; i < half; i++) {
        float c = cs[2 * i], s = cs[2 * i + 1];
        int a = neox ? i : 2 * i;
        int b = neox ? i + half : 2 * i + 1;
        float x0 = x[a], x1 = x[b];
        /* ggml's C is built by GCC with FMA contraction (GNU C, -march
         * with FMA): the first product of each expression is fused.  The
         * unfused rounding moved the 4-layer models' logits by up to 0.1. */
        x[a] = fmaf(x0, c, -(x1 * s));
        x[b] = fmaf(x0, s, x1 * c);
    }
}

/* ------------------------------------------------------------------ f16 dots */

#ifdef OPS_AVX2
static AVX2 float dot_f16_avx2(const uint16_t *a, const uint16_t *b, int n)
{
    __m256 lo = _mm256_setzero_ps(), hi = _mm256_setzero_ps();
    int i = 0;
    for (; i + 16 <= n; i += 16) {
        lo = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(a + i))),
                             _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(b + i))), lo);
        hi = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(a + i + 8))),
                             _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(b + i + 8))), hi);
    }
    if (i == n) return reduce16_avx2(lo, hi);
    float lanes[16];
    _mm256_storeu_ps(lanes, lo);
    _mm256_storeu_ps(lanes + 8, hi);
    for (int l = 0; i + l < n; l++) lanes[l] = fmaf(cs_fp16_to_fp32(a[i + l]), cs_fp16_to_fp32(b[i + l]), lanes[l]);
    return reduce16(lanes);
}

static AVX2 void weighted_sum_f16_avx2(float *out, const uint16_t *p, const uint16_t *v, int n, int stride,
                                       int dim, float *lanes)
{
    /* lanes[l * dim + d]: lane l of output d */
    memset(lanes, 0, (size_t)16 * dim * sizeof *lanes);
    for (int i = 0; i < n; i++) {
        float pf = _cvtsh_ss(p[i]);
        if (pf == 0.0f) continue;  /* adds exact zeros: skipping changes no bit */
        __m256 a = _mm256_set1_ps(pf);
        float *acc = lanes + (size_t)(i & 15) * dim;
        const uint16_t *row = v + (size_t)i * stride;
        int d = 0;
        for (; d + 8 <= dim; d += 8)
            _mm256_storeu_ps(acc + d, _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(row + d))), a,
                                                      _mm256_loadu_ps(acc + d)));
        for (; d < dim; d++) acc[d] = fmaf(cs_fp16_to_fp32(row[d]), pf, acc[d]);
    }
    /* reduce16 across the lanes, eight outputs at a time */
    int d = 0;
#define LANE(l) _mm256_loadu_ps(lanes + (size_t)(l) * dim + d)
    for (; d + 8 <= dim; d += 8) {
        __m256 t3[8], t6[4];
        for (int l = 0; l < 8; l++) t3[l] = _mm256_add_ps(LANE(l + 8), LANE(l));
        for (int l = 0; l < 4; l++) t6[l] = _mm256_add_ps(t3[l + 4], t3[l]);
        _mm256_storeu_ps(out + d, _mm256_add_ps(_mm256_add_ps(t6[0], t6[2]), _mm256_add_ps(t6[1], t6[3])));
    }
#undef LANE
    for (; d < dim; d++) {
        float l16[16];
        for (int l = 0; l < 16; l++) l16[l] = lanes[(size_t)l * dim + d];
        out[d] = reduce16(l16);
    }
}
#endif

#ifdef OPS_AVX2
/* 64 lanes as 8 registers: lane l = 8 * register + element. */
static AVX2 inline float reduce64_avx2(const __m256 acc[8])
{
    __m256 lo = _mm256_add_ps(_mm256_add_ps(acc[0], acc[4]), _mm256_add_ps(acc[2], acc[6]));
    __m256 hi = _mm256_add_ps(_mm256_add_ps(acc[1], acc[5]), _mm256_add_ps(acc[3], acc[7]));
    return reduce16_avx2(lo, hi);
}

static AVX2 float dot_f16_vec_avx2(const uint16_t *a, const uint16_t *b, int n)
{
    int np = n & ~63;
    __m256 acc[8];
    for (int k = 0; k < 8; k++) acc[k] = _mm256_setzero_ps();
    for (int i = 0; i < np; i += 64)
        for (int k = 0; k < 8; k++)
            acc[k] = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(a + i + 8 * k))),
                                     _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(b + i + 8 * k))), acc[k]);
    double sum = reduce64_avx2(acc);
    for (int i = np; i < n; i++) sum += (double)(_cvtsh_ss(a[i]) * _cvtsh_ss(b[i]));
    return (float)sum;
}

static AVX2 void weighted_sum_f16_vec_avx2(float *out, const uint16_t *p, const uint16_t *v, int n, int n_pad,
                                           int stride, int dim, float *lanes)
{
    /* lanes[l * dim + d]: lane l (0..63) of output d */
    int np = n_pad & ~63, nv = n < np ? n : np;
    memset(lanes, 0, (size_t)64 * dim * sizeof *lanes);
    for (int i = 0; i < nv; i++) {
        float pf = _cvtsh_ss(p[i]);
        if (pf == 0.0f) continue;  /* adds exact zeros */
        __m256 a = _mm256_set1_ps(pf);
        float *acc = lanes + (size_t)(i & 63) * dim;
        const uint16_t *row = v + (size_t)i * stride;
        int d = 0;
        for (; d + 8 <= dim; d += 8)
            _mm256_storeu_ps(acc + d, _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(row + d))), a,
                                                      _mm256_loadu_ps(acc + d)));
        for (; d < dim; d++) acc[d] = fmaf(_cvtsh_ss(row[d]), pf, acc[d]);
    }
    /* reduce64 across the lanes, eight outputs at a time */
    int d = 0;
#define LANE(l) _mm256_loadu_ps(lanes + (size_t)(l) * dim + d)
    for (; d + 8 <= dim; d += 8) {
        __m256 t[16], t3[8], t6[4];
        for (int l = 0; l < 16; l++)
            t[l] = _mm256_add_ps(_mm256_add_ps(LANE(l), LANE(l + 32)), _mm256_add_ps(LANE(l + 16), LANE(l + 48)));
        for (int l = 0; l < 8; l++) t3[l] = _mm256_add_ps(t[l + 8], t[l]);
        for (int l = 0; l < 4; l++) t6[l] = _mm256_add_ps(t3[l + 4], t3[l]);
        _mm256_storeu_ps(out + d, _mm256_add_ps(_mm256_add_ps(t6[0], t6[2]), _mm256_add_ps(t6[1], t6[3])));
    }
#undef LANE
    for (; d < dim; d++) {
        float l64[64];
        for (int l = 0; l < 64; l++) l64[l] = lanes[(size_t)l * dim + d];
        out[d] = reduce64(l64);
    }
    if (np < n)  /* the tail past the last multiple of 64, in double */
        for (d = 0; d < dim; d++) {
            double sum = out[d];
            for (int i = np; i < n; i++) sum += (double)(_cvtsh_ss(v[(size_t)i * stride + d]) * _cvtsh_ss(p[i]));
            out[d] = (float)sum;
        }
}
#endif

#ifdef __wasm_simd128__
/* ------------------------------------------------------------------ f16 in WASM */

/* WebAssembly has neither F16C nor a fused multiply-add instruction (fmaf
 * is a slow library call there), which made the scalar f16 attention below
 * the browser's bottleneck.  These SIMD128 versions give the scalar code's
 * bits exactly: a product of two halves has at most 22 significant bits, so
 * it is exact in float and fmaf(x, y, acc) == acc + x * y; each lane
 * accumulates the same elements in the same order. */
#include <wasm_simd128.h>
#define OPS_SIMD128 1

/* Four halves to floats, exactly: the half's magnitude bits moved to float
 * position and scaled by 2^112 (normals and subnormals alike), infinities
 * and NaNs given the float's all-ones exponent, then the sign. */
static inline v128_t f16x4_to_f32(const uint16_t *p)
{
    v128_t h = wasm_u32x4_load16x4(p);
    v128_t mag = wasm_v128_and(h, wasm_i32x4_splat(0x7fff));
    v128_t f = wasm_f32x4_mul(wasm_i32x4_shl(mag, 13), wasm_f32x4_splat(0x1p112f));
    v128_t special = wasm_i32x4_ge(mag, wasm_i32x4_splat(0x7c00));
    f = wasm_v128_or(f, wasm_v128_and(special, wasm_i32x4_splat(0x7f800000)));
    return wasm_v128_or(f, wasm_i32x4_shl(wasm_v128_and(h, wasm_i32x4_splat(0x8000)), 16));
}

/* lanes[i % L] += a[i] * b[i] for i < n, L = 16 or 64 (lanes zeroed). */
static void dot_f16_lanes_simd(const uint16_t *a, const uint16_t *b, int n, int L, float *lanes)
{
    v128_t acc[16];
    int q = L / 4, i = 0;
    for (int k = 0; k < q; k++) acc[k] = wasm_f32x4_splat(0.0f);
    for (; i + L <= n; i += L)
        for (int k = 0; k < q; k++)
            acc[k] = wasm_f32x4_add(acc[k], wasm_f32x4_mul(f16x4_to_f32(a + i + 4 * k), f16x4_to_f32(b + i + 4 * k)));
    for (int k = 0; k < q; k++) wasm_v128_store(lanes + 4 * k, acc[k]);
    for (; i < n; i++) lanes[i % L] += cs_fp16_to_fp32(a[i]) * cs_fp16_to_fp32(b[i]);
}

/* lanes[(i % L) * dim + d] += v[i * stride + d] * p[i] for i < n (lanes
 * zeroed), skipping zero probabilities as the scalar code does. */
static void weighted_sum_lanes_simd(const uint16_t *p, const uint16_t *v, int n, int stride, int dim, int L,
                                    float *lanes)
{
    memset(lanes, 0, (size_t)L * dim * sizeof *lanes);
    int d4 = dim & ~3;
    for (int i = 0; i < n; i++) {
        float pf = cs_fp16_to_fp32(p[i]);
        if (pf == 0.0f) continue;
        float *acc = lanes + (size_t)(i % L) * dim;
        const uint16_t *row = v + (size_t)i * stride;
        v128_t pv = wasm_f32x4_splat(pf);
        for (int d = 0; d < d4; d += 4)
            wasm_v128_store(acc + d, wasm_f32x4_add(wasm_v128_load(acc + d), wasm_f32x4_mul(f16x4_to_f32(row + d), pv)));
        for (int d = d4; d < dim; d++) acc[d] += cs_fp16_to_fp32(row[d]) * pf;
    }
}
#endif

float cs_op_dot_f16_vec(const uint16_t *a, const uint16_t *b, int n)
{
#ifdef OPS_AVX2
    if (have_avx2()) return dot_f16_vec_avx2(a, b, n);
#endif
    int np = n & ~63;
    float lanes[64] = {0};
#ifdef OPS_SIMD128
    dot_f16_lanes_simd(a, b, np, 64, lanes);
#else
    for (int i = 0; i < np; i++) lanes[i & 63] = fmaf(cs_fp16_to_fp32(a[i]), cs_fp16_to_fp32(b[i]), lanes[i & 63]);
#endif
    double sum = reduce64(lanes);
    for (int i = np; i < n; i++) sum += (double)(cs_fp16_to_fp32(a[i]) * cs_fp16_to_fp32(b[i]));
    return (float)sum;
}

void cs_op_weighted_sum_f16_vec(float *out, const uint16_t *p, const uint16_t *v, int n, int n_pad, int stride,
                                int dim, float *lanes)
{
#ifdef OPS_AVX2
    if (have_avx2()) {
        weighted_sum_f16_vec_avx2(out, p, v, n, n_pad, stride, dim, lanes);
        return;
    }
#endif
    int np = n_pad & ~63, nv = n < np ? n : np;
#ifdef OPS_SIMD128
    weighted_sum_lanes_simd(p, v, nv, stride, dim, 64, lanes);
#else
    memset(lanes, 0, (size_t)64 * dim * sizeof *lanes);
    for (int i = 0; i < nv; i++) {
        float pf = cs_fp16_to_fp32(p[i]);
        if (pf == 0.0f) continue;
        float *acc = lanes + (size_t)(i & 63) * dim;
        const uint16_t *row = v + (size_t)i * stride;
        for (int d = 0; d < dim; d++) acc[d] = fmaf(cs_fp16_to_fp32(row[d]), pf, acc[d]);
    }
#endif
    for (int d = 0; d < dim; d++) {
        float l64[64];
        for (int l = 0; l < 64; l++) l64[l] = lanes[(size_t)l * dim + d];
        double sum = reduce64(l64);
        for (int i = np; i < n; i++)
            sum += (double)(cs_fp16_to_fp32(v[(size_t)i * stride + d]) * cs_fp16_to_fp32(p[i]));
        out[d] = (float)sum;
    }
}

float cs_op_dot_f16(const uint16_t *a, const uint16_t *b, int n)
{
#ifdef OPS_AVX2
    if (have_avx2()) return dot_f16_avx2(a, b, n);
#endif
    float lanes[16] = {0};
#ifdef OPS_SIMD128
    dot_f16_lanes_simd(a, b, n, 16, lanes);
#else
    for (int i = 0; i < n; i++) lanes[i & 15] = fmaf(cs_fp16_to_fp32(a[i]), cs_fp16_to_fp32(b[i]), lanes[i & 15]);
#endif
    return reduce16(lanes);
}

void cs_op_weighted_sum_f16(float *out, const uint16_t *p, const uint16_t *v, int n, int stride, int dim,
                            float *lanes)
{
#ifdef OPS_AVX2
    if (have_avx2()) {
        weighted_sum_f16_avx2(out, p, v, n, stride, dim, lanes);
        return;
    }
#endif
#ifdef OPS_SIMD128
    weighted_sum_lanes_simd(p, v, n, stride, dim, 16, lanes);
#else
    memset(lanes, 0, (size_t)16 * dim * sizeof *lanes);
    for (int i = 0; i < n; i++) {
        float pf = cs_fp16_to_fp32(p[i]);
        if (pf == 0.0f) continue;
        float *acc = lanes + (size_t)(i & 15) * dim;
        const uint16_t *row = v + (size_t)i * stride;
        for (int d = 0; d < dim; d++) acc[d] = fmaf(cs_fp16_to_fp32(row[d]), pf, acc[d]);
    }
#endif
    for (int d = 0; d < dim; d++) {
        float l16[16];
        for (int l = 0; l < 16; l++) l16[l] = lanes[(size_t)l * dim + d];
        out[d] = reduce16(l16);
    }
}
