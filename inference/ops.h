/*
 * ops.h: the small non-matmul steps of a transformer layer, on f32 vectors.
 *
 * Each follows llama.cpp's CPU arithmetic (sums in double where ggml uses
 * ggml_float, the same RoPE angle recurrence) so that our logits agree with
 * the reference engine to rounding.  Pure functions on caller buffers: no
 * allocation, no errors, thread-safe.
 */
#ifndef CS_OPS_H
#define CS_OPS_H

/* out[i] = x[i] / sqrt(mean(x^2) + eps) * w[i]; out may alias x. */
void cs_op_rmsnorm(float *out, const float *x, const float *w, int n, float eps);

/* Softmax in place over x[n]; entries of -INFINITY get probability 0. */
void cs_op_softmax(float *x, int n);

/* gate[i] = silu(gate[i]) * up[i], silu(x) = x / (1 + e^-x). */
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

#endif
