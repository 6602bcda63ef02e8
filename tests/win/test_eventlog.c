/* Tests for src/app/eventlog under Wine: through its seam (eventlog_api),
 * every kind of event reaches ReportEventW with the right ID, type and
 * insertion strings, from the writer thread, in order; a disabled log writes
 * nothing; a log that fails or hangs never holds up the caller, its failures
 * are counted and its overflow reported as event 1400. Then the shipped
 * program's message table (build/ofnotify.exe, loaded as a data file): every
 * ID the writer uses has an English and a German text with the same
 * insertion strings, and no text is there that the writer never uses. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <windows.h>
#include <tlhelp32.h>

#include "eventlog.h"
#include "mc/messages.h"
#include "ofnotify/syncflags.h"
#include "support/buildfiles.h"

#define CALLS_MAX 600
#define FAKE_LOG ((HANDLE)(INT_PTR)0x4242)
#define IDLE_MS 5000

/* ---- the fake advapi32 ---------------------------------------------------------- */

typedef struct call {
    DWORD id;
    WORD type;
    WORD nstrings;
    DWORD thread;
    WCHAR strings[EVENTLOG_STRINGS_MAX][400];
} call;

/* Written by the writer thread, where CMocka cannot fail a test: what it
 * saw wrong is counted in `bad` and checked by the test's thread. */
static struct {
    LONG registers, deregisters, bad;
    LONG reports; /* calls made, accepted or not */
    call calls[CALLS_MAX];
    DWORD register_error; /* != 0: RegisterEventSourceW fails with it */
    DWORD report_error;   /* != 0: ReportEventW fails with it */
    HANDLE gate;          /* non-NULL: ReportEventW waits for it (a hung log) */
    HANDLE deregistered_log;
} fake;

static HANDLE WINAPI fake_register(LPCWSTR server, LPCWSTR source)
{
    InterlockedIncrement(&fake.registers);
    if (server || wcscmp(source, L"ofnotify") != 0)
        InterlockedIncrement(&fake.bad);
    if (fake.register_error) {
        SetLastError(fake.register_error);
        return NULL;
    }
    return FAKE_LOG;
}

static BOOL WINAPI fake_report(HANDLE log, WORD type, WORD category, DWORD id, PSID user, WORD nstrings,
                               DWORD data_size, LPCWSTR *strings, LPVOID data)
{
    LONG n = InterlockedIncrement(&fake.reports) - 1;
    if (fake.gate)
        WaitForSingleObject(fake.gate, INFINITE);
    if (n < CALLS_MAX) {
        call *c = &fake.calls[n];
        c->id = id;
        c->type = type;
        c->nstrings = nstrings;
        c->thread = GetCurrentThreadId();
        for (WORD i = 0; i < nstrings && i < EVENTLOG_STRINGS_MAX; i++)
            lstrcpynW(c->strings[i], strings[i], ARRAYSIZE(c->strings[i]));
    }
    /* What ofnotify never passes. */
    if (log != FAKE_LOG || category || user || data_size || data) {
        InterlockedIncrement(&fake.bad);
        return FALSE;
    }
    if (fake.report_error) {
        SetLastError(fake.report_error);
        return FALSE;
    }
    return TRUE;
}

static BOOL WINAPI fake_deregister(HANDLE log)
{
    InterlockedIncrement(&fake.deregisters);
    fake.deregistered_log = log;
    return TRUE;
}

static const eventlog_api fake_api = {fake_register, fake_report, fake_deregister};

static int setup(void **state)
{
    (void)state;
    memset(&fake, 0, sizeof(fake));
    eventlog_set_api(&fake_api);
    return eventlog_start(TRUE) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    eventlog_stop(IDLE_MS);
    if (fake.bad) {
        print_error("%ld calls with arguments ofnotify never passes\n", (long)fake.bad);
        return -1;
    }
    eventlog_set_api(NULL);
    if (fake.gate)
        CloseHandle(fake.gate);
    fake.gate = NULL;
    return 0;
}

