/*
 * parse_ccda.c: HL7 C-CDA (R1.1 and R2.1) -> cs_document.
 *
 * The header gives the patient identity (recordTarget/patientRole: ids,
 * names, birth time, address, telecom) and the metadata (document code and
 * title, effective time, author, custodian, encompassingEncounter).  The
 * body is either a structuredBody, whose sections (nested to any depth) are
 * read in document order with their LOINC code (the section code, else the
 * templateId, else the title) and their narrative <text> flattened by
 * narrative.c, or a nonXMLBody, whose text/plain or text/html content is
 * decoded and parsed and whose PDF or other binary content is reported as
 * not extracted (cs_attachment.h).
 *
 * Each section's text carries a source map (cs_srcmap.h): its text nodes
 * are found again in the <text> element by cs_align (entities, CDATA and
 * CR LF accounted for).  Text from a nonXMLBody maps as a whole to the
 * content of its <text> element (base64 or not).
 *
 * The input is first decoded to UTF-8 here (BOM, UTF-16, a declared Latin-1
 * or Windows-1252), so libxml2 always sees UTF-8 and the section spans can
 * be mapped back to source bytes.  Bytes that are not valid UTF-8 in a file
 * that declares (or defaults to) UTF-8 are refused, not guessed.
 */
#include "cs_attachment.h"
#include "cs_codes.h"
#include "cs_err.h"
#include "cs_narrative.h"
#include "cs_parse.h"
#include "cs_srcalign.h"
#include "cs_text.h"
#include "cs_xml.h"

#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HL7_NS "urn:hl7-org:v3"

typedef struct {
    cs_document *doc;
    cs_xml x;
    cs_decoded dec;
    xmlXPathContextPtr xp;
    cs_align al;       /* source maps of section text */
    cs_mapbuild mb;
    int rc;
} ccda;

/* ----------------------------------------------------------- small helpers */

static void keep(ccda *c, int rc)
{
    if (c->rc == CS_OK) c->rc = rc;
}

static int has_null_flavor(xmlNodePtr n)
{
    return cs_xml_attr(n, "nullFlavor") != NULL;
}

/* Nodes matching an XPath expression relative to `at` (NULL: document).
 * Caller frees with xmlXPathFreeObject; NULL when none. */
static xmlXPathObjectPtr xpath(ccda *c, const char *expr, xmlNodePtr at)
{
    c->xp->node = at ? at : (xmlNodePtr)c->x.doc;
    xmlXPathObjectPtr o = xmlXPathEvalExpression((const xmlChar *)expr, c->xp);
    if (o && (!o->nodesetval || o->nodesetval->nodeNr == 0)) {
        xmlXPathFreeObject(o);
        return NULL;
    }
    return o;
}

static xmlNodePtr xpath_first(ccda *c, const char *expr, xmlNodePtr at)
{
    xmlXPathObjectPtr o = xpath(c, expr, at);
    xmlNodePtr n = o ? o->nodesetval->nodeTab[0] : NULL;
    xmlXPathFreeObject(o);
    return n;
}

/* The collapsed text of an element (whitespace runs -> one space). */
static char *text_of(xmlNodePtr n)
{
    return n ? cs_flatten(n, NULL) : NULL;
}

static void set_text_field(ccda *c, char **field, xmlNodePtr n)
{
    if (!n || has_null_flavor(n)) return;
    char *s = text_of(n);
    if (!s) { keep(c, CS_ERR_NOMEM); return; }
    for (char *p = s; *p; p++) if (*p == '\n') *p = ' ';
    if (*s) keep(c, cs_document_set(field, s));
    free(s);
}

/* ------------------------------------------------------------------ names */

/* A person name (<given>s and <family>) in every form redaction needs
 * (cs_name_forms_add); a name with no parts counts as written. */
