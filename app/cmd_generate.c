/*
 * cmd_generate.c: `clinsum generate --model M.gguf [--prompt TEXT | --chat
 * TEXT | FILE] [--raw] [--greedy] [-n N] [--threads T] [--temp X] ...`:
 * run a GGUF model directly and stream what it writes to stdout.
 *
 * --raw feeds the text verbatim (special tokens such as <|im_start|> are
 * parsed; BOS only if the model's metadata asks for it) and prints only the
 * generated text: the contract the golden checks rely on.  Without --raw
 * the text is one user turn in the model's chat template.
 */
#include "chat.h"
#include "commands.h"
#include "cs_err.h"
#include "cs_fileio.h"
#include "generate.h"
#include "gguf.h"
#include "model.h"
#include "sampler.h"
#include "tokenizer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROMPT_MAX_BYTES (16u << 20)

static const char *usage_text =
    "usage: clinsum generate --model M.gguf [--prompt TEXT | --chat TEXT | FILE] [--raw]\n"
    "         [--greedy] [-n N] [--threads T] [--ctx N] [--temp X] [--top-k K] [--top-p P]\n"
    "         [--min-p P] [--repeat-penalty X] [--seed S]\n";

static int print_token(void *user, int32_t id, const char *text, size_t len)
{
    (void)user;
    (void)id;
    if (len) {
        fwrite(text, 1, len, stdout);
        fflush(stdout);
    }
    return 0;
}

/* Wraps one user message in the model's chat template (ChatML if the
 * file has none we recognise). */
static int chat_prompt(const cs_gguf *g, const char *user, char **out)
{
    cs_chat_template t;
    int rc = cs_chat_template_from_gguf(g, &t);
    if (rc == CS_ERR_NOT_FOUND || rc == CS_ERR_UNSUPPORTED) rc = cs_chat_template_for_family(CS_CHAT_CHATML, &t);
    if (rc != CS_OK) return rc;
    cs_chat_msg msg = {"user", user};
    rc = cs_chat_render(&t, &msg, 1, 1, out);
    cs_chat_template_free(&t);
    return rc;
}

