/*
 * wasm_web_model.c: the browser module's model entry points: a GGUF file
 * streamed in from the page, then the model-mode summary (the same pipeline
 * and prompts as `clinsum summarize --model`), raw greedy generation (the
 * contract of `clinsum generate --greedy --raw`) and a speed probe.
 *
 * Loading never holds the file twice.  ui/worker-model.js reads the picked
 * File in chunks (File.slice + arrayBuffer) and writes each chunk straight
 * into the one buffer the GGUF stream keeps (inference/gguf.h, zero-copy
 * tail/commit); only the first chunk(s), until the header parses, go
 * through a small staging buffer and cs_web_model_feed().
 *
 *   cs_web_model_begin(total)   {ok, heap_max}: a new stream for a file of
 *                               `total` bytes, after checking it can fit in
 *                               this module's memory (else ok false, error
 *                               "... does not fit ...", code
 *                               CS_ERR_TOO_LARGE, heap_max, needed).  Drops
 *                               any loaded model.
 *   cs_web_model_feed(p, n)     CS_OK or a cs_err: bytes before the header
 *                               parsed (copied; p is the caller's).
 *   cs_web_model_room()         bytes that may be written at
 *                               cs_web_model_tail() now (0 until the header
 *                               parsed), then cs_web_model_commit(k).
 *   cs_web_model_ready()        tensors whose bytes are all in (progress).
 *   cs_web_model_finish(name)   {ok, name, sha256 (hex, of every byte fed
 *                               and committed), arch, quant, layers, dim, vocab,
 *                               n_ctx, tensors, bytes, heap_bytes} once
 *                               every byte is in: the model, tokenizer, chat
 *                               template and context are set up.  name: the file's name (shown in
 *                               the summary's note; never document text).
 *   cs_web_model_error()        the static reason of the last failure.
 *   cs_web_model_unload()       frees everything.
 *   cs_web_summarize_model(data, len, style, max_tokens)
 *                               {ok, markdown, json, model, parts, ms:
 *                               {parse, redact, summarize, check, total}}:
 *                               the document redacted first, then the
 *                               model's summary (cs_pipeline_run with the
 *                               model as generator), each generated piece
 *                               passed to Module.onModelToken(ptr, len) as it
 *                               comes; a non-zero return from it cancels
 *                               (error code CS_ERR_CANCELLED).
 *   cs_web_model_generate(text, len, n)
 *                               {ok, ids: [...], text}: `n` greedy tokens
 *                               after `text` fed verbatim (special tokens
 *                               parsed, BOS if the model asks), as `clinsum
 *                               generate --greedy --raw -n N`.
 *   cs_web_model_bench(n_prompt, n_gen)
 *                               {ok, prefill_tok_s, decode_tok_s, ttft_ms,
 *                               threads}: measured like bench_infer
 *                               (pseudo-random prompt, empty context).
 *
 * Memory: wasm32 addresses at most 4 GiB (the module is linked with
 * -sMAXIMUM_MEMORY=4GB, which emscripten 3.1.6 accepts with memory growth);
 * the file (one buffer, below 2 GiB), the KV cache and the activations must
 * fit together.  A 1.98 GiB file streams in and sits above the 2 GiB
 * address mark (pointers cross to JavaScript as unsigned, `>>> 0`).  Returned strings are freed with cs_web_free().
 * Single-threaded (the SIMD128 build without threads): one worker owns the
 * module and calls one entry point at a time.  Nothing is logged.
 */
#include "wasm_web.h"

#include "cli_model.h"
#include "cs_buf.h"
#include "cs_err.h"
#include "cs_redact.h"
#include "generate.h"
#include "gguf.h"
#include "model.h"
#include "pipeline.h"
#include "prompt.h"
#include "summary_format.h"
#include "tokenizer.h"

#include <cjson/cJSON.h>
#include <emscripten/emscripten.h>
#include <sodium.h>
#include <emscripten/heap.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Headroom kept beyond the file for the KV cache, activations, the
 * tokenizer and the document: a model needs at least this much more than
 * its file size.  The context is then sized to what is left. */
#define MODEL_HEADROOM ((size_t)96 << 20)

