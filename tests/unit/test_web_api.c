/* The browser module's entry points (app/wasm_web.c), compiled natively:
 * the JSON contract ui/worker.js relies on, spans in UTF-16 units past
 * multi-byte characters, errors without document text, and (under ASan)
 * no leaks in the JSON building. */
#include "wasm_web.h"

#include "cs_err.h"
#include "cs_parse.h"
#include "cs_test_files.h"
#include "pipeline.h"
#include "summary_format.h"

#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

/* Call returned JSON -> parsed object (the string is freed). */
static cJSON *json_of(char *s)
{
    cr_assert_not_null(s);
    cJSON *o = cJSON_Parse(s);
    cr_assert_not_null(o, "not JSON: %.200s", s);
    cs_web_free(s);
    return o;
}

static int is_ok(const cJSON *o) { return cJSON_IsTrue(cJSON_GetObjectItem(o, "ok")); }
static const char *str(const cJSON *o, const char *k) { return cJSON_GetStringValue(cJSON_GetObjectItem(o, k)); }
static double num(const cJSON *o, const char *k) { return cJSON_GetNumberValue(cJSON_GetObjectItem(o, k)); }

static char *sample(const char *name, size_t *n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/samples/%s", CS_SOURCE_DIR, name);
    char *d = cs_test_slurp(path, n);
    cr_assert_not_null(d, "%s", path);
    return d;
}

Test(web_api, init_and_alloc)
{
    cr_assert_eq(cs_web_init(), CS_OK);
    cr_assert_eq(cs_web_init(), CS_OK); /* idempotent */
    void *p = cs_web_alloc(0);
    cr_assert_not_null(p);
    cs_web_free(p);
}

Test(web_api, parse_matches_the_parser)
{
    size_t n;
    char *d = sample("discharge_summary_ccda.xml", &n);
    cJSON *o = json_of(cs_web_parse((const uint8_t *)d, n, "x.xml"));
    cr_assert(is_ok(o));
    cr_assert_str_eq(str(o, "format"), "ccda");
    cr_assert_str_eq(str(o, "name"), "x.xml");
    cs_document *doc;
    cs_parse_init();
    cr_assert_eq(cs_parse((const uint8_t *)d, n, NULL, &doc), CS_OK);
    const cJSON *secs = cJSON_GetObjectItem(o, "sections");
    cr_assert_eq((size_t)cJSON_GetArraySize(secs), doc->n_sections);
    for (size_t i = 0; i < doc->n_sections; i++) {
        const cJSON *s = cJSON_GetArrayItem(secs, (int)i);
        cr_assert_str_eq(str(s, "title"), doc->sections[i].title);
        cr_assert_str_eq(str(s, "text"), doc->sections[i].text);
        cr_assert_eq((int)num(s, "depth"), doc->sections[i].depth);
    }
    cs_document_free(doc);
    cJSON_Delete(o);
    free(d);
}

Test(web_api, errors_carry_no_document_text)
{
    const char bin[] = "SECRETNAME\0\1\2\3\0\0\xff\xfe";
    cJSON *o = json_of(cs_web_parse((const uint8_t *)bin, sizeof bin, "b.bin"));
    cr_assert(!is_ok(o));
    cr_assert_str_eq(str(o, "error"), cs_strerror((int)num(o, "code")));
    cr_assert_lt(num(o, "code"), 0);
    cJSON_Delete(o);
    char *s = cs_web_redact((const uint8_t *)bin, sizeof bin);
    cr_assert_null(strstr(s, "SECRET"));
    cs_web_free(s);
    o = json_of(cs_web_summarize(NULL, 0, NULL));
    cr_assert(!is_ok(o));
    cr_assert_eq((int)num(o, "code"), CS_ERR_EMPTY);
    cJSON_Delete(o);
    o = json_of(cs_web_summarize((const uint8_t *)"Plan: rest.\n", 12, "sonnet"));
    cr_assert(!is_ok(o));
    cr_assert_eq((int)num(o, "code"), CS_ERR_INVALID);
    cJSON_Delete(o);
}

/* Offsets count UTF-16 units: U+1F600 is 4 bytes / 2 units, U+00E9 2 / 1,
 * U+2014 3 / 1.  Each span must select exactly the identifier's text when
 * the offsets are applied to the UTF-16 form of the section text. */