int cmd_generate(int argc, char **argv)
{
    const char *model_path = NULL, *prompt = NULL, *file = NULL;
    int raw = 0, greedy = 0, n_predict = 128, threads = 2, n_ctx = 0, chat = 0;
    cs_sampler_params sp = cs_sampler_default_params(0);
    int seed_given = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int has = i + 1 < argc;
        if (!strcmp(a, "--model") && has) model_path = argv[++i];
        else if (!strcmp(a, "--prompt") && has) prompt = argv[++i];
        else if (!strcmp(a, "--chat") && has) { prompt = argv[++i]; chat = 1; }
        else if (!strcmp(a, "--raw")) raw = 1;
        else if (!strcmp(a, "--greedy")) greedy = 1;
        else if (!strcmp(a, "-n") && has) n_predict = atoi(argv[++i]);
        else if (!strcmp(a, "--threads") && has) threads = atoi(argv[++i]);
        else if (!strcmp(a, "--ctx") && has) n_ctx = atoi(argv[++i]);
        else if (!strcmp(a, "--temp") && has) sp.temperature = strtof(argv[++i], NULL);
        else if (!strcmp(a, "--top-k") && has) sp.top_k = atoi(argv[++i]);
        else if (!strcmp(a, "--top-p") && has) sp.top_p = strtof(argv[++i], NULL);
        else if (!strcmp(a, "--min-p") && has) sp.min_p = strtof(argv[++i], NULL);
        else if (!strcmp(a, "--repeat-penalty") && has) sp.repeat_penalty = strtof(argv[++i], NULL);
        else if (!strcmp(a, "--seed") && has) { sp.seed = strtoull(argv[++i], NULL, 10); seed_given = 1; }
        else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "clinsum generate: unknown option '%s'\n%s", a, usage_text);
            return 2;
        } else if (!file) file = a;
        else { fputs(usage_text, stderr); return 2; }
    }
    if (!model_path || (!prompt && !file) || (prompt && file) || (chat && raw) || n_predict <= 0 ||
        threads <= 0 || threads > 64 || n_ctx < 0) {
        fputs(usage_text, stderr);
        return 2;
    }
    if (!seed_given) sp.seed = 0x5eed;
    if (greedy) sp = cs_sampler_greedy_params();

    /* the prompt text */
    uint8_t *data = NULL;
    size_t len;
    if (file) {
        int rc = cs_read_file(file, PROMPT_MAX_BYTES, &data, &len);
        if (rc != CS_OK) { cs_cli_error(file, rc); return 1; }
    } else {
        len = strlen(prompt);
        data = malloc(len + 1);
        if (!data) { cs_cli_error("-", CS_ERR_NOMEM); return 1; }
        memcpy(data, prompt, len + 1);
    }

    cs_gguf *g = NULL;
    cs_model *m = NULL;
    cs_tokenizer *tok = NULL;
    cs_context *ctx = NULL;
    cs_sampler *sampler = NULL;
    int32_t *ids = NULL;
    char *text = NULL;
    const char *why = NULL;
    int status = 1, rc;
    if ((rc = cs_gguf_open_file(model_path, &g, &why)) != CS_OK ||
        (rc = cs_model_load(g, &m, &why)) != CS_OK || (rc = cs_tokenizer_load(g, &tok, &why)) != CS_OK) {
        fprintf(stderr, "clinsum: %s: %s\n", model_path, why ? why : cs_strerror(rc));
        goto out;
    }
    if (raw) {
        text = (char *)data;
        data = NULL;
    } else if (memchr(data, 0, len)) {
        cs_cli_error(file ? file : "-", CS_ERR_BINARY);
        goto out;
    } else if ((rc = chat_prompt(g, (const char *)data, &text)) != CS_OK) {
        cs_cli_error(model_path, rc);
        goto out;
    } else {
        len = strlen(text);
    }

    size_t n_ids;
    if ((rc = cs_tokenize(tok, text, len, CS_TOK_PARSE_SPECIAL, &ids, &n_ids)) != CS_OK) {
        cs_cli_error(file ? file : "-", rc);
        goto out;
    }
    if (cs_tokenizer_add_bos(tok) && cs_tokenizer_bos(tok) >= 0) {
        int32_t *with = malloc((n_ids + 1) * sizeof *with);
        if (!with) { cs_cli_error("-", CS_ERR_NOMEM); goto out; }
        with[0] = cs_tokenizer_bos(tok);
        memcpy(with + 1, ids, n_ids * sizeof *ids);
        free(ids);
        ids = with;
        n_ids++;
    }
    if (n_ids == 0) { cs_cli_error(file ? file : "-", CS_ERR_EMPTY); goto out; }

    cs_context_params cp = {0};
    cp.n_threads = threads;
    cp.n_ctx = n_ctx ? n_ctx : (int)n_ids + n_predict;
    if (cp.n_ctx > m->config.n_ctx_train) cp.n_ctx = m->config.n_ctx_train;
    if ((rc = cs_context_new(m, &cp, &ctx)) != CS_OK) { cs_cli_error(model_path, rc); goto out; }
    if ((rc = cs_sampler_new(&sp, m->config.vocab_size, &sampler)) != CS_OK) {
        cs_cli_error("--temp/--top-k/--top-p/--min-p/--repeat-penalty", rc);
        status = 2;
        goto out;
    }
    cs_gen_params gp = {0};
    gp.max_tokens = n_predict;
    gp.sampler = sampler;
    gp.on_token = print_token;
    rc = cs_generate(ctx, tok, ids, n_ids, &gp, NULL);
    if (rc != CS_OK) {
        fflush(stdout);
        cs_cli_error(file ? file : "-", rc == CS_ERR_LIMIT ? CS_ERR_TOO_LARGE : rc);
        goto out;
    }
    if (!raw) putchar('\n');
    status = 0;
out:
    cs_sampler_free(sampler);
    cs_context_free(ctx);
    free(ids);
    free(text);
    free(data);
    cs_tokenizer_free(tok);
    cs_model_free(m);
    cs_gguf_free(g);
    return status;
}
