/* The model-free summarizer: summary building, sentences, transcripts and
 * the three extractive paths. */
#include "cs_err.h"
#include "cs_parse.h"
#include "extractive.h"
#include "sentences.h"
#include "summary.h"
#include "transcript.h"

#include <criterion/criterion.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static cs_document *parse(const char *text)
{
    cs_document *d = NULL;
    cr_assert_eq(cs_parse_text((const uint8_t *)text, strlen(text), &d), CS_OK);
    return d;
}

static const cs_summary_section *find(const cs_summary *s, const char *heading)
{
    for (size_t i = 0; i < s->n_sections; i++)
        if (!strcmp(s->sections[i].heading, heading)) return &s->sections[i];
    return NULL;
}

static int has_item(const cs_summary_section *sec, const char *needle)
{
    for (size_t i = 0; sec && i < sec->n_items; i++)
        if (strcasestr(sec->items[i], needle)) return 1;
    return 0;
}

/* ------------------------------------------------------------ summary */

Test(summary, build_text_and_free)
{
    cs_summary s = {0};
    cs_summary_section *a = cs_summary_section_get(&s, "Allergies", "48765-2");
    cr_assert_not_null(a);
    cr_assert_eq(cs_summary_section_get(&s, "Allergies", NULL), a);
    cr_assert_eq(cs_summary_add_item(a, "  Penicillin \n (rash) ", 22), CS_OK);
    cr_assert_eq(cs_summary_add_item(a, "Penicillin (rash)", 17), CS_OK); /* duplicate */
    cr_assert_eq(cs_summary_add_item(a, "   ", 3), CS_OK);                 /* empty */
    cr_assert_eq(a->n_items, 1);
    cr_assert_str_eq(a->items[0], "Penicillin (rash)");
    cr_assert_eq(cs_summary_mark_used(&s, 3), CS_OK);
    cr_assert_eq(cs_summary_mark_used(&s, 3), CS_OK);
    cr_assert_eq(s.n_used, 1);
    cr_assert_eq(cs_summary_item_count(&s), 1);
    s.reason = strdup("Rash");
    char *t = cs_summary_to_text(&s);
    cr_assert_str_eq(t, "Reason: Rash\nAllergies\nPenicillin (rash)\n");
    free(t);
    cr_assert_eq(cs_summary_add_item(NULL, "x", 1), CS_ERR_INVALID);
    size_t n;
    char *c = cs_collapse_space(" a \t\n b ", 8, &n);
    cr_assert_str_eq(c, "a b");
    cr_assert_eq(n, 3);
    free(c);
    cs_summary_free(&s);
    cr_assert_eq(s.n_sections, 0);
}

/* ------------------------------------------------------------ sentences */

Test(sentences, split_respects_abbreviations_numbers_and_lists)
{
    cs_sentence_list l = {0};
    const char *t = "Seen by Dr. Smith today. Creatinine 1.5 mg/dL! Stable?\n\n1. Aspirin 81 mg\n2. Metformin";
    cr_assert_eq(cs_sentences_split(t, strlen(t), 7, &l), CS_OK);
    cr_assert_eq(l.n, 5);
    cr_assert_str_eq(l.items[0].text, "Seen by Dr. Smith today.");
    cr_assert_str_eq(l.items[1].text, "Creatinine 1.5 mg/dL!");
    cr_assert_str_eq(l.items[2].text, "Stable?");
    cr_assert_str_eq(l.items[3].text, "Aspirin 81 mg");
    cr_assert_str_eq(l.items[4].text, "Metformin");
    cr_assert_eq(l.items[0].section, 7);
    cr_assert_eq(l.items[1].n_words, 5); /* creatinine 1 5 mg dl */
    cs_sentence_list_free(&l);
}

Test(sentences, words_and_stop_words)
{
    cr_assert_eq(cs_count_words("Don't stop, 40 mg.", 18), 5);
    cr_assert_eq(cs_count_words("", 0), 0);
    cr_assert(cs_is_stop_word("the", 3));
    cr_assert(!cs_is_stop_word("aspirin", 7));
}

