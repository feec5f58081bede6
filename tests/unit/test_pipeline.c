/* The pipeline (extractive and through a mock model), prompts, and the
 * Markdown / JSON / FHIR renderings. */
#include "cs_err.h"
#include "cs_fileio.h"
#include "cs_parse.h"
#include "pipeline.h"
#include "prompt.h"
#include "summary_format.h"

#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t *sample(size_t *len)
{
    uint8_t *d;
    cr_assert_eq(cs_read_file(CS_SOURCE_DIR "/samples/discharge_summary.txt", 1 << 20, &d, len), CS_OK);
    return d;
}

/* ------------------------------------------------------------ prompts */

Test(prompt, styles_and_templates)
{
    cr_assert_eq(cs_style_parse("handoff"), CS_STYLE_HANDOFF);
    cr_assert_eq(cs_style_parse("patient"), CS_STYLE_PATIENT);
    cr_assert_eq(cs_style_parse("poem"), -1);
    cr_assert_str_eq(cs_style_name(CS_STYLE_BRIEF), "brief");
    for (int s = 0; s < 3; s++)
        cr_assert(strstr(cs_prompt_system((cs_summary_style)s), "Use only facts stated in the document"));
    cr_assert(strstr(cs_prompt_system(CS_STYLE_BRIEF), "five"));
    cr_assert(strstr(cs_prompt_system(CS_STYLE_HANDOFF), "Medications"));
    cr_assert(strstr(cs_prompt_system(CS_STYLE_PATIENT), "plain"));
    cr_assert_eq(cs_prompt_estimate_tokens("abcdefgh", 8), 2);
    char *parts[] = {"- a", "- b"};
    char *c = cs_prompt_combine(CS_STYLE_BRIEF, parts, 2);
    cr_assert(strstr(c, "### Part 2\n- b"));
    free(c);
}

static cs_document *sample_doc(void)
{
    size_t n;
    uint8_t *d = sample(&n);
    cs_document *doc;
    cr_assert_eq(cs_parse(d, n, NULL, &doc), CS_OK);
    free(d);
    return doc;
}

Test(prompt, whole_document_when_it_fits)
{
    cs_document *doc = sample_doc();
    cs_prompt_plan p;
    cr_assert_eq(cs_prompt_build(doc, CS_STYLE_BRIEF, 100000, NULL, NULL, &p), CS_OK);
    cr_assert_eq(p.n_parts, 1);
    cr_assert(strstr(p.user[0], "## DISCHARGE MEDICATIONS\n1. Furosemide"));
    cs_prompt_plan_free(&p);
    cr_assert_eq(cs_prompt_build(doc, CS_STYLE_BRIEF, 50, NULL, NULL, &p), CS_ERR_LIMIT);
    cs_document_free(doc);
}

/* A counter that counts words, to check budgets with a different tokenizer. */
static size_t words(void *ctx, const char *t, size_t n)
{
    (*(int *)ctx)++;
    size_t w = 0;
    for (size_t i = 0; i < n; i++) w += (t[i] != ' ' && t[i] != '\n') && (i == 0 || t[i - 1] == ' ' || t[i - 1] == '\n');
    return w;
}

Test(prompt, long_document_split_within_budget_losing_nothing)
{
    cs_document *doc = sample_doc();
    cs_prompt_plan p;
    int calls = 0;
    size_t budget = 260;
    cr_assert_eq(cs_prompt_build(doc, CS_STYLE_HANDOFF, budget, words, &calls, &p), CS_OK);
    cr_assert_gt(calls, 0);
    cr_assert_gt(p.n_parts, 2);
    size_t sys = words(&calls, p.system, strlen(p.system));
    for (size_t i = 0; i < p.n_parts; i++) {
        cr_assert_leq(sys + words(&calls, p.user[i], strlen(p.user[i])), budget, "part %zu", i);
        char head[64];
        snprintf(head, sizeof head, "part %zu of %zu", i + 1, p.n_parts);
        cr_assert(strstr(p.user[i], head));
    }
    /* every section's last words appear in some part */
    for (size_t s = 0; s < doc->n_sections; s++) {
        const char *t = doc->sections[s].text;
        size_t n = doc->sections[s].text_len;
        const char *tail = n > 12 ? t + n - 12 : t;
        int found = 0;
        for (size_t i = 0; i < p.n_parts && !found; i++) found = strstr(p.user[i], tail) != NULL;
        cr_assert(found, "section %zu lost", s);
    }
    cs_prompt_plan_free(&p);
    cs_document_free(doc);
}

/* ------------------------------------------------------------ pipeline */

