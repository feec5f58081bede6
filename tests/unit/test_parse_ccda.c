/* test_parse_ccda.c: the C-CDA parser on synthetic documents, including the
 * hostile ones (XXE, billion laughs, truncation, wrong encodings). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cs_document.h"
#include "cs_err.h"
#include "cs_parse.h"
#include "cs_test_files.h"

static char *slurp(const char *path, size_t *n)
{
    char *p = cs_test_slurp(path, n);
    cr_assert_not_null(p, "cannot read %s", path);
    return p;
}

static int parse(const char *s, size_t n, cs_document **d)
{
    cs_parse_init();
    return cs_parse_ccda((const uint8_t *)s, n, d);
}

static cs_document *parse_ok(const char *s)
{
    cs_document *d = NULL;
    int rc = parse(s, strlen(s), &d);
    cr_assert_eq(rc, CS_OK, "parse failed: %s", cs_strerror(rc));
    return d;
}

static const cs_section *by_title(const cs_document *d, const char *title)
{
    for (size_t i = 0; i < d->n_sections; i++)
        if (!strcmp(d->sections[i].title, title)) return &d->sections[i];
    cr_assert_fail("no section titled %s", title);
    return NULL;
}

static int has(const cs_strlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->items[i], s)) return 1;
    return 0;
}

#define SAMPLE CS_SOURCE_DIR "/samples/discharge_summary_ccda.xml"

Test(ccda, header_identity_and_metadata)
{
    size_t n;
    char *src = slurp(SAMPLE, &n);
    cs_document *d = NULL;
    cr_assert_eq(parse(src, n, &d), CS_OK);
    cr_expect_eq(d->format, CS_FMT_CCDA);
    cr_expect_str_eq(d->kind, "discharge summary");
    cr_expect_str_eq(d->title, "Discharge Summary");
    cr_expect_str_eq(d->date, "20240312143000-0500");
    cr_expect_str_eq(d->author, "Avery Clinician");
    cr_expect_str_eq(d->facility, "Example Community Hospital");
    const cs_identity *id = &d->identity;
    cr_expect(has(&id->names, "Jane Testpatient"));
    cr_expect(has(&id->names, "Jane Quinn Testpatient"));
    cr_expect(has(&id->names, "Testpatient, Jane"));
    cr_expect(has(&id->names, "Testpatient"));
    cr_expect(!has(&id->names, "Ms."), "prefix is not a name");
    cr_expect(has(&id->identifiers, "MRN-998877"));
    cr_expect(has(&id->identifiers, "999-12-3456"));
    cr_expect(has(&id->birth_dates, "19580704"));
    cr_expect(has(&id->addresses, "42 Imaginary Lane"));
    cr_expect(has(&id->addresses, "Apt 7"));
    cr_expect(has(&id->addresses, "Fictionville"));
    cr_expect(has(&id->addresses, "97999"));
    cr_expect(has(&id->telecoms, "+1(555)555-0142"), "tel: stripped");
    cr_expect(has(&id->telecoms, "jane.testpatient@example.org"), "mailto: stripped");
    cs_document_free(d);
    free(src);
}

Test(ccda, sections_codes_narrative_and_spans)
{
    size_t n;
    char *src = slurp(SAMPLE, &n);
    cs_document *d = NULL;
    cr_assert_eq(parse(src, n, &d), CS_OK);
    cr_assert_eq(d->n_sections, 6);
    const cs_section *s = by_title(d, "History of Present Illness");
    cr_expect_str_eq(s->code, "10164-2");
    cr_expect_str_eq(s->code_system, "LOINC");
    cr_expect_str_eq(s->text, "66-year-old woman admitted with worsening dyspnea over three days.\n"
                              "No chest pain.\nOrthopnea for one week.");
    s = by_title(d, "Allergies");
    cr_expect_str_eq(s->text, "Substance | Reaction | Severity\nPenicillin | Hives | Moderate\n"
                              "Sulfa drugs |  | Mild");
    s = by_title(d, "Discharge Medications");
    cr_expect_str_eq(s->code, "10183-2", "templateId fallback");
    cr_expect_str_eq(s->text, "Furosemide 40 mg by mouth daily\nLisinopril 10 mg by mouth daily\n"
                              "Metoprolol succinate 25 mg daily");
    s = by_title(d, "Hospital Course");
    cr_expect(strstr(s->text, "(see echo report)") != NULL, "linkHtml text kept");
    const cs_section *sub = by_title(d, "Cardiology consult");
    cr_expect_eq(sub->depth, 1);
    cr_expect_eq(s->depth, 0);
    cr_expect(sub->start > s->start && sub->end < s->end, "nested span inside parent");
    s = by_title(d, "Assessment and Plan");
    cr_expect_str_eq(s->code, "51847-2", "nullFlavor code -> title fallback");
    for (size_t i = 0; i < d->n_sections; i++) {
        const cs_section *t = &d->sections[i];
        cr_assert(t->end <= n && t->start < t->end);
        cr_expect(!strncmp(src + t->start, "<section", 8), "span starts at <section");
        cr_expect(!strncmp(src + t->end - 10, "</section>", 10), "span ends after </section>");
        cr_expect_eq(t->text_len, strlen(t->text));
    }
    cs_document_free(d);
    free(src);
}

#define ROOT "<ClinicalDocument xmlns=\"urn:hl7-org:v3\">"
#define HEAD "<?xml version=\"1.0\"?>\n" ROOT
#define BODY(x) "<component><structuredBody><component><section><title>Notes</title><text>" x \
                "</text></section></component></structuredBody></component>"

Test(ccda, non_utf8_encodings_map_spans_to_source_bytes)
{
    /* Latin-1 declared and used: "Müller" with one byte for the umlaut */
    const char *latin1 = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
                         "<ClinicalDocument xmlns=\"urn:hl7-org:v3\"><title>Br\xfc" "ckner</title>"
                         BODY("Dr. M\xfcller saw her.") "</ClinicalDocument>";
    cs_document *d = parse_ok(latin1);
    cr_expect_str_eq(d->title, "Br\xc3\xbc" "ckner");
    cr_expect_str_eq(d->sections[0].text, "Dr. M\xc3\xbcller saw her.");
    cr_expect(!strncmp(latin1 + d->sections[0].start, "<section>", 9));
    cr_expect(!strncmp(latin1 + d->sections[0].end - 10, "</section>", 10));
    cs_document_free(d);

    /* UTF-8 with BOM: spans count the BOM's three bytes */
    const char *bom = "\xEF\xBB\xBF" HEAD BODY("B") "</ClinicalDocument>";
    d = parse_ok(bom);
    cr_expect(!strncmp(bom + d->sections[0].start, "<section>", 9));
    cr_expect_str_eq(d->sections[0].text, "B");
    cs_document_free(d);

    /* UTF-16 LE with BOM */
    const char *ascii = HEAD BODY("Plain words.") "</ClinicalDocument>";
    size_t m = strlen(ascii);
    char *u16 = malloc(2 * m + 2);
    u16[0] = (char)0xFF; u16[1] = (char)0xFE;
    for (size_t i = 0; i < m; i++) { u16[2 + 2 * i] = ascii[i]; u16[3 + 2 * i] = 0; }
    cr_assert_eq(parse(u16, 2 * m + 2, &d), CS_OK);
    cr_expect_str_eq(d->sections[0].text, "Plain words.");
    size_t want = 2 + 2 * (size_t)(strstr(ascii, "<section>") - ascii);
    cr_expect_eq(d->sections[0].start, want, "span in UTF-16 source bytes");
    cs_document_free(d);
    free(u16);
}

