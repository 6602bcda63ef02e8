/* ofnotify: the history as machines read it: JSON Lines and CSV, one line
 * per record, and the ISO 8601 times both use.
 *
 * Fixed, language-independent words (no string table), so an export reads
 * the same whatever language the app shows. Both formats carry the same
 * fields in the same order, from one list in src/core/recordexport.c.
 *
 * Every function follows the output convention of format.h: it returns the
 * length the whole text needs (like snprintf; cut when result >= cap),
 * always NUL-terminates when cap > 0, writes only valid UTF-8, never splits
 * a character, and returns 0 with buf "" when nothing could be formatted.
 * of_json_escape and of_csv_field of an empty string are legitimately
 * empty. */
#ifndef OFNOTIFY_EXPORT_FORMATS_H
#define OFNOTIFY_EXPORT_FORMATS_H

#include <stddef.h>
#include <stdint.h>

#include "ofnotify/record.h"

/* "2026-11-24T13:02:05.123Z". Valid from 1601-01-01T00:00:00.000Z to
 * 9999-12-31T23:59:59.999Z (the FILETIME/SYSTEMTIME range people meet);
 * negative values are before 1970 and round toward the past. OF_TIME_UNKNOWN
 * and anything outside the range give 0 and "". A time is always 24 bytes. */
size_t of_format_iso8601_utc(int64_t unix_ms, char *buf, size_t cap);
#define OF_FORMAT_ISO8601_LEN 24

/* One JSON object and "\n" (JSON Lines), keys in this order:
 *   seq          number
 *   started      ISO 8601 string, or null (unpaired, or time not representable)
 *   completed    ISO 8601 string, or null (time not representable)
 *   duration_ms  number
 *   direction    of_direction_word(of_syncflags_direction(flags))
 *   flags        "0x%08X"
 *   flags_text   of_syncflags_describe(flags)
 *   status       "completed" | "unpaired" | "interrupted"
 *                ("unknown-N" for a status value N this version does not know,
 *                from a newer version or damage: the record is exported, never
 *                skipped, and says that its status cannot be read)
 *   reason       null | "datalost" | "service-lost" | "shutdown" | "timeout" | "failed"
 *                ("unknown" for a reason value this version does not know)
 *   begin_flags  "0x%08X"
 *   origin       "background" | "sync-now" (who started the pass)
 *                ("unknown" for an origin value this version does not know)
 * 0 only for a NULL record. */
size_t of_format_jsonl(const of_record *r, char *buf, size_t cap);

/* The same columns as CSV (RFC 4180): one header line and one line per
 * record, each ending in CRLF. null is an empty field. */
size_t of_format_csv_header(char *buf, size_t cap);
size_t of_format_csv_row(const of_record *r, char *buf, size_t cap);

/* Enough for any jsonl line or csv row, including the NUL. */
#define OF_FORMAT_LINE_MAX 1024

/* ---- escaping helpers ---------------------------------------------------- */

/* The contents of a JSON string for UTF-8 text s (no surrounding quotes):
 * '"' and '\' escaped, \b \f \n \r \t, other controls and DEL as \u00XX,
 * U+2028/U+2029 as \u2028/\u2029 (they end lines in JavaScript), other
 * UTF-8 kept as is, invalid UTF-8 replaced by U+FFFD. NULL or "" gives ""
 * (length 0, not an error). */
size_t of_json_escape(const char *s, char *buf, size_t cap);

/* One CSV field for UTF-8 text s. Quoted ("...", inner quotes doubled) when
 * it contains ',', '"', CR or LF. Spreadsheet formula injection: a field
 * that starts with '=', '+', '-', '@', TAB or CR is prefixed with a single
 * quote and always quoted, so Excel/LibreOffice show it as text instead of
 * running it (the reader sees the extra ' ). Invalid UTF-8 becomes U+FFFD.
 * NULL or "" gives an empty field (length 0, not an error). */
size_t of_csv_field(const char *s, char *buf, size_t cap);

#endif
