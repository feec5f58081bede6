/*
 * quant_internal.h: the per-ISA kernel tables behind matmul.h, shared by
 * kernels_scalar.c, kernels_avx2.c, kernels_simd128.c, matmul.c and the
 * tests that check every fast kernel against the scalar one.  Not part of
 * the public API.
 */
#ifndef CS_QUANT_INTERNAL_H
#define CS_QUANT_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "matmul.h"
#include "quant.h"

/* Dot product of one weight row (n elements of its type) with one row of
 * activations already in the weight type's dot type.  Q8_0 activation rows
 * always carry their scales as floats after the blocks (see
 * cs_q8_0_append_scales): SIMD kernels read those instead of converting the
 * same fp16 scale once per weight row. */
typedef float (*cs_vec_dot_fn)(int n, const void *w, const void *a);

/* One weight row against ntok activation rows: out[t * out_stride] = dot(w,
 * a + t * a_stride bytes).  Lets a kernel unpack a weight block once and use
 * it for several tokens (prefill). */
typedef void (*cs_vec_dot_multi_fn)(int n, const void *w, const void *a, size_t a_stride,
                                    int ntok, float *out, size_t out_stride);

typedef struct {
    cs_isa isa;
    cs_vec_dot_fn dot[CS_TYPE_COUNT];            /* by weight type; NULL: none */
    cs_vec_dot_multi_fn dot_multi[CS_TYPE_COUNT]; /* NULL: loop over dot */
    void (*quantize_q8_0)(const float *x, cs_block_q8_0 *y, int64_t n);
    void (*quantize_q8_K)(const float *x, cs_block_q8_K *y, int64_t n);
    void (*fp32_to_fp16)(const float *x, cs_half *y, int64_t n);
    void (*fp16_to_fp32)(const cs_half *x, float *y, int64_t n);
} cs_kernel_table;

extern const cs_kernel_table cs_kernels_scalar;
#if defined(__x86_64__) || defined(__i386__)
#define CS_HAVE_AVX2_KERNELS 1
extern const cs_kernel_table cs_kernels_avx2;
#endif
#if defined(__wasm_simd128__)
#define CS_HAVE_SIMD128_KERNELS 1
extern const cs_kernel_table cs_kernels_simd128;
#endif

/* The table for an ISA (NULL if not built/available); the active table. */
const cs_kernel_table *cs_kernel_table_for(cs_isa isa);
const cs_kernel_table *cs_kernel_table_active(void);

/* Writes the n/32 scales of the Q8_0 row at `row` (4-byte aligned) as
 * floats after it, at row + cs_q8_0_scales_offset(n) (the row's bytes
 * rounded up to 4); see cs_vec_dot_fn. */
void cs_q8_0_append_scales(void *row, int64_t n);
static inline size_t cs_q8_0_scales_offset(int64_t n)
{
    return ((size_t)(n / CS_QK8_0) * sizeof(cs_block_q8_0) + 3) / 4 * 4;
}
/* Bytes of a Q8_0 activation row of n values with its appended scales. */
size_t cs_q8_0_row_with_scales(int64_t n);

/* Scalar references shared between tables. */
void cs_quantize_q8_0_ref(const float *x, cs_block_q8_0 *y, int64_t n);
void cs_quantize_q8_K_ref(const float *x, cs_block_q8_K *y, int64_t n);
void cs_fp32_to_fp16_row_ref(const float *x, cs_half *y, int64_t n);
void cs_fp16_to_fp32_row_ref(const cs_half *x, float *y, int64_t n);
/* 6-bit scale and min j (0..7) of a Q4_K/Q5_K block's packed scales:
 * j < 4 in the low 6 bits of bytes j and j+4; j >= 4 in the nibbles of byte
 * j+4 plus the top 2 bits of bytes j-4 and j. */
static inline void cs_k_scale_min(int j, const uint8_t *q, uint8_t *sc, uint8_t *m)
{
    if (j < 4) {
        *sc = q[j] & 63;
        *m = q[j + 4] & 63;
    } else {
        *sc = (uint8_t)((q[j + 4] & 0xf) | ((q[j - 4] >> 6) << 4));
        *m = (uint8_t)((q[j + 4] >> 4) | ((q[j] >> 6) << 4));
    }
}
/* Value k (0..255) of a Q6_K block as -32..31. */
int cs_q6_K_value(const cs_block_q6_K *b, int k);

#endif
