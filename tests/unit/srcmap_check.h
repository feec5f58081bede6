/*
 * srcmap_check.h: an independent check of section source maps (header-only,
 * for tests).  cs_test_slice_text() reads file bytes [start, end) the way a
 * checker that slices the file would: decodes the file's encoding (UTF-16,
 * Windows-1252), undoes JSON string escapes (FHIR), drops markup (tags,
 * comments, CDATA delimiters), decodes XML/HTML references, and finally
 * removes whitespace, U+00A0 and '|' (the flattener joins table cells with
 * " | ").  cs_test_check_range() compares that with the section text [a, b)
 * treated the same way.  Written apart from the parser code on purpose.
 */
#ifndef SRCMAP_CHECK_H
#define SRCMAP_CHECK_H

#include "cs_document.h"
#include "cs_err.h"
#include "cs_text.h"

#include <libxml/HTMLparser.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Remove whitespace, U+00A0 and '|' from s[0..n) (caller frees). */
static char *srcmap_squeeze(const char *s, size_t n)
{
    char *o = malloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '|') continue;
        if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0) { i++; continue; }
        o[k++] = (char)c;
    }
    o[k] = '\0';
    return o;
}

static unsigned srcmap_hex(const char *s, size_t n)
{
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        v = v * 16 + (unsigned)(c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return v;
}

/* JSON string content escapes undone, in place; returns the new length. */
static size_t srcmap_unjson(char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\' || i + 1 >= n) { s[k++] = s[i]; continue; }
        char e = s[++i];
        if (e == 'u' && i + 4 < n) {
            unsigned cp = srcmap_hex(s + i + 1, 4);
            i += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < n && s[i + 1] == '\\' && s[i + 2] == 'u') {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (srcmap_hex(s + i + 3, 4) - 0xDC00);
                i += 6;
            }
            k += cs_utf8_encode(cp, s + k); /* never longer than the escape */
        } else {
            s[k++] = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == 'b' ? '\b'
                     : e == 'f' ? '\f' : e;
        }
    }
    return k;
}

/* Markup dropped and references decoded, in place; returns the new length.
 * cdata: the text starts inside a CDATA section. */
static size_t srcmap_unmarkup(char *s, size_t n, int cdata)
{
    size_t k = 0;
    for (size_t i = 0; i < n;) {
        if (cdata) {
            if (n - i >= 3 && !memcmp(s + i, "]]>", 3)) { cdata = 0; i += 3; }
            else s[k++] = s[i++];
            continue;
        }
        if (n - i >= 9 && !memcmp(s + i, "<![CDATA[", 9)) { cdata = 1; i += 9; continue; }
        if (n - i >= 4 && !memcmp(s + i, "<!--", 4)) {
            char *e = strstr(s + i, "-->");
            i = e && (size_t)(e - s) < n ? (size_t)(e - s) + 3 : n;
            continue;
        }
        if (s[i] == '<' && i + 1 < n && (s[i + 1] == '/' || s[i + 1] == '?' || s[i + 1] == '!' ||
                                         ((s[i + 1] | 0x20) >= 'a' && (s[i + 1] | 0x20) <= 'z'))) {
            char q = 0;
            for (i++; i < n; i++) {
                if (q) { if (s[i] == q) q = 0; }
                else if (s[i] == '"' || s[i] == '\'') q = s[i];
                else if (s[i] == '>') break;
            }
            i++;
            continue;
        }
        if (s[i] == '&') {
            size_t j = i + 1;
            while (j < n && j - i < 40 && s[j] != ';' && s[j] != '&' && s[j] != '<' && s[j] != ' ') j++;
            if (j < n && s[j] == ';' && j > i + 1) {
                char name[48];
                memcpy(name, s + i + 1, j - i - 1);
                name[j - i - 1] = '\0';
                unsigned cp = 0;
                if (name[0] == '#')
                    cp = (name[1] | 0x20) == 'x' ? srcmap_hex(name + 2, strlen(name + 2))
                                                 : (unsigned)strtoul(name + 1, NULL, 10);
                else if (!strcmp(name, "apos")) cp = '\'';
                else {
                    const htmlEntityDesc *d = htmlEntityLookup((const xmlChar *)name);
                    cp = d ? d->value : 0;
                }
                if (cp) {
                    k += cs_utf8_encode(cp, s + k);
                    i = j + 1;
                    continue;
                }
            }
        }
        s[k++] = s[i++];
    }
    return k;
}

