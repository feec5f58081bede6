/* cs_wasm_imports.c: a reader for the import section of a WASM binary. */
#include "cs_wasm_imports.h"

#include "cs_err.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const uint8_t *p, *end;
} reader;

static int byte(reader *r, uint8_t *out)
{
    if (r->p >= r->end) return CS_ERR_FORMAT;
    *out = *r->p++;
    return CS_OK;
}

/* Unsigned LEB128 of at most `bits` bits. */
static int leb(reader *r, unsigned bits, uint64_t *out)
{
    uint64_t v = 0;
    for (unsigned shift = 0;; shift += 7) {
        uint8_t b;
        if (shift >= bits + 7 || byte(r, &b) != CS_OK) return CS_ERR_FORMAT;
        if (shift < 64) v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) break;
    }
    if (bits < 64 && v >> bits) return CS_ERR_FORMAT;
    *out = v;
    return CS_OK;
}

static int u32(reader *r, uint64_t *out) { return leb(r, 32, out); }

static int name(reader *r, char **out)
{
    uint64_t n;
    if (u32(r, &n) != CS_OK || n > (uint64_t)(r->end - r->p)) return CS_ERR_FORMAT;
    if (memchr(r->p, 0, (size_t)n)) return CS_ERR_FORMAT;
    *out = malloc((size_t)n + 1);
    if (!*out) return CS_ERR_NOMEM;
    memcpy(*out, r->p, (size_t)n);
    (*out)[n] = '\0';
    r->p += n;
    return CS_OK;
}

static int limits(reader *r)
{
    uint8_t flags;
    uint64_t v;
    if (byte(r, &flags) != CS_OK || flags > 7) return CS_ERR_FORMAT;
    unsigned bits = flags & 4 ? 64 : 32; /* memory64 */
    if (leb(r, bits, &v) != CS_OK) return CS_ERR_FORMAT;
    if ((flags & 1) && leb(r, bits, &v) != CS_OK) return CS_ERR_FORMAT;
    return CS_OK;
}

/* Skips the description after the names of one import. */
static int import_desc(reader *r, cs_wasm_import_kind *kind)
{
    uint8_t k, b;
    uint64_t v;
    if (byte(r, &k) != CS_OK) return CS_ERR_FORMAT;
    *kind = (cs_wasm_import_kind)k;
    switch (k) {
    case CS_WASM_IMPORT_FUNC: return u32(r, &v);
    case CS_WASM_IMPORT_TABLE: return byte(r, &b) != CS_OK ? CS_ERR_FORMAT : limits(r);
    case CS_WASM_IMPORT_MEMORY: return limits(r);
    case CS_WASM_IMPORT_GLOBAL: return byte(r, &b) != CS_OK || byte(r, &b) != CS_OK || b > 1 ? CS_ERR_FORMAT : CS_OK;
    case CS_WASM_IMPORT_TAG: return byte(r, &b) != CS_OK ? CS_ERR_FORMAT : u32(r, &v);
    }
    return CS_ERR_FORMAT;
}

void cs_wasm_imports_free(cs_wasm_import *v, size_t n)
{
    if (!v) return;
    for (size_t i = 0; i < n; i++) {
        free(v[i].module);
        free(v[i].name);
        free(v[i].js_name);
    }
    free(v);
}

static int parse_section(reader *r, cs_wasm_import **out, size_t *n)
{
    uint64_t count;
    if (u32(r, &count) != CS_OK || count > (uint64_t)(r->end - r->p) / 3) return CS_ERR_FORMAT;
    cs_wasm_import *v = calloc(count ? (size_t)count : 1, sizeof *v);
    if (!v) return CS_ERR_NOMEM;
    int rc = CS_OK;
    size_t i = 0;
    for (; i < count && rc == CS_OK; i++) {
        rc = name(r, &v[i].module);
        if (rc == CS_OK) rc = name(r, &v[i].name);
        if (rc == CS_OK) rc = import_desc(r, &v[i].kind);
        if (rc == CS_OK) v[i].network = cs_wasm_import_is_network(v[i].module, v[i].name);
    }
    if (rc != CS_OK) { cs_wasm_imports_free(v, (size_t)count); return rc; }
    if (r->p != r->end) { cs_wasm_imports_free(v, (size_t)count); return CS_ERR_FORMAT; }
    *out = v;
    *n = (size_t)count;
    return CS_OK;
}

int cs_wasm_imports_parse(const uint8_t *data, size_t len, cs_wasm_import **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    static const uint8_t head[8] = {0, 'a', 's', 'm', 1, 0, 0, 0};
    if (!data || len < 8 || memcmp(data, head, 8)) return CS_ERR_FORMAT;
    reader r = {data + 8, data + len};
    while (r.p < r.end) {
        uint8_t id;
        uint64_t size;
        if (byte(&r, &id) != CS_OK || u32(&r, &size) != CS_OK || size > (uint64_t)(r.end - r.p)) return CS_ERR_FORMAT;
        reader s = {r.p, r.p + size};
        r.p += size;
        if (id == 2) return parse_section(&s, out, n);
        if (id > 13) return CS_ERR_FORMAT;
    }
    return CS_OK; /* no import section: no imports at all */
}

