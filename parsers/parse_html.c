/*
 * parse_html.c: HTML -> cs_document, with libxml2's HTML parser.
 *
 * Sections come from the document's own structure: each heading (h1-h6)
 * starts a section titled by the heading, at a depth given by its level
 * relative to the highest level used; in a definition list each <dt> starts
 * a subsection whose text is the <dd>s that follow.  Text before the first
 * heading, and after a definition list, goes to an untitled section, so
 * every character of narrative lands somewhere.  <script>, <style> and
 * <head> are dropped (the <title> becomes the document title).  No network,
 * no libxml2 messages (cs_xml.h).  Section text carries a source map
 * (cs_srcmap.h): text nodes are found again in the source by cs_align with
 * HTML's reference rules.  The input is decoded to UTF-8 first
 * (cs_text.h), whatever a <meta charset> claims.
 */
#include "cs_codes.h"
#include "cs_err.h"
#include "cs_narrative.h"
#include "cs_parse.h"
#include "cs_srcalign.h"
#include "cs_text.h"
#include "cs_xml.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    cs_document *doc;
    cs_xml x;
    cs_decoded dec;
    cs_flat f;         /* text of the open section */
    cs_align al;       /* source map of the open section */
    cs_mapbuild mb;
    char *title;       /* title of the open section (owned) */
    int depth;         /* depth of the open section */
    int heading_depth; /* depth of the last heading, for <dt> subsections */
    size_t start;      /* text offset where the open section began */
    int min_level;     /* highest heading level in use (1..6) */
    int rc;
} html_state;

static int heading_level(xmlNodePtr n)
{
    if (!n || n->type != XML_ELEMENT_NODE || (n->name[0] | 0x20) != 'h') return 0;
    if (n->name[1] >= '1' && n->name[1] <= '6' && n->name[2] == '\0') return n->name[1] - '0';
    return 0;
}

static int skipped(xmlNodePtr n)
{
    return cs_xml_is(n, "script") || cs_xml_is(n, "style") || cs_xml_is(n, "head") ||
           cs_xml_is(n, "template");
}

/* Does the subtree hold a heading or a definition list?  Sets min level. */
static int has_structure(xmlNodePtr n, int *min_level)
{
    int found = 0;
    for (xmlNodePtr c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || skipped(c)) continue;
        int lv = heading_level(c);
        if (lv) {
            found = 1;
            if (min_level && lv < *min_level) *min_level = lv;
        } else if (cs_xml_is(c, "dl")) {
            found = 1;
            if (min_level) has_structure(c, min_level);
        } else if (has_structure(c, min_level)) {
            found = 1;
        }
        if (found && !min_level) return 1;
    }
    return found;
}

static size_t pos_of(html_state *st, xmlNodePtr n, int end)
{
    cs_span sp;
    if (!cs_xml_span(&st->x, n, &sp)) return st->start;
    return end ? sp.end : sp.start;
}

/* Close the open section at text offset `at` and open a new one. */
static void flush(html_state *st, size_t at, char *next_title, int next_depth)
{
    size_t len = 0;
    char *text = NULL;
    cs_srcmap map = {0};
    int rc = cs_flat_take_map(&st->f, &text, &len, &map);
    if (rc != CS_OK && st->rc == CS_OK) st->rc = rc;
    if (st->rc == CS_OK && (len || (st->title && *st->title))) {
        const char *code = cs_section_code_for_title(st->title);
        if (at < st->start) at = st->start;
        cs_section *s = cs_document_add_section(
            st->doc, st->title, code, code ? "LOINC" : NULL, text, len,
            cs_decoded_src_offset(&st->dec, st->start), cs_decoded_src_offset(&st->dec, at));
        if (!s) st->rc = CS_ERR_NOMEM;
        else { s->depth = st->depth; s->map = map; map = (cs_srcmap){0}; }
    }
    cs_srcmap_free(&map);
    free(text);
    free(st->title);
    st->title = next_title;
    st->depth = next_depth;
    st->start = at;
}

static char *one_line(xmlNodePtr n)
{
    char *s = cs_flatten(n, NULL);
    if (s)
        for (char *p = s; *p; p++) if (*p == '\n') *p = ' ';
    return s;
}

static void open_titled(html_state *st, xmlNodePtr n, int depth)
{
    char *t = one_line(n);
    if (!t) { st->rc = CS_ERR_NOMEM; return; }
    flush(st, pos_of(st, n, 0), t, depth);
}

