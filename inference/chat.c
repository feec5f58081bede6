/*
 * chat.c: chat template families, recognised from Jinja source and rendered
 * in C (see chat.h).
 */
#include "chat.h"
#include "cs_buf.h"
#include "cs_err.h"

#include <stdlib.h>
#include <string.h>

const char *cs_chat_family_name(cs_chat_family f)
{
    switch (f) {
    case CS_CHAT_CHATML: return "chatml";
    case CS_CHAT_LLAMA3: return "llama3";
    case CS_CHAT_ZEPHYR: return "zephyr";
    case CS_CHAT_LLAMA2: return "llama2";
    default: return "none";
    }
}

void cs_chat_template_free(cs_chat_template *t)
{
    if (!t) return;
    free(t->default_system);
    free(t->eos_text);
    memset(t, 0, sizeof *t);
}

/* The system prompt a ChatML template writes when the conversation has
 * none: a string literal that continues right after "<|im_start|>system\n"
 * (rather than closing to concatenate messages[0]['content']), up to
 * "<|im_end|>".  Jinja escapes \n, \', \" and \\ are undone. */
static int default_system(const char *jinja, char **out)
{
    static const char marker[] = "<|im_start|>system\\n";
    *out = NULL;
    for (const char *p = strstr(jinja, marker); p; p = strstr(p + 1, marker)) {
        const char *s = p + sizeof marker - 1;
        if (*s == '\'' || *s == '"') continue; /* literal ends: content follows */
        const char *e = strstr(s, "<|im_end|>");
        if (!e) return CS_OK;
        cs_buf b = {0};
        for (const char *q = s; q < e; q++) {
            char c = *q;
            if (c == '\\' && q + 1 < e) {
                c = *++q;
                if (c == 'n') c = '\n';
                else if (c == 't') c = '\t';
            }
            if (cs_buf_putc(&b, c) != CS_OK) { cs_buf_free(&b); return CS_ERR_NOMEM; }
        }
        *out = cs_buf_take(&b);
        return CS_OK;
    }
    return CS_OK;
}

static int set_eos(cs_chat_template *t, const char *eos_text)
{
    t->eos_text = strdup(eos_text ? eos_text : "</s>");
    return t->eos_text ? CS_OK : CS_ERR_NOMEM;
}

int cs_chat_template_for_family(cs_chat_family f, cs_chat_template *out)
{
    memset(out, 0, sizeof *out);
    if (f < CS_CHAT_CHATML || f > CS_CHAT_LLAMA2) return CS_ERR_UNSUPPORTED;
    out->family = f;
    return set_eos(out, NULL);
}

int cs_chat_template_parse(const char *jinja, const char *eos_text, cs_chat_template *out)
{
    memset(out, 0, sizeof *out);
    if (!jinja) return CS_ERR_INVALID;
    /* the most specific markers first */
    if (strstr(jinja, "<|start_header_id|>")) out->family = CS_CHAT_LLAMA3;
    else if (strstr(jinja, "<|im_start|>")) out->family = CS_CHAT_CHATML;
    else if (strstr(jinja, "<|user|>") && strstr(jinja, "<|assistant|>")) out->family = CS_CHAT_ZEPHYR;
    else if (strstr(jinja, "[INST]")) out->family = CS_CHAT_LLAMA2;
    else return CS_ERR_UNSUPPORTED;
    int rc = set_eos(out, eos_text);
    if (rc == CS_OK && out->family == CS_CHAT_CHATML) rc = default_system(jinja, &out->default_system);
    if (rc != CS_OK) cs_chat_template_free(out);
    return rc;
}

/* Without a template: the family whose markers are whole tokens of the
 * vocabulary (a ChatML model has an <|im_start|> token), if any. */
static cs_chat_family family_from_vocab(const cs_gguf *g)
{
    static const struct { const char *token; cs_chat_family family; } markers[] = {
        {"<|start_header_id|>", CS_CHAT_LLAMA3}, {"<|im_start|>", CS_CHAT_CHATML}, {"<|assistant|>", CS_CHAT_ZEPHYR},
    };
    const cs_gguf_str *toks;
    uint64_t n;
    if (cs_gguf_get_arr_str(g, "tokenizer.ggml.tokens", &toks, &n) != CS_OK) return CS_CHAT_NONE;
    for (size_t m = 0; m < sizeof markers / sizeof *markers; m++) {
        size_t len = strlen(markers[m].token);
        for (uint64_t i = 0; i < n; i++)
            if (toks[i].len == len && !memcmp(toks[i].ptr, markers[m].token, len)) return markers[m].family;
    }
    return CS_CHAT_NONE;
}

