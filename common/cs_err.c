/* cs_err.c: messages for the shared result codes. */
#include "cs_err.h"

const char *cs_strerror(int err)
{
    switch ((cs_err)err) {
    case CS_OK: return "success";
    case CS_ERR_NOMEM: return "out of memory";
    case CS_ERR_IO: return "input/output error";
    case CS_ERR_TOO_LARGE: return "input exceeds the size limit";
    case CS_ERR_EMPTY: return "input is empty";
    case CS_ERR_ENCODING: return "text encoding is invalid or unsupported";
    case CS_ERR_BINARY: return "input is binary data, not a clinical document";
    case CS_ERR_XML: return "malformed or truncated XML";
    case CS_ERR_JSON: return "malformed JSON";
    case CS_ERR_NOT_FHIR: return "JSON is not a FHIR document Bundle or DocumentReference";
    case CS_ERR_NOT_CCDA: return "XML is not an HL7 ClinicalDocument";
    case CS_ERR_UNSUPPORTED: return "unsupported document variant";
    case CS_ERR_INVALID: return "invalid argument or structure";
    case CS_ERR_FORMAT: return "corrupt or unsupported file format";
    case CS_ERR_LIMIT: return "processing limit reached";
    case CS_ERR_CANCELLED: return "cancelled";
    case CS_ERR_NOT_FOUND: return "not found";
    case CS_ERR_CRYPTO: return "cryptographic operation failed";
    case CS_ERR_TAMPERED: return "integrity check failed";
    }
    return "unknown error";
}
