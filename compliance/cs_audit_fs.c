/* cs_audit_fs.c: mkdir -p and atomic file replacement for compliance/. */
#include "cs_audit_fs.h"

#include "cs_err.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cs_audit_mkdirs(const char *path, mode_t mode)
{
    char tmp[4096];
    size_t n = strlen(path);
    if (n >= sizeof tmp) return CS_ERR_LIMIT;
    memcpy(tmp, path, n + 1);
    for (size_t i = 1; i <= n; i++) {
        if (tmp[i] != '/' && tmp[i] != '\0') continue;
        char c = tmp[i];
        tmp[i] = '\0';
        if (mkdir(tmp, mode) != 0 && errno != EEXIST) return CS_ERR_IO;
        tmp[i] = c;
    }
    return CS_OK;
}

int cs_audit_write_atomic(const char *path, const void *data, size_t len, mode_t mode, int no_fsync)
{
    char tmp[4200];
    int n = snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof tmp) return CS_ERR_LIMIT;
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) return CS_ERR_IO;
    int rc = CS_OK;
    for (const char *p = data; len && rc == CS_OK;) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) rc = CS_ERR_IO;
        else p += w, len -= (size_t)w;
    }
    if (rc == CS_OK && !no_fsync && fsync(fd) != 0) rc = CS_ERR_IO;
    if (close(fd) != 0) rc = CS_ERR_IO;
    if (rc == CS_OK && rename(tmp, path) != 0) rc = CS_ERR_IO;
    if (rc != CS_OK) unlink(tmp);
    return rc;
}
