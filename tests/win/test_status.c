/* --status (src/app/status.c, instance.c): the report built from a
 * status_facts (a pure function, fed here with hand-made facts), the exit
 * code for every state of a running ofnotify, and the query itself against
 * a stand-in app window on another thread: one that answers, one that is
 * hung (SendMessageTimeout must give up, not hang), and none at all. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <windows.h>
#include <string.h>

#include "../../src/app/messages.h"
#include "../../src/app/status.h"
#include "offlinefiles.h"
#include "support/pump.h"

#define TEXT_CAP 8192

/* 2024-03-05T06:07:08.009Z as a FILETIME and as Unix milliseconds. */
#define SINCE_UNIX_MS 1709618828009ll
#define SINCE_FILETIME (116444736000000000ull + (ULONGLONG)SINCE_UNIX_MS * 10000)

static char text[TEXT_CAP];

/* A running ofnotify subscribed on Events4, a healthy machine, one record. */
static void healthy(status_facts *f)
{
    ZeroMemory(f, sizeof(*f));
    f->feature.source = CSC_FEATURE_STATUS_EX;
    f->feature.enabled = f->feature.active = f->feature.available = TRUE;
    f->service_state = SERVICE_RUNNING;
    f->instance = STATUS_ANSWERED;
    f->app.size = sizeof(f->app);
    f->app.pid = 4242;
    f->app.csc_state = CSC_STATE_RUNNING;
    f->app.level = 4;
    f->app.since = SINCE_FILETIME;
    f->app.events = (1ull << OFFLINEFILES_EVENT_BACKGROUNDSYNCBEGIN) | (1ull << OFFLINEFILES_EVENT_BACKGROUNDSYNCEND);
    strcpy(f->history_path, "C:\\Users\\anna\\AppData\\Local\\ofnotify\\history.dat");
    f->record_count = 17;
    f->have_last = TRUE;
    f->last.seq = 17;
    f->last.started_ms = SINCE_UNIX_MS + 60000;
    f->last.completed_ms = SINCE_UNIX_MS + 72345;
    f->last.duration_ms = 12345;
    f->last.flags = f->last.begin_flags = OFFLINEFILES_SYNC_CONTROL_FLAG_SYNCIN | OFFLINEFILES_SYNC_CONTROL_FLAG_SYNCOUT;
    f->last.status = OF_STATUS_COMPLETED;
}

static const char *format(const status_facts *f)
{
    size_t len = status_format(f, text, sizeof(text));
    assert_int_equal(len, strlen(text));
    assert_true(len > 0 && text[len - 1] == '\n');
    return text;
}

/* The line that starts with `label` (padded), without its newline. */
static const char *line_of(const char *report, const char *label)
{
    static char line[1024];
    const char *p = report;
    size_t n = strlen(label);
    while (p && *p) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (!strncmp(p, label, n)) {
            const char *v = p + n;
            while (*v == ' ')
                v++;
            len -= (size_t)(v - p);
            if (len >= sizeof(line))
                len = sizeof(line) - 1;
            memcpy(line, v, len);
            line[len] = 0;
            return line;
        }
        p = end ? end + 1 : NULL;
    }
    return NULL;
}

static void assert_line(const char *report, const char *label, const char *want)
{
    const char *got = line_of(report, label);
    if (!got)
        fail_msg("no line \"%s\" in:\n%s", label, report);
    if (strcmp(got, want))
        fail_msg("%s\n  got:  %s\n  want: %s", label, got, want);
}

/* ---- the report ---- */

