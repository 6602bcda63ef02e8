/* ofnotify: --status. See status.h.
 *
 * The report is for administrators and support staff comparing machines and
 * quoting it in tickets, so it stays in English whatever the user's language,
 * and the interface, function and service names in it are Windows' own. */
#include "status.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "console.h"
#include "fs_win32.h"
#include "ofnotify/format.h"
#include "ofnotify/history.h"
#include "ofnotify/syncflags.h"
#include "paths.h"
#include "winutil.h"

/* A hung instance gets this long before --status reports it as such. */
#define STATUS_QUERY_TIMEOUT_MS 5000
#define LABEL "%-22s"

/* OFFLINEFILES_EVENTS by number, as the SDK names the methods. */
static const char *const event_names[] = {
    "CacheMoved", "CacheIsFull", "CacheIsCorrupted", "Enabled", "EncryptionChanged", "SyncBegin",
    "SyncFileResult", "SyncConflictRecAdded", "SyncConflictRecUpdated", "SyncConflictRecRemoved", "SyncEnd",
    "BackgroundSyncBegin", "BackgroundSyncEnd", "NetTransportArrived", "NoNetTransports", "ItemDisconnected",
    "ItemReconnected", "ItemAvailableOffline", "ItemNotAvailableOffline", "ItemPinned", "ItemNotPinned",
    "ItemModified", "ItemAddedToCache", "ItemDeletedFromCache", "ItemRenamed", "DataLost", "Ping",
    "ItemReconnectBegin", "ItemReconnectEnd", "CacheEvictBegin", "CacheEvictEnd", "PolicyChangeDetected",
    "PreferenceChangeDetected", "SettingsChangesApplied", "TransparentCacheItemNotify", "PrefetchFileBegin",
    "PrefetchFileEnd", "PrefetchCloseHandleBegin", "PrefetchCloseHandleEnd",
};

static const char *const service_states[] = {
    [SERVICE_STOPPED] = "stopped",         [SERVICE_START_PENDING] = "starting",
    [SERVICE_STOP_PENDING] = "stopping",   [SERVICE_RUNNING] = "running",
    [SERVICE_CONTINUE_PENDING] = "resuming", [SERVICE_PAUSE_PENDING] = "pausing",
    [SERVICE_PAUSED] = "paused",
};

static const char *const status_words[] = {
    [OF_STATUS_COMPLETED] = "completed",
    [OF_STATUS_UNPAIRED] = "unpaired (an End without its Begin)",
    [OF_STATUS_INTERRUPTED] = "interrupted",
};

static const char *const reason_words[] = {
    [OF_REASON_DATALOST] = "events were lost",   [OF_REASON_SERVICE_LOST] = "the service went away",
    [OF_REASON_SHUTDOWN] = "ofnotify exited",    [OF_REASON_TIMEOUT] = "no End in time",
    [OF_REASON_FAILED] = "the sync failed",
};

/* ---- the text ---- */

typedef struct out {
    char *buf;
    size_t cap, len;
} out;

static void put(out *o, const char *fmt, ...) __attribute__((format(__MINGW_PRINTF_FORMAT, 2, 3)));
static void put(out *o, const char *fmt, ...)
{
    va_list args;
    int n;
    if (o->len + 1 >= o->cap)
        return;
    va_start(args, fmt);
    n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, args);
    va_end(args);
    if (n > 0)
        o->len = o->len + (size_t)n < o->cap ? o->len + (size_t)n : o->cap - 1;
}

/* FILETIME (UTC, 100 ns since 1601) → ISO 8601; "" for 0. */
static void filetime_text(ULONGLONG ft, char *buf, size_t cap)
{
    const ULONGLONG unix_epoch = 116444736000000000ull;
    buf[0] = 0;
    if (ft >= unix_epoch)
        of_format_iso8601_utc((int64_t)((ft - unix_epoch) / 10000), buf, cap);
}

static void put_feature(out *o, const csc_feature *f)
{
    put(o, LABEL, "Offline Files:");
    switch (f->source) {
    case CSC_FEATURE_STATUS_EX:
        put(o, "%s, %s, %s\n", f->enabled ? "enabled" : "not enabled", f->active ? "active" : "not active",
            f->available ? "available" : "not available");
        break;
    case CSC_FEATURE_STATUS:
        put(o, "%s, %s (OfflineFilesQueryStatus; no OfflineFilesQueryStatusEx to say if available)\n",
            f->enabled ? "enabled" : "not enabled", f->active ? "active" : "not active");
        break;
    case CSC_FEATURE_QUERY_FAILED:
        put(o, "unknown (cscapi.dll's query failed with error %lu)\n", (unsigned long)f->error);
        break;
    case CSC_FEATURE_UNKNOWN:
    default:
        put(o, "unknown (no OfflineFilesQueryStatusEx or OfflineFilesQueryStatus in cscapi.dll)\n");
        break;
    }
}

