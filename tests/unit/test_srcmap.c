/*
 * test_srcmap.c: section source maps and `redact --spans` offsets.
 *
 * For each format (text in UTF-8, UTF-16 and Windows-1252; C-CDA with
 * entities, CDATA and nested markup, also as UTF-16; FHIR with JSON escapes
 * and an XHTML narrative, and a base64 attachment; HTML) every word of
 * every section and every span the redactor finds must map to file bytes
 * that read as the same text (srcmap_check.h, written apart from the
 * parsers), and the map invariants must hold.  The corpus test does the
 * same over ../shared/corpus C-CDA and FHIR files, and skips without it.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cs_document.h"
#include "cs_err.h"
#include "cs_json_span.h"
#include "cs_parse.h"
#include "cs_redact.h"
#include "cs_srcalign.h"
#include "cs_srcmap.h"
#include "cs_test_files.h"
#include "srcmap_check.h"

#define CORPUS CS_SHARED_DIR "/corpus"

static void setup(void) { cs_parse_init(); }

/* -------------------------------------------------------------- helpers */

/* UTF-8 (BMP only) -> UTF-16 with BOM; big-endian when be. */
static uint8_t *to_utf16(const char *s, int be, size_t *n)
{
    size_t len = strlen(s), k = 0;
    uint8_t *o = malloc(2 * len + 2);
    o[k++] = be ? 0xFE : 0xFF;
    o[k++] = be ? 0xFF : 0xFE;
    for (size_t i = 0; i < len;) {
        size_t l;
        unsigned cp = cs_utf8_decode(s + i, len - i, &l);
        i += l;
        o[k++] = (uint8_t)(be ? cp >> 8 : cp & 0xFF);
        o[k++] = (uint8_t)(be ? cp & 0xFF : cp >> 8);
    }
    *n = k;
    return o;
}

typedef struct {
    size_t words, spans, mapped;
} check_stats;

/* Every word of every section, and every redactor span, reads back from
 * the file; the maps are valid.  Returns what was checked. */
static check_stats check_doc(const char *name, const cs_document *doc, const uint8_t *file,
                             size_t n, const cs_redactor *r, size_t word_step)
{
    check_stats st = {0};
    char why[160];
    size_t parse_len = doc->src_xmap ? doc->src_xmap_len : n - doc->src_shift;
    for (size_t i = 0; i < doc->n_sections; i++) {
        const cs_section *s = &doc->sections[i];
        if (s->map.n) {
            st.mapped++;
            cr_expect(cs_srcmap_valid(&s->map, s->text_len, parse_len),
                      "%s: section %zu: map invariants broken", name, i);
        }
        size_t w = 0;
        for (size_t a = 0; a < s->text_len;) {
            while (a < s->text_len && (s->text[a] == ' ' || s->text[a] == '\n')) a++;
            size_t b = a;
            while (b < s->text_len && s->text[b] != ' ' && s->text[b] != '\n') b++;
            if (b > a && w++ % word_step == 0) {
                cr_expect(cs_test_check_range(doc, file, n, i, a, b, why, sizeof why),
                          "%s: section %zu word '%.*s': %s", name, i, (int)(b - a), s->text + a, why);
                st.words++;
            }
            a = b;
        }
    }
    if (!r) return st;
    cs_redact_opts o = {CS_REDACT_MASK, 0, 1};
    cs_redacted_doc rd;
    cr_assert_eq(cs_redact_document(r, doc, &o, &rd), CS_OK);
    for (size_t i = 0; i < rd.n_sections; i++)
        for (size_t k = 0; k < rd.section_spans[i].n; k++) {
            const cs_phi_span *p = &rd.section_spans[i].items[k];
            cr_expect(cs_test_check_range(doc, file, n, i, p->start, p->end, why, sizeof why),
                      "%s: section %zu span '%.*s': %s", name, i, (int)(p->end - p->start),
                      doc->sections[i].text + p->start, why);
            st.spans++;
        }
    cs_redacted_doc_free(&rd);
    return st;
}

static cs_redactor *redactor(void)
{
    cs_redactor *r;
    cr_assert_eq(cs_redactor_new(&r), CS_OK);
    return r;
}

