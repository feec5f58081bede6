/*
 * matmul.c: y = x * W^T over quantized weights, split across the pool.
 *
 * Where the time goes: decode is one token, so every weight byte is read
 * once per token and the kernels are memory-bound; prefill reuses each
 * weight row for every token, so the kernels are compute-bound and the
 * tiling below keeps a block of weight rows in L1 while all the tokens'
 * quantized activations stream from L2.
 */
#include "matmul.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "cs_err.h"
#include "quant_internal.h"

/* ---------------------------------------------------------------- selection */

/* Chosen on first use; atomic so that first uses from several threads (or
 * a select racing a matmul) are not a data race: any value read is valid. */
static _Atomic(const cs_kernel_table *) g_active;

#if defined(CS_HAVE_AVX2_KERNELS)
#include <cpuid.h>
static int cpu_has_avx2(void)
{
    __builtin_cpu_init();
    unsigned a, b, c, d;
    /* F16C: CPUID leaf 1, ECX bit 29 (clang cannot name it in the builtin). */
    int f16c = __get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 29));
    return f16c && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
#endif

const cs_kernel_table *cs_kernel_table_for(cs_isa isa)
{
    switch (isa) {
    case CS_ISA_SCALAR: return &cs_kernels_scalar;
#if defined(CS_HAVE_AVX2_KERNELS)
    case CS_ISA_AVX2: return cpu_has_avx2() ? &cs_kernels_avx2 : NULL;
#endif
#if defined(CS_HAVE_SIMD128_KERNELS)
    case CS_ISA_SIMD128: return &cs_kernels_simd128;
#endif
    case CS_ISA_AUTO: {
        const cs_kernel_table *t = cs_kernel_table_for(CS_ISA_AVX2);
        if (t == NULL)
            t = cs_kernel_table_for(CS_ISA_SIMD128);
        return t ? t : &cs_kernels_scalar;
    }
    default: return NULL;
    }
}

const cs_kernel_table *cs_kernel_table_active(void)
{
    const cs_kernel_table *t = atomic_load_explicit(&g_active, memory_order_relaxed);
    if (t == NULL) {
        t = cs_kernel_table_for(CS_ISA_AUTO);
        atomic_store_explicit(&g_active, t, memory_order_relaxed);
    }
    return t;
}

int cs_kernels_select(cs_isa isa)
{
    const cs_kernel_table *t = cs_kernel_table_for(isa);
    if (t == NULL)
        return CS_ERR_UNSUPPORTED;
    atomic_store_explicit(&g_active, t, memory_order_relaxed);
    return CS_OK;
}

cs_isa cs_kernels_active(void)
{
    return cs_kernel_table_active()->isa;
}

int cs_kernels_available(cs_isa isa)
{
    return cs_kernel_table_for(isa) != NULL;
}

const char *cs_isa_name(cs_isa isa)
{
    switch (isa) {
    case CS_ISA_AUTO: return "auto";
    case CS_ISA_SCALAR: return "scalar";
    case CS_ISA_AVX2: return "avx2";
    case CS_ISA_SIMD128: return "simd128";
    default: return "unknown";
    }
}

/* ---------------------------------------------------------------- matmul */

#define MAX_MATS 8
/* Weight rows per tile: a few KB, stays in L1 while the tokens stream by. */
#define ROW_TILE 16

typedef struct {
    const cs_kernel_table *k;
    const cs_tensor_view *const *Ws;
    float *const *ys;
    int n_mats;
    int n_tokens;
    int64_t cols;
    const float *x;
    void *act[MAX_MATS];   /* quantized activations per matrix (shared if same type) */
    size_t act_stride;     /* bytes per token, per distinct dot type (max) */
    int64_t total_rows;    /* sum of rows over the matrices */
} mm_job;

