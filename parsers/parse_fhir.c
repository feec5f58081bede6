/*
 * parse_fhir.c: FHIR R4 JSON -> cs_document, with cJSON.
 *
 * Accepted: a document Bundle (its Composition gives the metadata and the
 * sections, nested to any depth, each with its XHTML narrative flattened by
 * narrative.c, or its emptyReason when it has none), a Bundle of any other
 * type holding DocumentReferences (and/or a Composition), a lone
 * DocumentReference or Composition.  Attachments (base64 `data`) go through
 * cs_attachment.h, which sniffs the bytes so gzip or a PDF labelled
 * text/plain is reported as not extracted instead of parsed as text.  Every
 * Patient resource, in the Bundle or `contained`, feeds the identity.
 * A Bundle with none of these but with resource narratives yields one
 * section per narrative; JSON that is not a FHIR resource, or FHIR without
 * any document or narrative, is CS_ERR_NOT_FHIR.
 *
 * Section spans are byte offsets of the section (or attachment) object in
 * the source, found with cs_json_span.h alongside the cJSON tree.  Section
 * text carries a source map (cs_srcmap.h): through the XHTML (cs_align,
 * HTML rules) and then through the JSON string's escapes (\n, \", \uXXXX
 * and surrogate pairs).  Text decoded from a base64 attachment maps as a
 * whole to the encoded `data` value; an emptyReason label has no map (its
 * section span answers).
 */
#include "cs_attachment.h"
#include "cs_codes.h"
#include "cs_err.h"
#include "cs_json_span.h"
#include "cs_narrative.h"
#include "cs_parse.h"
#include "cs_srcalign.h"
#include "cs_text.h"
#include "cs_xml.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct {
    const char *src;   /* UTF-8 JSON text */
    size_t n;
    cs_decoded dec;
    cJSON *root;
    cs_document *doc;
    int rc;
} fhir;

/* A JSON value together with its byte offset in the source. */
typedef struct {
    const cJSON *v;
    size_t pos;
} jv;

static void keep(fhir *f, int rc)
{
    if (f->rc == CS_OK) f->rc = rc;
}

static const char *str(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return cJSON_IsString(v) && v->valuestring ? v->valuestring : NULL;
}

static jv member(fhir *f, jv o, const char *key)
{
    jv r = {cJSON_GetObjectItemCaseSensitive(o.v, key), CS_JSON_NOPOS};
    if (r.v) r.pos = cs_json_member(f->src, f->n, o.pos, key);
    return r;
}

/* Iterate an array: first element, then next_el(). */
static jv first_el(fhir *f, jv a)
{
    jv r = {cJSON_IsArray(a.v) ? a.v->child : NULL, CS_JSON_NOPOS};
    if (r.v) r.pos = cs_json_first(f->src, f->n, a.pos);
    return r;
}

static jv next_el(fhir *f, jv e)
{
    jv r = {e.v->next, CS_JSON_NOPOS};
    if (r.v) r.pos = cs_json_next(f->src, f->n, e.pos);
    return r;
}

static cs_span span_of(fhir *f, jv v)
{
    cs_span s = {0, f->n};
    size_t end = cs_json_skip(f->src, f->n, v.pos);
    if (v.pos != CS_JSON_NOPOS && end != CS_JSON_NOPOS) s = (cs_span){v.pos, end};
    s.start = cs_decoded_src_offset(&f->dec, s.start);
    s.end = cs_decoded_src_offset(&f->dec, s.end);
    return s;
}

static int is_type(const cJSON *r, const char *type)
{
    const char *t = str(r, "resourceType");
    return t && strcmp(t, type) == 0;
}

/* ---------------------------------------------------------- human names */

