/*
 * cs_audit.h: the tamper-evident audit log.  Records what clinsum did to each
 * document (hashes, counts and settings) without ever recording the
 * document's text.
 *
 * The log is JSON Lines, one event per line, each event chained to the one
 * before it by SHA-256 and periodically sealed by an Ed25519-signed
 * checkpoint, and a signed seal file (LOG.seal) records the last checkpoint
 * (format: compliance/AUDIT_FORMAT.md; verification: cs_audit_verify.h).  Appends are crash-safe:
 * each event is one write() of one complete line on an O_APPEND descriptor
 * followed by fsync(); an interrupted write leaves at most a torn final line
 * without its newline, which the next cs_audit_open() cuts off and records as
 * a "recovered" event, so the chain continues.
 *
 * No free text can enter the log.  Event fields are typed: SHA-256 digests,
 * integers, and short identifier-like values (cs_audit_valid_enum: at most
 * CS_AUDIT_ENUM_MAX bytes of [A-Za-z0-9_.+-]; no spaces, no quotes), plus a
 * network origin (cs_audit_valid_origin).  Field keys are [a-z0-9_], at most
 * CS_AUDIT_KEY_MAX bytes.  Anything else is refused with CS_ERR_INVALID and
 * nothing is written.  Callers hash content (cs_audit_sha256) instead of
 * passing it.
 *
 * Ownership: cs_audit_open() returns a handle the caller releases with
 * cs_audit_close() (which writes a closing checkpoint).  Strings passed in
 * are copied or consumed before the call returns.
 *
 * Errors: functions return CS_OK or a negative cs_err (CS_ERR_INVALID for a
 * rejected field, CS_ERR_IO for file errors, CS_ERR_CRYPTO for key problems,
 * CS_ERR_TAMPERED when an existing log cannot be continued because its last
 * complete line is not a valid event).  A failed append writes nothing.
 *
 * Thread-safety: a handle is not thread-safe; use one per thread.  Several
 * processes may append to the same log file: each append takes an exclusive
 * flock() and re-reads the chain head if another writer moved it.
 */
#ifndef CS_AUDIT_H
#define CS_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#define CS_AUDIT_KEY_MAX 32     /* longest field key */
#define CS_AUDIT_ENUM_MAX 48    /* longest enum string value */
#define CS_AUDIT_ORIGIN_MAX 128 /* longest network origin */
#define CS_AUDIT_MAX_FIELDS 32  /* most fields in one event */
#define CS_AUDIT_LINE_MAX 4096  /* longest event line, newline included */
#define CS_AUDIT_DEFAULT_CHECKPOINT_EVERY 64

typedef struct cs_audit cs_audit;

/* Event types.  CHECKPOINT and RECOVERED are written by the library itself;
 * cs_audit_append() refuses them. */
typedef enum {
    CS_AUDIT_DOCUMENT_OPENED = 1, /* sha256, size, format */
    CS_AUDIT_PARSED,              /* sections (+ optional format) */
    CS_AUDIT_REDACTED,            /* policy, n_<category> counts, total */
    CS_AUDIT_MODEL_LOADED,        /* sha256, arch, quant */
    CS_AUDIT_SUMMARY_PRODUCED,    /* sha256, size, tokens, timings, flags */
    CS_AUDIT_EXPORTED,            /* what, sha256, size */
    CS_AUDIT_NETWORK,             /* origin, action (made | blocked) */
    CS_AUDIT_CHECKPOINT,          /* signed seal over the chain so far */
    CS_AUDIT_RECOVERED            /* a torn tail was cut on open */
} cs_audit_type;

/* "document_opened", "parsed", ...; NULL for an unknown value. */
const char *cs_audit_type_name(cs_audit_type t);

/* ------------------------------------------------------------ opening */

typedef struct {
    /* Local identifier of who ran clinsum ([A-Za-z0-9_.+-], at most
     * CS_AUDIT_ENUM_MAX bytes).  NULL: $CLINSUM_ACTOR if set, else "local". */
    const char *actor;
    /* Directory holding the signing key (audit-ed25519.key, mode 0600, and
     * audit-ed25519.pub).  NULL: $CLINSUM_KEY_DIR, else
     * $XDG_DATA_HOME/clinsum, else $HOME/.local/share/clinsum.  Created on
     * first use (cs_audit_key.h). */
    const char *key_dir;
    /* Write a signed checkpoint after every N events (and on close).
     * 0: CS_AUDIT_DEFAULT_CHECKPOINT_EVERY. */
    unsigned checkpoint_every;
    /* Skip fsync() (benchmarks and tests only: not crash-safe). */
    int no_fsync;
} cs_audit_options;

