/* Test support: the program's string resources (rcstrings.h). */
#include <windows.h>
#include <string.h>
#include <wchar.h>

#include "support/rcstrings.h"

int rc_string(HMODULE module, UINT id, LANGID lang, const WCHAR **text)
{
    HRSRC res = FindResourceExW(module, (LPCWSTR)RT_STRING, MAKEINTRESOURCEW(id / 16 + 1), lang);
    HGLOBAL mem;
    const WCHAR *p, *end;
    DWORD size;
    *text = NULL;
    if (!res)
        return 0;
    mem = LoadResource(module, res);
    size = SizeofResource(module, res);
    if (!mem || size == 0 || size % sizeof(WCHAR))
        return -1;
    p = LockResource(mem);
    if (!p)
        return -1;
    end = p + size / sizeof(WCHAR);
    for (UINT i = 0; i < id % 16; i++) {
        if (p >= end || (size_t)(end - p) < 1u + *p)
            return -1;
        p += 1u + *p;
    }
    if (p >= end || (size_t)(end - p) < 1u + *p)
        return -1;
    *text = p + 1;
    return (int)*p;
}

int rc_string_copy(HMODULE module, UINT id, LANGID lang, WCHAR *out, size_t cap)
{
    const WCHAR *text;
    int n = rc_string(module, id, lang, &text);
    out[0] = 0;
    if (n < 0 || (size_t)n >= cap)
        return -1;
    if (n > 0)
        wmemcpy(out, text, (size_t)n);
    out[n] = 0;
    return n;
}

unsigned rc_inserts(const WCHAR *s)
{
    unsigned bits = 0;
    for (; *s; s++) {
        if (*s != L'%')
            continue;
        if (s[1] == L'%' || s[1] == L'n') {
            s++;
        } else if (s[1] >= L'1' && s[1] <= L'9') {
            bits |= RC_INSERT(s[1] - L'0');
            s++;
        } else {
            bits |= RC_INSERT_STRAY;
        }
    }
    return bits;
}