static void add_name(ccda *c, cs_strlist *names, xmlNodePtr name, char **first_form)
{
    if (!name || has_null_flavor(name)) return;
    char *given[8] = {0}, *family = NULL;
    size_t n_given = 0;
    for (xmlNodePtr p = name->children; p; p = p->next) {
        int is_given = cs_xml_is(p, "given");
        if ((!is_given && !cs_xml_is(p, "family")) || has_null_flavor(p)) continue;
        if (is_given ? n_given == 8 : family != NULL) continue;
        char *v = text_of(p);
        if (!v) { keep(c, CS_ERR_NOMEM); break; }
        if (is_given) given[n_given++] = v;
        else family = v;
    }
    if (n_given || family) {
        keep(c, cs_name_forms_add(names, (const char *const *)given, n_given, family, first_form));
    } else {
        char *v = text_of(name);
        if (!v) keep(c, CS_ERR_NOMEM);
        else if (names) keep(c, cs_strlist_add(names, v));
        if (v && first_form && !*first_form && *v) { *first_form = v; v = NULL; }
        free(v);
    }
    for (size_t i = 0; i < n_given; i++) free(given[i]);
    free(family);
}

/* ----------------------------------------------------------------- header */

static void read_patient_role(ccda *c, xmlNodePtr role)
{
    cs_identity *id = &c->doc->identity;
    for (xmlNodePtr n = role->children; n; n = n->next) {
        if (cs_xml_is(n, "id") && !has_null_flavor(n)) {
            const char *ext = cs_xml_attr(n, "extension");
            keep(c, cs_strlist_add(&id->identifiers, ext ? ext : cs_xml_attr(n, "root")));
        } else if (cs_xml_is(n, "addr") && !has_null_flavor(n)) {
            int parts = 0;
            for (xmlNodePtr a = n->children; a; a = a->next) {
                if (!cs_xml_is(a, "streetAddressLine") && !cs_xml_is(a, "city") &&
                    !cs_xml_is(a, "postalCode"))
                    continue;
                char *v = text_of(a);
                if (!v) { keep(c, CS_ERR_NOMEM); return; }
                keep(c, cs_strlist_add(&id->addresses, v));
                free(v);
                parts++;
            }
            if (!parts) {
                char *v = text_of(n);
                if (v) keep(c, cs_strlist_add(&id->addresses, v));
                free(v);
            }
        } else if (cs_xml_is(n, "telecom") && !has_null_flavor(n)) {
            keep(c, cs_telecom_add(&id->telecoms, cs_xml_attr(n, "value")));
        } else if (cs_xml_is(n, "patient")) {
            for (xmlNodePtr p = n->children; p; p = p->next) {
                if (cs_xml_is(p, "name")) add_name(c, &id->names, p, NULL);
                else if (cs_xml_is(p, "birthTime") && !has_null_flavor(p))
                    keep(c, cs_strlist_add(&id->birth_dates, cs_xml_attr(p, "value")));
            }
        }
    }
}