Test(sentences, score_and_select)
{
    cs_sentence_list l = {0};
    cs_sentence_list_add(&l, "ok so um yes", 12, 0, CS_SPEAKER_NONE);
    cs_sentence_list_add(&l, "Metformin 500 mg twice daily for diabetes control.", 51, 0, CS_SPEAKER_NONE);
    cs_sentence_list_add(&l, "Is that right?", 14, 0, CS_SPEAKER_NONE);
    cs_sentence_list_add(&l, "Diabetes control improved with metformin and diet.", 51, 0, CS_SPEAKER_NONE);
    cr_assert_eq(cs_sentences_score(&l), CS_OK);
    cr_assert_gt(l.items[1].score, l.items[0].score);
    cr_assert_gt(l.items[3].score, l.items[2].score);
    unsigned char pick[4];
    size_t words;
    cr_assert_eq(cs_sentences_select(&l, 0, 2, pick, &words), CS_OK);
    cr_assert(pick[1] && pick[3] && !pick[0] && !pick[2]);
    cr_assert_eq(words, l.items[1].n_words + l.items[3].n_words);
    cr_assert_eq(cs_sentences_select(&l, 1, 0, pick, &words), CS_OK); /* budget: one sentence */
    cr_assert_eq(pick[0] + pick[1] + pick[2] + pick[3], 1);
    cs_sentence_list_free(&l);
}

/* ------------------------------------------------------------ transcripts */

static const char *convo =
    "[doctor] hi , martha . how are you ?\n"
    "[patient] i'm doing okay . um , my knee hurts and i do n't sleep well .\n"
    "[doctor] okay . you know , your knee looks swollen . let's do a physical exam .\n"
    "[doctor] on exam , she has tenderness of the right knee .\n"
    "[patient] i was gon na ask about my ibuprofen 400 mg .\n"
    "[doctor] so my assessment and plan : you have a sprain . hey dragon , order an mri .\n"
    "[doctor] i'll prescribe a brace and you should follow up in two weeks .\n";

Test(transcript, detection)
{
    cr_assert(cs_is_transcript(convo, strlen(convo)));
    const char *note = "HPI: knee pain.\n[1] reference\n";
    cr_assert(!cs_is_transcript(note, strlen(note)));
}

Test(transcript, rewrites_to_third_person_without_fillers)
{
    cs_sentence_list l = {0};
    cr_assert_eq(cs_transcript_sentences(convo, strlen(convo), 0, &l), CS_OK);
    char all[4096] = "";
    for (size_t i = 0; i < l.n; i++) { strcat(all, l.items[i].text); strcat(all, "|"); }
    for (char *c = all; *c; c++) *c = (char)tolower((unsigned char)*c);
    cr_assert(strstr(all, "she is doing"), "%s", all);
    cr_assert(strstr(all, "her knee hurts and she does not sleep well"), "%s", all);
    cr_assert(strstr(all, "her knee looks swollen"), "%s", all);
    cr_assert(strstr(all, "going to ask about her ibuprofen 400 mg"), "%s", all);
    cr_assert(strstr(all, "she has a sprain"), "%s", all);
    cr_assert(strstr(all, "how is she?"), "%s", all);
    cr_assert(!strstr(all, " um"), "%s", all);
    cr_assert(!strstr(all, "dragon"), "%s", all); /* voice-assistant command dropped */
    cr_assert(!strstr(all, "you know"), "%s", all);
    int clin = 0, pat = 0;
    for (size_t i = 0; i < l.n; i++) {
        clin += l.items[i].speaker == CS_SPEAKER_CLINICIAN;
        pat += l.items[i].speaker == CS_SPEAKER_PATIENT;
    }
    cr_assert(clin > 0 && pat > 0);
    cs_sentence_list_free(&l);
}

/* ------------------------------------------------------------ extractive */

Test(extractive, structured_note_by_heading)
{
    cs_document *d = parse(
        "DISCHARGE SUMMARY\n\nCHIEF COMPLAINT:\nChest pain.\n\nALLERGIES:\nPenicillin (rash).\n\n"
        "DISCHARGE MEDICATIONS:\n1. Aspirin 81 mg daily (unchanged).\n2. Atorvastatin 80 mg nightly\n   (new).\n\n"
        "SOCIAL HISTORY:\nLives alone.\n\nFOLLOW-UP:\nCardiology in 2 weeks.\n");
    cs_summary s = {0};
    cr_assert_eq(cs_extractive_summarize(d, NULL, &s), CS_OK);
    cr_assert_str_eq(s.reason, "Chest pain.");
    cr_assert_str_eq(s.kind, "discharge summary");
    const cs_summary_section *meds = find(&s, "Medications");
    cr_assert_not_null(meds);
    cr_assert_eq(meds->n_items, 2);
    cr_assert(strstr(meds->items[0], "Atorvastatin 80 mg nightly (new)"), "changes first: %s", meds->items[0]);
    cr_assert(has_item(find(&s, "Allergies"), "Penicillin"));
    cr_assert(has_item(find(&s, "Plan and follow-up"), "Cardiology"));
    cr_assert_null(find(&s, "Social history"));
    cr_assert_geq(s.n_used, 4);
    cs_summary_free(&s);
    cs_document_free(d);
}

