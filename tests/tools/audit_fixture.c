/* audit_fixture.c: writes a small audit log for the CLI tests:
 *   audit_fixture LOG N [CHECKPOINT_EVERY]   appends N parsed events, closes. */
#include "cs_audit.h"
#include "cs_err.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc < 3) { fprintf(stderr, "usage: audit_fixture LOG N [EVERY]\n"); return 2; }
    cs_audit_options o = {.checkpoint_every = argc > 3 ? (unsigned)atoi(argv[3]) : 0, .no_fsync = 1};
    cs_audit *a;
    int rc = cs_audit_open(argv[1], &o, &a);
    for (int i = 0; rc == CS_OK && i < atoi(argv[2]); i++) rc = cs_audit_parsed(a, (size_t)i, "text");
    if (rc == CS_OK) rc = cs_audit_network(a, "https://example.org", 1);
    int rc2 = cs_audit_close(a);
    if (rc == CS_OK) rc = rc2;
    if (rc != CS_OK) fprintf(stderr, "audit_fixture: %s\n", cs_strerror(rc));
    return rc == CS_OK ? 0 : 1;
}
