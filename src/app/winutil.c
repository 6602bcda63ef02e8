/* ofnotify: small Windows helpers. See winutil.h. */
#include "winutil.h"

#include <inttypes.h>
#include <limits.h>
#include <wchar.h>

static int int_cap(size_t cap)
{
    return cap > INT_MAX ? INT_MAX : (int)cap;
}

int winutil_load_string(UINT id, WCHAR *buf, size_t cap)
{
    int n;
    if (cap == 0)
        return 0;
    n = LoadStringW(GetModuleHandleW(NULL), id, buf, int_cap(cap));
    if (n <= 0) {
        buf[0] = 0;
        return 0;
    }
    return n;
}

void winutil_load_message_v(UINT id, WCHAR *buf, size_t cap, va_list args)
{
    WCHAR format[2048];
    va_list copy;
    if (cap == 0)
        return;
    buf[0] = 0;
    if (!winutil_load_string(id, format, ARRAYSIZE(format)))
        return;
    va_copy(copy, args);
    if (!FormatMessageW(FORMAT_MESSAGE_FROM_STRING, format, 0, 0, buf, cap > MAXDWORD ? MAXDWORD : (DWORD)cap, &copy))
        buf[0] = 0;
    va_end(copy);
}

void winutil_load_message(UINT id, WCHAR *buf, size_t cap, ...)
{
    va_list args;
    va_start(args, cap);
    winutil_load_message_v(id, buf, cap, args);
    va_end(args);
}

size_t winutil_utf8_to_wide(const char *utf8, WCHAR *out, size_t cap)
{
    int n;
    if (cap == 0)
        return 0;
    n = MultiByteToWideChar(CP_UTF8, 0, utf8, -1, out, int_cap(cap));
    if (n <= 0) {
        out[0] = 0;
        return 0;
    }
    return (size_t)n - 1;
}

size_t winutil_wide_to_utf8(const WCHAR *wide, char *out, size_t cap)
{
    int n;
    if (cap == 0)
        return 0;
    n = WideCharToMultiByte(CP_UTF8, 0, wide, -1, out, int_cap(cap), NULL, NULL);
    if (n <= 0) {
        out[0] = 0;
        return 0;
    }
    return (size_t)n - 1;
}

void winutil_error_text(DWORD code, WCHAR *buf, size_t cap)
{
    DWORD n;
    if (cap == 0)
        return;
    n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, code, 0, buf,
                       cap > MAXDWORD ? MAXDWORD : (DWORD)cap, NULL);
    while (n && (buf[n - 1] == L'\n' || buf[n - 1] == L'\r' || buf[n - 1] == L' ' || buf[n - 1] == L'.'))
        buf[--n] = 0;
    if (!n)
        _snwprintf(buf, cap, L"error 0x%08lX", (unsigned long)code);
    buf[cap - 1] = 0;
}

void *winutil_window_state(HWND wnd, UINT msg, LPARAM lp)
{
    if (msg == WM_NCCREATE) {
        void *state = ((const CREATESTRUCTW *)lp)->lpCreateParams;
        SetWindowLongPtrW(wnd, GWLP_USERDATA, (LONG_PTR)state);
        return state;
    }
    return (void *)GetWindowLongPtrW(wnd, GWLP_USERDATA);
}

UINT winutil_grouping(const WCHAR *sgrouping)
{
    size_t len = wcslen(sgrouping);
    UINT group = 0;
    for (size_t i = 0; i < len; i++)
        if (sgrouping[i] >= L'0' && sgrouping[i] <= L'9')
            group = group * 10 + (UINT)(sgrouping[i] - L'0');
    /* LOCALE_SGROUPING ends in ";0" when its last group repeats, which
     * NUMBERFMT says by leaving the 0 off; without it, a trailing 0 stops
     * the grouping. */
    if (len >= 2 && wcscmp(sgrouping + len - 2, L";0") == 0)
        return group / 10;
    return group * 10;
}

void winutil_format_count_in(const WCHAR *locale, uint64_t n, WCHAR *buf, size_t cap)
{
    WCHAR digits[32], dec[8], thousand[8], grouping[16];
    NUMBERFMTW fmt = {0};
    if (cap == 0)
        return;
    _snwprintf(digits, ARRAYSIZE(digits), L"%" PRIu64, (uint64_t)n);
    if (GetLocaleInfoEx(locale, LOCALE_SDECIMAL, dec, ARRAYSIZE(dec)) &&
        GetLocaleInfoEx(locale, LOCALE_STHOUSAND, thousand, ARRAYSIZE(thousand)) &&
        GetLocaleInfoEx(locale, LOCALE_SGROUPING, grouping, ARRAYSIZE(grouping))) {
        fmt.NumDigits = 0;
        fmt.LeadingZero = 1; /* else 0 comes out empty */
        fmt.Grouping = winutil_grouping(grouping);
        fmt.lpDecimalSep = dec;
        fmt.lpThousandSep = thousand;
        fmt.NegativeOrder = 1;
        if (GetNumberFormatEx(locale, 0, digits, &fmt, buf, int_cap(cap)) > 0)
            return;
    }
    lstrcpynW(buf, digits, int_cap(cap));
}

void winutil_format_count(uint64_t n, WCHAR *buf, size_t cap)
{
    winutil_format_count_in(LOCALE_NAME_USER_DEFAULT, n, buf, cap);
}
