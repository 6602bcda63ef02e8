/* The single instance and its requests (src/app/instance.c): the mutex is
 * named after the user's SID, owned by the user and open to the user only; a
 * name another owner holds is not an instance; a request is read only from a
 * window of a process of this user, well-formed, and queued requests come
 * out once, oldest first. A request must also be confirmed by the window
 * it names, so naming a window that did not send it gets nothing done. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <windows.h>
#include <aclapi.h>
#include <sddl.h>
#include <stdio.h>

#include "../../src/app/instance.h"
#include "../../src/app/messages.h"

/* The wire form of a request, as instance.c sends it: forged here to see
 * what the reader refuses. */
#define REQUEST_TAG 0x4F465251u
typedef struct request_data {
    DWORD size, command, token;
} request_data;

static WCHAR *user_sid_text(void)
{
    HANDLE token;
    BYTE buf[256];
    DWORD n = 0;
    WCHAR *text = NULL;
    assert_true(OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token));
    assert_true(GetTokenInformation(token, TokenUser, buf, sizeof(buf), &n));
    CloseHandle(token);
    assert_true(ConvertSidToStringSidW(((TOKEN_USER *)buf)->User.Sid, &text));
    return text;
}

static void mutex_name(WCHAR *name, size_t cap)
{
    WCHAR *sid = user_sid_text();
    _snwprintf(name, cap, L"Local\\ofnotify.instance.%ls", sid);
    name[cap - 1] = 0;
    LocalFree(sid);
}

/* ---- the mutex ---- */

static void test_claim_is_per_user_and_locked_to_the_user(void **state)
{
    WCHAR name[256], *owner_text = NULL, *sid = user_sid_text();
    HANDLE mutex = NULL, again = (HANDLE)1, open;
    PSID owner = NULL;
    PACL dacl = NULL;
    PSECURITY_DESCRIPTOR sd = NULL;
    ACCESS_ALLOWED_ACE *ace = NULL;
    (void)state;
    mutex_name(name, ARRAYSIZE(name));

    assert_int_equal(instance_claim(&mutex), INSTANCE_FIRST);
    assert_non_null(mutex);
    open = OpenMutexW(SYNCHRONIZE, FALSE, name);
    assert_non_null(open); /* the name carries the user's SID */
    CloseHandle(open);
    assert_int_equal(GetSecurityInfo(mutex, SE_KERNEL_OBJECT, OWNER_SECURITY_INFORMATION | DACL_SECURITY_INFORMATION,
                                     &owner, NULL, &dacl, NULL, &sd),
                     ERROR_SUCCESS);
    assert_true(ConvertSidToStringSidW(owner, &owner_text));
    assert_int_equal(lstrcmpW(owner_text, sid), 0);
    /* One ACE: the user, allowed. */
    assert_non_null(dacl);
    assert_int_equal(dacl->AceCount, 1);
    assert_true(GetAce(dacl, 0, (void **)&ace));
    assert_int_equal(ace->Header.AceType, ACCESS_ALLOWED_ACE_TYPE);
    assert_true(EqualSid((PSID)&ace->SidStart, owner));

    /* While it is held, the user's instance runs. */
    assert_int_equal(instance_claim(&again), INSTANCE_RUNNING);
    assert_null(again);
    ReleaseMutex(mutex);
    CloseHandle(mutex);
    assert_int_equal(instance_claim(&again), INSTANCE_FIRST);
    assert_non_null(again);
    ReleaseMutex(again);
    CloseHandle(again);
    LocalFree(owner_text);
    LocalFree(sd);
    LocalFree(sid);
}

static LRESULT CALLBACK plain_proc(HWND wnd, UINT msg, WPARAM wp, LPARAM lp)
{
    return DefWindowProcW(wnd, msg, wp, lp);
}

/* A mutex of that name that another owner made first (here the
 * Administrators group, which this test's token may name as owner) is not an
 * instance: ofnotify starts without it, unless a window of the user's
 * instance is there. */
