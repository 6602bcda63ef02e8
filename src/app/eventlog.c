/* ofnotify: the Windows Event Log writer. See eventlog.h. */
#include "eventlog.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <wchar.h>

#include "mc/messages.h"
#include "ofnotify/export.h"
#include "ofnotify/syncflags.h"
#include "winutil.h"

/* Characters of one event's insertion strings, NULs included: the longest
 * are two history paths (MAX_PATH * 2 each) and a reason. */
#define TEXT_CAP 1536

typedef struct entry {
    DWORD id;
    WORD type;
    WORD nstrings;
    WCHAR text[TEXT_CAP]; /* the strings, one after the other, each with its NUL */
} entry;

static const eventlog_api advapi = {
    .register_source = RegisterEventSourceW,
    .report = ReportEventW,
    .deregister = DeregisterEventSource,
};

/* The queue and the writer. Fields marked (lock) are shared with the
 * writer thread; the others belong to the main thread or, like api and log,
 * to the writer while it runs. The writer runs only while there is
 * something to write: it ends once nothing has come for
 * EVENTLOG_LINGER_MS, and the next event starts another, so an idle
 * ofnotify has no thread of its own waiting here. */
static struct {
    eventlog_api api;     /* advapi unless a test set its own */
    CRITICAL_SECTION lock;
    BOOL lock_made;
    BOOL started;         /* eventlog_start succeeded, not stopped since */
    HANDLE thread;        /* the latest writer, running or ended */
    BOOL running;         /* a writer is in its loop and sees what is queued (lock) */
    HANDLE wake;          /* auto-reset: something was queued, or stop */
    HANDLE idle;          /* manual-reset: set while nothing waits (lock) */
    entry *queue;         /* EVENTLOG_QUEUE_CAP entries, a ring (lock) */
    size_t head, count;   /* (lock) */
    BOOL stopping;        /* (lock) */
    uint64_t unreported;  /* dropped for a full queue since the last 1400 (lock) */
    uint64_t written;     /* (lock) */
    uint64_t dropped;     /* (lock) */
    LONG error;           /* the first failure; Interlocked */
    BOOL abandoned;       /* a writer stuck in the log at stop owns all of the above */
    BOOL enabled;
    int last_service;     /* the service state last written, -1: none yet */
} w;

static void debug_line(const char *fmt, ...) __attribute__((format(__MINGW_PRINTF_FORMAT, 1, 2)));
static void debug_line(const char *fmt, ...)
{
    char text[256];
    va_list args;
    va_start(args, fmt);
    vsnprintf(text, sizeof(text), fmt, args);
    va_end(args);
    OutputDebugStringA(text);
}

/* ---- the writer thread ---- */

static void note_error(DWORD err)
{
    if (!err)
        err = ERROR_GEN_FAILURE;
    if (InterlockedCompareExchange(&w.error, (LONG)err, 0) == 0)
        debug_line("ofnotify: the Event Log cannot be written (error %lu); ofnotify goes on without it\n",
                   (unsigned long)err);
}

/* Registering talks to the eventlog service, so it happens here, not on
 * the main thread; a failure is tried again with the next event. */
static BOOL ensure_source(HANDLE *log)
{
    if (!*log) {
        *log = w.api.register_source(NULL, EVENTLOG_SOURCE);
        if (!*log)
            note_error(GetLastError());
    }
    return *log != NULL;
}

static BOOL report(HANDLE *log, DWORD id, WORD type, WORD nstrings, LPCWSTR *strings)
{
    BOOL ok = ensure_source(log) && w.api.report(*log, type, 0, id, NULL, nstrings, 0, strings, NULL);
    if (ok) {
        debug_line("ofnotify: event %lu written\n", (unsigned long)id);
    } else {
        if (*log)
            note_error(GetLastError());
        debug_line("ofnotify: event %lu not written\n", (unsigned long)id);
    }
    return ok;
}

static BOOL write_entry(HANDLE *log, const entry *e)
{
    LPCWSTR strings[EVENTLOG_STRINGS_MAX];
    const WCHAR *p = e->text;
    for (WORD i = 0; i < e->nstrings; i++) {
        strings[i] = p;
        p += wcslen(p) + 1;
    }
    return report(log, e->id, e->type, e->nstrings, strings);
}

static BOOL write_dropped(HANDLE *log, uint64_t n)
{
    WCHAR count[24];
    LPCWSTR strings[1] = {count};
    _snwprintf(count, ARRAYSIZE(count), L"%" PRIu64, (uint64_t)n);
    count[ARRAYSIZE(count) - 1] = 0;
    return report(log, EVMSG_EVENTS_DROPPED, EVENTLOG_WARNING_TYPE, 1, strings);
}

