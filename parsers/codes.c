/*
 * codes.c: LOINC document types, C-CDA section templates and code systems.
 *
 * Section templates are matched on the root OID; R2.1 adds ".1" suffixes
 * ("entries required") to many R1.1 roots, so both spellings are listed.
 */
#include "cs_codes.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

static const struct { const char *code, *kind; } doc_kinds[] = {
    {"34133-9", "CCD"},                    /* Summarization of episode note */
    {"18842-5", "discharge summary"},
    {"11490-0", "discharge summary"},
    {"28655-9", "discharge summary"},
    {"11506-3", "progress note"},
    {"11488-4", "consultation note"},
    {"34117-2", "history and physical"},
    {"11504-8", "operative note"},
    {"28570-0", "procedure note"},
    {"57133-1", "referral note"},
    {"57113-1", "referral note"},
    {"18761-7", "transfer summary"},
    {"18748-4", "diagnostic imaging report"},
    {"52521-2", "care plan"},
    {"18776-5", "care plan"},
    {"81334-5", "advance care plan"},
    {"34111-5", "emergency department note"},
    {"11502-2", "laboratory report"},
    {"60591-5", "patient summary"},        /* FHIR IPS */
    {"34746-8", "nurse note"},
    {"34109-9", "clinical note"},
    {"51845-6", "outpatient consult note"},
    {"68608-9", "summary note"},
    {"11369-6", "immunization summary"},
};

const char *cs_kind_for_loinc(const char *code)
{
    if (!code) return NULL;
    for (size_t i = 0; i < sizeof doc_kinds / sizeof *doc_kinds; i++)
        if (strcmp(doc_kinds[i].code, code) == 0) return doc_kinds[i].kind;
    return NULL;
}

static const char *strcasestr_n(const char *h, const char *needle)
{
    size_t m = strlen(needle);
    for (; *h; h++)
        if (strncasecmp(h, needle, m) == 0) return h;
    return NULL;
}

const char *cs_kind_for_title(const char *title)
{
    static const struct { const char *needle, *kind; } kinds[] = {
        {"continuity of care", "CCD"}, {"discharge", "discharge summary"},
        {"progress", "progress note"}, {"consult", "consultation note"},
        {"history and physical", "history and physical"}, {"h&p", "history and physical"},
        {"operative", "operative note"}, {"procedure", "procedure note"},
        {"referral", "referral note"}, {"transfer", "transfer summary"},
        {"imaging", "diagnostic imaging report"}, {"radiology", "diagnostic imaging report"},
        {"care plan", "care plan"}, {"patient summary", "patient summary"},
        {"emergency", "emergency department note"}, {"summary of care", "summary of care"},
    };
    if (!title) return NULL;
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (strcasestr_n(title, kinds[i].needle)) return kinds[i].kind;
    return NULL;
}

