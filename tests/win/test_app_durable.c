/* An ended pass is on disk when app_record_pass returns, also in the two
 * moments where the history cannot take it at once (src/app/app_store.c,
 * app_records.c), with the app's own state behind a plain window:
 *
 * Before start-up has opened the history (the open waits for the message
 * loop), a record goes to history.dat.journal, flushed; the history file is
 * not made, and nobody is told of a problem. When start-up opens it, the
 * journal is merged and removed, the record is announced (a balloon due,
 * naming its number in the history), and the next record goes straight to
 * the history.
 *
 * During a call into cscsvc, an End comes through the subscription the
 * call makes: app_on_csc_call_event gives up the passes begun before it
 * (once a call), and the call's CSC_SUBSCRIBED then leaves the passes of the
 * new subscription open; a later CSC_SUBSCRIBED without an End in its call
 * gives up what is open, as always. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <windows.h>
#include <stdio.h>
#include <string.h>

#include "../../src/app/app_private.h"
#include "../../src/app/fs_win32.h"
#include "../../src/app/paths.h"
#include "ofnotify/journal.h"

#define OLD_FLAGS 0x00010006u
#define NEW_FLAGS 0x00050006u
#define MORE_FLAGS 0x00090006u

typedef struct fixture {
    app a;
    WCHAR dir[MAX_PATH];
    char journal_path[MAX_PATH * 8];
} fixture;

static LRESULT CALLBACK plain_proc(HWND wnd, UINT msg, WPARAM wp, LPARAM lp)
{
    return DefWindowProcW(wnd, msg, wp, lp);
}

static HWND plain_window(void)
{
    static ATOM atom;
    if (!atom) {
        const WNDCLASSEXW wc = {
            .cbSize = sizeof(wc),
            .lpfnWndProc = plain_proc,
            .hInstance = GetModuleHandleW(NULL),
            .lpszClassName = L"ofnotify-test-durable",
        };
        atom = RegisterClassExW(&wc);
    }
    return CreateWindowExW(0, L"ofnotify-test-durable", L"", WS_POPUP, 0, 0, 0, 0, NULL, NULL,
                           GetModuleHandleW(NULL), NULL);
}

static void remove_data_dir(const WCHAR *dir)
{
    WCHAR pattern[MAX_PATH * 2], file[MAX_PATH * 2];
    WIN32_FIND_DATAW fd;
    HANDLE find;
    _snwprintf(pattern, ARRAYSIZE(pattern), L"%ls\\*", dir);
    pattern[ARRAYSIZE(pattern) - 1] = 0;
    find = FindFirstFileW(pattern, &fd);
    if (find != INVALID_HANDLE_VALUE) {
        do {
            if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
                continue;
            _snwprintf(file, ARRAYSIZE(file), L"%ls\\%ls", dir, fd.cFileName);
            file[ARRAYSIZE(file) - 1] = 0;
            DeleteFileW(file);
        } while (FindNextFileW(find, &fd));
        FindClose(find);
    }
    RemoveDirectoryW(dir);
}

/* The app as start() leaves it before its first message: store, passes,
 * notifications and offline state ready, the history not opened yet. */
static int setup(void **state)
{
    static int counter;
    fixture *f = calloc(1, sizeof(*f));
    WCHAR tmp[MAX_PATH];
    assert_non_null(f);
    GetTempPathW(ARRAYSIZE(tmp), tmp);
    _snwprintf(f->dir, ARRAYSIZE(f->dir), L"%lsofnotify-durable-%lu-%d", tmp, GetCurrentProcessId(), ++counter);
    f->dir[ARRAYSIZE(f->dir) - 1] = 0;
    remove_data_dir(f->dir);
    assert_true(CreateDirectoryW(f->dir, NULL));
    f->a.wnd = plain_window();
    assert_non_null(f->a.wnd);
    lstrcpynW(f->a.data_dir, f->dir, ARRAYSIZE(f->a.data_dir));
    assert_int_equal(paths_history_utf8(f->dir, f->a.history_path, sizeof(f->a.history_path)), 0);
    snprintf(f->journal_path, sizeof(f->journal_path), "%s.journal", f->a.history_path);
    app_store_init(&f->a);
    of_pass_init(&f->a.passes, OF_PASS_DEFAULT_TIMEOUT_MS);
    of_pass_init(&f->a.own, 0);
    app_start_notify(&f->a, FALSE);
    app_offline_start(&f->a);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    app_store_close(&f->a);
    if (f->a.history)
        of_history_close(f->a.history);
    DestroyWindow(f->a.wnd);
    remove_data_dir(f->dir);
    free(f);
    return 0;
}

static BOOL file_exists(const char *path)
{
    WCHAR w[MAX_PATH * 2];
    MultiByteToWideChar(CP_UTF8, 0, path, -1, w, ARRAYSIZE(w));
    return GetFileAttributesW(w) != INVALID_FILE_ATTRIBUTES;
}

static of_record ended_pass(uint32_t flags, int64_t completed)
{
    of_record r = {0};
    r.started_ms = completed - 1500;
    r.completed_ms = completed;
    r.duration_ms = 1500;
    r.flags = r.begin_flags = flags;
    r.status = OF_STATUS_COMPLETED;
    return r;
}

