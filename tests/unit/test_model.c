/* test_model.c: config from GGUF metadata, weight validation, the KV cache
 * (batched prefill == token by token, reset, limits) and generation
 * (streaming text, cancel, stop, length).  Tests on real files use
 * ../shared/models and skip when it is absent. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cs_buf.h"
#include "cs_err.h"
#include "generate.h"
#include "gguf_builder.h"
#include "model.h"
#include "sampler.h"
#include "tokenizer.h"

/* ------------------------------------------------------------ synthetic */

static void kv_f32(cs_buf *b, const char *key, float v)
{
    gb_key(b, key, 6);
    gb_f32(b, v);
}

static void *meta_bytes; /* the buffer behind the last meta_only() */

/* A tensor-less GGUF with the given architecture and dimensions; free
 * with meta_free(). */
static cs_gguf *meta_only(const char *arch, int with_dims, uint32_t heads, uint32_t kv_heads, int linear4)
{
    cs_buf b = {0};
    char k[64];
    int n_kv = 1 + (with_dims ? 5 : 0) + (kv_heads ? 1 : 0) + (linear4 ? 2 : 0);
    gb_header(&b, 3, 0, (uint64_t)n_kv);
    gb_kv_str(&b, "general.architecture", arch);
    if (with_dims) {
        snprintf(k, sizeof k, "%s.embedding_length", arch); gb_kv_u32(&b, k, 64);
        snprintf(k, sizeof k, "%s.block_count", arch); gb_kv_u32(&b, k, 2);
        snprintf(k, sizeof k, "%s.feed_forward_length", arch); gb_kv_u32(&b, k, 128);
        snprintf(k, sizeof k, "%s.attention.head_count", arch); gb_kv_u32(&b, k, heads);
        snprintf(k, sizeof k, "%s.vocab_size", arch); gb_kv_u32(&b, k, 100);
    }
    if (kv_heads) { snprintf(k, sizeof k, "%s.attention.head_count_kv", arch); gb_kv_u32(&b, k, kv_heads); }
    if (linear4) {
        snprintf(k, sizeof k, "%s.rope.scaling.type", arch); gb_kv_str(&b, k, "linear");
        snprintf(k, sizeof k, "%s.rope.scaling.factor", arch); kv_f32(&b, k, 4.0f);
    }
    gb_pad(&b, 32);
    cs_gguf *g = NULL;
    const char *why;
    size_t len = b.len;
    void *data = cs_buf_take(&b);
    cr_assert_eq(cs_gguf_open_buffer(data, len, &g, &why), CS_OK, "%s", why);
    meta_bytes = data;
    return g;
}

static void meta_free(cs_gguf *g)
{
    cs_gguf_free(g);
    free(meta_bytes);
    meta_bytes = NULL;
}

Test(model_config, llama_dimensions_and_defaults)
{
    cs_gguf *g = meta_only("llama", 1, 4, 2, 0);
    cs_model_config c;
    cr_assert_eq(cs_model_config_from_gguf(g, &c, NULL), CS_OK);
    cr_expect_eq(c.arch, CS_ARCH_LLAMA);
    cr_expect_eq(c.dim, 64);
    cr_expect_eq(c.n_layers, 2);
    cr_expect_eq(c.hidden_dim, 128);
    cr_expect_eq(c.n_heads, 4);
    cr_expect_eq(c.n_kv_heads, 2);
    cr_expect_eq(c.head_dim, 16);
    cr_expect_eq(c.n_rot, 16);
    cr_expect_eq(c.vocab_size, 100);
    cr_expect_float_eq(c.rms_eps, 1e-5f, 0);
    cr_expect_float_eq(c.rope_freq_base, 10000.0f, 0);
    cr_expect_float_eq(c.rope_freq_scale, 1.0f, 0);
    cr_expect_eq(c.rope_neox, 0, "llama rotates adjacent pairs");
    meta_free(g);
}

Test(model_config, qwen2_uses_neox_rope_and_kv_heads_default_to_heads)
{
    cs_gguf *g = meta_only("qwen2", 1, 4, 0, 1);
    cs_model_config c;
    cr_assert_eq(cs_model_config_from_gguf(g, &c, NULL), CS_OK);
    cr_expect_eq(c.arch, CS_ARCH_QWEN2);
    cr_expect_eq(c.rope_neox, 1);
    cr_expect_eq(c.n_kv_heads, 4);
    cr_expect_float_eq(c.rope_freq_scale, 0.25f, 0, "linear scaling factor 4");
    meta_free(g);
}

