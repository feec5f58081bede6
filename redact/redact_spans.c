/* redact_spans.c: span lists - append, sort, merge. */
#include "redact_internal.h"

#include "cs_err.h"

#include <stdlib.h>

int cs_spans_add(cs_span_list *l, size_t start, size_t end, cs_phi_category c,
                 cs_phi_source src, cs_phi_role role)
{
    if (end <= start) return CS_OK;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        cs_phi_span *p = realloc(l->items, cap * sizeof *p);
        if (!p) return CS_ERR_NOMEM;
        l->items = p;
        l->cap = cap;
    }
    l->items[l->n++] = (cs_phi_span){start, end, c, src, role};
    return CS_OK;
}

static int by_start(const void *a, const void *b)
{
    const cs_phi_span *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    if (x->end != y->end) return x->end > y->end ? -1 : 1;
    if (x->category != y->category) return (int)x->category - (int)y->category;
    if (x->source != y->source) return (int)x->source - (int)y->source; /* qsort is not stable: */
    return (int)x->role - (int)y->role;                                  /* same order everywhere */
}

void cs_spans_normalize(cs_span_list *l)
{
    if (l->n < 2) return;
    qsort(l->items, l->n, sizeof *l->items, by_start);
    size_t w = 0;
    for (size_t i = 1; i < l->n; i++) {
        cs_phi_span *a = &l->items[w], *b = &l->items[i];
        if (b->start < a->end) {
            /* The category of the strongest evidence: the header identity,
             * then a name found from its context ("Dr. Lucinda Walsh, MD"
             * is no "City, MD"), then the longer span. */
            int pa = a->source == CS_SRC_IDENTITY ? 2 : (a->category == CS_PHI_NAME && a->source == CS_SRC_CONTEXT);
            int pb = b->source == CS_SRC_IDENTITY ? 2 : (b->category == CS_PHI_NAME && b->source == CS_SRC_CONTEXT);
            if (pb > pa || (pb == pa && b->end - b->start > a->end - a->start)) {
                a->category = b->category;
                a->source = b->source;
            }
            if (a->role == CS_ROLE_UNKNOWN) a->role = b->role;
            if (b->end > a->end) a->end = b->end;
        } else {
            l->items[++w] = *b;
        }
    }
    l->n = w + 1;
}

void cs_span_list_free(cs_span_list *l)
{
    if (!l) return;
    free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}
