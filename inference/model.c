/*
 * model.c: config and weights from GGUF, the KV cache, and the forward pass
 * of a Llama-family transformer.  See model.h.
 *
 * Almost all of the time goes into the matmuls (cs_matmul in matmul.c); the
 * rest of this file is bookkeeping around them, written to be read.
 */
#include "model.h"

#include "cs_err.h"
#include "matmul.h"
#include "ops.h"
#include "quant.h"
#include "threadpool.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ config */

static int get_u32_arch(const cs_gguf *g, const char *arch, const char *key, uint32_t *out)
{
    char name[128];
    snprintf(name, sizeof name, "%s.%s", arch, key);
    return cs_gguf_get_u32(g, name, out);
}

static int get_f32_arch(const cs_gguf *g, const char *arch, const char *key, float *out)
{
    char name[128];
    snprintf(name, sizeof name, "%s.%s", arch, key);
    return cs_gguf_get_f32(g, name, out);
}

#define FAIL(code, reason) do { if (why) *why = (reason); return (code); } while (0)

int cs_model_config_from_gguf(const cs_gguf *g, cs_model_config *cfg, const char **why)
{
    memset(cfg, 0, sizeof *cfg);
    const char *arch;
    if (cs_gguf_get_str(g, "general.architecture", &arch) != CS_OK)
        FAIL(CS_ERR_FORMAT, "no general.architecture");
    if (!strcmp(arch, "llama")) cfg->arch = CS_ARCH_LLAMA;
    else if (!strcmp(arch, "qwen2")) cfg->arch = CS_ARCH_QWEN2;
    else FAIL(CS_ERR_UNSUPPORTED, "architecture is not llama or qwen2");

    uint32_t dim, layers, ffn, heads, kv_heads, ctx, rot, head_dim;
    if (get_u32_arch(g, arch, "embedding_length", &dim) || get_u32_arch(g, arch, "block_count", &layers) ||
        get_u32_arch(g, arch, "feed_forward_length", &ffn) ||
        get_u32_arch(g, arch, "attention.head_count", &heads))
        FAIL(CS_ERR_FORMAT, "missing model dimensions in metadata");
    if (get_u32_arch(g, arch, "attention.head_count_kv", &kv_heads) != CS_OK) kv_heads = heads;
    if (get_u32_arch(g, arch, "context_length", &ctx) != CS_OK) ctx = 2048;
    if (dim == 0 || layers == 0 || ffn == 0 || heads == 0 || kv_heads == 0 || heads % kv_heads ||
        dim > (1u << 16) || ffn > (1u << 18) || layers > 1024 || heads > 1024 || ctx == 0)
        FAIL(CS_ERR_FORMAT, "implausible model dimensions");
    if (get_u32_arch(g, arch, "attention.key_length", &head_dim) != CS_OK) {
        if (dim % heads) FAIL(CS_ERR_FORMAT, "embedding length not a multiple of head count");
        head_dim = dim / heads;
    }
    if (head_dim == 0 || head_dim % 2 || head_dim > 1024) FAIL(CS_ERR_FORMAT, "bad head size");
    if (get_u32_arch(g, arch, "rope.dimension_count", &rot) != CS_OK) rot = head_dim;
    if (rot == 0 || rot % 2 || rot > head_dim) FAIL(CS_ERR_FORMAT, "bad rope dimension count");

    cfg->dim = (int)dim;
    cfg->n_layers = (int)layers;
    cfg->hidden_dim = (int)ffn;
    cfg->n_heads = (int)heads;
    cfg->n_kv_heads = (int)kv_heads;
    cfg->head_dim = (int)head_dim;
    cfg->n_rot = (int)rot;
    cfg->n_ctx_train = ctx > (1u << 24) ? (1 << 24) : (int)ctx;

    if (get_f32_arch(g, arch, "attention.layer_norm_rms_epsilon", &cfg->rms_eps) != CS_OK)
        cfg->rms_eps = 1e-5f;
    if (get_f32_arch(g, arch, "rope.freq_base", &cfg->rope_freq_base) != CS_OK)
        cfg->rope_freq_base = 10000.0f;
    if (!(cfg->rms_eps >= 0.0f) || !(cfg->rope_freq_base > 0.0f))
        FAIL(CS_ERR_FORMAT, "bad rms epsilon or rope base");

    /* Rope scaling: linear (positions divided by the factor) is what
     * llama.cpp does for "linear"; YaRN is not implemented. */
    cfg->rope_freq_scale = 1.0f;
    char key[128];
    const char *scaling = "none";
    snprintf(key, sizeof key, "%s.rope.scaling.type", arch);
    (void)cs_gguf_get_str(g, key, &scaling);
    float factor = 0.0f;
    if (get_f32_arch(g, arch, "rope.scaling.factor", &factor) == CS_OK && factor > 0.0f &&
        !strcmp(scaling, "linear"))
        cfg->rope_freq_scale = 1.0f / factor;
    else if (!strcmp(scaling, "yarn") && factor > 1.0f)
        FAIL(CS_ERR_UNSUPPORTED, "YaRN rope scaling is not supported");
    float legacy;  /* older files: rope.scale_linear */
    if (get_f32_arch(g, arch, "rope.scale_linear", &legacy) == CS_OK && legacy > 0.0f)
        cfg->rope_freq_scale = 1.0f / legacy;

    /* llama.cpp: LLM_ARCH_LLAMA uses LLAMA_ROPE_TYPE_NORM, QWEN2 NEOX. */
    cfg->rope_neox = cfg->arch == CS_ARCH_QWEN2;

    uint32_t vocab;
    cs_gguf_vtype et;
    uint64_t n_tokens;
    if (get_u32_arch(g, arch, "vocab_size", &vocab) == CS_OK) cfg->vocab_size = (int)vocab;
    else if (cs_gguf_get_arr_info(g, "tokenizer.ggml.tokens", &et, &n_tokens) == CS_OK && n_tokens < (1u << 24))
        cfg->vocab_size = (int)n_tokens;
    else {
        const cs_gguf_tensor *e = cs_gguf_find_tensor(g, "token_embd.weight");
        if (!e || e->n_dims != 2 || e->ne[1] >= (1u << 24)) FAIL(CS_ERR_FORMAT, "cannot tell the vocabulary size");
        cfg->vocab_size = (int)e->ne[1];
    }
    if (cfg->vocab_size <= 0) FAIL(CS_ERR_FORMAT, "empty vocabulary");
    return CS_OK;
}