static void wait_idle(void)
{
    assert_true(eventlog_wait_idle(IDLE_MS));
}

static void assert_wide(const WCHAR *got, const WCHAR *want)
{
    if (wcscmp(got, want) != 0) {
        print_error("got \"%ls\", want \"%ls\"\n", got, want);
        fail();
    }
}

/* Call n was event id of type with exactly these strings. */
static void assert_call(LONG n, DWORD id, WORD type, size_t nstrings, const WCHAR *const *strings)
{
    const call *c;
    assert_true(n < fake.reports);
    c = &fake.calls[n];
    if (c->id != id) {
        print_error("call %ld: event %lu, want %lu\n", (long)n, (unsigned long)c->id, (unsigned long)id);
        fail();
    }
    assert_int_equal(c->type, type);
    assert_int_equal(c->nstrings, nstrings);
    for (size_t i = 0; i < nstrings; i++)
        assert_wide(c->strings[i], strings[i]);
    /* Written from the writer thread, never the caller's. */
    assert_int_not_equal(c->thread, GetCurrentThreadId());
}

static of_record record_of(of_status status, uint32_t flags, of_reason reason)
{
    of_record r = {
        .started_ms = status == OF_STATUS_UNPAIRED ? OF_TIME_UNKNOWN : 1795957325123LL, /* 2026-11-29T13:02:05.123Z */
        .completed_ms = 1795957387000LL,                                                 /* 2026-11-29T13:03:07.000Z */
        .duration_ms = status == OF_STATUS_UNPAIRED ? 0 : 61877,
        .flags = flags,
        .begin_flags = flags,
        .status = (uint8_t)status,
        .reason = (uint8_t)reason,
    };
    return r;
}

/* ---- passes ---------------------------------------------------------------------- */

/* One example in full, as an administrator's query sees it. */
static void completed_two_way_pass(void **state)
{
    (void)state;
    of_record r = record_of(OF_STATUS_COMPLETED, 0x00010006, OF_REASON_NONE);
    const WCHAR *want[] = {L"two-way",    L"2026-11-29T13:02:05.123Z", L"2026-11-29T13:03:07.000Z",
                           L"61877",      L"0x00010006",
                           L"FLAG_SYNCIN|FLAG_SYNCOUT|FLAG_BACKGROUND",   L"none", L"0x00010006"};
    eventlog_pass(&r);
    wait_idle();
    assert_int_equal(fake.reports, 1);
    assert_call(0, 1101, EVENTLOG_INFORMATION_TYPE, ARRAYSIZE(want), want);
    assert_int_equal(fake.registers, 1);
}

/* Every status and direction has its own ID, 1100 + 10 * status + direction,
 * in the order the passes ended. */
