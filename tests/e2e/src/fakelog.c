/* e2e: the line log of the fake service and its control tool.
 *
 * Tests prove things from this file ("zero deliveries of item events",
 * "Unadvise was called"), so every line is written with one append-mode
 * WriteFile before fk_log returns: a reader never sees half a line, and
 * nothing is lost when the process exits without warning (restart). */
#include "fakecsc.h"
#include "proto.h"

#include <stdarg.h>
#include <stdio.h>

static HANDLE log_file = INVALID_HANDLE_VALUE;
static CRITICAL_SECTION log_lock;
static INIT_ONCE log_once = INIT_ONCE_STATIC_INIT;

static BOOL CALLBACK init_lock(INIT_ONCE *once, void *param, void **ctx)
{
    (void)once;
    (void)param;
    (void)ctx;
    InitializeCriticalSection(&log_lock);
    return TRUE;
}

BOOL fk_log_open(void)
{
    WCHAR path[MAX_PATH + 32];
    DWORD n;
    WCHAR *slash;

    InitOnceExecuteOnce(&log_once, init_lock, NULL, NULL);
    n = GetModuleFileNameW(NULL, path, MAX_PATH);
    if (n == 0 || n >= MAX_PATH)
        return FALSE;
    slash = wcsrchr(path, L'\\');
    if (!slash)
        return FALSE;
    wcscpy(slash + 1, FK_LOG_NAME);
    /* FILE_APPEND_DATA only: every write goes to the end, even with the
     * service and fakectl writing at the same time. */
    log_file = CreateFileW(path, FILE_APPEND_DATA, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                           NULL, OPEN_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    return log_file != INVALID_HANDLE_VALUE;
}

void fk_log(const char *fmt, ...)
{
    char line[2048];
    SYSTEMTIME t;
    va_list ap;
    int head, body;
    size_t len;
    DWORD written;

    InitOnceExecuteOnce(&log_once, init_lock, NULL, NULL);
    GetSystemTime(&t);
    head = snprintf(line, sizeof line, "%02u:%02u:%02u.%03u [%lu] ", t.wHour, t.wMinute, t.wSecond,
                    t.wMilliseconds, (unsigned long)GetCurrentProcessId());
    if (head < 0)
        return;
    va_start(ap, fmt);
    body = vsnprintf(line + head, sizeof line - (size_t)head - 1, fmt, ap);
    va_end(ap);
    if (body < 0)
        body = 0;
    len = (size_t)head + (size_t)body;
    if (len > sizeof line - 2)
        len = sizeof line - 2; /* truncated: still one whole line */
    line[len++] = '\n';
    line[len] = '\0';

    EnterCriticalSection(&log_lock);
    if (log_file != INVALID_HANDLE_VALUE)
        WriteFile(log_file, line, (DWORD)len, &written, NULL);
    else
        fputs(line, stderr);
    LeaveCriticalSection(&log_lock);
}

const char *fk_utf8(const WCHAR *w, char *buf, int cap)
{
    int n;
    if (cap <= 0)
        return "";
    if (!w) {
        snprintf(buf, (size_t)cap, "(null)");
        return buf;
    }
    n = WideCharToMultiByte(CP_UTF8, 0, w, -1, buf, cap, NULL, NULL);
    if (n == 0) {
        /* Too long for buf: keep what fits, at a character boundary. */
        int len = (int)wcslen(w);
        while (len > 0) {
            len = len * 3 / 4;
            n = WideCharToMultiByte(CP_UTF8, 0, w, len, buf, cap - 4, NULL, NULL);
            if (n > 0) {
                memcpy(buf + n, "...", 4);
                return buf;
            }
        }
        buf[0] = '\0';
    }
    return buf;
}