/* ------------------------------------------------------------------ weights */

/* A 2-D matrix of `rows` rows of `cols`, in any type the kernels support. */
static int find_matrix(const cs_gguf *g, const char *name, int rows, int cols,
                       const cs_gguf_tensor **out, const char **why)
{
    const cs_gguf_tensor *t = cs_gguf_find_tensor(g, name);
    if (!t) FAIL(CS_ERR_FORMAT, "a weight tensor is missing");
    if (t->n_dims != 2 || t->ne[0] != (uint64_t)cols || t->ne[1] != (uint64_t)rows)
        FAIL(CS_ERR_FORMAT, "a weight tensor has the wrong shape");
    if (!cs_type_supported((int)t->type)) FAIL(CS_ERR_UNSUPPORTED, "a weight tensor has an unsupported type");
    if (!t->data) FAIL(CS_ERR_FORMAT, "a weight tensor has no data yet");
    *out = t;
    return CS_OK;
}

/* A 1-D f32 vector of n (norm weights, biases); absent is fine if optional. */
static int find_vector(const cs_gguf *g, const char *name, int n, int optional,
                       const float **out, const char **why)
{
    *out = NULL;
    const cs_gguf_tensor *t = cs_gguf_find_tensor(g, name);
    if (!t) {
        if (optional) return CS_OK;
        FAIL(CS_ERR_FORMAT, "a norm or bias tensor is missing");
    }
    if (t->n_elements != (uint64_t)n || t->ne[0] != (uint64_t)n)
        FAIL(CS_ERR_FORMAT, "a norm or bias tensor has the wrong size");
    if (t->type != CS_TYPE_F32) FAIL(CS_ERR_UNSUPPORTED, "a norm or bias tensor is not f32");
    if (!t->data || ((uintptr_t)t->data & 3)) FAIL(CS_ERR_FORMAT, "a norm or bias tensor is misaligned");
    *out = t->data;
    return CS_OK;
}

