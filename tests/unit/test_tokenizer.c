/* test_tokenizer.c: BPE and SentencePiece tokenization on hand-built
 * vocabularies (always run) and against llama.cpp's token ids for every
 * golden text and prompt in ../shared (skipped when absent); decoding,
 * streaming across split UTF-8 characters, special tokens, errors. */
#include <cjson/cJSON.h>
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cs_err.h"
#include "cs_text.h"
#include "gguf.h"
#include "gguf_builder.h"
#include "tok_internal.h" /* to compare the SentencePiece word-split path with the whole-text one */
#include "tokenizer.h"
#include "cs_test_files.h"

/* ---------------------------------------------------------------- tiny vocabularies */

typedef struct {
    const char *text;
    int type;
    float score;
} tv;

/* A GGUF with only tokenizer metadata. model/pre NULL = key absent;
 * merges NULL = no merges key. */
static void build_vocab(cs_buf *b, const char *model, const char *pre, const tv *v, size_t n,
                        const char *const *merges, size_t n_merges, int add_bos)
{
    int n_kv = (model != NULL) + (pre != NULL) + 3 + (merges != NULL) + 2 + (add_bos >= 0);
    gb_header(b, 3, 0, (uint64_t)n_kv);
    if (model) gb_kv_str(b, "tokenizer.ggml.model", model);
    if (pre) gb_kv_str(b, "tokenizer.ggml.pre", pre);
    gb_key(b, "tokenizer.ggml.tokens", 9);
    gb_u32(b, 8);
    gb_u64(b, n);
    for (size_t i = 0; i < n; i++) gb_str(b, v[i].text);
    gb_key(b, "tokenizer.ggml.token_type", 9);
    gb_u32(b, 5);
    gb_u64(b, n);
    for (size_t i = 0; i < n; i++) gb_u32(b, (uint32_t)v[i].type);
    gb_key(b, "tokenizer.ggml.scores", 9);
    gb_u32(b, 6);
    gb_u64(b, n);
    for (size_t i = 0; i < n; i++) gb_f32(b, v[i].score);
    if (merges) {
        gb_key(b, "tokenizer.ggml.merges", 9);
        gb_u32(b, 8);
        gb_u64(b, n_merges);
        for (size_t i = 0; i < n_merges; i++) gb_str(b, merges[i]);
    }
    gb_kv_u32(b, "tokenizer.ggml.bos_token_id", 1);
    gb_kv_u32(b, "tokenizer.ggml.eos_token_id", 2);
    if (add_bos >= 0) { gb_key(b, "tokenizer.ggml.add_bos_token", 7); gb_u8(b, (uint8_t)add_bos); }
}

static const tv bpe_vocab[] = {
    {"<|endoftext|>", 3, 0}, {"<|im_start|>", 3, 0}, {"<|im_end|>", 3, 0}, {"<extra>", 4, 0},
    {"a", 1, 0}, {"b", 1, 0}, {"c", 1, 0}, {"\xC4\xA0", 1, 0} /* Ġ = space */, {"ab", 1, 0},
    {"abc", 1, 0}, {"\xC4\xA0" "a", 1, 0}, {"bc", 1, 0}, {"1", 1, 0}, {"2", 1, 0}, {"\xC4\x8A", 1, 0} /* Ċ = \n */,
    {"\xC3\x83\xC2\xA9", 1, 0} /* "Ã©": the bytes of é, mapped */,
    {"\xC3\x83", 1, 0} /* byte 0xC3 */, {"\xC2\xA9", 1, 0} /* byte 0xA9 */,
};
static const char *const bpe_merges[] = {"a b", "ab c", "\xC4\xA0 a", "b c", "\xC3\x83 \xC2\xA9"};

