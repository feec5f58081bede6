/* test_parse_fhir.c: FHIR R4 document Bundles, DocumentReferences and the
 * inputs that must be refused. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cs_document.h"
#include "cs_err.h"
#include "cs_parse.h"
#include "cs_test_files.h"

static int parse(const char *s, size_t n, cs_document **d)
{
    cs_parse_init();
    return cs_parse_fhir((const uint8_t *)s, n, d);
}

static cs_document *parse_ok(const char *s)
{
    cs_document *d = NULL;
    int rc = parse(s, strlen(s), &d);
    cr_assert_eq(rc, CS_OK, "parse failed: %s", cs_strerror(rc));
    return d;
}

static char *slurp(const char *path, size_t *n)
{
    char *p = cs_test_slurp(path, n);
    cr_assert_not_null(p, "cannot read %s", path);
    return p;
}

static int has(const cs_strlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->items[i], s)) return 1;
    return 0;
}

Test(fhir, document_bundle)
{
    size_t n;
    char *src = slurp(CS_SOURCE_DIR "/samples/patient_summary_fhir.json", &n);
    cs_document *d = NULL;
    cr_assert_eq(parse(src, n, &d), CS_OK);
    cr_expect_eq(d->format, CS_FMT_FHIR_BUNDLE);
    cr_expect_str_eq(d->kind, "patient summary");
    cr_expect_str_eq(d->title, "Patient Summary (synthetic)");
    cr_expect_str_eq(d->author, "Morgan Doctor", "author resolved through the Bundle");
    cr_expect_str_eq(d->facility, "Synthetic Health Clinic");
    cr_assert_eq(d->n_sections, 5);
    const cs_section *s = d->sections;
    cr_expect_str_eq(s[0].code, "11450-4");
    cr_expect_str_eq(s[0].text, "Problem | Since\nType 2 diabetes mellitus | 2015\n"
                                "Essential hypertension | 2018");
    cr_expect_str_eq(s[1].text, "Metformin 500 mg twice daily\nAmlodipine 5 mg daily");
    cr_expect_str_eq(s[2].title, "Allergies and Intolerances");
    cr_expect_str_eq(s[2].text, "Nil Known", "emptyReason stands in for narrative");
    cr_expect_str_eq(s[3].text, "Appendectomy at age 12.\nSj\xc3\xb6gren syndrome ruled out in 2020.");
    cr_expect_str_eq(s[4].title, "Childhood illnesses");
    cr_expect_eq(s[4].depth, 1);
    cr_expect_str_eq(s[4].text, "Measles, 1967.");
    for (size_t i = 0; i < d->n_sections; i++) {
        cr_expect_eq(src[s[i].start], '{', "span starts at the section object");
        cr_expect_eq(src[s[i].end - 1], '}', "span ends after it");
        cr_expect(strstr(src + s[i].start, s[i].title) < src + s[i].end);
    }
    cr_expect(s[4].start > s[3].start && s[4].end < s[3].end);
    const cs_identity *id = &d->identity;
    cr_expect(has(&id->names, "Robin Examplar"));
    cr_expect(has(&id->names, "Robin Lee Examplar"));
    cr_expect(has(&id->names, "Examplar"));
    cr_expect(!has(&id->names, "Morgan Doctor"), "the practitioner is not the patient");
    cr_expect(has(&id->identifiers, "MRN-445566"));
    cr_expect(has(&id->birth_dates, "1961-02-14"));
    cr_expect(has(&id->addresses, "9 Synthetic Street"));
    cr_expect(has(&id->addresses, "Testburg"));
    cr_expect(has(&id->addresses, "12345"));
    cr_expect(has(&id->telecoms, "+1 555 555 0199"));
    cr_expect(has(&id->telecoms, "robin.examplar@example.org"));
    cs_document_free(d);
    free(src);
}

/* base64 of "CHIEF COMPLAINT:\nCough for 2 weeks.\n\nPLAN:\nChest X-ray.\n" */
#define NOTE_B64 "Q0hJRUYgQ09NUExBSU5UOgpDb3VnaCBmb3IgMiB3ZWVrcy4KClBMQU46CkNoZXN0IFgtcmF5Lgo="
/* gzip magic + junk, and "%PDF-1.4 ..." */
#define GZIP_B64 "H4sIAAAAAAAAA8tIzcnJBwCGphA2BQAAAA=="
#define PDF_B64 "JVBERi0xLjQKJcfsj6IKNSAwIG9iago="