Test(extractive, table_rows_lose_headers_and_empty_cells)
{
    cs_document *d = cs_document_new(CS_FMT_CCDA);
    const char *probs = "Name | Dates | Details\nAngina | Onset: 2-Oct-2012 | Status: Active\n"
                        "Hypercholesterolemia | | Status:\n";
    cr_assert_not_null(cs_document_add_section(d, "Problems", "11450-4", "LOINC", probs, strlen(probs), 0, 1));
    cs_summary s = {0};
    cr_assert_eq(cs_extractive_summarize(d, NULL, &s), CS_OK);
    const cs_summary_section *p = find(&s, "Diagnoses and problems");
    cr_assert_not_null(p);
    cr_assert_eq(p->n_items, 2);
    cr_assert_str_eq(p->items[0], "Angina | Onset: 2-Oct-2012 | Status: Active");
    cr_assert_str_eq(p->items[1], "Hypercholesterolemia");
    cs_summary_free(&s);
    cs_document_free(d);
}

Test(extractive, narrative_without_headings_ranked)
{
    cs_document *d = parse(
        "The patient came in with fever. It was a sunny day. Blood cultures grew E. coli "
        "and ceftriaxone 1 g daily was started for pyelonephritis. Fever resolved on ceftriaxone. "
        "The patient was discharged home on oral antibiotics for pyelonephritis.\n");
    cs_summary s = {0};
    cs_extractive_options o = {.max_words = 25};
    cr_assert_eq(cs_extractive_summarize(d, &o, &s), CS_OK);
    const cs_summary_section *k = find(&s, "Key points");
    cr_assert_not_null(k);
    cr_assert(has_item(k, "ceftriaxone 1 g"));
    cr_assert(!has_item(k, "sunny"));
    cs_summary_free(&s);
    cs_document_free(d);
}

Test(extractive, transcript_note_headings)
{
    cs_document *d = parse(convo);
    cs_summary s = {0};
    cs_extractive_options o = {.min_words = 1000}; /* keep everything */
    cr_assert_eq(cs_extractive_summarize(d, &o, &s), CS_OK);
    cr_assert(has_item(find(&s, "History of present illness"), "her knee hurts"));
    cr_assert(has_item(find(&s, "Physical examination"), "tenderness of the right knee"));
    cr_assert(has_item(find(&s, "Assessment and plan"), "brace"));
    cs_summary_free(&s);
    cs_document_free(d);
}

Test(extractive, deterministic_errors_and_fast)
{
    cs_summary s = {0};
    cr_assert_eq(cs_extractive_summarize(NULL, NULL, &s), CS_ERR_INVALID);
    cs_document *empty = cs_document_new(CS_FMT_TEXT);
    cr_assert_eq(cs_extractive_summarize(empty, NULL, &s), CS_ERR_EMPTY);
    cs_summary_free(&s);
    cs_document_free(empty);

    /* A ten-page note (~40 KB): same output twice, well under 100 ms. */
    char *big = malloc(64 * 1024);
    size_t n = 0;
    n += (size_t)sprintf(big + n, "HOSPITAL COURSE:\n");
    for (int i = 0; n < 40000; i++)
        n += (size_t)sprintf(big + n, "On day %d the creatinine was %d.%d mg/dL and furosemide was adjusted to %d mg. ",
                             i, 1 + i % 3, i % 10, 20 + i % 4 * 20);
    cs_document *d = parse(big);
    cs_summary a = {0}, b = {0};
    clock_t t0 = clock();
    cr_assert_eq(cs_extractive_summarize(d, NULL, &a), CS_OK);
    double ms = (double)(clock() - t0) * 1000.0 / CLOCKS_PER_SEC;
    cr_assert_eq(cs_extractive_summarize(d, NULL, &b), CS_OK);
    char *ta = cs_summary_to_text(&a), *tb = cs_summary_to_text(&b);
    cr_assert_str_eq(ta, tb);
    cr_assert_lt(ms, 1000.0, "%.1f ms"); /* generous: sanitizer builds are slow */
    free(ta); free(tb);
    cs_summary_free(&a);
    cs_summary_free(&b);
    cs_document_free(d);
    free(big);
}
