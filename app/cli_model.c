/* cli_model.c: model discovery and the generator adapter (see cli_model.h). */
#include "cli_model.h"
#include "cs_err.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int is_file(const char *p)
{
    struct stat st;
    return p && stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* First *.gguf in dir by name, or NULL. */
static char *first_gguf(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return NULL;
    char *best = NULL;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n < 6 || strcmp(e->d_name + n - 5, ".gguf")) continue;
        if (best && strcmp(e->d_name, best) >= 0) continue;
        free(best);
        best = strdup(e->d_name);
    }
    closedir(d);
    if (!best) return NULL;
    size_t n = strlen(dir) + strlen(best) + 2;
    char *path = malloc(n);
    if (path) snprintf(path, n, "%s/%s", dir, best);
    free(best);
    if (path && !is_file(path)) { free(path); path = NULL; }
    return path;
}

char *cs_cli_find_model(const char *explicit_path)
{
    if (explicit_path) return strdup(explicit_path);
    const char *env = getenv("CLINSUM_MODEL");
    if (env && *env) return strdup(env);
    char *p = first_gguf("models");
    if (!p) p = first_gguf("../shared/models");
    return p;
}

const char *cs_cli_no_model_note(int model_found, int err, char *buf, size_t cap)
{
    if (!model_found)
        snprintf(buf, cap, "No model found: used the extractive summarizer (every line is taken "
                 "from the document). To add a model, pass --model FILE.gguf, set CLINSUM_MODEL, "
                 "or put a .gguf file in ./models/.");
    else if (err == CS_ERR_UNSUPPORTED)
        snprintf(buf, cap, "This build has no language-model runtime: used the extractive "
                 "summarizer (every line is taken from the document).");
    else
        snprintf(buf, cap, "The model found could not be loaded (%s): used the extractive "
                 "summarizer (every line is taken from the document).", cs_strerror(err));
    return buf;
}

const char *cs_cli_model_note(const char *name, char *buf, size_t cap)
{
    snprintf(buf, cap,
             "Written by the local model %s; numbers, doses, dates, drugs and diagnoses "
             "not found in the source are flagged.", name);
    return buf;
}

#ifndef CS_HAVE_INFERENCE
/* Without the inference module (cli_generator.c is not built). */
int cs_cli_generator_open(const char *path, cs_generator *g)
{
    memset(g, 0, sizeof *g);
    if (!is_file(path)) return CS_ERR_IO;
    return CS_ERR_UNSUPPORTED;
}

void cs_cli_generator_close(cs_generator *g)
{
    memset(g, 0, sizeof *g);
}
#endif