int cs_chat_template_from_gguf(const cs_gguf *g, cs_chat_template *out)
{
    memset(out, 0, sizeof *out);
    const char *jinja;
    int rc = cs_gguf_get_str(g, "tokenizer.chat_template", &jinja);
    if (rc == CS_ERR_NOT_FOUND) {
        cs_chat_family f = family_from_vocab(g);
        return f == CS_CHAT_NONE ? CS_ERR_NOT_FOUND : cs_chat_template_for_family(f, out);
    }
    if (rc != CS_OK) return CS_ERR_FORMAT;
    /* the EOS token's text, for templates that write it out */
    char eos[64] = "</s>";
    uint32_t id;
    const cs_gguf_str *toks;
    uint64_t n;
    if (cs_gguf_get_u32(g, "tokenizer.ggml.eos_token_id", &id) == CS_OK &&
        cs_gguf_get_arr_str(g, "tokenizer.ggml.tokens", &toks, &n) == CS_OK && id < n && toks[id].len < sizeof eos) {
        memcpy(eos, toks[id].ptr, toks[id].len);
        eos[toks[id].len] = 0;
    }
    return cs_chat_template_parse(jinja, eos, out);
}

/* Content without leading/trailing whitespace (Llama templates trim). */
static int put_trimmed(cs_buf *b, const char *s)
{
    const char *e = s + strlen(s);
    while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r') s++;
    while (e > s && (e[-1] == ' ' || e[-1] == '\n' || e[-1] == '\t' || e[-1] == '\r')) e--;
    return cs_buf_append(b, s, (size_t)(e - s));
}

static int render_llama2(const cs_chat_template *t, const cs_chat_msg *m, size_t n, cs_buf *b)
{
    const char *system = NULL;
    int rc = CS_OK, turns = 0;
    for (size_t i = 0; i < n && rc == CS_OK; i++) {
        if (!strcmp(m[i].role, "system")) { system = m[i].content; continue; }
        if (!strcmp(m[i].role, "user")) {
            /* the first BOS comes from the tokenizer; later turns write it */
            rc = cs_buf_puts(b, turns++ ? "<s>[INST] " : "[INST] ");
            if (rc == CS_OK && system) {
                rc = cs_buf_puts(b, "<<SYS>>\n");
                if (rc == CS_OK) rc = put_trimmed(b, system);
                if (rc == CS_OK) rc = cs_buf_puts(b, "\n<</SYS>>\n\n");
                system = NULL;
            }
            if (rc == CS_OK) rc = put_trimmed(b, m[i].content);
            if (rc == CS_OK) rc = cs_buf_puts(b, " [/INST]");
        } else {
            rc = cs_buf_putc(b, ' ');
            if (rc == CS_OK) rc = put_trimmed(b, m[i].content);
            if (rc == CS_OK) rc = cs_buf_printf(b, " %s", t->eos_text ? t->eos_text : "</s>");
        }
    }
    return rc;
}

int cs_chat_render(const cs_chat_template *t, const cs_chat_msg *m, size_t n, int add_generation_prompt, char **out)
{
    *out = NULL;
    for (size_t i = 0; i < n; i++)
        if (!m[i].role || !m[i].content) return CS_ERR_INVALID;
    cs_buf b = {0};
    int rc = cs_buf_reserve(&b, 256);
    const char *eos = t->eos_text ? t->eos_text : "</s>";
    switch (t->family) {
    case CS_CHAT_CHATML:
        if (rc == CS_OK && t->default_system && (n == 0 || strcmp(m[0].role, "system")))
            rc = cs_buf_printf(&b, "<|im_start|>system\n%s<|im_end|>\n", t->default_system);
        for (size_t i = 0; i < n && rc == CS_OK; i++)
            rc = cs_buf_printf(&b, "<|im_start|>%s\n%s<|im_end|>\n", m[i].role, m[i].content);
        if (rc == CS_OK && add_generation_prompt) rc = cs_buf_puts(&b, "<|im_start|>assistant\n");
        break;
    case CS_CHAT_LLAMA3:
        for (size_t i = 0; i < n && rc == CS_OK; i++) {
            rc = cs_buf_printf(&b, "<|start_header_id|>%s<|end_header_id|>\n\n", m[i].role);
            if (rc == CS_OK) rc = put_trimmed(&b, m[i].content);
            if (rc == CS_OK) rc = cs_buf_puts(&b, "<|eot_id|>");
        }
        if (rc == CS_OK && add_generation_prompt)
            rc = cs_buf_puts(&b, "<|start_header_id|>assistant<|end_header_id|>\n\n");
        break;
    case CS_CHAT_ZEPHYR:
        for (size_t i = 0; i < n && rc == CS_OK; i++)
            rc = cs_buf_printf(&b, "<|%s|>\n%s%s\n", m[i].role, m[i].content, eos);
        if (rc == CS_OK && add_generation_prompt) rc = cs_buf_puts(&b, "<|assistant|>\n");
        break;
    case CS_CHAT_LLAMA2:
        if (rc == CS_OK) rc = render_llama2(t, m, n, &b);
        break;
    default:
        rc = CS_ERR_UNSUPPORTED;
    }
    if (rc != CS_OK) { cs_buf_free(&b); return rc; }
    *out = cs_buf_take(&b);
    return CS_OK;
}