static void every_status_and_direction(void **state)
{
    (void)state;
    static const struct {
        uint32_t flags;
        of_direction dir;
        const WCHAR *word;
    } dirs[] = {
        {0x00010000, OF_DIR_UNSPECIFIED, L"unspecified"}, {0x00010006, OF_DIR_TWO_WAY, L"two-way"},
        {0x00010004, OF_DIR_TO_SERVER, L"to-server"},     {0x00010002, OF_DIR_FROM_SERVER, L"from-server"},
        {0x00010001, OF_DIR_FILL_SPARSE, L"fill-sparse"},
    };
    static const WORD types[] = {EVENTLOG_INFORMATION_TYPE, EVENTLOG_WARNING_TYPE, EVENTLOG_WARNING_TYPE};
    LONG n = 0;
    for (int s = 0; s < OF_STATUS_COUNT; s++) {
        for (size_t d = 0; d < ARRAYSIZE(dirs); d++) {
            of_record r = record_of((of_status)s, dirs[d].flags,
                                    s == OF_STATUS_INTERRUPTED ? OF_REASON_TIMEOUT : OF_REASON_NONE);
            assert_int_equal(of_syncflags_direction(dirs[d].flags), dirs[d].dir);
            eventlog_pass(&r);
        }
    }
    wait_idle();
    assert_int_equal(fake.reports, OF_STATUS_COUNT * ARRAYSIZE(dirs));
    for (int s = 0; s < OF_STATUS_COUNT; s++) {
        for (size_t d = 0; d < ARRAYSIZE(dirs); d++, n++) {
            WCHAR flags[16];
            const WCHAR *want[8] = {dirs[d].word,
                                    s == OF_STATUS_UNPAIRED ? L"unknown" : L"2026-11-29T13:02:05.123Z",
                                    L"2026-11-29T13:03:07.000Z",
                                    s == OF_STATUS_UNPAIRED ? L"0" : L"61877",
                                    flags,
                                    NULL,
                                    s == OF_STATUS_INTERRUPTED ? L"timeout" : L"none",
                                    flags};
            WCHAR names[OF_SYNCFLAGS_TEXT_MAX + 1];
            char names8[OF_SYNCFLAGS_TEXT_MAX + 1];
            swprintf(flags, ARRAYSIZE(flags), L"0x%08X", (unsigned)dirs[d].flags);
            of_syncflags_describe(dirs[d].flags, names8, sizeof(names8));
            MultiByteToWideChar(CP_UTF8, 0, names8, -1, names, ARRAYSIZE(names));
            want[5] = names;
            assert_call(n, 1100 + 10 * (DWORD)s + (DWORD)dirs[d].dir, types[s], 8, want);
        }
    }
}

/* The reason words are the exports' words. */
static void interrupted_reasons(void **state)
{
    (void)state;
    static const WCHAR *const words[] = {L"none", L"datalost", L"service-lost", L"shutdown", L"timeout", L"failed"};
    for (int reason = 0; reason < OF_REASON_COUNT; reason++) {
        of_record r = record_of(OF_STATUS_INTERRUPTED, 0x00010002, (of_reason)reason);
        eventlog_pass(&r);
    }
    wait_idle();
    assert_int_equal(fake.reports, OF_REASON_COUNT);
    for (int reason = 0; reason < OF_REASON_COUNT; reason++) {
        assert_int_equal(fake.calls[reason].id, EVMSG_INTERRUPTED_FROM_SERVER);
        assert_wide(fake.calls[reason].strings[6], words[reason]);
    }
}

/* Different Begin and End flags: %5/%6 are the End's, %8 the Begin's. */
static void begin_flags_of_their_own(void **state)
{
    (void)state;
    of_record r = record_of(OF_STATUS_COMPLETED, 0x30010006, OF_REASON_NONE);
    r.begin_flags = 0x00010006;
    eventlog_pass(&r);
    wait_idle();
    assert_int_equal(fake.reports, 1);
    assert_wide(fake.calls[0].strings[4], L"0x30010006");
    assert_wide(fake.calls[0].strings[5], L"FLAG_SYNCIN|FLAG_SYNCOUT|FLAG_BACKGROUND|CR_KEEPLATEST");
    assert_wide(fake.calls[0].strings[7], L"0x00010006");
}

/* ---- the service and the history ---------------------------------------------- */

static void service_changes(void **state)
{
    (void)state;
    const WCHAR *level4[] = {L"IOfflineFilesEvents4", L"4"};
    const WCHAR *level3[] = {L"IOfflineFilesEvents3", L"3"};
    const WCHAR *stopped[] = {L"0x800706BA"};
    const WCHAR *missing[] = {L"0x80070424"};
    eventlog_service(CSC_STATE_RUNNING, 4, S_OK);
    eventlog_service(CSC_STATE_RUNNING, 4, S_OK); /* no change: nothing */
    eventlog_service(CSC_STATE_RECONNECTING, 0, (HRESULT)0x800706BA);
    eventlog_service(CSC_STATE_RECONNECTING, 0, (HRESULT)0x800706BA);
    eventlog_service(CSC_STATE_RUNNING, 3, S_OK);
    eventlog_service(CSC_STATE_DISABLED, 0, S_OK);
    eventlog_service(CSC_STATE_TOO_OLD, 0, S_OK);
    eventlog_service(CSC_STATE_UNAVAILABLE, 0, (HRESULT)0x80070424);
    wait_idle();
    assert_int_equal(fake.reports, 6);
    assert_call(0, EVMSG_SERVICE_AVAILABLE, EVENTLOG_INFORMATION_TYPE, 2, level4);
    assert_call(1, EVMSG_SERVICE_UNAVAILABLE, EVENTLOG_WARNING_TYPE, 1, stopped);
    assert_call(2, EVMSG_SERVICE_AVAILABLE, EVENTLOG_INFORMATION_TYPE, 2, level3);
    assert_call(3, EVMSG_SERVICE_DISABLED, EVENTLOG_WARNING_TYPE, 0, NULL);
    assert_call(4, EVMSG_SERVICE_TOO_OLD, EVENTLOG_WARNING_TYPE, 0, NULL);
    assert_call(5, EVMSG_SERVICE_MISSING, EVENTLOG_WARNING_TYPE, 1, missing);
}

