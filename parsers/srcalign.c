/*
 * srcalign.c: finding text nodes in their markup, and collecting a section
 * map as the text is written (see cs_srcalign.h).
 */
#include "cs_srcalign.h"
#include "cs_err.h"
#include "cs_text.h"

#include <libxml/HTMLparser.h>
#include <string.h>

/* ------------------------------------------------------------- aligning */

static int is_ws(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Bytes that end a verbatim run in the source: blanks, references,
 * markup, and ']' (which may close a CDATA section). */
static const unsigned char run_stop[256] = {
    [' '] = 1, ['\t'] = 1, ['\n'] = 1, ['\r'] = 1, ['\f'] = 1, ['&'] = 1, ['<'] = 1, [']'] = 1};

/* cs_srcmap_add with its common case, extending the last segment, inline:
 * this runs for every word of every narrative. */
static inline int seg_add(cs_srcmap *m, size_t t0, size_t t1, size_t s0, size_t s1)
{
    if (m->n && t1 > t0 && t1 - t0 == s1 - s0) {
        cs_srcseg *p = &m->segs[m->n - 1];
        if (p->text_end == t0 && p->src_end == s0 && p->text_end - p->text == p->src_end - p->src) {
            p->text_end = (uint32_t)t1;
            p->src_end = (uint32_t)s1;
            return CS_OK;
        }
    }
    return cs_srcmap_add(m, t0, t1, s0, s1);
}

static int is_alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* The reference at s[q] == '&', decoded as the parser decodes it, into
 * out[0..*on) (*on may be 0: libxml2's HTML parser drops references to
 * characters XML cannot hold).  Returns its source length, 0 if it is not
 * a reference the parser would decode. */
static size_t decode_ref(const cs_align *a, size_t q, size_t lim, char *out, size_t *on)
{
    const char *s = a->src;
    size_t i = q + 1;
    unsigned long cp = 0;
    *on = 0;
    if (i < lim && s[i] == '#') {
        int hex = ++i < lim && (s[i] == 'x' || s[i] == 'X');
        i += hex;
        size_t d0 = i;
        for (; i < lim; i++) {
            unsigned char c = (unsigned char)s[i];
            unsigned lc = c | 0x20u;
            unsigned v = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                         : hex && lc >= 'a' && lc <= 'f' ? lc - 'a' + 10 : 99u;
            if (v == 99) break;
            cp = cp * (hex ? 16 : 10) + v;
            if (cp > 0x10FFFF) cp = 0x110000;
        }
        if (i == d0) return 0;
        if (i < lim && s[i] == ';') i++;
        else if (!a->html) return 0;
    } else {
        char name[40];
        size_t k = 0;
        while (i < lim && is_alnum((unsigned char)s[i]) && k + 1 < sizeof name) name[k++] = s[i++];
        name[k] = '\0';
        if (!k || i >= lim || s[i] != ';') return 0;
        i++;
        if (a->html) {
            const htmlEntityDesc *e = htmlEntityLookup((const xmlChar *)name);
            if (!e) return 0;
            cp = e->value;
        } else if (!strcmp(name, "lt")) cp = '<';
        else if (!strcmp(name, "gt")) cp = '>';
        else if (!strcmp(name, "amp")) cp = '&';
        else if (!strcmp(name, "apos")) cp = '\'';
        else if (!strcmp(name, "quot")) cp = '"';
        else return 0;
    }
    int xml_char = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
                   (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
    if (!xml_char) return a->html ? i - q : 0;
    *on = cs_utf8_encode((unsigned)cp, out);
    return i - q;
}

static int starts(const cs_align *a, size_t q, const char *lit, size_t n)
{
    return a->end - q >= n && memcmp(a->src + q, lit, n) == 0;
}

/* Match node text c[0..n) against the source from p; on success the end of
 * the node's source in *qe.  Returns 1, 0 (no match) or CS_ERR_NOMEM. */
static int try_at(cs_align *a, size_t p, const char *c, size_t n, size_t *qe)
{
    const char *s = a->src;
    size_t k = 0, q = p, lim = a->end;
    int cdata = 0;
    char ref[4];
    size_t rn, r;
    a->pieces.n = 0;
    while (k < n) {
        if (!a->budget) return 0;
        a->budget--;
        if (q < lim && s[q] == '<' && !cdata && !a->html && starts(a, q, "<![CDATA[", 9)) {
            cdata = 1;
            q += 9;
            continue;
        }
        if (q < lim && s[q] == ']' && cdata && starts(a, q, "]]>", 3)) {
            cdata = 0;
            q += 3;
            continue;
        }
        unsigned char ch = (unsigned char)c[k];
        if (is_ws(ch)) {
            /* whitespace is never mapped byte by byte: the writer collapses
             * it; step over it on both sides (CR LF -> LF, &#10;...) */
            while (k < n && is_ws((unsigned char)c[k])) k++;
            while (q < lim && a->budget) {
                a->budget--;
                if (is_ws((unsigned char)s[q])) q++;
                else if (s[q] == '<' && !cdata && !a->html && starts(a, q, "<![CDATA[", 9))
                    cdata = 1, q += 9;
                else if (s[q] == ']' && cdata && starts(a, q, "]]>", 3))
                    cdata = 0, q += 3;
                else if (!cdata && s[q] == '&' && (r = decode_ref(a, q, lim, ref, &rn)) &&
                         rn == 1 && is_ws((unsigned char)ref[0])) q += r;
                else break;
            }
            continue;
        }
        if (q >= lim) return 0;
        unsigned char sc = (unsigned char)s[q];
        if (sc == '&' && !cdata && (r = decode_ref(a, q, lim, ref, &rn))) {
            if (rn == 0) { q += r; continue; }
            if (rn <= n - k && memcmp(c + k, ref, rn) == 0) {
                if (seg_add(&a->pieces, k, k + rn, q, q + r) != CS_OK) return CS_ERR_NOMEM;
                k += rn;
                q += r;
                continue;
            }
            if (!a->html) return 0; /* else maybe a literal '&' */
        }
        if (is_ws(sc) && k == 0) { q++; continue; } /* leading blanks the parser dropped */
        if (sc != ch) return 0;
        size_t k0 = k, q0 = q;
        k++, q++;
        /* the run of ordinary source bytes, then one comparison */
        size_t e = q, stop = q + (n - k < lim - q ? n - k : lim - q);
        while (e < stop && !run_stop[(unsigned char)s[e]]) e++;
        if (memcmp(c + k, s + q, e - q) != 0) { /* rare: stop at the difference */
            size_t m = 0;
            while (c[k + m] == s[q + m]) m++;
            e = q + m;
        }
        k += e - q;
        q = e;
        a->budget = a->budget > k - k0 ? a->budget - (k - k0) : 0;
        if (seg_add(&a->pieces, k0, k, q0, q) != CS_OK) return CS_ERR_NOMEM;
    }
    if (cdata) { /* the node ends inside a CDATA section only at its end */
        while (q < lim && !starts(a, q, "]]>", 3)) q++;
        q = q < lim ? q + 3 : q;
    }
    *qe = q;
    return 1;
}

void cs_align_init(cs_align *a, const char *src, size_t start, size_t end, int html)
{
    cs_srcmap keep = a->pieces;
    memset(a, 0, sizeof *a);
    a->pieces = keep;
    a->pieces.n = 0;
    a->src = src;
    a->cur = start;
    a->end = end;
    a->html = html;
    a->budget = 16 * (end - start) + 4096;
}

int cs_align_node(cs_align *a, const char *c, size_t n)
{
    size_t k = 0;
    a->pieces.n = 0;
    while (k < n && is_ws((unsigned char)c[k])) k++;
    if (k == n) return 1;
    size_t p = a->cur;
    for (;;) {
        size_t qe;
        int r = try_at(a, p, c, n, &qe);
        if (r < 0) return r;
        if (r) {
            a->cur = qe;
            return 1;
        }
        if (!a->budget || p >= a->end) break;
        /* a text node starts where markup ended */
        const char *g = memchr(a->src + p, '>', a->end - p);
        if (!g) break;
        size_t np = (size_t)(g - a->src) + 1;
        a->budget = a->budget > np - p ? a->budget - (np - p) : 0;
        p = np;
    }
    a->pieces.n = 0;
    return 0;
}

void cs_align_free(cs_align *a)
{
    cs_srcmap_free(&a->pieces);
    memset(a, 0, sizeof *a);
}

/* ----------------------------------------------------------- building */

static int linear(const cs_srcseg *g)
{
    return g->text_end - g->text == g->src_end - g->src;
}

/* One segment, translated through b->outer when set. */
static int emit(cs_mapbuild *b, size_t t0, size_t t1, size_t s0, size_t s1)
{
    if (t1 <= t0) return CS_OK;
    if (!b->outer) {
        if (b->map.n && s0 < b->map.segs[b->map.n - 1].src_end) { b->broken = 1; return CS_OK; }
        return seg_add(&b->map, t0, t1, s0, s1);
    }
    const cs_srcmap *o = b->outer;
    if (t1 - t0 != s1 - s0 || s0 == s1) {
        size_t os, oe;
        if (!cs_srcmap_range(o, s0, s1, &os, &oe)) { b->broken = 1; return CS_OK; }
        b->outer = NULL;
        int rc = emit(b, t0, t1, os, oe);
        b->outer = o;
        return rc;
    }
    /* linear: split where the outer map changes segment */
    size_t lo = 0, hi = o->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (o->segs[mid].text_end <= s0) lo = mid + 1;
        else hi = mid;
    }
    size_t x = s0;
    for (size_t i = lo; i < o->n && x < s1; i++) {
        const cs_srcseg *g = &o->segs[i];
        if (g->text > x) break;
        size_t x1 = g->text_end < s1 ? g->text_end : s1;
        size_t u0 = t0 + (x - s0), u1 = t0 + (x1 - s0);
        size_t os = linear(g) ? g->src + (x - g->text) : g->src;
        size_t oe = linear(g) ? g->src + (x1 - g->text) : g->src_end;
        if (b->map.n && os < b->map.segs[b->map.n - 1].src_end) {
            /* the rest of an escape already mapped: share its segment */
            cs_srcseg *pv = &b->map.segs[b->map.n - 1];
            if (!linear(pv) && pv->src == os && pv->text_end == u0) {
                pv->text_end = (uint32_t)u1;
                x = x1;
                continue;
            }
            b->broken = 1;
            return CS_OK;
        }
        int rc = cs_srcmap_add(&b->map, u0, u1, os, oe);
        if (rc != CS_OK) return rc;
        x = x1;
    }
    if (x < s1) b->broken = 1;
    return CS_OK;
}

/* Output [mapped, off) was inserted by the writer: map it to the source
 * between the last run and `next`. */
static int gap(cs_mapbuild *b, const char *out, size_t off, size_t next)
{
    if (off <= b->mapped) return CS_OK;
    size_t from = b->map.n || b->mapped ? b->last : next;
    if (next < from) { b->broken = 1; return CS_OK; }
    size_t n = off - b->mapped;
    if (next - from == n && b->src && memcmp(out + b->mapped, b->src + from, n) == 0)
        return emit(b, b->mapped, off, from, next);
    return emit(b, b->mapped, off, from, next);
}

int cs_mapbuild_add(cs_mapbuild *b, const char *out, size_t off, size_t n, size_t s, size_t e)
{
    int rc = gap(b, out, off, s);
    if (rc == CS_OK) rc = emit(b, off, off + n, s, e);
    b->mapped = off + n;
    b->last = e;
    return rc;
}

int cs_mapbuild_node(cs_mapbuild *b, const char *out, size_t off, const cs_srcmap *pc,
                     size_t c, size_t n)
{
    size_t lo = 0, hi = pc->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (pc->segs[mid].text_end <= c) lo = mid + 1;
        else hi = mid;
    }
    if (lo == pc->n || pc->segs[lo].text > c) {
        b->broken = 1;
        b->mapped = off + n;
        return CS_OK;
    }
    size_t x = c, end = c + n;
    int rc = CS_OK;
    for (size_t i = lo; i < pc->n && x < end && rc == CS_OK; i++) {
        const cs_srcseg *g = &pc->segs[i];
        if (g->text > x) break; /* hole: cannot happen for non-space text */
        size_t x1 = g->text_end < end ? g->text_end : end;
        size_t s = linear(g) ? g->src + (x - g->text) : g->src;
        size_t e = linear(g) ? g->src + (x1 - g->text) : g->src_end;
        rc = cs_mapbuild_add(b, out, off + (x - c), x1 - x, s, e);
        x = x1;
    }
    if (x < end) b->broken = 1;
    b->mapped = off + n;
    return rc;
}

int cs_mapbuild_take(cs_mapbuild *b, size_t a, size_t e, cs_srcmap *out)
{
    int rc = CS_OK;
    memset(out, 0, sizeof *out);
    if (e > b->mapped && !b->broken) /* trailing inserted text */
        rc = emit(b, b->mapped, e, b->last, b->last);
    for (size_t i = 0; i < b->map.n && rc == CS_OK && !b->broken; i++) {
        cs_srcseg g = b->map.segs[i];
        if (g.text_end <= a || g.text >= e) continue;
        size_t t0 = g.text < a ? a : g.text, t1 = g.text_end > e ? e : g.text_end;
        if (linear(&g)) {
            g.src += (uint32_t)(t0 - g.text);
            g.src_end = (uint32_t)(g.src + (t1 - t0));
        }
        rc = cs_srcmap_add(out, t0 - a, t1 - a, g.src, g.src_end);
    }
    if (rc != CS_OK || b->broken) cs_srcmap_free(out);
    b->map.n = 0;
    b->mapped = 0;
    b->broken = 0;
    return rc;
}

void cs_mapbuild_free(cs_mapbuild *b)
{
    cs_srcmap_free(&b->map);
    memset(b, 0, sizeof *b);
}
