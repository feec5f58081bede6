/*
 * gguf_builder.h: writes tiny GGUF files byte by byte for tests, so each
 * test states exactly which field it corrupts.  Header-only, test use only.
 */
#ifndef GGUF_BUILDER_H
#define GGUF_BUILDER_H

#include "cs_buf.h"

#include <stdint.h>
#include <string.h>

static inline void gb_raw(cs_buf *b, const void *p, size_t n) { cs_buf_append(b, p, n); }
static inline void gb_u8(cs_buf *b, uint8_t v) { gb_raw(b, &v, 1); }
static inline void gb_u32(cs_buf *b, uint32_t v) { gb_raw(b, &v, 4); }
static inline void gb_u64(cs_buf *b, uint64_t v) { gb_raw(b, &v, 8); }
static inline void gb_f32(cs_buf *b, float v) { gb_raw(b, &v, 4); }
static inline void gb_str(cs_buf *b, const char *s)
{
    gb_u64(b, strlen(s));
    gb_raw(b, s, strlen(s));
}
static inline void gb_header(cs_buf *b, uint32_t version, uint64_t n_tensors, uint64_t n_kv)
{
    gb_raw(b, "GGUF", 4);
    gb_u32(b, version);
    gb_u64(b, n_tensors);
    gb_u64(b, n_kv);
}
/* key + type id; the caller writes the value */
static inline void gb_key(cs_buf *b, const char *key, uint32_t type)
{
    gb_str(b, key);
    gb_u32(b, type);
}
static inline void gb_kv_str(cs_buf *b, const char *key, const char *v)
{
    gb_key(b, key, 8);
    gb_str(b, v);
}
static inline void gb_kv_u32(cs_buf *b, const char *key, uint32_t v)
{
    gb_key(b, key, 4);
    gb_u32(b, v);
}
static inline void gb_tensor(cs_buf *b, const char *name, uint32_t n_dims, const uint64_t *ne,
                             uint32_t type, uint64_t offset)
{
    gb_str(b, name);
    gb_u32(b, n_dims);
    for (uint32_t i = 0; i < n_dims; i++) gb_u64(b, ne[i]);
    gb_u32(b, type);
    gb_u64(b, offset);
}
static inline void gb_pad(cs_buf *b, size_t align)
{
    while (b->len % align) gb_u8(b, 0);
}


/* GPT-2's byte -> code point map, written independently of tok_bpe.c */
static inline unsigned gb_byte_cp(int b)
{
    int n = 0;
    for (int x = 0; x < 256; x++) {
        int printable = (x >= 33 && x <= 126) || (x >= 161 && x <= 172) || x >= 174;
        if (x == b) return printable ? (unsigned)x : 256u + (unsigned)n;
        if (!printable) n++;
    }
    return 0;
}

/* A tokenizer-only GGUF whose vocabulary covers every byte: ids 0-2 the
 * ChatML control tokens, 3-258 the bytes (BPE: GPT-2's mapped characters;
 * SentencePiece: <0xXX>), then `extra` (BPE text is written already
 * byte-mapped, e.g. "\xC4\xA0" for a space).  BPE gets `merges` in rank
 * order; SentencePiece scores fall with the id. */
static inline void gb_byte_vocab(cs_buf *b, int spm, const char *pre, const char *const *extra, size_t n_extra,
                                 const char *const *merges, size_t n_merges)
{
    static const char *specials[] = {"<|endoftext|>", "<|im_start|>", "<|im_end|>"};
    cs_buf tok = {0};
    size_t n = 3 + 256 + n_extra;
    gb_header(b, 3, 0, 6);
    gb_kv_str(b, "tokenizer.ggml.model", spm ? "llama" : "gpt2");
    gb_kv_str(b, "tokenizer.ggml.pre", pre);
    gb_key(b, "tokenizer.ggml.tokens", 9);
    gb_u32(b, 8);
    gb_u64(b, n);
    for (int i = 0; i < 3; i++) gb_str(b, specials[i]);
    for (int x = 0; x < 256; x++) {
        cs_buf_clear(&tok);
        if (spm) cs_buf_printf(&tok, "<0x%02X>", x);
        else cs_buf_put_utf8(&tok, gb_byte_cp(x));
        gb_u64(b, tok.len);
        gb_raw(b, tok.data, tok.len);
    }
    for (size_t i = 0; i < n_extra; i++) gb_str(b, extra[i]);
    gb_key(b, "tokenizer.ggml.token_type", 9);
    gb_u32(b, 5);
    gb_u64(b, n);
    for (size_t i = 0; i < n; i++) gb_u32(b, i < 3 ? 3 : (spm && i < 259) ? 6 : 1);
    if (spm) {
        gb_key(b, "tokenizer.ggml.scores", 9);
        gb_u32(b, 6);
        gb_u64(b, n);
        for (size_t i = 0; i < n; i++) gb_f32(b, -(float)i);
    } else {
        gb_key(b, "tokenizer.ggml.merges", 9);
        gb_u32(b, 8);
        gb_u64(b, n_merges);
        for (size_t i = 0; i < n_merges; i++) gb_str(b, merges[i]);
    }
    gb_kv_u32(b, "tokenizer.ggml.eos_token_id", 2);
    cs_buf_free(&tok);
}

#endif
