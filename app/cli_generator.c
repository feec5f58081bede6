/*
 * cli_generator.c: the inference module behind the pipeline's cs_generator
 * interface (built only when the inference library is): open a GGUF file,
 * render (system, user) with the model's chat template, count tokens with
 * its tokenizer, and generate greedily (deterministic) with streaming and
 * cancel.  Also built into the browser module (app/wasm_web_model.c), which
 * streams the file into a cs_gguf and hands it to cs_cli_generator_from_gguf.
 */
#include "cli_model.h"
#include "chat.h"
#include "cs_buf.h"
#include "cs_err.h"
#include "generate.h"
#include "gguf.h"
#include "model.h"
#include "tokenizer.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
    cs_gguf *gguf;
    cs_model *model;
    cs_tokenizer *tok;
    cs_context *ctx;
    cs_chat_template tmpl;
    int have_tmpl;
} model_gen;

typedef struct {
    cs_buf text;
    cs_token_callback on_token;
    void *cb_ctx;
    int stopped;
} gen_state;

static size_t count_tokens(void *p, const char *text, size_t len)
{
    model_gen *m = p;
    int32_t *ids = NULL;
    size_t n = 0;
    if (cs_tokenize(m->tok, text, len, 0, &ids, &n) != CS_OK) n = cs_prompt_estimate_tokens(text, len);
    free(ids);
    return n;
}

static int on_piece(void *user, int32_t id, const char *text, size_t len)
{
    gen_state *s = user;
    (void)id;
    if (!len) return 0;
    if (cs_buf_append(&s->text, text, len) != CS_OK) return 1;
    if (s->on_token && s->on_token(s->cb_ctx, text, len)) { s->stopped = 1; return 1; }
    return 0;
}

static int generate(void *p, const char *system, const char *user, size_t max_new,
                    cs_token_callback on_token, void *cb_ctx, char **out)
{
    model_gen *m = p;
    *out = NULL;
    cs_chat_msg msgs[2] = {{"system", system}, {"user", user}};
    char *prompt = NULL;
    int rc = cs_chat_render(&m->tmpl, msgs, 2, 1, &prompt);
    int32_t *ids = NULL;
    size_t n = 0;
    if (rc == CS_OK) rc = cs_tokenize(m->tok, prompt, strlen(prompt), CS_TOK_ADD_SPECIAL | CS_TOK_PARSE_SPECIAL, &ids, &n);
    free(prompt);
    if (rc != CS_OK) { free(ids); return rc; }
    gen_state st = {.on_token = on_token, .cb_ctx = cb_ctx};
    cs_context_reset(m->ctx);
    cs_gen_params gp = {.max_tokens = (int)max_new, .on_token = on_piece, .user = &st};
    rc = cs_generate(m->ctx, m->tok, ids, n, &gp, NULL);
    free(ids);
    if (rc == CS_OK && st.stopped) rc = CS_ERR_CANCELLED;
    if (rc != CS_OK) { cs_buf_free(&st.text); return rc; }
    *out = cs_buf_take(&st.text);
    return CS_OK;
}

int cs_cli_generator_open(const char *path, cs_generator *g)
{
    memset(g, 0, sizeof *g);
    cs_gguf *gguf = NULL;
    int rc = cs_gguf_open_file(path, &gguf, NULL);
    if (rc != CS_OK) return rc;
    const char *slash = strrchr(path, '/');
    return cs_cli_generator_from_gguf(gguf, slash ? slash + 1 : path, 2, g);
}

const struct cs_gguf *cs_cli_generator_gguf(const cs_generator *g)
{
    return g && g->ctx ? ((const model_gen *)g->ctx)->gguf : NULL;
}

int cs_cli_generator_from_gguf(cs_gguf *gguf, const char *name, int n_threads, cs_generator *g)
{
    memset(g, 0, sizeof *g);
    model_gen *m = calloc(1, sizeof *m);
    if (!m) { cs_gguf_free(gguf); return CS_ERR_NOMEM; }
    m->gguf = gguf;
    const char *why = NULL;
    int rc = cs_model_load(m->gguf, &m->model, &why);
    if (rc == CS_OK) rc = cs_tokenizer_load(m->gguf, &m->tok, &why);
    if (rc == CS_OK) {
        rc = cs_chat_template_from_gguf(m->gguf, &m->tmpl);
        if (rc == CS_ERR_NOT_FOUND || rc == CS_ERR_UNSUPPORTED) rc = cs_chat_template_for_family(CS_CHAT_CHATML, &m->tmpl);
        m->have_tmpl = rc == CS_OK;
    }
    if (rc == CS_OK) {
        cs_context_params cp = {.n_threads = n_threads};
        rc = cs_context_new(m->model, &cp, &m->ctx);
    }
    if (rc != CS_OK) {
        g->ctx = m;
        cs_cli_generator_close(g);
        return rc;
    }
    g->ctx = m;
    g->context_tokens = (size_t)cs_context_n_ctx(m->ctx);
    g->count = count_tokens;
    g->generate = generate;
    g->name = name;
    return CS_OK;
}

void cs_cli_generator_close(cs_generator *g)
{
    model_gen *m = g->ctx;
    if (m) {
        cs_context_free(m->ctx);
        if (m->have_tmpl) cs_chat_template_free(&m->tmpl);
        cs_tokenizer_free(m->tok);
        cs_model_free(m->model);
        cs_gguf_free(m->gguf);
        free(m);
    }
    memset(g, 0, sizeof *g);
}
