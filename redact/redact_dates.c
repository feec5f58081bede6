/*
 * redact_dates.c: reading a written date into its fields and writing a
 * shifted date back in the same form ("March 4th, 2021" -> "April 9th,
 * 2021", "03/04/21" -> "04/09/21").  Used by surrogate mode and to expand
 * header birth dates into every written form.
 */
#include "redact_internal.h"
#include "redact_dates.h"

#include "cs_buf.h"
#include "cs_err.h"

#include <stdio.h>
#include <string.h>

static const char *const mnames[] = {"january", "february", "march", "april", "may", "june", "july",
                                     "august", "september", "october", "november", "december"};

static int month_of(const char *s, size_t n)
{
    if (n < 3 || n > 9) return 0;
    for (int m = 0; m < 12; m++) {
        size_t full = strlen(mnames[m]);
        if (n > full) continue;
        int ok = 1;
        for (size_t i = 0; i < n && ok; i++) ok = ((s[i] | 32) == mnames[m][i]);
        if (ok && (n == 3 || n == full || (m == 8 && n == 4))) return m + 1;
    }
    return 0;
}

static int is_d(char c) { return c >= '0' && c <= '9'; }
static int is_a(char c) { return (c | 32) >= 'a' && (c | 32) <= 'z'; }

int cs_date_fields(const char *s, size_t n, cs_date_fields_t *f)
{
    memset(f, 0, sizeof *f);
    int nums = 0;
    for (size_t i = 0; i < n;) {
        if (is_d(s[i])) {
            size_t j = i;
            long v = 0;
            while (j < n && is_d(s[j]) && j - i < 9) v = v * 10 + (s[j] - '0'), j++;
            if (nums < 3) {
                f->num_pos[nums] = i;
                f->num_len[nums] = j - i;
                f->num_val[nums] = v;
                nums++;
            }
            i = j;
        } else if (is_a(s[i])) {
            size_t j = i;
            while (j < n && is_a(s[j])) j++;
            int m = month_of(s + i, j - i);
            if (m && !f->month_len) { f->month = m; f->month_pos = i; f->month_len = j - i; }
            i = j;
        } else i++;
    }
    f->y = f->m = f->d = -1;
    f->yi = f->mi = f->di = -1;
    if (nums == 1 && f->num_len[0] == 8) { /* yyyymmdd */
        long v = f->num_val[0];
        f->y = (int)(v / 10000), f->m = (int)(v / 100 % 100), f->d = (int)(v % 100);
        f->compact = 1;
    } else if (f->month) {
        f->m = f->month;
        for (int k = 0; k < nums; k++) {
            if (f->num_len[k] == 4 || (f->num_len[k] == 2 && f->num_pos[k] > 0 && s[f->num_pos[k] - 1] == '\'') ||
                (f->di >= 0 && f->num_len[k] == 2)) f->yi = k;
            else if (f->di < 0 && f->num_val[k] >= 1 && f->num_val[k] <= 31) f->di = k;
        }
    } else if (nums >= 2) {
        if (f->num_len[0] == 4) f->yi = 0, f->mi = 1, f->di = 2;
        else if (f->num_val[0] > 12) f->di = 0, f->mi = 1, f->yi = nums > 2 ? 2 : -1;
        else {
            f->mi = 0;
            if (nums == 2 && f->num_val[1] > 31) f->yi = 1; /* m/yy */
            else f->di = 1, f->yi = nums > 2 ? 2 : -1;
        }
        if (f->di >= nums) f->di = -1;
        if (f->mi >= 0) f->m = (int)f->num_val[f->mi];
    } else if (nums == 1 && f->num_len[0] <= 2) {
        f->di = 0; /* "the 4th" */
    }
    if (!f->compact) {
        if (f->di >= 0) f->d = (int)f->num_val[f->di];
        if (f->yi >= 0) {
            f->y = (int)f->num_val[f->yi];
            if (f->num_len[f->yi] == 2) f->y += f->y > 30 ? 1900 : 2000;
        }
    }
    if (f->m != -1 && (f->m < 1 || f->m > 12)) return 0;
    if (f->d != -1 && (f->d < 1 || f->d > 31)) return 0;
    return f->m != -1 || f->d != -1;
}