Test(ccda, undeclared_namespace_guide_examples_are_read)
{
    cs_document *d = parse_ok("<ClinicalDocument><title>T</title>"
                              BODY("<paragraph>x</paragraph>") "</ClinicalDocument>");
    cr_expect_eq(d->n_sections, 1);
    cr_expect_str_eq(d->sections[0].text, "x");
    cs_document_free(d);
}

Test(ccda, non_xml_body_text_and_binary)
{
    /* "HISTORY:\nFell at home.\n" in base64 */
    cs_document *d = parse_ok(HEAD "<component><nonXMLBody><text mediaType=\"text/plain\" "
                              "representation=\"B64\">SElTVE9SWToKRmVsbCBhdCBob21lLgo=</text>"
                              "</nonXMLBody></component></ClinicalDocument>");
    cr_assert_eq(d->n_sections, 1);
    cr_expect_str_eq(d->sections[0].title, "HISTORY");
    cr_expect_str_eq(d->sections[0].text, "Fell at home.");
    cs_document_free(d);
    /* "%PDF-1.4 ..." in base64: reported, never parsed as text */
    d = parse_ok(HEAD "<component><nonXMLBody><text mediaType=\"application/pdf\" "
                 "representation=\"B64\">JVBERi0xLjQKJcfsj6IKNSAwIG9iago=</text>"
                 "</nonXMLBody></component></ClinicalDocument>");
    cr_assert_eq(d->n_sections, 1);
    cr_expect(strstr(d->sections[0].title, "not extracted") != NULL);
    cr_expect(strstr(d->sections[0].title, "PDF") != NULL);
    cr_expect_eq(d->sections[0].text_len, 0);
    cs_document_free(d);
    /* a PDF mislabelled text/plain is still recognised */
    d = parse_ok(HEAD "<component><nonXMLBody><text mediaType=\"text/plain\" "
                 "representation=\"B64\">JVBERi0xLjQKJcfsj6IKNSAwIG9iago=</text>"
                 "</nonXMLBody></component></ClinicalDocument>");
    cr_expect(strstr(d->sections[0].title, "PDF content labelled text/plain") != NULL);
    cs_document_free(d);
    /* plain text without base64, and an external reference */
    d = parse_ok(HEAD "<component><nonXMLBody><text>Seen &amp; examined.</text>"
                 "</nonXMLBody></component></ClinicalDocument>");
    cr_expect_str_eq(d->sections[0].text, "Seen & examined.");
    cs_document_free(d);
    d = parse_ok(HEAD "<component><nonXMLBody><text mediaType=\"application/pdf\">"
                 "<reference value=\"note.pdf\"/></text></nonXMLBody></component></ClinicalDocument>");
    cr_expect(strstr(d->sections[0].title, "external reference") != NULL);
    cs_document_free(d);
}