static void add_human_name(fhir *f, cs_strlist *l, const cJSON *name, char **first_form)
{
    const char *text = str(name, "text");
    const cJSON *family = cJSON_GetObjectItemCaseSensitive(name, "family");
    const char *fam = cJSON_IsString(family) ? family->valuestring
                      : cJSON_IsArray(family) && cJSON_IsString(family->child) /* DSTU2 */
                          ? family->child->valuestring : NULL;
    const char *given[8];
    size_t n_given = 0;
    const cJSON *g;
    cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(name, "given"))
        if (cJSON_IsString(g) && n_given < 8) given[n_given++] = g->valuestring;
    keep(f, cs_name_forms_add(l, given, n_given, fam, first_form));
    if (l && text) keep(f, cs_strlist_add(l, text));
    if (text && first_form && !*first_form) keep(f, cs_document_set(first_form, text));
}

static void read_patient(fhir *f, const cJSON *p)
{
    cs_identity *id = &f->doc->identity;
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(p, "name"))
        add_human_name(f, &id->names, e, NULL);
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(p, "identifier"))
        keep(f, cs_strlist_add(&id->identifiers, str(e, "value")));
    keep(f, cs_strlist_add(&id->birth_dates, str(p, "birthDate")));
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(p, "address")) {
        const cJSON *line;
        cJSON_ArrayForEach(line, cJSON_GetObjectItemCaseSensitive(e, "line"))
            if (cJSON_IsString(line)) keep(f, cs_strlist_add(&id->addresses, line->valuestring));
        keep(f, cs_strlist_add(&id->addresses, str(e, "city")));
        keep(f, cs_strlist_add(&id->addresses, str(e, "postalCode")));
        keep(f, cs_strlist_add(&id->addresses, str(e, "text")));
    }
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(p, "telecom"))
        keep(f, cs_telecom_add(&id->telecoms, str(e, "value")));
}

/* Patients anywhere: Bundle entries, and `contained` at any level. */
static void find_patients(fhir *f, const cJSON *r, int depth)
{
    if (!cJSON_IsObject(r) || depth > 8) return;
    if (is_type(r, "Patient")) read_patient(f, r);
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r, "contained"))
        find_patients(f, e, depth + 1);
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(r, "entry"))
        find_patients(f, cJSON_GetObjectItemCaseSensitive(e, "resource"), depth + 1);
}

/* --------------------------------------------------------------- codes */

/* The code of a CodeableConcept, preferring LOINC. */
static const char *concept_code(const cJSON *cc, const char **system)
{
    const cJSON *c, *pick = NULL;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(cc, "coding")) {
        if (!str(c, "code")) continue;
        if (!pick) pick = c;
        const char *sys = str(c, "system");
        if (sys && cs_code_system_name(sys) && !strcmp(cs_code_system_name(sys), "LOINC")) {
            pick = c;
            break;
        }
    }
    if (!pick) return NULL;
    if (system) *system = cs_code_system_name(str(pick, "system"));
    return str(pick, "code");
}

static const char *concept_label(const cJSON *cc)
{
    const char *t = str(cc, "text");
    const cJSON *c;
    cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(cc, "coding"))
        if (!t) t = str(c, "display");
    return t;
}

static const char *kind_of(const cJSON *type, const char *title)
{
    const char *k = cs_kind_for_loinc(concept_code(type, NULL));
    if (!k) k = cs_kind_for_title(concept_label(type));
    if (!k) k = cs_kind_for_title(title);
    return k;
}

/* ------------------------------------------------------------ narrative */

/* Flattened text of an XHTML div string into *out (caller frees), and its
 * map when the div's JSON literal is at `q` in the source. */
static int div_text(fhir *f, const char *div, size_t q, char **out, size_t *len, cs_srcmap *map)
{
    cs_xml x;
    *out = NULL;
    *len = 0;
    size_t dn = strlen(div);
    int rc = cs_html_read(div, dn, NULL, &x);
    if (rc != CS_OK) return rc; /* never drop a narrative silently */
    cs_srcmap outer = {0};
    cs_align al = {0};
    cs_mapbuild mb = {0};
    cs_flat fl = {0};
    if (q != CS_JSON_NOPOS) {
        rc = cs_json_string_map(f->src, f->n, q, div, dn, &outer);
        if (rc == CS_OK) {
            cs_align_init(&al, div, 0, dn, 1);
            mb.src = div;
            mb.outer = &outer;
            fl.map = &mb;
            fl.align = &al;
        } else if (rc == CS_ERR_FORMAT) {
            rc = CS_OK; /* no map: the section span answers */
        }
    }
    if (rc == CS_OK) rc = cs_flat_children(&fl, (xmlNodePtr)x.doc);
    if (rc == CS_OK) rc = cs_flat_take_map(&fl, out, len, map);
    cs_flat_free(&fl);
    cs_mapbuild_free(&mb);
    cs_align_free(&al);
    cs_srcmap_free(&outer);
    cs_xml_free(&x);
    if (rc != CS_OK) { free(*out); *out = NULL; cs_srcmap_free(map); }
    return rc;
}

