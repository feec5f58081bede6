/* test_chat.c: recognising chat template families from Jinja source and
 * rendering conversations; the shared models' templates when present. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chat.h"
#include "cs_err.h"
#include "gguf.h"
#include "gguf_builder.h"

static const char smollm2_jinja[] =
    "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
    "{{ '<|im_start|>system\\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\\n' }}"
    "{% endif %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}"
    "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

static const char qwen25_jinja[] =
    "{%- if messages[0]['role'] == 'system' %}\n"
    "        {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}\n"
    "    {%- else %}\n"
    "        {{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}\n"
    "{%- endif %}";

static const char llama3_jinja[] =
    "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = "
    "'<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}"
    "{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}";

static const char zephyr_jinja[] =
    "{% for message in messages %}\n{% if message['role'] == 'user' %}\n{{ '<|user|>\\n' + message['content'] + eos_token }}\n"
    "{% elif message['role'] == 'assistant' %}\n{{ '<|assistant|>\\n'  + message['content'] + eos_token }}\n{% endif %}{% endfor %}";

static char *render(const char *jinja, const cs_chat_msg *m, size_t n, int gen)
{
    cs_chat_template t;
    cr_assert_eq(cs_chat_template_parse(jinja, "</s>", &t), CS_OK);
    char *out;
    cr_assert_eq(cs_chat_render(&t, m, n, gen, &out), CS_OK);
    cs_chat_template_free(&t);
    return out;
}

Test(chat, chatml_inserts_the_templates_default_system)
{
    cs_chat_msg m[] = {{"user", "Summarize this note."}};
    char *s = render(smollm2_jinja, m, 1, 1);
    cr_assert_str_eq(s, "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n"
                        "<|im_start|>user\nSummarize this note.<|im_end|>\n<|im_start|>assistant\n");
    free(s);
    cs_chat_msg m2[] = {{"system", "Be brief."}, {"user", "Hi"}, {"assistant", "Hello."}};
    s = render(smollm2_jinja, m2, 3, 0);
    cr_assert_str_eq(s, "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n"
                        "<|im_start|>assistant\nHello.<|im_end|>\n");
    free(s);
    s = render(qwen25_jinja, m, 1, 1);
    cr_assert(strstr(s, "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n"
                        "<|im_start|>user\n") == s, "%s", s);
    free(s);
}

Test(chat, llama3_zephyr_llama2)
{
    cs_chat_msg m[] = {{"system", "Be brief."}, {"user", "  Hi \n"}};
    char *s = render(llama3_jinja, m, 2, 1);
    cr_assert_str_eq(s, "<|start_header_id|>system<|end_header_id|>\n\nBe brief.<|eot_id|>"
                        "<|start_header_id|>user<|end_header_id|>\n\nHi<|eot_id|>"
                        "<|start_header_id|>assistant<|end_header_id|>\n\n");
    free(s);
    s = render(zephyr_jinja, m, 2, 1);
    cr_assert_str_eq(s, "<|system|>\nBe brief.</s>\n<|user|>\n  Hi \n</s>\n<|assistant|>\n");
    free(s);
    cs_chat_msg m2[] = {{"system", "Be brief."}, {"user", "Hi"}, {"assistant", "Hello."}, {"user", "More"}};
    s = render("{{ '[INST] ' + content + ' [/INST]' }}", m2, 4, 1);
    cr_assert_str_eq(s, "[INST] <<SYS>>\nBe brief.\n<</SYS>>\n\nHi [/INST] Hello. </s><s>[INST] More [/INST]");
    free(s);
}

Test(chat, families_and_errors)
{
    cs_chat_template t;
    cr_assert_eq(cs_chat_template_parse("{{ messages }}", NULL, &t), CS_ERR_UNSUPPORTED);
    cr_assert_eq(cs_chat_template_parse(NULL, NULL, &t), CS_ERR_INVALID);
    cr_assert_eq(cs_chat_template_for_family(CS_CHAT_CHATML, &t), CS_OK);
    cr_assert_null(t.default_system);
    cr_assert_str_eq(cs_chat_family_name(t.family), "chatml");
    cs_chat_msg bad[] = {{"user", NULL}};
    char *s;
    cr_assert_eq(cs_chat_render(&t, bad, 1, 1, &s), CS_ERR_INVALID);
    cr_assert_null(s);
    cr_assert_eq(cs_chat_render(&t, NULL, 0, 1, &s), CS_OK);
    cr_assert_str_eq(s, "<|im_start|>assistant\n");
    free(s);
    cs_chat_template_free(&t);
    cr_assert_eq(cs_chat_template_for_family(CS_CHAT_NONE, &t), CS_ERR_UNSUPPORTED);
    cr_assert_str_eq(cs_chat_family_name(CS_CHAT_LLAMA3), "llama3");
    cr_assert_str_eq(cs_chat_family_name(CS_CHAT_ZEPHYR), "zephyr");
    cr_assert_str_eq(cs_chat_family_name(CS_CHAT_LLAMA2), "llama2");
    cr_assert_str_eq(cs_chat_family_name(CS_CHAT_NONE), "none");
}

Test(chat, shared_models_templates)
{
    char path[512];
    snprintf(path, sizeof path, "%s/models/smollm2-135m-shape-random-q4_k_m.gguf", CS_SHARED_DIR);
    char spm[512];
    snprintf(spm, sizeof spm, "%s/models/tiny-llama-spm-random-q4_k_m.gguf", CS_SHARED_DIR);
    if (access(path, R_OK) || access(spm, R_OK)) cr_skip_test("skip: ../shared absent");
    cs_gguf *g;
    const char *why;
    cr_assert_eq(cs_gguf_open_file(path, &g, &why), CS_OK);
    cs_chat_template t;
    cr_assert_eq(cs_chat_template_from_gguf(g, &t), CS_OK);
    cr_assert_eq(t.family, CS_CHAT_CHATML);
    cr_assert_str_eq(t.default_system, "You are a helpful AI assistant.");
    cr_assert_str_eq(t.eos_text, "<|im_end|>");
    cs_chat_template_free(&t);
    cs_gguf_free(g);
    cr_assert_eq(cs_gguf_open_file(spm, &g, &why), CS_OK);
    cr_assert_eq(cs_chat_template_from_gguf(g, &t), CS_ERR_NOT_FOUND); /* no template, no marker tokens */
    cs_gguf_free(g);
}

Test(chat, family_from_vocabulary_without_template)
{
    static const char *toks[] = {"<unk>", "<|start_header_id|>", "<|end_header_id|>", "<|im_start|>"};
    for (int n = 1; n <= 4; n += 3) { /* 1: nothing to go on; 4: Llama 3 markers win */
        cs_buf b = {0};
        gb_header(&b, 3, 0, 1);
        gb_key(&b, "tokenizer.ggml.tokens", 9);
        gb_u32(&b, 8);
        gb_u64(&b, (uint64_t)n);
        for (int i = 0; i < n; i++) gb_str(&b, toks[i]);
        cs_gguf *g;
        const char *why;
        cr_assert_eq(cs_gguf_open_buffer(b.data, b.len, &g, &why), CS_OK);
        cs_chat_template t;
        int rc = cs_chat_template_from_gguf(g, &t);
        if (n == 1) cr_assert_eq(rc, CS_ERR_NOT_FOUND);
        else { cr_assert_eq(rc, CS_OK); cr_assert_eq(t.family, CS_CHAT_LLAMA3); cs_chat_template_free(&t); }
        cs_gguf_free(g);
        cs_buf_free(&b);
    }
}
