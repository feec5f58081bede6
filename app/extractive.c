/*
 * extractive.c: the model-free summarizer (see extractive.h).  Three paths:
 * sections by heading (discharge summaries, C-CDA, FHIR), a transcript
 * (rewritten turns, ranked, placed under note headings), and plain
 * narrative (ranked sentences).
 */
#include "extractive.h"
#include "cs_buf.h"
#include "cs_err.h"
#include "cs_parse.h"
#include "sentences.h"
#include "transcript.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------- words */

static int word_char(unsigned char c) { return isalnum(c) != 0; }

/* Does text contain w as a whole word (prefix: w may continue, as
 * "exam" in "examination"), case-insensitively? */
static int has_word(const char *text, const char *w, int prefix)
{
    size_t n = strlen(w);
    for (const char *p = text; (p = strcasestr(p, w)) != NULL; p++) {
        if (p > text && word_char((unsigned char)p[-1])) continue;
        if (!prefix && word_char((unsigned char)p[n])) continue;
        return 1;
    }
    return 0;
}

static int has_any(const char *text, const char *const *words, int prefix)
{
    for (; *words; words++)
        if (has_word(text, *words, prefix)) return 1;
    return 0;
}

/* ------------------------------------------------------- headings */

typedef enum { H_REASON, H_LIST, H_MEDS, H_NARRATIVE } heading_kind;

static const struct {
    const char *heading;
    const char *code; /* the LOINC code shown for the heading */
    heading_kind kind;
    const char *codes[6];
} headings[] = {
    {"Reason for visit", "29299-5", H_REASON, {"10154-3", "29299-5", "46241-6", "42349-1"}},
    {"Diagnoses and problems", "11450-4", H_LIST, {"11535-2", "11450-4", "51848-0", "11348-0"}},
    {"Medications", "10160-0", H_MEDS, {"10183-2", "10160-0", "29549-3"}},
    {"Allergies", "48765-2", H_LIST, {"48765-2"}},
    {"Key results", "30954-2", H_LIST, {"30954-2", "8716-3"}},
    {"Procedures", "47519-4", H_LIST, {"47519-4", "29554-3"}},
    {"History of present illness", "10164-2", H_NARRATIVE, {"10164-2"}},
    {"Hospital course", "8648-8", H_NARRATIVE, {"8648-8"}},
    {"Plan and follow-up", "18776-5", H_LIST, {"18776-5", "51847-2", "8653-8", "69730-0"}},
};
#define N_HEADINGS (sizeof headings / sizeof *headings)

static int heading_for(const cs_section *s)
{
    const char *code = s->code ? s->code : cs_section_code_for_title(s->title);
    if (!code) return -1;
    for (size_t h = 0; h < N_HEADINGS; h++)
        for (size_t k = 0; k < 6 && headings[h].codes[k]; k++)
            if (!strcmp(code, headings[h].codes[k])) return (int)h;
    return -1;
}

static const char *const change_words[] = {
    "new", "start", "started", "changed", "change", "increase", "increased", "decrease",
    "decreased", "stop", "stopped", "discontinue", "discontinued", "hold", "held", "resume",
    "resumed", "switch", "switched", NULL};

/* Length of a list marker ("1.", "2)", "-", "*") at the start of a line
 * (after indentation), or 0. */
static size_t line_marker(const char *p, size_t n)
{
    size_t k = 0;
    while (k < n && (p[k] == ' ' || p[k] == '\t')) k++;
    size_t d = k;
    while (d < n && d - k < 3 && isdigit((unsigned char)p[d])) d++;
    if (d > k && d + 1 < n && (p[d] == '.' || p[d] == ')') && p[d + 1] == ' ') return d + 1;
    if (k + 1 < n && (p[k] == '-' || p[k] == '*') && p[k + 1] == ' ') return k + 1;
    return 0;
}

/* Items of a list-like section.  Numbered or bulleted lines start items
 * and the lines after them continue them; without markers, short lines
 * that do not run on into the next line are one item each (tables,
 * medication lists); anything else is prose, split into sentences. */
