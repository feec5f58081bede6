/* cmd_eval_redact.c: `clinsum eval-redact DIR [--json] [--half odd|even]
 * [--dump-spans FILE]`.
 *
 * Scores the redactor against PHI-annotated notes: DIR/notes.jsonl, or every
 * DIR/<set>/notes.jsonl.  Each line is {"id", "text", "spans": [{"start",
 * "end", "category"}]} with offsets in characters (code points).
 *   token level (the contract): tokens are runs of letters/digits; a gold
 *     token is found when any of its characters is predicted; a predicted
 *     token is correct when any of its characters is gold.
 *   character level (the blind evaluation): over non-whitespace characters,
 *     recall = gold characters covered by a prediction / gold characters,
 *     precision = predicted characters inside a gold span / predicted.
 * Per category: recall and support (gold tokens) per annotated category;
 * precision over predicted tokens of the matching group (names, dates,
 * locations, ids, phones, e-mails, ages).
 * --half odd|even keeps every other note (line 1, 3, ... = odd) for a
 * develop/check split.  --dump-spans writes predicted spans per note (it
 * was asked for; nothing else here writes note text). */
#include "commands.h"
#include "cs_err.h"
#include "cs_fileio.h"
#include "cs_redact.h"
#include "cs_text.h"

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum { G_NAME, G_DATE, G_LOC, G_ID, G_PHONE, G_EMAIL, G_AGE, G_OTHER, G_COUNT };

static int group_of_gold(const char *c)
{
    if (strcasestr(c, "NAME")) return G_NAME;
    if (strcasestr(c, "DATE")) return G_DATE;
    if (!strcasecmp(c, "AGE")) return G_AGE;
    if (strcasestr(c, "LOCATION") || strcasestr(c, "ADDRESS") || strcasestr(c, "HOSPITAL") ||
        strcasestr(c, "CITY") || strcasestr(c, "ZIP") || strcasestr(c, "STREET") || strcasestr(c, "STATE") ||
        strcasestr(c, "COUNTRY") || strcasestr(c, "ORGANIZATION"))
        return G_LOC;
    if (strcasestr(c, "PHONE") || strcasestr(c, "FAX")) return G_PHONE;
    if (strcasestr(c, "EMAIL")) return G_EMAIL;
    if (strcasestr(c, "URL") || !strcasecmp(c, "IP") || strcasestr(c, "IP_ADDRESS")) return G_OTHER;
    return G_ID;
}

static int group_of_pred(cs_phi_category c)
{
    switch (c) {
    case CS_PHI_NAME: return G_NAME;
    case CS_PHI_DATE: return G_DATE;
    case CS_PHI_AGE: return G_AGE;
    case CS_PHI_PHONE: return G_PHONE;
    case CS_PHI_EMAIL: return G_EMAIL;
    case CS_PHI_LOCATION: case CS_PHI_FACILITY: return G_LOC;
    case CS_PHI_URL: case CS_PHI_IP: return G_OTHER;
    default: return G_ID;
    }
}

#define MAX_CATS 64
typedef struct {
    char *name[MAX_CATS];
    size_t n_cats;
    size_t gold_tok[MAX_CATS], found_tok[MAX_CATS];
    size_t pred_tok[G_COUNT], pred_ok[G_COUNT];
    size_t tg, tf, tp, tpo;       /* tokens: gold, gold found, predicted, predicted correct */
    size_t cg, cf, cp, cpo;       /* characters, same meaning */
    size_t notes, bytes;
    double seconds;
} tally;

static int cat_index(tally *t, const char *name)
{
    for (size_t i = 0; i < t->n_cats; i++) if (!strcmp(t->name[i], name)) return (int)i;
    if (t->n_cats == MAX_CATS) return MAX_CATS - 1;
    t->name[t->n_cats] = strdup(name);
    return t->name[t->n_cats] ? (int)t->n_cats++ : 0;
}

static int is_space_cp(unsigned cp) { return cp == ' ' || cp == '\n' || cp == '\t' || cp == '\r' || cp == '\f' || cp == '\v' || cp == 0xA0; }
static int is_alnum_cp(unsigned cp)
{
    return (cp >= '0' && cp <= '9') || ((cp | 32) >= 'a' && (cp | 32) <= 'z') || (cp >= 0xC0 && cp != 0xD7 && cp != 0xF7 && !is_space_cp(cp));
}

