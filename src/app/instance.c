/* ofnotify: single instance and the requests other processes make. See instance.h. */
#include "instance.h"

#include <aclapi.h>
#include <sddl.h>
#include <stdio.h>
#include <string.h>

#include "messages.h"
#include "winutil.h"

#define MUTEX_PREFIX L"Local\\ofnotify.instance."

/* WM_COPYDATA's dwData for a request ("OFRQ"), the instance's question
 * whether the named window really asked it ("OFCF"), and a status reply
 * ("OFST"). */
#define REQUEST_COPYDATA_TAG 0x4F465251u
#define CONFIRM_COPYDATA_TAG 0x4F464346u
#define STATUS_COPYDATA_TAG 0x4F465354u
/* How long the instance waits for an asker to confirm its request. */
#define CONFIRM_TIMEOUT_MS 2000
#define ASKER_CLASS L"ofnotify.Asker"
/* The instance's reply to a hung asker is given up after this long. */
#define STATUS_REPLY_TIMEOUT_MS 2000
/* A second start waits this long for a starting instance's window. */
#define SHOW_HISTORY_WAIT_MS 5000

/* What travels in a request's WM_COPYDATA. Who asks is not in it: that is
 * the process of the window in wParam, looked up by the receiver. */
typedef struct request_data {
    DWORD size; /* sizeof(request_data) */
    DWORD command;
    DWORD token;
} request_data;

static void debug_line(const WCHAR *fmt, ...)
{
    WCHAR text[256];
    va_list args;
    va_start(args, fmt);
    _vsnwprintf(text, ARRAYSIZE(text), fmt, args);
    va_end(args);
    text[ARRAYSIZE(text) - 1] = 0;
    OutputDebugStringW(text);
}

/* ---- who is who ---- */

/* The user SID of a process's token, or NULL (LocalFree it). */
static PSID process_user(HANDLE process)
{
    HANDLE token;
    TOKEN_USER *tu = NULL;
    DWORD n = 0, len;
    PSID sid = NULL;
    if (!OpenProcessToken(process, TOKEN_QUERY, &token))
        return NULL;
    GetTokenInformation(token, TokenUser, NULL, 0, &n);
    if (n)
        tu = LocalAlloc(LMEM_FIXED, n);
    if (tu && GetTokenInformation(token, TokenUser, tu, n, &n) && IsValidSid(tu->User.Sid)) {
        len = GetLengthSid(tu->User.Sid);
        sid = LocalAlloc(LMEM_FIXED, len);
        if (sid && !CopySid(len, sid, tu->User.Sid)) {
            LocalFree(sid);
            sid = NULL;
        }
    }
    LocalFree(tu);
    CloseHandle(token);
    return sid;
}

/* TRUE when process pid runs as the user this process runs as. A process
 * of another user cannot be opened or its token not read: that is a no. */
static BOOL process_of_user(DWORD pid)
{
    PSID own = process_user(GetCurrentProcess()), theirs = NULL;
    HANDLE process = pid ? OpenProcess(PROCESS_QUERY_LIMITED_INFORMATION, FALSE, pid) : NULL;
    BOOL same;
    if (process) {
        theirs = process_user(process);
        CloseHandle(process);
    }
    same = own && theirs && EqualSid(own, theirs);
    LocalFree(own);
    LocalFree(theirs);
    return same;
}

BOOL instance_window_of_user(HWND wnd, DWORD *pid, DWORD *thread)
{
    DWORD p = 0, t = wnd && IsWindow(wnd) ? GetWindowThreadProcessId(wnd, &p) : 0;
    if (!t || !process_of_user(p))
        return FALSE;
    if (pid)
        *pid = p;
    if (thread)
        *thread = t;
    return TRUE;
}

/* ---- the instance mutex ---- */

/* The object's owner is sid. */
static BOOL owned_by(HANDLE object, PSID sid)
{
    PSID owner = NULL;
    PSECURITY_DESCRIPTOR sd = NULL;
    BOOL mine;
    if (GetSecurityInfo(object, SE_KERNEL_OBJECT, OWNER_SECURITY_INFORMATION, &owner, NULL, NULL, NULL, &sd) !=
        ERROR_SUCCESS)
        return FALSE;
    mine = owner && EqualSid(owner, sid);
    LocalFree(sd);
    return mine;
}