Test(model_config, rejects_other_architectures_and_bad_shapes)
{
    cs_model_config c;
    const char *why = NULL;
    cs_gguf *g = meta_only("gpt2", 1, 4, 2, 0);
    cr_expect_eq(cs_model_config_from_gguf(g, &c, &why), CS_ERR_UNSUPPORTED);
    cr_expect_not_null(why);
    meta_free(g);
    g = meta_only("llama", 0, 4, 2, 0);
    cr_expect_eq(cs_model_config_from_gguf(g, &c, &why), CS_ERR_FORMAT);
    meta_free(g);
    g = meta_only("llama", 1, 4, 3, 0);  /* 4 heads cannot share 3 kv heads */
    cr_expect_eq(cs_model_config_from_gguf(g, &c, &why), CS_ERR_FORMAT);
    meta_free(g);
}

Test(model_load, missing_tensors_are_a_format_error)
{
    cs_gguf *g = meta_only("llama", 1, 4, 2, 0);
    cs_model *m = (cs_model *)1;
    const char *why = NULL;
    cr_expect_eq(cs_model_load(g, &m, &why), CS_ERR_FORMAT);
    cr_expect_null(m);
    cr_expect_not_null(why);
    meta_free(g);
}

/* ------------------------------------------------------------ real files */

typedef struct {
    cs_gguf *g;
    cs_model *m;
    cs_tokenizer *tok;
} loaded;

static loaded load(const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, CS_SHARED_DIR "/models/%s.gguf", name);
    struct stat sb;
    if (stat(path, &sb) != 0) cr_skip_test("skip: %s absent", path);
    loaded l;
    const char *why = NULL;
    cr_assert_eq(cs_gguf_open_file(path, &l.g, &why), CS_OK, "%s", why);
    cr_assert_eq(cs_model_load(l.g, &l.m, &why), CS_OK, "%s", why);
    cr_assert_eq(cs_tokenizer_load(l.g, &l.tok, &why), CS_OK, "%s", why);
    return l;
}

static void unload(loaded *l)
{
    cs_tokenizer_free(l->tok);
    cs_model_free(l->m);
    cs_gguf_free(l->g);
}

static const int32_t prompt[] = {13764, 3298, 836, 260, 1695, 4668, 4109, 30, 216, 38, 39, 61, 351, 10424, 54,
                                 12683, 309, 28, 801, 756, 277, 351, 9536, 275, 1392, 8188, 489, 28, 25224, 335};
#define N_PROMPT ((int)(sizeof prompt / sizeof *prompt))

static void batched_equals_token_by_token(const char *name)
{
    loaded l = load(name);
    int V = l.m->config.vocab_size;
    cs_context_params pb = {.n_ctx = 64, .n_batch = 512, .n_threads = 2};
    cs_context_params p1 = {.n_ctx = 64, .n_batch = 1, .n_threads = 1};
    cs_context *a, *b;
    cr_assert_eq(cs_context_new(l.m, &pb, &a), CS_OK);
    cr_assert_eq(cs_context_new(l.m, &p1, &b), CS_OK);
    cr_assert_eq(cs_context_eval(a, prompt, N_PROMPT), CS_OK);
    for (int i = 0; i < N_PROMPT; i++) cr_assert_eq(cs_context_eval(b, &prompt[i], 1), CS_OK);
    cr_expect_eq(cs_context_pos(a), N_PROMPT);
    cr_expect_eq(cs_context_pos(b), N_PROMPT);
    const float *la = cs_context_logits(a), *lb = cs_context_logits(b);
    double maxd = 0, maxl = 0;
    for (int i = 0; i < V; i++) {
        if (fabs(la[i] - lb[i]) > maxd) maxd = fabs(la[i] - lb[i]);
        if (fabs(la[i]) > maxl) maxl = fabs(la[i]);
    }
    /* The same arithmetic per token except the kernels' batched dot
     * products, which may sum in another order: differences at rounding
     * level, amplified at most to the golden tolerance. */
    cr_expect_leq(maxd, 0.025 * maxl, "%s: batched vs single logits differ by %f", name, maxd);
    cr_expect_eq(cs_argmax(la, V), cs_argmax(lb, V));
    /* continuing after a batch == continuing after single steps */
    int32_t next = cs_argmax(la, V);
    cr_assert_eq(cs_context_eval(a, &next, 1), CS_OK);
    cr_assert_eq(cs_context_eval(b, &next, 1), CS_OK);
    cr_expect_eq(cs_argmax(cs_context_logits(a), V), cs_argmax(cs_context_logits(b), V));
    cs_context_free(a);
    cs_context_free(b);
    unload(&l);
}

