/*
 * xml_read.c: libxml2 with the dangerous parts switched off, plus the byte
 * spans of elements that libxml2 does not record (see cs_xml.h).
 */
#include "cs_xml.h"
#include "cs_err.h"

#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------- silence, no I/O */

static void silent_structured(void *ctx, xmlErrorPtr err) { (void)ctx; (void)err; }

static void silent_generic(void *ctx, const char *msg, ...) { (void)ctx; (void)msg; }

/* Every external entity, DTD or XInclude request is refused. */
static xmlParserInputPtr no_external(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
    (void)url; (void)id; (void)ctxt;
    return NULL;
}

void cs_xml_global_init(void)
{
    xmlSetStructuredErrorFunc(NULL, silent_structured);
    xmlSetGenericErrorFunc(NULL, silent_generic);
    xmlSetExternalEntityLoader(no_external);
}

/* ------------------------------------------------------------ XML + spans */

typedef struct {
    xmlParserCtxtPtr ctxt;
    const char *src;
    const char *const *track;
    cs_xml *x;
    size_t n;
    startElementNsSAX2Func start;
    endElementNsSAX2Func end;
    startElementSAXFunc html_start;
    endElementSAXFunc html_end;
    int refused;   /* the document declared an entity */
    int nomem;
} span_state;

static size_t input_pos(xmlParserCtxtPtr c)
{
    return (size_t)c->input->consumed + (size_t)(c->input->cur - c->input->base);
}

static int tracked(const span_state *st, const xmlChar *local)
{
    for (const char *const *t = st->track; t && *t; t++)
        if (strcmp((const char *)local, *t) == 0) return 1;
    return 0;
}

/* Record the span of the element just opened (ctxt->node).  The parser
 * stands on the '>' (or "/>") that closes its start tag, at `pos`. */
static void push_span(span_state *st, size_t pos)
{
    xmlParserCtxtPtr c = st->ctxt;
    cs_xml *x = st->x;
    if (!c->node) return;
    if (x->n_spans == x->cap_spans) {
        size_t nc = x->cap_spans ? x->cap_spans * 2 : 64;
        cs_span *p = realloc(x->spans, nc * sizeof *p);
        if (!p) { st->nomem = 1; xmlStopParser(c); return; }
        x->spans = p;
        x->cap_spans = nc;
    }
    if (pos > st->n) pos = st->n;
    size_t s = pos < st->n ? pos : (st->n ? st->n - 1 : 0);
    while (s > 0 && st->src[s] != '<') s--;
    x->spans[x->n_spans] = (cs_span){s, pos};
    c->node->_private = (void *)(uintptr_t)(++x->n_spans);
}

/* The element being closed ends just after its end tag's '>'. */
static void close_span(span_state *st)
{
    xmlParserCtxtPtr c = st->ctxt;
    if (!c->node || !c->node->_private) return;
    size_t i = (size_t)(uintptr_t)c->node->_private - 1, pos = input_pos(c);
    st->x->spans[i].end = pos < st->n ? pos : st->n;
}

static void on_start(void *ctx, const xmlChar *local, const xmlChar *prefix,
                     const xmlChar *uri, int nb_ns, const xmlChar **ns,
                     int nb_attr, int nb_def, const xmlChar **attrs)
{
    xmlParserCtxtPtr c = ctx;
    span_state *st = c->_private;
    size_t pos = input_pos(c);
    st->start(ctx, local, prefix, uri, nb_ns, ns, nb_attr, nb_def, attrs);
    if (tracked(st, local)) push_span(st, pos);
}

static void on_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    xmlParserCtxtPtr c = ctx;
    span_state *st = c->_private;
    close_span(st);
    st->end(ctx, local, prefix, uri);
}

static void on_entity_decl(void *ctx, const xmlChar *name, int type,
                           const xmlChar *pub, const xmlChar *sys, xmlChar *content)
{
    (void)name; (void)type; (void)pub; (void)sys; (void)content;
    xmlParserCtxtPtr c = ctx;
    span_state *st = c->_private;
    st->refused = 1;
    xmlStopParser(c);
}

static void on_unparsed_entity(void *ctx, const xmlChar *name, const xmlChar *pub,
                               const xmlChar *sys, const xmlChar *notation)
{
    on_entity_decl(ctx, name, 0, pub, sys, (xmlChar *)notation);
}

/* Hand the tree to out on success; otherwise free everything. */
static int finish(xmlParserCtxtPtr c, cs_xml *out, int rc)
{
    if (rc == CS_OK) {
        out->doc = c->myDoc;
    } else {
        xmlFreeDoc(c->myDoc);
        free(out->spans);
        memset(out, 0, sizeof *out);
    }
    c->myDoc = NULL;
    xmlFreeParserCtxt(c); /* also right for an HTML context */
    return rc;
}

/* libxml2 messages may quote the document: send them nowhere. */
static void silence(xmlParserCtxtPtr c)
{
    c->sax->serror = silent_structured;
    c->sax->error = silent_generic;
    c->sax->warning = silent_generic;
    c->sax->fatalError = silent_generic;
    c->vctxt.error = silent_generic;
    c->vctxt.warning = silent_generic;
}

