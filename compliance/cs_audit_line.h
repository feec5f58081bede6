/*
 * cs_audit_line.h: reading one audit-log line (internal to compliance/).
 *
 * Shared by the writer (which resumes a chain from the last line) and the
 * verifier.  A line is the event's JSON object; its hash is SHA-256 over the
 * line's bytes up to (not including) the final `,"hash":"`, and the line must
 * end with exactly `,"hash":"<64 hex>"}` or, for a checkpoint,
 * `,"hash":"<64 hex>","sig":"<128 hex>"}` so no unhashed content can ride
 * along.  See AUDIT_FORMAT.md.
 *
 * Thread-safe (no shared state).
 */
#ifndef CS_AUDIT_LINE_H
#define CS_AUDIT_LINE_H

#include "cs_audit.h"

#include <stddef.h>
#include <stdint.h>

#define CS_AUDIT_FORMAT_VERSION 1
#define CS_AUDIT_CHECKPOINT_DOMAIN "clinsum-audit-checkpoint-v1:"
#define CS_AUDIT_SEAL_DOMAIN "clinsum-audit-seal-v1:"

typedef struct {
    uint64_t seq;
    cs_audit_type type;
    uint8_t prev[32];
    uint8_t hash[32];    /* as written in the line */
    uint8_t actual[32];  /* SHA-256 of the line's hashed prefix */
    int has_sig;
    uint8_t sig[64];     /* checkpoint only */
    int has_key;
    uint8_t key[32];     /* checkpoint: fields.key */
    uint64_t from;       /* checkpoint: fields.from */
    int network;         /* network event: 1 made, 2 blocked; else 0 */
} cs_audit_line;

/*
 * Parses one line (len excludes the newline).  Returns CS_OK or
 * CS_ERR_INVALID with *why (if non-NULL) pointing to a static reason that
 * never quotes the line.  A CS_OK line may still have hash != actual.
 */
int cs_audit_line_parse(const char *line, size_t len, cs_audit_line *out, const char **why);

/* The message a checkpoint's signature covers: domain + hex of its hash.
 * out must hold 128 bytes; returns the length. */
size_t cs_audit_checkpoint_message(const uint8_t hash[32], char *out);
/* The message a seal's signature covers: domain + seq + ":" + hex hash. */
size_t cs_audit_seal_message(uint64_t seq, const uint8_t hash[32], char *out);

/* The seal file beside a log: {"v":1,"seq":S,"hash":"H","key":"K","sig":"G"}
 * with G = Ed25519 over cs_audit_seal_message(S, H).  Records the last
 * checkpoint so a verifier can tell when the log was cut after it. */
typedef struct {
    uint64_t seq;
    uint8_t hash[32];
    uint8_t key[32];
    uint8_t sig[64];
} cs_audit_seal;
int cs_audit_seal_parse(const char *text, size_t len, cs_audit_seal *out);
/* Formats a seal line (newline-terminated) into out (>= 512 bytes). */
size_t cs_audit_seal_format(const cs_audit_seal *s, char *out);

/* Formats a UTC time as "YYYY-MM-DDTHH:MM:SS.mmmZ" (out: >= 32 bytes).
 * Done by hand: emscripten 3.1.6's gmtime_r() aborts (its tzset needs an
 * exported malloc). */
void cs_audit_format_utc(int64_t secs, int ms, char *out);

/* Decodes exactly 2*n hex characters; returns 0 on success, -1 otherwise. */
int cs_audit_unhex(const char *hex, size_t hexlen, uint8_t *out, size_t n);

#endif
