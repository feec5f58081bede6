/*
 * wasm_web.c: the browser app's entry points into the C core (WASM only).
 *
 * ui/worker.js loads this module (clinsum_web.js + .wasm, built by `make
 * wasm` into build/wasm/web/) in a Web Worker and calls the functions below
 * with ccall/cwrap.  The page never parses, redacts or summarizes in
 * JavaScript: these call the same parsers, redactor and pipeline as the CLI
 * (app/pipeline.c, app/summary_format.c), so the page shows what `clinsum
 * parse`, `clinsum redact` and `clinsum summarize --extractive` print.
 *
 * Every entry point takes the document's raw bytes (as read from the file)
 * and returns one malloc'd, NUL-terminated JSON object:
 *   {"ok": true, ...}                         on success
 *   {"ok": false, "error": "...", "code": N}  on failure (cs_err code and
 *                                             its message, never document text)
 * and NULL only when even that could not be allocated.
 *
 *   cs_web_parse(data, len, name)   {"ok", "name", "format", "kind", "title",
 *                                    "encoding", "sections": [{"title",
 *                                    "code", "depth", "text"}]}
 *   cs_web_redact(data, len)        {"ok", "mode": "mask", "categories":
 *                                    ["NAME", ...], "counts": {CATEGORY: n}
 *                                    (every category, zeros too), "n_spans",
 *                                    "sections": [{"spans": [{"start", "end",
 *                                    "category"}], "redacted": "...",
 *                                    "title_spans": [...], "title_redacted"}]}
 *                                    one entry per parsed section, in order;
 *                                    start/end are offsets into that section's
 *                                    ORIGINAL text (title_spans: its title) in
 *                                    UTF-16 code units (what JavaScript string
 *                                    indices count).  The counts are those of
 *                                    the section texts, as the pipeline's.
 *   cs_web_summarize(data, len, style)
 *                                   {"ok", "markdown": cs_format_markdown(),
 *                                    "json": cs_format_json() as a string}
 *                                    extractive, redacted first; style is
 *                                    "brief" | "handoff" | "patient" or NULL
 *                                    (handoff, as the CLI).
 *
 * Memory (caller frees): the caller copies the bytes into a buffer from
 * cs_web_alloc(len) (never NULL for len 0), passes it, and releases it and
 * every returned string with cs_web_free().  Nothing here keeps a pointer
 * to the caller's buffer after returning.  `name` is the file name the user
 * picked, echoed back only (formats are detected from the content).
 *
 * Declarations for callers in C (the native unit test): app/wasm_web.h.
 *
 * State: cs_web_init() sets up the XML library and compiles the redactor
 * once (a few ms); the other calls do it on first use if it was not called.
 * Single-threaded: one worker owns the module.  Nothing is logged.
 */
#include "wasm_web.h"

#include "cs_err.h"
#include "cs_parse.h"
#include "cs_redact.h"
#include "pipeline.h"
#include "prompt.h"
#include "summary_format.h"

#include <cjson/cJSON.h>
#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>
#else /* built natively only by its unit test (tests/unit/test_web_api.c) */
#define EMSCRIPTEN_KEEPALIVE
#endif

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static cs_redactor *g_redactor; /* compiled once, shared by every call */

EMSCRIPTEN_KEEPALIVE int cs_web_init(void)
{
    cs_parse_init();
    return g_redactor ? CS_OK : cs_redactor_new(&g_redactor);
}

EMSCRIPTEN_KEEPALIVE void *cs_web_alloc(size_t n) { return malloc(n ? n : 1); }

EMSCRIPTEN_KEEPALIVE void cs_web_free(void *p) { free(p); }

/* ------------------------------------------------------------ results */

/* The object printed and freed; NULL when o is NULL or printing failed. */
static char *finish(cJSON *o)
{
    char *s = o ? cJSON_PrintUnformatted(o) : NULL;
    cJSON_Delete(o);
    return s;
}

static char *error_json(int rc)
{
    cJSON *o = cJSON_CreateObject();
    if (o && (!cJSON_AddFalseToObject(o, "ok") || !cJSON_AddStringToObject(o, "error", cs_strerror(rc)) ||
              !cJSON_AddNumberToObject(o, "code", rc))) {
        cJSON_Delete(o);
        return NULL;
    }
    return finish(o);
}

static cJSON *str_or_null(const char *s) { return s ? cJSON_CreateString(s) : cJSON_CreateNull(); }