static int section_items(const cs_section *s, size_t idx, cs_sentence_list *items)
{
    const char *t = s->text;
    size_t n = s->text_len, lines = 0, marked = 0, runon = 0, longest = 0;
    for (size_t a = 0; a < n;) {
        size_t e = a;
        while (e < n && t[e] != '\n') e++;
        lines++;
        if (line_marker(t + a, e - a)) marked++;
        if (e - a > longest) longest = e - a;
        size_t b = e;
        while (b > a && isspace((unsigned char)t[b - 1])) b--;
        if (e < n && b > a && !strchr(".:;", t[b - 1]) && islower((unsigned char)t[e + 1])) runon++;
        a = e + 1;
    }
    int by_marker = marked > 0;
    int table = strstr(t, " | ") != NULL; /* parsers write table cells as "a | b" */
    int by_line = !by_marker && lines > 1 && (table || (longest <= 100 && runon * 3 < lines));
    if (!by_marker && !by_line) return cs_sentences_split(t, n, idx, items);
    size_t start = 0, a = 0;
    int open = 0, rc = CS_OK;
    while (a <= n && rc == CS_OK) {
        size_t e = a;
        while (e < n && t[e] != '\n') e++;
        size_t m = a < n ? line_marker(t + a, e - a) : 0;
        int starts = a >= n || by_line || m || !open;
        if (starts && open) {
            const char *p = t + start;
            size_t k = line_marker(p, a - start);
            if (cs_count_words(p + k, a - start - k))
                rc = cs_sentence_list_add(items, p + k, a - start - k, idx, CS_SPEAKER_NONE);
            open = 0;
        }
        if (a >= n) break;
        if (!open) { start = a; open = 1; }
        a = e + 1;
    }
    if (rc == CS_OK && open && start < n) {
        size_t k = line_marker(t + start, n - start);
        if (cs_count_words(t + start + k, n - start - k))
            rc = cs_sentence_list_add(items, t + start + k, n - start - k, idx, CS_SPEAKER_NONE);
    }
    return rc;
}

/* Signature and transcription lines close a note; they are not content. */
static int is_signature(const char *t)
{
    static const char *const starts[] = {"electronically signed", "signed by", "dictated by",
                                         "transcribed by", "dictated but not read", NULL};
    for (const char *const *s = starts; *s; s++)
        if (!strncasecmp(t, *s, strlen(*s))) return 1;
    return 0;
}

/* A table header row: every cell a column word ("Name | Dates | Details"). */
static int is_table_header(const char *t)
{
    static const char *const cols[] = {
        "name", "names", "date", "dates", "details", "status", "description", "value", "values",
        "test", "result", "results", "reaction", "reactions", "onset", "type", "code", "comments",
        "medication", "dose", "frequency", "route", "problem", "allergen", "severity", NULL};
    if (!strstr(t, "|")) return 0;
    for (const char *p = t; *p;) {
        while (*p && !isalpha((unsigned char)*p)) p++;
        if (!*p) break;
        const char *e = p;
        while (isalpha((unsigned char)*e)) e++;
        int known = 0;
        for (const char *const *c = cols; *c && !known; c++)
            known = strlen(*c) == (size_t)(e - p) && !strncasecmp(p, *c, (size_t)(e - p));
        if (!known) return 0;
        p = e;
    }
    return 1;
}

/* Add a list item; table rows lose their empty cells and "Label:" cells
 * with no value ("Angina | | Status:" -> "Angina"). */
static int add_row(cs_summary_section *sec, const char *t, size_t n)
{
    if (!memchr(t, '|', n)) return cs_summary_add_item(sec, t, n);
    cs_buf b = {0};
    int rc = CS_OK;
    for (size_t a = 0; a <= n && rc == CS_OK;) {
        size_t e = a;
        while (e < n && t[e] != '|') e++;
        size_t x = a, y = e;
        while (x < y && isspace((unsigned char)t[x])) x++;
        while (y > x && isspace((unsigned char)t[y - 1])) y--;
        int empty = y == x || (t[y - 1] == ':' && !memchr(t + x, ' ', y - x));
        if (!empty) {
            if (b.len) rc = cs_buf_puts(&b, " | ");
            if (rc == CS_OK) rc = cs_buf_append(&b, t + x, y - x);
        }
        a = e + 1;
    }
    if (rc == CS_OK && b.len) rc = cs_summary_add_item(sec, b.data, b.len);
    cs_buf_free(&b);
    return rc;
}

static int add_list(cs_summary_section *sec, const cs_sentence_list *items, size_t max,
                    int changes_first)
{
    int rc = CS_OK;
    size_t added = 0;
    for (int pass = changes_first ? 0 : 1; pass < 2 && rc == CS_OK; pass++) {
        for (size_t i = 0; i < items->n && rc == CS_OK; i++) {
            if (is_signature(items->items[i].text) || is_table_header(items->items[i].text)) continue;
            int changed = has_any(items->items[i].text, change_words, 0);
            if (changes_first && (pass == 0) != changed) continue;
            if (added == max) break;
            rc = add_row(sec, items->items[i].text, items->items[i].len);
            added++;
        }
    }
    return rc;
}

