/* prompt.c: prompt templates and context budgeting (see prompt.h). */
#include "prompt.h"
#include "cs_buf.h"
#include "cs_err.h"

#include <stdlib.h>
#include <string.h>

static const char *const style_names[] = {"brief", "handoff", "patient"};

const char *cs_style_name(cs_summary_style s)
{
    return (unsigned)s < 3 ? style_names[s] : "brief";
}

int cs_style_parse(const char *name)
{
    for (int i = 0; name && i < 3; i++)
        if (!strcmp(name, style_names[i])) return i;
    return -1;
}

/* ------------------------------------------------------------ templates */

#define GROUNDING \
    "Use only facts stated in the document. Do not add diagnoses, medications, " \
    "doses, numbers or dates that the document does not contain. Identifiers were " \
    "replaced by tags such as [NAME]; keep them as they are."

static const char *const systems[] = {
    "You are a clinical documentation assistant. Summarize the clinical document "
    "for a colleague in at most five short lines: who the patient is clinically, "
    "why they came, the main findings, what was done and what happens next. " GROUNDING,
    "You are a clinical documentation assistant writing a handoff. Summarize the "
    "clinical document under these headings, as short bullet points, leaving out "
    "headings with nothing to report: Reason for visit; Diagnoses and problems; "
    "Medications (changes first); Allergies; Key results; Procedures; Hospital "
    "course; Plan and follow-up. " GROUNDING,
    "You explain medical documents to patients. Summarize the document for the "
    "patient in plain, kind language a 12-year-old could follow: what happened, "
    "what the main problems are, which medicines to take and what changed, and what "
    "to do next. Explain any medical word you use. " GROUNDING,
};

const char *cs_prompt_system(cs_summary_style s)
{
    return systems[(unsigned)s < 3 ? s : 0];
}

static const char *const part_intro =
    "This is part %zu of %zu of a longer document. Summarize only this part, as "
    "short bullet points.\n\n";

static const char *const doc_intro = "Summarize this clinical document.\n\n";

size_t cs_prompt_estimate_tokens(const char *text, size_t len)
{
    (void)text;
    return (len + 3) / 4;
}

static size_t count_tokens(cs_token_counter count, void *ctx, const char *t, size_t n)
{
    return count ? count(ctx, t, n) : cs_prompt_estimate_tokens(t, n);
}

/* ------------------------------------------------------------ building */

static int append_section(cs_buf *b, const cs_section *s, const char *text, size_t len)
{
    int rc = CS_OK;
    if (*s->title) rc = cs_buf_printf(b, "## %s\n", s->title);
    if (rc == CS_OK) rc = cs_buf_append(b, text, len);
    if (rc == CS_OK) rc = cs_buf_puts(b, "\n\n");
    return rc;
}

typedef struct {
    char **items;
    size_t n, cap;
} str_vec;

static int vec_push(str_vec *v, char *s)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 8;
        char **p = realloc(v->items, cap * sizeof *p);
        if (!p) return CS_ERR_NOMEM;
        v->items = p;
        v->cap = cap;
    }
    v->items[v->n++] = s;
    return CS_OK;
}

/* Largest prefix of text[0..len) ending at a sentence end or newline whose
 * tokens fit `room`; at least something (a hard cut) when nothing fits. */
static size_t fitting_prefix(const char *text, size_t len, size_t room,
                             cs_token_counter count, void *ctx)
{
    size_t best = 0;
    for (size_t i = 0; i < len; i++) {
        int end = text[i] == '\n' || ((text[i] == '.' || text[i] == '?' || text[i] == '!') &&
                                      (i + 1 == len || text[i + 1] == ' ' || text[i + 1] == '\n'));
        if (!end) continue;
        if (count_tokens(count, ctx, text, i + 1) > room) break;
        best = i + 1;
    }
    if (!best) {
        /* no sentence end fits: cut by bytes (4 per token, UTF-8 safe) */
        best = room * 4 < len ? room * 4 : len;
        while (best > 0 && best < len && ((unsigned char)text[best] & 0xC0) == 0x80) best--;
        if (!best) best = len < 1 ? len : 1;
    }
    return best;
}

