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

static cs_tokenizer *build(int spm_model)
{
    static const char *words[] = {"th", "the", "in", "an", "at", "er"};
    static const char *merges[] = {"t h", "th e", "i n", "a n", "a t", "e r"};
    cs_buf b = {0};
    gb_byte_vocab(&b, spm_model, spm_model ? "default" : "smollm", words, 6, merges, 6);
    cs_gguf *g;
    cs_tokenizer *t = NULL;
    const char *why;
    if (cs_gguf_open_buffer(b.data, b.len, &g, &why) != CS_OK || cs_tokenizer_load(g, &t, &why) != CS_OK) {
        fprintf(stderr, "fuzz_tokenize: cannot build vocabulary: %s\n", why);
        abort();
    }
    cs_gguf_free(g);
    cs_buf_free(&b);
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
