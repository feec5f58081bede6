/*
 * parse_text.c: plain clinical text -> sections.
 *
 * Clinicians write section headers in a few recognisable ways: a short line
 * ending in a colon ("Assessment/Plan:"), a short all-caps line
 * ("MEDICATIONS ON DISCHARGE"), either one numbered ("2. HOSPITAL COURSE"),
 * or a known heading followed by text on the same line ("HPI: 67 yo ...").
 * Mixed-case lines without a colon count only when they are a known heading.
 * Everything else is narrative of the section above it; text before the
 * first header becomes an untitled section, so no character is lost.
 * Section text is lines of the decoded text joined by '\n', so its source
 * map (cs_srcmap.h) is exact: each line maps to itself, each '\n' to the
 * line ending it stands for.
 */
#include "cs_parse.h"
#include "cs_buf.h"
#include "cs_err.h"
#include "cs_srcalign.h"
#include "cs_text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------- titles */

static const struct { const char *title, *code; } title_codes[] = {
    {"chief complaint", "10154-3"}, {"cc", "10154-3"},
    {"reason for visit", "29299-5"}, {"reason for admission", "46241-6"},
    {"reason for consultation", "29299-5"}, {"reason for referral", "42349-1"},
    {"history of present illness", "10164-2"}, {"hpi", "10164-2"},
    {"history", "10164-2"}, {"present illness", "10164-2"},
    {"past medical history", "11348-0"}, {"pmh", "11348-0"},
    {"past history", "11348-0"}, {"medical history", "11348-0"},
    {"past surgical history", "47519-4"}, {"psh", "47519-4"}, {"surgical history", "47519-4"},
    {"medications", "10160-0"}, {"medication", "10160-0"}, {"meds", "10160-0"},
    {"current medications", "10160-0"}, {"home medications", "10160-0"},
    {"medications on admission", "10160-0"}, {"admission medications", "10160-0"},
    {"discharge medications", "10183-2"}, {"medications on discharge", "10183-2"},
    {"allergies", "48765-2"}, {"allergy", "48765-2"}, {"drug allergies", "48765-2"},
    {"allergies and adverse reactions", "48765-2"},
    {"social history", "29762-2"}, {"sh", "29762-2"},
    {"family history", "10157-6"}, {"fh", "10157-6"},
    {"review of systems", "10187-3"}, {"ros", "10187-3"},
    {"physical exam", "29545-1"}, {"physical examination", "29545-1"}, {"exam", "29545-1"},
    {"examination", "29545-1"}, {"pe", "29545-1"},
    {"vital signs", "8716-3"}, {"vitals", "8716-3"},
    {"assessment and plan", "51847-2"}, {"assessment/plan", "51847-2"},
    {"assessment & plan", "51847-2"}, {"a/p", "51847-2"}, {"a&p", "51847-2"},
    {"impression and plan", "51847-2"},
    {"assessment", "51848-0"}, {"impression", "51848-0"},
    {"plan", "18776-5"}, {"plan of care", "18776-5"}, {"recommendations", "18776-5"},
    {"hospital course", "8648-8"}, {"brief hospital course", "8648-8"},
    {"course", "8648-8"}, {"clinical course", "8648-8"},
    {"discharge diagnosis", "11535-2"}, {"discharge diagnoses", "11535-2"},
    {"final diagnosis", "11535-2"}, {"final diagnoses", "11535-2"},
    {"admission diagnosis", "46241-6"}, {"admitting diagnosis", "46241-6"},
    {"diagnoses", "11450-4"}, {"diagnosis", "11450-4"}, {"problem list", "11450-4"},
    {"problems", "11450-4"}, {"active problems", "11450-4"},
    {"procedures", "47519-4"}, {"procedure", "47519-4"}, {"operations", "47519-4"},
    {"results", "30954-2"}, {"labs", "30954-2"}, {"laboratory", "30954-2"},
    {"laboratory data", "30954-2"}, {"lab results", "30954-2"}, {"pertinent results", "30954-2"},
    {"laboratory results", "30954-2"}, {"imaging", "30954-2"}, {"studies", "30954-2"},
    {"immunizations", "11369-6"},
    {"discharge instructions", "8653-8"}, {"instructions", "69730-0"},
    {"follow up", "18776-5"}, {"follow-up", "18776-5"}, {"followup", "18776-5"},
    {"disposition", "18776-5"}, {"discharge disposition", "18776-5"},
    {"condition on discharge", "8653-8"}, {"discharge condition", "8653-8"},
    {"consultations", "11493-4"},
    {"diet", "61144-2"}, {"activity", "8653-8"},
    {"subjective", "10164-2"}, {"objective", "29545-1"},
};

/* Lower-case copy of a title with trailing ':' / spaces and a leading
 * number ("2.", "II)") removed, into dst (size cap). */