static struct {
    cs_gguf_stream *stream;
    cs_generator gen;        /* owns the cs_gguf once finished */
    const cs_gguf *gguf;     /* borrowed from gen */
    char name[256];
    const char *why;         /* static reason of the last failure */
    crypto_hash_sha256_state sha; /* of every byte streamed in */
} g_web_model;

/* ------------------------------------------------------------ JSON */

static char *json_finish(cJSON *o)
{
    char *s = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    return s;
}

static char *json_error(int rc, const char *why)
{
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddFalseToObject(o, "ok");
        cJSON_AddStringToObject(o, "error", why ? why : cs_strerror(rc));
        cJSON_AddNumberToObject(o, "code", rc);
    }
    return json_finish(o);
}

/* ------------------------------------------------------------ loading */

EMSCRIPTEN_KEEPALIVE void cs_web_model_unload(void)
{
    cs_gguf_stream_free(g_web_model.stream);
    if (g_web_model.gen.ctx) cs_cli_generator_close(&g_web_model.gen);
    memset(&g_web_model, 0, sizeof g_web_model);
}

EMSCRIPTEN_KEEPALIVE const char *cs_web_model_error(void)
{
    return g_web_model.why ? g_web_model.why : "";
}

EMSCRIPTEN_KEEPALIVE char *cs_web_model_begin(double total)
{
    cs_web_model_unload();
    size_t heap_max = emscripten_get_heap_max();
    size_t in_use = emscripten_get_heap_size();
    /* the file's buffer is one allocation; the memory can grow to
     * heap_max, and what is in use now stays in use */
    /* one buffer holds the file: wasm32 objects stay below 2 GiB (the
     * GGUF stream refuses more, pointer differences must fit ptrdiff_t) */
    int too_big = total > (double)(SIZE_MAX / 2);
    if (total <= 0 || too_big || total + (double)MODEL_HEADROOM + (double)in_use > (double)heap_max) {
        cJSON *o = cJSON_CreateObject();
        if (o) {
            cJSON_AddFalseToObject(o, "ok");
            cJSON_AddStringToObject(o, "error", total <= 0 ? "the file is empty"
                                    : too_big ? "the model does not fit in this browser's WebAssembly memory "
                                                "(model files of up to 2 GiB can be loaded)"
                                    : "the model does not fit in this browser's WebAssembly memory");
            cJSON_AddNumberToObject(o, "code", total <= 0 ? CS_ERR_EMPTY : CS_ERR_TOO_LARGE);
            cJSON_AddNumberToObject(o, "heap_max", (double)heap_max);
            cJSON_AddNumberToObject(o, "needed", total + (double)MODEL_HEADROOM + (double)in_use);
        }
        return json_finish(o);
    }
    g_web_model.stream = cs_gguf_stream_new((uint64_t)total);
    if (!g_web_model.stream) return json_error(CS_ERR_NOMEM, NULL);
    crypto_hash_sha256_init(&g_web_model.sha);
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddTrueToObject(o, "ok");
        cJSON_AddNumberToObject(o, "heap_max", (double)heap_max);
    }
    return json_finish(o);
}

EMSCRIPTEN_KEEPALIVE int cs_web_model_feed(const void *p, size_t n)
{
    if (!g_web_model.stream) return CS_ERR_INVALID;
    int rc = cs_gguf_stream_feed(g_web_model.stream, p, n, &g_web_model.why);
    if (rc == CS_OK) crypto_hash_sha256_update(&g_web_model.sha, p, n);
    return rc;
}

EMSCRIPTEN_KEEPALIVE size_t cs_web_model_room(void)
{
    size_t room = 0;
    if (g_web_model.stream) cs_gguf_stream_tail(g_web_model.stream, &room);
    return room;
}

EMSCRIPTEN_KEEPALIVE void *cs_web_model_tail(void)
{
    size_t room = 0;
    return g_web_model.stream ? cs_gguf_stream_tail(g_web_model.stream, &room) : NULL;
}

EMSCRIPTEN_KEEPALIVE int cs_web_model_commit(size_t k)
{
    if (!g_web_model.stream) return CS_ERR_INVALID;
    const unsigned char *tail = cs_web_model_tail();
    int rc = cs_gguf_stream_commit(g_web_model.stream, k, &g_web_model.why);
    if (rc == CS_OK && k) crypto_hash_sha256_update(&g_web_model.sha, tail, k);
    return rc;
}