static int score_note(const cs_redactor *r, cJSON *o, tally *t, FILE *dump)
{
    cJSON *jt = cJSON_GetObjectItem(o, "text"), *js = cJSON_GetObjectItem(o, "spans");
    if (!cJSON_IsString(jt)) return CS_ERR_JSON;
    const char *text = jt->valuestring;
    size_t len = strlen(text);
    /* code point -> byte offset */
    size_t ncp = 0;
    size_t *cp2b = malloc((len + 1) * sizeof *cp2b);
    unsigned *cps = malloc((len + 1) * sizeof *cps);
    signed char *gold = calloc(len + 1, 1), *pred = calloc(len + 1, 1);
    int rc = (cp2b && cps && gold && pred) ? CS_OK : CS_ERR_NOMEM;
    for (size_t b = 0; rc == CS_OK && b < len;) {
        size_t l;
        cps[ncp] = cs_utf8_decode(text + b, len - b, &l);
        cp2b[ncp++] = b;
        b += l;
    }
    if (rc == CS_OK) cp2b[ncp] = len;
    cJSON *s;
    cJSON_ArrayForEach(s, js) {
        if (rc != CS_OK) break;
        cJSON *a = cJSON_GetObjectItem(s, "start"), *e = cJSON_GetObjectItem(s, "end"), *c = cJSON_GetObjectItem(s, "category");
        if (!cJSON_IsNumber(a) || !cJSON_IsNumber(e) || !cJSON_IsString(c)) { rc = CS_ERR_JSON; break; }
        size_t as = (size_t)a->valuedouble, ae = (size_t)e->valuedouble;
        if (ae > ncp || as > ae) { rc = CS_ERR_JSON; break; }
        int ci = cat_index(t, c->valuestring);
        for (size_t q = cp2b[as]; q < cp2b[ae]; q++) gold[q] = (signed char)(ci + 1);
    }
    cs_span_list l = {0};
    if (rc == CS_OK) {
        clock_t c0 = clock();
        rc = cs_redact_text(r, text, len, NULL, &l);
        t->seconds += (double)(clock() - c0) / CLOCKS_PER_SEC;
        t->bytes += len;
    }
    if (rc == CS_OK) {
        for (size_t i = 0; i < l.n; i++)
            for (size_t q = l.items[i].start; q < l.items[i].end; q++) pred[q] = (signed char)(group_of_pred(l.items[i].category) + 1);
        if (dump) {
            cJSON *id = cJSON_GetObjectItem(o, "id");
            fprintf(dump, "{\"id\":\"%s\",\"spans\":[", cJSON_IsString(id) ? id->valuestring : "");
            /* byte offsets -> code point offsets */
            size_t cpi = 0;
            for (size_t i = 0; i < l.n; i++) {
                while (cpi < ncp && cp2b[cpi] < l.items[i].start) cpi++;
                size_t cs = cpi, ce = cpi;
                while (ce < ncp && cp2b[ce] < l.items[i].end) ce++;
                fprintf(dump, "%s[%zu,%zu,\"%s\",\"%s\"]", i ? "," : "", cs, ce, cs_phi_category_name(l.items[i].category),
                        cs_phi_source_name(l.items[i].source));
            }
            fprintf(dump, "]}\n");
        }
        for (size_t i = 0; i < ncp; i++) { /* characters */
            if (is_space_cp(cps[i])) continue;
            int g = gold[cp2b[i]] != 0, p = pred[cp2b[i]] != 0;
            t->cg += g; t->cf += g && p; t->cp += p; t->cpo += p && g;
        }
        for (size_t i = 0; i < ncp;) { /* tokens */
            if (!is_alnum_cp(cps[i])) { i++; continue; }
            size_t j = i;
            int g = 0, p = 0;
            while (j < ncp && is_alnum_cp(cps[j])) {
                if (!g && gold[cp2b[j]]) g = gold[cp2b[j]];
                if (!p && pred[cp2b[j]]) p = pred[cp2b[j]];
                j++;
            }
            if (g) { t->tg++; t->gold_tok[g - 1]++; if (p) { t->tf++; t->found_tok[g - 1]++; } }
            if (p) { t->tp++; t->pred_tok[p - 1]++; if (g) { t->tpo++; t->pred_ok[p - 1]++; } }
            i = j;
        }
        t->notes++;
    }
    cs_span_list_free(&l);
    free(cp2b); free(cps); free(gold); free(pred);
    return rc;
}

static int score_file(const cs_redactor *r, const char *path, int half, tally *t, FILE *dump)
{
    uint8_t *data;
    size_t len;
    int rc = cs_read_file(path, (size_t)1 << 30, &data, &len);
    if (rc != CS_OK) return rc;
    char *line = (char *)data, *end = (char *)data + len;
    size_t lineno = 0;
    while (rc == CS_OK && line < end) {
        char *nl = memchr(line, '\n', (size_t)(end - line));
        if (!nl) nl = end;
        *nl = 0;
        if (nl > line) {
            lineno++;
            if (!half || (half == 1) == (lineno % 2 == 1)) {
                cJSON *o = cJSON_Parse(line);
                if (!o) rc = CS_ERR_JSON;
                else rc = score_note(r, o, t, dump);
                cJSON_Delete(o);
            }
        }
        line = nl + 1;
    }
    free(data);
    return rc;
}