Test(pipeline, extractive_sample)
{
    size_t n;
    uint8_t *d = sample(&n);
    cs_pipeline_options o = {.allow_unredacted = 1};
    cs_pipeline_result r;
    cr_assert_eq(cs_pipeline_run(d, n, &o, &r), CS_OK);
    cr_assert_eq(r.mode, CS_MODE_EXTRACTIVE);
    cr_assert_eq(r.flags.n, 0, "extractive text is all in the source");
    cr_assert_gt(r.flags.checked, 10);
    cr_assert_gt(cs_summary_item_count(&r.summary), 10);
    cr_assert_geq(r.total_ms, r.timings_ms[CS_STEP_SUMMARIZE]);
    cr_assert_eq(r.redacted, cs_pipeline_has_redaction());
    if (r.redacted) {
        char *t = cs_summary_to_text(&r.summary);
        cr_assert(!strstr(t, "Brennigan") && !strstr(t, "555-0198"), "identifiers left: %s", t);
        free(t);
        cr_assert_not_null(cs_pipeline_category_name(0));
    }
    cr_assert_null(r.doc->author);
    cr_assert_eq(r.doc->identity.names.n, 0);
    cs_pipeline_result_free(&r);
    cr_assert_null(r.doc);
    free(d);
}

Test(pipeline, shared_redactor_gives_the_same_result)
{
    size_t n;
    uint8_t *d = sample(&n);
    struct cs_redactor *red = NULL;
    int rc = cs_pipeline_redactor_new(&red);
    if (!cs_pipeline_has_redaction()) {
        cr_assert_eq(rc, CS_ERR_UNSUPPORTED);
        cr_assert_null(red);
        free(d);
        return;
    }
    cr_assert_eq(rc, CS_OK);
    cs_pipeline_options shared = {.redactor = red}, own = {0};
    cs_pipeline_result a, b;
    cr_assert_eq(cs_pipeline_run(d, n, &shared, &a), CS_OK);
    cr_assert_eq(cs_pipeline_run(d, n, &own, &b), CS_OK);
    char *ta = cs_summary_to_text(&a.summary), *tb = cs_summary_to_text(&b.summary);
    cr_assert_str_eq(ta, tb);
    cr_assert_eq(a.redaction[0], b.redaction[0]);
    free(ta); free(tb);
    cs_pipeline_result_free(&a);
    cs_pipeline_result_free(&b);
    cs_pipeline_redactor_free(red);
    free(d);
}

Test(pipeline, errors_and_names)
{
    cs_pipeline_result r;
    cr_assert_eq(cs_pipeline_run((const uint8_t *)"", 0, NULL, &r), CS_ERR_EMPTY);
    cs_pipeline_result_free(&r);
    cr_assert_str_eq(cs_pipeline_step_name(CS_STEP_REDACT), "redact");
    cr_assert_str_eq(cs_pipeline_step_name(CS_STEP_CHECK), "check");
    cr_assert_null(cs_pipeline_category_name(999));
    if (!cs_pipeline_has_redaction()) {
        cs_pipeline_options o = {0};
        cr_assert_eq(cs_pipeline_run((const uint8_t *)"Note: text", 10, &o, &r), CS_ERR_UNSUPPORTED);
        cs_pipeline_result_free(&r);
    }
}

Test(pipeline, summary_from_model_text)
{
    cs_summary s = {0};
    cr_assert_eq(cs_summary_from_text("Intro line\n## Plan\n- follow up\n* labs\n\n# Meds\naspirin", &s), CS_OK);
    cr_assert_eq(s.n_sections, 3);
    cr_assert_str_eq(s.sections[0].heading, "Summary");
    cr_assert_str_eq(s.sections[1].heading, "Plan");
    cr_assert_str_eq(s.sections[1].items[1], "labs");
    cr_assert_str_eq(s.sections[2].items[0], "aspirin");
    cs_summary_free(&s);
}

/* A mock model: replies with a fixed text, one word per token, recording
 * what it was asked; cancels when the callback says so. */
typedef struct {
    const char *reply;
    int calls;
    size_t max_user;
    int saw_name;
} mock;

static int mock_generate(void *ctx, const char *system, const char *user, size_t max_new,
                         cs_token_callback on_token, void *cb_ctx, char **out)
{
    mock *m = ctx;
    (void)system; (void)max_new;
    m->calls++;
    if (strlen(user) > m->max_user) m->max_user = strlen(user);
    if (strstr(user, "Brennigan")) m->saw_name = 1;
    for (const char *p = m->reply; on_token && *p;) {
        const char *e = strchr(p, ' ');
        size_t n = e ? (size_t)(e - p) + 1 : strlen(p);
        if (on_token(cb_ctx, p, n)) return CS_ERR_CANCELLED;
        p += n;
    }
    *out = strdup(m->reply);
    return *out ? CS_OK : CS_ERR_NOMEM;
}

static int collect(void *ctx, const char *piece, size_t n)
{
    strncat((char *)ctx, piece, n);
    return 0;
}

static int cancel_after_two(void *ctx, const char *piece, size_t n)
{
    (void)piece; (void)n;
    return ++*(int *)ctx >= 2;
}

