/*
 * model.h: a Llama-family transformer (archs `llama` and `qwen2`) running on
 * the weights of a loaded GGUF file.
 *
 * Three plain structs say everything about the model, after llama2.c:
 *   cs_model_config   the sizes and constants, read from GGUF metadata;
 *   cs_model_weights  one pointer per tensor, each with its shape;
 *   cs_run_state      (inside cs_context) every activation buffer and the
 *                     KV cache.
 * The forward pass (model.c) reads top to bottom like the paper and follows
 * llama.cpp's arithmetic: activations are quantized like ggml before each
 * quantized matmul, K/V are cached in f16 by default, RoPE uses the
 * ordering the architecture uses in llama.cpp (adjacent pairs for llama,
 * halves "neox" for qwen2).
 *
 * Ownership: cs_model_load() borrows the cs_gguf, which must outlive the
 * model (weights point into its mapped bytes; nothing is copied).
 * cs_model_free() frees the model only.  A cs_context owns its buffers and
 * borrows its model.
 * Errors: CS_ERR_UNSUPPORTED (architecture or tensor type), CS_ERR_FORMAT
 * (missing or mis-shaped tensor, bad metadata; *why says which, never file
 * content), CS_ERR_NOMEM, CS_ERR_LIMIT (context full), CS_ERR_INVALID.
 * Thread-safety: a cs_model is immutable and may be shared by contexts in
 * several threads; a cs_context is used by one thread at a time (it runs
 * its own worker threads inside calls).
 */
#ifndef CS_MODEL_H
#define CS_MODEL_H

#include "gguf.h"

#include <stddef.h>
#include <stdint.h>

typedef enum { CS_ARCH_LLAMA = 0, CS_ARCH_QWEN2 = 1 } cs_arch;

typedef struct {
    cs_arch arch;
    int dim;             /* embedding length (d_model) */
    int hidden_dim;      /* feed-forward length */
    int n_layers;
    int n_heads;         /* query heads */
    int n_kv_heads;      /* key/value heads (grouped-query attention) */
    int head_dim;        /* per-head size, usually dim / n_heads */
    int n_rot;           /* rotated dims per head (rope.dimension_count) */
    int vocab_size;
    int n_ctx_train;     /* context length the model was trained with */
    float rms_eps;
    float rope_freq_base;
    float rope_freq_scale; /* 1 / linear rope scaling factor; 1 = none */
    int rope_neox;         /* 1: rotate (i, i + n_rot/2); 0: (2i, 2i+1) */
} cs_model_config;

/* Read the config of a `llama` or `qwen2` file from its metadata. */
int cs_model_config_from_gguf(const cs_gguf *g, cs_model_config *cfg, const char **why);

/* Per layer. (rows, cols) = a matrix of `rows` rows of `cols` contiguous
 * elements (GGUF ne[1], ne[0]); quantized tensors stay in their file type. */
typedef struct {
    const float *attn_norm;          /* (dim) */
    const cs_gguf_tensor *wq;        /* (n_heads * head_dim, dim) */
    const cs_gguf_tensor *wk;        /* (n_kv_heads * head_dim, dim) */
    const cs_gguf_tensor *wv;        /* (n_kv_heads * head_dim, dim) */
    const float *bq;                 /* (n_heads * head_dim) qwen2 only, else NULL */
    const float *bk;                 /* (n_kv_heads * head_dim) qwen2 only */
    const float *bv;                 /* (n_kv_heads * head_dim) qwen2 only */
    const cs_gguf_tensor *wo;        /* (dim, n_heads * head_dim) */
    const float *ffn_norm;           /* (dim) */
    const cs_gguf_tensor *w_gate;    /* (hidden_dim, dim) */
    const cs_gguf_tensor *w_up;      /* (hidden_dim, dim) */
    const cs_gguf_tensor *w_down;    /* (dim, hidden_dim) */
} cs_layer_weights;

typedef struct {
    const cs_gguf_tensor *token_embd; /* (vocab_size, dim) */
    cs_layer_weights *layers;         /* (n_layers) */
    const float *output_norm;         /* (dim) */
    const cs_gguf_tensor *output;     /* (vocab_size, dim); == token_embd when tied */
    const float *rope_freqs;          /* (n_rot / 2) Llama 3 frequency factors, or NULL */
} cs_model_weights;

typedef struct cs_model {
    cs_model_config config;
    cs_model_weights weights;
    const cs_gguf *gguf;
} cs_model;

int cs_model_load(const cs_gguf *g, cs_model **out, const char **why);
void cs_model_free(cs_model *m);

/* ---------------------------------------------------------------- contexts */

typedef struct {
    int n_ctx;       /* KV cache positions; 0 = min(n_ctx_train, 4096) */
    int n_batch;     /* max tokens per forward pass (prefill chunk); 0 = 256 */
    int n_threads;   /* worker threads for matmuls; 0 = 1 */
    int kv_f32;      /* 1: cache K/V in f32 instead of f16 */
} cs_context_params;

typedef struct cs_context cs_context;

int cs_context_new(const cs_model *m, const cs_context_params *p, cs_context **out);
void cs_context_free(cs_context *c);

/* Run tokens[n] at the next positions (prompt chunks are split into
 * n_batch-sized matrix-matrix passes) and leave the logits after the last
 * one in cs_context_logits().  CS_ERR_LIMIT if they do not fit in n_ctx,
 * CS_ERR_INVALID for a token outside the vocabulary (nothing is run then). */
int cs_context_eval(cs_context *c, const int32_t *tokens, int n);
/* Logits after the last evaluated token: (vocab_size) floats, valid until
 * the next eval; NULL before the first. */
const float *cs_context_logits(const cs_context *c);
/* Tokens in the KV cache (the next position). */
int cs_context_pos(const cs_context *c);
int cs_context_n_ctx(const cs_context *c);
/* Logits per evaluation (the model's vocab_size). */
int cs_context_n_vocab(const cs_context *c);
/* Threads the context's pool really runs (1 in a build without threads). */
int cs_context_n_threads(const cs_context *c);
/* Forget everything cached; the next eval starts at position 0. */
void cs_context_reset(cs_context *c);
/* Bytes of the KV cache, for memory budgets and the benchmark. */
size_t cs_context_kv_bytes(const cs_context *c);

#endif