static double ratio(size_t a, size_t b) { return b ? (double)a / (double)b : 1.0; }
static double f1(double p, double r) { return p + r > 0 ? 2 * p * r / (p + r) : 0; }

int cmd_eval_redact(int argc, char **argv)
{
    const char *dir = NULL, *dump_path = NULL;
    int json = 0, half = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) json = 1;
        else if (!strcmp(argv[i], "--half") && i + 1 < argc) {
            i++;
            if (!strcmp(argv[i], "odd")) half = 1;
            else if (!strcmp(argv[i], "even")) half = 2;
            else { fprintf(stderr, "clinsum eval-redact: --half odd|even\n"); return 2; }
        } else if (!strcmp(argv[i], "--dump-spans") && i + 1 < argc) dump_path = argv[++i];
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "clinsum eval-redact: unknown option '%s'\n", argv[i]);
            return 2;
        } else dir = argv[i];
    }
    if (!dir) { fprintf(stderr, "usage: clinsum eval-redact DIR [--json] [--half odd|even]\n"); return 2; }
    cs_redactor *r;
    int rc = cs_redactor_new(&r);
    if (rc != CS_OK) { cs_cli_error(dir, rc); return 1; }
    FILE *dump = NULL;
    if (dump_path && !(dump = fopen(dump_path, "w"))) { cs_redactor_free(r); cs_cli_error(dump_path, CS_ERR_IO); return 1; }
    tally t = {0};
    char path[4096];
    snprintf(path, sizeof path, "%s/notes.jsonl", dir);
    FILE *probe = fopen(path, "r");
    int files = 0;
    if (probe) {
        fclose(probe);
        rc = score_file(r, path, half, &t, dump);
        files = 1;
    } else {
        DIR *d = opendir(dir);
        if (!d) rc = CS_ERR_IO;
        struct dirent *de;
        while (rc == CS_OK && d && (de = readdir(d))) {
            if (de->d_name[0] == '.') continue;
            snprintf(path, sizeof path, "%s/%s/notes.jsonl", dir, de->d_name);
            if ((probe = fopen(path, "r"))) {
                fclose(probe);
                rc = score_file(r, path, half, &t, dump);
                files++;
            }
        }
        if (d) closedir(d);
    }
    if (dump) fclose(dump);
    cs_redactor_free(r);
    if (rc == CS_OK && !files) rc = CS_ERR_NOT_FOUND;
    if (rc != CS_OK || t.notes == 0) {
        cs_cli_error(dir, rc != CS_OK ? rc : CS_ERR_EMPTY);
        for (size_t i = 0; i < t.n_cats; i++) free(t.name[i]);
        return 1;
    }
    double R = ratio(t.tf, t.tg), P = ratio(t.tpo, t.tp);
    double cR = ratio(t.cf, t.cg), cP = ratio(t.cpo, t.cp);
    double mbs = t.seconds > 0 ? t.bytes / 1e6 / t.seconds : 0;
    if (json) {
        printf("{\"notes\":%zu,\"recall\":%.4f,\"precision\":%.4f,\"f1\":%.4f,\"tokens_gold\":%zu,\"tokens_predicted\":%zu,"
               "\"char\":{\"recall\":%.4f,\"precision\":%.4f,\"f1\":%.4f,\"gold\":%zu,\"predicted\":%zu},"
               "\"mb_per_s\":%.2f,\"per_category\":{",
               t.notes, R, P, f1(P, R), t.tg, t.tp, cR, cP, f1(cP, cR), t.cg, t.cp, mbs);
        for (size_t i = 0; i < t.n_cats; i++) {
            int g = group_of_gold(t.name[i]);
            printf("%s\"%s\":{\"recall\":%.4f,\"precision\":%.4f,\"support\":%zu}", i ? "," : "", t.name[i],
                   ratio(t.found_tok[i], t.gold_tok[i]), ratio(t.pred_ok[g], t.pred_tok[g]), t.gold_tok[i]);
        }
        printf("}}\n");
    } else {
        printf("notes %zu, %.2f MB/s\n\n%-32s %8s %9s %8s\n", t.notes, mbs, "category", "recall", "precision", "support");
        for (size_t i = 0; i < t.n_cats; i++) {
            int g = group_of_gold(t.name[i]);
            printf("%-32s %8.3f %9.3f %8zu\n", t.name[i], ratio(t.found_tok[i], t.gold_tok[i]),
                   ratio(t.pred_ok[g], t.pred_tok[g]), t.gold_tok[i]);
        }
        printf("%-32s %8.3f %9.3f %8zu   (tokens, f1 %.3f)\n", "overall", R, P, t.tg, f1(P, R));
        printf("%-32s %8.3f %9.3f %8zu   (non-whitespace characters, f1 %.3f)\n", "overall (characters)", cR, cP, t.cg, f1(cP, cR));
    }
    for (size_t i = 0; i < t.n_cats; i++) free(t.name[i]);
    return 0;
}