/*
 * Opens (creating if needed) the log at `path` for appending and loads or
 * creates the signing key.  An existing log's torn final line is cut and a
 * "recovered" event records how many bytes were dropped.  opt may be NULL.
 */
int cs_audit_open(const char *path, const cs_audit_options *opt, cs_audit **out);

/* Writes a closing checkpoint, updates the seal file and frees the handle.
 * Returns the checkpoint's result; the handle is freed either way.  NULL is
 * a no-op returning CS_OK. */
int cs_audit_close(cs_audit *a);

/* Frees the handle without a closing checkpoint (as a crash would). */
void cs_audit_abandon(cs_audit *a);

/* Sequence number of the last event written (0 for an empty log). */
uint64_t cs_audit_last_seq(const cs_audit *a);

/* The 32-byte Ed25519 public key the handle signs with. */
const uint8_t *cs_audit_public_key(const cs_audit *a);

/* ------------------------------------------------------------ fields */

typedef enum { CS_AUDIT_F_HASH = 1, CS_AUDIT_F_INT, CS_AUDIT_F_ENUM, CS_AUDIT_F_ORIGIN } cs_audit_field_kind;

/* One typed key/value.  Build with the constructors below; `s` must stay
 * valid until the append that uses it returns. */
typedef struct {
    const char *key;
    cs_audit_field_kind kind;
    uint8_t hash[32];   /* CS_AUDIT_F_HASH */
    int64_t i;          /* CS_AUDIT_F_INT */
    const char *s;      /* CS_AUDIT_F_ENUM, CS_AUDIT_F_ORIGIN */
} cs_audit_field;

cs_audit_field cs_audit_field_hash(const char *key, const uint8_t sha256[32]);
cs_audit_field cs_audit_field_int(const char *key, int64_t v);
/* A short identifier-like setting, e.g. "ccda", "Q4_K_M", "safe-harbor". */
cs_audit_field cs_audit_field_str_enum(const char *key, const char *v);
/* A network origin "scheme://host[:port]" (no path, no query). */
cs_audit_field cs_audit_field_origin(const char *key, const char *origin);

/* Validators the constructors' values are checked with at append time. */
int cs_audit_valid_key(const char *key);
int cs_audit_valid_enum(const char *s);
int cs_audit_valid_origin(const char *s);

/*
 * Appends one event of `type` with the n fields (validated first; on any
 * invalid field nothing is written and CS_ERR_INVALID is returned).  Keys
 * must be distinct.  May also write a checkpoint (every N events).
 */
int cs_audit_append(cs_audit *a, cs_audit_type type, const cs_audit_field *fields, size_t n);

/* ------------------------------------------------------------ events */
/* Typed wrappers for the pipeline's steps.  Each builds the fields listed
 * and calls cs_audit_append(). */

/* sha256 and size of the input bytes, detected format (cs_format_name). */
int cs_audit_document_opened(cs_audit *a, const void *bytes, size_t len, const char *format);
int cs_audit_parsed(cs_audit *a, size_t n_sections, const char *format);

typedef struct {
    const char *category; /* identifier category, e.g. "name", "date", "mrn" */
    int64_t count;
} cs_audit_count;
/* policy, one "n_<category>" per entry (category lowercased, non [a-z0-9]
 * mapped to '_') and "total". */
int cs_audit_redacted(cs_audit *a, const char *policy, const cs_audit_count *counts, size_t n);

int cs_audit_model_loaded(cs_audit *a, const uint8_t file_sha256[32], const char *arch, const char *quant);

typedef struct {
    const void *output;       /* the summary bytes: hashed, never stored */
    size_t output_len;
    int64_t prompt_tokens;
    int64_t output_tokens;
    int64_t prefill_ms;
    int64_t decode_ms;
    int64_t total_ms;
    int64_t faithfulness_flags; /* statements flagged as unsupported */
} cs_audit_summary_info;
int cs_audit_summary_produced(cs_audit *a, const cs_audit_summary_info *info);

/* what: e.g. "summary", "audit_bundle"; sha256 may be NULL. */
int cs_audit_exported(cs_audit *a, const char *what, const uint8_t sha256[32], int64_t bytes);

/* A network request the app made (blocked = 0) or refused (blocked = 1). */
int cs_audit_network(cs_audit *a, const char *origin, int blocked);

/* ------------------------------------------------------------ hashing */

void cs_audit_sha256(const void *data, size_t len, uint8_t out[32]);
/* Streams a file (e.g. a multi-GB model) through SHA-256. */
int cs_audit_sha256_file(const char *path, uint8_t out[32]);
/* 2*n lowercase hex characters + NUL into out (2*n + 1 bytes). */
void cs_audit_hex(const uint8_t *bytes, size_t n, char *out);

#endif