static cs_tokenizer *load_tiny(const char *model, const char *pre, const tv *v, size_t n,
                               const char *const *merges, size_t nm, int add_bos)
{
    cs_buf b = {0};
    build_vocab(&b, model, pre, v, n, merges, nm, add_bos);
    cs_gguf *g;
    const char *why = NULL;
    cr_assert_eq(cs_gguf_open_buffer(b.data, b.len, &g, &why), CS_OK, "%s", why);
    cs_tokenizer *t = NULL;
    cr_assert_eq(cs_tokenizer_load(g, &t, &why), CS_OK, "%s", why);
    cs_gguf_free(g); /* the tokenizer keeps its own copy */
    cs_buf_free(&b);
    return t;
}

static void expect_ids(const cs_tokenizer *t, const char *text, unsigned flags, const int32_t *want, size_t n_want)
{
    int32_t *ids;
    size_t n;
    cr_assert_eq(cs_tokenize(t, text, strlen(text), flags, &ids, &n), CS_OK);
    cr_assert_not_null(ids);
    int same = n == n_want && (n == 0 || !memcmp(ids, want, n * sizeof *ids));
    if (!same) {
        char got[256] = "";
        for (size_t i = 0; i < n && strlen(got) < 200; i++) snprintf(got + strlen(got), 12, " %d", ids[i]);
        cr_assert(same, "'%s': got%s", text, got);
    }
    free(ids);
}

#define IDS(...) ((const int32_t[]){__VA_ARGS__}), sizeof((const int32_t[]){__VA_ARGS__}) / sizeof(int32_t)

Test(tok_bpe, merges_by_rank_not_position)
{
    cs_tokenizer *t = load_tiny("gpt2", "smollm", bpe_vocab, sizeof bpe_vocab / sizeof *bpe_vocab,
                                bpe_merges, 5, 0);
    cr_assert_eq(cs_tokenizer_kind(t), CS_TOK_BPE);
    cr_assert_str_eq(cs_tokenizer_pre(t), "smollm");
    cr_assert_eq(cs_tokenizer_n_vocab(t), sizeof bpe_vocab / sizeof *bpe_vocab);
    expect_ids(t, "abc", 0, IDS(9));
    expect_ids(t, "bc", 0, IDS(11));
    /* Ġa (rank 2) loses to ab (rank 0); then ab+c (rank 1) */
    expect_ids(t, " abc", 0, IDS(7, 9));
    /* the smollm pre-tokenizer splits every digit */
    expect_ids(t, "12", 0, IDS(12, 13));
    /* byte-level: é is bytes C3 A9, merged from the byte tokens Ã + © */
    expect_ids(t, "\xC3\xA9", 0, IDS(15));
    expect_ids(t, "", 0, NULL, 0);
    cs_tokenizer_free(t);
}

Test(tok_bpe, special_tokens_only_when_asked)
{
    cs_tokenizer *t = load_tiny("gpt2", "smollm", bpe_vocab, sizeof bpe_vocab / sizeof *bpe_vocab,
                                bpe_merges, 5, 0);
    expect_ids(t, "<|im_start|>abc<|im_end|>", CS_TOK_PARSE_SPECIAL, IDS(1, 9, 2));
    /* not parsed: the markers are plain text (bytes with no tokens here vanish) */
    int32_t *ids;
    size_t n;
    cr_assert_eq(cs_tokenize(t, "<|im_start|>", 12, 0, &ids, &n), CS_OK);
    for (size_t i = 0; i < n; i++) cr_assert_neq(ids[i], 1);
    free(ids);
    /* user-defined tokens are always whole */
    expect_ids(t, "ab<extra>c", 0, IDS(8, 3, 6));
    /* add_bos false: ADD_SPECIAL adds nothing */
    expect_ids(t, "a", CS_TOK_ADD_SPECIAL, IDS(4));
    cr_assert_eq(cs_tokenizer_bos(t), 1);
    cr_assert_eq(cs_tokenizer_eos(t), 2);
    cr_assert_not(cs_tokenizer_add_bos(t));
    cr_assert(cs_tokenizer_is_eog(t, 2));
    cr_assert(cs_tokenizer_is_eog(t, 0)); /* <|endoftext|> */
    cr_assert_not(cs_tokenizer_is_eog(t, 1));
    cr_assert_eq(cs_tokenizer_attr(t, 1), CS_TOK_ATTR_CONTROL);
    cr_assert_eq(cs_tokenizer_attr(t, 99), 0);
    size_t len;
    cr_assert_str_eq(cs_tokenizer_text(t, 10, &len), "\xC4\xA0" "a");
    cr_assert_null(cs_tokenizer_text(t, -1, &len));
    cr_assert_eq(cs_tokenizer_find(t, "abc", 3), 9);
    cr_assert_eq(cs_tokenizer_find(t, "abcd", 4), -1);
    cs_tokenizer_free(t);
}

