/* ofnotify: small Windows helpers every window and message of the app needs
 * (app/winutil): STRINGTABLE texts and messages, UTF-8 ↔ UTF-16, the
 * system's words for an error, counts with the user's digit grouping, and
 * a window's own state. Any thread. */
#ifndef OFNOTIFY_WINUTIL_H
#define OFNOTIFY_WINUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <windows.h>

/* The STRINGTABLE text id of this program, in the thread's UI language, into
 * buf (cap characters with the NUL, cut to fit). Returns its length; 0 and ""
 * when there is no such string (buf may be NULL when cap == 0). */
int winutil_load_string(UINT id, WCHAR *buf, size_t cap);

/* A STRINGTABLE message with %1, %2 ... inserts (FormatMessage rules, each
 * insert a const WCHAR * unless the message says otherwise) into buf; empty
 * if the string is missing or the result does not fit. */
void winutil_load_message(UINT id, WCHAR *buf, size_t cap, ...);
void winutil_load_message_v(UINT id, WCHAR *buf, size_t cap, va_list args);

/* UTF-8 → UTF-16 and back, NUL-terminated; a broken sequence becomes U+FFFD.
 * Returns the length written without the NUL; 0 and an empty result when it
 * does not fit (cap == 0: nothing is written). A UTF-8 text of n bytes never
 * needs more than n UTF-16 units, so a caller that bounds it by cap never sees
 * it fail; the other way, a UTF-16 unit may need three bytes. */
size_t winutil_utf8_to_wide(const char *utf8, WCHAR *out, size_t cap);
size_t winutil_wide_to_utf8(const WCHAR *wide, char *out, size_t cap);

/* The system's text for a Win32 error or an HRESULT, without the trailing
 * line break or full stop (the message it goes into has its own), or
 * "error 0x…" when the system has none. */
void winutil_error_text(DWORD code, WCHAR *buf, size_t cap);

/* n as people read counts: "1,000,000", "1.000.000", "10,00,000" (Indian
 * grouping) in the user's locale. winutil_format_count_in takes a locale name
 * ("de-DE"; LOCALE_NAME_USER_DEFAULT is the user's). Digits alone when the
 * locale cannot be read. */
void winutil_format_count(uint64_t n, WCHAR *buf, size_t cap);
void winutil_format_count_in(const WCHAR *locale, uint64_t n, WCHAR *buf, size_t cap);

/* The state a window procedure keeps on its window: at WM_NCCREATE the
 * lpCreateParams given to CreateWindowEx, which is stored in GWLP_USERDATA;
 * at any later message what is stored there. NULL for the messages that come
 * before WM_NCCREATE (WM_GETMINMAXINFO). Call it first in the procedure. */
void *winutil_window_state(HWND wnd, UINT msg, LPARAM lp);

/* The NUMBERFMT Grouping value for a LOCALE_SGROUPING text: "3;0" → 3 (threes
 * throughout), "3;2;0" → 32 (three, then twos), "3" → 30 (one group of three,
 * the rest ungrouped), "0;0" → 0 (none). */
UINT winutil_grouping(const WCHAR *sgrouping);

#endif
