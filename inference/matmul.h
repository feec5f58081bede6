/*
 * matmul.h: the numeric kernels the forward pass calls: y = x * W^T on
 * quantized weights, and embedding-row lookup.
 *
 * How: the activations are quantized once per call to the weight type's dot
 * type (see quant.h), then each output is an integer dot product per block
 * scaled in float, exactly llama.cpp's CPU arithmetic.  With several tokens
 * (prefill) each weight row is reused across a tile of tokens while it is in
 * cache.  Rows are split across the thread pool.  Every kernel exists as a
 * scalar reference and, where the CPU has it, an AVX2+FMA (x86-64, chosen at
 * run time) or WASM SIMD128 (compile time) version; tests force each.
 *
 * Ownership: weights are borrowed (typically straight from the mapped GGUF);
 * outputs are caller memory.  Errors: CS_ERR_UNSUPPORTED for a type without
 * kernels, CS_ERR_INVALID for bad shapes, CS_ERR_NOMEM if scratch for the
 * quantized activations cannot be had.  Thread-safety: cs_matmul is
 * re-entrant given distinct pools; cs_kernels_select changes process-wide
 * state and must not race with running matmuls.
 */
#ifndef CS_MATMUL_H
#define CS_MATMUL_H

#include <stdint.h>

#include "quant.h"
#include "threadpool.h"

/* A 2-D weight matrix in ggml order: `rows` rows (output features) of
 * `cols` elements (input features, a multiple of the type's block size),
 * each row cs_row_bytes(type, cols) bytes, rows contiguous. */
typedef struct {
    int type;          /* cs_type */
    int64_t rows;      /* output features (ggml ne[1]) */
    int64_t cols;      /* input features (ggml ne[0]) */
    const void *data;  /* (rows, cols) in `type` blocks */
} cs_tensor_view;

/* y[t][r] = sum_c W[r][c] * x[t][c] for t < n_tokens, r < W->rows.
 * tp may be NULL (single thread). */
int cs_matmul(const cs_tensor_view *W, const float *x /* (n_tokens, cols) */,
              float *y /* (n_tokens, rows) */, int n_tokens, cs_threadpool *tp);

/* Several matrices with the same cols applied to the same x in one pass over
 * the pool (q/k/v, or gate/up): the activations are quantized once per dot
 * type and the threads are woken once.  ys[i] is (n_tokens, Ws[i]->rows). */
int cs_matmul_multi(const cs_tensor_view *const *Ws, float *const *ys, int n_mats,
                    const float *x /* (n_tokens, cols) */, int n_tokens, cs_threadpool *tp);

/* Dequantizes row `row` of W (an embedding lookup) into out (cols). */
int cs_tensor_get_row(const cs_tensor_view *W, int64_t row, float *out /* (cols) */);

/* ---------------------------------------------------------------- kernels */

typedef enum {
    CS_ISA_AUTO = 0,   /* best available (the default) */
    CS_ISA_SCALAR = 1, /* portable reference C */
    CS_ISA_AVX2 = 2,   /* x86-64 AVX2 + FMA + F16C, detected at run time */
    CS_ISA_SIMD128 = 3 /* WebAssembly SIMD128 (builds with -msimd128) */
} cs_isa;

/* Chooses the kernel set; CS_ERR_UNSUPPORTED if this build/CPU lacks it
 * (the selection is then unchanged). */
int cs_kernels_select(cs_isa isa);
/* The kernel set in use (never CS_ISA_AUTO). */
cs_isa cs_kernels_active(void);
/* Non-zero if `isa` can be selected here. */
int cs_kernels_available(cs_isa isa);
const char *cs_isa_name(cs_isa isa);

#endif
