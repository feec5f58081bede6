/*
 * test_corpus.c: every C-CDA and FHIR file of ../shared/corpus parses, and
 * the parser loses no section and no narrative.
 *
 * The expectation is computed here, independently of the parser's code:
 * C-CDA with a separate libxml2 read (its own encoding handling) and XPath
 * on local names: every <section> under structuredBody in document order,
 * its code, and the string value of its <text>.  FHIR with cJSON and
 * libxml2's HTML parser: every Composition section in order and the text
 * nodes of its div outside <script>/<style>.  Text is compared with
 * whitespace (and U+00A0) removed, and '|' removed, since table cells are
 * joined with " | ".  Skips when ../shared is absent (it is not shipped).
 */
#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cs_document.h"
#include "cs_err.h"
#include "cs_parse.h"
#include "cs_test_files.h"

#define CORPUS CS_SHARED_DIR "/corpus"

static void quiet(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }

static char *slurp(const char *path, size_t *n)
{
    return cs_test_slurp(path, n);
}

/* s with ASCII whitespace, U+00A0 and '|' removed (caller frees). */
static char *squeeze(const char *s)
{
    size_t n = strlen(s), k = 0;
    char *o = malloc(n + 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '|') continue;
        if (c == 0xC2 && (unsigned char)s[i + 1] == 0xA0) { i++; continue; }
        o[k++] = (char)c;
    }
    o[k] = '\0';
    return o;
}

static void expect_same_text(const char *file, size_t i, const char *want, const char *got)
{
    char *a = squeeze(want), *b = squeeze(got);
    size_t la = strlen(a), lb = strlen(b), p = 0;
    while (p < la && p < lb && a[p] == b[p]) p++;
    cr_expect(la == lb && p == la,
              "%s: section %zu: narrative differs at char %zu of %zu (model has %zu)",
              file, i, p, la, lb);
    free(a);
    free(b);
}

typedef int (*file_fn)(const char *dir, const char *name);

static int for_each(const char *dir, const char *ext, file_fn fn)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name), m = strlen(ext);
        if (l <= m || strcasecmp(e->d_name + l - m, ext)) continue;
        n += fn(dir, e->d_name);
    }
    closedir(d);
    return n;
}

/* ------------------------------------------------------------------ C-CDA */

/* Does p start with "<section" or "<prefix:section"? */
static int starts_section_tag(const char *p, size_t n)
{
    if (n < 9 || p[0] != '<') return 0;
    size_t i = 1;
    while (i < n && i < 32 && p[i] != ':' && p[i] != ' ' && p[i] != '>') i++;
    const char *name = (i < n && p[i] == ':') ? p + i + 1 : p + 1;
    return !strncmp(name, "section", 7) && (name[7] == '>' || name[7] == ' ' || name[7] == '\n' ||
                                            name[7] == '\r' || name[7] == '\t');
}

static size_t ccda_sections, ccda_chars;