static void test_a_squatted_name_is_not_an_instance(void **state)
{
    WCHAR name[256];
    SECURITY_ATTRIBUTES sa = {.nLength = sizeof(sa)};
    const WNDCLASSW wc = {.lpfnWndProc = plain_proc, .hInstance = GetModuleHandleW(NULL),
                          .lpszClassName = APP_WINDOW_CLASS};
    HANDLE squat, mutex = (HANDLE)1;
    HWND wnd;
    (void)state;
    mutex_name(name, ARRAYSIZE(name));
    assert_true(ConvertStringSecurityDescriptorToSecurityDescriptorW(L"O:BAD:(A;;GA;;;WD)", SDDL_REVISION_1,
                                                                     &sa.lpSecurityDescriptor, NULL));
    squat = CreateMutexW(&sa, FALSE, name);
    LocalFree(sa.lpSecurityDescriptor);
    if (!squat)
        skip(); /* this token may not give the object away */

    assert_int_equal(instance_claim(&mutex), INSTANCE_FIRST);
    assert_null(mutex);

    assert_true(RegisterClassW(&wc));
    wnd = CreateWindowExW(0, APP_WINDOW_CLASS, L"ofnotify", WS_POPUP, 0, 0, 0, 0, NULL, NULL, wc.hInstance, NULL);
    assert_non_null(wnd);
    assert_int_equal(instance_claim(&mutex), INSTANCE_RUNNING);
    assert_null(mutex);
    DestroyWindow(wnd);
    UnregisterClassW(APP_WINDOW_CLASS, wc.hInstance);
    CloseHandle(squat);
}

/* ---- requests ---- */

typedef struct stand_in {
    HANDLE ready, quit, thread;
    HWND wnd;
    DWORD thread_id;
    int reads, refused;
    instance_request first, last;
} stand_in;

static stand_in *the_stand_in;

static LRESULT CALLBACK app_proc(HWND wnd, UINT msg, WPARAM wp, LPARAM lp)
{
    if (msg == WM_COPYDATA) {
        instance_request req;
        if (!instance_read_request(wnd, wp, lp, &req)) {
            the_stand_in->refused++;
            return FALSE;
        }
        if (!the_stand_in->reads++)
            the_stand_in->first = req;
        the_stand_in->last = req;
        if (req.command == INSTANCE_IDLE_PROBE)
            instance_answer_idle_probe(&req);
        return TRUE;
    }
    return DefWindowProcW(wnd, msg, wp, lp);
}

static DWORD WINAPI stand_in_thread(void *param)
{
    stand_in *s = param;
    MSG msg;
    s->wnd = CreateWindowExW(0, APP_WINDOW_CLASS, L"ofnotify", WS_POPUP, 0, 0, 0, 0, NULL, NULL,
                             GetModuleHandleW(NULL), NULL);
    SetEvent(s->ready);
    while (MsgWaitForMultipleObjects(1, &s->quit, FALSE, INFINITE, QS_ALLINPUT) != WAIT_OBJECT_0)
        while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE))
            DispatchMessageW(&msg);
    DestroyWindow(s->wnd);
    return 0;
}

static int start(void **state)
{
    static stand_in s;
    const WNDCLASSW wc = {.lpfnWndProc = app_proc, .hInstance = GetModuleHandleW(NULL),
                          .lpszClassName = APP_WINDOW_CLASS};
    ZeroMemory(&s, sizeof(s));
    if (!RegisterClassW(&wc))
        return -1;
    s.ready = CreateEventW(NULL, TRUE, FALSE, NULL);
    s.quit = CreateEventW(NULL, TRUE, FALSE, NULL);
    the_stand_in = &s;
    s.thread = CreateThread(NULL, 0, stand_in_thread, &s, 0, &s.thread_id);
    if (!s.thread || WaitForSingleObject(s.ready, 5000) != WAIT_OBJECT_0 || !s.wnd)
        return -1;
    *state = &s;
    return 0;
}

static int stop(void **state)
{
    stand_in *s = *state;
    SetEvent(s->quit);
    WaitForSingleObject(s->thread, INFINITE);
    CloseHandle(s->thread);
    CloseHandle(s->ready);
    CloseHandle(s->quit);
    UnregisterClassW(APP_WINDOW_CLASS, GetModuleHandleW(NULL));
    return 0;
}

static LRESULT send_forged(HWND app, HWND from, DWORD tag, const request_data *d, DWORD size)
{
    COPYDATASTRUCT cds = {.dwData = tag, .cbData = size, .lpData = (void *)d};
    DWORD_PTR result = 0;
    assert_true(SendMessageTimeoutW(app, WM_COPYDATA, (WPARAM)from, (LPARAM)&cds, SMTO_NORMAL, 5000, &result));
    return (LRESULT)result;
}

