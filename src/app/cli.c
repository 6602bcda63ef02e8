/* ofnotify: the command line. See cli.h. */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>

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

#define DEFAULT_TIMEOUT_MS 10000
/* --wait-idle=0: how long an idle ofnotify may take to answer one message. */
#define IDLE_CHECK_MS 500

static const WCHAR *option_value(const WCHAR *arg, const WCHAR *name)
{
    size_t n = wcslen(name);
    if (wcsncmp(arg, name, n) != 0)
        return NULL;
    if (arg[n] == L'=')
        return arg + n + 1;
    return arg[n] == 0 ? L"" : NULL;
}

static BOOL parse_ms(const WCHAR *text, DWORD *out)
{
    WCHAR *end;
    unsigned long v;
    if (!*text || *text == L'-')
        return FALSE;
    v = wcstoul(text, &end, 10);
    if (*end || v > 24ul * 3600 * 1000)
        return FALSE;
    *out = (DWORD)v;
    return TRUE;
}

/* One mode per command line: a second one, the same or another, is an
 * error rather than a guess at which was meant. */
static BOOL set_mode(cli_options *o, cli_mode mode, const WCHAR *name, const WCHAR **mode_name)
{
    if (*mode_name) {
        if (o->mode == mode)
            console_message(FALSE, IDS_ERR_REPEATED, name);
        else
            console_message(FALSE, IDS_ERR_CONFLICT, *mode_name, name);
        return FALSE;
    }
    o->mode = mode;
    *mode_name = name;
    return TRUE;
}

/* An option that takes one value may be given once. */
static BOOL set_once(const WCHAR **field, const WCHAR *value, const WCHAR *name)
{
    if (*field) {
        console_message(FALSE, IDS_ERR_REPEATED, name);
        return FALSE;
    }
    *field = value;
    return TRUE;
}

int cli_parse(int argc, WCHAR **argv, cli_options *o)
{
    const WCHAR *mode_name = NULL;
    BOOL background = FALSE;
    ZeroMemory(o, sizeof(*o));
    o->mode = CLI_TRAY;
    o->timeout_ms = DEFAULT_TIMEOUT_MS;
    for (int i = 1; i < argc; i++) {
        const WCHAR *a = argv[i], *v;
        BOOL ok = TRUE;
        if (!wcscmp(a, L"--background")) {
            if (background) {
                console_message(FALSE, IDS_ERR_REPEATED, a);
                return EXIT_USAGE;
            }
            background = TRUE;
        } else if ((v = option_value(a, L"--data-dir")) && *v) {
            ok = set_once(&o->data_dir, v, L"--data-dir");
        } else if ((v = option_value(a, L"--out")) && *v) {
            ok = set_once(&o->out, v, L"--out");
        } else if ((v = option_value(a, L"--export"))) {
            if (!set_mode(o, CLI_EXPORT, L"--export", &mode_name))
                return EXIT_USAGE;
            if (!wcscmp(v, L"jsonl")) {
                o->format = CLI_FORMAT_JSONL;
            } else if (!wcscmp(v, L"csv")) {
                o->format = CLI_FORMAT_CSV;
            } else {
                console_message(FALSE, IDS_ERR_EXPORT_FORMAT, v);
                return EXIT_USAGE;
            }
        } else if ((v = option_value(a, L"--wait-idle"))) {
            ok = set_mode(o, CLI_WAIT_IDLE, L"--wait-idle", &mode_name);
            if (ok && *v && !parse_ms(v, &o->timeout_ms))
                goto bad;
        } else if (!wcscmp(a, L"--exit")) {
            ok = set_mode(o, CLI_EXIT, a, &mode_name);
        } else if (!wcscmp(a, L"--sync-now")) {
            ok = set_mode(o, CLI_SYNC_NOW, a, &mode_name);
        } else if (!wcscmp(a, L"--status")) {
            ok = set_mode(o, CLI_STATUS, a, &mode_name);
        } else if (!wcscmp(a, L"--help") || !wcscmp(a, L"-h") || !wcscmp(a, L"/?")) {
            ok = set_mode(o, CLI_HELP, L"--help", &mode_name);
        } else if (!wcscmp(a, L"--version")) {
            ok = set_mode(o, CLI_VERSION, a, &mode_name);
        } else {
            goto bad;
        }
        if (!ok)
            return EXIT_USAGE;
        continue;
    bad:
        console_message(FALSE, IDS_ERR_BAD_OPTION, a);
        return EXIT_USAGE;
    }
    /* --background says how the tray app was started; with a mode it is a
     * mistake, not something to ignore. */
    if (background && mode_name) {
        console_message(FALSE, IDS_ERR_CONFLICT, L"--background", mode_name);
        return EXIT_USAGE;
    }
    o->background = background;
    if (o->out && o->mode != CLI_EXPORT) {
        console_message(FALSE, IDS_ERR_BAD_OPTION, L"--out");
        return EXIT_USAGE;
    }
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

/* Every record, oldest first. */
static const of_record *history_record(void *ctx, size_t i)
{
    return of_history_get(ctx, i);
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
    if (o->out) {
        res = export_to_path(out_path, format, history_record, h, of_history_count(h), &err);
    } else {
        res = export_records(NULL, format, history_record, h, of_history_count(h), &err);
    }
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