static int check_ccda(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t n;
    char *src = slurp(path, &n);
    cr_assert_not_null(src);
    cs_document *doc = NULL;
    int rc = cs_parse((const uint8_t *)src, n, NULL, &doc);
    cr_expect_eq(rc, CS_OK, "%s: %s", name, cs_strerror(rc));
    if (rc != CS_OK) { free(src); return 1; }
    cr_expect_eq(doc->format, CS_FMT_CCDA, "%s: detected as C-CDA", name);

    xmlDocPtr x = xmlReadMemory(src, (int)n, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                         XML_PARSE_NOWARNING);
    cr_assert_not_null(x, "%s: reference read failed", name);
    xmlXPathContextPtr xp = xmlXPathNewContext(x);
    xmlXPathObjectPtr secs = xmlXPathEvalExpression(
        (const xmlChar *)"//*[local-name()='structuredBody']//*[local-name()='section']", xp);
    int ns = secs && secs->nodesetval ? secs->nodesetval->nodeNr : 0;
    xmlXPathObjectPtr nxb = xmlXPathEvalExpression(
        (const xmlChar *)"//*[local-name()='nonXMLBody']/*[local-name()='text']", xp);
    if (ns == 0 && nxb && nxb->nodesetval && nxb->nodesetval->nodeNr) {
        /* Documented outcome for an unstructured body: its text content is
         * parsed; anything else (PDF, reference) is one "not extracted"
         * section with no text. */
        xmlNodePtr t = nxb->nodesetval->nodeTab[0];
        xmlChar *mt = xmlGetProp(t, (const xmlChar *)"mediaType");
        int textual = !mt || !strncmp((const char *)mt, "text/", 5);
        cr_expect(doc->n_sections >= 1, "%s: nonXMLBody gives a section", name);
        if (!textual && doc->n_sections) {
            cr_expect(strstr(doc->sections[0].title, "not extracted") != NULL, "%s", name);
            cr_expect_eq(doc->sections[0].text_len, 0, "%s", name);
        }
        xmlFree(mt);
    } else {
        cr_expect_eq(doc->n_sections, (size_t)ns, "%s: %zu sections in model, %d in source",
                     name, doc->n_sections, ns);
        for (int i = 0; i < ns && (size_t)i < doc->n_sections; i++) {
            xmlNodePtr s = secs->nodesetval->nodeTab[i];
            const cs_section *m = &doc->sections[i];
            xp->node = s;
            xmlXPathObjectPtr code = xmlXPathEvalExpression(
                (const xmlChar *)"string(*[local-name()='code'][not(@nullFlavor)]/@code)", xp);
            if (code && code->stringval && *code->stringval)
                cr_expect(m->code && !strcmp(m->code, (const char *)code->stringval),
                          "%s: section %d code %s, model %s", name, i,
                          (const char *)code->stringval, m->code ? m->code : "none");
            xmlXPathFreeObject(code);
            xmlXPathObjectPtr text = xmlXPathEvalExpression(
                (const xmlChar *)"string(*[local-name()='text'])", xp);
            expect_same_text(name, (size_t)i, (const char *)text->stringval, m->text);
            ccda_chars += strlen((const char *)text->stringval);
            xmlXPathFreeObject(text);
            cr_expect(m->start < m->end && m->end <= n, "%s: span", name);
            cr_expect(starts_section_tag(src + m->start, n - m->start),
                      "%s: section %d span starts at its tag", name, i);
            cr_expect(!strncmp(src + m->end - 8, "section>", 8),
                      "%s: section %d span ends after its end tag", name, i);
        }
        ccda_sections += (size_t)ns;
    }
    xmlXPathFreeObject(nxb);
    xmlXPathFreeObject(secs);
    xmlXPathFreeContext(xp);
    xmlFreeDoc(x);
    cs_document_free(doc);
    free(src);
    return 1;
}

Test(corpus, every_ccda_parses_losslessly, .timeout = 600)
{
    cs_parse_init();
    xmlSetGenericErrorFunc(NULL, quiet);
    int a = for_each(CORPUS "/ccda-sample-ccdas", ".xml", check_ccda);
    int b = for_each(CORPUS "/ccda-hl7-examples", ".xml", check_ccda);
    if (a < 0 && b < 0) cr_skip_test("skip: %s absent (the shared corpus is not shipped)", CORPUS);
    cr_log_info("corpus: %d C-CDA files, %zu sections, %zu narrative chars compared",
                (a > 0 ? a : 0) + (b > 0 ? b : 0), ccda_sections, ccda_chars);
    printf("corpus: %d C-CDA files, %zu sections, %zu narrative chars compared\n",
           (a > 0 ? a : 0) + (b > 0 ? b : 0), ccda_sections, ccda_chars);
    cr_expect_gt(a + b, 0);
}

/* ------------------------------------------------------------------- FHIR */

static size_t fhir_sections, fhir_chars;