EMSCRIPTEN_KEEPALIVE int cs_web_model_ready(void)
{
    return g_web_model.stream ? (int)cs_gguf_stream_n_ready(g_web_model.stream) : 0;
}

static const char *arch_name(cs_arch a) { return a == CS_ARCH_QWEN2 ? "qwen2" : "llama"; }

EMSCRIPTEN_KEEPALIVE char *cs_web_model_finish(const char *name)
{
    if (!g_web_model.stream) return json_error(CS_ERR_INVALID, "no model is being loaded");
    cs_gguf *g = NULL;
    int rc = cs_gguf_stream_finish(g_web_model.stream, &g, &g_web_model.why);
    cs_gguf_stream_free(g_web_model.stream);
    g_web_model.stream = NULL;
    if (rc != CS_OK) return json_error(rc, g_web_model.why);
    unsigned char digest[crypto_hash_sha256_BYTES];
    char sha_hex[2 * crypto_hash_sha256_BYTES + 1];
    crypto_hash_sha256_final(&g_web_model.sha, digest);
    sodium_bin2hex(sha_hex, sizeof sha_hex, digest, sizeof digest);
    snprintf(g_web_model.name, sizeof g_web_model.name, "%s", name && *name ? name : "model.gguf");
    /* the generator takes g, also on failure */
    rc = cs_cli_generator_from_gguf(g, g_web_model.name, 1, &g_web_model.gen);
    if (rc != CS_OK) {
        memset(&g_web_model.gen, 0, sizeof g_web_model.gen);
        return json_error(rc, rc == CS_ERR_NOMEM ? "the model's working memory does not fit in this browser's "
                                                   "WebAssembly memory"
                              : "not a llama or qwen2 model with tensors this build can run");
    }
    g_web_model.gguf = g;
    cs_model_config cfg;
    const char *why = NULL;
    cs_model_config_from_gguf(g, &cfg, &why);
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddTrueToObject(o, "ok");
        cJSON_AddStringToObject(o, "name", g_web_model.name);
        cJSON_AddStringToObject(o, "sha256", sha_hex);
        cJSON_AddStringToObject(o, "arch", arch_name(cfg.arch));
        cJSON_AddStringToObject(o, "quant", cs_gguf_quant_name(g));
        cJSON_AddNumberToObject(o, "layers", cfg.n_layers);
        cJSON_AddNumberToObject(o, "dim", cfg.dim);
        cJSON_AddNumberToObject(o, "vocab", cfg.vocab_size);
        cJSON_AddNumberToObject(o, "n_ctx", (double)g_web_model.gen.context_tokens);
        cJSON_AddNumberToObject(o, "tensors", (double)cs_gguf_n_tensors(g));
        cJSON_AddNumberToObject(o, "bytes", (double)cs_gguf_file_size(g));
        cJSON_AddNumberToObject(o, "heap_bytes", (double)emscripten_get_heap_size());
    }
    return json_finish(o);
}

/* ------------------------------------------------------------ summary */

/* The page's streaming hook: ui/worker-model.js sets Module.onModelToken,
 * which posts the piece to the page and returns 1 once Stop was pressed
 * (a SharedArrayBuffer flag the page sets while this call runs). */
EM_JS(int, web_model_on_token, (const char *piece, size_t len), {
    return Module.onModelToken ? Module.onModelToken(piece >>> 0, len >>> 0) : 0;
});

static int on_piece(void *ctx, const char *piece, size_t len)
{
    (void)ctx;
    return web_model_on_token(piece, len);
}

