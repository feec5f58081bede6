/*
 * pipeline.c: parse -> redact -> summarize -> check, timed (see pipeline.h).
 */
#include "pipeline.h"
#include "cs_buf.h"
#include "cs_err.h"
#include "cs_parse.h"
#ifdef CS_HAVE_REDACT
#include "cs_redact.h"
#endif

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

const char *cs_pipeline_step_name(cs_pipeline_step s)
{
    static const char *const names[] = {"parse", "redact", "summarize", "check"};
    return (unsigned)s < CS_STEP_COUNT ? names[s] : "unknown";
}

int cs_pipeline_has_redaction(void)
{
#ifdef CS_HAVE_REDACT
    return 1;
#else
    return 0;
#endif
}

int cs_pipeline_redactor_new(struct cs_redactor **out)
{
    *out = NULL;
#ifdef CS_HAVE_REDACT
    return cs_redactor_new(out);
#else
    return CS_ERR_UNSUPPORTED;
#endif
}

void cs_pipeline_redactor_free(struct cs_redactor *r)
{
#ifdef CS_HAVE_REDACT
    cs_redactor_free(r);
#else
    (void)r;
#endif
}

const char *cs_pipeline_category_name(size_t i)
{
#ifdef CS_HAVE_REDACT
    return i < CS_PHI_COUNT ? cs_phi_category_name((cs_phi_category)i) : NULL;
#else
    (void)i;
    return NULL;
#endif
}

/* ------------------------------------------------------------ redaction */

/* A copy of doc carrying only what later steps may see: kind, format,
 * section titles and codes, and the given (redacted) section texts. */
static int redacted_copy(const cs_document *doc, char *const *texts, const size_t *lens,
                         cs_document **out)
{
    cs_document *d = cs_document_new(doc->format);
    if (!d) return CS_ERR_NOMEM;
    int rc = cs_document_set(&d->kind, doc->kind);
    d->encoding = doc->encoding;
    for (size_t i = 0; i < doc->n_sections && rc == CS_OK; i++) {
        const cs_section *s = &doc->sections[i];
        cs_section *c = cs_document_add_section(d, s->title, s->code, s->code_system,
                                                texts ? texts[i] : s->text,
                                                texts ? lens[i] : s->text_len, s->start, s->end);
        if (!c) rc = CS_ERR_NOMEM;
        else c->depth = s->depth;
    }
    if (rc != CS_OK) { cs_document_free(d); return rc; }
    *out = d;
    return CS_OK;
}

static int redact_step(const cs_document *doc, const cs_pipeline_options *o, cs_pipeline_result *r)
{
#ifdef CS_HAVE_REDACT
    cs_redactor *own = NULL;
    int rc = o->redactor ? CS_OK : cs_redactor_new(&own);
    if (rc != CS_OK) return rc;
    const cs_redactor *red = o->redactor ? o->redactor : own;
    cs_redacted_doc rd;
    memset(&rd, 0, sizeof rd);
    cs_redact_opts ro = {.mode = CS_REDACT_MASK};
    rc = cs_redact_document(red, doc, &ro, &rd);
    cs_redactor_free(own);
    if (rc == CS_OK && rd.n_sections != doc->n_sections) rc = CS_ERR_INVALID;
    if (rc == CS_OK) rc = redacted_copy(doc, rd.section_text, rd.section_len, &r->doc);
    if (rc == CS_OK) {
        r->redacted = 1;
        r->n_categories = CS_PHI_COUNT < CS_PIPELINE_MAX_CATEGORIES ? CS_PHI_COUNT : CS_PIPELINE_MAX_CATEGORIES;
        for (size_t i = 0; i < r->n_categories; i++) r->redaction[i] = rd.counts[i];
    }
    cs_redacted_doc_free(&rd);
    return rc;
#else
    if (!o->allow_unredacted) return CS_ERR_UNSUPPORTED;
    return redacted_copy(doc, NULL, NULL, &r->doc);
#endif
}

/* ------------------------------------------------------------ model */

int cs_summary_from_text(const char *text, cs_summary *out)
{
    const char *p = text ? text : "";
    cs_summary_section *sec = NULL;
    int rc = CS_OK;
    while (*p && rc == CS_OK) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        size_t a = 0;
        while (a < n && isspace((unsigned char)p[a])) a++;
        size_t b = n;
        while (b > a && isspace((unsigned char)p[b - 1])) b--;
        if (b > a) {
            const char *l = p + a;
            size_t ln = b - a;
            if (*l == '#') {
                while (ln && (*l == '#' || *l == ' ')) { l++; ln--; }
                char h[128];
                size_t k = ln < sizeof h - 1 ? ln : sizeof h - 1;
                memcpy(h, l, k);
                h[k] = '\0';
                if (!(sec = cs_summary_section_get(out, h, NULL))) rc = CS_ERR_NOMEM;
            } else {
                if ((*l == '-' || *l == '*') && ln > 1) { l++; ln--; }
                if (!sec && !(sec = cs_summary_section_get(out, "Summary", NULL))) rc = CS_ERR_NOMEM;
                if (rc == CS_OK) rc = cs_summary_add_item(sec, l, ln);
            }
        }
        p += n + (e ? 1 : 0);
    }
    return rc;
}