/* Writes until the queue has stayed empty for EVENTLOG_LINGER_MS or the
 * module stops. It decides to end under the lock, after seeing the queue
 * empty, so an event queued before that is written by this writer and one
 * queued after it starts the next. Each writer registers and deregisters
 * its own source: between bursts nothing is held, and a writer on its way
 * out shares nothing with the next. */
static DWORD WINAPI writer_main(void *unused)
{
    HANDLE log = NULL;
    (void)unused;
    for (;;) {
        const entry *e = NULL;
        uint64_t lost = 0;
        BOOL ok;
        EnterCriticalSection(&w.lock);
        if (w.count) {
            e = &w.queue[w.head]; /* its slot stays ours until popped below */
        } else if (w.unreported) {
            lost = w.unreported;
            w.unreported = 0;
        } else {
            BOOL stop = w.stopping;
            SetEvent(w.idle);
            LeaveCriticalSection(&w.lock);
            if (stop || WaitForSingleObject(w.wake, EVENTLOG_LINGER_MS) != WAIT_OBJECT_0) {
                EnterCriticalSection(&w.lock);
                if (!w.count && !w.unreported) {
                    w.running = FALSE;
                    LeaveCriticalSection(&w.lock);
                    break;
                }
                LeaveCriticalSection(&w.lock);
            }
            continue;
        }
        LeaveCriticalSection(&w.lock);
        ok = e ? write_entry(&log, e) : write_dropped(&log, lost);
        EnterCriticalSection(&w.lock);
        if (e) {
            w.head = (w.head + 1) % EVENTLOG_QUEUE_CAP;
            w.count--;
        }
        if (ok)
            w.written++;
        else
            w.dropped++;
        LeaveCriticalSection(&w.lock);
    }
    if (log)
        w.api.deregister(log);
    return 0;
}

/* A writer for what was just queued, when none runs. Main thread only, so
 * w.thread changes hands here alone. A writer that cannot be made leaves
 * the queue as it is: the next event tries again. */
static void start_writer(void)
{
    HANDLE t;
    EnterCriticalSection(&w.lock);
    if (w.running) {
        LeaveCriticalSection(&w.lock);
        return;
    }
    w.running = TRUE;
    LeaveCriticalSection(&w.lock);
    t = CreateThread(NULL, 0, writer_main, NULL, 0, NULL);
    if (t) {
        /* The last writer has left its loop: it touches nothing shared
         * any more, and may still be deregistering its own source. */
        if (w.thread)
            CloseHandle(w.thread);
        w.thread = t;
        return;
    }
    note_error(GetLastError());
    EnterCriticalSection(&w.lock);
    w.running = FALSE;
    LeaveCriticalSection(&w.lock);
}

/* ---- start and stop ---- */

void eventlog_set_api(const eventlog_api *api)
{
    if (!w.started)
        w.api = api ? *api : advapi;
}

BOOL eventlog_start(BOOL enabled)
{
    if (w.started)
        return TRUE;
    if (w.abandoned)
        return FALSE;
    if (!w.lock_made) {
        InitializeCriticalSection(&w.lock);
        w.lock_made = TRUE;
    }
    if (!w.api.report)
        w.api = advapi;
    w.head = w.count = 0;
    w.stopping = w.running = FALSE;
    w.unreported = w.written = w.dropped = 0;
    w.error = 0;
    w.last_service = -1;
    /* Untouched until used: only the slots events pass through take memory. */
    w.queue = HeapAlloc(GetProcessHeap(), 0, EVENTLOG_QUEUE_CAP * sizeof(*w.queue));
    w.wake = CreateEventW(NULL, FALSE, FALSE, NULL);
    w.idle = CreateEventW(NULL, TRUE, TRUE, NULL);
    if (!w.queue || !w.wake || !w.idle) {
        debug_line("ofnotify: no Event Log writer (error %lu)\n", (unsigned long)GetLastError());
        if (w.wake)
            CloseHandle(w.wake);
        if (w.idle)
            CloseHandle(w.idle);
        HeapFree(GetProcessHeap(), 0, w.queue);
        w.wake = w.idle = NULL;
        w.queue = NULL;
        return FALSE;
    }
    w.started = TRUE;
    w.enabled = enabled;
    debug_line("ofnotify: Event Log writing %s\n", enabled ? "on" : "off");
    return TRUE;
}

void eventlog_set_enabled(BOOL enabled)
{
    if (!w.started)
        return; /* eventlog_start takes the setting */
    if (w.enabled != enabled)
        debug_line("ofnotify: Event Log writing %s\n", enabled ? "on" : "off");
    w.enabled = enabled;
}

