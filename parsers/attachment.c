/*
 * attachment.c: embedded documents (see cs_attachment.h).
 *
 * Labels lie: an attachment "text/plain" may hold gzip or a PDF.  So the
 * bytes are sniffed first, and only content that decodes as text is parsed.
 */
#include "cs_attachment.h"
#include "cs_buf.h"
#include "cs_err.h"
#include "cs_parse.h"
#include "cs_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
}

int cs_base64_decode(const char *s, size_t n, uint8_t **out, size_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    uint8_t *p = malloc(n / 4 * 3 + 3);
    if (!p) return CS_ERR_NOMEM;
    size_t len = 0;
    unsigned acc = 0;
    int bits = 0, pad = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
        if (c == '=') { pad++; continue; }
        int v = b64_value(c);
        if (v < 0 || pad) { free(p); return CS_ERR_FORMAT; }
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            p[len++] = (uint8_t)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    if (pad > 2 || bits >= 6) { free(p); return CS_ERR_FORMAT; }
    *out = p;
    *out_len = len;
    return CS_OK;
}

const char *cs_sniff_binary(const uint8_t *d, size_t n)
{
    static const struct { const char *magic; size_t len; const char *name; } magics[] = {
        {"%PDF", 4, "PDF"}, {"\x1f\x8b", 2, "gzip"}, {"PK\x03\x04", 4, "ZIP"},
        {"\x89PNG", 4, "PNG"}, {"\xff\xd8\xff", 3, "JPEG"}, {"GIF8", 4, "GIF"},
        {"II*\0", 4, "TIFF"}, {"MM\0*", 4, "TIFF"}, {"{\\rtf", 5, "RTF"},
        {"\xd0\xcf\x11\xe0", 4, "MS Office"}, {"BZh", 3, "bzip2"},
        {"\xfd" "7zXZ", 5, "xz"}, {"\x28\xb5\x2f\xfd", 4, "zstd"}, {"DICM", 4, "DICOM"},
    };
    for (size_t i = 0; i < sizeof magics / sizeof *magics; i++)
        if (n >= magics[i].len && memcmp(d, magics[i].magic, magics[i].len) == 0)
            return magics[i].name;
    if (n > 132 && memcmp(d + 128, "DICM", 4) == 0) return "DICOM";
    return NULL;
}

int cs_attachment_skip(cs_document *doc, const char *why, int depth, size_t start, size_t end)
{
    char title[320];
    snprintf(title, sizeof title, "[attachment not extracted: %s]", why);
    cs_section *s = cs_document_add_section(doc, title, NULL, NULL, "", 0, start, end);
    if (!s) return CS_ERR_NOMEM;
    s->depth = depth;
    return CS_OK;
}

/* Move the sections of sub into doc, re-based at depth, spans replaced. */
static int adopt(cs_document *doc, const cs_document *sub, int depth, size_t start, size_t end)
{
    for (size_t i = 0; i < sub->n_sections; i++) {
        const cs_section *t = &sub->sections[i];
        cs_section *s = cs_document_add_section(doc, t->title, t->code, t->code_system,
                                                t->text, t->text_len, start, end);
        if (!s) return CS_ERR_NOMEM;
        s->depth = depth + t->depth;
    }
    return CS_OK;
}

static int type_is(const char *media_type, const char *want)
{
    if (!media_type) return 0;
    size_t m = strlen(want);
    return strncasecmp(media_type, want, m) == 0 &&
           (media_type[m] == '\0' || media_type[m] == ';' || media_type[m] == ' ');
}

int cs_attachment_add(cs_document *doc, const char *media_type, const uint8_t *data,
                      size_t n, int depth, size_t start, size_t end)
{
    char why[256];
    const char *label = media_type && *media_type ? media_type : "unlabelled";
    const char *magic = cs_sniff_binary(data, n);
    if (magic) {
        snprintf(why, sizeof why, "%.40s content labelled %.60s", magic, label);
        return cs_attachment_skip(doc, why, depth, start, end);
    }
    if (n == 0) {
        snprintf(why, sizeof why, "empty %.60s", label);
        return cs_attachment_skip(doc, why, depth, start, end);
    }
    int html = type_is(media_type, "text/html") || type_is(media_type, "application/xhtml+xml");
    int text = !media_type || !*media_type || type_is(media_type, "text/plain") ||
               type_is(media_type, "text/markdown") || type_is(media_type, "text/x-markdown");
    if (!html && !text) {
        snprintf(why, sizeof why, "%.100s", label);
        return cs_attachment_skip(doc, why, depth, start, end);
    }
    cs_document *sub = NULL;
    int rc = html ? cs_parse_html(data, n, &sub) : cs_parse_text(data, n, &sub);
    if (rc == CS_ERR_NOMEM) return rc;
    if (rc != CS_OK) {
        snprintf(why, sizeof why, "%.60s that is not readable text (%.50s)", label, cs_strerror(rc));
        return cs_attachment_skip(doc, why, depth, start, end);
    }
    rc = adopt(doc, sub, depth, start, end);
    cs_document_free(sub);
    return rc;
}

int cs_attachment_map(cs_document *doc, size_t from, size_t s, size_t e)
{
    for (size_t i = from; i < doc->n_sections; i++) {
        cs_section *sec = &doc->sections[i];
        sec->map.n = 0;
        int rc = cs_srcmap_add(&sec->map, 0, sec->text_len, s, e);
        if (rc != CS_OK) return rc;
    }
    return CS_OK;
}
