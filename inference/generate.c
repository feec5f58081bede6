/*
 * generate.c: the prefill + sample loop with streaming text and cancel.
 * See generate.h.
 */
#include "generate.h"

#include "cs_buf.h"
#include "cs_err.h"

#include <string.h>
#include <time.h>

double cs_now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cancelled(const cs_gen_params *p)
{
    return p->cancel && atomic_load(p->cancel);
}

int cs_generate(cs_context *ctx, const cs_tokenizer *tok, const int32_t *prompt, size_t n_prompt,
                const cs_gen_params *p, cs_gen_result *res)
{
    cs_gen_result r = {0};
    if (!ctx || !tok || !p || p->max_tokens <= 0 || (n_prompt && !prompt)) return CS_ERR_INVALID;
    if (n_prompt == 0 && !cs_context_logits(ctx)) return CS_ERR_INVALID; /* nothing to continue from */
    if (n_prompt > (size_t)(cs_context_n_ctx(ctx) - cs_context_pos(ctx))) return CS_ERR_LIMIT;
    const float *logits;
    int n_vocab = cs_context_n_vocab(ctx);
    cs_buf text = {0};
    cs_tok_decoder dec;
    cs_tok_decoder_init(&dec, tok, 0);
    int rc = CS_OK;

    if (cancelled(p)) { r.stop = CS_GEN_STOPPED; rc = CS_ERR_CANCELLED; goto done; }
    double t0 = cs_now_seconds();
    if (n_prompt) {
        rc = cs_context_eval(ctx, prompt, (int)n_prompt);
        if (rc != CS_OK) goto done;
        if (p->sampler)
            for (size_t i = 0; i < n_prompt; i++) cs_sampler_accept(p->sampler, prompt[i]);
    }
    r.n_prompt = (int)n_prompt;
    double t1 = cs_now_seconds();
    r.prefill_seconds = t1 - t0;

    for (;;) {
        if (cancelled(p)) { r.stop = CS_GEN_STOPPED; rc = CS_ERR_CANCELLED; break; }
        logits = cs_context_logits(ctx);
        int32_t id = p->sampler ? cs_sampler_sample(p->sampler, logits) : cs_argmax(logits, n_vocab);
        if (cs_tokenizer_is_eog(tok, id)) {
            if (p->keep_eog && p->on_token && p->on_token(p->user, id, "", 0)) {
                r.stop = CS_GEN_STOPPED;
                rc = CS_ERR_CANCELLED;
                break;
            }
            r.stop = CS_GEN_EOG;
            break;
        }
        r.n_generated++;
        if (p->sampler) cs_sampler_accept(p->sampler, id);
        cs_buf_clear(&text);
        if ((rc = cs_tok_decoder_push(&dec, id, &text)) != CS_OK) break;
        if (p->on_token && p->on_token(p->user, id, text.data ? text.data : "", text.len)) {
            r.stop = CS_GEN_STOPPED;
            rc = CS_ERR_CANCELLED;
            break;
        }
        if (r.n_generated >= p->max_tokens) { r.stop = CS_GEN_LENGTH; break; }
        if (cs_context_pos(ctx) >= cs_context_n_ctx(ctx)) { r.stop = CS_GEN_CONTEXT_FULL; break; }
        if ((rc = cs_context_eval(ctx, &id, 1)) != CS_OK) break;
    }
    r.decode_seconds = cs_now_seconds() - t1;
    if (rc == CS_OK || rc == CS_ERR_CANCELLED) {
        cs_buf_clear(&text);
        int frc = cs_tok_decoder_flush(&dec, &text);
        if (frc != CS_OK) rc = frc;
        else if (text.len && p->on_token) p->on_token(p->user, -1, text.data, text.len);
    }
done:
    cs_buf_free(&text);
    if (res) *res = r;
    return rc;
}
