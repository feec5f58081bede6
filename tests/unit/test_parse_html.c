/* test_parse_html.c: the HTML parser: headings and definition lists become
 * sections, script/style are dropped, nothing else is lost. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cs_document.h"
#include "cs_err.h"
#include "cs_parse.h"

static cs_document *parse_ok(const char *s)
{
    cs_document *d = NULL;
    cs_parse_init();
    int rc = cs_parse_html((const uint8_t *)s, strlen(s), &d);
    cr_assert_eq(rc, CS_OK, "parse failed: %s", cs_strerror(rc));
    return d;
}

static const char page[] =
    "<!DOCTYPE html>\n<html><head><title>Progress Note</title>"
    "<style>p { color: red }</style><script>var secret = 1;</script></head>\n"
    "<body><p>Seen today&nbsp;in clinic.</p>\n"
    "<h1>Assessment</h1><p>Stable angina.</p>\n"
    "<h2>Plan</h2><ul><li>Aspirin 81 mg</li><li>Stress test</li></ul>\n"
    "<dl><dt>Allergies</dt><dd>Penicillin</dd><dt>Diet</dt><dd>Low salt</dd></dl>\n"
    "<p>Return in 3 months.</p><script>alert('x')</script>\n"
    "<table><tr><th>BP</th><td>128/82</td></tr></table></body></html>\n";

Test(html, headings_and_definition_lists_are_sections)
{
    cs_document *d = parse_ok(page);
    cr_expect_eq(d->format, CS_FMT_HTML);
    cr_expect_str_eq(d->title, "Progress Note");
    cr_expect_str_eq(d->kind, "progress note");
    cr_assert_eq(d->n_sections, 6);
    const cs_section *s = d->sections;
    cr_expect_str_eq(s[0].title, "");
    cr_expect_str_eq(s[0].text, "Seen today in clinic.");
    cr_expect_str_eq(s[1].title, "Assessment");
    cr_expect_str_eq(s[1].code, "51848-0");
    cr_expect_str_eq(s[1].text, "Stable angina.");
    cr_expect_eq(s[1].depth, 0);
    cr_expect_str_eq(s[2].title, "Plan");
    cr_expect_eq(s[2].depth, 1);
    cr_expect_str_eq(s[2].text, "Aspirin 81 mg\nStress test");
    cr_expect_str_eq(s[3].title, "Allergies");
    cr_expect_str_eq(s[3].code, "48765-2");
    cr_expect_str_eq(s[3].text, "Penicillin");
    cr_expect_eq(s[3].depth, 2);
    cr_expect_str_eq(s[4].title, "Diet");
    cr_expect_str_eq(s[4].text, "Low salt");
    cr_expect_str_eq(s[5].text, "Return in 3 months.\nBP | 128/82");
    for (size_t i = 0; i < d->n_sections; i++) {
        cr_expect(!strstr(s[i].text, "secret") && !strstr(s[i].text, "alert"), "script dropped");
        cr_expect(!strstr(s[i].text, "color"), "style dropped");
    }
    cs_document_free(d);
}

Test(html, spans_point_at_the_headings)
{
    cs_document *d = parse_ok(page);
    const cs_section *s = d->sections;
    cr_expect_eq(s[0].start, 0);
    cr_expect(!strncmp(page + s[1].start, "<h1>", 4));
    cr_expect(!strncmp(page + s[2].start, "<h2>", 4));
    cr_expect(!strncmp(page + s[3].start, "<dt>Allergies", 13));
    cr_expect(!strncmp(page + s[4].start, "<dt>Diet", 8));
    for (size_t i = 0; i + 1 < d->n_sections; i++)
        cr_expect_eq(s[i].end, s[i + 1].start, "sections tile the source");
    cr_expect_eq(s[d->n_sections - 1].end, strlen(page));
    cs_document_free(d);
}

Test(html, fragments_and_text_without_markup)
{
    cs_document *d = parse_ok("<p>Only a paragraph</p>");
    cr_assert_eq(d->n_sections, 1);
    cr_expect_str_eq(d->sections[0].text, "Only a paragraph");
    cs_document_free(d);
    d = parse_ok("<div>x<h3>Meds</h3>y<pre>a   b\n  c</pre></div>");
    cr_assert_eq(d->n_sections, 2);
    cr_expect_str_eq(d->sections[0].text, "x");
    cr_expect_str_eq(d->sections[1].text, "y\na   b\n  c", "pre keeps its layout");
    cs_document_free(d);
}

Test(html, bad_input)
{
    cs_document *d = (cs_document *)1;
    cr_expect_eq(cs_parse_html((const uint8_t *)"", 0, &d), CS_ERR_EMPTY);
    cr_expect_null(d);
    const char bin[] = "<p>\0\1\2\3</p>";
    cr_expect_eq(cs_parse_html((const uint8_t *)bin, sizeof bin - 1, &d), CS_ERR_BINARY);
}

/* libxml2 stops at nesting deeper than 256; what follows must not vanish
 * silently, so the document is refused. */
Test(html, nesting_too_deep_is_an_error_not_a_silent_loss)
{
    size_t n = 0, depth = 2000;
    char *s = malloc(depth * 13 + 64);
    for (size_t i = 0; i < depth; i++) n += (size_t)sprintf(s + n, "<div>");
    n += (size_t)sprintf(s + n, "last words");
    for (size_t i = 0; i < depth; i++) n += (size_t)sprintf(s + n, "</div>");
    cs_document *d = (cs_document *)1;
    cs_parse_init();
    cr_expect_eq(cs_parse_html((const uint8_t *)s, n, &d), CS_ERR_LIMIT);
    cr_expect_null(d);
    /* the same inside a C-CDA narrative and a FHIR div */
    char *x = malloc(n + 512);
    int m = sprintf(x, "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><component><structuredBody>"
                       "<component><section><text>%s</text></section></component>"
                       "</structuredBody></component></ClinicalDocument>", s);
    cr_expect_eq(cs_parse_ccda((const uint8_t *)x, (size_t)m, &d), CS_ERR_LIMIT);
    m = sprintf(x, "{\"resourceType\":\"Composition\",\"section\":[{\"title\":\"T\","
                   "\"text\":{\"div\":\"%s\"}}]}", s);
    cr_expect_eq(cs_parse_fhir((const uint8_t *)x, (size_t)m, &d), CS_ERR_LIMIT);
    cr_expect_null(d);
    free(x);
    free(s);
}