int cs_model_load(const cs_gguf *g, cs_model **out, const char **why)
{
    *out = NULL;
    cs_model *m = calloc(1, sizeof *m);
    if (!m) FAIL(CS_ERR_NOMEM, "out of memory");
    m->gguf = g;
    cs_model_config *c = &m->config;
    cs_model_weights *w = &m->weights;
    int rc = cs_model_config_from_gguf(g, c, why);
    if (rc != CS_OK) goto fail;
    w->layers = calloc((size_t)c->n_layers, sizeof *w->layers);
    if (!w->layers) { rc = CS_ERR_NOMEM; if (why) *why = "out of memory"; goto fail; }

    int q_dim = c->n_heads * c->head_dim, kv_dim = c->n_kv_heads * c->head_dim;
    if ((rc = find_matrix(g, "token_embd.weight", c->vocab_size, c->dim, &w->token_embd, why))) goto fail;
    if ((rc = find_vector(g, "output_norm.weight", c->dim, 0, &w->output_norm, why))) goto fail;
    if (cs_gguf_find_tensor(g, "output.weight")) {
        if ((rc = find_matrix(g, "output.weight", c->vocab_size, c->dim, &w->output, why))) goto fail;
    } else {
        w->output = w->token_embd;  /* tied embeddings (SmolLM2, Qwen2.5 small) */
    }
    if ((rc = find_vector(g, "rope_freqs.weight", c->n_rot / 2, 1, &w->rope_freqs, why))) goto fail;

    for (int l = 0; l < c->n_layers; l++) {
        cs_layer_weights *L = &w->layers[l];
        char name[96];
#define MAT(field, suffix, rows, cols) \
        snprintf(name, sizeof name, "blk.%d." suffix, l); \
        if ((rc = find_matrix(g, name, rows, cols, &L->field, why))) goto fail;
#define VEC(field, suffix, n, optional) \
        snprintf(name, sizeof name, "blk.%d." suffix, l); \
        if ((rc = find_vector(g, name, n, optional, &L->field, why))) goto fail;
        VEC(attn_norm, "attn_norm.weight", c->dim, 0)
        MAT(wq, "attn_q.weight", q_dim, c->dim)
        MAT(wk, "attn_k.weight", kv_dim, c->dim)
        MAT(wv, "attn_v.weight", kv_dim, c->dim)
        MAT(wo, "attn_output.weight", c->dim, q_dim)
        VEC(bq, "attn_q.bias", q_dim, c->arch != CS_ARCH_QWEN2)
        VEC(bk, "attn_k.bias", kv_dim, c->arch != CS_ARCH_QWEN2)
        VEC(bv, "attn_v.bias", kv_dim, c->arch != CS_ARCH_QWEN2)
        VEC(ffn_norm, "ffn_norm.weight", c->dim, 0)
        MAT(w_gate, "ffn_gate.weight", c->hidden_dim, c->dim)
        MAT(w_up, "ffn_up.weight", c->hidden_dim, c->dim)
        MAT(w_down, "ffn_down.weight", c->dim, c->hidden_dim)
#undef MAT
#undef VEC
    }
    *out = m;
    return CS_OK;
fail:
    cs_model_free(m);
    return rc;
}

void cs_model_free(cs_model *m)
{
    if (!m) return;
    free(m->weights.layers);
    free(m);
}

/* ------------------------------------------------------------------ run state */

/* llama.cpp runs attention over the cache padded to a multiple of 32
 * positions (masked with -inf); the padding decides which softmax entries
 * take ggml's vector exp, so we pad the same way. */
#define KV_PAD 32
static int pad_kv(int n) { return (n + KV_PAD - 1) / KV_PAD * KV_PAD; }

/* Every activation buffer of one forward pass over up to n_batch tokens,
 * plus the KV cache.  Rows are tokens. */
