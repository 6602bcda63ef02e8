/* ofnotify: single instance and the requests other processes make. See instance.h. */
#include "instance.h"

#include <stdio.h>

#include "messages.h"
#include "winutil.h"

#define MUTEX_NAME L"Local\\ofnotify.instance"

HANDLE instance_claim(void)
{
    HANDLE mutex = CreateMutexW(NULL, TRUE, MUTEX_NAME);
    if (mutex && GetLastError() == ERROR_ALREADY_EXISTS) {
        CloseHandle(mutex);
        return NULL;
    }
    return mutex;
}

/* The running instance's window. It may not exist yet if that instance is
 * still starting, so wait briefly for it. */
static HWND find_app_window(DWORD wait_ms)
{
    ULONGLONG until = GetTickCount64() + wait_ms;
    for (;;) {
        HWND wnd = FindWindowW(APP_WINDOW_CLASS, NULL);
        if (wnd || GetTickCount64() >= until)
            return wnd;
        Sleep(50);
    }
}

int instance_show_history(void)
{
    DWORD pid = 0;
    HWND wnd = find_app_window(5000);
    if (!wnd)
        return EXIT_NOT_RUNNING;
    /* Let the running instance bring its window to the front. */
    GetWindowThreadProcessId(wnd, &pid);
    AllowSetForegroundWindow(pid);
    return PostMessageW(wnd, WM_OFN_SHOW_HISTORY, 0, 0) ? EXIT_OK : EXIT_ERROR;
}

int instance_request_exit(DWORD timeout_ms)
{
    DWORD pid = 0, wait;
    HANDLE process;
    HWND wnd = find_app_window(0);
    if (!wnd)
        return EXIT_NOT_RUNNING;
    GetWindowThreadProcessId(wnd, &pid);
    process = OpenProcess(SYNCHRONIZE, FALSE, pid);
    if (!PostMessageW(wnd, WM_OFN_EXIT_REQUEST, 0, 0)) {
        if (process)
            CloseHandle(process);
        return EXIT_ERROR;
    }
    if (!process)
        return EXIT_OK; /* asked; cannot watch it go */
    wait = WaitForSingleObject(process, timeout_ms);
    CloseHandle(process);
    return wait == WAIT_OBJECT_0 ? EXIT_OK : EXIT_TIMEOUT;
}

int instance_request_sync_now(DWORD timeout_ms, int *result, HRESULT *hr)
{
    ULONGLONG until = GetTickCount64() + timeout_ms;
    MSG msg;
    HWND wnd = find_app_window(0);
    if (!wnd)
        return EXIT_NOT_RUNNING;
    /* The reply is a thread message: this thread needs its queue first. */
    PeekMessageW(&msg, NULL, WM_USER, WM_USER, PM_NOREMOVE);
    if (!PostMessageW(wnd, WM_OFN_SYNC_NOW_REQUEST, (WPARAM)GetCurrentThreadId(), 0))
        return EXIT_ERROR;
    for (;;) {
        ULONGLONG now = GetTickCount64();
        while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE)) {
            if (msg.message == WM_OFN_SYNC_NOW_REPLY && msg.hwnd == NULL) {
                *result = (int)msg.wParam;
                *hr = (HRESULT)msg.lParam;
                return EXIT_OK;
            }
        }
        if (now >= until)
            return EXIT_TIMEOUT;
        MsgWaitForMultipleObjects(0, NULL, FALSE, (DWORD)(until - now), QS_POSTMESSAGE);
    }
}

static void probe_event_name(DWORD pid, DWORD token, WCHAR *name, size_t cap)
{
    _snwprintf(name, cap, L"Local\\ofnotify.idle.%lu.%lu", (unsigned long)pid, (unsigned long)token);
    name[cap - 1] = 0;
}

/* Posted messages are handled in the order they were posted, so when the
 * probe is handled, every event the sink posted before it has been too. */
int instance_wait_idle(DWORD timeout_ms)
{
    WCHAR name[64];
    DWORD token = GetTickCount();
    HANDLE done;
    DWORD wait;
    HWND wnd = find_app_window(0);
    if (!wnd)
        return EXIT_NOT_RUNNING;
    probe_event_name(GetCurrentProcessId(), token, name, ARRAYSIZE(name));
    done = CreateEventW(NULL, TRUE, FALSE, name);
    if (!done)
        return EXIT_ERROR;
    if (!PostMessageW(wnd, WM_OFN_IDLE_PROBE, (WPARAM)GetCurrentProcessId(), (LPARAM)token)) {
        CloseHandle(done);
        return EXIT_ERROR;
    }
    wait = WaitForSingleObject(done, timeout_ms);
    CloseHandle(done);
    return wait == WAIT_OBJECT_0 ? EXIT_OK : EXIT_TIMEOUT;
}

