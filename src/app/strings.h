/* ofnotify: core/format's text from the STRINGTABLE (IDS_CORE_BASE + of_text_id),
 * in the user's UI language, as UTF-8. */
#ifndef OFNOTIFY_STRINGS_H
#define OFNOTIFY_STRINGS_H

#include <stdarg.h>
#include <windows.h>

#include "ofnotify/format.h"

/* The table for core/format; strings are loaded once, on first use. */
const of_strings *app_strings(void);

/* UTF-8 → UTF-16; empty if it does not fit (keep the UTF-8 text under `cap` bytes). */
void utf8_to_wide(const char *utf8, WCHAR *out, size_t cap);

/* A STRINGTABLE message with %1, %2 ... inserts (FormatMessage rules) into
 * buf; empty if the string is missing or does not fit. */
void load_message(UINT id, WCHAR *buf, size_t cap, ...);
void load_message_v(UINT id, WCHAR *buf, size_t cap, va_list args);

#endif
