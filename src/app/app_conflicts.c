/* ofnotify: the open sync conflicts: what the sink hears of them kept in
 * core/conflicts (conflicts.dat in the data folder), their count in the
 * tooltip, a balloon when new ones appear, and Sync Center's Conflicts
 * folder on a click. See app_private.h. */
#include "app_private.h"

#include <stdio.h>
#include <wchar.h>

#include <shlobj.h>
#include <shellapi.h>
#include <knownfolders.h>

#include "fs_win32.h"
#include "history/historywnd.h"
#include "resource.h"
#include "timers.h"
#include "tray.h"
#include "wallclock.h"
#include "winutil.h"

#define CONFLICTS_FILE_NAME L"conflicts.dat"
/* A pass logs its conflicts one after another: one balloon tells of them all. */
#define CONFLICT_BALLOON_DELAY_MS 2000
/* 100 ns ticks from 1601 to 1970. */
#define FILETIME_UNIX_EPOCH 116444736000000000ULL

static int64_t filetime_ms(const FILETIME *ft)
{
    ULONGLONG t = ((ULONGLONG)ft->dwHighDateTime << 32) | ft->dwLowDateTime;
    if (t == 0)
        return wallclock_now_ms(); /* the service gave no time: when we heard of it */
    if (t < FILETIME_UNIX_EPOCH)
        return 0;
    return (int64_t)((t - FILETIME_UNIX_EPOCH) / 10000);
}

void app_open_conflicts(app *a)
{
    WCHAR wpath[MAX_PATH * 4];
    char path[MAX_PATH * 8];
    of_conflicts_report rep;
    of_history_err err;
    int n = _snwprintf(wpath, ARRAYSIZE(wpath), L"%ls\\" CONFLICTS_FILE_NAME, a->data_dir);
    if (n < 0 || (size_t)n >= ARRAYSIZE(wpath) || !winutil_wide_to_utf8(wpath, path, sizeof(path))) {
        app_log("ofnotify: no path for the conflicts file\n");
        return;
    }
    err = of_conflicts_open(&a->conflicts, fs_win32(), path, wallclock_now_ms(), &rep);
    if (err != OF_HISTORY_OK) {
        a->conflicts = NULL;
        app_log("ofnotify: cannot open %s: %s\n", path, of_history_error_text(err));
        return;
    }
    if (rep.cut_kept)
        app_log("ofnotify: conflicts %s: an unfinished last change was kept as %s\n", path, rep.cut_to);
    if (rep.moved_aside)
        app_log("ofnotify: conflicts %s: the damaged file was kept as %s\n", path, rep.moved_to);
    app_log("ofnotify: conflicts open: %u\n", (unsigned)of_conflicts_count(a->conflicts));
    for (size_t i = 0; i < of_conflicts_count(a->conflicts); i++)
        app_log("ofnotify: conflict open: %s\n", of_conflicts_get(a->conflicts, i)->path);
    historywnd_set_conflicts(a->wnd, a->conflicts);
}

void app_close_conflicts(app *a)
{
    KillTimer(a->wnd, TIMER_CONFLICT_BALLOON);
    historywnd_set_conflicts(a->wnd, NULL);
    of_conflicts_close(a->conflicts);
    a->conflicts = NULL;
}

/* The last part of a path: the balloon names the file, the tab shows where. */
static const WCHAR *file_name(const WCHAR *path)
{
    const WCHAR *slash = wcsrchr(path, L'\\');
    return slash && slash[1] ? slash + 1 : path;
}