Test(tok_bpe, decode_pieces)
{
    cs_tokenizer *t = load_tiny("gpt2", "smollm", bpe_vocab, sizeof bpe_vocab / sizeof *bpe_vocab,
                                bpe_merges, 5, 0);
    size_t len;
    const char *p = cs_tokenizer_piece(t, 10, 0, &len); /* Ġa -> " a" */
    cr_assert_eq(len, 2);
    cr_assert_eq(memcmp(p, " a", 2), 0);
    p = cs_tokenizer_piece(t, 14, 0, &len); /* Ċ -> "\n" */
    cr_assert_eq(len, 1);
    cr_assert_eq(*p, '\n');
    cs_tokenizer_piece(t, 2, 0, &len); /* control: hidden */
    cr_assert_eq(len, 0);
    p = cs_tokenizer_piece(t, 2, 1, &len);
    cr_assert_eq(len, 10);
    char *s;
    cr_assert_eq(cs_detokenize(t, IDS(1, 9, 7, 12, 2), CS_DETOK_SPECIAL, &s, &len), CS_OK);
    cr_assert_str_eq(s, "<|im_start|>abc 1<|im_end|>");
    free(s);
    cr_assert_eq(cs_detokenize(t, IDS(1, 9, 2), 0, &s, &len), CS_OK);
    cr_assert_str_eq(s, "abc");
    free(s);
    cs_tokenizer_free(t);
}

static const tv spm_vocab[] = {
    {"<unk>", 2, 0}, {"<s>", 3, 0}, {"</s>", 3, 0}, {"<0x5A>", 6, 0} /* Z */, {"<0xC3>", 6, 0},
    {"<0xA9>", 6, 0}, {"\xE2\x96\x81", 1, -5}, {"a", 1, -3}, {"b", 1, -3}, {"\xE2\x96\x81" "a", 1, -2},
    {"ab", 1, -1}, {"\xE2\x96\x81" "ab", 1, -0.5f}, {"<|user|>", 4, 0},
};

Test(tok_spm, merges_by_score_and_byte_fallback)
{
    cs_tokenizer *t = load_tiny("llama", NULL, spm_vocab, sizeof spm_vocab / sizeof *spm_vocab, NULL, 0, -1);
    cr_assert_eq(cs_tokenizer_kind(t), CS_TOK_SPM);
    cr_assert(cs_tokenizer_add_bos(t)); /* SentencePiece default */
    /* "▁ab": ab (-1) beats ▁a (-2), then ▁+ab = ▁ab */
    expect_ids(t, "ab", 0, IDS(11));
    expect_ids(t, "ab", CS_TOK_ADD_SPECIAL, IDS(1, 11));
    /* Z has no piece: byte token; é falls back to its two bytes */
    expect_ids(t, "aZ", 0, IDS(9, 3));
    expect_ids(t, "\xC3\xA9", 0, IDS(6, 4, 5));
    /* a space after a special token: "▁" prefix again */
    expect_ids(t, "ab<|user|>ab", 0, IDS(11, 12, 11));
    expect_ids(t, "<s>ab", CS_TOK_PARSE_SPECIAL, IDS(1, 11));
    char *s;
    size_t len;
    cr_assert_eq(cs_detokenize(t, IDS(11, 9, 4, 5), CS_DETOK_STRIP_SPACE, &s, &len), CS_OK);
    cr_assert_str_eq(s, "ab a\xC3\xA9");
    free(s);
    cr_assert_eq(cs_detokenize(t, IDS(11), 0, &s, &len), CS_OK);
    cr_assert_str_eq(s, " ab");
    free(s);
    cs_tokenizer_free(t);
}