static void history_trouble(void **state)
{
    (void)state;
    const char *path = "C:\\Users\\J\xC3\xBCrgen\\AppData\\Local\\ofnotify\\history.dat"; /* ü in UTF-8 */
    const WCHAR *wpath = L"C:\\Users\\J\u00FCrgen\\AppData\\Local\\ofnotify\\history.dat";
    const WCHAR *damaged[] = {wpath, L"C:\\d\\history.damaged-1.dat", L"the file header is damaged"};
    const WCHAR *waiting[] = {wpath, L"12", L"the disk is full"};
    const WCHAR *written[] = {wpath, L"12", L""};
    const WCHAR *lost[] = {wpath, L"3", L"the disk is full"};
    eventlog_store_problem(EVENTLOG_STORE_DAMAGED, path, 0, "C:\\d\\history.damaged-1.dat",
                           "the file header is damaged");
    eventlog_store_problem(EVENTLOG_STORE_WAITING, path, 12, NULL, "the disk is full");
    eventlog_store_problem(EVENTLOG_STORE_WRITTEN, path, 12, NULL, NULL);
    eventlog_store_problem(EVENTLOG_STORE_LOST, path, 3, "ignored", "the disk is full");
    eventlog_store_problem(EVENTLOG_STORE_COUNT, path, 3, NULL, NULL); /* no such event: nothing */
    wait_idle();
    assert_int_equal(fake.reports, 4);
    assert_call(0, EVMSG_HISTORY_DAMAGED, EVENTLOG_ERROR_TYPE, 3, damaged);
    assert_call(1, EVMSG_HISTORY_WAITING, EVENTLOG_ERROR_TYPE, 3, waiting);
    assert_call(2, EVMSG_HISTORY_WRITTEN, EVENTLOG_INFORMATION_TYPE, 3, written);
    assert_call(3, EVMSG_HISTORY_LOST, EVENTLOG_ERROR_TYPE, 3, lost);
}

/* ---- on and off, failures -------------------------------------------------------- */

static void disabled_writes_nothing(void **state)
{
    (void)state;
    of_record r = record_of(OF_STATUS_COMPLETED, 0x00010006, OF_REASON_NONE);
    eventlog_status st;
    eventlog_stop(IDLE_MS);
    assert_true(eventlog_start(FALSE));
    eventlog_pass(&r);
    eventlog_service(CSC_STATE_RUNNING, 4, S_OK);
    eventlog_store_problem(EVENTLOG_STORE_DAMAGED, "x", 0, "y", "z");
    wait_idle();
    assert_int_equal(fake.reports, 0);
    assert_int_equal(fake.registers, 0);
    eventlog_get_status(&st);
    assert_false(st.enabled);
    /* A policy turns it on: from then on passes are written. */
    eventlog_set_enabled(TRUE);
    eventlog_pass(&r);
    wait_idle();
    assert_int_equal(fake.reports, 1);
    assert_int_equal(fake.calls[0].id, EVMSG_COMPLETED_TWO_WAY);
    /* And off again. */
    eventlog_set_enabled(FALSE);
    eventlog_pass(&r);
    wait_idle();
    assert_int_equal(fake.reports, 1);
}