/* An app window of this user, if one exists: the instance check when the
 * mutex cannot be trusted. */
static HWND find_app_window_now(void)
{
    HWND wnd = NULL;
    while ((wnd = FindWindowExW(NULL, wnd, APP_WINDOW_CLASS, NULL)) != NULL)
        if (instance_window_of_user(wnd, NULL, NULL))
            return wnd;
    return NULL;
}

/* The mutex is in the session's namespace (Local\), named after the user's
 * SID so that each user of a session has their own, owned by that user and
 * open to that user only. Another user can still create the name first (to
 * keep ofnotify from starting); such a mutex is not ours, and ofnotify then
 * starts without the mutex, unless a window of this user's instance already
 * answers. */
int instance_claim(HANDLE *mutex)
{
    WCHAR name[256], sddl[256];
    SECURITY_ATTRIBUTES sa = {.nLength = sizeof(sa)};
    PSID user = process_user(GetCurrentProcess());
    WCHAR *sid_text = NULL;
    HANDLE m = NULL;
    DWORD err = 0;
    int rc = INSTANCE_FIRST;

    *mutex = NULL;
    if (!user || !ConvertSidToStringSidW(user, &sid_text))
        goto fallback;
    _snwprintf(name, ARRAYSIZE(name), MUTEX_PREFIX L"%ls", sid_text);
    name[ARRAYSIZE(name) - 1] = 0;
    /* Owner and only ACE: the user. Set explicitly: an elevated token's
     * default owner is the Administrators group. */
    _snwprintf(sddl, ARRAYSIZE(sddl), L"O:%lsD:P(A;;GA;;;%ls)", sid_text, sid_text);
    sddl[ARRAYSIZE(sddl) - 1] = 0;
    if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &sa.lpSecurityDescriptor,
                                                              NULL))
        goto fallback;
    m = CreateMutexW(&sa, TRUE, name);
    err = GetLastError();
    LocalFree(sa.lpSecurityDescriptor);
    if (m && err != ERROR_ALREADY_EXISTS) {
        *mutex = m;
        goto done;
    }
    if (m && owned_by(m, user)) {
        CloseHandle(m);
        rc = INSTANCE_RUNNING;
        goto done;
    }
    if (m)
        CloseHandle(m);
    debug_line(L"ofnotify: %ls belongs to another user (error %lu); starting without it\n", name,
               (unsigned long)(m ? ERROR_ALREADY_EXISTS : err));
fallback:
    if (find_app_window_now())
        rc = INSTANCE_RUNNING;
done:
    LocalFree(sid_text);
    LocalFree(user);
    return rc;
}

/* ---- asking the running instance ---- */

/* The running instance's window: the one of this user (another user's
 * window of the same class is not ofnotify's to talk to). It may not exist
 * yet if that instance is still starting, so wait briefly for it. */
static HWND find_app_window(DWORD wait_ms)
{
    ULONGLONG until = GetTickCount64() + wait_ms;
    for (;;) {
        HWND wnd = find_app_window_now();
        if (wnd || GetTickCount64() >= until)
            return wnd;
        Sleep(50);
    }
}

typedef struct asker {
    HWND wnd;
    request_data sent;    /* the request being sent; size 0 when none */
    instance_status *out; /* a status reply goes here */
    BOOL answered;
} asker;

/* The instance asks whether this window sent *d: yes only while this thread
 * waits for exactly that request to be taken. */
static LRESULT asker_confirm(const asker *k, HWND from, const COPYDATASTRUCT *cds)
{
    const request_data *d = cds->lpData;
    if (!d || cds->cbData != sizeof(*d) || !k->sent.size || memcmp(d, &k->sent, sizeof(*d)) != 0)
        return FALSE;
    return instance_window_of_user(from, NULL, NULL);
}

