/*
 * narrative.c: flattening markup narrative to plain text (see cs_narrative.h).
 *
 * The writer is lazy: whitespace and line breaks are remembered and only
 * written before the next visible character, which is what makes
 * "<paragraph>\n   text\n</paragraph>" come out as one clean line.
 */
#include "cs_narrative.h"
#include "cs_err.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int name_in(const xmlChar *name, const char *const *list)
{
    for (; *list; list++)
        if (strcasecmp((const char *)name, *list) == 0) return 1;
    return 0;
}

/* Elements whose content is never narrative. */
static const char *const skipped[] = {"script", "style", "template", "head", NULL};
/* Elements that start and end a line (HTML and CDA narrative names). */
static const char *const blocks[] = {
    "paragraph", "list", "item", "caption", "p", "div", "ul", "ol", "li", "dl", "dt",
    "dd", "table", "thead", "tbody", "tfoot", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "section", "article", "header", "footer", "nav", "aside", "main",
    "address", "hr", "figure", "figcaption", "center", "form", "fieldset", "legend",
    "body", "html", "title", "footnote", "renderMultiMedia", NULL};

static char last_char(const cs_flat *f)
{
    return f->out.len ? f->out.data[f->out.len - 1] : '\n';
}

/* Write visible characters, first settling any pending break or space. */
static int put_raw(cs_flat *f, const char *s, size_t n)
{
    int rc = CS_OK;
    if (f->out.len) {
        if (f->line && last_char(f) != '\n') rc = cs_buf_putc(&f->out, '\n');
        else if (f->space && last_char(f) != '\n' && last_char(f) != ' ')
            rc = cs_buf_putc(&f->out, ' ');
    }
    f->line = f->space = 0;
    if (rc == CS_OK && n) rc = cs_buf_append(&f->out, s, n);
    return rc;
}

void cs_flat_break(cs_flat *f)
{
    if (f->cell) f->space = 1;
    else f->line = 1;
}

/* Write text s[0..n); with a map, s is the last aligned node's text from
 * offset coff (SIZE_MAX: not node text, no source known). */
static int flat_text(cs_flat *f, const char *s, size_t n, size_t coff)
{
    size_t i = 0;
    if (f->map && coff == (size_t)-1) f->map->broken = 1;
    while (i < n) {
        size_t ws = 0;
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') ws = 1;
        else if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) ws = 2;
        if (ws) {
            if (f->pre) {
                int rc = c == '\n' ? (f->line = 0, f->space = 0, cs_buf_putc(&f->out, '\n'))
                         : c == '\r' ? CS_OK : put_raw(f, " ", 1);
                if (rc != CS_OK) return rc;
            } else {
                f->space = 1;
            }
            i += ws;
            continue;
        }
        size_t j = i + 1;
        while (j < n) {
            unsigned char d = (unsigned char)s[j];
            if (d == ' ' || d == '\t' || d == '\n' || d == '\r' || d == '\f' ||
                (d == 0xC2 && j + 1 < n && (unsigned char)s[j + 1] == 0xA0))
                break;
            j++;
        }
        int rc = put_raw(f, s + i, j - i);
        if (rc == CS_OK && f->map && coff != (size_t)-1)
            rc = cs_mapbuild_node(f->map, f->out.data, f->out.len - (j - i), &f->align->pieces,
                                  coff + i, j - i);
        if (rc != CS_OK) return rc;
        i = j;
    }
    return CS_OK;
}

int cs_flat_text(cs_flat *f, const char *s, size_t n)
{
    return flat_text(f, s, n, (size_t)-1);
}

/* One table row on one line: "cell | cell | cell". */
static int flat_row(cs_flat *f, xmlNodePtr tr)
{
    cs_flat_break(f);
    int first = 1, rc = CS_OK;
    for (xmlNodePtr c = tr->children; c && rc == CS_OK; c = c->next) {
        if (c->type != XML_ELEMENT_NODE ||
            (strcasecmp((const char *)c->name, "td") && strcasecmp((const char *)c->name, "th"))) {
            rc = cs_flat_node(f, c);
            continue;
        }
        if (!first) {
            f->space = 0;
            if (f->line || last_char(f) == '\n') rc = put_raw(f, "| ", 2);
            else rc = cs_buf_puts(&f->out, " | ");
        }
        first = 0;
        f->cell++;
        if (rc == CS_OK) rc = cs_flat_children(f, c);
        f->cell--;
        f->space = 0;
    }
    cs_flat_break(f);
    return rc;
}

int cs_flat_children(cs_flat *f, xmlNodePtr node)
{
    int rc = CS_OK;
    for (xmlNodePtr c = node ? node->children : NULL; c && rc == CS_OK; c = c->next)
        rc = cs_flat_node(f, c);
    return rc;
}

int cs_flat_node(cs_flat *f, xmlNodePtr n)
{
    switch (n->type) {
    case XML_TEXT_NODE:
    case XML_CDATA_SECTION_NODE: {
        if (!n->content) return CS_OK;
        const char *s = (const char *)n->content;
        size_t len = strlen(s), c = (size_t)-1;
        if (f->map) {
            int r = cs_align_node(f->align, s, len);
            if (r < 0) return r;
            if (r) c = 0;
        }
        return flat_text(f, s, len, c);
    }
    case XML_ELEMENT_NODE:
        break;
    default: /* comments, PIs, entity references (never expanded) */
        return CS_OK;
    }
    const xmlChar *name = n->name;
    if (name_in(name, skipped)) return CS_OK;
    if (strcasecmp((const char *)name, "br") == 0) {
        cs_flat_break(f);
        return CS_OK;
    }
    if (strcasecmp((const char *)name, "tr") == 0) return flat_row(f, n);
    int pre = strcasecmp((const char *)name, "pre") == 0;
    int block = pre || name_in(name, blocks);
    if (block) cs_flat_break(f);
    f->pre += pre;
    int rc = cs_flat_children(f, n);
    f->pre -= pre;
    if (block) cs_flat_break(f);
    return rc;
}

char *cs_flat_take(cs_flat *f, size_t *len)
{
    while (f->out.len && (f->out.data[f->out.len - 1] == ' ' || f->out.data[f->out.len - 1] == '\n'))
        f->out.data[--f->out.len] = '\0';
    size_t n = f->out.len;
    char *s = cs_buf_take(&f->out);
    f->space = f->line = 0;
    if (len) *len = n;
    return s;
}

int cs_flat_take_map(cs_flat *f, char **text, size_t *len, cs_srcmap *map)
{
    size_t n;
    *text = cs_flat_take(f, &n);
    if (len) *len = n;
    memset(map, 0, sizeof *map);
    if (!*text) return CS_ERR_NOMEM;
    return f->map ? cs_mapbuild_take(f->map, 0, n, map) : CS_OK;
}

void cs_flat_free(cs_flat *f)
{
    cs_buf_free(&f->out);
    memset(f, 0, sizeof *f);
}

char *cs_flatten(xmlNodePtr node, size_t *len)
{
    cs_flat f = {0};
    if (cs_flat_children(&f, node) != CS_OK) {
        cs_flat_free(&f);
        return NULL;
    }
    return cs_flat_take(&f, len);
}