EMSCRIPTEN_KEEPALIVE char *cs_web_summarize_model(const uint8_t *data, size_t len, const char *style_name,
                                                  int max_tokens)
{
    if (!g_web_model.gen.ctx) return json_error(CS_ERR_INVALID, "no model loaded");
    int rc = cs_web_init();
    if (rc != CS_OK) return json_error(rc, NULL);
    int style = style_name && *style_name ? cs_style_parse(style_name) : CS_STYLE_HANDOFF;
    if (style < 0 || (!data && len)) return json_error(CS_ERR_INVALID, NULL);
    g_web_model.gen.max_new_tokens = max_tokens > 0 ? (size_t)max_tokens : 0;
    cs_pipeline_options opt = {.style = (cs_summary_style)style, .generator = &g_web_model.gen,
                               .on_token = on_piece};
    cs_pipeline_result res;
    rc = cs_pipeline_run(data ? data : (const uint8_t *)"", len, &opt, &res);
    if (rc != CS_OK) { cs_pipeline_result_free(&res); return json_error(rc, NULL); }
    char note[320];
    cs_cli_model_note(g_web_model.name, note, sizeof note);
    char *md = cs_format_markdown(&res, (cs_summary_style)style, note);
    char *js = cs_format_json(&res, (cs_summary_style)style, note);
    cJSON *o = md && js ? cJSON_CreateObject() : NULL, *ms = o ? cJSON_AddObjectToObject(o, "ms") : NULL;
    int ok = ms && cJSON_AddTrueToObject(o, "ok") && cJSON_AddStringToObject(o, "markdown", md) &&
             cJSON_AddStringToObject(o, "json", js) && cJSON_AddStringToObject(o, "model", g_web_model.name) &&
             cJSON_AddNumberToObject(o, "parts", (double)res.model_parts);
    for (int s = 0; ok && s < CS_STEP_COUNT; s++)
        ok = cJSON_AddNumberToObject(ms, cs_pipeline_step_name((cs_pipeline_step)s), res.timings_ms[s]) != NULL;
    ok = ok && cJSON_AddNumberToObject(ms, "total", res.total_ms);
    cs_pipeline_result_free(&res);
    free(md);
    free(js);
    if (!ok) { cJSON_Delete(o); return json_error(CS_ERR_NOMEM, NULL); }
    return json_finish(o);
}

/* ------------------------------------------------------------ raw generation, bench */

/* A model, tokenizer and context of their own over the loaded file (the
 * weights are shared, not copied): for generation outside the pipeline. */
typedef struct {
    cs_model *m;
    cs_tokenizer *tok;
    cs_context *ctx;
} side_model;

static void side_free(side_model *s)
{
    cs_context_free(s->ctx);
    cs_tokenizer_free(s->tok);
    cs_model_free(s->m);
}

static int side_open(side_model *s, int n_ctx)
{
    memset(s, 0, sizeof *s);
    if (!g_web_model.gguf) return CS_ERR_INVALID;
    const char *why = NULL;
    int rc = cs_model_load(g_web_model.gguf, &s->m, &why);
    if (rc == CS_OK) rc = cs_tokenizer_load(g_web_model.gguf, &s->tok, &why);
    if (rc == CS_OK) {
        if (n_ctx > s->m->config.n_ctx_train) n_ctx = s->m->config.n_ctx_train;
        cs_context_params cp = {.n_ctx = n_ctx, .n_threads = 1};
        rc = cs_context_new(s->m, &cp, &s->ctx);
    }
    if (rc != CS_OK) side_free(s);
    return rc;
}

typedef struct {
    cJSON *ids;
    cs_buf text;
    int failed;
} gen_sink;

static int collect(void *user, int32_t id, const char *text, size_t len)
{
    gen_sink *k = user;
    if (id >= 0) {
        cJSON *n = cJSON_CreateNumber(id);
        if (!n || !cJSON_AddItemToArray(k->ids, n)) { cJSON_Delete(n); k->failed = 1; return 1; }
    }
    if (len && cs_buf_append(&k->text, text, len) != CS_OK) { k->failed = 1; return 1; }
    return 0;
}

