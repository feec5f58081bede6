/* summary_format.c: Markdown, JSON and FHIR renderings (see summary_format.h). */
#include "summary_format.h"
#include "cs_buf.h"
#include "cs_err.h"

#include <cjson/cJSON.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>

int cs_output_format_parse(const char *name)
{
    if (!name) return -1;
    if (!strcmp(name, "md") || !strcmp(name, "markdown")) return CS_OUT_MARKDOWN;
    if (!strcmp(name, "json")) return CS_OUT_JSON;
    if (!strcmp(name, "fhir")) return CS_OUT_FHIR;
    return -1;
}

/* ------------------------------------------------------------ markdown */

static int md_body(cs_buf *b, const cs_summary *s)
{
    int rc = CS_OK;
    if (s->reason) rc = cs_buf_printf(b, "**Reason:** %s\n\n", s->reason);
    for (size_t i = 0; i < s->n_sections && rc == CS_OK; i++) {
        const cs_summary_section *sec = &s->sections[i];
        if (!sec->n_items) continue;
        rc = cs_buf_printf(b, "## %s\n\n", sec->heading);
        for (size_t j = 0; j < sec->n_items && rc == CS_OK; j++)
            rc = cs_buf_printf(b, "- %s\n", sec->items[j]);
        if (rc == CS_OK) rc = cs_buf_putc(b, '\n');
    }
    return rc;
}

char *cs_summary_markdown(const cs_summary *s)
{
    cs_buf b = {0};
    if (md_body(&b, s) != CS_OK) { cs_buf_free(&b); return NULL; }
    return cs_buf_take(&b);
}

char *cs_format_markdown(const cs_pipeline_result *r, cs_summary_style style, const char *note)
{
    cs_buf b = {0};
    int rc = cs_buf_printf(&b, "# Clinical summary\n\n*%s%s%s*\n\n",
                           r->summary.kind ? r->summary.kind : "clinical document",
                           r->mode == CS_MODE_MODEL ? " · model summary, style " : " · extractive summary",
                           r->mode == CS_MODE_MODEL ? cs_style_name(style) : "");
    if (rc == CS_OK && r->mode == CS_MODE_MODEL && r->model_text) {
        rc = cs_buf_puts(&b, r->model_text);
        if (rc == CS_OK) rc = cs_buf_puts(&b, "\n\n");
    } else if (rc == CS_OK) {
        rc = md_body(&b, &r->summary);
    }
    if (rc == CS_OK && r->flags.n) {
        rc = cs_buf_printf(&b, "## Not found in the source (%zu) - check before use\n\n", r->flags.n);
        for (size_t i = 0; i < r->flags.n && rc == CS_OK; i++)
            rc = cs_buf_printf(&b, "- %s: %s\n", cs_fact_kind_name(r->flags.items[i].kind), r->flags.items[i].text);
        if (rc == CS_OK) rc = cs_buf_putc(&b, '\n');
    }
    if (rc == CS_OK && !r->redacted) rc = cs_buf_puts(&b, "> Warning: identifiers were NOT removed (no redaction in this build).\n\n");
    if (rc == CS_OK && note) rc = cs_buf_printf(&b, "> %s\n", note);
    if (rc != CS_OK) { cs_buf_free(&b); return NULL; }
    return cs_buf_take(&b);
}

/* ------------------------------------------------------------ json */

