/* summary.c: building and releasing a cs_summary (see summary.h). */
#include "summary.h"
#include "cs_buf.h"
#include "cs_err.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static char *dup_str(const char *s)
{
    size_t n = strlen(s);
    char *d = malloc(n + 1);
    if (d) memcpy(d, s, n + 1);
    return d;
}

cs_summary_section *cs_summary_section_get(cs_summary *s, const char *heading, const char *code)
{
    if (!s || !heading) return NULL;
    for (size_t i = 0; i < s->n_sections; i++)
        if (!strcmp(s->sections[i].heading, heading)) return &s->sections[i];
    if (s->n_sections == s->cap_sections) {
        size_t cap = s->cap_sections ? s->cap_sections * 2 : 8;
        cs_summary_section *p = realloc(s->sections, cap * sizeof *p);
        if (!p) return NULL;
        s->sections = p;
        s->cap_sections = cap;
    }
    cs_summary_section *sec = &s->sections[s->n_sections];
    memset(sec, 0, sizeof *sec);
    if (!(sec->heading = dup_str(heading))) return NULL;
    sec->code = code;
    s->n_sections++;
    return sec;
}

char *cs_collapse_space(const char *text, size_t len, size_t *out_len)
{
    char *t = malloc(len + 1);
    if (!t) return NULL;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        if (isspace(c)) {
            if (n && t[n - 1] != ' ') t[n++] = ' ';
        } else {
            t[n++] = (char)c;
        }
    }
    while (n && t[n - 1] == ' ') n--;
    t[n] = '\0';
    *out_len = n;
    return t;
}

int cs_summary_add_item(cs_summary_section *sec, const char *text, size_t len)
{
    if (!sec || (!text && len)) return CS_ERR_INVALID;
    size_t n;
    char *item = cs_collapse_space(text, len, &n);
    if (!item) return CS_ERR_NOMEM;
    int dup = n == 0;
    for (size_t i = 0; i < sec->n_items && !dup; i++) dup = !strcmp(sec->items[i], item);
    if (dup) { free(item); return CS_OK; }
    if (sec->n_items == sec->cap_items) {
        size_t cap = sec->cap_items ? sec->cap_items * 2 : 8;
        char **p = realloc(sec->items, cap * sizeof *p);
        if (!p) { free(item); return CS_ERR_NOMEM; }
        sec->items = p;
        sec->cap_items = cap;
    }
    sec->items[sec->n_items++] = item;
    return CS_OK;
}

int cs_summary_mark_used(cs_summary *s, size_t index)
{
    for (size_t i = 0; i < s->n_used; i++)
        if (s->used[i] == index) return CS_OK;
    if (s->n_used == s->cap_used) {
        size_t cap = s->cap_used ? s->cap_used * 2 : 8;
        size_t *p = realloc(s->used, cap * sizeof *p);
        if (!p) return CS_ERR_NOMEM;
        s->used = p;
        s->cap_used = cap;
    }
    s->used[s->n_used++] = index;
    return CS_OK;
}

size_t cs_summary_item_count(const cs_summary *s)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n_sections; i++) n += s->sections[i].n_items;
    return n;
}

char *cs_summary_to_text(const cs_summary *s)
{
    cs_buf b = {0};
    int rc = CS_OK;
    if (s->reason) rc = cs_buf_printf(&b, "Reason: %s\n", s->reason);
    for (size_t i = 0; i < s->n_sections && rc == CS_OK; i++) {
        const cs_summary_section *sec = &s->sections[i];
        if (!sec->n_items) continue;
        rc = cs_buf_printf(&b, "%s\n", sec->heading);
        for (size_t j = 0; j < sec->n_items && rc == CS_OK; j++)
            rc = cs_buf_printf(&b, "%s\n", sec->items[j]);
    }
    if (rc != CS_OK) { cs_buf_free(&b); return NULL; }
    return cs_buf_take(&b);
}

void cs_summary_free(cs_summary *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n_sections; i++) {
        for (size_t j = 0; j < s->sections[i].n_items; j++) free(s->sections[i].items[j]);
        free(s->sections[i].items);
        free(s->sections[i].heading);
    }
    free(s->sections);
    free(s->used);
    free(s->kind);
    free(s->reason);
    memset(s, 0, sizeof *s);
}