int cs_prompt_build(const cs_document *doc, cs_summary_style style, size_t budget_tokens,
                    cs_token_counter count, void *count_ctx, cs_prompt_plan *out)
{
    memset(out, 0, sizeof *out);
    if (!doc) return CS_ERR_INVALID;
    out->system = cs_prompt_system(style);
    size_t fixed = count_tokens(count, count_ctx, out->system, strlen(out->system)) +
                   count_tokens(count, count_ctx, part_intro, strlen(part_intro)) + 16;
    if (budget_tokens <= fixed + 32) return CS_ERR_LIMIT;
    size_t room = budget_tokens - fixed;

    /* Whole document first. */
    cs_buf all = {0};
    int rc = cs_buf_puts(&all, doc_intro);
    for (size_t i = 0; i < doc->n_sections && rc == CS_OK; i++)
        rc = append_section(&all, &doc->sections[i], doc->sections[i].text, doc->sections[i].text_len);
    if (rc != CS_OK) { cs_buf_free(&all); return rc; }
    str_vec parts = {0};
    if (count_tokens(count, count_ctx, all.data, all.len) <= room) {
        rc = vec_push(&parts, cs_buf_take(&all));
        if (rc == CS_OK) { out->user = parts.items; out->n_parts = 1; }
        else free(parts.items);
        cs_buf_free(&all);
        return rc;
    }
    cs_buf_free(&all);

    /* Section by section, packing whole sections while they fit. */
    cs_buf cur = {0};
    for (size_t i = 0; i < doc->n_sections && rc == CS_OK; i++) {
        const cs_section *s = &doc->sections[i];
        size_t off = 0;
        while (off < s->text_len && rc == CS_OK) {
            size_t used = count_tokens(count, count_ctx, cur.data ? cur.data : "", cur.len);
            size_t title = count_tokens(count, count_ctx, s->title, strlen(s->title)) + 4;
            size_t left = room > used + title ? room - used - title : 0;
            size_t take = s->text_len - off;
            if (count_tokens(count, count_ctx, s->text + off, take) > left) {
                if (cur.len) { /* flush and retry with an empty part */
                    rc = vec_push(&parts, cs_buf_take(&cur));
                    continue;
                }
                take = fitting_prefix(s->text + off, take, left ? left : 1, count, count_ctx);
            }
            rc = append_section(&cur, s, s->text + off, take);
            off += take;
        }
    }
    if (rc == CS_OK && cur.len) rc = vec_push(&parts, cs_buf_take(&cur));
    cs_buf_free(&cur);
    /* Prefix each part with its instruction. */
    for (size_t i = 0; i < parts.n && rc == CS_OK; i++) {
        cs_buf b = {0};
        rc = cs_buf_printf(&b, part_intro, i + 1, parts.n);
        if (rc == CS_OK) rc = cs_buf_puts(&b, parts.items[i]);
        if (rc != CS_OK) { cs_buf_free(&b); break; }
        free(parts.items[i]);
        parts.items[i] = cs_buf_take(&b);
    }
    out->user = parts.items;
    out->n_parts = parts.n;
    if (rc != CS_OK) cs_prompt_plan_free(out);
    return rc;
}

void cs_prompt_plan_free(cs_prompt_plan *p)
{
    for (size_t i = 0; i < p->n_parts; i++) free(p->user[i]);
    free(p->user);
    memset(p, 0, sizeof *p);
}

char *cs_prompt_combine(cs_summary_style style, char *const *partials, size_t n)
{
    cs_buf b = {0};
    int rc = cs_buf_printf(&b,
        "These are summaries of consecutive parts of one clinical document. Combine them "
        "into one %s summary as instructed, removing repetition.\n\n", cs_style_name(style));
    for (size_t i = 0; i < n && rc == CS_OK; i++)
        rc = cs_buf_printf(&b, "### Part %zu\n%s\n\n", i + 1, partials[i] ? partials[i] : "");
    if (rc != CS_OK) { cs_buf_free(&b); return NULL; }
    return cs_buf_take(&b);
}
