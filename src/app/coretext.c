/* ofnotify: core/format's text from the resources. See coretext.h. */
#include "coretext.h"

#include <windows.h>

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
    /* Length 0 asks for a pointer into the resource itself: no copy, no limit.
     * That text is not NUL-terminated, so it is converted by its length. */
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

const of_strings *coretext_strings(void)
{
    static const of_strings table = {.get = get, .ctx = NULL};
    return &table;
}