/* The source cannot be registered (the eventlog service is down): nothing
 * is reported, the first error is kept, and the next event tries again. */
static void register_fails(void **state)
{
    (void)state;
    of_record r = record_of(OF_STATUS_COMPLETED, 0x00010006, OF_REASON_NONE);
    eventlog_status st;
    fake.register_error = RPC_S_SERVER_UNAVAILABLE;
    eventlog_pass(&r);
    eventlog_pass(&r);
    wait_idle();
    assert_int_equal(fake.reports, 0);
    assert_int_equal(fake.registers, 2);
    eventlog_get_status(&st);
    assert_true(st.enabled);
    assert_int_equal(st.error, RPC_S_SERVER_UNAVAILABLE);
    assert_int_equal(st.dropped, 2);
    assert_int_equal(st.written, 0);
    fake.register_error = 0;
    eventlog_pass(&r);
    wait_idle();
    assert_int_equal(fake.reports, 1);
    eventlog_get_status(&st);
    assert_int_equal(st.error, RPC_S_SERVER_UNAVAILABLE); /* the first one, for the About dialog */
    assert_int_equal(st.written, 1);
    eventlog_stop(IDLE_MS);
    assert_int_equal(fake.deregisters, 1);
    assert_true(fake.deregistered_log == FAKE_LOG);
}

static void report_fails(void **state)
{
    (void)state;
    of_record r = record_of(OF_STATUS_COMPLETED, 0x00010006, OF_REASON_NONE);
    eventlog_status st;
    fake.report_error = ERROR_LOG_FILE_FULL;
    eventlog_pass(&r);
    wait_idle();
    eventlog_get_status(&st);
    assert_int_equal(fake.reports, 1);
    assert_int_equal(st.error, ERROR_LOG_FILE_FULL);
    assert_int_equal(st.dropped, 1);
}

/* This process's threads now, by the system's own count. */
static int thread_count(void)
{
    THREADENTRY32 t = {.dwSize = sizeof(t)};
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPTHREAD, 0);
    int n = 0;
    assert_true(snap != INVALID_HANDLE_VALUE);
    for (BOOL more = Thread32First(snap, &t); more; more = Thread32Next(snap, &t))
        if (t.th32OwnerProcessID == GetCurrentProcessId())
            n++;
    CloseHandle(snap);
    return n;
}

/* The writer is there only while there is something to write: none before
 * the first event, gone once nothing has come for EVENTLOG_LINGER_MS, and
 * the next event is written by a new one with a source of its own. */
static void writer_runs_only_while_needed(void **state)
{
    (void)state;
    of_record r = record_of(OF_STATUS_COMPLETED, 0x00010006, OF_REASON_NONE);
    int before = thread_count();
    ULONGLONG t0;
    eventlog_pass(&r);
    wait_idle();
    assert_int_equal(thread_count(), before + 1);
    t0 = GetTickCount64();
    while (thread_count() > before && GetTickCount64() - t0 < EVENTLOG_LINGER_MS + 5000)
        Sleep(50);
    assert_int_equal(thread_count(), before);
    assert_true(GetTickCount64() - t0 >= EVENTLOG_LINGER_MS - 500);
    assert_int_equal(fake.deregisters, 1);
    eventlog_pass(&r);
    wait_idle();
    assert_int_equal(fake.reports, 2);
    assert_int_equal(fake.registers, 2);
}

/* Nothing registered, nothing to deregister. */
static void no_event_no_source(void **state)
{
    (void)state;
    eventlog_stop(IDLE_MS);
    assert_int_equal(fake.registers, 0);
    assert_int_equal(fake.deregisters, 0);
}

/* A hung log: the caller never waits. The queue fills, the rest is dropped
 * and counted, and once the log answers again the queue is written and the
 * count reported as event 1400. */