static cJSON *json_object(const cs_pipeline_result *r, cs_summary_style style, const char *note)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    char *md = r->mode == CS_MODE_MODEL ? NULL : cs_summary_markdown(&r->summary);
    int ok = r->mode == CS_MODE_MODEL || md;
    ok = ok && cJSON_AddStringToObject(o, "summary", r->mode == CS_MODE_MODEL ? (r->model_text ? r->model_text : "") : md);
    free(md);
    ok = ok && cJSON_AddStringToObject(o, "mode", r->mode == CS_MODE_MODEL ? "model" : "extractive");
    ok = ok && cJSON_AddStringToObject(o, "style", cs_style_name(style));
    ok = ok && (r->summary.kind ? cJSON_AddStringToObject(o, "kind", r->summary.kind) : cJSON_AddNullToObject(o, "kind"));
    ok = ok && (r->summary.reason ? cJSON_AddStringToObject(o, "reason", r->summary.reason) : cJSON_AddNullToObject(o, "reason"));
    cJSON *secs = ok ? cJSON_AddArrayToObject(o, "sections") : NULL;
    for (size_t i = 0; secs && i < r->summary.n_sections && ok; i++) {
        const cs_summary_section *s = &r->summary.sections[i];
        if (!s->n_items) continue;
        cJSON *js = cJSON_CreateObject();
        ok = js && cJSON_AddItemToArray(secs, js);
        ok = ok && cJSON_AddStringToObject(js, "heading", s->heading);
        ok = ok && (s->code ? cJSON_AddStringToObject(js, "code", s->code) : cJSON_AddNullToObject(js, "code"));
        cJSON *items = ok ? cJSON_AddArrayToObject(js, "items") : NULL;
        for (size_t j = 0; items && j < s->n_items && ok; j++) {
            cJSON *it = cJSON_CreateString(s->items[j]);
            ok = it && cJSON_AddItemToArray(items, it);
        }
        ok = ok && items;
    }
    ok = ok && secs;
    cJSON *used = ok ? cJSON_AddArrayToObject(o, "sections_used") : NULL;
    for (size_t i = 0; used && i < r->summary.n_used && ok; i++) {
        size_t k = r->summary.used[i];
        if (!r->doc || k >= r->doc->n_sections) continue;
        const cs_section *s = &r->doc->sections[k];
        cJSON *ju = cJSON_CreateObject();
        ok = ju && cJSON_AddItemToArray(used, ju);
        ok = ok && cJSON_AddStringToObject(ju, "title", s->title);
        ok = ok && (s->code ? cJSON_AddStringToObject(ju, "code", s->code) : cJSON_AddNullToObject(ju, "code"));
    }
    ok = ok && used;
    cJSON *flags = ok ? cJSON_AddArrayToObject(o, "flags") : NULL;
    for (size_t i = 0; flags && i < r->flags.n && ok; i++) {
        cJSON *f = cJSON_CreateObject();
        ok = f && cJSON_AddItemToArray(flags, f);
        ok = ok && cJSON_AddStringToObject(f, "kind", cs_fact_kind_name(r->flags.items[i].kind));
        ok = ok && cJSON_AddStringToObject(f, "text", r->flags.items[i].text);
    }
    ok = ok && flags;
    ok = ok && cJSON_AddNumberToObject(o, "flag_count", (double)r->flags.n);
    ok = ok && cJSON_AddNumberToObject(o, "facts_checked", (double)r->flags.checked);
    cJSON *red = ok ? cJSON_AddObjectToObject(o, "redaction") : NULL;
    for (size_t i = 0; red && i < r->n_categories && ok; i++) {
        const char *name = cs_pipeline_category_name(i);
        if (name) ok = cJSON_AddNumberToObject(red, name, (double)r->redaction[i]) != NULL;
    }
    ok = ok && red;
    ok = ok && cJSON_AddBoolToObject(o, "redaction_applied", r->redacted);
    cJSON *tm = ok ? cJSON_AddObjectToObject(o, "timings_ms") : NULL;
    for (int i = 0; tm && i < CS_STEP_COUNT && ok; i++)
        ok = cJSON_AddNumberToObject(tm, cs_pipeline_step_name((cs_pipeline_step)i), r->timings_ms[i]) != NULL;
    ok = ok && tm && cJSON_AddNumberToObject(tm, "total", r->total_ms);
    ok = ok && (note ? cJSON_AddStringToObject(o, "note", note) : cJSON_AddNullToObject(o, "note"));
    if (!ok) { cJSON_Delete(o); return NULL; }
    return o;
}

char *cs_format_json(const cs_pipeline_result *r, cs_summary_style style, const char *note)
{
    cJSON *o = json_object(r, style, note);
    if (!o) return NULL;
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}

/* ------------------------------------------------------------ fhir */

static cJSON *coding(const char *system, const char *code, const char *display)
{
    cJSON *cc = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(cc, "coding"), *c = cJSON_CreateObject();
    if (!cc || !arr || !c) { cJSON_Delete(cc); cJSON_Delete(c); return NULL; }
    cJSON_AddItemToArray(arr, c);
    cJSON_AddStringToObject(c, "system", system);
    cJSON_AddStringToObject(c, "code", code);
    if (display) cJSON_AddStringToObject(c, "display", display);
    return cc;
}

