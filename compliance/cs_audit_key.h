/*
 * cs_audit_key.h: the local Ed25519 key that signs audit checkpoints.
 *
 * The key is created on first use in a key directory (default:
 * $CLINSUM_KEY_DIR, else $XDG_DATA_HOME/clinsum, else
 * $HOME/.local/share/clinsum): CS_AUDIT_KEY_FILE holds the 64-byte libsodium
 * secret key (mode 0600; a key readable by group or others is refused) and
 * CS_AUDIT_PUB_FILE the public key as 64 hex characters and a newline.  Two
 * processes creating the key at once end up sharing one.
 *
 * Errors: CS_ERR_IO (cannot create or read), CS_ERR_CRYPTO (corrupt key,
 * unsafe permissions, libsodium failure), CS_ERR_LIMIT (path too long).
 * Thread-safe apart from the environment lookup.
 */
#ifndef CS_AUDIT_KEY_H
#define CS_AUDIT_KEY_H

#include <stddef.h>
#include <stdint.h>

#define CS_AUDIT_KEY_FILE "audit-ed25519.key"
#define CS_AUDIT_PUB_FILE "audit-ed25519.pub"

/* Resolves the key directory: `dir` if non-NULL, else the default above. */
int cs_audit_key_dir(const char *dir, char *out, size_t cap);

/* Loads the key pair from `dir` (resolved as above), creating it if absent. */
int cs_audit_key_load_or_create(const char *dir, uint8_t pk[32], uint8_t sk[64]);

/* Reads a public key file: 64 hex characters (surrounding whitespace
 * allowed) or the raw 32 bytes. */
int cs_audit_pubkey_read(const char *path, uint8_t pk[32]);

/* Short fingerprint for reports: the first 16 hex digits of SHA-256(pk). */
void cs_audit_key_id(const uint8_t pk[32], char out[17]);

/* Library initialisation (sodium_init); safe to call repeatedly. */
int cs_audit_crypto_init(void);

#endif