Test(tok_spm, cross_word_entries_disable_the_word_split)
{
    static const tv v[] = {{"<unk>", 2, 0}, {"<s>", 3, 0}, {"</s>", 3, 0}, {"\xE2\x96\x81", 1, -5}, {"a", 1, -3},
                           {"b", 1, -3}, {"\xE2\x96\x81" "a", 1, -2}, {"a\xE2\x96\x81" "b", 1, -1},
                           {"\xE2\x96\x81" "b", 1, -4}, {"a\xE2\x96\x81", 1, -0.5f}};
    cs_tokenizer *t = load_tiny("llama", NULL, v, sizeof v / sizeof *v, NULL, 0, -1);
    cr_assert_not(t->spm_word_split);
    /* "▁a▁b": a▁ (-0.5) merges first, then a▁+b across the word start */
    expect_ids(t, "a b", 0, IDS(3, 7));
    cs_tokenizer_free(t);
    t = load_tiny("llama", NULL, spm_vocab, sizeof spm_vocab / sizeof *spm_vocab, NULL, 0, -1);
    cr_assert(t->spm_word_split);
    cs_tokenizer_free(t);
}

Test(tok_load, errors_have_reasons)
{
    static const struct { const char *model, *pre; int merges, rc; } cases[] = {
        {NULL, NULL, 0, CS_ERR_FORMAT},
        {"t5", NULL, 0, CS_ERR_UNSUPPORTED},
        {"gpt2", "no-such-pre", 1, CS_ERR_UNSUPPORTED},
        {"gpt2", "smollm", 0, CS_ERR_FORMAT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cs_buf b = {0};
        build_vocab(&b, cases[i].model, cases[i].pre, bpe_vocab, 4, cases[i].merges ? bpe_merges : NULL, 1, 0);
        cs_gguf *g;
        const char *why = NULL;
        cr_assert_eq(cs_gguf_open_buffer(b.data, b.len, &g, &why), CS_OK, "%s", why);
        cs_tokenizer *t = (cs_tokenizer *)1;
        why = NULL;
        cr_expect_eq(cs_tokenizer_load(g, &t, &why), cases[i].rc, "case %zu", i);
        cr_expect_null(t);
        cr_expect(why && *why, "case %zu has a reason", i);
        cs_gguf_free(g);
        cs_buf_free(&b);
    }
}

/* The pre-tokenizers differ in how they cut digits, contractions and
 * newlines; a merge across a cut can only happen when there is no cut. */
static cs_tokenizer *byte_vocab(const char *pre)
{
    static const char *extra[] = {"34", "12", "1234", "'M", "\xC4\x8A\xC4\x8A"};
    static const char *merges[] = {"3 4", "1 2", "12 34", "' M", "\xC4\x8A \xC4\x8A"};
    cs_buf b = {0};
    gb_byte_vocab(&b, 0, pre, extra, 5, merges, 5);
    cs_gguf *g;
    const char *why = NULL;
    cr_assert_eq(cs_gguf_open_buffer(b.data, b.len, &g, &why), CS_OK, "%s", why);
    cs_tokenizer *t;
    cr_assert_eq(cs_tokenizer_load(g, &t, &why), CS_OK, "%s: %s", pre, why);
    cs_gguf_free(g);
    cs_buf_free(&b);
    return t;
}

#define B(c) (3 + (c)) /* id of a byte token */

Test(tok_bpe, pre_tokenizers_cut_like_llama_cpp)
{
    cs_tokenizer *gpt2 = byte_vocab("gpt-2"), *smol = byte_vocab("smollm"), *qwen = byte_vocab("qwen2"),
                 *l3 = byte_vocab("llama-bpe"), *def = byte_vocab("default");
    /* digits: one run (gpt-2), one each (smollm, qwen2), threes (llama 3) */
    expect_ids(gpt2, "1234", 0, IDS(261));
    expect_ids(smol, "1234", 0, IDS(B('1'), B('2'), B('3'), B('4')));
    expect_ids(qwen, "1234", 0, IDS(B('1'), B('2'), B('3'), B('4')));
    expect_ids(l3, "1234", 0, IDS(260, B('3'), B('4')));
    /* contractions: case-insensitive only in llama 3 / qwen2 */
    expect_ids(gpt2, "I'M", 0, IDS(B('I'), B('\''), B('M')));
    expect_ids(l3, "I'M", 0, IDS(B('I'), 262));
    expect_ids(qwen, "I'M", 0, IDS(B('I'), 262));
    /* newlines: a run is one piece in llama 3 / qwen2, gpt-2 cuts it */
    expect_ids(l3, "a\n\nb", 0, IDS(B('a'), 263, B('b')));
    expect_ids(qwen, "a\n\nb", 0, IDS(B('a'), 263, B('b')));
    expect_ids(gpt2, "a\n\nb", 0, IDS(B('a'), B('\n'), B('\n'), B('b')));
    /* llama.cpp's "default" splits punctuation first and digits in threes */
    expect_ids(def, "1234", 0, IDS(260, B('3'), B('4')));
    cr_assert(cs_tokenizer_add_bos(l3));
    cr_assert_not(cs_tokenizer_add_bos(qwen));
    /* invalid UTF-8 does not stop the regexes: every byte still comes out */
    int32_t *ids;
    size_t n;
    cr_assert_eq(cs_tokenize(l3, "a\xFF\xC3b\x80", 5, 0, &ids, &n), CS_OK);
    cr_assert_eq(n, 5);
    free(ids);
    cs_tokenizer *all[] = {gpt2, smol, qwen, l3, def};
    for (int i = 0; i < 5; i++) cs_tokenizer_free(all[i]);
}

/* ---------------------------------------------------------------- streaming decode */

Test(tok_decode, stream_holds_split_characters)
{
    /* bytes F0 9F A9 BA (U+1FA7A) arriving one byte-token at a time */
    static const tv v[] = {{"<unk>", 2, 0}, {"<s>", 3, 0}, {"</s>", 3, 0}, {"<0xF0>", 6, 0}, {"<0x9F>", 6, 0},
                           {"<0xA9>", 6, 0}, {"<0xBA>", 6, 0}, {"x", 1, 0}, {"<0xFF>", 6, 0}};
    cs_tokenizer *t = load_tiny("llama", NULL, v, sizeof v / sizeof *v, NULL, 0, -1);
    cs_tok_decoder d;
    cs_buf out = {0};
    cs_tok_decoder_init(&d, t, 0);
    cr_assert_eq(cs_tok_decoder_push(&d, 7, &out), CS_OK);
    cr_assert_eq(out.len, 1);
    for (int32_t id = 3; id <= 5; id++) {
        cr_assert_eq(cs_tok_decoder_push(&d, id, &out), CS_OK);
        cr_assert_eq(out.len, 1, "partial character must be held back");
    }
    cr_assert_eq(cs_tok_decoder_push(&d, 6, &out), CS_OK);
    cr_assert_eq(out.len, 5);
    cr_assert_eq(memcmp(out.data, "x\xF0\x9F\xA9\xBA", 5), 0);
    /* an invalid byte becomes U+FFFD at once; a cut character at flush */
    cr_assert_eq(cs_tok_decoder_push(&d, 8, &out), CS_OK);
    cr_assert_eq(memcmp(out.data + 5, "\xEF\xBF\xBD", 3), 0);
    cr_assert_eq(cs_tok_decoder_push(&d, 3, &out), CS_OK);
    cr_assert_eq(cs_tok_decoder_push(&d, 7, &out), CS_OK); /* F0 then 'x': F0 is invalid */
    cr_assert_eq(cs_tok_decoder_push(&d, 3, &out), CS_OK);
    cr_assert_eq(cs_tok_decoder_flush(&d, &out), CS_OK);
    cr_assert_eq(out.len, 5 + 3 + 3 + 1 + 3);
    cr_assert_eq(cs_utf8_valid_prefix(out.data, out.len), out.len);
    cr_assert_eq(cs_tok_decoder_push(&d, 12345, &out), CS_OK); /* out of range: ignored */
    cr_assert_eq(out.len, 15);
    cs_buf_free(&out);
    cs_tokenizer_free(t);
}

/* ---------------------------------------------------------------- golden (../shared) */

static cs_tokenizer *load_shared(const char *model)
{
    char path[512];
    snprintf(path, sizeof path, "%s/models/%s", CS_SHARED_DIR, model);
    if (access(path, R_OK) != 0) return NULL;
    cs_gguf *g;
    const char *why = NULL;
    cr_assert_eq(cs_gguf_open_file(path, &g, &why), CS_OK, "%s: %s", model, why);
    cs_tokenizer *t;
    cr_assert_eq(cs_tokenizer_load(g, &t, &why), CS_OK, "%s: %s", model, why);
    cs_gguf_free(g);
    return t;
}

/* Every line's "ids" must equal our ids for its "text"; decoding them must
 * give the text back; "greedy" ids must decode to "greedy_text".
 * Returns lines checked, 0 if files are absent. */
static int check_golden(const char *golden, const char *model)
{
    char path[512];
    snprintf(path, sizeof path, "%s/golden/%s", CS_SHARED_DIR, golden);
    size_t len;
    char *data = cs_test_slurp(path, &len);
    cs_tokenizer *t = data ? load_shared(model) : NULL;
    if (!t) { free(data); return 0; }
    int lines = 0;
    for (char *line = data, *nl; line && *line; line = nl ? nl + 1 : NULL) {
        nl = strchr(line, '\n');
        if (nl) *nl = 0;
        if (!*line) continue;
        cJSON *o = cJSON_Parse(line);
        cr_assert_not_null(o, "%s: bad JSON line", golden);
        const cJSON *text = cJSON_GetObjectItem(o, "text"), *want = cJSON_GetObjectItem(o, "ids");
        cr_assert(cJSON_IsString(text) && cJSON_IsArray(want));
        int32_t *ids;
        size_t n;
        const char *s = text->valuestring;
        cr_assert_eq(cs_tokenize(t, s, strlen(s), CS_TOK_PARSE_SPECIAL, &ids, &n), CS_OK);
        size_t nw = (size_t)cJSON_GetArraySize(want);
        size_t first_diff = 0;
        while (first_diff < n && first_diff < nw && ids[first_diff] == cJSON_GetArrayItem(want, (int)first_diff)->valueint)
            first_diff++;
        cr_expect(n == nw && first_diff == n, "%s line %d (%zu chars): %zu ids, want %zu, first difference at %zu",
                  golden, lines + 1, strlen(s), n, nw, first_diff);
        /* round trip (SentencePiece: minus the space it prefixed) */
        char *back;
        size_t blen;
        unsigned flags = CS_DETOK_SPECIAL | (cs_tokenizer_kind(t) == CS_TOK_SPM ? CS_DETOK_STRIP_SPACE : 0);
        cr_assert_eq(cs_detokenize(t, ids, n, flags, &back, &blen), CS_OK);
        cr_expect_str_eq(back, s, "%s line %d does not round-trip", golden, lines + 1);
        free(back);
        free(ids);
        /* greedy continuation: raw pieces concatenated are llama.cpp's text */
        const cJSON *greedy = cJSON_GetObjectItem(o, "greedy"), *gtext = cJSON_GetObjectItem(o, "greedy_text");
        if (cJSON_IsArray(greedy) && cJSON_IsString(gtext)) {
            cs_buf raw = {0}, streamed = {0};
            cs_tok_decoder d;
            cs_tok_decoder_init(&d, t, 0);
            cs_buf_reserve(&raw, 1);
            for (int i = 0; i < cJSON_GetArraySize(greedy); i++) {
                int32_t id = cJSON_GetArrayItem(greedy, i)->valueint;
                size_t pl;
                const char *p = cs_tokenizer_piece(t, id, 0, &pl);
                cs_buf_append(&raw, p, pl);
                size_t before = streamed.len;
                cr_assert_eq(cs_tok_decoder_push(&d, id, &streamed), CS_OK);
                /* every chunk handed out is valid UTF-8 on its own */
                cr_assert_eq(cs_utf8_valid_prefix(streamed.data + before, streamed.len - before),
                             streamed.len - before);
            }
            cs_tok_decoder_flush(&d, &streamed);
            cr_expect_str_eq(raw.data, gtext->valuestring, "%s line %d: greedy_text", golden, lines + 1);
            cs_buf_free(&raw);
            cs_buf_free(&streamed);
        }
        cJSON_Delete(o);
        lines++;
    }
    free(data);
    cs_tokenizer_free(t);
    return lines;
}

Test(tok_golden, bpe_texts) { if (!check_golden("tok-bpe.jsonl", "tiny-llama-bpe-random-q8_0.gguf")) cr_skip_test("skip: ../shared absent"); }
Test(tok_golden, spm_texts) { if (!check_golden("tok-spm.jsonl", "tiny-llama-spm-random-q4_k_m.gguf")) cr_skip_test("skip: ../shared absent"); }

Test(tok_golden, every_gen_prompt)
{
    static const char *models[] = {"micro-llama-bpe-random-f16", "smollm2-135m-shape-random-q4_k_m",
                                   "tiny-llama-bpe-random-q4_0", "tiny-llama-bpe-random-q8_0",
                                   "tiny-llama-spm-random-q4_k_m", "tiny-qwen2-bpe-random-q8_0"};
    int total = 0;
    for (size_t i = 0; i < sizeof models / sizeof *models; i++) {
        char golden[128], model[128];
        snprintf(golden, sizeof golden, "gen-%s.jsonl", models[i]);
        snprintf(model, sizeof model, "%s.gguf", models[i]);
        total += check_golden(golden, model);
    }
    if (!total) cr_skip_test("skip: ../shared absent");
}

Test(tok_golden, spm_word_split_equals_whole_text)
{
    cs_tokenizer *t = load_shared("tiny-llama-spm-random-q4_k_m.gguf");
    char path[512];
    snprintf(path, sizeof path, "%s/golden/prompts.txt", CS_SHARED_DIR);
    size_t len;
    char *text = cs_test_slurp(path, &len);
    if (!t || !text) { cs_tokenizer_free(t); free(text); cr_skip_test("skip: ../shared absent"); }
    cr_assert(t->spm_word_split, "the Llama 2 vocabulary allows the word split");
    int32_t *a, *b;
    size_t na, nb;
    cr_assert_eq(cs_tokenize(t, text, len, 0, &a, &na), CS_OK);
    t->spm_word_split = 0;
    cr_assert_eq(cs_tokenize(t, text, len, 0, &b, &nb), CS_OK);
    cr_assert_eq(na, nb);
    cr_assert_eq(memcmp(a, b, na * sizeof *a), 0);
    free(a);
    free(b);
    free(text);
    cs_tokenizer_free(t);
}

/* The same ids with PCRE2's JIT and its interpreter (WASM has no JIT), on
 * long text and on invalid UTF-8 (which PCRE2 never sees). */
Test(tok_golden, jit_and_interpreter_agree)
{
    char path[512];
    snprintf(path, sizeof path, "%s/golden/prompts.txt", CS_SHARED_DIR);
    size_t len;
    char *base = cs_test_slurp(path, &len);
    cs_tokenizer *jit = load_shared("smollm2-135m-shape-random-q4_k_m.gguf");
    if (!jit || !base) { cs_tokenizer_free(jit); free(base); cr_skip_test("skip: ../shared absent"); }
    setenv("CLINSUM_NO_JIT", "1", 1);
    cs_tokenizer *interp = load_shared("smollm2-135m-shape-random-q4_k_m.gguf");
    unsetenv("CLINSUM_NO_JIT");
    cs_buf text = {0};
    cs_buf_append(&text, base, len);
    cs_buf_append(&text, "\xFF\xC3 \xED\xA0\x80 abc\xF4\x90\x80\x80 12\xE2\x82", 19); /* invalid bytes */
    for (int i = 0; i < 20000; i++) cs_buf_putc(&text, (char)('0' + i % 10)); /* a long digit run */
    int32_t *a, *b;
    size_t na, nb;
    cr_assert_eq(cs_tokenize(jit, text.data, text.len, CS_TOK_PARSE_SPECIAL, &a, &na), CS_OK);
    cr_assert_eq(cs_tokenize(interp, text.data, text.len, CS_TOK_PARSE_SPECIAL, &b, &nb), CS_OK);
    cr_assert_eq(na, nb);
    cr_assert_eq(memcmp(a, b, na * sizeof *a), 0);
    /* every chunk of the streamed decode is valid UTF-8 (SmolLM2's vocabulary
     * has no token for bytes like 0xFF, so those are dropped, as in llama.cpp) */
    char *back;
    size_t blen;
    cr_assert_eq(cs_detokenize(jit, a, na, CS_DETOK_SPECIAL, &back, &blen), CS_OK);
    cr_assert_eq(cs_utf8_valid_prefix(back, blen), blen);
    cr_assert(strstr(back, " abc\xEF\xBF\xBD"), "invalid bytes come out as U+FFFD");
    free(back);
    free(a);
    free(b);
    free(base);
    cs_buf_free(&text);
    cs_tokenizer_free(jit);
    cs_tokenizer_free(interp);
}

Test(tok_golden, eog_and_bos_of_shared_models)
{
    cs_tokenizer *bpe = load_shared("tiny-llama-bpe-random-q8_0.gguf");
    cs_tokenizer *spm = load_shared("tiny-llama-spm-random-q4_k_m.gguf");
    if (!bpe || !spm) { cs_tokenizer_free(bpe); cs_tokenizer_free(spm); cr_skip_test("skip: ../shared absent"); }
    cr_assert(cs_tokenizer_is_eog(bpe, 2));  /* <|im_end|> */
    cr_assert(cs_tokenizer_is_eog(bpe, 0));  /* <|endoftext|> */
    cr_assert_not(cs_tokenizer_is_eog(bpe, 1));
    cr_assert_not(cs_tokenizer_add_bos(bpe));
    cr_assert(cs_tokenizer_add_bos(spm));
    cr_assert(cs_tokenizer_is_eog(spm, 2));  /* </s> */
    expect_ids(spm, "Hello world", CS_TOK_ADD_SPECIAL, IDS(1, 15043, 3186));
    cs_tokenizer_free(bpe);
    cs_tokenizer_free(spm);
}

Test(tok_golden, speed_on_long_text)
{
    cs_tokenizer *t = load_shared("smollm2-135m-shape-random-q4_k_m.gguf");
    char path[512];
    snprintf(path, sizeof path, "%s/golden/prompts.txt", CS_SHARED_DIR);
    size_t len;
    char *base = cs_test_slurp(path, &len);
    if (!t || !base) { cs_tokenizer_free(t); free(base); cr_skip_test("skip: ../shared absent"); }
    /* ~256 KB of clinical-style text */
    cs_buf text = {0};
    while (text.len < 256 * 1024) cs_buf_append(&text, base, len);
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    int32_t *ids;
    size_t n;
    cr_assert_eq(cs_tokenize(t, text.data, text.len, CS_TOK_PARSE_SPECIAL, &ids, &n), CS_OK);
    clock_gettime(CLOCK_MONOTONIC, &b);
    double s = (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
    /* a figure, not a timed test */
    printf("tokenize speed: %zu bytes -> %zu tokens in %.3f s (%.2f MB/s, %.0f tokens/s)\n", text.len, n, s,
           (double)text.len / 1e6 / s, (double)n / s);
    /* the same text in one piece and in halves at a line break tokenizes alike */
    cr_assert_gt(n, text.len / 8);
    free(ids);
    free(base);
    cs_buf_free(&text);
    cs_tokenizer_free(t);
}