static void test_a_request_of_this_user_is_read(void **state)
{
    stand_in *s = *state;
    ULONGLONG t0 = GetTickCount64();
    assert_int_equal(instance_show_history(), EXIT_OK);
    /* The request, then the probe that says it was handled. */
    assert_int_equal(s->reads, 2);
    assert_int_equal(s->first.command, INSTANCE_SHOW_HISTORY);
    assert_int_equal(s->first.pid, GetCurrentProcessId());
    assert_int_equal(s->first.thread, GetCurrentThreadId());
    assert_non_null(s->first.asker);
    assert_int_equal(s->last.command, INSTANCE_IDLE_PROBE);
    assert_true(GetTickCount64() - t0 < 4000); /* the answered probe, not its timeout */
}

static void test_a_request_without_a_window_of_this_user_is_refused(void **state)
{
    stand_in *s = *state;
    request_data d = {sizeof(d), INSTANCE_EXIT, 0};
    HWND gone = CreateWindowExW(0, L"STATIC", L"", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, NULL, NULL);
    HWND mine = CreateWindowExW(0, L"STATIC", L"", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, NULL, NULL);
    assert_non_null(gone);
    DestroyWindow(gone);

    /* No window, a window that is gone, a made-up handle: nobody to check. */
    assert_int_equal(send_forged(s->wnd, NULL, REQUEST_TAG, &d, sizeof(d)), FALSE);
    assert_int_equal(send_forged(s->wnd, gone, REQUEST_TAG, &d, sizeof(d)), FALSE);
    assert_int_equal(send_forged(s->wnd, (HWND)(ULONG_PTR)0x7ffe0, REQUEST_TAG, &d, sizeof(d)), FALSE);
    /* A window of this user, but not a request. */
    assert_int_equal(send_forged(s->wnd, mine, 0x4F465354u, &d, sizeof(d)), FALSE);
    assert_int_equal(send_forged(s->wnd, mine, REQUEST_TAG, &d, sizeof(d) - 1), FALSE);
    d.command = INSTANCE_STATUS + 1;
    assert_int_equal(send_forged(s->wnd, mine, REQUEST_TAG, &d, sizeof(d)), FALSE);
    d.command = 0;
    assert_int_equal(send_forged(s->wnd, mine, REQUEST_TAG, &d, sizeof(d)), FALSE);
    /* A well-formed request naming a window of this user that did not send
     * it: that window cannot confirm it, so nothing is done. */
    d.command = INSTANCE_EXIT;
    assert_int_equal(send_forged(s->wnd, mine, REQUEST_TAG, &d, sizeof(d)), FALSE);
    assert_int_equal(s->reads, 0);
    assert_int_equal(s->refused, 8);
    DestroyWindow(mine);
}

static void test_window_of_user(void **state)
{
    stand_in *s = *state;
    DWORD pid = 0, thread = 0;
    assert_true(instance_window_of_user(s->wnd, &pid, &thread));
    assert_int_equal(pid, GetCurrentProcessId());
    assert_int_equal(thread, s->thread_id);
    assert_true(instance_window_of_user(s->wnd, NULL, NULL));
    assert_false(instance_window_of_user(NULL, &pid, NULL));
}

/* Queued requests come out once each, oldest first; a WM_OFN_REQUEST nobody
 * queued (posted by anyone) finds nothing. */
static void test_deferred_requests_come_out_once_in_order(void **state)
{
    stand_in *s = *state;
    instance_request req = {.command = INSTANCE_IDLE_PROBE}, got;
    HWND self = CreateWindowExW(0, L"STATIC", L"", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, NULL, NULL);
    MSG msg;
    int posted = 0;
    (void)s;
    assert_false(instance_next_deferred(&got));
    for (DWORD i = 0; i < 3; i++) {
        req.token = i;
        assert_true(instance_defer(self, &req));
    }
    while (PeekMessageW(&msg, self, WM_OFN_REQUEST, WM_OFN_REQUEST, PM_REMOVE))
        posted++;
    assert_int_equal(posted, 3);
    for (DWORD i = 0; i < 3; i++) {
        assert_true(instance_next_deferred(&got));
        assert_int_equal(got.command, INSTANCE_IDLE_PROBE);
        assert_int_equal(got.token, i);
    }
    assert_false(instance_next_deferred(&got));
    DestroyWindow(self);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_claim_is_per_user_and_locked_to_the_user),
        cmocka_unit_test(test_a_squatted_name_is_not_an_instance),
        cmocka_unit_test_setup_teardown(test_a_request_of_this_user_is_read, start, stop),
        cmocka_unit_test_setup_teardown(test_a_request_without_a_window_of_this_user_is_refused, start, stop),
        cmocka_unit_test_setup_teardown(test_window_of_user, start, stop),
        cmocka_unit_test_setup_teardown(test_deferred_requests_come_out_once_in_order, start, stop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