static void read_header(ccda *c, xmlNodePtr root)
{
    cs_document *d = c->doc;
    xmlXPathObjectPtr roles = xpath(c, "h:recordTarget/h:patientRole", root);
    for (int i = 0; roles && i < roles->nodesetval->nodeNr; i++)
        read_patient_role(c, roles->nodesetval->nodeTab[i]);
    xmlXPathFreeObject(roles);

    set_text_field(c, &d->title, cs_xml_child(root, "title"));
    xmlNodePtr t = cs_xml_child(root, "effectiveTime");
    if (!t || has_null_flavor(t))
        t = xpath_first(c, "h:componentOf/h:encompassingEncounter/h:effectiveTime/h:low", root);
    if (!t || has_null_flavor(t))
        t = xpath_first(c, "h:componentOf/h:encompassingEncounter/h:effectiveTime", root);
    if (t && !has_null_flavor(t) && cs_xml_attr(t, "value"))
        keep(c, cs_document_set(&d->date, cs_xml_attr(t, "value")));

    xmlNodePtr who = xpath_first(c, "h:author/h:assignedAuthor/h:assignedPerson/h:name", root);
    if (who && !has_null_flavor(who)) {
        add_name(c, NULL, who, &d->author);
    } else {
        set_text_field(c, &d->author, xpath_first(c,
            "h:author/h:assignedAuthor/h:representedOrganization/h:name", root));
    }
    set_text_field(c, &d->facility, xpath_first(c,
        "h:custodian/h:assignedCustodian/h:representedCustodianOrganization/h:name", root));
    if (!d->facility)
        set_text_field(c, &d->facility, xpath_first(c,
            "h:componentOf/h:encompassingEncounter/h:location/h:healthCareFacility/"
            "h:serviceProviderOrganization/h:name", root));
    if (!d->facility)
        set_text_field(c, &d->facility, xpath_first(c,
            "h:componentOf/h:encompassingEncounter/h:location/h:healthCareFacility/"
            "h:location/h:name", root));

    const char *kind = NULL;
    xmlNodePtr code = cs_xml_child(root, "code");
    if (code && !has_null_flavor(code)) kind = cs_kind_for_loinc(cs_xml_attr(code, "code"));
    for (xmlNodePtr tid = cs_xml_child(root, "templateId"); !kind && tid;
         tid = cs_xml_next(tid, "templateId")) {
        const char *r = cs_xml_attr(tid, "root");
        if (r && !strcmp(r, "2.16.840.1.113883.10.20.22.1.2")) kind = "CCD";
        if (r && !strcmp(r, "2.16.840.1.113883.10.20.22.1.8")) kind = "discharge summary";
        if (r && !strcmp(r, "2.16.840.1.113883.10.20.22.1.9")) kind = "progress note";
    }
    if (!kind && code) kind = cs_kind_for_title(cs_xml_attr(code, "displayName"));
    if (!kind) kind = cs_kind_for_title(d->title);
    keep(c, cs_document_set(&d->kind, kind ? kind : "clinical document"));
}

/* --------------------------------------------------------------- sections */

static cs_span span_of(ccda *c, xmlNodePtr n)
{
    cs_span s = {0, c->dec.len};
    cs_xml_span(&c->x, n, &s);
    s.start = cs_decoded_src_offset(&c->dec, s.start);
    s.end = cs_decoded_src_offset(&c->dec, s.end);
    return s;
}

static void read_section(ccda *c, xmlNodePtr sec, int depth)
{
    if (c->rc != CS_OK || depth > 64) return;
    char *title = NULL;
    xmlNodePtr t = cs_xml_child(sec, "title");
    if (t && !has_null_flavor(t)) {
        title = text_of(t);
        if (!title) { keep(c, CS_ERR_NOMEM); return; }
        for (char *p = title; *p; p++) if (*p == '\n') *p = ' ';
    }
    const char *code = NULL, *system = NULL;
    xmlNodePtr cn = cs_xml_child(sec, "code");
    if (cn && !has_null_flavor(cn) && cs_xml_attr(cn, "code") && *cs_xml_attr(cn, "code")) {
        code = cs_xml_attr(cn, "code");
        system = cs_code_system_name(cs_xml_attr(cn, "codeSystem"));
    }
    for (xmlNodePtr tid = cs_xml_child(sec, "templateId"); !code && tid;
         tid = cs_xml_next(tid, "templateId"))
        if ((code = cs_loinc_for_template(cs_xml_attr(tid, "root")))) system = "LOINC";
    if (!code && (code = cs_section_code_for_title(title))) system = "LOINC";

    char *text = NULL;
    size_t len = 0;
    cs_srcmap map = {0};
    xmlNodePtr tx = cs_xml_child(sec, "text");
    if (tx) {
        cs_span r;
        cs_flat fl = {0};
        if (cs_xml_span(&c->x, tx, &r)) {
            cs_align_init(&c->al, c->dec.text, r.start, r.end, 0);
            c->mb.src = c->dec.text;
            fl.map = &c->mb;
            fl.align = &c->al;
        }
        int rc = cs_flat_children(&fl, tx);
        if (rc == CS_OK) rc = cs_flat_take_map(&fl, &text, &len, &map);
        cs_flat_free(&fl);
        if (rc != CS_OK) { free(text); cs_srcmap_free(&map); free(title); keep(c, rc); return; }
    }
    cs_span sp = span_of(c, sec);
    cs_section *s = cs_document_add_section(c->doc, title, code, system, text, len,
                                            sp.start, sp.end);
    free(title);
    free(text);
    if (!s) { cs_srcmap_free(&map); keep(c, CS_ERR_NOMEM); return; }
    s->depth = depth;
    s->map = map;
    for (xmlNodePtr comp = cs_xml_child(sec, "component"); comp; comp = cs_xml_next(comp, "component"))
        for (xmlNodePtr sub = cs_xml_child(comp, "section"); sub; sub = cs_xml_next(sub, "section"))
            read_section(c, sub, depth + 1);
}