typedef struct {
    float *x;        /* (n_batch, dim) residual stream */
    float *xb;       /* (n_batch, dim) normed input of a sublayer / its output */
    float *q;        /* (n_batch, n_heads * head_dim) */
    float *k;        /* (n_batch, kv_dim) */
    float *v;        /* (n_batch, kv_dim) */
    float *att_out;  /* (n_batch, n_heads * head_dim) attention result before wo */
    float *hb;       /* (n_batch, hidden_dim) gate, then silu(gate) * up */
    float *hb2;      /* (n_batch, hidden_dim) up */
    float *rope;     /* (n_batch, n_rot) cos/sin per position */
    float *att;      /* (n_threads, n_ctx padded to 32) attention scores, one row per worker */
    cs_half *att16;  /* (n_threads, n_ctx padded to 32) the same as f16 */
    float *lanes;    /* (n_threads, 64, head_dim) partial sums of the value product */
    float *logits;   /* (vocab_size) after the last token */
    /* The cache: (n_layers, n_ctx, kv_dim), f16 (cs_half) or f32. */
    void *key_cache;
    void *value_cache;
} cs_run_state;

struct cs_context {
    const cs_model *model;
    cs_context_params params;
    cs_run_state s;
    cs_threadpool *pool;
    int pos;          /* tokens in the cache */
    int have_logits;
};

static void *alloc_floats(size_t n, int *failed)
{
    void *p = malloc(n ? n * sizeof(float) : 1);
    if (!p) *failed = 1;
    return p;
}

int cs_context_new(const cs_model *m, const cs_context_params *p, cs_context **out)
{
    *out = NULL;
    const cs_model_config *c = &m->config;
    cs_context_params prm = p ? *p : (cs_context_params){0};
    if (prm.n_ctx < 0 || prm.n_batch < 0 || prm.n_threads < 0) return CS_ERR_INVALID;
    if (prm.n_ctx == 0) prm.n_ctx = c->n_ctx_train < 4096 ? c->n_ctx_train : 4096;
    if (prm.n_batch == 0) prm.n_batch = 256;
    if (prm.n_batch > prm.n_ctx) prm.n_batch = prm.n_ctx;
    if (prm.n_threads == 0) prm.n_threads = 1;
    if (prm.n_ctx > (1 << 20)) return CS_ERR_INVALID;

    cs_context *ctx = calloc(1, sizeof *ctx);
    if (!ctx) return CS_ERR_NOMEM;
    ctx->model = m;
    ctx->params = prm;
    int rc = cs_threadpool_create(prm.n_threads, &ctx->pool);
    if (rc != CS_OK) { free(ctx); return rc; }
    ctx->params.n_threads = cs_threadpool_size(ctx->pool);

    size_t B = (size_t)prm.n_batch, T = (size_t)prm.n_ctx;
    size_t q_dim = (size_t)c->n_heads * c->head_dim, kv_dim = (size_t)c->n_kv_heads * c->head_dim;
    cs_run_state *s = &ctx->s;
    int failed = 0;
    s->x = alloc_floats(B * c->dim, &failed);
    s->xb = alloc_floats(B * c->dim, &failed);
    s->q = alloc_floats(B * q_dim, &failed);
    s->k = alloc_floats(B * kv_dim, &failed);
    s->v = alloc_floats(B * kv_dim, &failed);
    s->att_out = alloc_floats(B * q_dim, &failed);
    s->hb = alloc_floats(B * c->hidden_dim, &failed);
    s->hb2 = alloc_floats(B * c->hidden_dim, &failed);
    s->rope = alloc_floats(B * c->n_rot, &failed);
    size_t nt = (size_t)ctx->params.n_threads, Tp = (size_t)pad_kv(prm.n_ctx);
    s->att = alloc_floats(nt * Tp, &failed);
    s->att16 = malloc(nt * Tp * sizeof(cs_half));
    if (!s->att16) failed = 1;
    s->lanes = alloc_floats(nt * 64 * c->head_dim, &failed);
    s->logits = alloc_floats((size_t)c->vocab_size, &failed);
    size_t elem = prm.kv_f32 ? sizeof(float) : sizeof(cs_half);
    size_t cache = (size_t)c->n_layers * T * kv_dim * elem;
    s->key_cache = calloc(1, cache ? cache : 1);
    s->value_cache = calloc(1, cache ? cache : 1);
    if (failed || !s->key_cache || !s->value_cache) {
        cs_context_free(ctx);
        return CS_ERR_NOMEM;
    }
    *out = ctx;
    return CS_OK;
}