/* The file range of the first occurrence of `word` in any section. */
static int range_of_word(const cs_document *doc, const char *word, size_t *s, size_t *e)
{
    for (size_t i = 0; i < doc->n_sections; i++) {
        const char *p = strstr(doc->sections[i].text, word);
        if (p) {
            size_t a = (size_t)(p - doc->sections[i].text);
            return cs_section_src_range(doc, i, a, a + strlen(word), s, e);
        }
    }
    return -1;
}

static cs_document *parse_ok(const void *data, size_t n)
{
    cs_document *doc;
    int rc = cs_parse(data, n, NULL, &doc);
    cr_assert_eq(rc, CS_OK, "parse: %s", cs_strerror(rc));
    return doc;
}

/* ---------------------------------------------------------- cs_srcmap */

Test(srcmap, add_merges_linear_and_range_answers)
{
    cs_srcmap m = {0};
    cr_assert_eq(cs_srcmap_add(&m, 0, 5, 10, 15), CS_OK);
    cr_assert_eq(cs_srcmap_add(&m, 5, 8, 15, 18), CS_OK); /* continues: merged */
    cr_expect_eq(m.n, 1);
    cr_assert_eq(cs_srcmap_add(&m, 8, 9, 18, 23), CS_OK); /* "&amp;" -> "&" */
    cr_assert_eq(cs_srcmap_add(&m, 9, 12, 30, 33), CS_OK); /* after a tag */
    cr_expect_eq(m.n, 3);
    size_t s, e;
    cr_expect(cs_srcmap_range(&m, 2, 4, &s, &e) && s == 12 && e == 14);
    cr_expect(cs_srcmap_range(&m, 8, 9, &s, &e) && s == 18 && e == 23);
    cr_expect(cs_srcmap_range(&m, 6, 11, &s, &e) && s == 16 && e == 32, "crossing markup: first to last byte");
    cr_expect(cs_srcmap_range(&m, 12, 12, &s, &e) && s == 33 && e == 33);
    cr_expect(!cs_srcmap_range(&m, 3, 13, &s, &e), "beyond the text");
    cr_expect(cs_srcmap_valid(&m, 12, 40));
    cr_expect(!cs_srcmap_valid(&m, 13, 40));
    cr_expect(!cs_srcmap_valid(&m, 12, 32));
    m.segs[2].src = 20; /* goes backwards */
    cr_expect(!cs_srcmap_valid(&m, 12, 40));
    cs_srcmap_free(&m);
    cr_expect(cs_srcmap_valid(&m, 0, 0));
    cr_expect(!cs_srcmap_range(&m, 0, 0, &s, &e));
}

Test(srcmap, json_string_map_undoes_escapes)
{
    const char *js = "{\"d\":\"a\\n\\\"b\\u00e9\\ud83d\\ude00c\"}";
    const char *want = "a\n\"b\xc3\xa9\xf0\x9f\x98\x80" "c";
    cs_srcmap m;
    cr_assert_eq(cs_json_string_map(js, strlen(js), 5, want, strlen(want), &m), CS_OK);
    size_t s, e;
    cr_expect(cs_srcmap_range(&m, 0, 1, &s, &e) && s == 6 && e == 7);              /* a */
    cr_expect(cs_srcmap_range(&m, 1, 2, &s, &e) && s == 7 && e == 9);              /* \n */
    cr_expect(cs_srcmap_range(&m, 4, 6, &s, &e) && s == 12 && e == 18);            /* \u00e9 */
    cr_expect(cs_srcmap_range(&m, 6, 10, &s, &e) && s == 18 && e == 30);           /* pair */
    cr_expect(cs_srcmap_range(&m, 10, 11, &s, &e) && s == 30 && e == 31);          /* c */
    cs_srcmap_free(&m);
    cr_expect_eq(cs_json_string_map(js, strlen(js), 5, "other", 5, &m), CS_ERR_FORMAT);
    cr_expect_eq(cs_json_string_map(js, strlen(js), 1, want, strlen(want), &m), CS_ERR_FORMAT);
}

