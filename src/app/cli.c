/* ofnotify: the command line. See cli.h. */
#include "cli.h"

#include <stdio.h>

#include "console.h"
#include "history/exportfile.h"
#include "fs_win32.h"
#include "instance.h"
#include "ofnotify/history.h"
#include "paths.h"
#include "resource.h"
#include "status.h"
#include "syncnow.h"
#include "winutil.h"

/* --wait-idle=0: how long an idle ofnotify may take to answer one message. */
#define IDLE_CHECK_MS 500
/* 100 ns FILETIME ticks from 1601 to 1970. */
#define FILETIME_UNIX_EPOCH 116444736000000000LL

/* A local --since or --until: the time zone rules in force at that date
 * (daylight saving time included) make it UTC. */
static int local_to_utc(void *ctx, const of_civil_time *t, int64_t *unix_ms)
{
    SYSTEMTIME local = {.wYear = (WORD)t->year, .wMonth = (WORD)t->month, .wDay = (WORD)t->day,
                        .wHour = (WORD)t->hour, .wMinute = (WORD)t->minute, .wSecond = (WORD)t->second};
    SYSTEMTIME utc;
    FILETIME ft;
    (void)ctx;
    if (!TzSpecificLocalTimeToSystemTime(NULL, &local, &utc) || !SystemTimeToFileTime(&utc, &ft))
        return -1;
    *unix_ms = ((INT64)(((ULONGLONG)ft.dwHighDateTime << 32) | ft.dwLowDateTime) - FILETIME_UNIX_EPOCH) / 10000;
    return 0;
}

/* What follows the first '=' of an argument ("" when it has none). */
static const WCHAR *value_of(const WCHAR *arg)
{
    const WCHAR *eq = wcschr(arg, L'=');
    return eq ? eq + 1 : L"";
}

static void say_usage_error(const of_cli_error *e, WCHAR **argv)
{
    WCHAR name[32] = L"", other[32] = L"";
    if (e->name)
        winutil_utf8_to_wide(e->name, name, ARRAYSIZE(name));
    if (e->other)
        winutil_utf8_to_wide(e->other, other, ARRAYSIZE(other));
    switch (e->code) {
    case OF_CLI_E_REPEATED:
        console_message(FALSE, IDS_ERR_REPEATED, name);
        break;
    case OF_CLI_E_CONFLICT:
        console_message(FALSE, IDS_ERR_CONFLICT, name, other);
        break;
    case OF_CLI_E_EXPORT_FORMAT:
        console_message(FALSE, IDS_ERR_EXPORT_FORMAT, value_of(argv[e->arg]));
        break;
    case OF_CLI_E_NEEDS_EXPORT:
        console_message(FALSE, IDS_ERR_NEEDS_EXPORT, name);
        break;
    case OF_CLI_E_BAD_TIME:
        console_message(FALSE, IDS_ERR_BAD_TIME, name, value_of(argv[e->arg]));
        break;
    case OF_CLI_E_TIME_ORDER:
        console_message(FALSE, IDS_ERR_TIME_ORDER);
        break;
    case OF_CLI_E_BAD_OPTION:
    default:
        console_message(FALSE, IDS_ERR_BAD_OPTION, e->arg ? argv[e->arg] : L"");
        break;
    }
}

int cli_parse(int argc, WCHAR **argv, cli_options *o)
{
    of_cli_options core;
    of_cli_error e;
    char **utf8 = NULL;
    of_cli_err err = OF_CLI_E_BAD_OPTION;
    BOOL converted;
    int i;

    ZeroMemory(o, sizeof(*o));
    utf8 = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*utf8) * (size_t)(argc > 0 ? argc : 1));
    if (!utf8)
        return EXIT_ERROR;
    for (i = 0; i < argc; i++) {
        int n = WideCharToMultiByte(CP_UTF8, 0, argv[i], -1, NULL, 0, NULL, NULL);
        utf8[i] = n > 0 ? HeapAlloc(GetProcessHeap(), 0, (size_t)n) : NULL;
        if (!utf8[i] || !WideCharToMultiByte(CP_UTF8, 0, argv[i], -1, utf8[i], n, NULL, NULL))
            break;
    }
    converted = i == argc;
    if (converted)
        err = of_cli_parse(argc, (const char *const *)utf8, local_to_utc, NULL, &core, &e);
    for (i = 0; i < argc; i++)
        HeapFree(GetProcessHeap(), 0, utf8[i]);
    HeapFree(GetProcessHeap(), 0, utf8);
    if (!converted)
        return EXIT_ERROR;
    if (err != OF_CLI_OK) {
        say_usage_error(&e, argv);
        return EXIT_USAGE;
    }
    o->mode = (cli_mode)core.mode;
    o->background = core.background ? TRUE : FALSE;
    o->data_dir = core.data_dir ? value_of(argv[core.data_dir]) : NULL;
    o->out = core.out ? value_of(argv[core.out]) : NULL;
    o->format = (cli_format)core.format;
    o->timeout_ms = core.timeout_ms;
    o->has_since = core.has_since ? TRUE : FALSE;
    o->has_until = core.has_until ? TRUE : FALSE;
    o->since_ms = core.since_ms;
    o->until_ms = core.until_ms;
    return EXIT_OK;
}