void cs_context_free(cs_context *ctx)
{
    if (!ctx) return;
    cs_run_state *s = &ctx->s;
    free(s->x); free(s->xb); free(s->q); free(s->k); free(s->v); free(s->att_out);
    free(s->hb); free(s->hb2); free(s->rope); free(s->att); free(s->att16); free(s->lanes);
    free(s->logits); free(s->key_cache); free(s->value_cache);
    cs_threadpool_free(ctx->pool);
    free(ctx);
}

const float *cs_context_logits(const cs_context *c) { return c->have_logits ? c->s.logits : NULL; }
int cs_context_pos(const cs_context *c) { return c->pos; }
int cs_context_n_ctx(const cs_context *c) { return c->params.n_ctx; }
int cs_context_n_vocab(const cs_context *c) { return c->model->config.vocab_size; }
int cs_context_n_threads(const cs_context *c) { return c->params.n_threads; }
void cs_context_reset(cs_context *c) { c->pos = 0; c->have_logits = 0; }

size_t cs_context_kv_bytes(const cs_context *c)
{
    const cs_model_config *m = &c->model->config;
    size_t elem = c->params.kv_f32 ? sizeof(float) : sizeof(cs_half);
    return 2 * (size_t)m->n_layers * c->params.n_ctx * m->n_kv_heads * m->head_dim * elem;
}

/* ------------------------------------------------------------------ matmul glue */

static cs_tensor_view view_of(const cs_gguf_tensor *t)
{
    cs_tensor_view v = {(int)t->type, (int64_t)t->ne[1], (int64_t)t->ne[0], t->data};
    return v;
}

/* ------------------------------------------------------------------ attention */

/* Causal grouped-query attention of a batch of n query tokens at positions
 * pos0 .. pos0+n-1 over layer l's cached keys/values 0 .. pos0+n-1.  Each
 * (token, head) pair is independent; the pool splits them. */
typedef struct {
    const cs_model_config *c;
    cs_run_state *s;
    const void *k_layer, *v_layer;  /* (n_ctx, kv_dim) f16 or f32 */
    int n, pos0, att_stride, f16;
} attention_job;

static void attention_worker(void *arg, int ith, int nth)
{
    const attention_job *J = arg;
    const cs_model_config *c = J->c;
    cs_run_state *s = J->s;
    int hd = c->head_dim, kv_dim = c->n_kv_heads * hd, q_dim = c->n_heads * hd;
    int group = c->n_heads / c->n_kv_heads;  /* query heads sharing one kv head */
    float scale = 1.0f / sqrtf((float)hd);
    float *att = s->att + (size_t)ith * J->att_stride;
    cs_half *att16 = s->att16 + (size_t)ith * J->att_stride;
    float *lanes = s->lanes + (size_t)ith * 64 * hd;
    cs_half q16[1024];
    int pairs = J->n * c->n_heads;
    for (int i = ith; i < pairs; i += nth) {
        int t = i / c->n_heads, h = i % c->n_heads;
        int kvh = h / group, n_kv = J->pos0 + t + 1;
        const float *q = s->q + (size_t)t * q_dim + (size_t)h * hd;
        float *out = s->att_out + (size_t)t * q_dim + (size_t)h * hd;
        if (!J->f16) {
            const float *K = J->k_layer, *V = J->v_layer;
            for (int p = 0; p < n_kv; p++) {
                const float *k = K + (size_t)p * kv_dim + (size_t)kvh * hd;
                float dot = 0.0f;
                for (int d = 0; d < hd; d++) dot += q[d] * k[d];
                att[p] = dot * scale;
            }
            cs_op_softmax(att, n_kv);
            memset(out, 0, (size_t)hd * sizeof *out);
            for (int p = 0; p < n_kv; p++) {
                const float *v = V + (size_t)p * kv_dim + (size_t)kvh * hd;
                for (int d = 0; d < hd; d++) out[d] += att[p] * v[d];
            }
            continue;
        }
        /* f16 cache, as ggml: q is rounded to f16 for the product with the
         * keys, the probabilities to f16 for the product with the values. */
        const cs_half *K = J->k_layer, *V = J->v_layer;
        cs_fp32_to_fp16_row(q, q16, hd);
        int n_pad = pad_kv(n_kv);
        /* llama.cpp's tiled f16 matmul runs only for batches of 2 or more
         * tokens; a single token (decode) goes through ggml_vec_dot_f16,
         * whose summation order differs. */
        float (*dot)(const uint16_t *, const uint16_t *, int) = J->n == 1 ? cs_op_dot_f16_vec : cs_op_dot_f16;
        for (int p = 0; p < n_kv; p++)
            att[p] = dot(K + (size_t)p * kv_dim + (size_t)kvh * hd, q16, hd) * scale;
        for (int p = n_kv; p < n_pad; p++) att[p] = -INFINITY;
        cs_op_softmax(att, n_pad);
        cs_fp32_to_fp16_row(att, att16, n_kv);
        if (J->n == 1)
            cs_op_weighted_sum_f16_vec(out, att16, V + (size_t)kvh * hd, n_kv, n_pad, kv_dim, hd, lanes);
        else
            cs_op_weighted_sum_f16(out, att16, V + (size_t)kvh * hd, n_kv, kv_dim, hd, lanes);
    }
}