/* The text of an XHTML div, read by libxml2's HTML parser and XPath. */
static char *div_chars(const char *div)
{
    htmlDocPtr h = htmlReadMemory(div, (int)strlen(div), NULL, "UTF-8",
                                  HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
    if (!h) return strdup("");
    xmlXPathContextPtr xp = xmlXPathNewContext(h);
    xmlXPathObjectPtr o = xmlXPathEvalExpression(
        (const xmlChar *)"//text()[not(ancestor::script) and not(ancestor::style)]", xp);
    size_t cap = strlen(div) + 1, len = 0;
    char *out = calloc(1, cap);
    for (int i = 0; o && o->nodesetval && i < o->nodesetval->nodeNr; i++) {
        const char *t = (const char *)o->nodesetval->nodeTab[i]->content;
        size_t l = t ? strlen(t) : 0;
        if (len + l + 1 > cap) out = realloc(out, cap = 2 * (len + l + 1));
        memcpy(out + len, t, l);
        len += l;
        out[len] = '\0';
    }
    xmlXPathFreeObject(o);
    xmlXPathFreeContext(xp);
    xmlFreeDoc(h);
    return out;
}

typedef struct { const char *name; const cs_document *doc; size_t next; } fhir_walk;

static void check_fhir_sections(fhir_walk *w, const cJSON *sections, int depth)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, sections) {
        cr_assert_lt(w->next, w->doc->n_sections, "%s: model has too few sections", w->name);
        const cs_section *m = &w->doc->sections[w->next];
        cr_expect_eq(m->depth, depth, "%s: section %zu depth", w->name, w->next);
        const cJSON *c, *pick = NULL;
        cJSON_ArrayForEach(c, cJSON_GetObjectItem(cJSON_GetObjectItem(s, "code"), "coding")) {
            const cJSON *sys = cJSON_GetObjectItem(c, "system");
            if (!cJSON_GetObjectItem(c, "code")) continue;
            if (!pick) pick = c;
            if (cJSON_IsString(sys) && !strcmp(sys->valuestring, "http://loinc.org")) { pick = c; break; }
        }
        const cJSON *code = pick ? cJSON_GetObjectItem(pick, "code") : NULL;
        if (cJSON_IsString(code))
            cr_expect(m->code && !strcmp(m->code, code->valuestring), "%s: section %zu code %s, model %s",
                      w->name, w->next, code->valuestring, m->code ? m->code : "none");
        const cJSON *div = cJSON_GetObjectItem(cJSON_GetObjectItem(s, "text"), "div");
        if (cJSON_IsString(div)) {
            char *want = div_chars(div->valuestring);
            expect_same_text(w->name, w->next, want, m->text);
            fhir_chars += strlen(want);
            free(want);
        }
        w->next++;
        fhir_sections++;
        check_fhir_sections(w, cJSON_GetObjectItem(s, "section"), depth + 1);
    }
}

static int check_fhir(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    size_t n;
    char *src = slurp(path, &n);
    cr_assert_not_null(src);
    cs_document *doc = NULL;
    int rc = cs_parse((const uint8_t *)src, n, NULL, &doc);
    cr_expect_eq(rc, CS_OK, "%s: %s", name, cs_strerror(rc));
    if (rc != CS_OK) { free(src); return 1; }
    cJSON *root = cJSON_Parse(src);
    cr_assert_not_null(root, "%s: reference JSON read failed", name);
    const cJSON *type = cJSON_GetObjectItem(root, "resourceType");
    cr_expect_eq(doc->format, !strcmp(type->valuestring, "DocumentReference") ? CS_FMT_FHIR_DOCREF
                                                                             : CS_FMT_FHIR_BUNDLE, "%s", name);
    fhir_walk w = {name, doc, 0};
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItem(root, "entry")) {
        const cJSON *r = cJSON_GetObjectItem(e, "resource");
        const cJSON *t = cJSON_GetObjectItem(r, "resourceType");
        if (cJSON_IsString(t) && !strcmp(t->valuestring, "Composition"))
            check_fhir_sections(&w, cJSON_GetObjectItem(r, "section"), 0);
    }
    /* Attachments that are gzip or PDF, whatever their label, must show up
     * as "not extracted" sections and never as text. */
    size_t skipped = 0, binary = 0;
    for (size_t i = 0; i < doc->n_sections; i++)
        if (strstr(doc->sections[i].title, "[attachment not extracted")) skipped++;
    const char *needles[] = {"\"H4sI", "\"JVBERi", NULL}; /* base64 of gzip / %PDF magic */
    for (const char **nd = needles; *nd; nd++)
        for (const char *p = strstr(src, *nd); p; p = strstr(p + 1, *nd)) binary++;
    cr_expect_geq(skipped, binary, "%s: %zu binary attachments, %zu reported", name, binary, skipped);
    for (size_t i = 0; i < doc->n_sections; i++)
        cr_expect(!strstr(doc->sections[i].text, "%PDF"), "%s: PDF bytes as text", name);
    cJSON_Delete(root);
    cs_document_free(doc);
    free(src);
    return 1;
}

Test(corpus, every_fhir_file_parses_losslessly, .timeout = 600)
{
    cs_parse_init();
    xmlSetGenericErrorFunc(NULL, quiet);
    int a = for_each(CORPUS "/fhir", ".json", check_fhir);
    if (a < 0) cr_skip_test("skip: %s/fhir absent (the shared corpus is not shipped)", CORPUS);
    printf("corpus: %d FHIR files, %zu Composition sections, %zu narrative chars compared\n",
           a, fhir_sections, fhir_chars);
    cr_expect_gt(a, 0);
}
