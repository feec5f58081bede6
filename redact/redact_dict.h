/*
 * redact_dict.h (internal): the word tables generated at build time by
 * gen_dict.js, and a case-insensitive lookup over them.
 *
 * cs_dict_build() parses the packed blob into an open-addressing hash table
 * once; lookups are read-only and thread-safe.  Words are ASCII lower case;
 * lookups fold ASCII case and ignore a trailing possessive "'s".
 */
#ifndef REDACT_DICT_H
#define REDACT_DICT_H

#include <stddef.h>
#include <stdint.h>

enum {
    CS_W_FIRST = 1,    /* a first name (Census 1990) */
    CS_W_LAST = 2,     /* a surname (Census 1990) */
    CS_W_PLACE = 4,    /* a US city */
    CS_W_COMMON = 8,   /* a common English word */
    CS_W_MEDICAL = 16, /* a medical word or clinical abbreviation */
    CS_W_EPONYM = 32,  /* a capitalised medical-dictionary word that is no
                          first name or place: eponyms (Parkinson, Foley) */
    CS_W_PLACE_HEAD = 64 /* the first word of a multi-word place ("san") */
};

extern const char cs_dict_blob[];
extern const size_t cs_dict_blob_len;
extern const size_t cs_dict_words;
extern const char *const cs_surrogate_first[];
extern const size_t cs_surrogate_first_n;
extern const char *const cs_surrogate_last[];
extern const size_t cs_surrogate_last_n;
extern const char *const cs_surrogate_city[];
extern const size_t cs_surrogate_city_n;
/* US state names, lower case, NULL-terminated (zipcodes' states.js), and
 * the distinct first words of those names ("new", "north", "maryland"). */
extern const char *const cs_state_names[];
extern const char *const cs_state_heads[];
extern const char *const cs_state_abbrevs[]; /* "AL", "AK", ... upper case */

typedef struct {
    uint32_t *slots;   /* offset+1 into cs_dict_blob of a word, 0 = empty */
    uint8_t *lens;     /* length of each slot's word (saves a scan per probe) */
    size_t mask;       /* table size - 1 (a power of two) */
} cs_dict;

/* Keyword lists (titles, roles, relatives...): word -> bit mask of the lists
 * that hold it.  Built once from NULL-terminated lists of lower-case words
 * (at most 32 lists); read-only afterwards. */
typedef struct {
    const char **words;
    uint32_t *masks;
    size_t mask;
} cs_kw;

int cs_kw_build(cs_kw *k, const char *const *const *lists);
void cs_kw_free(cs_kw *k);
uint32_t cs_kw_lookup(const cs_kw *k, const char *w, size_t n);

int cs_dict_build(cs_dict *d);
void cs_dict_free(cs_dict *d);
/* Flags of word w[0..n) (case-folded), 0 when absent.  Multi-word places
 * are looked up with single spaces between words. */
unsigned cs_dict_lookup(const cs_dict *d, const char *w, size_t n);

#endif
