/* parse_html.c: placeholder until the html parser lands (issue #2); refuses
 * every input with CS_ERR_UNSUPPORTED so nothing half-parsed is returned. */
#include "cs_parse.h"
#include "cs_err.h"

int cs_parse_html(const uint8_t *data, size_t n, cs_document **out)
{
    (void)data;
    (void)n;
    *out = NULL;
    return CS_ERR_UNSUPPORTED;
}