EMSCRIPTEN_KEEPALIVE char *cs_web_model_generate(const char *text, size_t len, int n)
{
    if (n <= 0 || (!text && len)) return json_error(CS_ERR_INVALID, NULL);
    side_model s;
    int32_t *ids = NULL;
    size_t n_ids = 0;
    int rc = side_open(&s, 0);
    if (rc != CS_OK) return json_error(rc, NULL);
    /* the prompt as `clinsum generate --raw` feeds it */
    int bos = cs_tokenizer_add_bos(s.tok) && cs_tokenizer_bos(s.tok) >= 0;
    rc = cs_tokenize(s.tok, text ? text : "", len, CS_TOK_PARSE_SPECIAL, &ids, &n_ids);
    if (rc == CS_OK && bos) {
        int32_t *with = malloc((n_ids + 1) * sizeof *with);
        if (!with) rc = CS_ERR_NOMEM;
        else {
            with[0] = cs_tokenizer_bos(s.tok);
            if (n_ids) memcpy(with + 1, ids, n_ids * sizeof *ids);
            free(ids);
            ids = with;
            n_ids++;
        }
    }
    if (rc == CS_OK && n_ids == 0) rc = CS_ERR_EMPTY;
    gen_sink k = {.ids = cJSON_CreateArray()};
    if (rc == CS_OK && !k.ids) rc = CS_ERR_NOMEM;
    if (rc == CS_OK) {
        cs_gen_params gp = {.max_tokens = n, .on_token = collect, .user = &k};
        rc = cs_generate(s.ctx, s.tok, ids, n_ids, &gp, NULL);
        if (k.failed) rc = CS_ERR_NOMEM;
    }
    free(ids);
    side_free(&s);
    cJSON *o = NULL;
    if (rc == CS_OK && cs_buf_append(&k.text, "", 1) == CS_OK && (o = cJSON_CreateObject())) {
        cJSON_AddTrueToObject(o, "ok");
        cJSON_AddItemToObject(o, "ids", k.ids);
        k.ids = NULL;
        if (!cJSON_AddStringToObject(o, "text", k.text.data)) { cJSON_Delete(o); o = NULL; rc = CS_ERR_NOMEM; }
    } else if (rc == CS_OK) {
        rc = CS_ERR_NOMEM;
    }
    cJSON_Delete(k.ids);
    cs_buf_free(&k.text);
    return rc == CS_OK ? json_finish(o) : json_error(rc, NULL);
}

EMSCRIPTEN_KEEPALIVE char *cs_web_model_bench(int n_prompt, int n_gen)
{
    if (n_prompt <= 0 || n_gen <= 0) return json_error(CS_ERR_INVALID, NULL);
    side_model s;
    int rc = side_open(&s, n_prompt + n_gen);
    if (rc != CS_OK) return json_error(rc, NULL);
    int V = s.m->config.vocab_size;
    int32_t *prompt = malloc((size_t)n_prompt * sizeof *prompt);
    if (!prompt) { side_free(&s); return json_error(CS_ERR_NOMEM, NULL); }
    uint32_t r = 12345; /* bench_infer's prompt */
    for (int i = 0; i < n_prompt; i++) {
        r = r * 1664525u + 1013904223u;
        prompt[i] = (int32_t)((r >> 8) % (uint32_t)V);
    }
    double a = cs_now_seconds();
    rc = cs_context_eval(s.ctx, prompt, n_prompt < cs_context_n_ctx(s.ctx) ? n_prompt : cs_context_n_ctx(s.ctx));
    int32_t tok = rc == CS_OK ? cs_argmax(cs_context_logits(s.ctx), V) : 0;
    double ttft = cs_now_seconds() - a;
    (void)tok;
    double dec = 0;
    if (rc == CS_OK) {
        cs_context_reset(s.ctx);
        tok = 1;
        a = cs_now_seconds();
        for (int i = 0; i < n_gen && rc == CS_OK; i++) {
            rc = cs_context_eval(s.ctx, &tok, 1);
            if (rc == CS_OK) tok = cs_argmax(cs_context_logits(s.ctx), V);
        }
        dec = cs_now_seconds() - a;
    }
    int threads = cs_context_n_threads(s.ctx);
    free(prompt);
    side_free(&s);
    if (rc != CS_OK) return json_error(rc, NULL);
    cJSON *o = cJSON_CreateObject();
    if (o) {
        cJSON_AddTrueToObject(o, "ok");
        cJSON_AddNumberToObject(o, "prefill_tok_s", n_prompt / ttft);
        cJSON_AddNumberToObject(o, "decode_tok_s", n_gen / dec);
        cJSON_AddNumberToObject(o, "ttft_ms", ttft * 1e3);
        cJSON_AddNumberToObject(o, "threads", threads);
        cJSON_AddNumberToObject(o, "n_prompt", n_prompt);
        cJSON_AddNumberToObject(o, "n_gen", n_gen);
    }
    return json_finish(o);
}