int cs_date_parse(const char *s, size_t n, int *y, int *m, int *d)
{
    cs_date_fields_t f;
    if (!cs_date_fields(s, n, &f) || f.m < 0 || f.d < 0) return 0;
    *y = f.y > 0 ? f.y : 0;
    *m = f.m;
    *d = f.d;
    return 1;
}

/* Days since 1970-01-01 of a civil date, and back (H. Hinnant's method). */
static long days_from_civil(long y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, long *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static const char *suffix(int d)
{
    if (d % 100 >= 11 && d % 100 <= 13) return "th";
    return d % 10 == 1 ? "st" : d % 10 == 2 ? "nd" : d % 10 == 3 ? "rd" : "th";
}

int cs_date_shift_write(const char *s, size_t n, int shift, cs_buf *out)
{
    cs_date_fields_t f;
    if (!cs_date_fields(s, n, &f)) return 0;
    long y = f.y > 0 ? f.y : 2001; /* no year: shift within a common year */
    int m = f.m > 0 ? f.m : 1, d = f.d > 0 ? f.d : 1;
    if (f.m > 0 && f.d > 0) {
        int dim[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        if (d > dim[m - 1]) d = dim[m - 1];
        civil_from_days(days_from_civil(y, m, d) + shift, &y, &m, &d);
    } else if (f.m > 0) { /* month and year: move by whole months */
        long mm = y * 12 + (m - 1) + (shift >= 0 ? (shift + 15) / 30 : (shift - 15) / 30);
        y = mm / 12, m = (int)(mm % 12) + 1;
    } else { /* a bare day of the month */
        d = (int)(((d - 1 + shift) % 28 + 28) % 28) + 1;
    }
    if (f.compact) return cs_buf_printf(out, "%04ld%02d%02d", y, m, d) == CS_OK;
    /* Rewrite in place: numbers keep their width, the month word its form. */
    for (size_t i = 0; i < n;) {
        int k = -1;
        for (int q = 0; q < 3; q++) if (f.num_len[q] && f.num_pos[q] == i) k = q;
        if (k >= 0) {
            long v = k == f.yi ? (f.num_len[k] == 2 ? y % 100 : y) : k == f.mi ? m : k == f.di ? d : f.num_val[k];
            int w = (int)f.num_len[k];
            if (k != f.yi && w == 2 && s[i] != '0') w = 1; /* "12" was not zero-padded */
            if (cs_buf_printf(out, "%0*ld", w, v) != CS_OK) return 0;
            i += f.num_len[k];
            if (k == f.di && i + 2 <= n && is_a(s[i]) && is_a(s[i + 1]) && (i + 2 == n || !is_a(s[i + 2]))) {
                const char *sf = suffix(d);
                char c0 = sf[0], c1 = sf[1];
                if (s[i] >= 'A' && s[i] <= 'Z') c0 -= 32, c1 -= 32;
                cs_buf_putc(out, c0);
                cs_buf_putc(out, c1);
                i += 2;
            }
            continue;
        }
        if (f.month_len && i == f.month_pos) {
            const char *mn = mnames[m - 1];
            int was_full = f.month_len == strlen(mnames[f.month - 1]);
            size_t L = was_full ? strlen(mn) : (f.month_len == 4 && m == 9) ? 4 : 3;
            int allup = s[i + 1] >= 'A' && s[i + 1] <= 'Z', cap = s[i] >= 'A' && s[i] <= 'Z';
            for (size_t q = 0; q < L; q++) {
                char c = mn[q];
                if (allup || (q == 0 && cap)) c -= 32;
                cs_buf_putc(out, c);
            }
            i += f.month_len;
            continue;
        }
        cs_buf_putc(out, s[i]);
        i++;
    }
    return 1;
}
