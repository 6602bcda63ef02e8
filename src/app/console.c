/* ofnotify: command-line output. See console.h. */
#include "console.h"

#include "winutil.h"

#include <stdarg.h>
#include <stdio.h>

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

void console_message(BOOL to_stdout, UINT string_id, ...)
{
    WCHAR text[4096];
    char utf8[3 * 4096];
    va_list args;
    size_t n;
    va_start(args, string_id);
    winutil_load_message_v(string_id, text, ARRAYSIZE(text), args);
    va_end(args);
    n = winutil_wide_to_utf8(text, utf8, sizeof(utf8));
    if (n)
        write_utf8(to_stdout ? out_handle : err_handle, utf8, n);
}