Test(srcmap, align_finds_nodes_in_order_and_refuses_strangers)
{
    const char *x = "<p>A &amp; B<b>x</b><![CDATA[<C>]]>\r\nD&#233;</p>";
    cs_align a = {0};
    cs_align_init(&a, x, 0, strlen(x), 0);
    cr_assert_eq(cs_align_node(&a, "A & B", 5), 1);
    size_t s, e;
    cr_expect(cs_srcmap_range(&a.pieces, 2, 3, &s, &e) && s == 5 && e == 10, "&amp; is one piece");
    cr_assert_eq(cs_align_node(&a, "x", 1), 1);
    cr_expect(a.pieces.n == 1 && a.pieces.segs[0].src == 15);
    cr_assert_eq(cs_align_node(&a, "<C>\nD\xc3\xa9", 7), 1, "CDATA, CR LF and a char ref");
    cr_expect(cs_srcmap_range(&a.pieces, 0, 3, &s, &e) && s == 29 && e == 32);
    cr_expect(cs_srcmap_range(&a.pieces, 5, 7, &s, &e) && s == 38 && e == 44);
    cr_expect_eq(cs_align_node(&a, "nowhere", 7), 0);
    cs_align_free(&a);
}

Test(srcmap, section_range_falls_back_to_the_section_span, .init = setup)
{
    cs_document *d = cs_document_new(CS_FMT_CCDA);
    cr_assert(cs_document_add_section(d, "t", NULL, NULL, "abc", 3, 7, 90));
    size_t s = 0, e = 0;
    cr_expect_eq(cs_section_src_range(d, 0, 0, 2, &s, &e), 0);
    cr_expect(s == 7 && e == 90);
    cr_expect_eq(cs_section_src_range(d, 0, 0, 4, &s, &e), -1);
    cr_expect_eq(cs_section_src_range(d, 1, 0, 1, &s, &e), -1);
    cr_assert_eq(cs_srcmap_add(&d->sections[0].map, 0, 3, 10, 13), CS_OK);
    /* transcoded source: parse byte i came from file byte 2 + 2i */
    uint32_t *x = malloc(14 * sizeof *x);
    for (uint32_t i = 0; i < 14; i++) x[i] = 2 + 2 * i;
    cs_document_take_source(d, x, 13, 0);
    cr_expect_eq(cs_section_src_range(d, 0, 1, 3, &s, &e), 1);
    cr_expect(s == 24 && e == 28, "got [%zu,%zu)", s, e);
    cs_document_free(d);
}

/* ----------------------------------------------------------------- text */

static const char *note =
    "HISTORY:\r\nSeen by Dr. Lipper on 03/04/2021 at the caf\xc3\xa9.\r\n"
    "Call (410) 555-1234.   Daughter Thelma visited.\n\nPLAN:\nMRN: 48213377\n";

/* The first `word` of the sections reads back as `want` from the file. */
static void expect_reads(const cs_document *doc, const uint8_t *data, const char *word,
                         const char *want)
{
    size_t s, e;
    cr_assert_eq(range_of_word(doc, word, &s, &e), 1, "'%s' not found or not mapped", word);
    char *got = cs_test_slice_text(doc, data, s, e);
    cr_expect_str_eq(got, want);
    free(got);
}

static void check_text(const uint8_t *data, size_t n, const char *enc)
{
    cs_redactor *r = redactor();
    cs_document *doc = parse_ok(data, n);
    cr_expect_str_eq(doc->encoding, enc);
    check_stats st = check_doc(enc, doc, data, n, r, 1);
    cr_expect_geq(st.words, 15);
    cr_expect_geq(st.spans, 3, "the redactor found %zu spans", st.spans);
    cr_expect_eq(st.mapped, doc->n_sections, "every text section has a map");
    expect_reads(doc, data, "Lipper", "Lipper");
    cs_document_free(doc);
    cs_redactor_free(r);
}

Test(srcmap_text, utf8, .init = setup)
{
    check_text((const uint8_t *)note, strlen(note), "utf-8");
}

Test(srcmap_text, utf16, .init = setup)
{
    size_t n;
    uint8_t *le = to_utf16(note, 0, &n);
    check_text(le, n, "utf-16le");
    free(le);
    uint8_t *be = to_utf16(note, 1, &n);
    check_text(be, n, "utf-16be");
    free(be);
}

