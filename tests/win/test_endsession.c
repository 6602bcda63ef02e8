/* The tray app at the end of a session and under Restart Manager
 * (src/app/app.c): the real app_run on its own thread, with a fresh data
 * folder and no Offline Files service, gets what Windows sends.
 *
 * WM_QUERYENDSESSION is answered TRUE. A WM_ENDSESSION with wParam FALSE
 * (the end was cancelled) changes nothing. WM_ENDSESSION with
 * ENDSESSION_CLOSEAPP, as Restart Manager sends it for an installer, ends
 * app_run (so the process) promptly, and every sink event posted before it
 * is handled first: the app thread is suspended while a Begin/End pair and
 * a lone Begin are posted and WM_ENDSESSION is sent, so a sent message
 * that Windows handles before posted ones finds all three still queued.
 * The history then holds the pair as completed and the lone Begin as
 * interrupted (shutdown). Sink events posted without the process's key
 * (postkey.h), as another program on the desktop could post them, among
 * them one whose lParam is no pointer of the app's, change nothing. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <windows.h>
#include <objbase.h>
#include <stdio.h>
#include <string.h>

#include "../../src/app/app.h"
#include "../../src/app/fs_win32.h"
#include "../../src/app/instance.h"
#include "../../src/app/messages.h"
#include "../../src/app/paths.h"
#include "../../src/app/postkey.h"
#include "../../src/app/sink.h"
#include "ofnotify/history.h"
#include "offlinefiles.h"
#include "support/apartment.h"

#define PAIR_FLAGS (OFFLINEFILES_SYNC_CONTROL_FLAG_SYNCIN | OFFLINEFILES_SYNC_CONTROL_FLAG_SYNCOUT)
#define LONE_FLAGS OFFLINEFILES_SYNC_CONTROL_FLAG_SYNCOUT
#define WAIT_MS 10000

typedef struct run {
    WCHAR dir[MAX_PATH];
    cli_options opts;
    HANDLE started; /* set once the app window exists */
    int rc;
} run;

/* On its own single-threaded apartment, as the app's main thread is. */
static void app_thread(void *param)
{
    run *r = param;
    r->rc = app_run(GetModuleHandleW(NULL), &r->opts);
}

typedef struct send_args {
    HWND wnd;
    UINT msg;
    WPARAM wp;
    LPARAM lp;
    DWORD_PTR result;
    BOOL sent;
} send_args;

static DWORD WINAPI send_thread(void *param)
{
    send_args *s = param;
    s->sent = SendMessageTimeoutW(s->wnd, s->msg, s->wp, s->lp, SMTO_NORMAL, WAIT_MS, &s->result) != 0;
    return 0;
}

static void read_history(const WCHAR *dir, of_history **h)
{
    char path[MAX_PATH * 8];
    of_history_report report;
    assert_int_equal(paths_history_utf8(dir, path, sizeof(path)), 0);
    assert_int_equal(of_history_open(h, fs_win32(), path, OF_HISTORY_READONLY, 0, &report), OF_HISTORY_OK);
}

static void remove_data_dir(const WCHAR *dir)
{
    WCHAR file[MAX_PATH * 2];
    _snwprintf(file, ARRAYSIZE(file), L"%ls\\%ls", dir, HISTORY_FILE_NAME);
    file[ARRAYSIZE(file) - 1] = 0;
    DeleteFileW(file);
    RemoveDirectoryW(dir);
}

