/*
 * main.c: the `clinsum` command line.  Dispatches to one subcommand per
 * file (cmd_*.c); everything here is argument plumbing.
 */
#include "commands.h"
#include "cs_err.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *help;
} commands[] = {
    {"parse", cmd_parse, "parse FILE [--json] [--max-bytes N]   show the document model"},
    {"summarize", cmd_summarize, "summarize FILE [--model M.gguf | --extractive] [--style brief|handoff|patient] [--format md|json|fhir] [--out PATH] [--audit LOG]"},
    {"batch", cmd_batch, "batch IN_DIR --out OUT_DIR [--jobs N] [--format md|json|fhir]   summarize every file, resumable"},
    {"eval-summary", cmd_eval_summary, "eval-summary DIR [--json] [--model M.gguf]   ROUGE against reference notes (*.jsonl)"},
    {"generate", cmd_generate, "generate --model M.gguf [--prompt TEXT | --chat TEXT | FILE] [--raw] [--greedy] [-n N]   run a model"},
    {"tokenize", cmd_tokenize, "tokenize --model M.gguf FILE         print the file's token ids"},
    {"redact", cmd_redact, "redact FILE [--mode mask|pseudonym|surrogate] [--keep-dates] [--spans]   remove PHI"},
    {"eval-redact", cmd_eval_redact, "eval-redact DIR [--json] [--half odd|even]   score redaction on annotated notes"},
    {"audit", cmd_audit, "audit verify LOG [--key PUB] [--json] | audit export LOG (--out DIR | --zip FILE) [--key PUB] [--wasm PATH]"},
    {"serve", cmd_serve, "serve [--port N] [--open] [--root DIR] [--allow-remote]   serve the browser app on 127.0.0.1"},
};

void cs_cli_error(const char *file, int err)
{
    fprintf(stderr, "clinsum: %s: %s\n", file ? file : "-", cs_strerror(err));
}

static void usage(FILE *f)
{
    fprintf(f, "usage: clinsum COMMAND [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(f, "  %s\n", commands[i].help);
}

int main(int argc, char **argv)
{
    if (argc < 2) { usage(stderr); return 2; }
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "clinsum: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return 2;
}