Test(srcmap_text, cp1252, .init = setup)
{
    char *c = strdup(note), *p = strstr(c, "\xc3\xa9");
    p[0] = (char)0xE9;
    memmove(p + 1, p + 2, strlen(p + 2) + 1);
    check_text((const uint8_t *)c, strlen(c), "windows-1252");
    free(c);
}

/* ---------------------------------------------------------------- C-CDA */

static const char *ccda =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<ClinicalDocument xmlns=\"urn:hl7-org:v3\">\n"
    " <code code=\"18842-5\" codeSystem=\"2.16.840.1.113883.6.1\"/>\n"
    " <recordTarget><patientRole><id extension=\"48213377\" root=\"1.2.3\"/>\n"
    "  <patient><name><given>Thelma</given><family>Lipper</family></name>\n"
    "  <birthTime value=\"19620805\"/></patient></patientRole></recordTarget>\n"
    " <component><structuredBody><component><section>\n"
    "  <code code=\"8648-8\" codeSystem=\"2.16.840.1.113883.6.1\"/><title>Course</title>\n"
    "  <text><paragraph>Thelma <content ID=\"n1\">Lip</content>per &amp; Mrs. O&apos;Brien\r\n"
    "   was seen on 03/04/2021 at the Caf&#xE9;.  <![CDATA[Call <desk> & ask]]> MRN&#58; 48213377"
    "<!-- note --></paragraph>\n"
    "   <table><tr><td>Phone</td><td>(410) 555-1234</td></tr></table>\n"
    "   <list><item>Seen by Dr. Lipper</item></list></text>\n"
    "  <component><section><title>Sub</title><text>Thelma Lipper again</text></section></component>\n"
    " </section></component></structuredBody></component>\n"
    "</ClinicalDocument>\n";

static void check_ccda(const uint8_t *data, size_t n)
{
    cs_redactor *r = redactor();
    cs_document *doc = parse_ok(data, n);
    cr_assert_eq(doc->format, CS_FMT_CCDA);
    check_stats st = check_doc("ccda", doc, data, n, r, 1);
    cr_expect_eq(st.mapped, 2, "both sections mapped");
    cr_expect_geq(st.words, 20);
    cr_expect_geq(st.spans, 4, "the redactor found %zu spans", st.spans);
    /* a name split by <content> maps from its first byte to its last */
    expect_reads(doc, data, "Lipper &", "Lipper&");
    cs_document_free(doc);
    cs_redactor_free(r);
}

Test(srcmap_ccda, entities_cdata_and_nested_markup, .init = setup)
{
    check_ccda((const uint8_t *)ccda, strlen(ccda));
    /* the exact bytes for the split name */
    cs_document *doc = parse_ok(ccda, strlen(ccda));
    size_t s, e;
    cr_assert_eq(range_of_word(doc, "Lipper &", &s, &e), 1);
    const char *lip = strstr(ccda, "Lip</content>");
    cr_expect_eq(s, (size_t)(lip - ccda));
    cr_expect_eq(e, (size_t)(strstr(ccda, "&amp;") - ccda) + 5);
    cs_document_free(doc);
}

Test(srcmap_ccda, utf16_input, .init = setup)
{
    size_t n;
    /* the declaration must not lie: UTF-8 -> UTF-16 */
    const char *at = strstr(ccda, "UTF-8");
    char *x = malloc(strlen(ccda) + 2);
    sprintf(x, "%.*sUTF-16%s", (int)(at - ccda), ccda, at + 5);
    uint8_t *le = to_utf16(x, 0, &n);
    check_ccda(le, n);
    free(le);
    free(x);
}

/* ----------------------------------------------------------------- FHIR */