void app_on_conflict_event(app *a, sink_event *ev)
{
    static const char *const what[] = {"added", "updated", "removed"};
    char path[OF_CONFLICT_PATH_MAX + 1];
    of_history_err err = OF_HISTORY_OK;
    int changed = 0;
    if (!ev)
        return; /* no memory for its details: counted as lost by the sink */
    if (ev->flags > 2 || !winutil_wide_to_utf8(ev->path, path, sizeof(path)) || !path[0]) {
        app_log("ofnotify: a conflict event without a usable path was ignored\n");
        sink_event_free(ev);
        return;
    }
    if (!a->conflicts)
        err = OF_HISTORY_E_OPEN; /* its file could not be opened at start (logged then) */
    else if (ev->flags == 2)
        err = of_conflicts_remove(a->conflicts, path, &changed);
    else
        err = of_conflicts_put(a->conflicts, path, filetime_ms(&ev->when), ev->conflict_state, &changed);
    if (err != OF_HISTORY_OK)
        app_log("ofnotify: conflict %s %s not kept: %s\n", what[ev->flags], path, of_history_error_text(err));
    else
        app_log("ofnotify: conflict %s: %s (state %lu); %u open\n", what[ev->flags], path,
                (unsigned long)ev->conflict_state, (unsigned)of_conflicts_count(a->conflicts));
    if (err == OF_HISTORY_OK && ev->flags == 0 && changed && !a->conflict_balloon_first[0])
        lstrcpynW(a->conflict_balloon_first, file_name(ev->path), ARRAYSIZE(a->conflict_balloon_first));
    if (err == OF_HISTORY_OK && ev->flags == 0 && changed && a->settings.notify_conflicts)
        SetTimer(a->wnd, TIMER_CONFLICT_BALLOON, CONFLICT_BALLOON_DELAY_MS, NULL);
    sink_event_free(ev);
    historywnd_set_conflicts(a->wnd, a->conflicts);
    app_refresh_tray(a);
}

void app_conflict_balloon_text(const WCHAR *first, size_t open, WCHAR *title, size_t title_cap, WCHAR *body,
                               size_t body_cap)
{
    winutil_load_message(IDS_CONFLICT_BALLOON_TITLE, title, title_cap);
    if (open <= 1)
        winutil_load_message(IDS_CONFLICT_BALLOON_ONE, body, body_cap, first);
    else
        winutil_load_message(IDS_CONFLICT_BALLOON_MORE, body, body_cap, first, (unsigned)(open - 1));
}

void app_show_conflict_balloon(app *a)
{
    WCHAR title[64], body[256];
    size_t open = of_conflicts_count(a->conflicts);
    KillTimer(a->wnd, TIMER_CONFLICT_BALLOON);
    /* Resolved in the meantime: nothing left to tell. */
    if (a->conflict_balloon_first[0] && open && a->tray_shown && a->settings.notify_conflicts) {
        app_conflict_balloon_text(a->conflict_balloon_first, open, title, ARRAYSIZE(title), body, ARRAYSIZE(body));
        tray_balloon(a->wnd, title, body);
        a->balloon_conflicts = TRUE;
        app_log("ofnotify: conflict balloon: %ls | %ls\n", title, body);
    }
    a->conflict_balloon_first[0] = 0;
}

BOOL app_conflicts_tip_line(const app *a, WCHAR *line, size_t cap)
{
    size_t open = of_conflicts_count(a->conflicts);
    if (!open)
        return FALSE;
    winutil_load_message(IDS_TIP_CONFLICTS, line, cap, (unsigned)open);
    return line[0] != 0;
}

/* Sync Center's Conflicts folder is the known folder FOLDERID_ConflictFolder
 * (a virtual folder): opened through its ID list, as the shell documents. */
void app_open_sync_center_conflicts(app *a)
{
    PIDLIST_ABSOLUTE pidl = NULL;
    SHELLEXECUTEINFOW sei = {.cbSize = sizeof(sei)};
    HRESULT hr = SHGetKnownFolderIDList(&FOLDERID_ConflictFolder, 0, NULL, &pidl);
    if (SUCCEEDED(hr)) {
        sei.fMask = SEE_MASK_IDLIST | SEE_MASK_FLAG_NO_UI;
        sei.hwnd = a->wnd;
        sei.lpIDList = pidl;
        sei.nShow = SW_SHOWNORMAL;
        if (!ShellExecuteExW(&sei))
            hr = HRESULT_FROM_WIN32(GetLastError());
        CoTaskMemFree(pidl);
    }
    app_log("ofnotify: Sync Center conflicts %s (0x%08lx)\n", SUCCEEDED(hr) ? "opened" : "could not be opened",
            (unsigned long)hr);
}