static int add_ranked(cs_summary_section *sec, cs_sentence_list *sents, size_t max)
{
    int rc = cs_sentences_score(sents);
    unsigned char *pick = malloc(sents->n ? sents->n : 1);
    if (rc == CS_OK && !pick) rc = CS_ERR_NOMEM;
    if (rc == CS_OK) rc = cs_sentences_select(sents, 0, max, pick, NULL);
    for (size_t i = 0; i < sents->n && rc == CS_OK; i++)
        if (pick[i]) rc = cs_summary_add_item(sec, sents->items[i].text, sents->items[i].len);
    free(pick);
    return rc;
}

static int summarize_sections(const cs_document *doc, const cs_extractive_options *o, cs_summary *out)
{
    int rc = CS_OK;
    /* Headings are emitted in the table's order, whatever the document's. */
    for (size_t h = 0; h < N_HEADINGS && rc == CS_OK; h++) {
        cs_sentence_list items = {0};
        for (size_t i = 0; i < doc->n_sections && rc == CS_OK; i++) {
            const cs_section *s = &doc->sections[i];
            if (heading_for(s) != (int)h || !s->text_len) continue;
            if (headings[h].kind == H_NARRATIVE) rc = cs_sentences_split(s->text, s->text_len, i, &items);
            else rc = section_items(s, i, &items);
            if (rc == CS_OK) rc = cs_summary_mark_used(out, i);
        }
        if (rc == CS_OK && items.n) {
            cs_summary_section *sec = cs_summary_section_get(out, headings[h].heading, headings[h].code);
            if (!sec) rc = CS_ERR_NOMEM;
            else if (headings[h].kind == H_REASON) {
                /* The first item is the reason line; the others stay listed. */
                if (!(out->reason = strdup(items.items[0].text))) rc = CS_ERR_NOMEM;
                free(items.items[0].text);
                memmove(items.items, items.items + 1, --items.n * sizeof *items.items);
                if (rc == CS_OK) rc = add_list(sec, &items, o->max_items, 0);
            } else if (headings[h].kind == H_NARRATIVE) {
                rc = add_ranked(sec, &items, o->max_narrative);
            } else {
                rc = add_list(sec, &items, o->max_items, headings[h].kind == H_MEDS);
            }
        }
        cs_sentence_list_free(&items);
    }
    return rc;
}

/* ------------------------------------------------------- narrative */

static int summarize_narrative(const cs_document *doc, const cs_extractive_options *o, cs_summary *out)
{
    cs_sentence_list sents = {0};
    int rc = CS_OK;
    size_t words = 0;
    for (size_t i = 0; i < doc->n_sections && rc == CS_OK; i++)
        rc = cs_sentences_split(doc->sections[i].text, doc->sections[i].text_len, i, &sents);
    for (size_t i = 0; i < sents.n; i++) words += sents.items[i].n_words;
    if (rc == CS_OK) rc = cs_sentences_score(&sents);
    unsigned char *pick = malloc(sents.n ? sents.n : 1);
    if (!pick) rc = CS_ERR_NOMEM;
    if (rc == CS_OK) {
        size_t budget = words * 3 / 10;
        if (budget < 60) budget = 60;
        if (budget > o->max_words) budget = o->max_words;
        rc = cs_sentences_select(&sents, budget, 0, pick, NULL);
        cs_summary_section *sec = cs_summary_section_get(out, "Key points", NULL);
        if (rc == CS_OK && !sec) rc = CS_ERR_NOMEM;
        for (size_t i = 0; i < sents.n && rc == CS_OK; i++) {
            if (!pick[i]) continue;
            rc = cs_summary_add_item(sec, sents.items[i].text, sents.items[i].len);
            if (rc == CS_OK) rc = cs_summary_mark_used(out, sents.items[i].section);
        }
    }
    free(pick);
    cs_sentence_list_free(&sents);
    return rc;
}

/* ------------------------------------------------------- transcripts */

static const char *const exam_words[] = {
    "exam", "examination", "physical", "palpation", "tender", "tenderness", "heart", "lungs",
    "murmur", "swelling", "range of motion", "vital", "blood pressure", "auscultation", NULL};
static const char *const result_words[] = {
    "x-ray", "xray", "mri", "ct", "lab", "labs", "result", "results", "blood work", "ekg", "echo",
    "echocardiogram", "ultrasound", "a1c", "panel", "scan", "level", NULL};
