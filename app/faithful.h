/*
 * faithful.h: the faithfulness check of a (model-written) summary.
 *
 * Every fact-like item in the summary is looked up in the redacted source
 * it was written from: numbers, doses (a number with a unit: "40 mg",
 * "12.5 mg", "2 kg", "30%"), date-like tokens ("03/14/2025", "2019-05-01",
 * "March 14, 2025"), medication names (common drug-name stems and a short
 * list of common drugs) and named diagnoses (disease suffixes such as
 * "-itis", "-emia", "-pathy" and a list of common diagnoses).  Numbers
 * compare without thousands separators ("2,140" = "2140"); a dose must
 * appear with the same unit; words compare case-insensitively as whole
 * words.  Whatever cannot be found is a flag.
 *
 * Flags hold summary text (never source text) and are meant for the user
 * who asked for the summary; they are not for logs.
 *
 * Ownership: cs_flag_list owns its strings; zero-initialise, release with
 * cs_flag_list_free().  Errors: CS_OK, CS_ERR_NOMEM, CS_ERR_INVALID.
 * Thread-safe.
 */
#ifndef CS_FAITHFUL_H
#define CS_FAITHFUL_H

#include <stddef.h>

typedef enum {
    CS_FACT_NUMBER = 0,
    CS_FACT_DOSE,
    CS_FACT_DATE,
    CS_FACT_MEDICATION,
    CS_FACT_DIAGNOSIS
} cs_fact_kind;

typedef struct {
    cs_fact_kind kind;
    char *text;   /* the item as written in the summary */
} cs_flag;

typedef struct {
    cs_flag *items;
    size_t n, cap;
    size_t checked;  /* facts looked up (found or not) */
} cs_flag_list;

/* Check summary against source (both NUL-terminated UTF-8); appends one
 * flag per distinct unsupported item to out and adds to out->checked. */
int cs_faithful_check(const char *summary, const char *source, cs_flag_list *out);
void cs_flag_list_free(cs_flag_list *l);
/* "number", "dose", "date", "medication", "diagnosis" (static). */
const char *cs_fact_kind_name(cs_fact_kind k);

#endif