static void test_healthy_report(void **state)
{
    status_facts f;
    (void)state;
    healthy(&f);
    format(&f);
    assert_memory_equal(text, "ofnotify " OFNOTIFY_VERSION " status\n", strlen("ofnotify " OFNOTIFY_VERSION " status\n"));
    assert_line(text, "Offline Files:", "enabled, active, available");
    assert_line(text, "CscService:", "running");
    assert_line(text, "Running ofnotify:",
                "process 4242, subscribed on IOfflineFilesEvents4 since 2024-03-05T06:07:08.009Z");
    assert_line(text, "Its filter asks for:", "BackgroundSyncBegin, BackgroundSyncEnd (DataLost and Ping come always)");
    assert_line(text, "Last sync recorded:",
                "2024-03-05T06:08:20.354Z, two-way, completed, took 12.345 s, flags 0x00000006");
    assert_line(text, "History file:", "C:\\Users\\anna\\AppData\\Local\\ofnotify\\history.dat (17 records)");
    assert_line(text, "Result:", "background syncs are heard and recorded (exit code 0)");
}

/* The running instance's history health: ok, a problem with records in a
 * journal, and records only in memory; the exit code stays the same. */
static void test_history_state(void **state)
{
    status_facts f;
    (void)state;
    healthy(&f);
    format(&f);
    assert_line(text, "History state:", "ok");
    assert_null(line_of(text, "Waiting records:"));

    f.app.store_problem = 1; /* app_store.h: STORE_NEWER_VERSION */
    f.app.store_where = 1;   /* STORE_IN_JOURNAL */
    f.app.store_waiting = 3;
    /* A name beyond ASCII comes out in UTF-8, as the history's path does. */
    wcscpy(f.app.journal_path, L"C:\\Users\\J\u00f6rg\\AppData\\Local\\ofnotify\\history.dat.journal");
    format(&f);
    assert_line(text, "History state:", "the file is from a newer version of ofnotify (left untouched)");
    assert_line(text, "Waiting records:",
                "3 in the journal C:\\Users\\J\xC3\xB6rg\\AppData\\Local\\ofnotify\\history.dat.journal, merged "
                "into the history once it can be written");
    assert_int_equal(status_exit_code(&f), EXIT_OK);

    f.app.store_problem = 3; /* STORE_DISK_FULL */
    f.app.store_where = 3;   /* STORE_IN_MEMORY */
    f.app.store_waiting = 2;
    f.app.store_lost = 1;
    f.app.journal_path[0] = 0;
    format(&f);
    assert_line(text, "History state:", "the disk is full");
    assert_line(text, "Waiting records:", "2 in memory, merged into the history once it can be written");
    assert_line(text, "Lost records:", "1 records could not even be kept in memory");

    /* Not running: nothing is said about a store it does not know. */
    f.instance = STATUS_NOT_RUNNING;
    format(&f);
    assert_null(line_of(text, "History state:"));
}

static void test_each_level_is_named(void **state)
{
    static const char *const want[] = {
        "process 4242, subscribed on IOfflineFilesEvents2 since 2024-03-05T06:07:08.009Z",
        "process 4242, subscribed on IOfflineFilesEvents3 since 2024-03-05T06:07:08.009Z",
    };
    status_facts f;
    (void)state;
    healthy(&f);
    for (DWORD level = 2; level <= 3; level++) {
        f.app.level = level;
        assert_line(format(&f), "Running ofnotify:", want[level - 2]);
    }
}

static void test_not_running_still_reports_the_rest(void **state)
{
    status_facts f;
    (void)state;
    healthy(&f);
    f.instance = STATUS_NOT_RUNNING;
    format(&f);
    assert_line(text, "Running ofnotify:", "not running");
    assert_null(line_of(text, "Its filter asks for:"));
    assert_line(text, "Offline Files:", "enabled, active, available");
    assert_line(text, "CscService:", "running");
    assert_line(text, "History file:", "C:\\Users\\anna\\AppData\\Local\\ofnotify\\history.dat (17 records)");
    assert_line(text, "Result:", "ofnotify is not running, so nothing is recorded (exit code 3)");
}