/* ------------------------------------------------------------------ forward */

/* Append this batch's k/v rows (positions pos .. pos+n-1) to layer l's
 * cache; returns the layer's cache start for keys and values. */
static void cache_layer(cs_context *ctx, int l, int n, const void **k_layer, const void **v_layer)
{
    const cs_model_config *c = &ctx->model->config;
    cs_run_state *s = &ctx->s;
    size_t kv_dim = (size_t)c->n_kv_heads * c->head_dim, T = (size_t)ctx->params.n_ctx;
    size_t layer = (size_t)l * T * kv_dim, at = layer + (size_t)ctx->pos * kv_dim;
    if (ctx->params.kv_f32) {
        float *kc = s->key_cache, *vc = s->value_cache;
        memcpy(kc + at, s->k, (size_t)n * kv_dim * sizeof(float));
        memcpy(vc + at, s->v, (size_t)n * kv_dim * sizeof(float));
        *k_layer = kc + layer;
        *v_layer = vc + layer;
    } else {
        cs_half *kc = s->key_cache, *vc = s->value_cache;
        cs_fp32_to_fp16_row(s->k, kc + at, (int64_t)(n * kv_dim));
        cs_fp32_to_fp16_row(s->v, vc + at, (int64_t)(n * kv_dim));
        *k_layer = kc + layer;
        *v_layer = vc + layer;
    }
}

/* One forward pass over tokens[n] (n <= n_batch) at positions pos .. pos+n-1,
 * leaving the logits of the last token in s->logits. */
