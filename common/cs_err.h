/*
 * cs_err.h: the result codes every clinsum module returns.
 *
 * Functions return CS_OK (0) on success and a negative cs_err otherwise.
 * cs_strerror() turns a code into a short English reason that never contains
 * document text, so callers may print it next to a file name without leaking
 * patient data.  Thread-safe; the returned strings are static.
 */
#ifndef CS_ERR_H
#define CS_ERR_H

typedef enum {
    CS_OK = 0,
    CS_ERR_NOMEM = -1,        /* allocation failed */
    CS_ERR_IO = -2,           /* could not open, read or write a file */
    CS_ERR_TOO_LARGE = -3,    /* input larger than the configured cap */
    CS_ERR_EMPTY = -4,        /* input has no content */
    CS_ERR_ENCODING = -5,     /* text is not valid in any supported encoding */
    CS_ERR_BINARY = -6,       /* input looks like binary data, not a document */
    CS_ERR_XML = -7,          /* malformed or truncated XML */
    CS_ERR_JSON = -8,         /* malformed JSON */
    CS_ERR_NOT_FHIR = -9,     /* JSON, but not a FHIR resource we read */
    CS_ERR_NOT_CCDA = -10,    /* XML, but not an HL7 ClinicalDocument */
    CS_ERR_UNSUPPORTED = -11, /* recognised but unsupported variant */
    CS_ERR_INVALID = -12,     /* invalid argument or malformed structure */
    CS_ERR_FORMAT = -13,      /* corrupt binary format (e.g. GGUF) */
    CS_ERR_LIMIT = -14,       /* a resource or match limit was hit */
    CS_ERR_CANCELLED = -15,   /* the caller asked to stop */
    CS_ERR_NOT_FOUND = -16,   /* a requested item does not exist */
    CS_ERR_CRYPTO = -17,      /* signature or hash failure */
    CS_ERR_TAMPERED = -18     /* integrity check failed */
} cs_err;

/* Short reason for a result code; never NULL, never document text. */
const char *cs_strerror(int err);

#endif
