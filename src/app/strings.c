/* ofnotify: core/format's text from the resources. See strings.h. */
#include "strings.h"

#include "resource.h"

static char *cache[OF_TEXT_COUNT];

static const char *get(void *ctx, of_text_id id)
{
    const WCHAR *text;
    int len, n;
    (void)ctx;
    if ((unsigned)id >= OF_TEXT_COUNT)
        return NULL;
    if (cache[id])
        return cache[id];
    /* Length 0 asks for a pointer into the resource itself: no copy, no limit. */
    len = LoadStringW(GetModuleHandleW(NULL), IDS_CORE_BASE + id, (LPWSTR)&text, 0);
    if (len <= 0)
        return NULL; /* core/format falls back to a language-neutral form */
    n = WideCharToMultiByte(CP_UTF8, 0, text, len, NULL, 0, NULL, NULL);
    cache[id] = HeapAlloc(GetProcessHeap(), 0, (size_t)n + 1);
    if (!cache[id])
        return NULL;
    WideCharToMultiByte(CP_UTF8, 0, text, len, cache[id], n, NULL, NULL);
    cache[id][n] = 0;
    return cache[id];
}

const of_strings *app_strings(void)
{
    static const of_strings table = {.get = get, .ctx = NULL};
    return &table;
}

void utf8_to_wide(const char *utf8, WCHAR *out, size_t cap)
{
    /* A UTF-8 text of n bytes never needs more than n UTF-16 units, so callers
     * that bound the UTF-8 text by `cap` never see this fail. */
    if (MultiByteToWideChar(CP_UTF8, 0, utf8, -1, out, (int)cap) <= 0)
        out[0] = 0;
}

void load_message_v(UINT id, WCHAR *buf, size_t cap, va_list args)
{
    WCHAR format[2048];
    va_list copy;
    buf[0] = 0;
    if (!LoadStringW(GetModuleHandleW(NULL), id, format, ARRAYSIZE(format)))
        return;
    va_copy(copy, args);
    if (!FormatMessageW(FORMAT_MESSAGE_FROM_STRING, format, 0, 0, buf, (DWORD)cap, &copy))
        buf[0] = 0;
    va_end(copy);
}

void load_message(UINT id, WCHAR *buf, size_t cap, ...)
{
    va_list args;
    va_start(args, cap);
    load_message_v(id, buf, cap, args);
    va_end(args);
}
