/*
 * cs_codes.h: clinical code tables shared by the structured parsers
 * (internal to parsers/).  Static tables, thread-safe, nothing to free.
 */
#ifndef CS_CODES_H
#define CS_CODES_H

/* Document kind for a LOINC document type code ("34133-9" -> "CCD",
 * "18842-5" -> "discharge summary"), or NULL. */
const char *cs_kind_for_loinc(const char *code);

/* Document kind guessed from a title ("Discharge Summary"), or NULL. */
const char *cs_kind_for_title(const char *title);

/* LOINC section code for a C-CDA section templateId root (R1.1 and R2.1,
 * with or without the ".1" entries-required suffix, and the IHE ones), or
 * NULL. */
const char *cs_loinc_for_template(const char *oid);

/* "LOINC" for the LOINC OID / URI, else the system as given. */
const char *cs_code_system_name(const char *system);

#endif
