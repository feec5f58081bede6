/*
 * redact_tokens.h (internal): the token stream the context rules
 * (redact_context.c) and the person-name rules (redact_names.c) share.
 *
 * redact_context.c cuts a text into tokens once per call and looks each
 * word up in the dictionaries and keyword lists; redact_names.c reads the
 * same array.  Tokens are plain values owned by the caller of the
 * tokenizer; nothing here allocates.  Thread-safety: read-only use only.
 */
#ifndef REDACT_TOKENS_H
#define REDACT_TOKENS_H

#include "redact_internal.h"

typedef struct {
    size_t s, e;       /* byte span */
    unsigned dict;     /* CS_W_* flags */
    uint32_t kw;       /* bit i: the word is in kw_lists[i] */
    unsigned char word;   /* letters (and ' - inside) */
    unsigned char cap;    /* Title Case: first upper, some lower */
    unsigned char upper;  /* no lower-case letters */
    unsigned char lower;  /* first letter lower case */
    unsigned char initial;/* one upper-case letter */
    unsigned char caps_line; /* the line has (almost) no lower case */
    unsigned char nl_before; /* a newline between this and the previous token */
} tok;

#define NAMEF (CS_W_FIRST | CS_W_LAST)
#define NOTNAME (CS_W_COMMON | CS_W_MEDICAL | CS_W_EPONYM)

/* Lists owned by redact_names.c, registered in the context keyword table. */
extern const char *const cs_names_owners[];
extern const char *const cs_names_introducers[];
extern const char *const cs_names_stops[];
extern const char *const cs_names_reporting[];
extern const char *const cs_names_groups[];
extern const char *const cs_names_greetings[];
extern const char *const cs_names_contacts[];
extern const char *const cs_names_roles[];
extern const char *const cs_names_cues[];

/* Person-name rules over the tokens v[0..n) of t (redact_names.c): names
 * that are also English words in a name's context, names before a
 * relation ("Bill, pt's son"), "LAST, FIRST" lines, "d/w" and lone
 * letters after a title.  Appends NAME spans; CS_OK or CS_ERR_NOMEM. */
int cs_names_find(const cs_redactor *r, const char *t, const tok *v, size_t n, cs_span_list *out);

/* Dictionary flags of a surname written with an apostrophe after its first
 * letter ("O'Brien" is listed as "obrien"): CS_W_LAST or 0. */
unsigned cs_names_apostrophe(const cs_dict *d, const char *w, size_t n);

/* Drop the possessive "'s" from the NAME spans out->items[from..]: the
 * name is "Smith" in "Dr. Smith's note". */
void cs_names_trim_possessive(const char *t, cs_span_list *out, size_t from);

static inline int cs_tok_punct(const char *t, const tok *k, char c)
{
    return !k->word && k->e - k->s == 1 && t[k->s] == c;
}

/* v[i] is an initial written "J." (not "M.D.", "A.line"). */
static inline int cs_tok_initial_dot(const char *t, const tok *v, size_t n, size_t i)
{
    return i < n && v[i].initial && i + 1 < n && t[v[i + 1].s] == '.' && v[i + 1].s == v[i].e &&
           !(i > 0 && v[i - 1].e == v[i].s && !cs_tok_punct(t, &v[i - 1], '-') && !cs_tok_punct(t, &v[i - 1], '(')) &&
           !(i + 2 < n && v[i + 2].s == v[i + 1].e && !cs_tok_punct(t, &v[i + 2], ',') && !cs_tok_punct(t, &v[i + 2], '?') &&
             !cs_tok_punct(t, &v[i + 2], ')') && !cs_tok_punct(t, &v[i + 2], ';'));
}

#endif