static const struct { const char *oid, *loinc; } templates[] = {
    {"2.16.840.1.113883.10.20.22.2.1", "10160-0"},   /* medications */
    {"2.16.840.1.113883.10.20.22.2.2", "11369-6"},   /* immunizations */
    {"2.16.840.1.113883.10.20.22.2.3", "30954-2"},   /* results */
    {"2.16.840.1.113883.10.20.22.2.4", "8716-3"},    /* vital signs */
    {"2.16.840.1.113883.10.20.22.2.5", "11450-4"},   /* problems */
    {"2.16.840.1.113883.10.20.22.2.6", "48765-2"},   /* allergies */
    {"2.16.840.1.113883.10.20.22.2.7", "47519-4"},   /* procedures */
    {"2.16.840.1.113883.10.20.22.2.8", "51848-0"},   /* assessment */
    {"2.16.840.1.113883.10.20.22.2.9", "51847-2"},   /* assessment and plan */
    {"2.16.840.1.113883.10.20.22.2.10", "18776-5"},  /* plan of treatment */
    {"2.16.840.1.113883.10.20.22.2.11", "10183-2"},  /* discharge medications */
    {"2.16.840.1.113883.10.20.22.2.12", "29299-5"},  /* reason for visit */
    {"2.16.840.1.113883.10.20.22.2.13", "46239-0"},  /* chief complaint and reason */
    {"2.16.840.1.113883.10.20.22.2.14", "47420-5"},  /* functional status */
    {"2.16.840.1.113883.10.20.22.2.15", "10157-6"},  /* family history */
    {"2.16.840.1.113883.10.20.22.2.16", "10184-0"},  /* hospital discharge physical */
    {"2.16.840.1.113883.10.20.22.2.17", "29762-2"},  /* social history */
    {"2.16.840.1.113883.10.20.22.2.18", "48768-6"},  /* payers */
    {"2.16.840.1.113883.10.20.22.2.20", "11348-0"},  /* past medical history */
    {"2.16.840.1.113883.10.20.22.2.21", "42348-3"},  /* advance directives */
    {"2.16.840.1.113883.10.20.22.2.22", "46240-8"},  /* encounters */
    {"2.16.840.1.113883.10.20.22.2.23", "46264-8"},  /* medical equipment */
    {"2.16.840.1.113883.10.20.22.2.24", "11535-2"},  /* discharge diagnosis */
    {"2.16.840.1.113883.10.20.22.2.25", "59774-0"},  /* anesthesia */
    {"2.16.840.1.113883.10.20.22.2.27", "29554-3"},  /* procedure description */
    {"2.16.840.1.113883.10.20.22.2.34", "10219-4"},  /* preoperative diagnosis */
    {"2.16.840.1.113883.10.20.22.2.35", "10218-6"},  /* postoperative diagnosis */
    {"2.16.840.1.113883.10.20.22.2.36", "59769-0"},  /* postprocedure diagnosis */
    {"2.16.840.1.113883.10.20.22.2.38", "29549-3"},  /* medications administered */
    {"2.16.840.1.113883.10.20.22.2.39", "11329-0"},  /* medical (general) history */
    {"2.16.840.1.113883.10.20.22.2.40", "59776-5"},  /* procedure findings */
    {"2.16.840.1.113883.10.20.22.2.41", "8653-8"},   /* discharge instructions */
    {"2.16.840.1.113883.10.20.22.2.42", "18841-7"},  /* hospital consultations */
    {"2.16.840.1.113883.10.20.22.2.43", "46241-6"},  /* admission diagnosis */
    {"2.16.840.1.113883.10.20.22.2.44", "42346-7"},  /* admission medications */
    {"2.16.840.1.113883.10.20.22.2.45", "69730-0"},  /* instructions */
    {"2.16.840.1.113883.10.20.22.2.56", "10190-7"},  /* mental status */
    {"2.16.840.1.113883.10.20.22.2.57", "61144-2"},  /* nutrition */
    {"2.16.840.1.113883.10.20.22.2.58", "75310-3"},  /* health concerns */
    {"2.16.840.1.113883.10.20.22.2.60", "61146-7"},  /* goals */
    {"2.16.840.1.113883.10.20.22.2.61", "85847-2"},  /* care team (R2.1 companion) */
    {"2.16.840.1.113883.10.20.2.10", "29545-1"},     /* physical exam */
    {"2.16.840.1.113883.10.20.21.2.3", "8648-8"},    /* hospital course (older) */
    {"1.3.6.1.4.1.19376.1.5.3.1.3.4", "10164-2"},    /* history of present illness */
    {"1.3.6.1.4.1.19376.1.5.3.1.3.1", "42349-1"},    /* reason for referral */
    {"1.3.6.1.4.1.19376.1.5.3.1.3.5", "8648-8"},     /* hospital course */
    {"1.3.6.1.4.1.19376.1.5.3.1.3.18", "10187-3"},   /* review of systems */
    {"1.3.6.1.4.1.19376.1.5.3.1.1.13.2.1", "10154-3"}, /* chief complaint */
    {"1.3.6.1.4.1.19376.1.5.3.1.3.1.2", "11535-2"},  /* discharge diagnosis (IHE) */
};

const char *cs_loinc_for_template(const char *oid)
{
    if (!oid) return NULL;
    size_t n = strlen(oid);
    for (size_t i = 0; i < sizeof templates / sizeof *templates; i++) {
        size_t m = strlen(templates[i].oid);
        if (n >= m && strncmp(oid, templates[i].oid, m) == 0 &&
            (n == m || strcmp(oid + m, ".1") == 0))
            return templates[i].loinc;
    }
    return NULL;
}

const char *cs_code_system_name(const char *system)
{
    if (!system) return NULL;
    if (strcmp(system, "2.16.840.1.113883.6.1") == 0 || strcmp(system, "http://loinc.org") == 0 ||
        strcmp(system, "urn:oid:2.16.840.1.113883.6.1") == 0)
        return "LOINC";
    return system;
}