static void hung_log_never_blocks_the_caller(void **state)
{
    (void)state;
    enum { EXTRA = 44 };
    of_record r = record_of(OF_STATUS_COMPLETED, 0x00010006, OF_REASON_NONE);
    LARGE_INTEGER f, t0, t1;
    eventlog_status st;
    double ms;
    const WCHAR *dropped[] = {L"44"};
    fake.gate = CreateEventW(NULL, TRUE, FALSE, NULL);
    assert_non_null(fake.gate);
    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&t0);
    for (int i = 0; i < EVENTLOG_QUEUE_CAP + EXTRA; i++)
        eventlog_pass(&r);
    QueryPerformanceCounter(&t1);
    ms = (double)(t1.QuadPart - t0.QuadPart) * 1000.0 / (double)f.QuadPart;
    print_message("%d events queued against a hung log in %.2f ms\n", EVENTLOG_QUEUE_CAP + EXTRA, ms);
    assert_true(ms < 250.0);
    assert_false(eventlog_wait_idle(50));
    eventlog_get_status(&st);
    assert_int_equal(st.dropped, EXTRA);
    SetEvent(fake.gate);
    wait_idle();
    assert_int_equal(fake.reports, EVENTLOG_QUEUE_CAP + 1);
    assert_int_equal(fake.calls[EVENTLOG_QUEUE_CAP - 1].id, EVMSG_COMPLETED_TWO_WAY);
    assert_call(EVENTLOG_QUEUE_CAP, EVMSG_EVENTS_DROPPED, EVENTLOG_WARNING_TYPE, 1, dropped);
    eventlog_get_status(&st);
    assert_int_equal(st.written, EVENTLOG_QUEUE_CAP + 1);
    assert_int_equal(st.dropped, EXTRA);
}

/* Stopping waits only so long for a log that hangs. Last: the stuck writer
 * keeps the module's state until the process ends. */
static void stop_gives_up_on_a_hung_log(void **state)
{
    (void)state;
    of_record r = record_of(OF_STATUS_COMPLETED, 0x00010006, OF_REASON_NONE);
    ULONGLONG t0;
    fake.gate = CreateEventW(NULL, TRUE, FALSE, NULL);
    assert_non_null(fake.gate);
    eventlog_pass(&r);
    t0 = GetTickCount64();
    eventlog_stop(200);
    assert_true(GetTickCount64() - t0 < 2000);
    eventlog_pass(&r); /* stopped: ignored */
    assert_false(eventlog_start(TRUE));
    SetEvent(fake.gate);
    Sleep(100);
    assert_int_equal(fake.reports, 1);
}

/* ---- the shipped message table ------------------------------------------------ */

/* Every ID the writer uses. */
static const DWORD writer_ids[] = {
    1100, 1101, 1102, 1103, 1104, 1110, 1111, 1112, 1113, 1114, 1120, 1121, 1122, 1123, 1124,
    EVMSG_SERVICE_AVAILABLE, EVMSG_SERVICE_UNAVAILABLE, EVMSG_SERVICE_DISABLED, EVMSG_SERVICE_TOO_OLD,
    EVMSG_SERVICE_MISSING, EVMSG_HISTORY_DAMAGED, EVMSG_HISTORY_WAITING, EVMSG_HISTORY_WRITTEN, EVMSG_HISTORY_LOST,
    EVMSG_EVENTS_DROPPED,
};

/* The IDs of one language's message table, sorted; -1 without one. */
static int table_ids(HMODULE exe, LANGID lang, DWORD *ids, int cap)
{
    HRSRC res = FindResourceExW(exe, MAKEINTRESOURCEW(11) /* RT_MESSAGETABLE */, MAKEINTRESOURCEW(1), lang);
    const MESSAGE_RESOURCE_DATA *data;
    int n = 0;
    if (!res || !(data = LockResource(LoadResource(exe, res))))
        return -1;
    for (DWORD b = 0; b < data->NumberOfBlocks; b++)
        for (DWORD id = data->Blocks[b].LowId; id <= data->Blocks[b].HighId && n < cap; id++)
            ids[n++] = id;
    return n;
}

