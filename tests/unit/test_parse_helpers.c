/* test_parse_helpers.c: the parsers' internal building blocks: base64,
 * magic-byte sniffing, JSON spans, code tables, safe XML reading with
 * element spans, and the narrative flattener. */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "cs_attachment.h"
#include "cs_codes.h"
#include "cs_document.h"
#include "cs_err.h"
#include "cs_json_span.h"
#include "cs_narrative.h"
#include "cs_parse.h"
#include "cs_xml.h"

Test(helpers, base64)
{
    uint8_t *p;
    size_t n;
    cr_assert_eq(cs_base64_decode("aGVs\nbG8=", 9, &p, &n), CS_OK);
    cr_expect_eq(n, 5);
    cr_expect(!memcmp(p, "hello", 5));
    free(p);
    cr_assert_eq(cs_base64_decode("aGk", 3, &p, &n), CS_OK, "padding optional");
    cr_expect(n == 2 && !memcmp(p, "hi", 2));
    free(p);
    cr_expect_eq(cs_base64_decode("a*b=", 4, &p, &n), CS_ERR_FORMAT);
    cr_expect_eq(cs_base64_decode("aG=k", 4, &p, &n), CS_ERR_FORMAT, "data after padding");
    cr_expect_null(p);
}

Test(helpers, sniff_binary)
{
    cr_expect_str_eq(cs_sniff_binary((const uint8_t *)"%PDF-1.7", 8), "PDF");
    cr_expect_str_eq(cs_sniff_binary((const uint8_t *)"\x1f\x8b\x08\x00", 4), "gzip");
    cr_expect_str_eq(cs_sniff_binary((const uint8_t *)"PK\x03\x04zz", 6), "ZIP");
    cr_expect_null(cs_sniff_binary((const uint8_t *)"HISTORY: ok", 11));
    cr_expect_null(cs_sniff_binary((const uint8_t *)"%", 1));
}

Test(helpers, json_spans)
{
    const char *j = "{ \"a\": [1, {\"x\": \"}\\\"]\"}, [2]], \"b\" : {\"c\": true} }";
    size_t n = strlen(j);
    size_t a = cs_json_member(j, n, 0, "a");
    cr_assert_neq(a, CS_JSON_NOPOS);
    cr_expect_eq(j[a], '[');
    size_t e0 = cs_json_first(j, n, a);
    cr_expect_eq(j[e0], '1');
    size_t e1 = cs_json_next(j, n, e0);
    cr_expect_eq(j[e1], '{');
    cr_expect_eq(j[cs_json_skip(j, n, e1) - 1], '}', "escaped quote and brace in a string");
    size_t e2 = cs_json_next(j, n, e1);
    cr_expect(!strncmp(j + e2, "[2]", 3));
    cr_expect_eq(cs_json_next(j, n, e2), CS_JSON_NOPOS);
    size_t b = cs_json_member(j, n, 0, "b");
    cr_expect(!strncmp(j + b, "{\"c\": true}", 11));
    cr_expect_eq(cs_json_skip(j, n, b) - b, 11);
    cr_expect_eq(cs_json_member(j, n, 0, "zz"), CS_JSON_NOPOS);
    cr_expect_eq(cs_json_member(j, n, CS_JSON_NOPOS, "a"), CS_JSON_NOPOS);
}

Test(helpers, code_tables)
{
    cr_expect_str_eq(cs_kind_for_loinc("34133-9"), "CCD");
    cr_expect_str_eq(cs_kind_for_loinc("18842-5"), "discharge summary");
    cr_expect_null(cs_kind_for_loinc("0000-0"));
    cr_expect_str_eq(cs_kind_for_title("Hospital Discharge Summary"), "discharge summary");
    cr_expect_null(cs_kind_for_title(NULL));
    cr_expect_str_eq(cs_loinc_for_template("2.16.840.1.113883.10.20.22.2.1.1"), "10160-0");
    cr_expect_str_eq(cs_loinc_for_template("2.16.840.1.113883.10.20.22.2.1"), "10160-0");
    cr_expect_str_eq(cs_loinc_for_template("2.16.840.1.113883.10.20.22.2.10"), "18776-5");
    cr_expect_null(cs_loinc_for_template("2.16.840.1.113883.10.20.22.2.1.2"));
    cr_expect_str_eq(cs_code_system_name("2.16.840.1.113883.6.1"), "LOINC");
    cr_expect_str_eq(cs_code_system_name("http://loinc.org"), "LOINC");
    cr_expect_str_eq(cs_code_system_name("http://snomed.info/sct"), "http://snomed.info/sct");
}