Test(ccda, null_flavors_are_not_values)
{
    cs_document *d = parse_ok(HEAD "<recordTarget><patientRole><id nullFlavor=\"NI\"/>"
                              "<addr nullFlavor=\"UNK\"/><telecom nullFlavor=\"UNK\"/>"
                              "<patient><name nullFlavor=\"UNK\"/><birthTime nullFlavor=\"UNK\"/>"
                              "</patient></patientRole></recordTarget>"
                              "<effectiveTime nullFlavor=\"UNK\"/>"
                              BODY("") "</ClinicalDocument>");
    cr_expect_eq(d->identity.identifiers.n, 0);
    cr_expect_eq(d->identity.names.n, 0);
    cr_expect_eq(d->identity.addresses.n, 0);
    cr_expect_eq(d->identity.telecoms.n, 0);
    cr_expect_eq(d->identity.birth_dates.n, 0);
    cr_expect_null(d->date);
    cs_document_free(d);
}

Test(ccda, external_entity_is_never_loaded)
{
    /* XXE: a file the test controls; its content must never appear. */
    char path[] = "/tmp/cs_xxe_XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    FILE *f = fdopen(fd, "w");
    fputs("XXE-SECRET-CONTENT", f);
    fclose(f);
    char doc[1024];
    snprintf(doc, sizeof doc,
             "<?xml version=\"1.0\"?>\n<!DOCTYPE ClinicalDocument [\n"
             "<!ENTITY xxe SYSTEM \"file://%s\">]>\n" ROOT
             BODY("before &xxe; after") "</ClinicalDocument>", path);
    cs_document *d = NULL;
    int rc = parse(doc, strlen(doc), &d);
    cr_expect_eq(rc, CS_ERR_UNSUPPORTED, "entity declarations are refused: %s", cs_strerror(rc));
    cr_expect_null(d);
    if (d) {
        for (size_t i = 0; i < d->n_sections; i++)
            cr_expect(!strstr(d->sections[i].text, "XXE-SECRET"));
        cs_document_free(d);
    }
    /* through the dispatcher as well */
    rc = cs_parse((const uint8_t *)doc, strlen(doc), NULL, &d);
    cr_expect_neq(rc, CS_OK);
    unlink(path);
}

Test(ccda, billion_laughs_is_not_expanded, .timeout = 10)
{
    const char *doc =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE ClinicalDocument [\n"
        "<!ENTITY lol \"lol\">\n"
        "<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
        "<!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
        "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
        "<!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
        "<!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
        "<!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
        "<!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
        "<!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
        "<!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
        "]>\n<ClinicalDocument xmlns=\"urn:hl7-org:v3\">" BODY("&lol9;") "</ClinicalDocument>";
    cs_document *d = NULL;
    int rc = parse(doc, strlen(doc), &d);
    cr_expect_eq(rc, CS_ERR_UNSUPPORTED, "got %s", cs_strerror(rc));
    cr_expect_null(d, "no document, so nothing could have been expanded");
    cs_document_free(d);
}

Test(ccda, doctype_without_entities_is_fine)
{
    cs_document *d = parse_ok("<?xml version=\"1.0\"?>\n<!DOCTYPE ClinicalDocument SYSTEM "
                              "\"http://example.invalid/cda.dtd\">\n" ROOT
                              BODY("ok") "</ClinicalDocument>");
    cr_expect_str_eq(d->sections[0].text, "ok");
    cs_document_free(d);
}

Test(ccda, bad_input_errors)
{
    cs_document *d = (cs_document *)1;
    const char *full = HEAD BODY("text") "</ClinicalDocument>";
    for (size_t cut = 10; cut < strlen(full); cut += 7) {
        int rc = parse(full, cut, &d);
        cr_expect_eq(rc, CS_ERR_XML, "truncated at %zu: %s", cut, cs_strerror(rc));
        cr_expect_null(d);
    }
    const char *other = "<?xml version=\"1.0\"?><note><to>x</to></note>";
    cr_expect_eq(parse(other, strlen(other), &d), CS_ERR_NOT_CCDA);
    const char *wrong_ns = "<ClinicalDocument xmlns=\"urn:example\"/>";
    cr_expect_eq(parse(wrong_ns, strlen(wrong_ns), &d), CS_ERR_NOT_CCDA);
    const char *bad_utf8 = HEAD BODY("caf\xe9 \xff\xfe") "</ClinicalDocument>";
    cr_expect_eq(parse(bad_utf8, strlen(bad_utf8), &d), CS_ERR_ENCODING);
    cr_expect_eq(parse("", 0, &d), CS_ERR_EMPTY);
    const char bin[] = "<ClinicalDocument>\0\1\2\3\4</ClinicalDocument>";
    cr_expect_eq(parse(bin, sizeof bin - 1, &d), CS_ERR_BINARY);
    cr_expect_null(d);
}