static void quantize_tokens(const cs_kernel_table *k, int type, const float *x, void *dst,
                            int64_t cols, size_t stride, int t0, int t1)
{
    for (int t = t0; t < t1; t++) {
        const float *xt = x + (size_t)t * cols;
        char *yt = (char *)dst + (size_t)t * stride;
        switch (cs_type_vec_dot_type(type)) {
        case CS_TYPE_F32: memcpy(yt, xt, (size_t)cols * sizeof(float)); break;
        case CS_TYPE_F16: k->fp32_to_fp16(xt, (cs_half *)yt, cols); break;
        case CS_TYPE_Q8_0:
            k->quantize_q8_0(xt, (cs_block_q8_0 *)yt, cols);
            cs_q8_0_append_scales(yt, cols);
            break;
        case CS_TYPE_Q8_K: k->quantize_q8_K(xt, (cs_block_q8_K *)yt, cols); break;
        default: break;
        }
    }
}

/* Quantizes the tokens once per distinct dot type among the matrices. */
static void quantize_job(void *p, int ith, int nth)
{
    mm_job *j = p;
    int t0 = (int)((int64_t)j->n_tokens * ith / nth);
    int t1 = (int)((int64_t)j->n_tokens * (ith + 1) / nth);
    for (int m = 0; m < j->n_mats; m++) {
        int first = 1;
        for (int e = 0; e < m; e++)
            if (j->act[e] == j->act[m])
                first = 0;
        if (first)
            quantize_tokens(j->k, j->Ws[m]->type, j->x, j->act[m], j->cols, j->act_stride, t0, t1);
    }
}

static void rows_of_matrix(const mm_job *j, int m, int64_t r0, int64_t r1)
{
    const cs_tensor_view *W = j->Ws[m];
    float *y = j->ys[m];
    size_t row_bytes = cs_row_bytes(W->type, W->cols);
    const char *wdata = W->data;
    const char *act = j->act[m];
    int n = (int)W->cols;
    if (j->n_tokens == 1) {
        cs_vec_dot_fn dot = j->k->dot[W->type];
        for (int64_t r = r0; r < r1; r++)
            y[r] = dot(n, wdata + (size_t)r * row_bytes, act);
        return;
    }
    cs_vec_dot_multi_fn multi = j->k->dot_multi[W->type];
    cs_vec_dot_fn dot = j->k->dot[W->type];
    size_t ys = (size_t)W->rows;
    for (int64_t rb = r0; rb < r1; rb += ROW_TILE) {
        int64_t re = rb + ROW_TILE < r1 ? rb + ROW_TILE : r1;
        for (int64_t r = rb; r < re; r++) {
            const char *w = wdata + (size_t)r * row_bytes;
            if (multi != NULL) {
                multi(n, w, act, j->act_stride, j->n_tokens, y + r, ys);
            } else {
                for (int t = 0; t < j->n_tokens; t++)
                    y[(size_t)t * ys + r] = dot(n, w, act + (size_t)t * j->act_stride);
            }
        }
    }
}

/* Part ith of nth: an equal share of all the matrices' rows, in multiples
 * of 4 so that two parts never write the same cache line of a decode
 * output. */
static void matmul_job(void *p, int ith, int nth)
{
    mm_job *j = p;
    int64_t units = (j->total_rows + 3) / 4;
    int64_t lo = units * ith / nth * 4, hi = units * (ith + 1) / nth * 4;
    if (hi > j->total_rows)
        hi = j->total_rows;
    int64_t base = 0;
    for (int m = 0; m < j->n_mats && lo < hi; m++) {
        int64_t rows = j->Ws[m]->rows;
        int64_t a = lo - base, b = hi - base;
        if (a < rows && b > 0)
            rows_of_matrix(j, m, a < 0 ? 0 : a, b > rows ? rows : b);
        base += rows;
    }
}

/* How many parts to cut a matmul into: enough that a thread the OS
 * preempted leaves little behind for the others to wait on, few enough that
 * claiming a part (one contended atomic, ~100 ns) stays cheap next to
 * running it.  Roughly one part per 32 KB of weights (per token). */
static int matmul_parts(const mm_job *j, int threads)
{
    if (threads <= 1)
        return 1;
    double work = 0;
    for (int m = 0; m < j->n_mats; m++)
        work += (double)cs_row_bytes(j->Ws[m]->type, j->Ws[m]->cols) * j->Ws[m]->rows;
    work *= j->n_tokens;
    double parts = work / 32768.0;
    double lo = threads, hi = threads * 8.0, max_rows = (double)((j->total_rows + 3) / 4);
    parts = parts < lo ? lo : parts > hi ? hi : parts;
    return (int)(parts < max_rows ? parts : max_rows);
}

