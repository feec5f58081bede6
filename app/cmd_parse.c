/* cmd_parse.c: `clinsum parse FILE [--json] [--max-bytes N]`. */
#include "commands.h"
#include "cs_document_json.h"
#include "cs_err.h"
#include "cs_fileio.h"
#include "cs_parse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cmd_parse(int argc, char **argv)
{
    const char *file = NULL;
    int json = 0;
    cs_parse_options opt = {0};
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json")) json = 1;
        else if (!strcmp(argv[i], "--max-bytes") && i + 1 < argc) opt.max_bytes = strtoull(argv[++i], NULL, 10);
        else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "clinsum parse: unknown option '%s'\n", argv[i]);
            return 2;
        } else file = argv[i];
    }
    if (!file) { fprintf(stderr, "usage: clinsum parse FILE [--json] [--max-bytes N]\n"); return 2; }
    size_t cap = opt.max_bytes ? opt.max_bytes : CS_PARSE_DEFAULT_MAX_BYTES;
    uint8_t *data;
    size_t len;
    int rc = cs_read_file(file, cap, &data, &len);
    if (rc != CS_OK) { cs_cli_error(file, rc); return 1; }
    cs_parse_init();
    cs_document *doc;
    rc = cs_parse(data, len, &opt, &doc);
    free(data);
    if (rc != CS_OK) { cs_cli_error(file, rc); return 1; }
    if (json) {
        char *s = cs_document_to_json(doc, 0);
        if (!s) { cs_document_free(doc); cs_cli_error(file, CS_ERR_NOMEM); return 1; }
        puts(s);
        free(s);
    } else {
        printf("format: %s\nkind: %s\nencoding: %s\nsections: %zu\n", cs_format_name(doc->format),
               doc->kind ? doc->kind : "unknown", doc->encoding, doc->n_sections);
        for (size_t i = 0; i < doc->n_sections; i++) {
            const cs_section *s = &doc->sections[i];
            printf("  %*s%-40s %-10s %7zu chars\n", s->depth * 2, "",
                   *s->title ? s->title : "(untitled)", s->code ? s->code : "-", s->text_len);
        }
        const cs_identity *id = &doc->identity;
        printf("identity: %zu names, %zu identifiers, %zu birth dates, %zu addresses, %zu telecoms\n",
               id->names.n, id->identifiers.n, id->birth_dates.n, id->addresses.n, id->telecoms.n);
    }
    cs_document_free(doc);
    return 0;
}
