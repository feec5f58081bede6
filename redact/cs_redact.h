/*
 * cs_redact.h: finding and removing patient identifiers (PHI) in text.
 *
 * The redactor is the step every document passes before anything else sees
 * its text.  It reports spans (byte offsets, category, detector) over UTF-8
 * text and rewrites the text in one of three modes:
 *   CS_REDACT_MASK       typed masks: "[NAME]", "[DATE]", "[PHONE]"...
 *   CS_REDACT_PSEUDONYM  consistent tags within a document: "[PATIENT]",
 *                        "[CLINICIAN-2]", "[PERSON-1]", "[DATE-3]"...
 *   CS_REDACT_SURROGATE  realistic, consistent fake values; every date is
 *                        moved by one per-document offset so intervals
 *                        between dates survive.
 * keep_dates leaves dates in place (HIPAA limited data set).
 *
 * Detectors: PCRE2 patterns for structured identifiers (compiled once, JIT
 * where available, match/depth limits), built-in name and place
 * dictionaries with a common-English and medical exclusion list, context
 * rules (titles, roles, labels, facility names), and the document's own
 * identity (header names, ids, birth dates, addresses, telecoms) searched
 * everywhere with variants.
 *
 * Ownership: cs_redactor_new() returns a detector owned by the caller,
 * released with cs_redactor_free().  Span lists, sessions and redacted
 * documents are owned by the caller and released with their _free
 * functions; out-parameters are overwritten (free them before reuse).
 * No function here does I/O or logs; nothing returned or printed in errors
 * contains document text.
 *
 * Errors: CS_OK, CS_ERR_NOMEM, CS_ERR_INVALID (bad argument), CS_ERR_LIMIT
 * (a pattern hit its match limit: the caller must treat the text as not
 * redacted and refuse to pass it on).
 *
 * Thread-safety: a cs_redactor is immutable after creation; any number of
 * threads may call cs_redact_text()/cs_redact_document() on the same
 * redactor concurrently (match data is per call).  A cs_redact_session is
 * for one thread at a time.
 */
#ifndef CS_REDACT_H
#define CS_REDACT_H

#include <stddef.h>
#include <stdint.h>

#include "cs_document.h"

/* What kind of identifier a span is (HIPAA Safe Harbor, grouped). */
typedef enum {
    CS_PHI_NAME = 0,   /* person names: patients, relatives, clinicians */
    CS_PHI_DATE,       /* dates and date elements (and years in dates) */
    CS_PHI_AGE,        /* ages over 89 */
    CS_PHI_PHONE,      /* phone and fax numbers */
    CS_PHI_EMAIL,
    CS_PHI_SSN,
    CS_PHI_ID,         /* MRN, account, health plan, license, certificate, other ids */
    CS_PHI_LOCATION,   /* street addresses, cities, ZIP codes, places */
    CS_PHI_FACILITY,   /* hospital, clinic and other organisation names */
    CS_PHI_URL,
    CS_PHI_IP,
    CS_PHI_DEVICE,     /* device, vehicle and serial identifiers */
    CS_PHI_COUNT
} cs_phi_category;

/* Which detector produced a span (for tests, audits and tuning). */
typedef enum {
    CS_SRC_PATTERN = 0, /* PCRE2 structured pattern */
    CS_SRC_DICTIONARY,  /* name / place dictionary */
    CS_SRC_CONTEXT,     /* title, role, label or facility context rule */
    CS_SRC_IDENTITY,    /* the document's own header identity */
    CS_SRC_COUNT
} cs_phi_source;

/* For names: whose name it is, when a rule can tell (drives pseudonyms). */
typedef enum {
    CS_ROLE_UNKNOWN = 0,
    CS_ROLE_PATIENT,
    CS_ROLE_CLINICIAN,
    CS_ROLE_RELATIVE
} cs_phi_role;

typedef struct {
    size_t start, end;          /* byte offsets [start, end) into the text */
    cs_phi_category category;
    cs_phi_source source;
    cs_phi_role role;
} cs_phi_span;

/* Sorted by start, non-overlapping (overlaps are merged by the redactor). */
typedef struct {
    cs_phi_span *items;
    size_t n, cap;
} cs_span_list;

typedef enum {
    CS_REDACT_MASK = 0,
    CS_REDACT_PSEUDONYM,
    CS_REDACT_SURROGATE
} cs_redact_mode;

typedef struct {
    cs_redact_mode mode;
    int keep_dates;     /* non-zero: leave CS_PHI_DATE spans unchanged */
    /* Surrogate randomness (fake names, date offset).  0 derives it from a
     * hash of the document, which is reproducible but linkable; callers that
     * need unlinkable output pass a random seed. */
    uint64_t seed;
} cs_redact_opts;

typedef struct cs_redactor cs_redactor;
typedef struct cs_redact_session cs_redact_session;

/* A redacted document: one text per section of the input, in order. */
typedef struct {
    size_t n_sections;
    char **section_text;        /* NUL-terminated UTF-8, redacted */
    size_t *section_len;
    cs_span_list *section_spans; /* spans over the ORIGINAL section text */
    size_t counts[CS_PHI_COUNT]; /* spans found per category */
    size_t n_spans;
} cs_redacted_doc;

/* ------------------------------------------------------------ detector */

/* Compile every pattern and load the built-in dictionaries.  Costly (a few
 * ms): create once and share.  Returns CS_OK or CS_ERR_NOMEM. */
int cs_redactor_new(cs_redactor **out);
void cs_redactor_free(cs_redactor *r);

/* Find PHI in text[0..len) (UTF-8; need not be NUL-terminated).  id may be
 * NULL (plain text has no header identity).  Replaces out's contents with
 * sorted, merged spans.  Returns CS_OK, CS_ERR_NOMEM, CS_ERR_INVALID or
 * CS_ERR_LIMIT. */
int cs_redact_text(const cs_redactor *r, const char *text, size_t len,
                   const cs_identity *id, cs_span_list *out);

void cs_span_list_free(cs_span_list *l);

/* ------------------------------------------------------------ rewriting */

/* Per-document consistency state: pseudonym numbering, surrogate names,
 * the date offset.  Use one session for all sections of one document.
 * Returns NULL on NOMEM or a NULL opts. */
cs_redact_session *cs_redact_session_new(const cs_redact_opts *opts);
void cs_redact_session_free(cs_redact_session *s);
/* The date offset in days the session applies in surrogate mode (non-zero,
 * within +-365), fixed at the first call that needs it. */
int cs_redact_session_date_shift(cs_redact_session *s);

/* Rewrite text[0..len) replacing each span per the session's mode.  *out
 * receives a malloc'd NUL-terminated string (caller frees), *out_len its
 * length.  Spans must be sorted, non-overlapping and inside the text. */
int cs_redact_apply(cs_redact_session *s, const char *text, size_t len,
                    const cs_span_list *spans, char **out, size_t *out_len);

/* Detect and rewrite every section of doc, using doc->identity.  Fills
 * *out (free with cs_redacted_doc_free).  On error *out is empty. */
int cs_redact_document(const cs_redactor *r, const cs_document *doc,
                       const cs_redact_opts *opts, cs_redacted_doc *out);
void cs_redacted_doc_free(cs_redacted_doc *d);

/* ------------------------------------------------------------ names */

/* "NAME", "DATE", ...: the mask word of a category (static, never NULL). */
const char *cs_phi_category_name(cs_phi_category c);
/* "pattern", "dictionary", "context", "identity". */
const char *cs_phi_source_name(cs_phi_source s);

#endif
