/* ofnotify core, private: ISO 8601 UTC times written into a textbuf, for
 * of_format_iso8601_utc and the record exports (export.h). */
#ifndef OFNOTIFY_CORE_ISOTIME_H
#define OFNOTIFY_CORE_ISOTIME_H

#include <stdint.h>

#include "textbuf.h"

/* 1 if unix_ms can be written: 1601-01-01T00:00:00.000Z up to
 * 9999-12-31T23:59:59.999Z (OF_TIME_UNKNOWN is below the range). */
int of_isotime_in_range(int64_t unix_ms);

/* "2026-11-24T13:02:05.123Z"; unix_ms must pass of_isotime_in_range. */
void textbuf_iso8601(textbuf *o, int64_t unix_ms);

#endif
