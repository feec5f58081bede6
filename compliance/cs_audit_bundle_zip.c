/*
 * cs_audit_bundle_zip.c: the audit bundle as one ZIP file (cs_zip.h), so the
 * browser's Export button and `clinsum audit export --zip` hand the
 * compliance officer a single file with the same contents as --out DIR.
 */
#include "cs_audit_export.h"
#include "cs_err.h"
#include "cs_zip.h"

int cs_audit_bundle_zip(const cs_audit_bundle *b, int64_t mtime_unix, uint8_t **out, size_t *out_len)
{
    cs_zip_entry e[CS_AUDIT_BUNDLE_MAX_FILES];
    for (size_t i = 0; i < b->n; i++) e[i] = (cs_zip_entry){b->files[i].name, b->files[i].data, b->files[i].len};
    return cs_zip_store(e, b->n, mtime_unix, out, out_len);
}