static void walk(html_state *st, xmlNodePtr parent);

static void walk_dl(html_state *st, xmlNodePtr dl)
{
    cs_flat_break(&st->f);
    for (xmlNodePtr c = dl->children; c && st->rc == CS_OK; c = c->next) {
        if (cs_xml_is(c, "dt")) open_titled(st, c, st->heading_depth + 1);
        else if (cs_xml_is(c, "div") && has_structure(c, NULL)) walk_dl(st, c); /* <div><dt><dd></div> */
        else if (st->rc == CS_OK) st->rc = cs_flat_node(&st->f, c);
    }
    /* what follows the list belongs to the heading again, untitled */
    char *none = calloc(1, 1);
    if (!none) { st->rc = CS_ERR_NOMEM; return; }
    flush(st, pos_of(st, dl, 1), none, st->heading_depth);
}

static void walk(html_state *st, xmlNodePtr parent)
{
    for (xmlNodePtr c = parent->children; c && st->rc == CS_OK; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) {
            st->rc = cs_flat_node(&st->f, c);
            continue;
        }
        if (skipped(c)) continue;
        int lv = heading_level(c);
        if (lv) {
            int d = lv - st->min_level;
            st->heading_depth = d < 0 ? 0 : d;
            open_titled(st, c, st->heading_depth);
        } else if (cs_xml_is(c, "dl")) {
            walk_dl(st, c);
        } else if (has_structure(c, NULL)) {
            cs_flat_break(&st->f);
            walk(st, c);
            cs_flat_break(&st->f);
        } else {
            st->rc = cs_flat_node(&st->f, c);
        }
    }
}

static xmlNodePtr find_element(xmlNodePtr n, const char *name, int depth)
{
    for (; n && depth < 4; n = n->next) {
        if (cs_xml_is(n, name)) return n;
        xmlNodePtr r = find_element(n->children, name, depth + 1);
        if (r) return r;
    }
    return NULL;
}

int cs_parse_html(const uint8_t *data, size_t n, cs_document **out)
{
    *out = NULL;
    html_state st = {.min_level = 6};
    int rc = cs_text_decode(data, n, &st.dec);
    if (rc != CS_OK) return rc;
    static const char *const tracked[] = {"h1", "h2", "h3", "h4", "h5", "h6", "dt", "dl", NULL};
    rc = cs_html_read(st.dec.text, st.dec.len, tracked, &st.x);
    if (rc != CS_OK) { cs_decoded_free(&st.dec); return rc; }
    st.doc = cs_document_new(CS_FMT_HTML);
    if (!st.doc) { rc = CS_ERR_NOMEM; goto done; }
    st.doc->encoding = cs_encoding_name(st.dec.encoding);
    cs_align_init(&st.al, st.dec.text, 0, st.dec.len, 1);
    st.mb.src = st.dec.text;
    st.f.map = &st.mb;
    st.f.align = &st.al;
    xmlNodePtr top = (xmlNodePtr)st.x.doc;
    has_structure(top, &st.min_level);
    xmlNodePtr title = find_element(top->children, "title", 0);
    if (title) {
        char *t = one_line(title);
        if (!t) { rc = CS_ERR_NOMEM; goto done; }
        if (*t) rc = cs_document_set(&st.doc->title, t);
        free(t);
        if (rc != CS_OK) goto done;
    }
    walk(&st, top);
    flush(&st, st.dec.len, NULL, 0);
    rc = st.rc;
    if (rc == CS_OK) {
        const char *kind = cs_kind_for_title(st.doc->title);
        if (!kind && st.doc->n_sections) kind = cs_kind_for_title(st.doc->sections[0].title);
        rc = cs_document_set(&st.doc->kind, kind ? kind : "clinical note");
    }
    if (rc == CS_OK) {
        cs_document_take_source(st.doc, st.dec.map, st.dec.len, st.dec.bom_len);
        st.dec.map = NULL;
    }
done:
    cs_flat_free(&st.f);
    cs_align_free(&st.al);
    cs_mapbuild_free(&st.mb);
    free(st.title);
    cs_xml_free(&st.x);
    cs_decoded_free(&st.dec);
    if (rc != CS_OK) {
        cs_document_free(st.doc);
        return rc;
    }
    *out = st.doc;
    return CS_OK;
}
