/* test_parse_text.c: the document model and the plain-text parser. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "cs_document.h"
#include "cs_document_json.h"
#include "cs_err.h"
#include "cs_parse.h"

static cs_document *parse(const char *s)
{
    cs_document *d = NULL;
    int rc = cs_parse_text((const uint8_t *)s, strlen(s), &d);
    cr_assert_eq(rc, CS_OK, "parse failed: %s", cs_strerror(rc));
    return d;
}

static const cs_section *find(const cs_document *d, const char *title)
{
    for (size_t i = 0; i < d->n_sections; i++)
        if (!strcmp(d->sections[i].title, title)) return &d->sections[i];
    return NULL;
}

Test(text_parser, headers_clinicians_write)
{
    cs_document *d = parse(
        "Discharge Summary\n"
        "HISTORY OF PRESENT ILLNESS:\nShort of breath.\n\n"
        "Assessment/Plan:\nDiurese.\n"
        "MEDICATIONS ON DISCHARGE\nFurosemide 40 mg daily.\n"
        "2. HOSPITAL COURSE\nImproved.\n"
        "Allergies: penicillin\n"
        "Dose: 5 mg was given.\n");
    const cs_section *s = find(d, "HISTORY OF PRESENT ILLNESS");
    cr_assert_not_null(s);
    cr_expect_str_eq(s->text, "Short of breath.");
    cr_expect_str_eq(s->code, "10164-2");
    cr_expect_str_eq(s->code_system, "LOINC");
    s = find(d, "Assessment/Plan");
    cr_assert_not_null(s);
    cr_expect_str_eq(s->code, "51847-2");
    s = find(d, "MEDICATIONS ON DISCHARGE");
    cr_assert_not_null(s);
    cr_expect_str_eq(s->code, "10183-2");
    s = find(d, "HOSPITAL COURSE");
    cr_assert_not_null(s, "numbered header");
    cr_expect_str_eq(s->code, "8648-8");
    s = find(d, "Allergies");
    cr_assert_not_null(s, "inline header");
    /* "Dose:" is not a heading: its line stays narrative of Allergies */
    cr_expect_str_eq(s->text, "penicillin\nDose: 5 mg was given.");
    cr_expect_str_eq(d->kind, "discharge summary");
    cs_document_free(d);
}

Test(text_parser, crlf_and_cr_offsets)
{
    const char *src = "NOTE\r\nPLAN:\r\nRest.\rWalk.\r\n";
    cs_document *d = parse(src);
    const cs_section *s = find(d, "PLAN");
    cr_assert_not_null(s);
    cr_expect_str_eq(s->text, "Rest.\nWalk.");
    cr_expect_eq(s->start, 6);
    cr_expect_eq(s->end, strlen(src));
    cr_expect_eq(strncmp(src + s->start, "PLAN:", 5), 0);
    cs_document_free(d);
}

Test(text_parser, no_text_lost_and_untitled_preamble)
{
    const char *src = "Seen today for follow up.\nDoing well.\nPLAN:\nContinue.\n";
    cs_document *d = parse(src);
    cr_assert_geq(d->n_sections, 2);
    cr_expect_str_eq(d->sections[0].title, "");
    cr_expect_str_eq(d->sections[0].text, "Seen today for follow up.\nDoing well.");
    cr_expect_eq(d->sections[0].start, 0);
    cr_expect_eq(cs_document_text_len(d), strlen("Seen today for follow up.\nDoing well.") + strlen("Continue."));
    cs_document_free(d);
}

Test(text_parser, transcripts_are_not_headers)
{
    cs_document *d = parse("[doctor] hi how are you\n[patient] OK: tired\n");
    cr_expect_eq(d->n_sections, 1);
    cr_expect_str_eq(d->kind, "transcript");
    cs_document_free(d);
}

Test(text_parser, encodings)
{
    const uint8_t le[] = {0xFF, 0xFE, 'P', 0, 'L', 0, 'A', 0, 'N', 0, ':', 0, '\n', 0, 'x', 0};
    cs_document *d = NULL;
    cr_assert_eq(cs_parse_text(le, sizeof le, &d), CS_OK);
    cr_expect_str_eq(d->encoding, "utf-16le");
    cr_assert_eq(d->n_sections, 1);
    cr_expect_str_eq(d->sections[0].title, "PLAN");
    cr_expect_eq(d->sections[0].start, 2);
    cs_document_free(d);
    cr_expect_eq(cs_parse_text((const uint8_t *)"\x7f" "ELF\x02", 5, &d), CS_ERR_BINARY);
    cr_expect_null(d);
    cr_expect_eq(cs_parse_text((const uint8_t *)"", 0, &d), CS_ERR_EMPTY);
}