static int parse_doc(const uint8_t *data, size_t len, cs_document **doc)
{
    int rc = cs_web_init();
    if (rc != CS_OK) return rc;
    if (!data && len) return CS_ERR_INVALID;
    return cs_parse(data ? data : (const uint8_t *)"", len, NULL, doc);
}

/* ------------------------------------------------------------ parse */

EMSCRIPTEN_KEEPALIVE char *cs_web_parse(const uint8_t *data, size_t len, const char *name)
{
    cs_document *doc = NULL;
    int rc = parse_doc(data, len, &doc);
    if (rc != CS_OK) return error_json(rc);
    cJSON *o = cJSON_CreateObject(), *secs = cJSON_CreateArray();
    int ok = o && secs && cJSON_AddTrueToObject(o, "ok") &&
             cJSON_AddItemToObject(o, "name", str_or_null(name)) &&
             cJSON_AddStringToObject(o, "format", cs_format_name(doc->format)) &&
             cJSON_AddItemToObject(o, "kind", str_or_null(doc->kind)) &&
             cJSON_AddItemToObject(o, "title", str_or_null(doc->title)) &&
             cJSON_AddItemToObject(o, "encoding", str_or_null(doc->encoding));
    if (ok) ok = cJSON_AddItemToObject(o, "sections", secs);
    else cJSON_Delete(secs);
    for (size_t i = 0; ok && i < doc->n_sections; i++) {
        const cs_section *s = &doc->sections[i];
        cJSON *so = cJSON_CreateObject();
        ok = so && cJSON_AddItemToArray(secs, so) && cJSON_AddStringToObject(so, "title", s->title) &&
             cJSON_AddItemToObject(so, "code", str_or_null(s->code)) &&
             cJSON_AddNumberToObject(so, "depth", s->depth) &&
             cJSON_AddStringToObject(so, "text", s->text);
        if (!so) break;
    }
    cs_document_free(doc);
    if (!ok) { cJSON_Delete(o); return error_json(CS_ERR_NOMEM); }
    return finish(o);
}

/* ------------------------------------------------------------ redact */

/* UTF-16 length of UTF-8 text[from..to): 2 units for 4-byte sequences,
 * 1 for every other lead byte, 0 for continuation bytes. */
static size_t utf16_units(const char *text, size_t from, size_t to)
{
    size_t n = 0;
    for (size_t i = from; i < to; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c & 0xC0) != 0x80) n += c >= 0xF0 ? 2 : 1;
    }
    return n;
}

static cJSON *spans_json(const cs_section *s, const cs_span_list *l)
{
    cJSON *a = cJSON_CreateArray();
    size_t byte = 0, unit = 0; /* spans are sorted: walk the text once */
    for (size_t i = 0; a && i < l->n; i++) {
        const cs_phi_span *p = &l->items[i];
        if (p->start < byte || p->end < p->start || p->end > s->text_len) { cJSON_Delete(a); return NULL; }
        size_t start = unit + utf16_units(s->text, byte, p->start);
        size_t end = start + utf16_units(s->text, p->start, p->end);
        byte = p->end;
        unit = end;
        cJSON *so = cJSON_CreateObject();
        if (!so) { cJSON_Delete(a); return NULL; }
        cJSON_AddItemToArray(a, so); /* a owns so from here */
        if (!cJSON_AddNumberToObject(so, "start", (double)start) || !cJSON_AddNumberToObject(so, "end", (double)end) ||
            !cJSON_AddStringToObject(so, "category", cs_phi_category_name(p->category))) {
            cJSON_Delete(a);
            return NULL;
        }
    }
    return a;
}

/* A section title is document text too (the CLI redacts it): add its spans
 * ("title_spans", UTF-16 offsets into the title) and "title_redacted". */
static int add_title(cJSON *so, const cs_section *s, const cs_identity *id, cs_redact_session *session)
{
    size_t n = strlen(s->title);
    cs_span_list l = {0};
    char *out = NULL;
    int rc = cs_redact_text(g_redactor, s->title, n, id, &l);
    if (rc == CS_OK) rc = cs_redact_apply(session, s->title, n, &l, &out, NULL);
    if (rc == CS_OK) {
        cs_section t = {.text = s->title, .text_len = n};
        cJSON *sp = spans_json(&t, &l);
        if (!sp || !cJSON_AddItemToObject(so, "title_spans", sp)) {
            cJSON_Delete(sp);
            rc = CS_ERR_NOMEM;
        } else if (!cJSON_AddStringToObject(so, "title_redacted", out)) {
            rc = CS_ERR_NOMEM;
        }
    }
    free(out);
    cs_span_list_free(&l);
    return rc;
}

