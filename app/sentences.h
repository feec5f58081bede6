/*
 * sentences.h: splitting clinical text into sentences and ranking them, the
 * extractive summarizer's raw material.
 *
 * Ranking is deterministic and needs no model: a sentence scores higher for
 * a larger share of content words (not stop words), for content words that
 * recur across the document (a cheap centrality, as in TextRank's
 * word-overlap graph), for clinical words (drug and disease endings,
 * units, "pain", "exam", "plan"...), for numbers (doses, values, dates) and for being
 * said by the clinician in a transcript; questions and fragments of fewer
 * than four words score lower.
 *
 * Ownership: a cs_sentence_list owns its sentence texts; zero-initialise,
 * release with cs_sentence_list_free().  Errors: CS_OK or CS_ERR_NOMEM.
 * Thread-safe (no shared mutable state).
 */
#ifndef CS_SENTENCES_H
#define CS_SENTENCES_H

#include <stddef.h>

typedef enum {
    CS_SPEAKER_NONE = 0,   /* written text */
    CS_SPEAKER_CLINICIAN,
    CS_SPEAKER_PATIENT,
    CS_SPEAKER_OTHER
} cs_speaker;

typedef struct {
    char *text;        /* NUL-terminated, whitespace collapsed */
    size_t len;
    size_t section;    /* index of the input section it came from */
    cs_speaker speaker;
    size_t n_words;    /* alphanumeric words (ROUGE tokens) */
    double score;      /* set by cs_sentences_score() */
} cs_sentence;

typedef struct {
    cs_sentence *items;
    size_t n, cap;
} cs_sentence_list;

/* Append a sentence (copied, whitespace collapsed; empty ones skipped). */
int cs_sentence_list_add(cs_sentence_list *l, const char *text, size_t len,
                         size_t section, cs_speaker speaker);
void cs_sentence_list_free(cs_sentence_list *l);

/* Split prose into sentences at . ? ! followed by white space (not after
 * common abbreviations such as "Dr." or single letters, not inside numbers
 * like "1.5") and at blank lines and list items ("1.", "-", "*" at a line
 * start).  Appends to l. */
int cs_sentences_split(const char *text, size_t len, size_t section, cs_sentence_list *l);

/* Score every sentence of l (see above). */
int cs_sentences_score(cs_sentence_list *l);

/* Choose the highest-scoring sentences (ties by position) until their
 * words reach `budget_words` or `max_count` are chosen (0: no limit on
 * either).  pick[i] is set to 1 for chosen sentences, 0 otherwise; pick
 * has l->n entries.  *words (may be NULL) receives the words chosen.
 * Returns CS_OK or CS_ERR_NOMEM. */
int cs_sentences_select(const cs_sentence_list *l, size_t budget_words, size_t max_count,
                        unsigned char *pick, size_t *words);

/* Count alphanumeric words (ROUGE tokens) in text[0..len). */
size_t cs_count_words(const char *text, size_t len);
/* Is w (lower case) a stop word of the ranking? */
int cs_is_stop_word(const char *w, size_t len);

#endif