/* File bytes [start, end) (at a character boundary) in UTF-8, decoded
 * from the document's encoding (caller frees); *len its length. */
static char *srcmap_decode(const cs_document *doc, const uint8_t *file, size_t start, size_t end,
                           size_t *len)
{
    const char *enc = doc->encoding ? doc->encoding : "utf-8";
    size_t n = end - start;
    char *t;
    if (!strncmp(enc, "utf-16", 6) || !strcmp(enc, "windows-1252")) {
        uint8_t *b = malloc(n + 2);
        size_t off = 0;
        if (!strcmp(enc, "utf-16le")) { b[0] = 0xFF; b[1] = 0xFE; off = 2; }
        if (!strcmp(enc, "utf-16be")) { b[0] = 0xFE; b[1] = 0xFF; off = 2; }
        memcpy(b + off, file + start, n);
        cs_decoded d;
        int rc = cs_text_decode(b, n + off, &d);
        free(b);
        if (rc != CS_OK) { *len = 0; return calloc(1, 1); } /* empty or all blank */
        t = d.text;
        *len = d.len;
        d.text = NULL;
        cs_decoded_free(&d);
        return t;
    }
    t = malloc(n + 1);
    memcpy(t, file + start, n);
    t[n] = '\0';
    *len = n;
    return t;
}

/* File bytes [start, end) as a checker reads them, squeezed (caller frees). */
static char *cs_test_slice_text(const cs_document *doc, const uint8_t *file, size_t start,
                                size_t end)
{
    size_t n;
    char *t = srcmap_decode(doc, file, start, end, &n);
    if (doc->format == CS_FMT_FHIR_BUNDLE || doc->format == CS_FMT_FHIR_DOCREF)
        n = srcmap_unjson(t, n);
    int cdata = 0;
    if (doc->format == CS_FMT_CCDA) { /* does `start` lie inside a CDATA section? */
        size_t bom = file[0] == 0xFE || file[0] == 0xFF ? 2 : 0, pn;
        char *pre = srcmap_decode(doc, file, bom, start, &pn);
        const char *open = NULL, *close = NULL;
        for (const char *p = pre; (p = strstr(p, "<![CDATA[")); p++) open = p;
        for (const char *p = pre; (p = strstr(p, "]]>")); p++) close = p;
        cdata = open && (!close || close < open);
        free(pre);
    }
    if (doc->format != CS_FMT_TEXT) n = srcmap_unmarkup(t, n, cdata);
    char *r = srcmap_squeeze(t, n);
    free(t);
    return r;
}

/* Is section i's text all from one encoded value (an attachment), and the
 * slice `got` that value: base64, or text that holds `want`? */
static int cs_test_whole_value(const cs_document *doc, size_t i, const char *got, const char *want)
{
    const cs_section *s = &doc->sections[i];
    if (s->map.n != 1 || s->map.segs[0].src_end - s->map.segs[0].src == s->text_len) return 0;
    if (strstr(got, want)) return 1;
    for (const char *p = got; *p; p++)
        if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_", *p))
            return 0;
    return 1;
}

/* 1 when text [a, b) of section i maps inside the file and the mapped
 * bytes read as the same text; else 0 with a reason in why. */
static int cs_test_check_range(const cs_document *doc, const uint8_t *file, size_t n, size_t i,
                               size_t a, size_t b, char *why, size_t why_n)
{
    size_t s, e;
    int r = cs_section_src_range(doc, i, a, b, &s, &e);
    if (r < 0) { snprintf(why, why_n, "bad range"); return 0; }
    if (s > e || e > n) { snprintf(why, why_n, "[%zu,%zu) outside file of %zu", s, e, n); return 0; }
    if (r == 0) return 1; /* the section span: coarse by design */
    char *want = srcmap_squeeze(doc->sections[i].text + a, b - a);
    char *got = cs_test_slice_text(doc, file, s, e);
    int ok = strcmp(want, got) == 0 || cs_test_whole_value(doc, i, got, want);
    if (!ok) snprintf(why, why_n, "text [%zu,%zu) -> file [%zu,%zu) reads differently (%zu vs %zu chars)",
                      a, b, s, e, strlen(want), strlen(got));
    free(want);
    free(got);
    return ok;
}

#endif