static void test_a_record_before_the_history_opens_is_in_the_journal(void **state)
{
    fixture *f = *state;
    of_record first = ended_pass(NEW_FLAGS, 1700000000000), second = ended_pass(MORE_FLAGS, 1700000060000);
    of_journal *j = NULL;
    of_journal_report rep;
    store_health h;
    of_notify_batch batch;
    uint64_t due = 0;

    app_defer_history_open(&f->a);
    assert_true(f->a.history_deferred);
    app_record_pass(&f->a, &first);

    /* As the process would leave it if it ended now: the pass in the journal. */
    assert_false(file_exists(f->a.history_path));
    assert_int_equal(of_journal_open(&j, fs_win32(), f->journal_path, 0, &rep), OF_HISTORY_OK);
    assert_int_equal(of_journal_count(j), 1);
    assert_int_equal(of_journal_get(j, 0)->flags, NEW_FLAGS);
    assert_int_equal(of_journal_get(j, 0)->completed_ms, first.completed_ms);
    of_journal_close(j);
    /* Not a fault: nothing to tell. */
    h = app_store_health(&f->a);
    assert_int_equal(h.problem, STORE_OK);
    assert_int_equal(h.waiting, 1);
    assert_false(f->a.have_last);
    assert_int_equal(of_notify_next_due(&f->a.notify, &due), 0);

    /* Start-up's open: merged, the journal gone, the pass announced. */
    app_on_history_retry(&f->a);
    assert_false(f->a.history_deferred);
    assert_non_null(f->a.history);
    assert_false(file_exists(f->journal_path));
    assert_int_equal(of_history_count(f->a.history), 1);
    assert_int_equal(of_history_get(f->a.history, 0)->flags, NEW_FLAGS);
    assert_true(f->a.have_last);
    assert_int_equal(f->a.last.flags, NEW_FLAGS);
    assert_int_equal(app_store_health(&f->a).waiting, 0);
    /* Its balloon names it by its number in the history. */
    assert_int_equal(of_notify_next_due(&f->a.notify, &due), 1);
    assert_int_equal(of_notify_poll(&f->a.notify, due, 12 * 60, &batch), 1);
    assert_int_equal(batch.count, 1);
    assert_int_equal(batch.recs[0].flags, NEW_FLAGS);
    assert_int_equal(batch.recs[0].seq, of_history_get(f->a.history, 0)->seq);

    app_record_pass(&f->a, &second);
    assert_false(file_exists(f->journal_path));
    assert_int_equal(of_history_count(f->a.history), 2);
    assert_int_equal(of_history_get(f->a.history, 1)->flags, MORE_FLAGS);
}

static void assert_record(const of_history *h, size_t i, of_status status, uint32_t flags)
{
    const of_record *r = of_history_get(h, i);
    assert_non_null(r);
    assert_int_equal(r->status, status);
    assert_int_equal(r->begin_flags, flags);
    if (status == OF_STATUS_INTERRUPTED)
        assert_int_equal(r->reason, OF_REASON_SERVICE_LOST);
}

static void test_an_end_during_a_new_subscription_comes_after_what_it_replaces(void **state)
{
    fixture *f = *state;
    app *a = &f->a;
    assert_true(app_open_history(a)); /* no deferral here: the history is open */

    /* A pass of the old subscription, still open. */
    app_on_sink_event(a, SINK_BACKGROUND_SYNC_BEGIN, OLD_FLAGS);
    /* A call into cscsvc subscribes again; the new subscription's pass ends
     * inside it: what began before is given up first, then the End. */
    a->in_csc_call = TRUE;
    app_on_csc_call_event(a);
    app_on_sink_event(a, SINK_BACKGROUND_SYNC_BEGIN, OLD_FLAGS);
    app_on_sink_event(a, SINK_BACKGROUND_SYNC_BEGIN, MORE_FLAGS);
    app_on_sink_event(a, SINK_BACKGROUND_SYNC_END, OLD_FLAGS);
    app_on_csc_call_event(a); /* a second End in the same call gives up nothing */
    a->in_csc_call = FALSE;
    assert_int_equal(of_history_count(a->history), 2);
    assert_record(a->history, 0, OF_STATUS_INTERRUPTED, OLD_FLAGS);
    assert_record(a->history, 1, OF_STATUS_COMPLETED, OLD_FLAGS);
    assert_int_equal(of_pass_open_count(&a->passes), 1);

    /* The call returns: its subscription's open pass stays open. */
    app_on_csc_change(a, CSC_SUBSCRIBED);
    assert_int_equal(of_history_count(a->history), 2);
    assert_int_equal(of_pass_open_count(&a->passes), 1);

    /* The next new subscription, with no End in its call, gives it up. */
    app_on_csc_change(a, CSC_SUBSCRIBED);
    assert_int_equal(of_history_count(a->history), 3);
    assert_record(a->history, 2, OF_STATUS_INTERRUPTED, MORE_FLAGS);
    assert_int_equal(of_pass_open_count(&a->passes), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_a_record_before_the_history_opens_is_in_the_journal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_an_end_during_a_new_subscription_comes_after_what_it_replaces, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
