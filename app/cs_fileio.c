/* cs_fileio.c: whole-file reads with a size cap, atomic writes. */
#define _POSIX_C_SOURCE 200809L
#include "cs_fileio.h"
#include "cs_err.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cs_read_file(const char *path, size_t max_bytes, uint8_t **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY);
    if (fd < 0) return CS_ERR_IO;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) { close(fd); return CS_ERR_IO; }
    if ((uint64_t)st.st_size > (uint64_t)max_bytes) { close(fd); return CS_ERR_TOO_LARGE; }
    size_t n = (size_t)st.st_size;
    uint8_t *p = malloc(n + 1);
    if (!p) { close(fd); return CS_ERR_NOMEM; }
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, p + got, n - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
    }
    close(fd);
    if (got != n) { free(p); return CS_ERR_IO; }
    p[n] = 0;
    *data = p;
    *len = n;
    return CS_OK;
}

int cs_write_file_atomic(const char *path, const void *data, size_t len)
{
    size_t pl = strlen(path);
    char *tmp = malloc(pl + 32);
    if (!tmp) return CS_ERR_NOMEM;
    snprintf(tmp, pl + 32, "%s.tmp.%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) { free(tmp); return CS_ERR_IO; }
    const char *p = data;
    size_t off = 0;
    int rc = CS_OK;
    while (off < len) {
        ssize_t w = write(fd, p + off, len - off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) { rc = CS_ERR_IO; break; }
        off += (size_t)w;
    }
    if (rc == CS_OK && fsync(fd) != 0) rc = CS_ERR_IO;
    if (close(fd) != 0) rc = CS_ERR_IO;
    if (rc == CS_OK && rename(tmp, path) != 0) rc = CS_ERR_IO;
    if (rc != CS_OK) unlink(tmp);
    free(tmp);
    return rc;
}