static int forward(cs_context *ctx, const int32_t *tokens, int n)
{
    const cs_model *m = ctx->model;
    const cs_model_config *c = &m->config;
    const cs_model_weights *w = &m->weights;
    cs_run_state *s = &ctx->s;
    cs_threadpool *pool = ctx->pool;
    int dim = c->dim, hd = c->head_dim;
    int q_dim = c->n_heads * hd, kv_dim = c->n_kv_heads * hd, hidden = c->hidden_dim;
    int rc;

    /* token embeddings: one (dequantized) row per token */
    cs_tensor_view embd = view_of(w->token_embd);
    for (int t = 0; t < n; t++)
        if ((rc = cs_tensor_get_row(&embd, tokens[t], s->x + (size_t)t * dim))) return rc;

    /* rope angles for the batch's positions, shared by every layer */
    for (int t = 0; t < n; t++)
        cs_op_rope_cache(s->rope + (size_t)t * c->n_rot, ctx->pos + t, c->n_rot, c->rope_freq_base,
                         c->rope_freq_scale, w->rope_freqs);

    for (int l = 0; l < c->n_layers; l++) {
        const cs_layer_weights *L = &w->layers[l];

        /* attention rmsnorm, then q, k, v for every token in one pass */
        for (int t = 0; t < n; t++)
            cs_op_rmsnorm(s->xb + (size_t)t * dim, s->x + (size_t)t * dim, L->attn_norm, dim, c->rms_eps);
        cs_tensor_view wq = view_of(L->wq), wk = view_of(L->wk), wv = view_of(L->wv);
        const cs_tensor_view *qkv[3] = {&wq, &wk, &wv};
        float *const outs[3] = {s->q, s->k, s->v};
        if ((rc = cs_matmul_multi(qkv, outs, 3, s->xb, n, pool))) return rc;
        if (L->bq) {  /* qwen2 */
            for (int t = 0; t < n; t++) {
                for (int i = 0; i < q_dim; i++) s->q[(size_t)t * q_dim + i] += L->bq[i];
                for (int i = 0; i < kv_dim; i++) s->k[(size_t)t * kv_dim + i] += L->bk[i];
                for (int i = 0; i < kv_dim; i++) s->v[(size_t)t * kv_dim + i] += L->bv[i];
            }
        }

        /* RoPE: relative position enters q and k as a rotation per pair */
        for (int t = 0; t < n; t++) {
            const float *cs = s->rope + (size_t)t * c->n_rot;
            for (int h = 0; h < c->n_heads; h++)
                cs_op_rope(s->q + (size_t)t * q_dim + (size_t)h * hd, cs, c->n_rot, c->rope_neox);
            for (int h = 0; h < c->n_kv_heads; h++)
                cs_op_rope(s->k + (size_t)t * kv_dim + (size_t)h * hd, cs, c->n_rot, c->rope_neox);
        }

        /* keys/values into the cache, then causal attention over it */
        attention_job job = {c, s, NULL, NULL, n, ctx->pos, pad_kv(ctx->params.n_ctx), !ctx->params.kv_f32};
        cache_layer(ctx, l, n, &job.k_layer, &job.v_layer);
        cs_threadpool_run(pool, attention_worker, &job);

        /* output projection and residual */
        cs_tensor_view wo = view_of(L->wo);
        if ((rc = cs_matmul(&wo, s->att_out, s->xb, n, pool))) return rc;
        for (size_t i = 0; i < (size_t)n * dim; i++) s->x[i] += s->xb[i];

        /* ffn rmsnorm, SwiGLU: w_down(silu(w_gate x) * w_up x), residual */
        for (int t = 0; t < n; t++)
            cs_op_rmsnorm(s->xb + (size_t)t * dim, s->x + (size_t)t * dim, L->ffn_norm, dim, c->rms_eps);
        cs_tensor_view wg = view_of(L->w_gate), wu = view_of(L->w_up), wd = view_of(L->w_down);
        const cs_tensor_view *gu[2] = {&wg, &wu};
        float *const gu_out[2] = {s->hb, s->hb2};
        if ((rc = cs_matmul_multi(gu, gu_out, 2, s->xb, n, pool))) return rc;
        cs_op_swiglu(s->hb, s->hb2, n * hidden);
        if ((rc = cs_matmul(&wd, s->hb, s->xb, n, pool))) return rc;
        for (size_t i = 0; i < (size_t)n * dim; i++) s->x[i] += s->xb[i];
    }

    /* final rmsnorm and the classifier, for the last token only */
    float *last = s->x + (size_t)(n - 1) * dim;
    cs_op_rmsnorm(s->xb, last, w->output_norm, dim, c->rms_eps);
    cs_tensor_view out = view_of(w->output);
    if ((rc = cs_matmul(&out, s->xb, s->logits, 1, pool))) return rc;
    ctx->pos += n;
    ctx->have_logits = 1;
    return CS_OK;
}

int cs_context_eval(cs_context *ctx, const int32_t *tokens, int n)
{
    if (n <= 0 || !tokens) return CS_ERR_INVALID;
    if (n > ctx->params.n_ctx - ctx->pos) return CS_ERR_LIMIT;
    for (int i = 0; i < n; i++)
        if (tokens[i] < 0 || tokens[i] >= ctx->model->config.vocab_size) return CS_ERR_INVALID;
    for (int done = 0; done < n;) {
        int chunk = n - done < ctx->params.n_batch ? n - done : ctx->params.n_batch;
        int rc = forward(ctx, tokens + done, chunk);
        if (rc != CS_OK) {
            ctx->have_logits = 0;
            return rc;
        }
        done += chunk;
    }
    return CS_OK;
}
