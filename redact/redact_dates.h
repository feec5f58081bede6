/* redact_dates.h (internal): written dates - fields, shifting, rewriting. */
#ifndef REDACT_DATES_H
#define REDACT_DATES_H

#include "cs_buf.h"

#include <stddef.h>

typedef struct {
    size_t num_pos[3], num_len[3];
    long num_val[3];
    int month;              /* month word's month, 0 if none */
    size_t month_pos, month_len;
    int y, m, d;            /* -1 when absent; y with century */
    int yi, mi, di;         /* which number holds the year / month / day */
    int compact;            /* yyyymmdd */
} cs_date_fields_t;

/* Returns 1 when s looks like a date with at least a month or a day. */
int cs_date_fields(const char *s, size_t n, cs_date_fields_t *f);
/* Append the date moved by `shift` days, written like the original.
 * Returns 1 on success, 0 when s is not a date. */
int cs_date_shift_write(const char *s, size_t n, int shift, cs_buf *out);

#endif