static LRESULT CALLBACK asker_proc(HWND wnd, UINT msg, WPARAM wp, LPARAM lp)
{
    asker *k = winutil_window_state(wnd, msg, lp);
    if (msg == WM_COPYDATA && k) {
        const COPYDATASTRUCT *cds = (const COPYDATASTRUCT *)lp;
        const instance_status *st = cds ? cds->lpData : NULL;
        if (cds && cds->dwData == CONFIRM_COPYDATA_TAG)
            return asker_confirm(k, (HWND)wp, cds);
        if (!k->out || !st || cds->dwData != STATUS_COPYDATA_TAG || cds->cbData != sizeof(*st) ||
            st->size != sizeof(*st))
            return FALSE;
        /* Only this user's instance answers for it. */
        if (!instance_window_of_user((HWND)wp, NULL, NULL)) {
            debug_line(L"ofnotify: a status reply from another user's window was refused\n");
            return FALSE;
        }
        *k->out = *st;
        k->out->history_path[ARRAYSIZE(k->out->history_path) - 1] = 0;
        k->answered = TRUE;
        return TRUE;
    }
    return DefWindowProcW(wnd, msg, wp, lp);
}

/* The asker's window: where the instance sees who asks (WM_COPYDATA's
 * wParam) and where a status reply comes back, as a WM_COPYDATA sent to it
 * while this thread waits in SendMessageTimeout (a thread waiting for a sent
 * message still takes the ones sent to it). */
static BOOL asker_open(asker *k)
{
    const WNDCLASSEXW wc = {
        .cbSize = sizeof(wc),
        .lpfnWndProc = asker_proc,
        .hInstance = GetModuleHandleW(NULL),
        .lpszClassName = ASKER_CLASS,
    };
    if (!RegisterClassExW(&wc) && GetLastError() != ERROR_CLASS_ALREADY_EXISTS)
        return FALSE;
    k->wnd = CreateWindowExW(0, ASKER_CLASS, NULL, 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, wc.hInstance, k);
    if (!k->wnd) {
        UnregisterClassW(ASKER_CLASS, wc.hInstance);
        return FALSE;
    }
    /* An elevated asker would otherwise not hear a medium-integrity instance. */
    ChangeWindowMessageFilterEx(k->wnd, WM_COPYDATA, MSGFLT_ALLOW, NULL);
    return TRUE;
}

static void asker_close(asker *k)
{
    DestroyWindow(k->wnd);
    UnregisterClassW(ASKER_CLASS, GetModuleHandleW(NULL));
}

/* Sends one request. EXIT_OK when the instance took it, EXIT_TIMEOUT when it
 * did not answer in time, EXIT_ERROR when it refused. */
static int send_request(HWND app, asker *k, instance_command command, DWORD token, DWORD timeout_ms)
{
    request_data data = {.size = sizeof(data), .command = (DWORD)command, .token = token};
    COPYDATASTRUCT cds = {.dwData = REQUEST_COPYDATA_TAG, .cbData = sizeof(data), .lpData = &data};
    DWORD_PTR result = 0;
    BOOL sent;
    k->sent = data;
    sent = SendMessageTimeoutW(app, WM_COPYDATA, (WPARAM)k->wnd, (LPARAM)&cds, SMTO_NORMAL | SMTO_ABORTIFHUNG,
                               timeout_ms ? timeout_ms : 1, &result) != 0;
    ZeroMemory(&k->sent, sizeof(k->sent));
    if (!sent)
        return EXIT_TIMEOUT;
    return result ? EXIT_OK : EXIT_ERROR;
}

/* Opens an asker, sends the request to the app window, closes. */
static int request(HWND app, instance_command command, DWORD token, DWORD timeout_ms)
{
    asker k = {0};
    int rc;
    if (!asker_open(&k))
        return EXIT_ERROR;
    rc = send_request(app, &k, command, token, timeout_ms);
    asker_close(&k);
    return rc;
}

static void probe_event_name(DWORD pid, DWORD token, WCHAR *name, size_t cap)
{
    _snwprintf(name, cap, L"Local\\ofnotify.idle.%lu.%lu", (unsigned long)pid, (unsigned long)token);
    name[cap - 1] = 0;
}

/* The instance handles the probe in turn with the messages posted before it
 * (instance_defer), so when it is handled, every event the sink posted
 * before it, and every request made before it, has been too. */
