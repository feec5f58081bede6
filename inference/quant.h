/*
 * quant.h: ggml/GGUF tensor types and their block formats.
 *
 * What this module is for: the byte layout of every tensor type a GGUF file
 * may hold (type ids, block structs, bytes per row), half-precision
 * conversion, reference dequantization of weights, and quantization of
 * activations into the types the integer dot products consume (Q8_0 for
 * Q4_0/Q5_0/Q8_0 weights, Q8_K for Q4_K/Q5_K/Q6_K weights, F16 for F16
 * weights), with the same rounding as llama.cpp's CPU backend so that logits
 * agree with it.  Matrix products live in matmul.h, threads in threadpool.h.
 *
 * Ownership: every function writes into caller-provided memory; nothing here
 * allocates.  Errors: functions taking a type return CS_ERR_UNSUPPORTED for a
 * type they do not implement and CS_ERR_INVALID when a length is not a whole
 * number of blocks.  Thread-safety: all functions are pure and re-entrant.
 */
#ifndef CS_QUANT_H
#define CS_QUANT_H

#include <stddef.h>
#include <stdint.h>

/* Tensor type ids exactly as ggml numbers them (ggml.h enum ggml_type);
 * GGUF files store these.  Ids 4 and 5 (old Q4_2/Q4_3) are retired. */
typedef enum {
    CS_TYPE_F32 = 0,
    CS_TYPE_F16 = 1,
    CS_TYPE_Q4_0 = 2,
    CS_TYPE_Q4_1 = 3,
    CS_TYPE_Q5_0 = 6,
    CS_TYPE_Q5_1 = 7,
    CS_TYPE_Q8_0 = 8,
    CS_TYPE_Q8_1 = 9,
    CS_TYPE_Q2_K = 10,
    CS_TYPE_Q3_K = 11,
    CS_TYPE_Q4_K = 12,
    CS_TYPE_Q5_K = 13,
    CS_TYPE_Q6_K = 14,
    CS_TYPE_Q8_K = 15,
    CS_TYPE_BF16 = 30,
    CS_TYPE_COUNT = 40 /* bound for tables indexed by type; not a type */
} cs_type;

typedef uint16_t cs_half; /* IEEE 754 binary16 bits */

#define CS_QK4_0 32
#define CS_QK5_0 32
#define CS_QK8_0 32
#define CS_QK_K 256
#define CS_K_SCALE_SIZE 12

/* Q4_0: 32 weights = d * (q - 8), q in 0..15.  qs[j] holds weight j in its
 * low nibble and weight j+16 in its high nibble. */
typedef struct {
    cs_half d;
    uint8_t qs[CS_QK4_0 / 2];
} cs_block_q4_0;
_Static_assert(sizeof(cs_block_q4_0) == 18, "q4_0 block is 18 bytes");

/* Q4_1: 32 weights = d * q + m. */
typedef struct {
    cs_half d, m;
    uint8_t qs[CS_QK4_0 / 2];
} cs_block_q4_1;
_Static_assert(sizeof(cs_block_q4_1) == 20, "q4_1 block is 20 bytes");

/* Q5_0: 32 weights = d * (q - 16), q in 0..31: low 4 bits as in Q4_0, the
 * 5th bit of weight j is bit j of the little-endian 32-bit qh. */
typedef struct {
    cs_half d;
    uint8_t qh[4];
    uint8_t qs[CS_QK5_0 / 2];
} cs_block_q5_0;
_Static_assert(sizeof(cs_block_q5_0) == 22, "q5_0 block is 22 bytes");

/* Q5_1: 32 weights = d * q + m, q in 0..31. */
typedef struct {
    cs_half d, m;
    uint8_t qh[4];
    uint8_t qs[CS_QK5_0 / 2];
} cs_block_q5_1;
_Static_assert(sizeof(cs_block_q5_1) == 24, "q5_1 block is 24 bytes");

/* Q8_0: 32 values = d * q, q in -127..127 (weights, and the activation type
 * for Q4_0/Q5_0/Q8_0 weights). */
typedef struct {
    cs_half d;
    int8_t qs[CS_QK8_0];
} cs_block_q8_0;
_Static_assert(sizeof(cs_block_q8_0) == 34, "q8_0 block is 34 bytes");

/* Q8_1: Q8_0 plus s = d * sum(qs). */
typedef struct {
    cs_half d, s;
    int8_t qs[CS_QK8_0];
} cs_block_q8_1;
_Static_assert(sizeof(cs_block_q8_1) == 36, "q8_1 block is 36 bytes");

/* Q2_K, Q3_K: layouts only (not implemented by the kernels). */
typedef struct {
    uint8_t scales[CS_QK_K / 16];
    uint8_t qs[CS_QK_K / 4];
    cs_half d, dmin;
} cs_block_q2_K;
_Static_assert(sizeof(cs_block_q2_K) == 84, "q2_K block is 84 bytes");

typedef struct {
    uint8_t hmask[CS_QK_K / 8];
    uint8_t qs[CS_QK_K / 4];
    uint8_t scales[12];
    cs_half d;
} cs_block_q3_K;
_Static_assert(sizeof(cs_block_q3_K) == 110, "q3_K block is 110 bytes");