static void normalize_title(const char *s, char *dst, size_t cap)
{
    size_t n = 0;
    while (*s && isspace((unsigned char)*s)) s++;
    for (; *s && n + 1 < cap; s++) {
        unsigned char c = (unsigned char)*s;
        if (isspace(c)) {
            if (n && dst[n - 1] != ' ') dst[n++] = ' ';
        } else {
            dst[n++] = (char)tolower(c);
        }
    }
    while (n && (dst[n - 1] == ' ' || dst[n - 1] == ':' || dst[n - 1] == '-')) n--;
    dst[n] = '\0';
}

const char *cs_section_code_for_title(const char *title)
{
    char t[96];
    if (!title) return NULL;
    normalize_title(title, t, sizeof t);
    for (size_t i = 0; i < sizeof title_codes / sizeof *title_codes; i++)
        if (strcmp(t, title_codes[i].title) == 0) return title_codes[i].code;
    return NULL;
}

/* ------------------------------------------------------- header detection */

/* Length of a leading enumeration such as "2. ", "IV) ", "A. ", or 0. */
static size_t number_prefix(const char *s, size_t n)
{
    size_t i = 0;
    if (i < n && isdigit((unsigned char)s[i])) {
        while (i < n && isdigit((unsigned char)s[i]) && i < 3) i++;
    } else {
        while (i < n && strchr("IVXivx", s[i]) && i < 4) i++;
        if (i == 0 && i < n && isupper((unsigned char)s[i])) i = 1;
    }
    if (i == 0 || i >= n || (s[i] != '.' && s[i] != ')')) return 0;
    i++;
    if (i >= n || s[i] != ' ') return 0;
    while (i < n && s[i] == ' ') i++;
    return i;
}

/* Is s[0..n) a plausible heading text (no colon)?  Letters, spaces and
 * a few joiners, 1..8 words, at most 60 bytes, starts with a letter. */
static int heading_words(const char *s, size_t n, int *all_caps)
{
    if (n == 0 || n > 60 || !isalpha((unsigned char)s[0])) return 0;
    int words = 1, letters = 0, lower = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isalpha(c)) { letters++; if (islower(c)) lower++; }
        else if (c == ' ') { if (i && s[i - 1] != ' ') words++; }
        else if (!strchr("/&-,()'", c)) return 0;
    }
    *all_caps = lower == 0;
    return letters >= 2 && words <= 8;
}

/* Decide whether a line is a header.  On success *title_len is the length of
 * the title within line (after trim), *body_off the offset of inline text
 * following "Title:" (or len when none). */