static const char *const plan_words[] = {"assessment", "plan", "impression", NULL};
static const char *const exam_prefix[] = {"exam", NULL};

static int summarize_transcript(const cs_document *doc, const cs_extractive_options *o, cs_summary *out)
{
    cs_buf all = {0};
    int rc = CS_OK;
    for (size_t i = 0; i < doc->n_sections && rc == CS_OK; i++) {
        rc = cs_buf_append(&all, doc->sections[i].text, doc->sections[i].text_len);
        if (rc == CS_OK) rc = cs_buf_putc(&all, '\n');
        if (rc == CS_OK) rc = cs_summary_mark_used(out, i);
    }
    cs_sentence_list sents = {0};
    if (rc == CS_OK) rc = cs_transcript_sentences(all.data ? all.data : "", all.len, 0, &sents);
    cs_buf_free(&all);
    if (rc == CS_OK) rc = cs_sentences_score(&sents);
    unsigned char *pick = malloc(sents.n ? sents.n : 1);
    if (rc == CS_OK && !pick) rc = CS_ERR_NOMEM;
    if (rc == CS_OK) {
        size_t words = 0, n = sents.n;
        for (size_t i = 0; i < n; i++) words += sents.items[i].n_words;
        size_t budget = (size_t)(o->transcript_ratio * (double)words);
        if (budget < o->min_words) budget = o->min_words;
        if (budget > o->max_words) budget = o->max_words;
        rc = cs_sentences_select(&sents, budget, 0, pick, NULL);
        /* Where the conversation turns to the examination and to the plan. */
        size_t ex = n, ap = n;
        for (size_t i = 0; i < n && ex == n; i++)
            if (i * 4 > n && sents.items[i].speaker == CS_SPEAKER_CLINICIAN && has_any(sents.items[i].text, exam_prefix, 1))
                ex = i;
        for (size_t i = 0; i < n && ap == n; i++)
            if (i * 10 > n * 4 && sents.items[i].speaker == CS_SPEAKER_CLINICIAN && has_any(sents.items[i].text, plan_words, 0))
                ap = i;
        if (ex == n) ex = ap;
        if (ap == n || ap < ex) ap = ex > n * 7 / 10 ? ex : n * 7 / 10;
        const char *names[4] = {"History of present illness", "Physical examination", "Results", "Assessment and plan"};
        const char *codes[4] = {"10164-2", "29545-1", "30954-2", "51847-2"};
        for (int part = 0; part < 4 && rc == CS_OK; part++) {
            cs_summary_section *sec = NULL;
            for (size_t i = 0; i < n && rc == CS_OK; i++) {
                if (!pick[i]) continue;
                const char *t = sents.items[i].text;
                int where = i < ex ? 0 : i >= ap ? 3
                          : (has_any(t, result_words, 0) && !has_any(t, exam_words, 0)) ? 2 : 1;
                if (where != part) continue;
                if (!sec && !(sec = cs_summary_section_get(out, names[part], codes[part]))) { rc = CS_ERR_NOMEM; break; }
                rc = cs_summary_add_item(sec, t, sents.items[i].len);
            }
        }
    }
    free(pick);
    cs_sentence_list_free(&sents);
    return rc;
}

/* ------------------------------------------------------- entry */

int cs_extractive_summarize(const cs_document *doc, const cs_extractive_options *opt, cs_summary *out)
{
    if (!doc || !out) return CS_ERR_INVALID;
    cs_extractive_options o = opt ? *opt : (cs_extractive_options){0};
    if (!o.max_items) o.max_items = 10;
    if (!o.max_narrative) o.max_narrative = 5;
    if (o.transcript_ratio <= 0) o.transcript_ratio = 0.5;
    if (!o.min_words) o.min_words = 150;
    if (!o.max_words) o.max_words = 750;
    if (!cs_document_text_len(doc)) return CS_ERR_EMPTY;
    if (doc->kind && !(out->kind = strdup(doc->kind))) return CS_ERR_NOMEM;

    int transcript = doc->kind && !strcmp(doc->kind, "transcript");
    for (size_t i = 0; i < doc->n_sections && !transcript && i < 2; i++)
        transcript = cs_is_transcript(doc->sections[i].text, doc->sections[i].text_len);
    if (transcript) return summarize_transcript(doc, &o, out);

    int rc = summarize_sections(doc, &o, out);
    if (rc == CS_OK && cs_summary_item_count(out) == 0) rc = summarize_narrative(doc, &o, out);
    return rc;
}