Test(fhir, document_reference_with_contained_patient)
{
    cs_document *d = parse_ok(
        "{\"resourceType\":\"DocumentReference\",\"status\":\"current\","
        "\"contained\":[{\"resourceType\":\"Patient\",\"id\":\"p\",\"name\":[{\"text\":\"Sam Q Sample\"}],"
        "\"identifier\":[{\"value\":\"X-77\"}],\"telecom\":[{\"value\":\"tel:555-0100\"}]}],"
        "\"type\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"11506-3\"}]},"
        "\"date\":\"2023-01-02\",\"author\":[{\"display\":\"Dr. Who\"}],"
        "\"content\":[{\"attachment\":{\"contentType\":\"text/plain\",\"data\":\"" NOTE_B64 "\"}}]}");
    cr_expect_eq(d->format, CS_FMT_FHIR_DOCREF);
    cr_expect_str_eq(d->kind, "progress note");
    cr_expect_str_eq(d->date, "2023-01-02");
    cr_expect_str_eq(d->author, "Dr. Who");
    cr_assert_eq(d->n_sections, 2);
    cr_expect_str_eq(d->sections[0].title, "CHIEF COMPLAINT");
    cr_expect_str_eq(d->sections[0].code, "10154-3");
    cr_expect_str_eq(d->sections[0].text, "Cough for 2 weeks.");
    cr_expect_str_eq(d->sections[1].text, "Chest X-ray.");
    cr_expect(has(&d->identity.names, "Sam Q Sample"));
    cr_expect(has(&d->identity.identifiers, "X-77"));
    cr_expect(has(&d->identity.telecoms, "555-0100"));
    cs_document_free(d);
}

Test(fhir, mislabelled_binary_attachments_are_reported_not_parsed)
{
    cs_document *d = parse_ok(
        "{\"resourceType\":\"DocumentReference\",\"content\":["
        "{\"attachment\":{\"contentType\":\"text/plain\",\"data\":\"" GZIP_B64 "\"}},"
        "{\"attachment\":{\"contentType\":\"text/plain\",\"data\":\"" PDF_B64 "\"}},"
        "{\"attachment\":{\"contentType\":\"application/pdf\",\"url\":\"http://x.invalid/a.pdf\"}},"
        "{\"attachment\":{\"contentType\":\"text/html\",\"data\":\"PGgxPlBsYW48L2gxPlJlc3Qu\"}}]}");
    cr_assert_eq(d->n_sections, 4);
    cr_expect_str_eq(d->sections[0].title, "[attachment not extracted: gzip content labelled text/plain]");
    cr_expect_str_eq(d->sections[1].title, "[attachment not extracted: PDF content labelled text/plain]");
    cr_expect(strstr(d->sections[2].title, "not fetched") != NULL);
    for (int i = 0; i < 3; i++) cr_expect_eq(d->sections[i].text_len, 0);
    cr_expect_str_eq(d->sections[3].title, "Plan", "<h1>Plan</h1>Rest. as HTML");
    cr_expect_str_eq(d->sections[3].text, "Rest.");
    cs_document_free(d);
}

Test(fhir, bundle_of_document_references)
{
    cs_document *d = parse_ok(
        "{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":["
        "{\"resource\":{\"resourceType\":\"DocumentReference\",\"description\":\"Visit 1\","
        "\"content\":[{\"attachment\":{\"contentType\":\"text/plain\",\"data\":\"" NOTE_B64 "\"}}]}},"
        "{\"resource\":{\"resourceType\":\"Patient\",\"birthDate\":\"1990-01-01\"}},"
        "{\"resource\":{\"resourceType\":\"DocumentReference\",\"description\":\"Visit 2\","
        "\"content\":[{\"attachment\":{\"contentType\":\"text/plain\",\"data\":\"" NOTE_B64 "\"}}]}}]}");
    cr_expect_eq(d->format, CS_FMT_FHIR_BUNDLE);
    cr_expect_str_eq(d->kind, "document collection");
    cr_assert_eq(d->n_sections, 6);
    cr_expect_str_eq(d->sections[0].title, "Visit 1");
    cr_expect_eq(d->sections[0].depth, 0);
    cr_expect_str_eq(d->sections[1].title, "CHIEF COMPLAINT");
    cr_expect_eq(d->sections[1].depth, 1);
    cr_expect_str_eq(d->sections[3].title, "Visit 2");
    cr_expect(has(&d->identity.birth_dates, "1990-01-01"));
    cs_document_free(d);
}

Test(fhir, refused_inputs)
{
    cs_document *d = (cs_document *)1;
    const char *cases[][2] = {
        {"{\"name\":\"not fhir\"}", "no resourceType"},
        {"[1,2,3]", "array"},
        {"{\"resourceType\":\"Observation\",\"status\":\"final\"}", "not a document"},
        {"{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[]}", "empty bundle"},
        {"{\"resourceType\":5}", "bad type"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int rc = parse(cases[i][0], strlen(cases[i][0]), &d);
        cr_expect_eq(rc, CS_ERR_NOT_FHIR, "%s: %s", cases[i][1], cs_strerror(rc));
        cr_expect_null(d);
    }
    const char *trunc = "{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":";
    cr_expect_eq(parse(trunc, strlen(trunc), &d), CS_ERR_JSON);
    const char *bad = "{\"resourceType\":\"Bundle\",\"id\":\"\xff\xfe\"}";
    cr_expect_eq(parse(bad, strlen(bad), &d), CS_ERR_ENCODING);
    cr_expect_eq(parse("", 0, &d), CS_ERR_EMPTY);
    cr_expect_null(d);
}