static int is_header(const char *line, size_t len, size_t *title_off,
                     size_t *title_len, size_t *body_off)
{
    size_t a = 0, b = len;
    while (a < b && isspace((unsigned char)line[a])) a++;
    while (b > a && isspace((unsigned char)line[b - 1])) b--;
    if (a == b) return 0;
    if (line[a] == '[') return 0; /* transcript turns: "[doctor] ..." */
    size_t num = number_prefix(line + a, b - a);
    size_t t0 = a + num;
    int caps;
    /* "Title:" possibly followed by text */
    const char *colon = memchr(line + t0, ':', b - t0);
    if (colon) {
        size_t tl = (size_t)(colon - (line + t0));
        while (tl && line[t0 + tl - 1] == ' ') tl--;
        if (heading_words(line + t0, tl, &caps)) {
            char tmp[96];
            size_t k = tl < sizeof tmp - 1 ? tl : sizeof tmp - 1;
            memcpy(tmp, line + t0, k);
            tmp[k] = '\0';
            size_t rest = (size_t)(colon - line) + 1;
            while (rest < b && line[rest] == ' ') rest++;
            /* Text after the colon only when the title is a known heading
             * ("HPI: 67 yo ..."); "DOB: 1/2/50" and "Dose: 5 mg" are labels
             * inside the narrative, not sections. */
            if (rest >= b || cs_section_code_for_title(tmp)) {
                *title_off = t0;
                *title_len = tl;
                *body_off = rest;
                return 1;
            }
        }
        return 0;
    }
    if (heading_words(line + t0, b - t0, &caps)) {
        char tmp[96];
        size_t k = b - t0 < sizeof tmp - 1 ? b - t0 : sizeof tmp - 1;
        memcpy(tmp, line + t0, k);
        tmp[k] = '\0';
        if ((caps && b - t0 >= 4) || cs_section_code_for_title(tmp)) {
            *title_off = t0;
            *title_len = b - t0;
            *body_off = len;
            return 1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------------ parse */

typedef struct {
    cs_document *doc;
    const cs_decoded *dec;
    cs_buf body;
    cs_mapbuild mb;    /* source map of body */
    char *title;
    size_t start;      /* text offset where the current section began */
    int open;
} text_state;

static int flush(text_state *st, size_t end)
{
    /* drop leading and trailing blank lines of the body */
    size_t a = 0, b = st->body.len;
    const char *p = st->body.data ? st->body.data : "";
    while (a < b && (p[a] == '\n' || p[a] == ' ' || p[a] == '\t')) a++;
    while (b > a && isspace((unsigned char)p[b - 1])) b--;
    cs_srcmap map;
    int rc = cs_mapbuild_take(&st->mb, a, b, &map);
    if (rc == CS_OK && st->open && (b > a || (st->title && *st->title))) {
        const char *code = cs_section_code_for_title(st->title);
        cs_section *s = cs_document_add_section(st->doc, st->title, code, code ? "LOINC" : NULL,
                                                p + a, b - a,
                                                cs_decoded_src_offset(st->dec, st->start),
                                                cs_decoded_src_offset(st->dec, end));
        if (!s) rc = CS_ERR_NOMEM;
        else { s->map = map; map = (cs_srcmap){0}; }
    }
    cs_srcmap_free(&map);
    cs_buf_clear(&st->body);
    free(st->title);
    st->title = NULL;
    st->open = 0;
    return rc;
}

static const char *guess_kind(const char *t, size_t n)
{
    size_t head = n < 2000 ? n : 2000;
    static const struct { const char *needle, *kind; } kinds[] = {
        {"[doctor]", "transcript"}, {"[patient]", "transcript"},
        {"discharge summary", "discharge summary"},
        {"operative report", "operative note"}, {"operative note", "operative note"},
        {"procedure note", "procedure note"}, {"consultation", "consultation note"},
        {"history and physical", "history and physical"}, {"h&p", "history and physical"},
        {"progress note", "progress note"}, {"emergency department", "emergency department note"},
        {"radiology report", "radiology report"}, {"referral", "referral note"},
    };
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        size_t m = strlen(kinds[k].needle);
        for (size_t i = 0; i + m <= head; i++)
            if (strncasecmp(t + i, kinds[k].needle, m) == 0) return kinds[k].kind;
    }
    return "clinical note";
}

int cs_parse_text(const uint8_t *data, size_t n, cs_document **out)
{
    *out = NULL;
    cs_decoded dec;
    int rc = cs_text_decode(data, n, &dec);
    if (rc != CS_OK) return rc;
    cs_document *doc = cs_document_new(CS_FMT_TEXT);
    if (!doc) { cs_decoded_free(&dec); return CS_ERR_NOMEM; }
    doc->encoding = cs_encoding_name(dec.encoding);
    text_state st = {.doc = doc, .dec = &dec, .open = 1, .start = 0};
    st.mb.src = dec.text;
    const char *t = dec.text;
    size_t i = 0;
    while (i < dec.len && rc == CS_OK) {
        size_t e = i;
        while (e < dec.len && t[e] != '\n' && t[e] != '\r') e++;
        size_t next = e;
        if (next < dec.len && t[next] == '\r') next++;
        if (next < dec.len && t[next] == '\n' && (next == e || t[e] == '\r')) next++;
        size_t to, tl, bo;
        if (is_header(t + i, e - i, &to, &tl, &bo)) {
            if ((rc = flush(&st, i)) != CS_OK) break;
            st.title = malloc(tl + 1);
            if (!st.title) { rc = CS_ERR_NOMEM; break; }
            memcpy(st.title, t + i + to, tl);
            st.title[tl] = '\0';
            st.open = 1;
            st.start = i;
            if (bo < e - i) {
                size_t off = st.body.len;
                rc = cs_buf_append(&st.body, t + i + bo, e - i - bo);
                if (rc == CS_OK)
                    rc = cs_mapbuild_add(&st.mb, st.body.data, off, e - i - bo, i + bo, e);
                if (rc == CS_OK) rc = cs_buf_putc(&st.body, '\n');
            }
        } else {
            size_t off = st.body.len;
            rc = cs_buf_append(&st.body, t + i, e - i);
            if (rc == CS_OK) rc = cs_mapbuild_add(&st.mb, st.body.data, off, e - i, i, e);
            if (rc == CS_OK) rc = cs_buf_putc(&st.body, '\n');
        }
        i = next;
    }
    if (rc == CS_OK) rc = flush(&st, dec.len);
    if (rc == CS_OK) rc = cs_document_set(&doc->kind, guess_kind(t, dec.len));
    cs_buf_free(&st.body);
    cs_mapbuild_free(&st.mb);
    free(st.title);
    if (rc == CS_OK) {
        cs_document_take_source(doc, dec.map, dec.len, dec.bom_len);
        dec.map = NULL;
    }
    cs_decoded_free(&dec);
    if (rc != CS_OK) { cs_document_free(doc); return rc; }
    *out = doc;
    return CS_OK;
}