Test(kv_cache, batched_prefill_equals_token_by_token_f16) { batched_equals_token_by_token("micro-llama-bpe-random-f16"); }
Test(kv_cache, batched_prefill_equals_token_by_token_q8_0) { batched_equals_token_by_token("tiny-qwen2-bpe-random-q8_0"); }

Test(kv_cache, reset_replays_bit_for_bit_and_limits_hold)
{
    loaded l = load("micro-llama-bpe-random-f16");
    int V = l.m->config.vocab_size;
    cs_context_params p = {.n_ctx = 40, .n_batch = 16};
    cs_context *c;
    cr_assert_eq(cs_context_new(l.m, &p, &c), CS_OK);
    cr_expect_null(cs_context_logits(c));
    cr_expect_eq(cs_context_n_ctx(c), 40);
    cr_expect_gt(cs_context_kv_bytes(c), 0);
    cr_assert_eq(cs_context_eval(c, prompt, N_PROMPT), CS_OK);  /* 30 tokens in chunks of 16 */
    float *first = malloc((size_t)V * sizeof *first);
    memcpy(first, cs_context_logits(c), (size_t)V * sizeof *first);
    cr_expect_eq(cs_context_eval(c, prompt, 11), CS_ERR_LIMIT, "30 + 11 > 40");
    cr_expect_eq(cs_context_pos(c), N_PROMPT, "nothing ran");
    int32_t bad = V;
    cr_expect_eq(cs_context_eval(c, &bad, 1), CS_ERR_INVALID);
    cs_context_reset(c);
    cr_expect_eq(cs_context_pos(c), 0);
    cr_assert_eq(cs_context_eval(c, prompt, N_PROMPT), CS_OK);
    cr_expect_arr_eq(first, cs_context_logits(c), (size_t)V * sizeof *first);
    free(first);
    cs_context_free(c);
    unload(&l);
}

Test(kv_cache, f32_cache_runs_and_agrees_on_the_top_token)
{
    loaded l = load("micro-llama-bpe-random-f16");
    int V = l.m->config.vocab_size;
    cs_context_params p16 = {.n_ctx = 64}, p32 = {.n_ctx = 64, .kv_f32 = 1};
    cs_context *a, *b;
    cr_assert_eq(cs_context_new(l.m, &p16, &a), CS_OK);
    cr_assert_eq(cs_context_new(l.m, &p32, &b), CS_OK);
    cr_expect_eq(cs_context_kv_bytes(b), 2 * cs_context_kv_bytes(a));
    cr_assert_eq(cs_context_eval(a, prompt, N_PROMPT), CS_OK);
    cr_assert_eq(cs_context_eval(b, prompt, N_PROMPT), CS_OK);
    cr_expect_eq(cs_argmax(cs_context_logits(a), V), cs_argmax(cs_context_logits(b), V));
    cs_context_free(a);
    cs_context_free(b);
    unload(&l);
}

/* ------------------------------------------------------------ generation */

typedef struct {
    cs_buf text;
    int32_t ids[256];
    int n, stop_after, cancel_after, saw_flush;
    atomic_int *cancel;
} collector;

static int collect(void *user, int32_t id, const char *text, size_t len)
{
    collector *c = user;
    cs_buf_append(&c->text, text, len);
    if (id < 0) {
        c->saw_flush = 1;
        return 0;
    }
    c->ids[c->n++] = id;
    if (c->cancel_after && c->n == c->cancel_after) atomic_store(c->cancel, 1);
    return c->stop_after && c->n >= c->stop_after;
}

static int run(loaded *l, collector *col, int max_tokens, cs_sampler *s, atomic_int *cancel, cs_gen_result *r)
{
    cs_context_params p = {.n_ctx = 128};
    cs_context *c;
    cr_assert_eq(cs_context_new(l->m, &p, &c), CS_OK);
    cs_gen_params gp = {.max_tokens = max_tokens, .sampler = s, .on_token = collect, .user = col, .cancel = cancel};
    int rc = cs_generate(c, l->tok, prompt, N_PROMPT, &gp, r);
    cs_context_free(c);
    return rc;
}