Test(parse, detect_by_content)
{
#define DET(s) cs_detect_format((const uint8_t *)(s), strlen(s))
    cr_expect_eq(DET("  {\"resourceType\":\"Bundle\"}"), CS_FMT_FHIR_BUNDLE);
    cr_expect_eq(DET("<?xml version=\"1.0\"?><ClinicalDocument xmlns=\"urn:hl7-org:v3\">"), CS_FMT_CCDA);
    cr_expect_eq(DET("\xEF\xBB\xBF<!DOCTYPE html><html>"), CS_FMT_HTML);
    cr_expect_eq(DET("HPI: cough"), CS_FMT_TEXT);
    cr_expect_eq(DET("<"), CS_FMT_HTML); /* fuzz regression: no read past a 1-byte input */
    const uint8_t le[] = {0xFF, 0xFE, '{', 0, '}', 0};
    cr_expect_eq(cs_detect_format(le, sizeof le), CS_FMT_FHIR_BUNDLE);
#undef DET
}

Test(parse, size_cap_and_empty)
{
    cs_parse_options o = {.max_bytes = 4};
    cs_document *d = NULL;
    cr_expect_eq(cs_parse((const uint8_t *)"PLAN: rest", 10, &o, &d), CS_ERR_TOO_LARGE);
    cr_expect_eq(cs_parse((const uint8_t *)"", 0, NULL, &d), CS_ERR_EMPTY);
    cr_expect_eq(cs_parse((const uint8_t *)"PLAN: rest", 10, NULL, &d), CS_OK);
    cr_expect_eq(d->format, CS_FMT_TEXT);
    cs_document_free(d);
}

Test(document, strlist_dedup_and_set)
{
    cs_strlist l = {0};
    cr_assert_eq(cs_strlist_add(&l, " Mary Smith "), CS_OK);
    cr_assert_eq(cs_strlist_add(&l, "MARY SMITH"), CS_OK);
    cr_assert_eq(cs_strlist_add(&l, "   "), CS_OK);
    cr_assert_eq(cs_strlist_add(&l, NULL), CS_OK);
    cr_expect_eq(l.n, 1);
    cr_expect_str_eq(l.items[0], "Mary Smith");
    cs_strlist_free(&l);
    cs_document *d = cs_document_new(CS_FMT_CCDA);
    cr_assert_eq(cs_document_set(&d->kind, "CCD"), CS_OK);
    cr_expect_str_eq(d->kind, "CCD");
    cr_assert_eq(cs_document_set(&d->kind, NULL), CS_OK);
    cr_expect_null(d->kind);
    cr_expect_str_eq(cs_format_name(d->format), "ccda");
    cr_expect_str_eq(cs_loinc_section_name("48765-2"), "Allergies");
    cr_expect_null(cs_loinc_section_name("0-0"));
    cr_expect_str_eq(cs_section_code_for_title("  Past Medical History : "), "11348-0");
    cr_expect_null(cs_section_code_for_title("Weather"));
    cs_document_free(d);
}

Test(document, json_contract)
{
    cs_document *d = parse("PLAN:\nRest \"now\".\n");
    cr_assert_eq(cs_strlist_add(&d->identity.names, "Ann Lee"), CS_OK);
    char *j = cs_document_to_json(d, 0);
    cr_assert_not_null(j);
    cr_expect_not_null(strstr(j, "\"format\":\"text\""));
    cr_expect_not_null(strstr(j, "\"sections\":[{\"title\":\"PLAN\",\"code\":\"18776-5\",\"code_system\":\"LOINC\",\"text\":\"Rest \\\"now\\\".\",\"start\":0,\"end\":18"));
    cr_expect_not_null(strstr(j, "\"identity\":{\"names\":[\"Ann Lee\"],\"identifiers\":[]"));
    free(j);
    cs_document_free(d);
}