EMSCRIPTEN_KEEPALIVE char *cs_web_redact(const uint8_t *data, size_t len)
{
    cs_document *doc = NULL;
    int rc = parse_doc(data, len, &doc);
    if (rc != CS_OK) return error_json(rc);
    cs_redacted_doc rd;
    cs_redact_opts ro = {.mode = CS_REDACT_MASK}; /* what the pipeline applies */
    rc = cs_redact_document(g_redactor, doc, &ro, &rd);
    if (rc != CS_OK) { cs_document_free(doc); return error_json(rc); }

    cJSON *o = cJSON_CreateObject(), *cats = cJSON_CreateArray(), *counts = cJSON_CreateObject(),
          *secs = cJSON_CreateArray();
    cs_redact_session *session = cs_redact_session_new(&ro); /* for the titles */
    int ok = session && o && cJSON_AddTrueToObject(o, "ok") && cJSON_AddStringToObject(o, "mode", "mask");
    ok = ok && cats && cJSON_AddItemToObject(o, "categories", cats);
    if (!ok) cJSON_Delete(cats);
    ok = ok && counts && cJSON_AddItemToObject(o, "counts", counts);
    if (!ok) cJSON_Delete(counts);
    ok = ok && cJSON_AddNumberToObject(o, "n_spans", (double)rd.n_spans);
    ok = ok && secs && cJSON_AddItemToObject(o, "sections", secs);
    if (!ok) cJSON_Delete(secs);
    for (int c = 0; ok && c < CS_PHI_COUNT; c++) {
        const char *name = cs_phi_category_name((cs_phi_category)c);
        cJSON *n = cJSON_CreateString(name);
        ok = n && cJSON_AddItemToArray(cats, n) && cJSON_AddNumberToObject(counts, name, (double)rd.counts[c]);
        if (!n) break;
    }
    for (size_t i = 0; ok && i < rd.n_sections && i < doc->n_sections; i++) {
        cJSON *so = cJSON_CreateObject();
        ok = so && cJSON_AddItemToArray(secs, so);
        if (!ok) { cJSON_Delete(so); break; }
        cJSON *sp = spans_json(&doc->sections[i], &rd.section_spans[i]);
        ok = sp && cJSON_AddItemToObject(so, "spans", sp);
        if (!ok) { cJSON_Delete(sp); break; }
        ok = cJSON_AddStringToObject(so, "redacted", rd.section_text[i]) != NULL;
        if (ok) ok = add_title(so, &doc->sections[i], &doc->identity, session) == CS_OK;
    }
    cs_redact_session_free(session);
    cs_redacted_doc_free(&rd);
    cs_document_free(doc);
    if (!ok) { cJSON_Delete(o); return error_json(CS_ERR_NOMEM); }
    return finish(o);
}

/* ------------------------------------------------------------ summarize */

#define WEB_NOTE "Extractive summary (every line is taken from the document), made in this browser."

EMSCRIPTEN_KEEPALIVE char *cs_web_summarize(const uint8_t *data, size_t len, const char *style_name)
{
    int rc = cs_web_init();
    if (rc != CS_OK) return error_json(rc);
    int style = style_name && *style_name ? cs_style_parse(style_name) : CS_STYLE_HANDOFF;
    if (style < 0) return error_json(CS_ERR_INVALID);
    if (!data && len) return error_json(CS_ERR_INVALID);
    cs_pipeline_options opt = {.redactor = g_redactor, .style = (cs_summary_style)style};
    cs_pipeline_result res;
    rc = cs_pipeline_run(data ? data : (const uint8_t *)"", len, &opt, &res);
    if (rc != CS_OK) { cs_pipeline_result_free(&res); return error_json(rc); }
    char *md = cs_format_markdown(&res, (cs_summary_style)style, WEB_NOTE);
    char *js = cs_format_json(&res, (cs_summary_style)style, WEB_NOTE);
    cs_pipeline_result_free(&res);
    cJSON *o = md && js ? cJSON_CreateObject() : NULL;
    int ok = o && cJSON_AddTrueToObject(o, "ok") && cJSON_AddStringToObject(o, "markdown", md) &&
             cJSON_AddStringToObject(o, "json", js);
    free(md);
    free(js);
    if (!ok) { cJSON_Delete(o); return error_json(CS_ERR_NOMEM); }
    return finish(o);
}