Test(generate, streamed_text_is_exactly_the_decoded_tokens)
{
    loaded l = load("micro-llama-bpe-random-f16");
    collector col = {0};
    cs_gen_result r;
    cr_assert_eq(run(&l, &col, 40, NULL, NULL, &r), CS_OK);
    cr_expect_eq(r.n_prompt, N_PROMPT);
    cr_expect_eq(r.n_generated, col.n);
    cr_expect(r.stop == CS_GEN_LENGTH || r.stop == CS_GEN_EOG);
    if (r.stop == CS_GEN_LENGTH) cr_expect_eq(col.n, 40);
    char *want;
    size_t len;
    cr_assert_eq(cs_detokenize(l.tok, col.ids, (size_t)col.n, 0, &want, &len), CS_OK);
    cr_expect_eq(col.text.len, len);
    cr_expect(col.text.len == len && memcmp(col.text.data, want, len) == 0, "streamed text differs from decoding");
    free(want);
    cs_buf_free(&col.text);
    unload(&l);
}

Test(generate, cancel_flag_stops_before_the_next_token)
{
    loaded l = load("micro-llama-bpe-random-f16");
    atomic_int cancel = 0;
    collector col = {.cancel_after = 3, .cancel = &cancel};
    cs_gen_result r;
    cr_expect_eq(run(&l, &col, 40, NULL, &cancel, &r), CS_ERR_CANCELLED);
    cr_expect_eq(col.n, 3);
    cr_expect_eq(r.stop, CS_GEN_STOPPED);
    cs_buf_free(&col.text);

    /* already cancelled: nothing runs */
    collector none = {0};
    cr_expect_eq(run(&l, &none, 40, NULL, &cancel, &r), CS_ERR_CANCELLED);
    cr_expect_eq(none.n, 0);
    unload(&l);
}

Test(generate, callback_can_stop_and_limits_are_checked)
{
    loaded l = load("micro-llama-bpe-random-f16");
    collector col = {.stop_after = 2};
    cs_gen_result r;
    cr_expect_eq(run(&l, &col, 40, NULL, NULL, &r), CS_ERR_CANCELLED);
    cr_expect_eq(col.n, 2);
    cs_buf_free(&col.text);

    cs_context_params p = {.n_ctx = 16};
    cs_context *c;
    cr_assert_eq(cs_context_new(l.m, &p, &c), CS_OK);
    cs_gen_params gp = {.max_tokens = 4};
    cr_expect_eq(cs_generate(c, l.tok, prompt, N_PROMPT, &gp, NULL), CS_ERR_LIMIT, "30 tokens > context of 16");
    gp.max_tokens = 0;
    cr_expect_eq(cs_generate(c, l.tok, prompt, 4, &gp, NULL), CS_ERR_INVALID);
    /* a context that fills up ends generation cleanly */
    gp.max_tokens = 100;
    cs_gen_result rr;
    cr_expect_eq(cs_generate(c, l.tok, prompt, 10, &gp, &rr), CS_OK);
    if (rr.stop != CS_GEN_EOG) {
        cr_expect_eq(rr.stop, CS_GEN_CONTEXT_FULL);
        cr_expect_eq(cs_context_pos(c), 16);
    }
    cs_context_free(c);
    unload(&l);
}

Test(generate, seeded_sampling_is_reproducible)
{
    loaded l = load("micro-llama-bpe-random-f16");
    cs_sampler_params sp = cs_sampler_default_params(77);
    sp.temperature = 1.5f;
    cs_sampler *s;
    cr_assert_eq(cs_sampler_new(&sp, l.m->config.vocab_size, &s), CS_OK);
    collector a = {0}, b = {0}, greedy = {0};
    cr_assert_eq(run(&l, &a, 12, s, NULL, NULL), CS_OK);
    cs_sampler_reset(s);
    cr_assert_eq(run(&l, &b, 12, s, NULL, NULL), CS_OK);
    cr_expect_eq(a.n, b.n);
    cr_expect_arr_eq(a.ids, b.ids, (size_t)a.n * sizeof *a.ids);
    cr_assert_eq(run(&l, &greedy, 12, NULL, NULL, NULL), CS_OK);
    int differ = a.n != greedy.n;
    for (int i = 0; i < a.n && i < greedy.n; i++) differ |= a.ids[i] != greedy.ids[i];
    cr_expect(differ, "temperature 1.5 should leave the greedy path");
    cs_sampler_free(s);
    cs_buf_free(&a.text);
    cs_buf_free(&b.text);
    cs_buf_free(&greedy.text);
    unload(&l);
}