static int model_step(const cs_pipeline_options *o, cs_pipeline_result *r)
{
    const cs_generator *g = o->generator;
    size_t max_new = g->max_new_tokens ? g->max_new_tokens : 512;
    if (g->context_tokens <= max_new + 96) return CS_ERR_LIMIT;
    size_t budget = g->context_tokens - max_new - 48; /* room for the chat template */
    cs_prompt_plan plan;
    int rc = cs_prompt_build(r->doc, o->style, budget, g->count, g->ctx, &plan);
    if (rc != CS_OK) return rc;
    r->model_parts = plan.n_parts;
    char **partial = calloc(plan.n_parts ? plan.n_parts : 1, sizeof *partial);
    if (!partial) rc = CS_ERR_NOMEM;
    int single = plan.n_parts == 1;
    for (size_t i = 0; i < plan.n_parts && rc == CS_OK; i++)
        rc = g->generate(g->ctx, plan.system, plan.user[i], max_new,
                         single ? o->on_token : NULL, o->on_token_ctx, &partial[i]);
    if (rc == CS_OK && single) {
        r->model_text = partial[0];
        partial[0] = NULL;
    } else if (rc == CS_OK) {
        char *user = cs_prompt_combine(o->style, partial, plan.n_parts);
        if (!user) rc = CS_ERR_NOMEM;
        /* the partial summaries may exceed the context: keep the combining
         * prompt within budget by cutting at the byte estimate */
        if (rc == CS_OK) {
            size_t toks = g->count ? g->count(g->ctx, user, strlen(user)) : cs_prompt_estimate_tokens(user, strlen(user));
            if (toks > budget) {
                size_t keep = strlen(user) * budget / toks;
                while (keep && ((unsigned char)user[keep] & 0xC0) == 0x80) keep--;
                user[keep] = '\0';
            }
            rc = g->generate(g->ctx, plan.system, user, max_new, o->on_token, o->on_token_ctx, &r->model_text);
        }
        free(user);
    }
    for (size_t i = 0; partial && i < plan.n_parts; i++) free(partial[i]);
    free(partial);
    cs_prompt_plan_free(&plan);
    if (rc == CS_OK) rc = cs_summary_from_text(r->model_text, &r->summary);
    for (size_t i = 0; rc == CS_OK && i < r->doc->n_sections; i++) rc = cs_summary_mark_used(&r->summary, i);
    if (rc == CS_OK && r->doc->kind && !(r->summary.kind = strdup(r->doc->kind))) rc = CS_ERR_NOMEM;
    return rc;
}

/* ------------------------------------------------------------ run */

static char *document_text(const cs_document *doc)
{
    cs_buf b = {0};
    int rc = CS_OK;
    for (size_t i = 0; i < doc->n_sections && rc == CS_OK; i++) {
        rc = cs_buf_printf(&b, "%s\n", doc->sections[i].title);
        if (rc == CS_OK) rc = cs_buf_append(&b, doc->sections[i].text, doc->sections[i].text_len);
        if (rc == CS_OK) rc = cs_buf_putc(&b, '\n');
    }
    if (rc != CS_OK) { cs_buf_free(&b); return NULL; }
    return cs_buf_take(&b);
}

int cs_pipeline_run(const uint8_t *data, size_t len, const cs_pipeline_options *opt,
                    cs_pipeline_result *out)
{
    memset(out, 0, sizeof *out);
    cs_pipeline_options o = opt ? *opt : (cs_pipeline_options){0};
    if (!data && len) return CS_ERR_INVALID;
    double t0 = now_ms(), t = t0;

    cs_parse_options po = {.max_bytes = o.max_bytes};
    cs_document *doc = NULL;
    int rc = cs_parse(data, len, &po, &doc);
    out->timings_ms[CS_STEP_PARSE] = now_ms() - t;
    if (rc != CS_OK) return rc;

    t = now_ms();
    rc = redact_step(doc, &o, out);
    cs_document_free(doc); /* nothing below sees the original text */
    out->timings_ms[CS_STEP_REDACT] = now_ms() - t;
    if (rc != CS_OK) return rc;

    t = now_ms();
    if (o.generator && o.generator->generate) {
        out->mode = CS_MODE_MODEL;
        rc = model_step(&o, out);
    } else {
        out->mode = CS_MODE_EXTRACTIVE;
        rc = cs_extractive_summarize(out->doc, o.extractive, &out->summary);
    }
    out->timings_ms[CS_STEP_SUMMARIZE] = now_ms() - t;
    if (rc != CS_OK) return rc;

    t = now_ms();
    char *src = document_text(out->doc);
    char *sum = out->mode == CS_MODE_MODEL ? NULL : cs_summary_to_text(&out->summary);
    if (!src || (out->mode != CS_MODE_MODEL && !sum)) rc = CS_ERR_NOMEM;
    else rc = cs_faithful_check(out->mode == CS_MODE_MODEL ? out->model_text : sum, src, &out->flags);
    free(src);
    free(sum);
    out->timings_ms[CS_STEP_CHECK] = now_ms() - t;
    out->total_ms = now_ms() - t0;
    return rc;
}

void cs_pipeline_result_free(cs_pipeline_result *r)
{
    if (!r) return;
    cs_document_free(r->doc);
    cs_summary_free(&r->summary);
    free(r->model_text);
    cs_flag_list_free(&r->flags);
    memset(r, 0, sizeof *r);
}