/* Bit i set when %i (1..31) appears; %n, %% and the like are not inserts. */
static DWORD inserts_of(const WCHAR *text)
{
    DWORD bits = 0;
    for (const WCHAR *p = text; *p; p++) {
        if (*p != L'%')
            continue;
        if (p[1] >= L'1' && p[1] <= L'9') {
            int n = p[1] - L'0';
            if (p[2] >= L'0' && p[2] <= L'9')
                n = n * 10 + (p[2] - L'0');
            bits |= 1u << n;
        }
        p++;
        if (!*p)
            break;
    }
    return bits;
}

static void message_table_has_both_languages(void **state)
{
    (void)state;
    WCHAR path[MAX_PATH * 4];
    DWORD en_ids[64], de_ids[64];
    HMODULE exe = shipped_exe_load(path, ARRAYSIZE(path));
    int n_en, n_de;
    if (!exe) {
        print_error("cannot load %ls (error %lu): build it first (make)\n", path, GetLastError());
        fail();
    }
    n_en = table_ids(exe, MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US), en_ids, ARRAYSIZE(en_ids));
    n_de = table_ids(exe, MAKELANGID(LANG_GERMAN, SUBLANG_GERMAN), de_ids, ARRAYSIZE(de_ids));
    /* Exactly the writer's IDs, in both languages. */
    assert_int_equal(n_en, ARRAYSIZE(writer_ids));
    assert_int_equal(n_de, ARRAYSIZE(writer_ids));
    for (size_t i = 0; i < ARRAYSIZE(writer_ids); i++) {
        WCHAR *en = NULL, *de = NULL;
        DWORD flags = FORMAT_MESSAGE_FROM_HMODULE | FORMAT_MESSAGE_IGNORE_INSERTS | FORMAT_MESSAGE_ALLOCATE_BUFFER;
        assert_int_equal(en_ids[i], writer_ids[i]);
        assert_int_equal(de_ids[i], writer_ids[i]);
        if (!FormatMessageW(flags, exe, writer_ids[i], MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US), (LPWSTR)&en, 0,
                            NULL) ||
            !FormatMessageW(flags, exe, writer_ids[i], MAKELANGID(LANG_GERMAN, SUBLANG_GERMAN), (LPWSTR)&de, 0,
                            NULL)) {
            print_error("event %lu has no text in one language (error %lu)\n", (unsigned long)writer_ids[i],
                        GetLastError());
            fail();
        }
        assert_true(wcslen(en) > 20 && wcslen(de) > 20);
        assert_true(wcscmp(en, de) != 0); /* translated, not copied */
        if (inserts_of(en) != inserts_of(de)) {
            print_error("event %lu: English and German insert other strings\n%ls\n%ls\n",
                        (unsigned long)writer_ids[i], en, de);
            fail();
        }
        /* A pass event shows all eight of its strings. */
        if (writer_ids[i] < EVMSG_SERVICE_AVAILABLE)
            assert_int_equal(inserts_of(en), 0x1FE);
        LocalFree(en);
        LocalFree(de);
    }
    FreeLibrary(exe);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(completed_two_way_pass, setup, teardown),
        cmocka_unit_test_setup_teardown(every_status_and_direction, setup, teardown),
        cmocka_unit_test_setup_teardown(interrupted_reasons, setup, teardown),
        cmocka_unit_test_setup_teardown(begin_flags_of_their_own, setup, teardown),
        cmocka_unit_test_setup_teardown(service_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(history_trouble, setup, teardown),
        cmocka_unit_test_setup_teardown(disabled_writes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(register_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(report_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(no_event_no_source, setup, teardown),
        cmocka_unit_test_setup_teardown(writer_runs_only_while_needed, setup, teardown),
        cmocka_unit_test_setup_teardown(hung_log_never_blocks_the_caller, setup, teardown),
        cmocka_unit_test(message_table_has_both_languages),
        cmocka_unit_test_setup_teardown(stop_gives_up_on_a_hung_log, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
