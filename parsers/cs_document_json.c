/* cs_document_json.c: serialise a cs_document with cJSON. */
#include "cs_document_json.h"

#include <cjson/cJSON.h>

static cJSON *str_or_null(const char *s)
{
    return s ? cJSON_CreateString(s) : cJSON_CreateNull();
}

static cJSON *list_json(const cs_strlist *l)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; a && i < l->n; i++)
        cJSON_AddItemToArray(a, cJSON_CreateString(l->items[i]));
    return a;
}

char *cs_document_to_json(const cs_document *d, int pretty)
{
    cJSON *o = cJSON_CreateObject();
    if (!o) return NULL;
    cJSON_AddStringToObject(o, "format", cs_format_name(d->format));
    cJSON_AddItemToObject(o, "kind", str_or_null(d->kind));
    cJSON_AddStringToObject(o, "encoding", d->encoding ? d->encoding : "utf-8");
    cJSON_AddItemToObject(o, "title", str_or_null(d->title));
    cJSON_AddItemToObject(o, "date", str_or_null(d->date));
    cJSON_AddItemToObject(o, "author", str_or_null(d->author));
    cJSON_AddItemToObject(o, "facility", str_or_null(d->facility));
    cJSON *secs = cJSON_AddArrayToObject(o, "sections");
    for (size_t i = 0; secs && i < d->n_sections; i++) {
        const cs_section *s = &d->sections[i];
        cJSON *so = cJSON_CreateObject();
        if (!so) break;
        cJSON_AddStringToObject(so, "title", s->title);
        cJSON_AddItemToObject(so, "code", str_or_null(s->code));
        cJSON_AddItemToObject(so, "code_system", str_or_null(s->code_system));
        cJSON_AddStringToObject(so, "text", s->text);
        cJSON_AddNumberToObject(so, "start", (double)s->start);
        cJSON_AddNumberToObject(so, "end", (double)s->end);
        cJSON_AddNumberToObject(so, "depth", s->depth);
        cJSON_AddItemToArray(secs, so);
    }
    cJSON *id = cJSON_AddObjectToObject(o, "identity");
    if (id) {
        cJSON_AddItemToObject(id, "names", list_json(&d->identity.names));
        cJSON_AddItemToObject(id, "identifiers", list_json(&d->identity.identifiers));
        cJSON_AddItemToObject(id, "birth_dates", list_json(&d->identity.birth_dates));
        cJSON_AddItemToObject(id, "addresses", list_json(&d->identity.addresses));
        cJSON_AddItemToObject(id, "telecoms", list_json(&d->identity.telecoms));
    }
    char *s = pretty ? cJSON_Print(o) : cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return s;
}