Test(pipeline, model_path_streams_checks_and_cancels)
{
    size_t n;
    uint8_t *d = sample(&n);
    mock m = {.reply = "## Plan\n- Furosemide 40 mg twice daily.\n- Warfarin 5 mg for pneumonia on 04/01/2025."};
    cs_generator g = {.ctx = &m, .context_tokens = 4096, .max_new_tokens = 256, .generate = mock_generate, .name = "mock"};
    char streamed[512] = "";
    cs_pipeline_options o = {.style = CS_STYLE_HANDOFF, .generator = &g, .on_token = collect,
                             .on_token_ctx = streamed, .allow_unredacted = 1};
    cs_pipeline_result r;
    cr_assert_eq(cs_pipeline_run(d, n, &o, &r), CS_OK);
    cr_assert_eq(r.mode, CS_MODE_MODEL);
    cr_assert_str_eq(streamed, m.reply);
    cr_assert_str_eq(r.model_text, m.reply);
    cr_assert_eq(r.model_parts, 1);
    /* planted: warfarin, 5 mg, pneumonia, the date */
    cr_assert_eq(r.flags.n, 4, "flags: %zu", r.flags.n);
    if (cs_pipeline_has_redaction()) cr_assert_eq(m.saw_name, 0, "the model saw an identifier");
    char *md = cs_format_markdown(&r, CS_STYLE_HANDOFF, NULL);
    cr_assert(strstr(md, "Not found in the source (4)"));
    free(md);
    cs_pipeline_result_free(&r);

    /* a small context: the document goes section by section, then combined */
    m.calls = 0;
    m.max_user = 0;
    g.context_tokens = 600;
    g.max_new_tokens = 128;
    streamed[0] = '\0';
    cr_assert_eq(cs_pipeline_run(d, n, &o, &r), CS_OK);
    cr_assert_gt(r.model_parts, 1);
    cr_assert_eq((size_t)m.calls, r.model_parts + 1);
    cr_assert_leq(cs_prompt_estimate_tokens(NULL, m.max_user), 600 - 128);
    cs_pipeline_result_free(&r);

    /* cancel */
    int count = 0;
    g.context_tokens = 4096;
    o.on_token = cancel_after_two;
    o.on_token_ctx = &count;
    cr_assert_eq(cs_pipeline_run(d, n, &o, &r), CS_ERR_CANCELLED);
    cs_pipeline_result_free(&r);
    free(d);
}

/* ------------------------------------------------------------ formats */

Test(format, markdown_json_fhir)
{
    size_t n;
    uint8_t *d = sample(&n);
    cs_pipeline_options o = {.allow_unredacted = 1};
    cs_pipeline_result r;
    cr_assert_eq(cs_pipeline_run(d, n, &o, &r), CS_OK);
    free(d);
    cr_assert_eq(cs_output_format_parse("fhir"), CS_OUT_FHIR);
    cr_assert_eq(cs_output_format_parse("md"), CS_OUT_MARKDOWN);
    cr_assert_eq(cs_output_format_parse("pdf"), -1);

    char *md = cs_format_markdown(&r, CS_STYLE_HANDOFF, "a note");
    cr_assert(strstr(md, "## Medications\n\n- Furosemide 40 mg"));
    cr_assert(strstr(md, "> a note"));
    char *body = cs_summary_markdown(&r.summary);
    cr_assert(strstr(md, body));
    free(body);
    free(md);

    char *js = cs_format_json(&r, CS_STYLE_BRIEF, NULL);
    cJSON *o2 = cJSON_Parse(js);
    cr_assert_not_null(o2);
    cr_assert(cJSON_IsString(cJSON_GetObjectItem(o2, "summary")));
    cr_assert_str_eq(cJSON_GetObjectItem(o2, "mode")->valuestring, "extractive");
    cr_assert(cJSON_IsArray(cJSON_GetObjectItem(o2, "flags")));
    cr_assert(cJSON_IsObject(cJSON_GetObjectItem(o2, "redaction")));
    cJSON *tm = cJSON_GetObjectItem(o2, "timings_ms");
    cr_assert(cJSON_IsNumber(cJSON_GetObjectItem(tm, "summarize")));
    cr_assert(cJSON_IsNumber(cJSON_GetObjectItem(tm, "total")));
    cr_assert_gt(cJSON_GetArraySize(cJSON_GetObjectItem(o2, "sections_used")), 3);
    cJSON_Delete(o2);
    free(js);

    char *fh = cs_format_result(CS_OUT_FHIR, &r, CS_STYLE_HANDOFF, NULL);
    cJSON *c = cJSON_Parse(fh);
    cr_assert_str_eq(cJSON_GetObjectItem(c, "resourceType")->valuestring, "Composition");
    cr_assert_str_eq(cJSON_GetObjectItem(c, "status")->valuestring, "preliminary");
    cJSON *secs = cJSON_GetObjectItem(c, "section");
    cr_assert_gt(cJSON_GetArraySize(secs), 3);
    const char *div = cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(secs, 1), "text"), "div")->valuestring;
    cr_assert(!strncmp(div, "<div xmlns=\"http://www.w3.org/1999/xhtml\">", 42));
    cJSON_Delete(c);
    free(fh);
    cs_pipeline_result_free(&r);
}