static const char *fhir =
    "{\"resourceType\": \"Bundle\", \"type\": \"document\", \"entry\": [\n"
    " {\"resource\": {\"resourceType\": \"Composition\", \"title\": \"Note\",\n"
    "  \"type\": {\"coding\": [{\"system\": \"http://loinc.org\", \"code\": \"18842-5\"}]},\n"
    "  \"section\": [{\"title\": \"Course\", \"text\": {\"status\": \"generated\",\n"
    "   \"div\": \"<div xmlns=\\\"http://www.w3.org/1999/xhtml\\\"><p>Thelma <b>Lip</b>per\\n"
    "was seen on 03/04/2021 at the Caf\\u00e9 \\ud83d\\ude00 &amp; \\\"Dr. Lipper\\\" called"
    " (410) 555-1234.</p><table><tr><td>MRN</td><td>48213377</td></tr></table>\\u003c/div>\"}}]}},\n"
    " {\"resource\": {\"resourceType\": \"Patient\", \"identifier\": [{\"value\": \"48213377\"}],\n"
    "  \"name\": [{\"family\": \"Lipper\", \"given\": [\"Thelma\"]}], \"birthDate\": \"1962-08-05\"}}\n"
    "]}\n";

Test(srcmap_fhir, escapes_and_xhtml_narrative, .init = setup)
{
    cs_redactor *r = redactor();
    cs_document *doc = parse_ok(fhir, strlen(fhir));
    check_stats st = check_doc("fhir", doc, (const uint8_t *)fhir, strlen(fhir), r, 1);
    cr_expect_eq(st.mapped, 1);
    cr_expect_geq(st.words, 15);
    cr_expect_geq(st.spans, 3, "the redactor found %zu spans", st.spans);
    size_t s, e;
    cr_assert_eq(range_of_word(doc, "\"Dr. Lipper\"", &s, &e), 1);
    cr_expect(!strncmp(fhir + s, "\\\"Dr. Lipper\\\"", 14), "escaped quotes included");
    cr_expect_eq(e - s, 14);
    cr_assert_eq(range_of_word(doc, "Thelma Lipper", &s, &e), 1);
    cr_expect(!strncmp(fhir + s, "Thelma <b>Lip</b>per", e - s) && e - s == 20);
    cs_document_free(doc);
    cs_redactor_free(r);
}

Test(srcmap_fhir, base64_attachment_maps_to_the_whole_value, .init = setup)
{
    /* "Seen by Dr. Lipper on 03/04/2021.\n" */
    const char *b64 = "U2VlbiBieSBEci4gTGlwcGVyIG9uIDAzLzA0LzIwMjEuCg==";
    char js[600];
    snprintf(js, sizeof js,
             "{\"resourceType\": \"DocumentReference\", \"content\": [{\"attachment\": "
             "{\"contentType\": \"text/plain\", \"data\": \"%s\"}}]}", b64);
    cs_document *doc = parse_ok(js, strlen(js));
    cr_assert_geq(doc->n_sections, 1);
    size_t s, e;
    cr_assert_eq(range_of_word(doc, "Lipper", &s, &e), 1);
    size_t v = (size_t)(strstr(js, b64) - js);
    cr_expect(s == v && e == v + strlen(b64), "got [%zu,%zu), value is [%zu,%zu)", s, e, v,
              v + strlen(b64));
    cs_document_free(doc);
}

/* ----------------------------------------------------------------- HTML */

static const char *html =
    "<!DOCTYPE html><html><head><title>Note</title><style>p{}</style></head><body>\n"
    "<h1>Discharge note</h1>\n<p>Seen by Dr.&nbsp;Lipper &amp; <b>Thel</b>ma on 03/04/2021. "
    "Caf&eacute; &#8212; AT&T.</p>\n<script>var x = 'Lipper';</script>\n"
    "<dl><dt>Phone</dt><dd>(410) 555-1234</dd><dt>MRN</dt><dd>48213377</dd></dl>\n"
    "<h2>Plan</h2><ul><li>Call Thelma</li><li>a &lt; b</li></ul></body></html>\n";

