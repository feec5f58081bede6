/*
 * fuzz_tokenize.c: libFuzzer entry for the tokenizer.  The input is text,
 * tokenized by a byte-level BPE vocabulary (all 256 byte tokens, some
 * merges, ChatML specials) and a SentencePiece one (byte fallback), built
 * once in memory.  Checks: no crash or sanitizer report; BPE decodes back
 * to exactly the input (it is lossless); the streaming decoder only ever
 * hands out valid UTF-8.
 */
#include "cs_err.h"
#include "cs_text.h"
#include "gguf.h"
#include "gguf_builder.h"
#include "tokenizer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static cs_tokenizer *bpe, *spm;

static void put_cp(cs_buf *b, unsigned cp) { cs_buf_put_utf8(b, cp); }

/* GPT-2's byte -> code point map, written independently of tok_bpe.c */
static unsigned byte_cp(int b)
{
    int n = 0;
    for (int x = 0; x < 256; x++) {
        int printable = (x >= 33 && x <= 126) || (x >= 161 && x <= 172) || x >= 174;
        if (x == b) return printable ? (unsigned)x : 256u + (unsigned)n;
        if (!printable) n++;
    }
    return 0;
}

static cs_tokenizer *build(int spm_model)
{
    static const char *specials[] = {"<|endoftext|>", "<|im_start|>", "<|im_end|>"};
    static const char *words[] = {"th", "the", "in", "an", "at", "er"};
    cs_buf b = {0}, tok = {0};
    size_t n = 3 + 256 + 6;
    gb_header(&b, 3, 0, 6);
    gb_kv_str(&b, "tokenizer.ggml.model", spm_model ? "llama" : "gpt2");
    gb_kv_str(&b, "tokenizer.ggml.pre", spm_model ? "default" : "smollm");
    gb_key(&b, "tokenizer.ggml.tokens", 9);
    gb_u32(&b, 8);
    gb_u64(&b, n);
    for (int i = 0; i < 3; i++) gb_str(&b, specials[i]);
    for (int x = 0; x < 256; x++) {
        cs_buf_clear(&tok);
        if (spm_model) cs_buf_printf(&tok, "<0x%02X>", x);
        else put_cp(&tok, byte_cp(x));
        gb_u64(&b, tok.len);
        gb_raw(&b, tok.data, tok.len);
    }
    for (int i = 0; i < 6; i++) gb_str(&b, words[i]);
    gb_key(&b, "tokenizer.ggml.token_type", 9);
    gb_u32(&b, 5);
    gb_u64(&b, n);
    for (size_t i = 0; i < n; i++) gb_u32(&b, i < 3 ? 3 : (spm_model && i < 259) ? 6 : 1);
    if (spm_model) {
        gb_key(&b, "tokenizer.ggml.scores", 9);
        gb_u32(&b, 6);
        gb_u64(&b, n);
        for (size_t i = 0; i < n; i++) gb_f32(&b, -(float)i);
    } else {
        static const char *merges[] = {"t h", "th e", "i n", "a n", "a t", "e r"};
        gb_key(&b, "tokenizer.ggml.merges", 9);
        gb_u32(&b, 8);
        gb_u64(&b, 6);
        for (int i = 0; i < 6; i++) gb_str(&b, merges[i]);
    }
    gb_kv_u32(&b, "tokenizer.ggml.eos_token_id", 2);
    cs_gguf *g;
    cs_tokenizer *t = NULL;
    const char *why;
    if (cs_gguf_open_buffer(b.data, b.len, &g, &why) != CS_OK || cs_tokenizer_load(g, &t, &why) != CS_OK) {
        fprintf(stderr, "fuzz_tokenize: cannot build vocabulary: %s\n", why);
        abort();
    }
    cs_gguf_free(g);
    cs_buf_free(&b);
    cs_buf_free(&tok);
    return t;
}

static void check(const cs_tokenizer *t, const unsigned char *data, size_t n, int lossless)
{
    int32_t *ids;
    size_t n_ids;
    if (cs_tokenize(t, (const char *)data, n, CS_TOK_PARSE_SPECIAL | CS_TOK_ADD_SPECIAL, &ids, &n_ids) != CS_OK) abort();
    cs_tok_decoder d;
    cs_buf out = {0};
    cs_tok_decoder_init(&d, t, CS_DETOK_SPECIAL);
    for (size_t i = 0; i < n_ids; i++) {
        size_t before = out.len;
        if (cs_tok_decoder_push(&d, ids[i], &out) != CS_OK) abort();
        if (cs_utf8_valid_prefix(out.data + before, out.len - before) != out.len - before) abort();
    }
    cs_tok_decoder_flush(&d, &out);
    if (out.len && cs_utf8_valid_prefix(out.data, out.len) != out.len) abort();
    if (lossless && cs_utf8_valid_prefix((const char *)data, n) == n && (out.len != n || memcmp(out.data, data, n)))
        abort(); /* valid UTF-8 must come back byte for byte */
    cs_buf_free(&out);
    free(ids);
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t n)
{
    if (!bpe) { bpe = build(0); spm = build(1); }
    check(bpe, data, n, 1);
    check(spm, data, n, 0);
    return 0;
}