static int probe(HWND wnd, DWORD timeout_ms)
{
    WCHAR name[64];
    DWORD token = GetTickCount();
    ULONGLONG start = GetTickCount64(), spent;
    HANDLE done;
    DWORD wait;
    int rc;
    probe_event_name(GetCurrentProcessId(), token, name, ARRAYSIZE(name));
    done = CreateEventW(NULL, TRUE, FALSE, name);
    if (!done)
        return EXIT_ERROR;
    rc = request(wnd, INSTANCE_IDLE_PROBE, token, timeout_ms);
    if (rc != EXIT_OK) {
        CloseHandle(done);
        return rc;
    }
    spent = GetTickCount64() - start;
    wait = WaitForSingleObject(done, spent < timeout_ms ? (DWORD)(timeout_ms - spent) : 0);
    CloseHandle(done);
    return wait == WAIT_OBJECT_0 ? EXIT_OK : EXIT_TIMEOUT;
}

int instance_wait_idle(DWORD timeout_ms)
{
    HWND wnd = find_app_window(0);
    if (!wnd)
        return EXIT_NOT_RUNNING;
    return probe(wnd, timeout_ms);
}

int instance_show_history(void)
{
    DWORD pid = 0;
    HWND wnd = find_app_window(SHOW_HISTORY_WAIT_MS);
    if (!wnd)
        return EXIT_NOT_RUNNING;
    /* Let the running instance bring its window to the front. */
    GetWindowThreadProcessId(wnd, &pid);
    AllowSetForegroundWindow(pid);
    if (request(wnd, INSTANCE_SHOW_HISTORY, 0, SHOW_HISTORY_WAIT_MS) != EXIT_OK)
        return EXIT_ERROR;
    /* Return once the window is shown: the probe is handled after the
     * request. A slow answer is no error; the window is on its way. */
    probe(wnd, SHOW_HISTORY_WAIT_MS);
    return EXIT_OK;
}

int instance_request_exit(DWORD timeout_ms)
{
    DWORD pid = 0, wait;
    HANDLE process;
    ULONGLONG start = GetTickCount64(), spent;
    int rc;
    HWND wnd = find_app_window(0);
    if (!wnd)
        return EXIT_NOT_RUNNING;
    GetWindowThreadProcessId(wnd, &pid);
    process = OpenProcess(SYNCHRONIZE, FALSE, pid);
    rc = request(wnd, INSTANCE_EXIT, 0, timeout_ms);
    if (rc != EXIT_OK || !process) {
        if (process)
            CloseHandle(process);
        return rc; /* without a process handle: asked, cannot watch it go */
    }
    spent = GetTickCount64() - start;
    wait = WaitForSingleObject(process, spent < timeout_ms ? (DWORD)(timeout_ms - spent) : 0);
    CloseHandle(process);
    return wait == WAIT_OBJECT_0 ? EXIT_OK : EXIT_TIMEOUT;
}