Test(srcmap_html, entities_and_tags, .init = setup)
{
    cs_redactor *r = redactor();
    cs_document *doc = parse_ok(html, strlen(html));
    cr_assert_eq(doc->format, CS_FMT_HTML);
    check_stats st = check_doc("html", doc, (const uint8_t *)html, strlen(html), r, 1);
    cr_expect_geq(st.words, 15);
    cr_expect_geq(st.spans, 2, "the redactor found %zu spans", st.spans);
    for (size_t i = 0; i < doc->n_sections; i++)
        cr_expect(doc->sections[i].text_len == 0 || doc->sections[i].map.n, "section %zu mapped", i);
    size_t s, e;
    cr_assert_eq(range_of_word(doc, "Lipper", &s, &e), 1);
    cr_expect_eq(s, (size_t)(strstr(html, "Lipper &amp;") - html), "not the one in <script>");
    cs_document_free(doc);
    cs_redactor_free(r);
}

Test(srcmap_html, messy_markup_still_reads_back, .init = setup)
{
    /* no <html>/<body>, unclosed <p>, a reference without ';', a comment
     * inside a word, <pre>, a table, CR LF, upper-case tags */
    const char *m =
        "Intro text &copy 2020 AT&T<P>Seen by Dr. Lip<!-- x -->per\r\non 03/04/2021"
        "<P>Call (410) 555-1234 &#x41;&#66;C &lt;tag&gt;<PRE>  MRN:   48213377\n  line two</PRE>"
        "<TABLE><TR><TD>Name<TD>Thelma Lipper</TABLE>trailing &nbsp; words";
    cs_redactor *r = redactor();
    cs_document *doc = parse_ok(m, strlen(m));
    check_stats st = check_doc("messy", doc, (const uint8_t *)m, strlen(m), r, 1);
    cr_expect_geq(st.words, 20);
    for (size_t i = 0; i < doc->n_sections; i++)
        cr_expect(doc->sections[i].text_len == 0 || doc->sections[i].map.n,
                  "section %zu has a map", i);
    expect_reads(doc, (const uint8_t *)m, "Lipper", "Lipper");
    cs_document_free(doc);
    cs_redactor_free(r);
}

/* --------------------------------------------------------------- corpus */

static size_t corpus_dir(const char *dir, const char *ext, const cs_redactor *r, check_stats *tot,
                         size_t *unmapped)
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    size_t files = 0;
    struct dirent *ent;
    while ((ent = readdir(d))) {
        size_t l = strlen(ent->d_name);
        if (l <= strlen(ext) || strcasecmp(ent->d_name + l - strlen(ext), ext)) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
        size_t n;
        char *data = cs_test_slurp(path, &n);
        if (!data) continue;
        cs_document *doc;
        if (cs_parse((const uint8_t *)data, n, NULL, &doc) == CS_OK) {
            check_stats st = check_doc(ent->d_name, doc, (const uint8_t *)data, n, r, 5);
            tot->words += st.words;
            tot->spans += st.spans;
            tot->mapped += st.mapped;
            for (size_t i = 0; i < doc->n_sections; i++)
                *unmapped += doc->sections[i].text_len && !doc->sections[i].map.n;
            cs_document_free(doc);
            files++;
        }
        free(data);
    }
    closedir(d);
    return files;
}

Test(srcmap_corpus, every_span_reads_back_from_the_file, .init = setup, .timeout = 600)
{
    DIR *probe = opendir(CORPUS);
    if (!probe) {
        printf("skip: %s absent (the corpus is not shipped)\n", CORPUS);
        cr_skip_test("corpus absent");
    }
    closedir(probe);
    cs_redactor *r = redactor();
    check_stats tot = {0};
    size_t unmapped = 0, files = 0;
    files += corpus_dir(CORPUS "/ccda-sample-ccdas", ".xml", r, &tot, &unmapped);
    files += corpus_dir(CORPUS "/ccda-hl7-examples", ".xml", r, &tot, &unmapped);
    files += corpus_dir(CORPUS "/fhir", ".json", r, &tot, &unmapped);
    printf("srcmap corpus: %zu files, %zu mapped sections, %zu sections with text but no map, "
           "%zu words and %zu spans checked\n", files, tot.mapped, unmapped, tot.words, tot.spans);
    cr_expect_gt(files, 50);
    cr_expect_gt(tot.spans, 100);
    cr_expect_leq(unmapped * 50, tot.mapped, "more than 2%% of sections unmapped");
    cs_redactor_free(r);
}
