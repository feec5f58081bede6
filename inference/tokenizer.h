/*
 * tokenizer.h: text <-> token ids, built from a GGUF file's tokenizer.*
 * metadata, matching llama.cpp token for token.
 *
 * Two model families:
 *   "gpt2"  byte-level BPE (SmolLM2, Qwen2/2.5, Llama 3): the text is split
 *           by the pre-tokenizer's regexes (run by PCRE2, named by
 *           tokenizer.ggml.pre: smollm, qwen2, llama-bpe/llama3, gpt-2...),
 *           each piece's bytes are mapped to printable code points and
 *           merged pairwise by merge rank;
 *   "llama" SentencePiece (Llama 2, TinyLlama): spaces become U+2581, a
 *           space is prefixed to the text (and after each special token),
 *           pieces merge by token score, unknown bytes fall back to <0xXX>.
 * Invalid UTF-8 is tokenized byte by byte (PCRE2 only ever sees valid
 * runs); a byte the vocabulary has no token for (SmolLM2 has none for
 * 0xC0, 0xC1, 0xF5-0xFF, which valid UTF-8 never contains) is dropped, as
 * llama.cpp drops it.
 * Special tokens (control and user-defined) written in the text, such as
 * "<|im_start|>", become one token each when CS_TOK_PARSE_SPECIAL is given
 * (user-defined ones always), longest first, as llama.cpp does.
 *
 * Decoding: cs_tok_decoder turns ids into UTF-8 one token at a time and
 * never emits a partial character: bytes of a character split across
 * tokens are held until it is complete, and invalid bytes come out as
 * U+FFFD, so every chunk handed to a UI (or a JS TextDecoder) is valid
 * UTF-8 on its own.
 *
 * Ownership: a cs_tokenizer copies what it needs from the GGUF (the cs_gguf
 * may be freed afterwards) and is freed with cs_tokenizer_free().  Arrays
 * returned by cs_tokenize()/cs_detokenize() are malloc'd; the caller frees.
 *
 * Errors: cs_tokenizer_load() returns CS_ERR_FORMAT (missing or inconsistent
 * metadata) or CS_ERR_UNSUPPORTED (another tokenizer model or an unknown
 * pre-tokenizer) with a static reason in *why; CS_ERR_NOMEM.  Tokenizing
 * never fails on any bytes (invalid UTF-8 included) except CS_ERR_NOMEM and
 * CS_ERR_TOO_LARGE (over 1 GiB of text).
 *
 * Thread-safety: a loaded tokenizer is immutable; any number of threads may
 * tokenize and decode with it at once.  A cs_tok_decoder belongs to one
 * thread.
 */
#ifndef CS_TOKENIZER_H
#define CS_TOKENIZER_H

#include "cs_buf.h"
#include "gguf.h"

#include <stddef.h>
#include <stdint.h>

typedef struct cs_tokenizer cs_tokenizer;

typedef enum { CS_TOK_SPM = 1, CS_TOK_BPE = 2 } cs_tok_kind;

/* Token attributes (from tokenizer.ggml.token_type). */
enum {
    CS_TOK_ATTR_NORMAL = 1,
    CS_TOK_ATTR_UNKNOWN = 2,
    CS_TOK_ATTR_CONTROL = 4,
    CS_TOK_ATTR_USER_DEFINED = 8,
    CS_TOK_ATTR_UNUSED = 16,
    CS_TOK_ATTR_BYTE = 32
};

int cs_tokenizer_load(const cs_gguf *g, cs_tokenizer **out, const char **why);
void cs_tokenizer_free(cs_tokenizer *t);

cs_tok_kind cs_tokenizer_kind(const cs_tokenizer *t);
const char *cs_tokenizer_pre(const cs_tokenizer *t);   /* "smollm", "default", ... */
uint32_t cs_tokenizer_n_vocab(const cs_tokenizer *t);
int32_t cs_tokenizer_bos(const cs_tokenizer *t);        /* -1 if none */
int32_t cs_tokenizer_eos(const cs_tokenizer *t);        /* -1 if none */
int cs_tokenizer_add_bos(const cs_tokenizer *t);        /* model asks for BOS */
/* End of generation: EOS, EOT (<|im_end|>, <|eot_id|>, ...), EOM. */
int cs_tokenizer_is_eog(const cs_tokenizer *t, int32_t id);
unsigned cs_tokenizer_attr(const cs_tokenizer *t, int32_t id); /* 0 if out of range */
/* The vocabulary entry as stored (e.g. "Ġthe", "▁the"); NULL if out of range. */
const char *cs_tokenizer_text(const cs_tokenizer *t, int32_t id, size_t *len);
/* Id of an exact vocabulary entry, or -1. */
int32_t cs_tokenizer_find(const cs_tokenizer *t, const char *text, size_t len);

/* ---------------------------------------------------------------- encode */

enum {
    CS_TOK_ADD_SPECIAL = 1,   /* BOS/EOS as the model's metadata asks */
    CS_TOK_PARSE_SPECIAL = 2  /* "<|im_start|>" in the text is one token */
};

/* Tokenizes text[0..len).  *ids is malloc'd (never NULL on success, even
 * for zero tokens), *n its length. */
int cs_tokenize(const cs_tokenizer *t, const char *text, size_t len, unsigned flags,
                int32_t **ids, size_t *n);

/* ---------------------------------------------------------------- decode */

enum {
    CS_DETOK_SPECIAL = 1,     /* render control tokens ("<|im_end|>") */
    CS_DETOK_STRIP_SPACE = 2  /* drop the first token's leading space (the
                                 space SentencePiece prefixed when encoding) */
};

/* The bytes one token stands for (possibly part of a UTF-8 character);
 * control and unknown tokens give "" unless `special`.  Owned by t. */
const char *cs_tokenizer_piece(const cs_tokenizer *t, int32_t id, int special, size_t *len);

typedef struct {
    const cs_tokenizer *tok;
    unsigned flags;
    int started;
    unsigned char pend[4];  /* start of a character still missing bytes */
    size_t n_pend;
} cs_tok_decoder;

void cs_tok_decoder_init(cs_tok_decoder *d, const cs_tokenizer *t, unsigned flags);
/* Appends the complete UTF-8 this token finishes to out (maybe nothing).
 * Ids out of range are ignored.  CS_OK or CS_ERR_NOMEM. */
int cs_tok_decoder_push(cs_tok_decoder *d, int32_t id, cs_buf *out);
/* End of stream: a dangling partial character comes out as U+FFFD. */
int cs_tok_decoder_flush(cs_tok_decoder *d, cs_buf *out);

/* Whole sequence to a malloc'd NUL-terminated valid UTF-8 string. */
int cs_detokenize(const cs_tokenizer *t, const int32_t *ids, size_t n, unsigned flags,
                  char **out, size_t *len);

#endif
