/* cs_audit_key.c: creating, loading and reading the audit signing key. */
#include "cs_audit_key.h"

#include "cs_audit.h"
#include "cs_audit_fs.h"
#include "cs_err.h"
#include "cs_audit_line.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int cs_audit_crypto_init(void)
{
    return sodium_init() < 0 ? CS_ERR_CRYPTO : CS_OK;
}

int cs_audit_key_dir(const char *dir, char *out, size_t cap)
{
    int n;
    const char *env;
    if (dir && *dir) n = snprintf(out, cap, "%s", dir);
    else if ((env = getenv("CLINSUM_KEY_DIR")) && *env) n = snprintf(out, cap, "%s", env);
    else if ((env = getenv("XDG_DATA_HOME")) && *env) n = snprintf(out, cap, "%s/clinsum", env);
    else if ((env = getenv("HOME")) && *env) n = snprintf(out, cap, "%s/.local/share/clinsum", env);
    else return CS_ERR_NOT_FOUND;
    return n < 0 || (size_t)n >= cap ? CS_ERR_LIMIT : CS_OK;
}

static int write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return CS_ERR_IO;
        c += w;
        n -= (size_t)w;
    }
    return CS_OK;
}

static int read_secret(const char *path, uint8_t sk[64])
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno == ENOENT ? CS_ERR_NOT_FOUND : CS_ERR_IO;
    struct stat st;
    int rc = CS_OK;
    if (fstat(fd, &st) != 0) rc = CS_ERR_IO;
    else if (!S_ISREG(st.st_mode) || st.st_size != 64) rc = CS_ERR_CRYPTO;
#ifndef __EMSCRIPTEN__
    else if (st.st_mode & 077) rc = CS_ERR_CRYPTO; /* like ssh: refuse a readable key */
#endif
    else if (read(fd, sk, 64) != 64) rc = CS_ERR_IO;
    close(fd);
    return rc;
}

static int write_public(const char *path, const uint8_t pk[32])
{
    char hex[66];
    cs_audit_hex(pk, 32, hex);
    hex[64] = '\n';
    return cs_audit_write_atomic(path, hex, 65, 0644, 0);
}

/* Writes a new secret key to a private temporary file, then links it into
 * place: link() fails if another process got there first, and nobody ever
 * sees a half-written key. */
static int create_secret(const char *path, uint8_t pk[32], uint8_t sk[64])
{
    char tmp[4200];
    int n = snprintf(tmp, sizeof tmp, "%s.new.%ld", path, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof tmp) return CS_ERR_LIMIT;
    if (crypto_sign_keypair(pk, sk) != 0) return CS_ERR_CRYPTO;
    unlink(tmp);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return CS_ERR_IO;
    int rc = fchmod(fd, 0600) == 0 ? write_all(fd, sk, 64) : CS_ERR_IO;
    if (rc == CS_OK && fsync(fd) != 0) rc = CS_ERR_IO;
    close(fd);
#ifdef __EMSCRIPTEN__
    if (rc == CS_OK && rename(tmp, path) != 0) rc = CS_ERR_IO;
#else
    if (rc == CS_OK && link(tmp, path) != 0) rc = errno == EEXIST ? CS_ERR_NOT_FOUND /* lost the race */ : CS_ERR_IO;
#endif
    unlink(tmp);
    return rc;
}

int cs_audit_key_load_or_create(const char *dir, uint8_t pk[32], uint8_t sk[64])
{
    char d[4096], sec[4200], pub[4200];
    int rc = cs_audit_crypto_init();
    if (rc == CS_OK) rc = cs_audit_key_dir(dir, d, sizeof d);
    if (rc == CS_OK) rc = cs_audit_mkdirs(d, 0700);
    if (rc != CS_OK) return rc;
    snprintf(sec, sizeof sec, "%s/%s", d, CS_AUDIT_KEY_FILE);
    snprintf(pub, sizeof pub, "%s/%s", d, CS_AUDIT_PUB_FILE);
    rc = read_secret(sec, sk);
    if (rc == CS_ERR_NOT_FOUND) {
        rc = create_secret(sec, pk, sk);
        if (rc == CS_ERR_NOT_FOUND) rc = read_secret(sec, sk); /* another process created it */
    }
    if (rc != CS_OK) { sodium_memzero(sk, 64); return rc; }
    if (crypto_sign_ed25519_sk_to_pk(pk, sk) != 0) return CS_ERR_CRYPTO;
    uint8_t have[32];
    if (cs_audit_pubkey_read(pub, have) != CS_OK || memcmp(have, pk, 32) != 0)
        rc = write_public(pub, pk);
    return rc;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

int cs_audit_pubkey_read(const char *path, uint8_t pk[32])
{
    char buf[256];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno == ENOENT ? CS_ERR_NOT_FOUND : CS_ERR_IO;
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    if (n < 0) return CS_ERR_IO;
    if (n == 32) { memcpy(pk, buf, 32); return CS_OK; }
    size_t a = 0, b = (size_t)n;
    while (a < b && is_space(buf[a])) a++;
    while (b > a && is_space(buf[b - 1])) b--;
    return cs_audit_unhex(buf + a, b - a, pk, 32) == 0 ? CS_OK : CS_ERR_CRYPTO;
}

void cs_audit_key_id(const uint8_t pk[32], char out[17])
{
    uint8_t h[32];
    crypto_hash_sha256(h, pk, 32);
    cs_audit_hex(h, 8, out);
}
