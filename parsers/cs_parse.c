/*
 * cs_parse.c: format detection and dispatch.
 *
 * Detection looks at content only: a leading '{' is JSON (FHIR), a leading
 * '<' is markup, split into C-CDA (a ClinicalDocument root) and HTML; all
 * else is text.  UTF-16 input is sniffed on its decoded form.
 */
#include "cs_parse.h"
#include "cs_err.h"
#include "cs_text.h"

#include <string.h>
#include <strings.h>

static const char *memcasestr(const char *h, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    for (size_t i = 0; i + m <= n; i++)
        if (strncasecmp(h + i, needle, m) == 0) return h + i;
    return NULL;
}

static cs_format detect_ascii(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n')) i++;
    if (i == n) return CS_FMT_UNKNOWN;
    size_t win = n - i < 4096 ? n - i : 4096;
    if (s[i] == '{') return CS_FMT_FHIR_BUNDLE; /* refined by the FHIR parser */
    if (s[i] == '<') {
        if (memcasestr(s + i, win, "<ClinicalDocument") ||
            memcasestr(s + i, win, ":ClinicalDocument"))
            return CS_FMT_CCDA;
        if (memcasestr(s + i, win, "<html") || memcasestr(s + i, win, "<!doctype html") ||
            memcasestr(s + i, win, "<body") || memcasestr(s + i, win, "<p>") ||
            memcasestr(s + i, win, "<div") || memcasestr(s + i, win, "<h1"))
            return CS_FMT_HTML;
        if ((win >= 5 && memcmp(s + i, "<?xml", 5) == 0) || memcasestr(s + i, win, "xmlns"))
            return CS_FMT_CCDA; /* XML that is not C-CDA is refused by its parser */
        return CS_FMT_HTML;
    }
    return CS_FMT_TEXT;
}

cs_format cs_detect_format(const uint8_t *data, size_t n)
{
    if (n >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF))) {
        cs_decoded d;
        size_t head = n < 8192 ? n : 8192;
        head -= head % 2;
        if (cs_text_decode(data, head, &d) != CS_OK) return CS_FMT_TEXT;
        cs_format f = detect_ascii(d.text, d.len);
        cs_decoded_free(&d);
        return f == CS_FMT_UNKNOWN ? CS_FMT_TEXT : f;
    }
    size_t bom = (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
    cs_format f = detect_ascii((const char *)data + bom, n - bom);
    return f == CS_FMT_UNKNOWN ? CS_FMT_TEXT : f;
}

int cs_parse(const uint8_t *data, size_t n, const cs_parse_options *opt,
             cs_document **out)
{
    size_t cap = opt && opt->max_bytes ? opt->max_bytes : CS_PARSE_DEFAULT_MAX_BYTES;
    *out = NULL;
    if (n > cap) return CS_ERR_TOO_LARGE;
    if (n == 0) return CS_ERR_EMPTY;
    switch (cs_detect_format(data, n)) {
    case CS_FMT_CCDA: return cs_parse_ccda(data, n, out);
    case CS_FMT_HTML: return cs_parse_html(data, n, out);
    case CS_FMT_FHIR_BUNDLE:
    case CS_FMT_FHIR_DOCREF: return cs_parse_fhir(data, n, out);
    default: return cs_parse_text(data, n, out);
    }
}

#include "cs_xml.h"

#include <libxml/parser.h>

void cs_parse_init(void)
{
    xmlInitParser();
    cs_xml_global_init();
}
