/* cs_test_files.h: reading a whole file in tests (header-only; tests and benchmarks).
 * cs_test_slurp() returns a malloc'd NUL-terminated copy (caller frees) and
 * its length in *n, or NULL when the file cannot be read. */
#ifndef CS_TEST_FILES_H
#define CS_TEST_FILES_H

#include <stdio.h>
#include <stdlib.h>

static inline char *cs_test_slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *p = NULL;
    long len = -1;
    if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (p = malloc((size_t)len + 1)) && fread(p, 1, (size_t)len, f) == (size_t)len) {
        p[len] = '\0';
        *n = (size_t)len;
    } else {
        free(p);
        p = NULL;
    }
    fclose(f);
    return p;
}

#endif