/* Narrow an element's span [<tag ...>, </tag>] to its content. */
static void content_of(const char *src, cs_span *v)
{
    size_t i = v->start;
    char q = 0;
    for (; i < v->end; i++) {
        if (q) { if (src[i] == q) q = 0; }
        else if (src[i] == '"' || src[i] == '\'') q = src[i];
        else if (src[i] == '>') break;
    }
    if (i < v->end && i > v->start && src[i - 1] == '/') { /* <text/> */
        v->start = v->end;
        return;
    }
    size_t e = v->end;
    while (e > i && src[e - 1] != '<') e--;
    v->start = i < v->end ? i + 1 : v->end;
    v->end = e > v->start ? e - 1 : v->start;
}

static void read_non_xml_body(ccda *c, xmlNodePtr body)
{
    xmlNodePtr tx = cs_xml_child(body, "text");
    cs_span sp = span_of(c, body);
    if (!tx || has_null_flavor(tx)) {
        keep(c, cs_attachment_skip(c->doc, "no content", 0, sp.start, sp.end));
        return;
    }
    const char *type = cs_xml_attr(tx, "mediaType");
    if (!type) type = "text/plain"; /* the CDA default */
    if (cs_xml_child(tx, "reference")) {
        keep(c, cs_attachment_skip(c->doc, "external reference, not fetched", 0, sp.start, sp.end));
        return;
    }
    const char *comp = cs_xml_attr(tx, "compression");
    if (comp) {
        keep(c, cs_attachment_skip(c->doc, "compressed content", 0, sp.start, sp.end));
        return;
    }
    xmlChar *raw = xmlNodeGetContent(tx);
    if (!raw) { keep(c, CS_ERR_NOMEM); return; }
    size_t first = c->doc->n_sections;
    const char *rep = cs_xml_attr(tx, "representation");
    size_t rawlen = strlen((const char *)raw);
    if (rep && !strcasecmp(rep, "B64")) {
        uint8_t *bytes;
        size_t n;
        int rc = cs_base64_decode((const char *)raw, rawlen, &bytes, &n);
        if (rc == CS_OK) {
            keep(c, cs_attachment_add(c->doc, type, bytes, n, 0, sp.start, sp.end));
            free(bytes);
        } else if (rc == CS_ERR_NOMEM) {
            keep(c, rc);
        } else {
            keep(c, cs_attachment_skip(c->doc, "invalid base64", 0, sp.start, sp.end));
        }
    } else {
        keep(c, cs_attachment_add(c->doc, type, raw, rawlen, 0, sp.start, sp.end));
    }
    xmlFree(raw);
    cs_span v;
    if (c->rc == CS_OK && cs_xml_span(&c->x, tx, &v)) {
        content_of(c->dec.text, &v);
        keep(c, cs_attachment_map(c->doc, first, v.start, v.end));
    }
}

/* ------------------------------------------------------------------ input */

/* Guide examples often omit xmlns="urn:hl7-org:v3"; give un-namespaced
 * elements the HL7 namespace so one set of XPath expressions serves all. */
static int adopt_hl7_namespace(xmlNodePtr root)
{
    xmlNsPtr ns = xmlNewNs(root, (const xmlChar *)HL7_NS, NULL);
    if (!ns) return CS_ERR_NOMEM;
    for (xmlNodePtr n = root; n;) {
        if (n->type == XML_ELEMENT_NODE && !n->ns) n->ns = ns;
        if (n->type == XML_ELEMENT_NODE && n->children) { n = n->children; continue; }
        while (n && n != root && !n->next) n = n->parent;
        if (!n || n == root) break;
        n = n->next;
    }
    return CS_OK;
}

