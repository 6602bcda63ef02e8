/* ofnotify: command-line output. See console.h. */
#include "console.h"

#include "resource.h"
#include "winutil.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static HANDLE out_handle, err_handle;

static BOOL usable(HANDLE h)
{
    return h && h != INVALID_HANDLE_VALUE && GetFileType(h) != FILE_TYPE_UNKNOWN;
}

void console_open(void)
{
    out_handle = GetStdHandle(STD_OUTPUT_HANDLE);
    err_handle = GetStdHandle(STD_ERROR_HANDLE);
    if (usable(out_handle) && usable(err_handle))
        return;
    /* Started from a console without redirection: borrow the parent's. */
    if (AttachConsole(ATTACH_PARENT_PROCESS)) {
        HANDLE con = CreateFileW(L"CONOUT$", GENERIC_READ | GENERIC_WRITE, FILE_SHARE_READ | FILE_SHARE_WRITE,
                                 NULL, OPEN_EXISTING, 0, NULL);
        if (!usable(out_handle))
            out_handle = con;
        if (!usable(err_handle))
            err_handle = con;
    }
}

static BOOL write_utf8(HANDLE h, const char *utf8, size_t len)
{
    DWORD mode, done;
    if (!usable(h)) {
        SetLastError(ERROR_INVALID_HANDLE);
        return FALSE;
    }
    if (GetConsoleMode(h, &mode)) {
        /* A console shows UTF-16 faithfully whatever its code page. */
        WCHAR chunk[1024];
        while (len) {
            size_t take = len < 512 ? len : 512;
            int n;
            /* Never cut a UTF-8 sequence in two. */
            while (take < len && take > 0 && ((unsigned char)utf8[take] & 0xC0) == 0x80)
                take--;
            n = MultiByteToWideChar(CP_UTF8, 0, utf8, (int)take, chunk, ARRAYSIZE(chunk));
            if (n <= 0 || !WriteConsoleW(h, chunk, (DWORD)n, &done, NULL))
                return FALSE;
            utf8 += take;
            len -= take;
        }
        return TRUE;
    }
    while (len) {
        DWORD take = len > 1u << 20 ? 1u << 20 : (DWORD)len;
        if (!WriteFile(h, utf8, take, &done, NULL))
            return FALSE;
        utf8 += done;
        len -= done;
    }
    return TRUE;
}

BOOL console_out(const char *utf8, size_t len)
{
    return write_utf8(out_handle, utf8, len);
}

/* Highest %n insert the template uses: that many arguments were passed. */
static int insert_count(const WCHAR *format)
{
    int most = 0;
    for (const WCHAR *p = format; *p; p++) {
        if (*p != L'%' || !p[1])
            continue;
        p++;
        if (*p >= L'1' && *p <= L'9' && *p - L'0' > most)
            most = *p - L'0';
    }
    return most;
}

static void format_v(WCHAR *buf, size_t cap, UINT string_id, va_list args)
{
    WCHAR format[2048];
    WCHAR cut[9][CONSOLE_INSERT_MAX + 2];
    DWORD_PTR inserts[9];
    int count;
    if (!cap)
        return;
    buf[0] = 0;
    if (!winutil_load_string(string_id, format, ARRAYSIZE(format)))
        return;
    count = insert_count(format);
    for (int i = 0; i < count; i++) {
        const WCHAR *text = va_arg(args, const WCHAR *);
        size_t len = text ? wcslen(text) : 0;
        if (len > CONSOLE_INSERT_MAX) {
            size_t keep = CONSOLE_INSERT_MAX - 1;
            if (IS_HIGH_SURROGATE(text[keep - 1]))
                keep--; /* never half a character */
            memcpy(cut[i], text, keep * sizeof(WCHAR));
            cut[i][keep] = 0x2026; /* … */
            cut[i][keep + 1] = 0;
            text = cut[i];
        }
        inserts[i] = (DWORD_PTR)(text ? text : L"");
    }
    if (!FormatMessageW(FORMAT_MESSAGE_FROM_STRING | FORMAT_MESSAGE_ARGUMENT_ARRAY, format, 0, 0, buf,
                        cap > MAXDWORD ? MAXDWORD : (DWORD)cap, (va_list *)inserts))
        buf[0] = 0;
}

void console_format(WCHAR *buf, size_t cap, UINT string_id, ...)
{
    va_list args;
    va_start(args, string_id);
    format_v(buf, cap, string_id, args);
    va_end(args);
}

static void print(HANDLE h, const WCHAR *text)
{
    char utf8[3 * 4096];
    size_t n = winutil_wide_to_utf8(text, utf8, sizeof(utf8));
    if (n)
        write_utf8(h, utf8, n);
}

void console_message(BOOL to_stdout, UINT string_id, ...)
{
    WCHAR text[4096];
    va_list args;
    va_start(args, string_id);
    format_v(text, ARRAYSIZE(text), string_id, args);
    va_end(args);
    print(to_stdout ? out_handle : err_handle, text);
}

void console_alert(UINT string_id, ...)
{
    WCHAR text[4096], caption[64];
    size_t len;
    va_list args;
    va_start(args, string_id);
    format_v(text, ARRAYSIZE(text), string_id, args);
    va_end(args);
    if (usable(err_handle)) {
        print(err_handle, text);
        return;
    }
    len = wcslen(text);
    while (len && (text[len - 1] == L'\n' || text[len - 1] == L'\r'))
        text[--len] = 0;
    if (!winutil_load_string(IDS_APP_NAME, caption, ARRAYSIZE(caption)))
        lstrcpynW(caption, L"ofnotify", ARRAYSIZE(caption));
    MessageBoxW(NULL, text, caption, MB_OK | MB_ICONERROR | MB_SETFOREGROUND);
}