static void test_not_subscribed_says_why(void **state)
{
    static const struct {
        DWORD state;
        const char *line;
    } cases[] = {
        {CSC_STATE_TOO_OLD, "process 4242, not subscribed: the service offers only IOfflineFilesEvents, which "
                            "carries no background syncs"},
        {CSC_STATE_RECONNECTING, "process 4242, not subscribed: waiting for the service"},
        {CSC_STATE_DISABLED, "process 4242, not subscribed: Offline Files is turned off"},
        {CSC_STATE_UNAVAILABLE, "process 4242, not subscribed: Offline Files is not available"},
    };
    status_facts f;
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(cases); i++) {
        healthy(&f);
        f.app.csc_state = cases[i].state;
        f.app.level = 0;
        f.app.since = 0;
        format(&f);
        assert_line(text, "Running ofnotify:", cases[i].line);
        assert_line(text, "Result:", "ofnotify runs but hears of no background sync (exit code 6)");
    }
}

static void test_hung_instance(void **state)
{
    status_facts f;
    (void)state;
    healthy(&f);
    f.instance = STATUS_NO_ANSWER;
    format(&f);
    assert_line(text, "Running ofnotify:", "runs, but did not answer within 5000 ms");
    assert_line(text, "Result:", "the running ofnotify did not answer (exit code 4)");
}

static void test_feature_and_service_variants(void **state)
{
    status_facts f;
    (void)state;
    healthy(&f);
    f.feature.source = CSC_FEATURE_UNKNOWN;
    f.service_state = 0;
    f.service_error = ERROR_SERVICE_DOES_NOT_EXIST;
    format(&f);
    assert_line(text, "Offline Files:", "unknown (no OfflineFilesQueryStatusEx or OfflineFilesQueryStatus in cscapi.dll)");
    assert_line(text, "CscService:", "not installed");

    f.feature.source = CSC_FEATURE_STATUS;
    f.feature.enabled = TRUE;
    f.feature.active = FALSE;
    f.service_state = SERVICE_STOPPED;
    format(&f);
    assert_line(text, "Offline Files:",
                "enabled, not active (OfflineFilesQueryStatus; no OfflineFilesQueryStatusEx to say if available)");
    assert_line(text, "CscService:", "stopped");

    f.feature.source = CSC_FEATURE_STATUS_EX;
    f.feature.enabled = f.feature.active = f.feature.available = FALSE;
    f.service_state = SERVICE_START_PENDING;
    format(&f);
    assert_line(text, "Offline Files:", "not enabled, not active, not available");
    assert_line(text, "CscService:", "starting");

    f.feature.source = CSC_FEATURE_QUERY_FAILED;
    f.feature.error = ERROR_ACCESS_DENIED;
    f.service_state = 0;
    f.service_error = ERROR_ACCESS_DENIED;
    format(&f);
    assert_line(text, "Offline Files:", "unknown (cscapi.dll's query failed with error 5)");
    assert_line(text, "CscService:", "unknown (error 5)");
}

static void test_last_record_variants(void **state)
{
    status_facts f;
    (void)state;
    healthy(&f);
    f.last.status = OF_STATUS_INTERRUPTED;
    f.last.reason = OF_REASON_SHUTDOWN;
    f.last.flags = OFFLINEFILES_SYNC_CONTROL_FLAG_SYNCOUT;
    assert_line(format(&f), "Last sync recorded:",
                "2024-03-05T06:08:20.354Z, to-server, interrupted: ofnotify exited, flags 0x00000004");

    f.have_last = FALSE;
    f.record_count = 0;
    format(&f);
    assert_line(text, "Last sync recorded:", "none");
    assert_line(text, "History file:", "C:\\Users\\anna\\AppData\\Local\\ofnotify\\history.dat (0 records)");

    f.record_count = 1;
    f.have_last = TRUE;
    assert_line(format(&f), "History file:", "C:\\Users\\anna\\AppData\\Local\\ofnotify\\history.dat (1 record)");

    f.history_error = "written by a newer ofnotify";
    format(&f);
    assert_line(text, "Last sync recorded:", "unknown (the history could not be read)");
    assert_line(text, "History file:",
                "C:\\Users\\anna\\AppData\\Local\\ofnotify\\history.dat (cannot be read: written by a newer ofnotify)");
}

