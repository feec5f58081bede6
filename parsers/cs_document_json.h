/*
 * cs_document_json.h: the document model as JSON (the `clinsum parse --json`
 * contract): {"format", "kind", "encoding", "title", "date", "sections":
 * [{"title","code","code_system","text","start","end","depth"}], "identity":
 * {"names","identifiers","birth_dates","addresses","telecoms"}}.
 *
 * Returns a malloc'd NUL-terminated string the caller frees, or NULL on
 * allocation failure.  The output contains patient text: it is for the user
 * who asked for it, never for logs.
 */
#ifndef CS_DOCUMENT_JSON_H
#define CS_DOCUMENT_JSON_H

#include "cs_document.h"

char *cs_document_to_json(const cs_document *doc, int pretty);

#endif