int instance_request_sync_now(DWORD timeout_ms, int *result, HRESULT *hr)
{
    ULONGLONG until = GetTickCount64() + timeout_ms;
    MSG msg;
    int rc;
    HWND wnd = find_app_window(0);
    if (!wnd)
        return EXIT_NOT_RUNNING;
    /* The reply is a thread message: this thread needs its queue first. */
    PeekMessageW(&msg, NULL, WM_USER, WM_USER, PM_NOREMOVE);
    rc = request(wnd, INSTANCE_SYNC_NOW, 0, timeout_ms);
    if (rc != EXIT_OK)
        return rc;
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

int instance_query_status(DWORD timeout_ms, instance_status *out)
{
    asker k = {.out = out};
    int rc;
    HWND wnd = find_app_window(0);
    if (!wnd)
        return EXIT_NOT_RUNNING;
    if (!asker_open(&k))
        return EXIT_ERROR;
    rc = send_request(wnd, &k, INSTANCE_STATUS, 0, timeout_ms);
    if (rc == EXIT_OK && !k.answered)
        rc = EXIT_ERROR;
    asker_close(&k);
    return rc;
}

/* ---- the running instance's side ---- */

/* Only a process of this user may ask: a window's messages are open to every
 * process on the desktop, and another user's (runas, a service showing UI)
 * could otherwise make this instance exit or sync. Processes of lower
 * integrity cannot send WM_COPYDATA here at all: UIPI blocks them, and the
 * app window does not open its message filter. Windows gives a receiver no
 * word on who sent a message: the asker names its window in wParam, and
 * since a sender could name any window, that window is asked back whether it
 * sent this very request (it answers while its thread waits in the send), so
 * naming another process's window gets nothing done. */
BOOL instance_read_request(HWND self, WPARAM wp, LPARAM lp, instance_request *req)
{
    COPYDATASTRUCT confirm;
    DWORD_PTR confirmed = 0;
    const COPYDATASTRUCT *cds = (const COPYDATASTRUCT *)lp;
    const request_data *d = cds ? cds->lpData : NULL;
    HWND from = (HWND)wp;
    ZeroMemory(req, sizeof(*req));
    if (!d || cds->dwData != REQUEST_COPYDATA_TAG || cds->cbData != sizeof(*d) || d->size != sizeof(*d) ||
        d->command < INSTANCE_SHOW_HISTORY || d->command > INSTANCE_STATUS)
        return FALSE;
    if (!instance_window_of_user(from, &req->pid, &req->thread)) {
        debug_line(L"ofnotify: request %lu from window %p refused: not a process of this user\n",
                   (unsigned long)d->command, (void *)from);
        return FALSE;
    }
    confirm = *cds;
    confirm.dwData = CONFIRM_COPYDATA_TAG;
    if (!SendMessageTimeoutW(from, WM_COPYDATA, (WPARAM)self, (LPARAM)&confirm, SMTO_NORMAL | SMTO_ABORTIFHUNG,
                             CONFIRM_TIMEOUT_MS, &confirmed) ||
        !confirmed) {
        debug_line(L"ofnotify: request %lu refused: window %p did not send it\n", (unsigned long)d->command,
                   (void *)from);
        return FALSE;
    }
    req->command = (instance_command)d->command;
    req->asker = from;
    req->token = d->token;
    return TRUE;
}

/* Requests waiting for their WM_OFN_REQUEST, oldest first. Only the thread
 * of the app window uses them. */
#define DEFERRED_MAX 32
static instance_request deferred[DEFERRED_MAX];
static unsigned deferred_first, deferred_count;

BOOL instance_defer(HWND self, const instance_request *req)
{
    if (deferred_count == DEFERRED_MAX)
        return FALSE;
    if (!PostMessageW(self, WM_OFN_REQUEST, 0, 0))
        return FALSE;
    deferred[(deferred_first + deferred_count++) % DEFERRED_MAX] = *req;
    return TRUE;
}

BOOL instance_next_deferred(instance_request *req)
{
    if (!deferred_count)
        return FALSE;
    *req = deferred[deferred_first];
    deferred_first = (deferred_first + 1) % DEFERRED_MAX;
    deferred_count--;
    return TRUE;
}

LRESULT instance_answer_status(HWND self, HWND asker_wnd, const instance_status *st)
{
    COPYDATASTRUCT cds = {.dwData = STATUS_COPYDATA_TAG, .cbData = sizeof(*st), .lpData = (void *)st};
    DWORD_PTR result = 0;
    if (!asker_wnd || !IsWindow(asker_wnd))
        return FALSE;
    if (!SendMessageTimeoutW(asker_wnd, WM_COPYDATA, (WPARAM)self, (LPARAM)&cds, SMTO_NORMAL | SMTO_ABORTIFHUNG,
                             STATUS_REPLY_TIMEOUT_MS, &result))
        return FALSE;
    return result ? TRUE : FALSE;
}

void instance_answer_idle_probe(const instance_request *req)
{
    WCHAR name[64];
    HANDLE done;
    probe_event_name(req->pid, req->token, name, ARRAYSIZE(name));
    done = OpenEventW(EVENT_MODIFY_STATE, FALSE, name);
    if (done) {
        SetEvent(done);
        CloseHandle(done);
    }
}