static cJSON *narrative(const char *heading, char *const *items, size_t n, const char *para)
{
    cs_buf b = {0};
    int rc = cs_buf_puts(&b, "<div xmlns=\"http://www.w3.org/1999/xhtml\">");
    if (rc == CS_OK && heading) { rc = cs_buf_puts(&b, "<h2>"); if (!rc) rc = cs_buf_put_html_escaped(&b, heading); if (!rc) rc = cs_buf_puts(&b, "</h2>"); }
    if (rc == CS_OK && para) { rc = cs_buf_puts(&b, "<p>"); if (!rc) rc = cs_buf_put_html_escaped(&b, para); if (!rc) rc = cs_buf_puts(&b, "</p>"); }
    if (rc == CS_OK && n) rc = cs_buf_puts(&b, "<ul>");
    for (size_t i = 0; i < n && rc == CS_OK; i++) {
        rc = cs_buf_puts(&b, "<li>");
        if (rc == CS_OK) rc = cs_buf_put_html_escaped(&b, items[i]);
        if (rc == CS_OK) rc = cs_buf_puts(&b, "</li>");
    }
    if (rc == CS_OK && n) rc = cs_buf_puts(&b, "</ul>");
    if (rc == CS_OK) rc = cs_buf_puts(&b, "</div>");
    if (rc != CS_OK) { cs_buf_free(&b); return NULL; }
    cJSON *t = cJSON_CreateObject();
    if (t) {
        cJSON_AddStringToObject(t, "status", "generated");
        cJSON_AddStringToObject(t, "div", b.data);
    }
    cs_buf_free(&b);
    return t;
}

char *cs_format_fhir(const cs_pipeline_result *r, cs_summary_style style, const char *note)
{
    (void)style;
    cJSON *c = cJSON_CreateObject();
    if (!c) return NULL;
    cJSON_AddStringToObject(c, "resourceType", "Composition");
    cJSON_AddStringToObject(c, "status", "preliminary");
    cJSON_AddItemToObject(c, "type", coding("http://loinc.org", "34133-9", "Summary of episode note"));
    char date[32];
    time_t now = time(NULL);
    struct tm tmv;
    gmtime_r(&now, &tmv);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tmv);
    cJSON_AddStringToObject(c, "date", date);
    cJSON *authors = cJSON_AddArrayToObject(c, "author"), *a = cJSON_CreateObject();
    cJSON_AddItemToArray(authors, a);
    cJSON_AddStringToObject(a, "display", r->mode == CS_MODE_MODEL ? "clinsum (local language model)" : "clinsum (extractive summarizer)");
    cJSON_AddStringToObject(c, "title", r->summary.kind ? r->summary.kind : "Clinical summary");
    if (note || r->flags.n) {
        cs_buf b = {0};
        if (note) cs_buf_puts(&b, note);
        if (r->flags.n) cs_buf_printf(&b, "%s%zu item(s) not found in the source document.", note ? " " : "", r->flags.n);
        cJSON *ext = cJSON_AddArrayToObject(c, "extension"), *e = cJSON_CreateObject();
        cJSON_AddItemToArray(ext, e);
        cJSON_AddStringToObject(e, "url", "urn:clinsum:note");
        cJSON_AddStringToObject(e, "valueString", b.data ? b.data : "");
        cs_buf_free(&b);
    }
    cJSON *sections = cJSON_AddArrayToObject(c, "section");
    if (r->mode == CS_MODE_MODEL) {
        cJSON *s = cJSON_CreateObject();
        cJSON_AddItemToArray(sections, s);
        cJSON_AddStringToObject(s, "title", "Summary");
        cJSON_AddItemToObject(s, "text", narrative(NULL, NULL, 0, r->model_text ? r->model_text : ""));
    } else {
        if (r->summary.reason) {
            cJSON *s = cJSON_CreateObject();
            cJSON_AddItemToArray(sections, s);
            cJSON_AddStringToObject(s, "title", "Reason for visit");
            cJSON_AddItemToObject(s, "code", coding("http://loinc.org", "29299-5", NULL));
            cJSON_AddItemToObject(s, "text", narrative(NULL, NULL, 0, r->summary.reason));
        }
        for (size_t i = 0; i < r->summary.n_sections; i++) {
            const cs_summary_section *ss = &r->summary.sections[i];
            if (!ss->n_items || (r->summary.reason && ss->code && !strcmp(ss->code, "29299-5"))) continue;
            cJSON *s = cJSON_CreateObject();
            cJSON_AddItemToArray(sections, s);
            cJSON_AddStringToObject(s, "title", ss->heading);
            if (ss->code) cJSON_AddItemToObject(s, "code", coding("http://loinc.org", ss->code, NULL));
            cJSON_AddItemToObject(s, "text", narrative(NULL, ss->items, ss->n_items, NULL));
        }
    }
    char *out = cJSON_Print(c);
    cJSON_Delete(c);
    return out;
}

char *cs_format_result(cs_output_format f, const cs_pipeline_result *r, cs_summary_style style,
                       const char *note)
{
    switch (f) {
    case CS_OUT_JSON: return cs_format_json(r, style, note);
    case CS_OUT_FHIR: return cs_format_fhir(r, style, note);
    default: return cs_format_markdown(r, style, note);
    }
}