/* Position of the "div" string of the narrative of the object at `o`. */
static size_t div_pos(fhir *f, jv o)
{
    return member(f, member(f, o, "text"), "div").pos;
}

static void add_text_section(fhir *f, const char *title, const char *code, const char *system,
                             const char *div, size_t divpos, int depth, cs_span sp)
{
    size_t len = 0;
    char *text = NULL;
    cs_srcmap map = {0};
    int rc = div ? div_text(f, div, divpos, &text, &len, &map)
                 : ((text = calloc(1, 1)) ? CS_OK : CS_ERR_NOMEM);
    if (rc != CS_OK) { keep(f, rc); return; }
    cs_section *s = cs_document_add_section(f->doc, title, code, system, text, len, sp.start, sp.end);
    free(text);
    if (!s) { cs_srcmap_free(&map); keep(f, CS_ERR_NOMEM); }
    else { s->depth = depth; s->map = map; }
}

static void read_section(fhir *f, jv sec, int depth)
{
    if (f->rc != CS_OK || depth > 64 || !cJSON_IsObject(sec.v)) return;
    const char *title = str(sec.v, "title");
    const char *system = NULL;
    const char *code = concept_code(cJSON_GetObjectItemCaseSensitive(sec.v, "code"), &system);
    if (!code && (code = cs_section_code_for_title(title))) system = "LOINC";
    const cJSON *text = cJSON_GetObjectItemCaseSensitive(sec.v, "text");
    const char *div = str(text, "div");
    cs_span sp = span_of(f, sec);
    if (div) {
        add_text_section(f, title, code, system, div, div_pos(f, sec), depth, sp);
    } else {
        /* no narrative: say why, from emptyReason, rather than nothing */
        const cJSON *why = cJSON_GetObjectItemCaseSensitive(sec.v, "emptyReason");
        const char *label = why ? concept_label(why) : NULL;
        if (!label && why) label = concept_code(why, NULL);
        cs_section *s = cs_document_add_section(f->doc, title, code, system, label ? label : "",
                                                label ? strlen(label) : 0, sp.start, sp.end);
        if (!s) { keep(f, CS_ERR_NOMEM); return; }
        s->depth = depth;
    }
    for (jv sub = first_el(f, member(f, sec, "section")); sub.v; sub = next_el(f, sub))
        read_section(f, sub, depth + 1);
}

/* ------------------------------------------------------------ resources */

/* A Bundle entry's resource by reference ("Patient/1" or a fullUrl). */
static const cJSON *resolve(fhir *f, const char *ref)
{
    if (!ref || !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(f->root, "entry"))) return NULL;
    const cJSON *e;
    cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(f->root, "entry")) {
        const cJSON *r = cJSON_GetObjectItemCaseSensitive(e, "resource");
        const char *full = str(e, "fullUrl"), *type = str(r, "resourceType"), *id = str(r, "id");
        if (full && !strcmp(full, ref)) return r;
        size_t tl = type ? strlen(type) : 0;
        if (type && id && !strncmp(ref, type, tl) && ref[tl] == '/' && !strcmp(ref + tl + 1, id))
            return r;
    }
    return NULL;
}

/* Name of the party a Reference points to: its display, else the name of
 * the resolved Practitioner / Organization. */