int cs_wasm_import_is_network(const char *module, const char *name)
{
    static const char *words[] = {"sock", "connect", "accept", "listen", "_bind", "sendto", "sendmsg",
                                  "recvfrom", "recvmsg", "getaddrinfo", "gethostby", "getnameinfo",
                                  "getpeername", "fetch", "xhr", "xmlhttprequest", "websocket", "http",
                                  "dns", "beacon", "webrtc", "rtcpeer"};
    char buf[512];
    size_t k = 0;
    for (const char *p = module; p && *p && k < sizeof buf - 2; p++) buf[k++] = (char)tolower((unsigned char)*p);
    buf[k++] = '.';
    for (const char *p = name; p && *p && k < sizeof buf - 1; p++) buf[k++] = (char)tolower((unsigned char)*p);
    buf[k] = '\0';
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strstr(buf, words[i])) return 1;
    return 0;
}

const char *cs_wasm_import_kind_name(cs_wasm_import_kind k)
{
    switch (k) {
    case CS_WASM_IMPORT_FUNC: return "func";
    case CS_WASM_IMPORT_TABLE: return "table";
    case CS_WASM_IMPORT_MEMORY: return "memory";
    case CS_WASM_IMPORT_GLOBAL: return "global";
    case CS_WASM_IMPORT_TAG: return "tag";
    }
    return "unknown";
}

/* ------------------------------------------------------------ JS glue */

/* Finds `word` followed by optional blanks, '=', optional blanks and '{';
 * returns the offset just after the '{', or (size_t)-1. */
static size_t find_object(const char *js, size_t len, const char *word)
{
    size_t wl = strlen(word);
    for (size_t i = 0; i + wl < len; i++) {
        if (memcmp(js + i, word, wl)) continue;
        size_t j = i + wl;
        while (j < len && (js[j] == ' ' || js[j] == '\t' || js[j] == '\n')) j++;
        if (j >= len || js[j] != '=') continue;
        j++;
        while (j < len && (js[j] == ' ' || js[j] == '\t' || js[j] == '\n')) j++;
        if (j < len && js[j] == '{') return j + 1;
    }
    return (size_t)-1;
}

static int ident_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
}

int cs_wasm_imports_resolve_glue(const char *js, size_t len, cs_wasm_import *v, size_t n)
{
    size_t p = find_object(js, len, "asmLibraryArg");
    if (p == (size_t)-1) p = find_object(js, len, "wasmImports");
    if (p == (size_t)-1) return 0;
    int resolved = 0;
    /* Entries: "key": value  or  key: value, up to the closing brace. */
    while (p < len && js[p] != '}') {
        while (p < len && (js[p] == ' ' || js[p] == '\n' || js[p] == '\t' || js[p] == ',')) p++;
        if (p >= len || js[p] == '}') break;
        int quoted = js[p] == '"' || js[p] == '\'';
        size_t ks = p + (size_t)quoted, ke = ks;
        while (ke < len && ident_char(js[ke])) ke++;
        p = ke + (size_t)quoted;
        while (p < len && (js[p] == ' ' || js[p] == ':')) p++;
        size_t vs = p, ve = vs;
        while (ve < len && ident_char(js[ve])) ve++;
        if (ke == ks || ve == vs) break; /* not the simple shape we read */
        p = ve;
        for (size_t i = 0; i < n; i++) {
            if (v[i].js_name || strlen(v[i].name) != ke - ks || memcmp(v[i].name, js + ks, ke - ks)) continue;
            v[i].js_name = malloc(ve - vs + 1);
            if (!v[i].js_name) return CS_ERR_NOMEM;
            memcpy(v[i].js_name, js + vs, ve - vs);
            v[i].js_name[ve - vs] = '\0';
            v[i].network |= cs_wasm_import_is_network(v[i].module, v[i].js_name);
            resolved++;
        }
    }
    return resolved;
}

int cs_wasm_glue_asm_network_tokens(const char *js, size_t len)
{
    size_t p = find_object(js, len, "ASM_CONSTS");
    if (p == (size_t)-1) return -1;
    size_t end = p;
    for (int depth = 1; end < len && depth > 0; end++) depth += js[end] == '{' ? 1 : js[end] == '}' ? -1 : 0;
    static const char *tokens[] = {"fetch(", "XMLHttpRequest", "WebSocket", "sendBeacon", "EventSource",
                                   "importScripts", "RTCPeerConnection"};
    int hits = 0;
    for (size_t t = 0; t < sizeof tokens / sizeof *tokens; t++) {
        size_t tl = strlen(tokens[t]);
        for (size_t i = p; i + tl <= end; i++) hits += !memcmp(js + i, tokens[t], tl);
    }
    return hits;
}

int cs_wasm_imports_minified(const cs_wasm_import *v, size_t n)
{
    if (n == 0) return 0;
    for (size_t i = 0; i < n; i++)
        if (strlen(v[i].module) > 2 || strlen(v[i].name) > 2) return 0;
    return 1;
}