int cs_xml_read(const char *utf8, size_t n, const char *const *track, cs_xml *out)
{
    memset(out, 0, sizeof *out);
    if (n > (size_t)INT32_MAX) return CS_ERR_TOO_LARGE;
    xmlParserCtxtPtr c = xmlCreateMemoryParserCtxt(utf8, (int)n);
    if (!c) return CS_ERR_NOMEM;
    span_state st = {.ctxt = c, .src = utf8, .n = n, .track = track, .x = out,
                     .start = c->sax->startElementNs, .end = c->sax->endElementNs};
    c->_private = &st;
    c->sax->startElementNs = on_start;
    c->sax->endElementNs = on_end;
    c->sax->entityDecl = on_entity_decl;
    c->sax->unparsedEntityDecl = on_unparsed_entity;
    silence(c);
    /* Never XML_PARSE_NOENT or XML_PARSE_DTDLOAD: entities stay references
     * and no DTD is read.  The input is already UTF-8 (the caller decoded
     * it), so the declared encoding is ignored. */
    xmlCtxtUseOptions(c, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                             XML_PARSE_IGNORE_ENC | XML_PARSE_NOCDATA);
    c->sax->serror = silent_structured;
    xmlSwitchEncoding(c, XML_CHAR_ENCODING_UTF8);
    xmlParseDocument(c);
    int rc = CS_OK;
    if (st.nomem) rc = CS_ERR_NOMEM;
    else if (st.refused) rc = CS_ERR_UNSUPPORTED;
    else if (c->errNo == XML_ERR_INTERNAL_ERROR) rc = CS_ERR_LIMIT; /* nesting too deep */
    else if (!c->wellFormed || !c->myDoc) rc = CS_ERR_XML;
    return finish(c, out, rc);
}

/* ------------------------------------------------------------------ HTML */

/* HTML goes through SAX1-style callbacks.  libxml2's own record_info is
 * not used: 2.9.14 crashes with it when it has to imply an element. */
static void on_html_start(void *ctx, const xmlChar *name, const xmlChar **attrs)
{
    xmlParserCtxtPtr c = ctx;
    span_state *st = c->_private;
    size_t pos = input_pos(c);
    st->html_start(ctx, name, attrs);
    if (tracked(st, name)) push_span(st, pos);
}

static void on_html_end(void *ctx, const xmlChar *name)
{
    xmlParserCtxtPtr c = ctx;
    span_state *st = c->_private;
    close_span(st);
    st->html_end(ctx, name);
}

int cs_html_read(const char *utf8, size_t n, const char *const *track, cs_xml *out)
{
    memset(out, 0, sizeof *out);
    if (n > (size_t)INT32_MAX) return CS_ERR_TOO_LARGE;
    htmlParserCtxtPtr c = htmlCreateMemoryParserCtxt(utf8, (int)n);
    if (!c) return CS_ERR_NOMEM;
    span_state st = {.ctxt = c, .src = utf8, .n = n, .track = track, .x = out,
                     .html_start = c->sax->startElement, .html_end = c->sax->endElement};
    c->_private = &st;
    if (track) {
        c->sax->startElement = on_html_start;
        c->sax->endElement = on_html_end;
    }
    silence(c);
    htmlCtxtUseOptions(c, HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                              HTML_PARSE_IGNORE_ENC);
    /* (not HTML_PARSE_NOIMPLIED: libxml2 2.9.14 crashes with it on text
     * that holds no element) */
    xmlSwitchEncoding(c, XML_CHAR_ENCODING_UTF8);
    htmlParseDocument(c);
    /* The HTML parser recovers from nearly everything; when it gives up
     * (e.g. nesting deeper than 256), the rest of the input would be lost
     * silently, so that is an error. */
    int rc = st.nomem ? CS_ERR_NOMEM
             : c->disableSAX ? (c->errNo == XML_ERR_INTERNAL_ERROR ? CS_ERR_LIMIT : CS_ERR_XML)
             : c->myDoc ? CS_OK : CS_ERR_XML;
    return finish(c, out, rc);
}

void cs_xml_free(cs_xml *x)
{
    if (!x) return;
    xmlFreeDoc(x->doc);
    free(x->spans);
    memset(x, 0, sizeof *x);
}

int cs_xml_span(const cs_xml *x, xmlNodePtr node, cs_span *span)
{
    if (!node || !node->_private) return 0;
    size_t i = (size_t)(uintptr_t)node->_private - 1;
    if (i >= x->n_spans) return 0;
    *span = x->spans[i];
    return 1;
}

/* ------------------------------------------------------------ tree access */

int cs_xml_is(xmlNodePtr node, const char *name)
{
    return node && node->type == XML_ELEMENT_NODE &&
           strcasecmp((const char *)node->name, name) == 0;
}

xmlNodePtr cs_xml_child(xmlNodePtr node, const char *name)
{
    for (xmlNodePtr c = node ? node->children : NULL; c; c = c->next)
        if (cs_xml_is(c, name)) return c;
    return NULL;
}

xmlNodePtr cs_xml_next(xmlNodePtr node, const char *name)
{
    for (xmlNodePtr c = node ? node->next : NULL; c; c = c->next)
        if (cs_xml_is(c, name)) return c;
    return NULL;
}

const char *cs_xml_attr(xmlNodePtr node, const char *name)
{
    if (!node || node->type != XML_ELEMENT_NODE) return NULL;
    for (xmlAttrPtr a = node->properties; a; a = a->next) {
        if (strcmp((const char *)a->name, name) != 0) continue;
        if (a->children && a->children->type == XML_TEXT_NODE && !a->children->next)
            return (const char *)a->children->content;
        return ""; /* value with entity references: never expanded */
    }
    return NULL;
}