/* ---- --status ---- */

/* WM_COPYDATA's dwData for a status reply: "OFST". */
#define STATUS_COPYDATA_TAG 0x4F465354u
#define STATUS_REPLY_CLASS L"ofnotify.StatusReply"
/* The instance's reply to a hung asker is given up after this long. */
#define STATUS_REPLY_TIMEOUT_MS 2000

typedef struct status_wait {
    instance_status *out;
    BOOL answered;
} status_wait;

static LRESULT CALLBACK status_reply_proc(HWND wnd, UINT msg, WPARAM wp, LPARAM lp)
{
    status_wait *w = winutil_window_state(wnd, msg, lp);
    if (msg == WM_COPYDATA && w) {
        const COPYDATASTRUCT *cds = (const COPYDATASTRUCT *)lp;
        const instance_status *st = cds ? cds->lpData : NULL;
        if (!st || cds->dwData != STATUS_COPYDATA_TAG || cds->cbData != sizeof(*st) || st->size != sizeof(*st))
            return FALSE;
        *w->out = *st;
        w->out->history_path[ARRAYSIZE(w->out->history_path) - 1] = 0;
        w->answered = TRUE;
        return TRUE;
    }
    return DefWindowProcW(wnd, msg, wp, lp);
}

/* The query is sent, and the reply comes back as a WM_COPYDATA sent to a
 * message-only window of this thread while it waits in SendMessageTimeout
 * (a thread waiting for a sent message still takes the ones sent to it). */
int instance_query_status(DWORD timeout_ms, instance_status *out)
{
    const WNDCLASSEXW wc = {
        .cbSize = sizeof(wc),
        .lpfnWndProc = status_reply_proc,
        .hInstance = GetModuleHandleW(NULL),
        .lpszClassName = STATUS_REPLY_CLASS,
    };
    status_wait w = {.out = out};
    DWORD_PTR result = 0;
    HWND reply, wnd = find_app_window(0);
    int rc = EXIT_ERROR;
    if (!wnd)
        return EXIT_NOT_RUNNING;
    if (!RegisterClassExW(&wc) && GetLastError() != ERROR_CLASS_ALREADY_EXISTS)
        return EXIT_ERROR;
    reply = CreateWindowExW(0, STATUS_REPLY_CLASS, NULL, 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, wc.hInstance, &w);
    if (!reply)
        goto done;
    /* An elevated asker would otherwise not hear a medium-integrity instance. */
    ChangeWindowMessageFilterEx(reply, WM_COPYDATA, MSGFLT_ALLOW, NULL);
    if (!SendMessageTimeoutW(wnd, WM_OFN_STATUS_QUERY, (WPARAM)reply, 0, SMTO_NORMAL | SMTO_ABORTIFHUNG, timeout_ms,
                             &result))
        rc = EXIT_TIMEOUT;
    else if (result && w.answered)
        rc = EXIT_OK;
    DestroyWindow(reply);
done:
    UnregisterClassW(STATUS_REPLY_CLASS, wc.hInstance);
    return rc;
}

LRESULT instance_answer_status(HWND self, WPARAM wp, const instance_status *st)
{
    HWND asker = (HWND)wp;
    COPYDATASTRUCT cds = {.dwData = STATUS_COPYDATA_TAG, .cbData = sizeof(*st), .lpData = (void *)st};
    DWORD_PTR result = 0;
    if (!asker || !IsWindow(asker))
        return FALSE;
    if (!SendMessageTimeoutW(asker, WM_COPYDATA, (WPARAM)self, (LPARAM)&cds, SMTO_NORMAL | SMTO_ABORTIFHUNG,
                             STATUS_REPLY_TIMEOUT_MS, &result))
        return FALSE;
    return result ? TRUE : FALSE;
}

void instance_answer_idle_probe(WPARAM wp, LPARAM lp)
{
    WCHAR name[64];
    HANDLE done;
    probe_event_name((DWORD)wp, (DWORD)lp, name, ARRAYSIZE(name));
    done = OpenEventW(EVENT_MODIFY_STATE, FALSE, name);
    if (done) {
        SetEvent(done);
        CloseHandle(done);
    }
}