static void put_service(out *o, const status_facts *f)
{
    put(o, LABEL, "CscService:");
    if (f->service_state && f->service_state < ARRAYSIZE(service_states) && service_states[f->service_state])
        put(o, "%s\n", service_states[f->service_state]);
    else if (f->service_error == ERROR_SERVICE_DOES_NOT_EXIST)
        put(o, "not installed\n");
    else
        put(o, "unknown (error %lu)\n", (unsigned long)f->service_error);
}

static void put_instance(out *o, const status_facts *f)
{
    const instance_status *a = &f->app;
    const WCHAR *level_name = cscsvc_level_name((int)a->level);
    char since[OF_FORMAT_ISO8601_LEN + 1];
    int first = 1;
    put(o, LABEL, "Running ofnotify:");
    if (f->instance == STATUS_NOT_RUNNING) {
        put(o, "not running\n");
        return;
    }
    if (f->instance == STATUS_NO_ANSWER) {
        put(o, "runs, but did not answer within %u ms\n", STATUS_QUERY_TIMEOUT_MS);
        return;
    }
    put(o, "process %lu, ", (unsigned long)a->pid);
    if (a->csc_state == CSC_STATE_RUNNING && level_name) {
        filetime_text(a->since, since, sizeof(since));
        put(o, "subscribed on %ls since %s\n", level_name, since[0] ? since : "(unknown)");
    } else {
        put(o, "not subscribed: %s\n", cscsvc_state_text((csc_state)a->csc_state)->why_not);
    }
    put(o, LABEL, "Its filter asks for:");
    for (size_t i = 0; i < ARRAYSIZE(event_names); i++) {
        if (a->events & (1ull << i)) {
            put(o, "%s%s", first ? "" : ", ", event_names[i]);
            first = 0;
        }
    }
    put(o, "%s\n", first ? "every event (no filter)" : " (DataLost and Ping come always)");
}

static void put_last(out *o, const status_facts *f)
{
    const of_record *r = &f->last;
    char when[OF_FORMAT_ISO8601_LEN + 1];
    put(o, LABEL, "Last sync recorded:");
    if (f->history_error) {
        put(o, "unknown (the history could not be read)\n");
        return;
    }
    if (!f->have_last) {
        put(o, "none\n");
        return;
    }
    of_format_iso8601_utc(r->completed_ms, when, sizeof(when));
    put(o, "%s, %s, %s", when[0] ? when : "(no time)", of_direction_word(of_syncflags_direction(r->flags)),
        r->status < ARRAYSIZE(status_words) && status_words[r->status] ? status_words[r->status] : "unknown status");
    if (r->status == OF_STATUS_INTERRUPTED && r->reason < ARRAYSIZE(reason_words) && reason_words[r->reason])
        put(o, ": %s", reason_words[r->reason]);
    if (r->status == OF_STATUS_COMPLETED)
        put(o, ", took %" PRIu64 ".%03" PRIu64 " s", (uint64_t)(r->duration_ms / 1000),
            (uint64_t)(r->duration_ms % 1000));
    put(o, ", flags 0x%08lX\n", (unsigned long)r->flags);
}

/* The running instance's store health (app_store.h's numbers). */
static void put_store(out *o, const status_facts *f)
{
    static const char *const problems[] = {
        "ok", "the file is from a newer version of ofnotify (left untouched)",
        "access denied, in use by another program, or not a file", "the disk is full",
        "record numbers ran out and could not be renumbered", "cannot be opened or written",
    };
    static const char *const places[] = {"", "the journal", "the journal in the temporary folder", "memory"};
    const instance_status *a = &f->app;
    if (f->instance != STATUS_ANSWERED)
        return;
    put(o, LABEL, "History state:");
    put(o, "%s\n", a->store_problem < ARRAYSIZE(problems) ? problems[a->store_problem] : "unknown problem");
    if (!a->store_waiting && !a->store_lost)
        return;
    put(o, LABEL, "Waiting records:");
    put(o, "%" PRIu64 " in %s", (uint64_t)a->store_waiting,
        a->store_where < ARRAYSIZE(places) && a->store_where ? places[a->store_where] : "memory");
    if (a->journal_path[0]) {
        /* UTF-8 like every other path here: the C runtime's %ls would
         * convert through its locale and garble any other character. */
        char journal[MAX_PATH * 2 * 3];
        winutil_wide_to_utf8(a->journal_path, journal, sizeof(journal));
        put(o, " %s", journal);
    }
    put(o, a->store_problem ? ", merged into the history once it can be written\n" : ", being merged\n");
    if (a->store_lost)
        put(o, LABEL "%" PRIu64 " records could not even be kept in memory\n", "Lost records:",
            (uint64_t)a->store_lost);
}