static void test_no_filter_means_every_event(void **state)
{
    status_facts f;
    (void)state;
    healthy(&f);
    f.app.events = 0;
    assert_line(format(&f), "Its filter asks for:", "every event (no filter)");
    f.app.events = 1ull << OFFLINEFILES_EVENT_PREFETCHCLOSEHANDLEEND;
    assert_line(format(&f), "Its filter asks for:", "PrefetchCloseHandleEnd (DataLost and Ping come always)");
}

static void test_small_buffer_is_cut_and_terminated(void **state)
{
    status_facts f;
    char small[40];
    size_t len;
    (void)state;
    healthy(&f);
    memset(small, 'x', sizeof(small));
    len = status_format(&f, small, sizeof(small));
    assert_true(len < sizeof(small));
    assert_int_equal(strlen(small), len);
    assert_int_equal(status_format(&f, small, 0), 0);
}

/* ---- exit codes ---- */

static void test_exit_codes(void **state)
{
    status_facts f;
    (void)state;
    healthy(&f);
    assert_int_equal(status_exit_code(&f), EXIT_OK);
    f.app.level = 2;
    assert_int_equal(status_exit_code(&f), EXIT_OK);
    /* Level 1 carries no background syncs, whatever the state says. */
    f.app.level = 1;
    assert_int_equal(status_exit_code(&f), EXIT_NOT_SUBSCRIBED);
    f.app.level = 0;
    assert_int_equal(status_exit_code(&f), EXIT_NOT_SUBSCRIBED);
    healthy(&f);
    f.app.csc_state = CSC_STATE_TOO_OLD;
    assert_int_equal(status_exit_code(&f), EXIT_NOT_SUBSCRIBED);
    f.app.csc_state = CSC_STATE_RECONNECTING;
    assert_int_equal(status_exit_code(&f), EXIT_NOT_SUBSCRIBED);
    healthy(&f);
    f.instance = STATUS_NOT_RUNNING;
    assert_int_equal(status_exit_code(&f), EXIT_NOT_RUNNING);
    f.instance = STATUS_NO_ANSWER;
    assert_int_equal(status_exit_code(&f), EXIT_TIMEOUT);
    /* the documented numbers */
    assert_int_equal(EXIT_NOT_RUNNING, 3);
    assert_int_equal(EXIT_TIMEOUT, 4);
    assert_int_equal(EXIT_NOT_SUBSCRIBED, 6);
}

/* ---- the query, against a stand-in app window on another thread ---- */

typedef struct stand_in {
    BOOL hung;          /* creates its window and then does not pump */
    HANDLE ready, quit;
    HWND wnd;
    LONG queries;
} stand_in;

static stand_in *the_stand_in;

static LRESULT CALLBACK stand_in_proc(HWND wnd, UINT msg, WPARAM wp, LPARAM lp)
{
    instance_request req;
    if (msg == WM_COPYDATA && instance_read_request(wnd, wp, lp, &req) && req.command == INSTANCE_STATUS) {
        instance_status st = {.size = sizeof(st), .pid = 777, .csc_state = CSC_STATE_RUNNING, .level = 3,
                              .since = SINCE_FILETIME};
        st.events = 1ull << OFFLINEFILES_EVENT_BACKGROUNDSYNCEND;
        lstrcpyW(st.history_path, L"D:\\data\\history.dat");
        InterlockedIncrement(&the_stand_in->queries);
        return instance_answer_status(wnd, req.asker, &st);
    }
    return DefWindowProcW(wnd, msg, wp, lp);
}

static DWORD WINAPI stand_in_thread(void *param)
{
    stand_in *s = param;
    s->wnd = CreateWindowExW(0, APP_WINDOW_CLASS, L"ofnotify", WS_POPUP, 0, 0, 0, 0, NULL, NULL,
                             GetModuleHandleW(NULL), NULL);
    SetEvent(s->ready);
    if (s->hung)
        WaitForSingleObject(s->quit, INFINITE);
    else
        pump_until(s->quit, INFINITE, NULL, NULL);
    DestroyWindow(s->wnd);
    return 0;
}

