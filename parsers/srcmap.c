/* srcmap.c: section text -> source offset maps (see cs_srcmap.h). */
#include "cs_srcmap.h"
#include "cs_err.h"

#include <stdlib.h>
#include <string.h>

static int linear(const cs_srcseg *s)
{
    return s->text_end - s->text == s->src_end - s->src;
}

int cs_srcmap_add(cs_srcmap *m, size_t text, size_t text_end, size_t src, size_t src_end)
{
    if (text_end <= text) return CS_OK;
    if (m->n) {
        cs_srcseg *p = &m->segs[m->n - 1];
        if (linear(p) && text_end - text == src_end - src && p->text_end == text &&
            p->src_end == src) {
            p->text_end = (uint32_t)text_end;
            p->src_end = (uint32_t)src_end;
            return CS_OK;
        }
    }
    if (m->n == m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 8;
        cs_srcseg *p = realloc(m->segs, nc * sizeof *p);
        if (!p) return CS_ERR_NOMEM;
        m->segs = p;
        m->cap = nc;
    }
    m->segs[m->n++] = (cs_srcseg){(uint32_t)text, (uint32_t)text_end, (uint32_t)src,
                                  (uint32_t)src_end};
    return CS_OK;
}

/* Index of the segment holding text byte i, or m->n. */
static size_t find(const cs_srcmap *m, size_t i)
{
    size_t lo = 0, hi = m->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (m->segs[mid].text_end <= i) lo = mid + 1;
        else hi = mid;
    }
    return lo < m->n && m->segs[lo].text <= i ? lo : m->n;
}

int cs_srcmap_range(const cs_srcmap *m, size_t a, size_t b, size_t *start, size_t *end)
{
    if (!m || !m->n || b < a) return 0;
    if (a == b) {
        /* empty: the position of byte a, or the end of the last byte */
        size_t k = find(m, a);
        if (k < m->n) {
            const cs_srcseg *s = &m->segs[k];
            *start = *end = linear(s) ? s->src + (a - s->text) : s->src;
            return 1;
        }
        if (a != m->segs[m->n - 1].text_end) return 0;
        *start = *end = m->segs[m->n - 1].src_end;
        return 1;
    }
    size_t ka = find(m, a), kb = find(m, b - 1);
    if (ka == m->n || kb == m->n) return 0;
    const cs_srcseg *sa = &m->segs[ka], *sb = &m->segs[kb];
    *start = linear(sa) ? sa->src + (a - sa->text) : sa->src;
    *end = linear(sb) ? sb->src + (b - sb->text) : sb->src_end;
    return 1;
}

int cs_srcmap_valid(const cs_srcmap *m, size_t text_len, size_t src_len)
{
    if (!m->n) return text_len == 0;
    size_t t = 0, s = 0;
    for (size_t i = 0; i < m->n; i++) {
        const cs_srcseg *g = &m->segs[i];
        if (g->text != t || g->text_end <= g->text || g->src < s || g->src_end < g->src ||
            g->src_end > src_len)
            return 0;
        t = g->text_end;
        s = g->src_end;
    }
    return t == text_len;
}

void cs_srcmap_free(cs_srcmap *m)
{
    if (!m) return;
    free(m->segs);
    memset(m, 0, sizeof *m);
}
