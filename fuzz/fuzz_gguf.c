/*
 * fuzz_gguf.c: libFuzzer entry for the GGUF loader.  Parses the input as a
 * whole buffer, then again as a stream cut into chunks, and reads every
 * metadata value and every tensor byte of what loads; a file that loads
 * also goes through the tokenizer and chat-template loaders (hostile
 * vocabularies, merges, token types) and tokenizes a fixed text.  Any
 * crash, leak or sanitizer report is a bug.
 */
#include "chat.h"
#include "cs_err.h"
#include "gguf.h"
#include "tokenizer.h"

#include <stdlib.h>
#include <string.h>

static unsigned touch(const cs_gguf *g)
{
    unsigned sum = 0;
    for (size_t i = 0; i < cs_gguf_n_kv(g); i++) {
        const char *key = cs_gguf_kv_key(g, i), *s;
        uint32_t u; int32_t v; uint64_t w; float f; int b; uint64_t n;
        cs_gguf_vtype et;
        const cs_gguf_str *items;
        float *fa; int32_t *ia;
        sum += (unsigned)strlen(key);
        if (cs_gguf_get_u32(g, key, &u) == CS_OK) sum += u;
        if (cs_gguf_get_i32(g, key, &v) == CS_OK) sum += (unsigned)v;
        if (cs_gguf_get_u64(g, key, &w) == CS_OK) sum += (unsigned)w;
        if (cs_gguf_get_f32(g, key, &f) == CS_OK) sum += f > 0;
        if (cs_gguf_get_bool(g, key, &b) == CS_OK) sum += (unsigned)b;
        if (cs_gguf_get_str(g, key, &s) == CS_OK) sum += (unsigned)strlen(s);
        if (cs_gguf_get_arr_info(g, key, &et, &n) == CS_OK) sum += (unsigned)n;
        if (cs_gguf_get_arr_str(g, key, &items, &n) == CS_OK)
            for (uint64_t k = 0; k < n; k++)
                for (uint64_t c = 0; c < items[k].len; c++) sum += (unsigned char)items[k].ptr[c];
        if (cs_gguf_get_arr_f32(g, key, &fa, &n) == CS_OK) { sum += n ? fa[n - 1] > 0 : 0; free(fa); }
        if (cs_gguf_get_arr_i32(g, key, &ia, &n) == CS_OK) { sum += n ? (unsigned)ia[n - 1] : 0; free(ia); }
    }
    for (size_t i = 0; i < cs_gguf_n_tensors(g); i++) {
        const cs_gguf_tensor *t = cs_gguf_tensor_at(g, i);
        if (cs_gguf_find_tensor(g, t->name) != t) abort();
        if (!t->data) continue;
        const unsigned char *p = t->data;
        if (t->size) sum += p[0] + p[t->size - 1];
    }
    return sum;
}

volatile unsigned fuzz_gguf_sink; /* keeps the reads from being optimised away */
#define sink fuzz_gguf_sink

static unsigned use_tokenizer(const cs_gguf *g)
{
    static const char text[] = "<|im_start|>user\nBP 142/88, T 38.1 \xC2\xB0" "C \xF0\x9F\xA9\xBA" "<|im_end|>\n";
    unsigned sum = 0;
    cs_tokenizer *t;
    const char *why = NULL;
    if (cs_tokenizer_load(g, &t, &why) == CS_OK) {
        int32_t *ids;
        size_t n;
        if (cs_tokenize(t, text, sizeof text - 1, CS_TOK_PARSE_SPECIAL | CS_TOK_ADD_SPECIAL, &ids, &n) == CS_OK) {
            char *s;
            size_t len;
            if (cs_detokenize(t, ids, n, CS_DETOK_SPECIAL, &s, &len) == CS_OK) { sum += (unsigned)len; free(s); }
            free(ids);
        }
        cs_tokenizer_free(t);
    } else if (!why) {
        abort();
    }
    cs_chat_template ct;
    if (cs_chat_template_from_gguf(g, &ct) == CS_OK) {
        cs_chat_msg m = {"user", "hi"};
        char *s;
        if (cs_chat_render(&ct, &m, 1, 1, &s) == CS_OK) { sum += (unsigned)strlen(s); free(s); }
        cs_chat_template_free(&ct);
    }
    return sum;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n)
{

    cs_gguf *g = NULL;
    const char *why = NULL;
    if (cs_gguf_open_buffer(data, n, &g, &why) == CS_OK) {
        sink += touch(g);
        sink += use_tokenizer(g);
        cs_gguf_free(g);
    } else if (g || !why) {
        abort(); /* a failure must give a reason and no object */
    }
    /* stream: chunk size from the first byte, length announced or not */
    size_t chunk = n ? (size_t)data[0] * 3 + 1 : 1;
    cs_gguf_stream *s = cs_gguf_stream_new(n && (data[0] & 1) ? n : 0);
    if (!s) return 0;
    int rc = CS_OK;
    for (size_t off = 0; off < n && rc == CS_OK; off += chunk) {
        rc = cs_gguf_stream_feed(s, data + off, n - off < chunk ? n - off : chunk, &why);
        const cs_gguf *part = cs_gguf_stream_gguf(s);
        if (part) sink += touch(part);
    }
    if (rc == CS_OK && cs_gguf_stream_finish(s, &g, &why) == CS_OK) {
        sink += touch(g);
        cs_gguf_free(g);
    }
    cs_gguf_stream_free(s);
    return 0;
}