/* Q4_K: 256 weights in 8 sub-blocks of 32; weight = d * sc[s] * q - dmin *
 * m[s], q in 0..15, 6-bit sc/m packed in scales[12].  qs is 4 chunks of 32
 * bytes; chunk c holds sub-block 2c in low nibbles, 2c+1 in high nibbles. */
typedef struct {
    cs_half d, dmin;
    uint8_t scales[CS_K_SCALE_SIZE];
    uint8_t qs[CS_QK_K / 2];
} cs_block_q4_K;
_Static_assert(sizeof(cs_block_q4_K) == 144, "q4_K block is 144 bytes");

/* Q5_K: Q4_K plus a 5th bit: bit 2c (sub-block 2c) / 2c+1 (sub-block 2c+1)
 * of qh[l] for weight l of the sub-block. */
typedef struct {
    cs_half d, dmin;
    uint8_t scales[CS_K_SCALE_SIZE];
    uint8_t qh[CS_QK_K / 8];
    uint8_t qs[CS_QK_K / 2];
} cs_block_q5_K;
_Static_assert(sizeof(cs_block_q5_K) == 176, "q5_K block is 176 bytes");

/* Q6_K: 256 weights in 16 sub-blocks of 16; weight = d * scales[s] * (q -
 * 32), q in 0..63: low 4 bits in ql, high 2 bits in qh. */
typedef struct {
    uint8_t ql[CS_QK_K / 2];
    uint8_t qh[CS_QK_K / 4];
    int8_t scales[CS_QK_K / 16];
    cs_half d;
} cs_block_q6_K;
_Static_assert(sizeof(cs_block_q6_K) == 210, "q6_K block is 210 bytes");

/* Q8_K: activation type for K-quant weights: value = d * q; bsums[g] is the
 * sum of qs[16g .. 16g+15] (the K-quant minimums need it). */
typedef struct {
    float d;
    int8_t qs[CS_QK_K];
    int16_t bsums[CS_QK_K / 16];
} cs_block_q8_K;
_Static_assert(sizeof(cs_block_q8_K) == 292, "q8_K block is 292 bytes");

/* ---------------------------------------------------------------- types */

/* Elements per block (1 for F32/F16/BF16); 0 for an unknown id. */
int cs_type_block_size(int type);
/* Bytes per block; 0 for an unknown id. */
size_t cs_type_block_bytes(int type);
/* "q4_K", "f16", ...; "unknown" for an unknown id. */
const char *cs_type_name(int type);
/* Non-zero when matmul/dequantize support the type (F32, F16, Q4_0, Q5_0,
 * Q8_0, Q4_K, Q5_K, Q6_K). A loader can reject other types up front. */
int cs_type_supported(int type);
/* Bytes of a row of n elements; 0 if the type is unknown or n is not a
 * multiple of the block size. */
size_t cs_row_bytes(int type, int64_t n);
/* The type the activations are quantized to before a dot product with
 * weights of `type` (F32 -> F32, F16 -> F16, Q4_0/Q5_0/Q8_0 -> Q8_0, K-quants
 * -> Q8_K); -1 if unsupported. */
int cs_type_vec_dot_type(int type);

/* ---------------------------------------------------------------- fp16 */

/* Exact for every half value, NaN stays NaN, infinities and subnormals kept. */
float cs_fp16_to_fp32(cs_half h);
/* Round to nearest even; overflow gives infinity, NaN stays NaN. */
cs_half cs_fp32_to_fp16(float f);
void cs_fp32_to_fp16_row(const float *x /* (n) */, cs_half *y /* (n) */, int64_t n);
void cs_fp16_to_fp32_row(const cs_half *x /* (n) */, float *y /* (n) */, int64_t n);

/* ---------------------------------------------------------------- rows */

/* Reference scalar dequantization of n elements (n a multiple of the block
 * size) of a row of `type` at `src` into dst. */
int cs_dequantize_row(int type, const void *src, float *dst /* (n) */, int64_t n);

/* Activation quantization, as llama.cpp's CPU backend does it.  Q8_0: per 32
 * values d = amax/127 (stored as fp16), q = round-half-even(x * 127/amax).
 * Q8_K: per 256 values, with m the value of largest magnitude, q =
 * min(127, round-half-even(x * -127/m)), d = 1/(-127/m), plus bsums.
 * n must be a multiple of 32 (Q8_0) or 256 (Q8_K).  These are the scalar
 * reference versions; matmul uses the selected SIMD ones (bit-identical). */
int cs_quantize_row_q8_0(const float *x /* (n) */, cs_block_q8_0 *y /* (n/32) */, int64_t n);
int cs_quantize_row_q8_K(const float *x /* (n) */, cs_block_q8_K *y /* (n/256) */, int64_t n);
/* Quantize n values to `cs_type_vec_dot_type(wtype)` into y (cs_row_bytes of
 * that type); F32 is a copy. */
int cs_quantize_activations(int wtype, const float *x /* (n) */, void *y, int64_t n);

#endif
