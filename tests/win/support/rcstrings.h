/* Test support: the program's STRINGTABLEs as the resource loader reads
 * them (block id / 16 + 1 of RT_STRING holds 16 counted UTF-16 strings),
 * in any language, from the test itself (linked with the program's
 * resources) or from the shipped program (buildfiles.h). */
#ifndef OFNOTIFY_TEST_RCSTRINGS_H
#define OFNOTIFY_TEST_RCSTRINGS_H

#include <stddef.h>
#include <windows.h>

/* The string id in lang of module (NULL: this program). Its length in
 * characters (0: absent or empty), *text pointing at it (not
 * NUL-terminated); -1 if the block is malformed. */
int rc_string(HMODULE module, UINT id, LANGID lang, const WCHAR **text);

/* The same as a NUL-terminated copy in out ("" when absent); -1 if the block
 * is malformed or the string does not fit in cap. */
int rc_string_copy(HMODULE module, UINT id, LANGID lang, WCHAR *out, size_t cap);

/* Which FormatMessage inserts a template uses: bit n for %n (1..9), bit 0
 * for a '%' that starts none of them nor "%%" or "%n" (a line break). Two
 * languages must agree on it, or FormatMessage reads a missing argument. */
#define RC_INSERT(n) (1u << (n))
#define RC_INSERT_STRAY 1u
unsigned rc_inserts(const WCHAR *text);

#endif
