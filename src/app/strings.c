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