/* The message for a data folder paths_check_data_dir refused. */
static void data_dir_error(BOOL alert, const WCHAR *dir, DWORD err)
{
    WCHAR why[512];
    if (err == ERROR_PATH_NOT_FOUND) {
        console_message(FALSE, IDS_ERR_NO_DATA_DIR, dir);
    } else if (err == ERROR_DIRECTORY) {
        if (alert)
            console_alert(IDS_ERR_DATA_DIR_FILE, dir);
        else
            console_message(FALSE, IDS_ERR_DATA_DIR_FILE, dir);
    } else {
        winutil_error_text(err, why, ARRAYSIZE(why));
        if (alert)
            console_alert(IDS_ERR_DATA_DIR, dir, why);
        else
            console_message(FALSE, IDS_ERR_DATA_DIR, dir, why);
    }
}

int cli_tray_data_dir(const cli_options *o, BOOL create)
{
    WCHAR dir[MAX_PATH * 2];
    DWORD err = paths_check_data_dir(o->data_dir, FALSE, dir, ARRAYSIZE(dir));
    if (!err && create)
        err = (DWORD)fs_win32_ensure_dir(dir);
    if (!err)
        return EXIT_OK;
    data_dir_error(TRUE, err == ERROR_FILENAME_EXCED_RANGE || !dir[0] ? (o->data_dir ? o->data_dir : L"") : dir,
                   err);
    return EXIT_ERROR;
}

/* ---- --export ---- */

/* The records to export, oldest first: every one, or those completed within
 * [--since, --until) (indexes into the history). */
typedef struct export_pick {
    of_history *h;
    size_t *index; /* NULL: every record */
    size_t count;
} export_pick;

static const of_record *picked_record(void *ctx, size_t i)
{
    const export_pick *p = ctx;
    return of_history_get(p->h, p->index ? p->index[i] : i);
}

/* FALSE when memory ran out. */
static BOOL pick_records(const cli_options *o, of_history *h, export_pick *p)
{
    size_t n = of_history_count(h);
    p->h = h;
    p->index = NULL;
    p->count = n;
    if (!o->has_since && !o->has_until)
        return TRUE;
    p->index = HeapAlloc(GetProcessHeap(), 0, sizeof(*p->index) * (n ? n : 1));
    if (!p->index)
        return FALSE;
    p->count = 0;
    for (size_t i = 0; i < n; i++) {
        int64_t done = of_history_get(h, i)->completed_ms;
        if ((!o->has_since || done >= o->since_ms) && (!o->has_until || done < o->until_ms))
            p->index[p->count++] = i;
    }
    return TRUE;
}