static void test_restart_manager_closes_the_app_after_the_queued_events(void **state)
{
    static run r;
    WCHAR tmp[MAX_PATH];
    DWORD_PTR answer = 0;
    send_args end = {0};
    HANDLE thread, sender;
    HWND wnd;
    of_history *h = NULL;
    const of_record *rec;
    (void)state;

    GetTempPathW(ARRAYSIZE(tmp), tmp);
    _snwprintf(r.dir, ARRAYSIZE(r.dir), L"%lsofnotify-endsession-%lu", tmp, GetCurrentProcessId());
    r.dir[ARRAYSIZE(r.dir) - 1] = 0;
    r.opts.mode = CLI_TRAY;
    r.opts.data_dir = r.dir;
    r.rc = -1;
    thread = apartment_thread(COINIT_APARTMENTTHREADED, app_thread, &r);
    assert_non_null(thread);
    wnd = apartment_wait_window(APP_WINDOW_CLASS, WAIT_MS);
    assert_non_null(wnd);

    /* Asked first: the app agrees. */
    assert_true(SendMessageTimeoutW(wnd, WM_QUERYENDSESSION, 0, ENDSESSION_CLOSEAPP, SMTO_NORMAL, WAIT_MS, &answer));
    assert_int_equal(answer, TRUE);
    /* Another application refused: the session goes on, and so does the app. */
    assert_true(SendMessageTimeoutW(wnd, WM_ENDSESSION, FALSE, ENDSESSION_CLOSEAPP, SMTO_NORMAL, WAIT_MS, &answer));
    assert_int_equal(WaitForSingleObject(thread, 300), WAIT_TIMEOUT);
    assert_true(IsWindow(wnd));

    /* The events are queued behind the app's back, then WM_ENDSESSION. */
    assert_true(SuspendThread(thread) != (DWORD)-1);
    assert_true(PostMessageW(wnd, WM_OFN_SINK_EVENT, postkey_wrap(SINK_BACKGROUND_SYNC_BEGIN), PAIR_FLAGS));
    assert_true(PostMessageW(wnd, WM_OFN_SINK_EVENT, SINK_BACKGROUND_SYNC_BEGIN, LONE_FLAGS));
    assert_true(PostMessageW(wnd, WM_OFN_SINK_EVENT, SINK_SYNC_FILE_RESULT, (LPARAM)0x5EED));
    assert_true(PostMessageW(wnd, WM_OFN_SINK_EVENT, postkey_wrap(SINK_BACKGROUND_SYNC_END), PAIR_FLAGS));
    assert_true(PostMessageW(wnd, WM_OFN_SINK_EVENT, SINK_BACKGROUND_SYNC_END, LONE_FLAGS));
    assert_true(PostMessageW(wnd, WM_OFN_SINK_EVENT, postkey_wrap(SINK_BACKGROUND_SYNC_BEGIN), LONE_FLAGS));
    end.wnd = wnd;
    end.msg = WM_ENDSESSION;
    end.wp = TRUE;
    end.lp = ENDSESSION_CLOSEAPP;
    sender = CreateThread(NULL, 0, send_thread, &end, 0, NULL);
    assert_non_null(sender);
    Sleep(300); /* the sent message is queued by now */
    ResumeThread(thread);

    /* Restart Manager waits for the process: app_run must return, cleanly. */
    assert_int_equal(WaitForSingleObject(thread, WAIT_MS), WAIT_OBJECT_0);
    assert_int_equal(WaitForSingleObject(sender, WAIT_MS), WAIT_OBJECT_0);
    assert_true(end.sent);
    assert_int_equal(r.rc, 0);
    assert_false(IsWindow(wnd));
    CloseHandle(sender);
    CloseHandle(thread);

    read_history(r.dir, &h);
    assert_int_equal(of_history_count(h), 2);
    rec = of_history_get(h, 0);
    assert_int_equal(rec->status, OF_STATUS_COMPLETED);
    assert_int_equal(rec->flags, PAIR_FLAGS);
    rec = of_history_get(h, 1);
    assert_int_equal(rec->status, OF_STATUS_INTERRUPTED);
    assert_int_equal(rec->reason, OF_REASON_SHUTDOWN);
    assert_int_equal(rec->flags, LONE_FLAGS);
    of_history_close(h);
    remove_data_dir(r.dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_restart_manager_closes_the_app_after_the_queued_events),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