void eventlog_stop(DWORD wait_ms)
{
    BOOL waiting;
    if (!w.started)
        return;
    w.enabled = FALSE;
    w.started = FALSE;
    EnterCriticalSection(&w.lock);
    w.stopping = TRUE;
    waiting = w.count || w.unreported;
    LeaveCriticalSection(&w.lock);
    if (waiting)
        start_writer(); /* none runs if the last could not be made */
    SetEvent(w.wake);
    if (w.thread && WaitForSingleObject(w.thread, wait_ms) != WAIT_OBJECT_0) {
        /* Stuck in the log: it keeps its queue and handles until the
         * process ends, and nothing more is queued. */
        debug_line("ofnotify: the Event Log writer did not stop within %lu ms\n", (unsigned long)wait_ms);
        w.abandoned = TRUE;
        w.thread = NULL;
        return;
    }
    if (w.thread)
        CloseHandle(w.thread);
    CloseHandle(w.wake);
    CloseHandle(w.idle);
    HeapFree(GetProcessHeap(), 0, w.queue);
    w.thread = w.wake = w.idle = NULL;
    w.queue = NULL;
}

BOOL eventlog_wait_idle(DWORD wait_ms)
{
    return !w.started || WaitForSingleObject(w.idle, wait_ms) == WAIT_OBJECT_0;
}

/* ---- queueing ---- */

/* Copies the event into the queue; a full queue drops it, counted. */
static void queue_event(DWORD id, WORD type, const WCHAR *const *strings, WORD nstrings)
{
    entry *e;
    size_t used = 0;
    if (!w.started || !w.enabled)
        return;
    EnterCriticalSection(&w.lock);
    if (w.count == EVENTLOG_QUEUE_CAP) {
        w.unreported++;
        w.dropped++;
        LeaveCriticalSection(&w.lock);
        return;
    }
    e = &w.queue[(w.head + w.count) % EVENTLOG_QUEUE_CAP];
    e->id = id;
    e->type = type;
    e->nstrings = nstrings;
    for (WORD i = 0; i < nstrings; i++) {
        /* Cut to fit: each string keeps at least its NUL. */
        size_t room = TEXT_CAP - used - (size_t)(nstrings - i - 1);
        size_t n = wcslen(strings[i]);
        if (n >= room)
            n = room - 1;
        wmemcpy(e->text + used, strings[i], n);
        e->text[used + n] = 0;
        used += n + 1;
    }
    w.count++;
    ResetEvent(w.idle);
    LeaveCriticalSection(&w.lock);
    start_writer();
    SetEvent(w.wake);
}

/* The words of the exports (export.h), so a query matches either. */
static const char *reason_word(uint8_t reason)
{
    static const char *const words[OF_REASON_COUNT] = {
        [OF_REASON_NONE] = "none",
        [OF_REASON_DATALOST] = "datalost",
        [OF_REASON_SERVICE_LOST] = "service-lost",
        [OF_REASON_SHUTDOWN] = "shutdown",
        [OF_REASON_TIMEOUT] = "timeout",
        [OF_REASON_FAILED] = "failed",
    };
    return reason < OF_REASON_COUNT ? words[reason] : "unknown";
}

static void time_text(int64_t unix_ms, WCHAR *buf, size_t cap)
{
    char iso[OF_FORMAT_ISO8601_LEN + 1];
    if (!of_format_iso8601_utc(unix_ms, iso, sizeof(iso)))
        lstrcpynA(iso, "unknown", sizeof(iso));
    winutil_utf8_to_wide(iso, buf, cap);
}

void eventlog_pass(const of_record *rec)
{
    static const WORD types[OF_STATUS_COUNT] = {
        [OF_STATUS_COMPLETED] = EVENTLOG_INFORMATION_TYPE,
        [OF_STATUS_UNPAIRED] = EVENTLOG_WARNING_TYPE,
        [OF_STATUS_INTERRUPTED] = EVENTLOG_WARNING_TYPE,
    };
    char names[OF_SYNCFLAGS_TEXT_MAX + 1];
    WCHAR dir[16], started[32], completed[32], duration[24], flags[12], flag_names[OF_SYNCFLAGS_TEXT_MAX + 1],
        reason[16], begin_flags[12];
    const WCHAR *strings[] = {dir, started, completed, duration, flags, flag_names, reason, begin_flags};
    of_direction d;
    if (!rec || rec->status >= OF_STATUS_COUNT)
        return;
    d = of_syncflags_direction(rec->flags);
    winutil_utf8_to_wide(of_direction_word(d), dir, ARRAYSIZE(dir));
    time_text(rec->started_ms, started, ARRAYSIZE(started));
    time_text(rec->completed_ms, completed, ARRAYSIZE(completed));
    _snwprintf(duration, ARRAYSIZE(duration), L"%" PRIu64, (uint64_t)rec->duration_ms);
    duration[ARRAYSIZE(duration) - 1] = 0;
    _snwprintf(flags, ARRAYSIZE(flags), L"0x%08lX", (unsigned long)rec->flags);
    _snwprintf(begin_flags, ARRAYSIZE(begin_flags), L"0x%08lX", (unsigned long)rec->begin_flags);
    of_syncflags_describe(rec->flags, names, sizeof(names));
    winutil_utf8_to_wide(names, flag_names, ARRAYSIZE(flag_names));
    winutil_utf8_to_wide(reason_word(rec->reason), reason, ARRAYSIZE(reason));
    queue_event(EVMSG_COMPLETED_UNSPECIFIED + 10u * rec->status + (DWORD)d, types[rec->status], strings,
                ARRAYSIZE(strings));
}