static HANDLE start_stand_in(stand_in *s, BOOL hung)
{
    HANDLE thread;
    ZeroMemory(s, sizeof(*s));
    s->hung = hung;
    s->ready = CreateEventW(NULL, TRUE, FALSE, NULL);
    s->quit = CreateEventW(NULL, TRUE, FALSE, NULL);
    the_stand_in = s;
    thread = CreateThread(NULL, 0, stand_in_thread, s, 0, NULL);
    assert_non_null(thread);
    WaitForSingleObject(s->ready, INFINITE);
    assert_non_null(s->wnd);
    return thread;
}

static void stop_stand_in(stand_in *s, HANDLE thread)
{
    SetEvent(s->quit);
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    CloseHandle(s->ready);
    CloseHandle(s->quit);
}

static int register_app_class(void **state)
{
    const WNDCLASSEXW wc = {.cbSize = sizeof(wc), .lpfnWndProc = stand_in_proc, .hInstance = GetModuleHandleW(NULL),
                            .lpszClassName = APP_WINDOW_CLASS};
    (void)state;
    return RegisterClassExW(&wc) ? 0 : -1;
}

static int unregister_app_class(void **state)
{
    (void)state;
    UnregisterClassW(APP_WINDOW_CLASS, GetModuleHandleW(NULL));
    return 0;
}

static void test_query_answered(void **state)
{
    stand_in s;
    instance_status st;
    HANDLE thread = start_stand_in(&s, FALSE);
    (void)state;
    memset(&st, 0, sizeof(st));
    assert_int_equal(instance_query_status(5000, &st), EXIT_OK);
    assert_int_equal(s.queries, 1);
    assert_int_equal(st.size, sizeof(st));
    assert_int_equal(st.pid, 777);
    assert_int_equal(st.csc_state, CSC_STATE_RUNNING);
    assert_int_equal(st.level, 3);
    assert_true(st.since == SINCE_FILETIME);
    assert_true(st.events == 1ull << OFFLINEFILES_EVENT_BACKGROUNDSYNCEND);
    assert_int_equal(lstrcmpW(st.history_path, L"D:\\data\\history.dat"), 0);
    stop_stand_in(&s, thread);
}

static void test_query_of_a_hung_instance_gives_up(void **state)
{
    stand_in s;
    instance_status st;
    ULONGLONG t0;
    HANDLE thread = start_stand_in(&s, TRUE);
    (void)state;
    t0 = GetTickCount64();
    assert_int_equal(instance_query_status(500, &st), EXIT_TIMEOUT);
    assert_true(GetTickCount64() - t0 < 4000);
    assert_int_equal(s.queries, 0);
    stop_stand_in(&s, thread);
}

static void test_query_without_instance(void **state)
{
    instance_status st;
    (void)state;
    assert_int_equal(instance_query_status(500, &st), EXIT_NOT_RUNNING);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_healthy_report),
        cmocka_unit_test(test_history_state),
        cmocka_unit_test(test_each_level_is_named),
        cmocka_unit_test(test_not_running_still_reports_the_rest),
        cmocka_unit_test(test_not_subscribed_says_why),
        cmocka_unit_test(test_hung_instance),
        cmocka_unit_test(test_feature_and_service_variants),
        cmocka_unit_test(test_last_record_variants),
        cmocka_unit_test(test_no_filter_means_every_event),
        cmocka_unit_test(test_small_buffer_is_cut_and_terminated),
        cmocka_unit_test(test_exit_codes),
        cmocka_unit_test(test_query_without_instance),
        cmocka_unit_test_setup_teardown(test_query_answered, register_app_class, unregister_app_class),
        cmocka_unit_test_setup_teardown(test_query_of_a_hung_instance_gives_up, register_app_class,
                                        unregister_app_class),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
