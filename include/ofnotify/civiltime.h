/* ofnotify: a date or a date and time as people write it on the command line
 * (ISO 8601, extended form), and its UTC instant. Portable C; core knows no
 * time zones, so a local time is turned into an instant by the caller. */
#ifndef OFNOTIFY_CIVILTIME_H
#define OFNOTIFY_CIVILTIME_H

#include <stdint.h>

typedef struct of_civil_time {
    int year;   /* 1601..9999 */
    int month;  /* 1..12 */
    int day;    /* 1..days in that month */
    int hour;   /* 0..23; 0 for a date alone */
    int minute; /* 0..59 */
    int second; /* 0..59 (no leap second) */
    int utc;    /* 1: ended in Z (UTC); 0: local time */
} of_civil_time;

/* Parses exactly one of
 *   YYYY-MM-DD                 (midnight at the start of that day)
 *   YYYY-MM-DDThh:mm[Z]
 *   YYYY-MM-DDThh:mm:ss[Z]
 * with the digits ASCII, 'T' and 'Z' upper case, nothing before or after, and
 * a date that exists. Returns 0 with *t set, or -1 with *t untouched. */
int of_civil_parse(const char *text, of_civil_time *t);

/* Milliseconds since 1970-01-01T00:00:00Z of t read as UTC (its utc field is
 * not looked at); t must hold what of_civil_parse accepts. */
int64_t of_civil_to_unix_ms(const of_civil_time *t);

#endif
