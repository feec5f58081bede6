/*
 * chat.h: turning a conversation into the prompt text a chat model was
 * trained on.
 *
 * GGUF files carry their chat template as Jinja source
 * (tokenizer.chat_template).  We do not run Jinja: we recognise the family
 * by its markers and render it in C, as llama.cpp's built-in templates do:
 *   ChatML  (SmolLM2, Qwen2/2.5): <|im_start|>role\ncontent<|im_end|>\n,
 *           with the default system prompt the template inserts when the
 *           conversation has none (read from the template itself);
 *   Llama 3: <|start_header_id|>role<|end_header_id|>\n\ncontent<|eot_id|>;
 *   Zephyr  (TinyLlama chat): <|role|>\ncontent</s>\n;
 *   Llama 2: [INST] <<SYS>>\nsystem\n<</SYS>>\n\nuser [/INST] answer </s>.
 * The rendered text never contains the BOS token: tokenize it with
 * CS_TOK_ADD_SPECIAL | CS_TOK_PARSE_SPECIAL so the model's own BOS rule
 * applies and the markers become single tokens.
 *
 * Ownership: cs_chat_template owns its strings (cs_chat_template_free);
 * cs_chat_render's output is malloc'd, the caller frees it.
 * Errors: CS_ERR_NOT_FOUND (no template, no family), CS_ERR_UNSUPPORTED
 * (a template of no family we know), CS_ERR_INVALID (NULL role/content),
 * CS_ERR_NOMEM.  Thread-safe: no shared state.
 */
#ifndef CS_CHAT_H
#define CS_CHAT_H

#include "gguf.h"

#include <stddef.h>

typedef enum {
    CS_CHAT_NONE = 0,
    CS_CHAT_CHATML,
    CS_CHAT_LLAMA3,
    CS_CHAT_ZEPHYR,
    CS_CHAT_LLAMA2
} cs_chat_family;

typedef struct {
    cs_chat_family family;
    char *default_system; /* ChatML: system prompt used when none is given; may be NULL */
    char *eos_text;       /* Zephyr/Llama 2: the end-of-sequence token's text */
} cs_chat_template;

typedef struct {
    const char *role;     /* "system", "user", "assistant" */
    const char *content;
} cs_chat_msg;

/* Recognise a Jinja template's family.  eos_text may be NULL ("</s>"). */
int cs_chat_template_parse(const char *jinja, const char *eos_text, cs_chat_template *out);
/* From tokenizer.chat_template (and the EOS token's text); a file without
 * a template gets the family whose marker tokens its vocabulary has
 * (<|im_start|>: ChatML, <|start_header_id|>: Llama 3), else NOT_FOUND. */
int cs_chat_template_from_gguf(const cs_gguf *g, cs_chat_template *out);
/* A family without a Jinja source (e.g. chosen on the command line). */
int cs_chat_template_for_family(cs_chat_family f, cs_chat_template *out);
void cs_chat_template_free(cs_chat_template *t);

const char *cs_chat_family_name(cs_chat_family f); /* "chatml", ...; static */

/* Renders messages; add_generation_prompt opens the assistant's turn. */
int cs_chat_render(const cs_chat_template *t, const cs_chat_msg *msgs, size_t n, int add_generation_prompt,
                   char **out);

#endif