Test(web_api, redact_spans_in_utf16_units)
{
    const char *text = "\xF0\x9F\x98\x80 Caf\xC3\xA9 visit \xE2\x80\x94 seen by Dr. Lipper on 03/04/2021.\n"
                       "Daughter Thelma called (410) 555-1234.\n";
    cJSON *o = json_of(cs_web_redact((const uint8_t *)text, strlen(text)));
    cr_assert(is_ok(o));
    cr_assert_str_eq(str(o, "mode"), "mask");
    const cJSON *sec = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "sections"), 0);
    const cJSON *spans = cJSON_GetObjectItem(sec, "spans");
    /* "Lipper": byte 30, but 1 + 2 (emoji) + 7 ("Cafe" as 1 unit each +
     * space...) -- counted independently: prefix "😀 Café visit — seen by Dr. " */
    const char *lip = strstr(text, "Lipper");
    size_t units = 0;
    for (const char *p = text; p < lip; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0xF0) units += 2;
        else if ((c & 0xC0) != 0x80) units += 1;
    }
    cr_assert_eq(units, 28);
    int found = 0, total = 0;
    cJSON *sp;
    cJSON_ArrayForEach(sp, spans) {
        total++;
        if ((size_t)num(sp, "start") == units && (size_t)num(sp, "end") == units + 6 &&
            !strcmp(str(sp, "category"), "NAME"))
            found = 1;
    }
    cr_assert(found, "no NAME span at UTF-16 [28, 34)");
    const char *red = str(sec, "redacted");
    cr_assert_null(strstr(red, "Lipper"));
    cr_assert_null(strstr(red, "Thelma"));
    cr_assert_not_null(strstr(red, "[NAME]"));
    cr_assert_not_null(strstr(red, "\xF0\x9F\x98\x80 Caf\xC3\xA9"));
    /* counts: every category listed, summing to n_spans = spans shown */
    const cJSON *counts = cJSON_GetObjectItem(o, "counts");
    cr_assert_eq(cJSON_GetArraySize(cJSON_GetObjectItem(o, "categories")), cJSON_GetArraySize(counts));
    double sum = 0;
    cJSON *c;
    cJSON_ArrayForEach(c, counts) sum += c->valuedouble;
    cr_assert_eq((int)sum, (int)num(o, "n_spans"));
    cr_assert_eq(total, (int)sum);
    cr_assert_geq(num(counts, "PHONE"), 1);
    cr_assert_geq(num(counts, "DATE"), 1);
    cr_assert_not_null(str(sec, "title_redacted"));
    cJSON_Delete(o);
}

Test(web_api, redact_covers_titles_and_every_section)
{
    const char *html = "<html><body><h1>Visit with Dr. Lipper</h1><p>Seen today.</p>"
                       "<h2>Plan</h2><p>Call Dr. Lipper on 03/04/2021.</p></body></html>";
    cJSON *o = json_of(cs_web_parse((const uint8_t *)html, strlen(html), NULL));
    int n = cJSON_GetArraySize(cJSON_GetObjectItem(o, "sections"));
    cJSON_Delete(o);
    o = json_of(cs_web_redact((const uint8_t *)html, strlen(html)));
    cr_assert(is_ok(o));
    const cJSON *secs = cJSON_GetObjectItem(o, "sections");
    cr_assert_eq(cJSON_GetArraySize(secs), n);
    int title_masked = 0;
    cJSON *s;
    cJSON_ArrayForEach(s, secs) {
        cr_assert(cJSON_IsArray(cJSON_GetObjectItem(s, "title_spans")));
        const char *t = str(s, "title_redacted");
        cr_assert_null(strstr(t, "Lipper"));
        if (strstr(t, "[NAME]")) title_masked = 1;
        cr_assert_null(strstr(str(s, "redacted"), "Lipper"));
    }
    cr_assert(title_masked, "the name in the heading was not masked");
    cJSON_Delete(o);
}

Test(web_api, summarize_is_the_pipeline)
{
    size_t n;
    char *d = sample("discharge_summary.txt", &n);
    cJSON *o = json_of(cs_web_summarize((const uint8_t *)d, n, "handoff"));
    cr_assert(is_ok(o));
    const char *md = str(o, "markdown");
    cJSON *j = cJSON_Parse(str(o, "json"));
    cr_assert_not_null(j);
    /* the same summary as the pipeline run directly, redacted first */
    cs_pipeline_options opt = {.style = CS_STYLE_HANDOFF};
    cs_pipeline_result r;
    cr_assert_eq(cs_pipeline_run((const uint8_t *)d, n, &opt, &r), CS_OK);
    char *want = cs_summary_markdown(&r.summary);
    cr_assert_str_eq(str(j, "summary"), want);
    cr_assert_not_null(strstr(md, want));
    cr_assert_str_eq(str(j, "mode"), "extractive");
    cr_assert_null(strstr(md, "Brennigan"));
    cr_assert_null(strstr(str(o, "json"), "Brennigan"));
    free(want);
    cs_pipeline_result_free(&r);
    cJSON_Delete(j);
    cJSON_Delete(o);
    free(d);
}