static void put_verdict(out *o, const status_facts *f)
{
    int rc = status_exit_code(f);
    put(o, LABEL, "Result:");
    switch (rc) {
    case EXIT_OK:
        put(o, "background syncs are heard and recorded (exit code 0)\n");
        break;
    case EXIT_NOT_RUNNING:
        put(o, "ofnotify is not running, so nothing is recorded (exit code %d)\n", rc);
        break;
    case EXIT_TIMEOUT:
        put(o, "the running ofnotify did not answer (exit code %d)\n", rc);
        break;
    default:
        put(o, "ofnotify runs but hears of no background sync (exit code %d)\n", rc);
        break;
    }
}

size_t status_format(const status_facts *f, char *buf, size_t cap)
{
    out o = {buf, cap, 0};
    if (!cap)
        return 0;
    buf[0] = 0;
    put(&o, "ofnotify %s status\n", OFNOTIFY_VERSION);
    put_feature(&o, &f->feature);
    put_service(&o, f);
    put_instance(&o, f);
    put_last(&o, f);
    put(&o, LABEL, "History file:");
    if (!f->history_path[0])
        put(&o, "unknown\n");
    else if (f->history_error)
        put(&o, "%s (cannot be read: %s)\n", f->history_path, f->history_error);
    else
        put(&o, "%s (%" PRIu64 " record%s)\n", f->history_path, (uint64_t)f->record_count,
            f->record_count == 1 ? "" : "s");
    put_store(&o, f);
    put_verdict(&o, f);
    return o.len;
}

int status_exit_code(const status_facts *f)
{
    switch (f->instance) {
    case STATUS_NOT_RUNNING:
        return EXIT_NOT_RUNNING;
    case STATUS_NO_ANSWER:
        return EXIT_TIMEOUT;
    case STATUS_ANSWERED:
    default:
        return f->app.csc_state == CSC_STATE_RUNNING && f->app.level >= 2 ? EXIT_OK : EXIT_NOT_SUBSCRIBED;
    }
}

/* ---- gathering the facts ---- */

static void query_service(status_facts *f)
{
    SERVICE_STATUS st;
    SC_HANDLE scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT), svc = NULL;
    if (scm)
        svc = OpenServiceW(scm, L"CscService", SERVICE_QUERY_STATUS);
    if (svc && QueryServiceStatus(svc, &st))
        f->service_state = st.dwCurrentState;
    else
        f->service_error = GetLastError();
    if (svc)
        CloseServiceHandle(svc);
    if (scm)
        CloseServiceHandle(scm);
}

/* The history named by --data-dir, else the one the running instance
 * writes, else the default; read-only, as --export reads it. */
static void read_history(status_facts *f, const WCHAR *data_dir)
{
    WCHAR dir[MAX_PATH * 2];
    of_history *h = NULL;
    of_history_report report;
    of_history_err err;
    size_t n;
    if (!data_dir && f->instance == STATUS_ANSWERED)
        winutil_wide_to_utf8(f->app.history_path, f->history_path, sizeof(f->history_path));
    if (!f->history_path[0] &&
        (paths_data_dir(data_dir, dir, ARRAYSIZE(dir)) ||
         paths_history_utf8(dir, f->history_path, sizeof(f->history_path)))) {
        f->history_path[0] = 0;
        f->history_error = "no usable data folder";
        return;
    }
    err = of_history_open(&h, fs_win32(), f->history_path, OF_HISTORY_READONLY, 0, &report);
    if (err != OF_HISTORY_OK) {
        f->history_error = of_history_error_text(err);
        return;
    }
    n = of_history_count(h);
    f->record_count = n;
    if (n) {
        f->last = *of_history_get(h, n - 1);
        f->have_last = TRUE;
    }
    of_history_close(h);
}

int status_run(const WCHAR *data_dir)
{
    static status_facts f;   /* large; one --status per process */
    static char text[16384];
    size_t len;
    int rc;
    ZeroMemory(&f, sizeof(f));
    cscsvc_query_feature(&f.feature);
    query_service(&f);
    rc = instance_query_status(STATUS_QUERY_TIMEOUT_MS, &f.app);
    f.instance = rc == EXIT_OK ? STATUS_ANSWERED : rc == EXIT_NOT_RUNNING ? STATUS_NOT_RUNNING : STATUS_NO_ANSWER;
    read_history(&f, data_dir);
    len = status_format(&f, text, sizeof(text));
    if (!console_out(text, len))
        return EXIT_ERROR;
    return status_exit_code(&f);
}