static int run_export(const cli_options *o)
{
    WCHAR dir[MAX_PATH * 2], why[512], out_path[MAX_PATH * 2];
    char path[MAX_PATH * 8];
    of_history *h = NULL;
    of_history_report report;
    of_history_err herr;
    export_format format = o->format == CLI_FORMAT_CSV ? EXPORT_CSV : EXPORT_JSONL;
    export_result res;
    export_pick pick;
    DWORD err;

    dir[0] = 0;
    err = paths_check_data_dir(o->data_dir, TRUE, dir, ARRAYSIZE(dir));
    if (!err)
        err = paths_history_utf8(dir, path, sizeof(path));
    if (err) {
        data_dir_error(FALSE, err == ERROR_FILENAME_EXCED_RANGE || !dir[0]
                                  ? (o->data_dir ? o->data_dir : L"%LOCALAPPDATA%\\ofnotify")
                                  : dir,
                       err);
        return EXIT_ERROR;
    }
    if (o->out) {
        DWORD n = GetFullPathNameW(o->out, ARRAYSIZE(out_path), out_path, NULL);
        if (!n || n >= ARRAYSIZE(out_path))
            lstrcpynW(out_path, o->out, ARRAYSIZE(out_path));
        /* Replacing the history (or anything beside it) with the export
         * would lose every record the next time ofnotify starts. */
        if (paths_in_store(out_path, dir)) {
            console_message(FALSE, IDS_ERR_OUT_IN_STORE, out_path, dir);
            return EXIT_ERROR;
        }
    }
    /* Read-only: never changes the file, so it is safe beside a running instance. */
    herr = of_history_open(&h, fs_win32(), path, OF_HISTORY_READONLY, 0, &report);
    if (herr != OF_HISTORY_OK) {
        WCHAR wpath[MAX_PATH * 2], wwhy[256];
        winutil_utf8_to_wide(path, wpath, ARRAYSIZE(wpath));
        winutil_utf8_to_wide(of_history_error_text(herr), wwhy, ARRAYSIZE(wwhy));
        console_message(FALSE, IDS_ERR_HISTORY_OPEN, wpath, wwhy);
        return EXIT_ERROR;
    }
    if (!pick_records(o, h, &pick)) {
        of_history_close(h);
        winutil_error_text(ERROR_NOT_ENOUGH_MEMORY, why, ARRAYSIZE(why));
        console_message(FALSE, IDS_ERR_WRITE, why);
        return EXIT_ERROR;
    }
    if (o->out) {
        res = export_to_path(out_path, format, picked_record, &pick, pick.count, &err);
    } else {
        res = export_records(NULL, format, picked_record, &pick, pick.count, &err);
    }
    HeapFree(GetProcessHeap(), 0, pick.index);
    of_history_close(h);
    if (res == EXPORT_OK)
        return EXIT_OK;
    winutil_error_text(err, why, ARRAYSIZE(why));
    if (res == EXPORT_E_OPEN)
        console_message(FALSE, IDS_ERR_OUT_OPEN, out_path, why);
    else
        console_message(FALSE, IDS_ERR_WRITE, why);
    return EXIT_ERROR;
}

/* ---- --sync-now ---- */

/* Exit codes: 0 started, 5 one of ours still runs, 1 it could not start (the
 * reason on stderr, the same words the running instance shows in a balloon). */
static int run_sync_now(const cli_options *o)
{
    WCHAR text[512];
    HRESULT hr = S_OK;
    int result = SYNCNOW_STARTED;
    int rc = instance_request_sync_now(o->timeout_ms, &result, &hr);
    if (rc != EXIT_OK)
        return rc;
    switch (result) {
    case SYNCNOW_STARTED:
        return EXIT_OK;
    case SYNCNOW_BUSY:
        console_message(FALSE, IDS_SYNC_NOW_BUSY);
        return EXIT_BUSY;
    default:
        syncnow_result_text((syncnow_result)result, hr, text, ARRAYSIZE(text));
        if (!text[0])
            _snwprintf(text, ARRAYSIZE(text), L"%d 0x%08lX", result, (unsigned long)hr);
        text[ARRAYSIZE(text) - 1] = 0;
        console_message(FALSE, IDS_SYNC_NOW_CLI_FAILED, text);
        return EXIT_ERROR;
    }
}

int cli_run(const cli_options *o)
{
    int rc;
    switch (o->mode) {
    case CLI_EXPORT:
        return run_export(o);
    case CLI_STATUS:
        return status_run(o->data_dir);
    case CLI_WAIT_IDLE:
        if (o->timeout_ms) {
            rc = instance_wait_idle(o->timeout_ms);
            break;
        }
        /* --wait-idle=0 asks once whether it is idle now: the probe is
         * answered at once unless events are still queued before it. */
        rc = instance_wait_idle(IDLE_CHECK_MS);
        if (rc == EXIT_TIMEOUT) {
            console_message(FALSE, IDS_ERR_NOT_IDLE);
            return rc;
        }
        break;
    case CLI_EXIT:
        rc = instance_request_exit(o->timeout_ms);
        break;
    case CLI_SYNC_NOW:
        rc = run_sync_now(o);
        break;
    case CLI_VERSION:
        console_out(OFNOTIFY_VERSION "\n", sizeof(OFNOTIFY_VERSION));
        return EXIT_OK;
    case CLI_HELP:
    default:
        console_message(TRUE, IDS_USAGE);
        return EXIT_OK;
    }
    if (rc == EXIT_NOT_RUNNING)
        console_message(FALSE, IDS_ERR_NOT_RUNNING);
    else if (rc == EXIT_TIMEOUT)
        console_message(FALSE, IDS_ERR_TIMEOUT);
    return rc;
}