/* The encoding named in the XML declaration, lower-cased into buf, or "". */
static void declared_encoding(const uint8_t *d, size_t n, char *buf, size_t cap)
{
    buf[0] = '\0';
    size_t lim = n < 256 ? n : 256;
    const char *s = (const char *)d;
    size_t i = (lim >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) ? 3 : 0;
    if (lim - i < 5 || strncmp(s + i, "<?xml", 5)) return;
    for (; i + 9 < lim && s[i] != '>'; i++) {
        if (strncmp(s + i, "encoding", 8)) continue;
        i += 8;
        while (i < lim && (s[i] == ' ' || s[i] == '=')) i++;
        if (i >= lim || (s[i] != '"' && s[i] != '\'')) return;
        char q = s[i++];
        size_t k = 0;
        while (i < lim && s[i] != q && k + 1 < cap) buf[k++] = (char)(s[i++] | 0x20);
        buf[k] = '\0';
        return;
    }
}

int cs_parse_ccda(const uint8_t *data, size_t n, cs_document **out)
{
    *out = NULL;
    ccda c = {0};
    int rc = cs_text_decode(data, n, &c.dec);
    if (rc != CS_OK) return rc;
    if (c.dec.encoding == CS_ENC_CP1252) {
        char enc[32];
        declared_encoding(data, n, enc, sizeof enc);
        if (!*enc || !strcmp(enc, "utf-8") || !strcmp(enc, "utf8")) {
            cs_decoded_free(&c.dec);
            return CS_ERR_ENCODING; /* promised UTF-8, is not */
        }
    }
    static const char *const tracked[] = {"section", "nonXMLBody", "text", NULL};
    rc = cs_xml_read(c.dec.text, c.dec.len, tracked, &c.x);
    if (rc != CS_OK) { cs_decoded_free(&c.dec); return rc; }
    xmlNodePtr root = xmlDocGetRootElement(c.x.doc);
    if (!cs_xml_is(root, "ClinicalDocument") ||
        (root->ns && strcmp((const char *)root->ns->href, HL7_NS) != 0)) {
        rc = CS_ERR_NOT_CCDA;
        goto done;
    }
    if (!root->ns && (rc = adopt_hl7_namespace(root)) != CS_OK) goto done;
    c.doc = cs_document_new(CS_FMT_CCDA);
    c.xp = xmlXPathNewContext(c.x.doc);
    if (!c.doc || !c.xp || xmlXPathRegisterNs(c.xp, (const xmlChar *)"h", (const xmlChar *)HL7_NS)) {
        rc = CS_ERR_NOMEM;
        goto done;
    }
    c.doc->encoding = cs_encoding_name(c.dec.encoding);
    read_header(&c, root);
    xmlXPathObjectPtr secs = xpath(&c, "h:component/h:structuredBody/h:component/h:section", root);
    for (int i = 0; secs && i < secs->nodesetval->nodeNr; i++)
        read_section(&c, secs->nodesetval->nodeTab[i], 0);
    xmlXPathFreeObject(secs);
    xmlNodePtr nxb = xpath_first(&c, "h:component/h:nonXMLBody", root);
    if (nxb) read_non_xml_body(&c, nxb);
    rc = c.rc;
    if (rc == CS_OK) {
        cs_document_take_source(c.doc, c.dec.map, c.dec.len, c.dec.bom_len);
        c.dec.map = NULL;
    }
done:
    cs_align_free(&c.al);
    cs_mapbuild_free(&c.mb);
    if (c.xp) xmlXPathFreeContext(c.xp);
    cs_xml_free(&c.x);
    cs_decoded_free(&c.dec);
    if (rc != CS_OK) {
        cs_document_free(c.doc);
        return rc;
    }
    *out = c.doc;
    return CS_OK;
}
