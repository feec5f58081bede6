/*
 * cs_xml.h: safe libxml2 reading for the parsers (internal to parsers/).
 *
 * cs_xml_read() parses UTF-8 XML with every dangerous feature off: no
 * network (XML_PARSE_NONET), no DTD loading, no entity substitution, and a
 * document that declares any entity in a DOCTYPE is refused outright (so
 * neither XXE nor "billion laughs" can happen, and an entity reference can
 * never be expanded later by a tree walk).  libxml2's own error messages are
 * swallowed by a structured handler: they may quote document text.
 *
 * It also records the source byte span [start, end) of chosen elements
 * (by local name), which libxml2 does not keep: the start is taken in the
 * SAX start-element callback (the parser then stands on the tag's '>', and
 * '<' cannot occur inside an attribute value, so the tag begins at the last
 * '<' before it) and the end in the end-element callback (just after '>').
 *
 * cs_html_read() wraps libxml2's HTML parser the same way (no network, no
 * messages, spans of tracked elements; an element the parser implied has
 * no tag of its own, and its span is only approximate).
 *
 * Ownership: cs_xml owns the libxml2 tree; free with cs_xml_free().  Input
 * must stay valid only during the read call.  Thread-safe if cs_parse_init()
 * ran first (libxml2 keeps no shared state we touch).
 */
#ifndef CS_XML_H
#define CS_XML_H

#include <libxml/tree.h>
#include <stddef.h>

typedef struct { size_t start, end; } cs_span;

typedef struct {
    xmlDocPtr doc;
    cs_span *spans;     /* spans of tracked elements; node->_private = index+1 */
    size_t n_spans, cap_spans;
} cs_xml;

/* Parse UTF-8 XML (no BOM).  track: NULL-terminated local names whose spans
 * to record (may be NULL).  Returns CS_OK, CS_ERR_XML (malformed, truncated),
 * CS_ERR_UNSUPPORTED (DOCTYPE declares entities: refused for safety),
 * CS_ERR_LIMIT (nesting deeper than libxml2's limit of 256) or CS_ERR_NOMEM. */
int cs_xml_read(const char *utf8, size_t n, const char *const *track, cs_xml *out);

/* Parse UTF-8 HTML (lenient).  Fails with CS_ERR_LIMIT when the parser
 * gives up on nesting deeper than 256 (content would be lost), CS_ERR_XML
 * when it gives up otherwise, CS_ERR_NOMEM.  track as for cs_xml_read
 * (lower-case names). */
int cs_html_read(const char *utf8, size_t n, const char *const *track, cs_xml *out);

void cs_xml_free(cs_xml *x);

/* Span of a tracked element (offsets into the parsed text); 0 if unknown. */
int cs_xml_span(const cs_xml *x, xmlNodePtr node, cs_span *span);

/* Local name equality, ASCII case-insensitive. */
int cs_xml_is(xmlNodePtr node, const char *name);
/* First child element with this local name, or NULL. */
xmlNodePtr cs_xml_child(xmlNodePtr node, const char *name);
/* Next sibling element with this local name after `node`, or NULL. */
xmlNodePtr cs_xml_next(xmlNodePtr node, const char *name);
/* Attribute value (no namespace) or NULL; borrowed from the tree, valid
 * until the tree is freed: returned from the attribute's text child. */
const char *cs_xml_attr(xmlNodePtr node, const char *name);

/* Install silent libxml2 error handlers and refuse all external entity
 * loading globally.  Called by cs_parse_init(). */
void cs_xml_global_init(void);

#endif