static void set_party(fhir *f, char **field, const cJSON *ref)
{
    if (!ref || *field) return;
    const char *d = str(ref, "display");
    if (d) { keep(f, cs_document_set(field, d)); return; }
    const cJSON *r = resolve(f, str(ref, "reference"));
    if (!r) return;
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(r, "name");
    if (cJSON_IsString(name)) keep(f, cs_document_set(field, name->valuestring));
    else if (cJSON_IsArray(name) && name->child) add_human_name(f, NULL, name->child, field);
}

static void read_composition(fhir *f, jv comp)
{
    cs_document *d = f->doc;
    const cJSON *c = comp.v;
    if (str(c, "title")) keep(f, cs_document_set(&d->title, str(c, "title")));
    if (str(c, "date")) keep(f, cs_document_set(&d->date, str(c, "date")));
    const char *k = kind_of(cJSON_GetObjectItemCaseSensitive(c, "type"), str(c, "title"));
    if (k && !d->kind) keep(f, cs_document_set(&d->kind, k));
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(c, "author");
    set_party(f, &d->author, cJSON_IsArray(a) ? a->child : a);
    set_party(f, &d->facility, cJSON_GetObjectItemCaseSensitive(c, "custodian"));
    for (jv sec = first_el(f, member(f, comp, "section")); sec.v; sec = next_el(f, sec))
        read_section(f, sec, 0);
}

/* One DocumentReference: its attachments at `depth`. */
static void read_docref(fhir *f, jv dr, int depth)
{
    cs_document *d = f->doc;
    const cJSON *r = dr.v;
    const cJSON *type = cJSON_GetObjectItemCaseSensitive(r, "type");
    if (!d->kind) {
        const char *k = kind_of(type, str(r, "description"));
        if (k) keep(f, cs_document_set(&d->kind, k));
    }
    if (!d->date) {
        const char *date = str(r, "date");
        if (!date) date = str(r, "created"); /* STU3 */
        if (date) keep(f, cs_document_set(&d->date, date));
    }
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(r, "author");
    set_party(f, &d->author, cJSON_IsArray(a) ? a->child : a);
    set_party(f, &d->facility, cJSON_GetObjectItemCaseSensitive(r, "custodian"));
    for (jv ct = first_el(f, member(f, dr, "content")); ct.v && f->rc == CS_OK; ct = next_el(f, ct)) {
        jv att = member(f, ct, "attachment");
        cs_span sp = span_of(f, att.v ? att : ct);
        const char *type_s = str(att.v, "contentType");
        const char *data = str(att.v, "data");
        if (!data) {
            keep(f, cs_attachment_skip(d, str(att.v, "url") ? "external URL, not fetched"
                                                          : "no data", depth, sp.start, sp.end));
            continue;
        }
        uint8_t *bytes;
        size_t n;
        int rc = cs_base64_decode(data, strlen(data), &bytes, &n);
        if (rc == CS_ERR_NOMEM) { keep(f, rc); return; }
        if (rc != CS_OK) {
            keep(f, cs_attachment_skip(d, "invalid base64", depth, sp.start, sp.end));
            continue;
        }
        size_t first = d->n_sections;
        keep(f, cs_attachment_add(d, type_s, bytes, n, depth, sp.start, sp.end));
        free(bytes);
        /* base64 cannot be mapped per character: the whole encoded value */
        size_t q = member(f, att, "data").pos, qe = cs_json_skip(f->src, f->n, q);
        if (f->rc == CS_OK && q != CS_JSON_NOPOS && qe != CS_JSON_NOPOS && qe >= q + 2)
            keep(f, cs_attachment_map(d, first, q + 1, qe - 1));
    }
}

/* A heading section for one DocumentReference among many. */
static void docref_heading(fhir *f, jv dr)
{
    const cJSON *r = dr.v;
    const char *t = str(r, "description");
    if (!t) t = concept_label(cJSON_GetObjectItemCaseSensitive(r, "type"));
    cs_span sp = span_of(f, dr);
    const char *code = concept_code(cJSON_GetObjectItemCaseSensitive(r, "type"), NULL);
    cs_section *s = cs_document_add_section(f->doc, t ? t : "DocumentReference", code,
                                            code ? "LOINC" : NULL, "", 0, sp.start, sp.end);
    if (!s) keep(f, CS_ERR_NOMEM);
}

