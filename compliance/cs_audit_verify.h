/*
 * cs_audit_verify.h: checking an audit log's chain, signatures and seal, and
 * saying exactly where it was changed.
 *
 * Verification reads the log in order and stops at the first problem:
 *   modified     an event's bytes no longer match its hash, or an event's
 *                hash was recomputed so the next event's link breaks;
 *   inserted     an event that the chain skips over (the next event links to
 *                the one before it) or that repeats a sequence number;
 *   deleted      sequence numbers jump and the missing ones appear nowhere;
 *   reordered    an expected sequence number appears later in the file;
 *   bad_signature a checkpoint's Ed25519 signature fails (everything after the
 *                previous good checkpoint was rewritten);
 *   key_substituted a checkpoint or the seal is signed by a key other than the
 *                trusted one (--key), or the key changes inside the log;
 *   truncated    the seal records a checkpoint the log no longer reaches;
 *   seal_missing the log has checkpoints but its seal file is gone.
 * A torn final line (an interrupted write: no newline) is not a problem; it
 * is reported in torn_bytes and ignored, as the writer would cut it.  Events
 * after the last checkpoint are chained but not yet signed (unsigned_tail).
 *
 * Without a trusted key, signatures are checked against the key the log
 * itself names: that proves consistency, not origin.  Pass the key you hold.
 *
 * Ownership: the report is caller-owned plain data; cs_audit_report_json()
 * returns a malloc'd string the caller frees.  Reports contain sequence
 * numbers, counts, hashes and key fingerprints only.  Thread-safe.
 */
#ifndef CS_AUDIT_VERIFY_H
#define CS_AUDIT_VERIFY_H

#include <stddef.h>
#include <stdint.h>

typedef enum {
    CS_AUDIT_INTACT = 0,
    CS_AUDIT_MODIFIED,
    CS_AUDIT_INSERTED,
    CS_AUDIT_DELETED,
    CS_AUDIT_REORDERED,
    CS_AUDIT_BAD_SIGNATURE,
    CS_AUDIT_KEY_SUBSTITUTED,
    CS_AUDIT_TRUNCATED,
    CS_AUDIT_SEAL_MISSING
} cs_audit_problem;

/* "intact", "modified", ... */
const char *cs_audit_problem_name(cs_audit_problem p);

typedef struct {
    cs_audit_problem problem; /* the first problem found */
    uint64_t bad_seq;         /* sequence number of the first bad event (0 if intact) */
    uint64_t bad_line;        /* 1-based line where it was found (0 if none) */
    char detail[256];         /* one sentence naming the place */
    uint64_t n_events;        /* complete lines read */
    uint64_t last_seq;
    uint64_t n_checkpoints;
    uint64_t last_checkpoint_seq;
    uint64_t unsigned_tail;   /* events after the last checkpoint */
    size_t torn_bytes;        /* incomplete final line, ignored */
    uint64_t n_network_made;
    uint64_t n_network_blocked;
    uint64_t n_by_type[10];   /* indexed by cs_audit_type */
    int key_known;            /* key[] is set */
    uint8_t key[32];          /* the key the checkpoints are signed with */
    int key_trusted;          /* checked against a caller-supplied key */
    int seal_present;
    uint64_t seal_seq;
} cs_audit_report;

/*
 * Verifies log bytes.  seal may be NULL (no seal file); trusted_pk may be
 * NULL.  Returns CS_OK when intact, CS_ERR_TAMPERED when a problem was found
 * (details in *r), CS_ERR_NOMEM / CS_ERR_CRYPTO on failure.
 */
int cs_audit_verify(const char *log, size_t len, const char *seal, size_t seal_len, const uint8_t *trusted_pk,
                    cs_audit_report *r);

/* Reads LOG and LOG.seal (absent seal allowed) and, if pubkey_path is
 * non-NULL, the trusted key; then cs_audit_verify().  CS_ERR_IO if the log
 * cannot be read. */
int cs_audit_verify_file(const char *path, const char *pubkey_path, cs_audit_report *r);

/* The report as one JSON object (malloc'd, caller frees; NULL on OOM). */
char *cs_audit_report_json(const cs_audit_report *r);

#endif
