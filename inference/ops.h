/*
 * ops.h: the small non-matmul steps of a transformer layer, on f32 vectors,
 * and the f16 dot products of attention.
 *
 * Each reproduces llama.cpp's CPU arithmetic bit for bit where we know it
 * (sums in double where ggml uses ggml_float, the same RoPE angle
 * recurrence, ggml's vectorised expf in softmax and SiLU, the 16-lane FMA
 * chains and reduction tree of its f16 matrix products) because these
 * random test models amplify a last-bit difference into visibly different
 * logits.  Each function has a portable scalar version and, on x86-64, an
 * AVX2+FMA+F16C one chosen at run time that gives the same bits (tested).
 * Pure functions on caller buffers: no allocation, no errors, thread-safe.
 */
#ifndef CS_OPS_H
#define CS_OPS_H

#include <stdint.h>

/* out[i] = x[i] / sqrt(mean(x^2) + eps) * w[i]; out may alias x. */
void cs_op_rmsnorm(float *out, const float *x, const float *w, int n, float eps);

/* e^x the way ggml's vector code computes it (a polynomial, within 1.5 ulp
 * of the true value; +inf above 88.7, 0 below -104). */
float cs_op_expf(float x);

/* Softmax in place over x[n]; entries of -INFINITY get probability 0.
 * Like ggml: whole groups of 16 use cs_op_expf, a tail uses libm expf. */
void cs_op_softmax(float *x, int n);

/* gate[i] = silu(gate[i]) * up[i], silu(x) = x / (1 + e^-x), grouped the
 * same way as the softmax. */
void cs_op_swiglu(float *gate, const float *up, int n);

/* RoPE angle table for one position: cs[2*i] = cos, cs[2*i+1] = sin of
 * pos * freq_scale * base^(-2i/n_rot) / freq_factor[i], i < n_rot/2.
 * freq_factors may be NULL (Llama 3 ships them as rope_freqs.weight). */
void cs_op_rope_cache(float *cs, int pos, int n_rot, float freq_base, float freq_scale,
                      const float *freq_factors);

/* Rotate one head vector x[head_dim] in place with a table from
 * cs_op_rope_cache.  Normal ordering (llama) rotates adjacent pairs
 * (x[2i], x[2i+1]); neox ordering (qwen2) rotates (x[i], x[i + n_rot/2]).
 * Dimensions from n_rot to head_dim pass through. */
void cs_op_rope(float *x, const float *cs, int n_rot, int neox);

/* f16 dot product of a[n] and b[n] (IEEE half bits) as ggml's tiled f16
 * matmul computes it: 16 lanes, lane l an FMA chain over elements l, l+16,
 * l+32, ..., then a fixed pairwise tree over the lanes.  n need not be a
 * multiple of 16 (missing elements count as zero). */
float cs_op_dot_f16(const uint16_t *a, const uint16_t *b, int n);

/* The same lane arithmetic for out[d] = sum_p p[p] * v[p*stride + d],
 * d < dim, p < n: attention's probabilities times cached values.  lanes is
 * caller scratch of 16 * dim floats. */
void cs_op_weighted_sum_f16(float *out, const uint16_t *p, const uint16_t *v, int n, int stride, int dim,
                            float *lanes);

/* The same products as ggml_vec_dot_f16 computes them in an AVX-512 build,
 * which llama.cpp uses instead of the tiled matmul when the batch has one
 * token (decode): 64 lanes (four 16-lane FMA chains over elements
 * l, l+64, ...), reduced 0+2, 1+3, then the two, then as above; elements
 * past the last multiple of 64 are added one by one in double. */
float cs_op_dot_f16_vec(const uint16_t *a, const uint16_t *b, int n);

/* out[d] = sum_p p[p] * v[p*stride + d] with cs_op_dot_f16_vec's arithmetic
 * over n_pad >= n positions (p is taken as zero from n to n_pad, where v is
 * not read).  lanes is caller scratch of 64 * dim floats. */
void cs_op_weighted_sum_f16_vec(float *out, const uint16_t *p, const uint16_t *v, int n, int n_pad, int stride,
                                int dim, float *lanes);

/* Selects the scalar versions (for tests); 0 restores automatic choice. */
void cs_ops_force_scalar(int on);

#endif