static void read_bundle(fhir *f, jv bundle)
{
    jv entries = member(f, bundle, "entry");
    int n_docrefs = 0, n_comp = 0;
    for (jv e = first_el(f, entries); e.v; e = next_el(f, e)) {
        const cJSON *r = cJSON_GetObjectItemCaseSensitive(e.v, "resource");
        n_docrefs += is_type(r, "DocumentReference");
        n_comp += is_type(r, "Composition");
    }
    if (n_docrefs > 1 && !n_comp) keep(f, cs_document_set(&f->doc->kind, "document collection"));
    for (jv e = first_el(f, entries); e.v && f->rc == CS_OK; e = next_el(f, e)) {
        jv r = member(f, e, "resource");
        if (is_type(r.v, "Composition")) read_composition(f, r);
    }
    for (jv e = first_el(f, entries); e.v && f->rc == CS_OK; e = next_el(f, e)) {
        jv r = member(f, e, "resource");
        if (!is_type(r.v, "DocumentReference")) continue;
        if (n_docrefs + n_comp > 1) docref_heading(f, r);
        read_docref(f, r, n_docrefs + n_comp > 1 ? 1 : 0);
    }
    if (n_docrefs || n_comp) return;
    /* No document in it: keep the narrative each resource carries. */
    for (jv e = first_el(f, entries); e.v && f->rc == CS_OK; e = next_el(f, e)) {
        jv r = member(f, e, "resource");
        const char *div = str(cJSON_GetObjectItemCaseSensitive(r.v, "text"), "div");
        if (div)
            add_text_section(f, str(r.v, "resourceType"), NULL, NULL, div, div_pos(f, r), 0,
                             span_of(f, r));
    }
}

int cs_parse_fhir(const uint8_t *data, size_t n, cs_document **out)
{
    *out = NULL;
    fhir f = {0};
    int rc = cs_text_decode(data, n, &f.dec);
    if (rc != CS_OK) return rc;
    if (f.dec.encoding == CS_ENC_CP1252) { /* JSON is UTF-8 (RFC 8259) */
        cs_decoded_free(&f.dec);
        return CS_ERR_ENCODING;
    }
    f.src = f.dec.text;
    f.n = f.dec.len;
    f.root = cJSON_ParseWithLength(f.src, f.n);
    if (!f.root) { rc = CS_ERR_JSON; goto done; }
    const char *type = str(f.root, "resourceType");
    jv root = {f.root, 0};
    if (!cJSON_IsObject(f.root) || !type) { rc = CS_ERR_NOT_FHIR; goto done; }
    int bundle = !strcmp(type, "Bundle"), docref = !strcmp(type, "DocumentReference"),
        comp = !strcmp(type, "Composition");
    if (!bundle && !docref && !comp) { rc = CS_ERR_NOT_FHIR; goto done; }
    f.doc = cs_document_new(docref ? CS_FMT_FHIR_DOCREF : CS_FMT_FHIR_BUNDLE);
    if (!f.doc) { rc = CS_ERR_NOMEM; goto done; }
    find_patients(&f, f.root, 0);
    if (bundle) read_bundle(&f, root);
    else if (docref) read_docref(&f, root, 0);
    else read_composition(&f, root);
    rc = f.rc;
    if (rc == CS_OK && f.doc->n_sections == 0) rc = CS_ERR_NOT_FHIR;
    if (rc == CS_OK && !f.doc->kind)
        rc = cs_document_set(&f.doc->kind, docref ? "clinical note" : "clinical document");
    if (rc == CS_OK) {
        cs_document_take_source(f.doc, f.dec.map, f.dec.len, f.dec.bom_len);
        f.dec.map = NULL;
    }
done:
    cJSON_Delete(f.root);
    cs_decoded_free(&f.dec);
    if (rc != CS_OK) {
        cs_document_free(f.doc);
        return rc;
    }
    *out = f.doc;
    return CS_OK;
}