Test(helpers, xml_read_spans_and_refusals)
{
    cs_parse_init();
    const char *x = "<r xmlns=\"urn:x\">\n  <s a=\">\">one<s>two</s></s><s/><t>x</t></r>";
    static const char *const track[] = {"s", NULL};
    cs_xml doc;
    cr_assert_eq(cs_xml_read(x, strlen(x), track, &doc), CS_OK);
    xmlNodePtr root = xmlDocGetRootElement(doc.doc);
    xmlNodePtr s1 = cs_xml_child(root, "s"), s2 = cs_xml_child(s1, "s"), s3 = cs_xml_next(s1, "s");
    cs_span sp;
    cr_assert(cs_xml_span(&doc, s1, &sp));
    cr_expect_eq(sp.start, (size_t)(strstr(x, "<s a") - x));
    cr_expect_eq(sp.end, (size_t)(strstr(x, "</s></s>") - x) + 8);
    cr_assert(cs_xml_span(&doc, s2, &sp));
    cr_expect(!strncmp(x + sp.start, "<s>two</s>", sp.end - sp.start));
    cr_assert(cs_xml_span(&doc, s3, &sp));
    cr_expect(!strncmp(x + sp.start, "<s/>", 4) && sp.end - sp.start == 4);
    cr_expect(!cs_xml_span(&doc, cs_xml_child(root, "t"), &sp), "untracked");
    cr_expect_str_eq(cs_xml_attr(s1, "a"), ">");
    cr_expect(cs_xml_is(root, "R"), "case-insensitive local name");
    cs_xml_free(&doc);
    cr_expect_eq(cs_xml_read("<r><s></r>", 10, track, &doc), CS_ERR_XML);
    const char *ent = "<!DOCTYPE r [<!ENTITY e \"v\">]><r>&e;</r>";
    cr_expect_eq(cs_xml_read(ent, strlen(ent), NULL, &doc), CS_ERR_UNSUPPORTED);
    const char *pent = "<!DOCTYPE r [<!ENTITY % p SYSTEM \"http://x.invalid/\"> %p;]><r/>";
    cr_expect_eq(cs_xml_read(pent, strlen(pent), NULL, &doc), CS_ERR_UNSUPPORTED);
    cr_expect_null(doc.doc);
}

static char *flat_html(const char *h)
{
    cs_xml x;
    cr_assert_eq(cs_html_read(h, strlen(h), NULL, &x), CS_OK);
    char *s = cs_flatten((xmlNodePtr)x.doc, NULL);
    cs_xml_free(&x);
    return s;
}

Test(helpers, narrative_flattening)
{
    cs_parse_init();
    char *s = flat_html("<div>  a\n b <b>bold</b>c<br/>next<p>para</p>tail</div>");
    cr_expect_str_eq(s, "a b boldc\nnext\npara\ntail");
    free(s);
    s = flat_html("<table><caption>Vitals</caption><tr><th>BP</th><th>HR</th></tr>"
                  "<tr><td><p>120/80</p><p>sitting</p></td><td>72</td></tr></table>");
    cr_expect_str_eq(s, "Vitals\nBP | HR\n120/80 sitting | 72", "a row stays on one line");
    free(s);
    s = flat_html("<ul><li>one</li><li>two<!-- hidden --></li></ul><style>x</style>");
    cr_expect_str_eq(s, "one\ntwo");
    free(s);
    cs_flat f = {0};
    cr_expect_eq(cs_flat_text(&f, "  x \xc2\xa0 y  ", 10), CS_OK);
    cs_flat_break(&f);
    cr_expect_eq(cs_flat_text(&f, "z", 1), CS_OK);
    size_t n;
    s = cs_flat_take(&f, &n);
    cr_expect_str_eq(s, "x y\nz", "NBSP is a space");
    cr_expect_eq(n, 5);
    free(s);
    cs_flat_free(&f);
}

Test(helpers, detect_format_reads_only_its_input)
{
    /* regression (found by fuzz_parse): a lone "<" was compared with
     * "<?xml" past the end of the buffer */
    uint8_t *one = malloc(1);
    one[0] = '<';
    cr_expect_eq(cs_detect_format(one, 1), CS_FMT_HTML);
    free(one);
    cr_expect_eq(cs_detect_format((const uint8_t *)"<?xml version=\"1.0\"?><a/>", 25), CS_FMT_CCDA);
    cr_expect_eq(cs_detect_format((const uint8_t *)"  {\"resourceType\":1}", 20), CS_FMT_FHIR_BUNDLE);
}

Test(helpers, name_forms_and_telecoms)
{
    cs_strlist l = {0};
    const char *given[] = {"Ann", NULL, "Marie"};
    char *full = NULL;
    cr_assert_eq(cs_name_forms_add(&l, given, 3, "Lee", &full), CS_OK);
    const char *want[] = {"Ann", "Marie", "Lee", "Ann Lee", "Lee, Ann", "Ann Marie Lee"};
    cr_assert_eq(l.n, 6);
    for (size_t i = 0; i < 6; i++) cr_expect_str_eq(l.items[i], want[i]);
    cr_expect_str_eq(full, "Ann Marie Lee");
    free(full);
    full = NULL;
    cr_assert_eq(cs_name_forms_add(NULL, NULL, 0, "Solo", &full), CS_OK, "names list optional");
    cr_expect_str_eq(full, "Solo");
    free(full);
    cs_strlist_free(&l);
    cr_assert_eq(cs_telecom_add(&l, "tel:+1-555-0100"), CS_OK);
    cr_assert_eq(cs_telecom_add(&l, "MAILTO:a@b.org"), CS_OK);
    cr_assert_eq(cs_telecom_add(&l, "555 0101"), CS_OK);
    cr_assert_eq(cs_telecom_add(&l, NULL), CS_OK);
    cr_assert_eq(l.n, 3);
    cr_expect_str_eq(l.items[0], "+1-555-0100");
    cr_expect_str_eq(l.items[1], "a@b.org");
    cr_expect_str_eq(l.items[2], "555 0101");
    cs_strlist_free(&l);
}