int cs_matmul_multi(const cs_tensor_view *const *Ws, float *const *ys, int n_mats,
                    const float *x, int n_tokens, cs_threadpool *tp)
{
    if (n_mats < 1 || n_mats > MAX_MATS || n_tokens < 1 || Ws == NULL || ys == NULL || x == NULL)
        return CS_ERR_INVALID;
    const cs_kernel_table *k = cs_kernel_table_active();
    mm_job j = {.k = k, .Ws = Ws, .ys = ys, .n_mats = n_mats, .n_tokens = n_tokens,
                .cols = Ws[0]->cols, .x = x};
    /* Distinct dot types get their own slice of the scratch. */
    int dot_types[MAX_MATS], n_dt = 0;
    int slot[MAX_MATS];
    for (int m = 0; m < n_mats; m++) {
        const cs_tensor_view *W = Ws[m];
        if (W == NULL || W->data == NULL || ys[m] == NULL || W->rows < 1 || W->cols != j.cols)
            return CS_ERR_INVALID;
        int dt = cs_type_vec_dot_type(W->type);
        if (dt < 0 || k->dot[W->type] == NULL)
            return CS_ERR_UNSUPPORTED;
        if (cs_row_bytes(W->type, W->cols) == 0 || W->cols > (1 << 30))
            return CS_ERR_INVALID;
        /* Q8_0 rows carry their scales as floats too (quant_internal.h). */
        size_t ab = dt == CS_TYPE_Q8_0 ? cs_q8_0_row_with_scales(W->cols) : cs_row_bytes(dt, W->cols);
        if (ab > j.act_stride)
            j.act_stride = ab;
        slot[m] = -1;
        for (int e = 0; e < n_dt; e++)
            if (dot_types[e] == dt)
                slot[m] = e;
        if (slot[m] < 0) {
            dot_types[n_dt] = dt;
            slot[m] = n_dt++;
        }
        j.total_rows += W->rows;
    }
    j.act_stride = (j.act_stride + 63) / 64 * 64;
    size_t per_type = j.act_stride * (size_t)n_tokens;
    size_t need = per_type * (size_t)n_dt;
    void *heap = NULL;
    char *scratch = cs_threadpool_scratch(tp, need);
    if (scratch == NULL) {
        scratch = heap = aligned_alloc(64, (need + 63) / 64 * 64);
        if (scratch == NULL)
            return CS_ERR_NOMEM;
    }
    for (int m = 0; m < n_mats; m++)
        j.act[m] = scratch + per_type * (size_t)slot[m];

    int threads = cs_threadpool_size(tp);
    if (n_tokens >= 8 && threads > 1)
        cs_threadpool_run_parts(tp, quantize_job, &j, threads * 4 < n_tokens ? threads * 4 : n_tokens);
    else
        quantize_job(&j, 0, 1);
    cs_threadpool_run_parts(tp, matmul_job, &j, matmul_parts(&j, threads));
    free(heap);
    return CS_OK;
}

int cs_matmul(const cs_tensor_view *W, const float *x, float *y, int n_tokens, cs_threadpool *tp)
{
    const cs_tensor_view *Ws[1] = {W};
    float *ys[1] = {y};
    return cs_matmul_multi(Ws, ys, 1, x, n_tokens, tp);
}

int cs_tensor_get_row(const cs_tensor_view *W, int64_t row, float *out)
{
    if (W == NULL || W->data == NULL || out == NULL || row < 0 || row >= W->rows)
        return CS_ERR_INVALID;
    size_t rb = cs_row_bytes(W->type, W->cols);
    if (rb == 0)
        return cs_type_block_size(W->type) ? CS_ERR_INVALID : CS_ERR_UNSUPPORTED;
    return cs_dequantize_row(W->type, (const char *)W->data + (size_t)row * rb, out, W->cols);
}