void eventlog_service(csc_state state, int level, HRESULT last_error)
{
    WCHAR first[48], second[16];
    const WCHAR *strings[] = {first, second};
    const WCHAR *name;
    int key = (int)state * 16 + (state == CSC_STATE_RUNNING ? level : 0);
    if (!w.started || !w.enabled || key == w.last_service)
        return;
    w.last_service = key;
    first[0] = second[0] = 0;
    switch (state) {
    case CSC_STATE_RUNNING:
        name = cscsvc_level_name(level);
        lstrcpynW(first, name ? name : L"?", ARRAYSIZE(first));
        _snwprintf(second, ARRAYSIZE(second), L"%d", level);
        second[ARRAYSIZE(second) - 1] = 0;
        queue_event(EVMSG_SERVICE_AVAILABLE, EVENTLOG_INFORMATION_TYPE, strings, 2);
        break;
    case CSC_STATE_RECONNECTING:
    case CSC_STATE_UNAVAILABLE:
        _snwprintf(first, ARRAYSIZE(first), L"0x%08lX", (unsigned long)last_error);
        first[ARRAYSIZE(first) - 1] = 0;
        queue_event(state == CSC_STATE_RECONNECTING ? EVMSG_SERVICE_UNAVAILABLE : EVMSG_SERVICE_MISSING,
                    EVENTLOG_WARNING_TYPE, strings, 1);
        break;
    case CSC_STATE_DISABLED:
        queue_event(EVMSG_SERVICE_DISABLED, EVENTLOG_WARNING_TYPE, strings, 0);
        break;
    case CSC_STATE_TOO_OLD:
        queue_event(EVMSG_SERVICE_TOO_OLD, EVENTLOG_WARNING_TYPE, strings, 0);
        break;
    }
}

void eventlog_store_problem(eventlog_store_event what, const char *history_path, uint64_t records,
                            const char *kept_as, const char *why)
{
    static const struct {
        DWORD id;
        WORD type;
    } kinds[EVENTLOG_STORE_COUNT] = {
        [EVENTLOG_STORE_DAMAGED] = {EVMSG_HISTORY_DAMAGED, EVENTLOG_ERROR_TYPE},
        [EVENTLOG_STORE_WAITING] = {EVMSG_HISTORY_WAITING, EVENTLOG_ERROR_TYPE},
        [EVENTLOG_STORE_WRITTEN] = {EVMSG_HISTORY_WRITTEN, EVENTLOG_INFORMATION_TYPE},
        [EVENTLOG_STORE_LOST] = {EVMSG_HISTORY_LOST, EVENTLOG_ERROR_TYPE},
    };
    WCHAR path[MAX_PATH * 2], second[MAX_PATH * 2], reason[256];
    const WCHAR *strings[] = {path, second, reason};
    if ((unsigned)what >= EVENTLOG_STORE_COUNT)
        return;
    winutil_utf8_to_wide(history_path ? history_path : "", path, ARRAYSIZE(path));
    winutil_utf8_to_wide(why ? why : "", reason, ARRAYSIZE(reason));
    if (what == EVENTLOG_STORE_DAMAGED) {
        winutil_utf8_to_wide(kept_as ? kept_as : "", second, ARRAYSIZE(second));
    } else {
        _snwprintf(second, ARRAYSIZE(second), L"%" PRIu64, (uint64_t)records);
        second[ARRAYSIZE(second) - 1] = 0;
    }
    queue_event(kinds[what].id, kinds[what].type, strings, ARRAYSIZE(strings));
}

void eventlog_get_status(eventlog_status *out)
{
    ZeroMemory(out, sizeof(*out));
    out->enabled = w.enabled;
    out->error = (DWORD)InterlockedCompareExchange(&w.error, 0, 0);
    if (w.lock_made) {
        EnterCriticalSection(&w.lock);
        out->written = w.written;
        out->dropped = w.dropped;
        LeaveCriticalSection(&w.lock);
    }
}
