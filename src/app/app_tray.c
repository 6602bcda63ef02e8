/* ofnotify: what the user sees and picks: the tray icon and its tooltip,
 * the balloons core/notify lets through, and the tray menu's commands. See
 * app_private.h. */
#include "app_private.h"

#include <windowsx.h>

#include "aboutdlg.h"
#include "autostart.h"
#include "coretext.h"
#include "eventlog.h"
#include "history/historywnd.h"
#include "ofnotify/format.h"
#include "ofnotify/syncflags.h"
#include "resource.h"
#include "settings_reg.h"
#include "timers.h"
#include "tray.h"
#include "wallclock.h"
#include "winutil.h"

#define TRAY_RETRY_FIRST_MS 1000
#define TRAY_RETRY_MAX_MS 30000

/* core/notify's quiet hours are minutes of the local day. */
static int local_minute(void)
{
    SYSTEMTIME st;
    GetLocalTime(&st);
    return st.wHour * 60 + st.wMinute;
}

/* ---- the icon and its tooltip ---- */

static tray_state current_tray_state(const app *a, UINT *tip_id)
{
    csc_state state = a->csc ? cscsvc_state(a->csc) : CSC_STATE_UNAVAILABLE;
    *tip_id = cscsvc_state_text(state)->tip;
    if (state == CSC_STATE_RECONNECTING)
        return TRAY_RECONNECTING;
    if (state != CSC_STATE_RUNNING)
        return TRAY_OFF;
    if (of_pass_open_count(&a->passes)) {
        *tip_id = IDS_TIP_SYNCING;
        return TRAY_SYNCING;
    }
    if (syncnow_active(a->sync)) {
        *tip_id = IDS_TIP_SYNC_NOW;
        return TRAY_SYNCING;
    }
    return app_offline_active(a) ? TRAY_OFFLINE : TRAY_IDLE;
}

/* "ofnotify: watching Offline Files" + "Last sync: Two-way, 14:02, 12 s". */
static tray_state tray_text(const app *a, WCHAR *tip, size_t cap)
{
    WCHAR line[128], dir[48], when[32], took[32];
    char text[64];
    UINT tip_id;
    uint32_t open_flags = 0;
    tray_state state = current_tray_state(a, &tip_id);
    of_pass_info open;
    if (state == TRAY_SYNCING && of_pass_open_get(&a->passes, 0, &open) == OF_PASS_OK)
        open_flags = open.flags;
    else if (state == TRAY_SYNCING)
        open_flags = SYNCNOW_FLAGS;
    of_format_direction_label(coretext_strings(), of_syncflags_direction(open_flags), text, sizeof(text));
    winutil_utf8_to_wide(text, dir, ARRAYSIZE(dir));
    winutil_load_message(tip_id, tip, cap, dir);
    /* Working offline matters more than the last sync: it comes second. */
    if (app_offline_tip_line(a, line, ARRAYSIZE(line)) && wcslen(tip) + 1 + wcslen(line) < cap) {
        wcscat(tip, L"\n");
        wcscat(tip, line);
    }
    /* A history problem shows the trouble icon and comes before the last sync. */
    if (app_store_tip_line(a, line, ARRAYSIZE(line))) {
        if (state == TRAY_IDLE)
            state = TRAY_OFF;
        if (wcslen(tip) + 1 + wcslen(line) < cap) {
            wcscat(tip, L"\n");
            wcscat(tip, line);
        }
    }
    if (app_conflicts_tip_line(a, line, ARRAYSIZE(line)) && wcslen(tip) + 1 + wcslen(line) < cap) {
        wcscat(tip, L"\n");
        wcscat(tip, line);
    }
    if (a->have_last) {
        SYSTEMTIME st;
        if (!wallclock_to_local(a->last.completed_ms, &st) ||
            !GetTimeFormatEx(LOCALE_NAME_USER_DEFAULT, TIME_NOSECONDS, &st, NULL, when, ARRAYSIZE(when)))
            when[0] = 0;
        of_format_direction_label(coretext_strings(), of_syncflags_direction(a->last.flags), text, sizeof(text));
        winutil_utf8_to_wide(text, dir, ARRAYSIZE(dir));
        of_format_duration(coretext_strings(), a->last.duration_ms, text, sizeof(text));
        winutil_utf8_to_wide(text, took, ARRAYSIZE(took));
        winutil_load_message(IDS_TIP_LAST, line, ARRAYSIZE(line), dir, when, took);
        if (line[0] && wcslen(tip) + 1 + wcslen(line) < cap) {
            wcscat(tip, L"\n");
            wcscat(tip, line);
        }
    }
    return state;
}

static void schedule_tray_retry(app *a)
{
    a->tray_retry_ms = a->tray_retry_ms ? min(a->tray_retry_ms * 2, TRAY_RETRY_MAX_MS) : TRAY_RETRY_FIRST_MS;
    SetTimer(a->wnd, TIMER_TRAY_RETRY, a->tray_retry_ms, NULL);
}

/* Adds the icon, or keeps trying: at sign-in the shell may not be up yet, and
 * a tray app without its icon is worse than one that waits. */
void app_show_tray(app *a)
{
    WCHAR tip[128];
    tray_state state = tray_text(a, tip, ARRAYSIZE(tip));
    a->tray_shown = tray_add(a->wnd, state, tip);
    if (a->tray_shown) {
        app_log("ofnotify: tray icon added\n");
        KillTimer(a->wnd, TIMER_TRAY_RETRY);
        a->tray_retry_ms = 0;
    } else {
        schedule_tray_retry(a);
        app_log("ofnotify: the shell took no tray icon; trying again in %u ms\n", a->tray_retry_ms);
    }
}

/* Updating the icon is a call into the shell; a burst of passes must not
 * slow the sink path, so changes are gathered and shown once per period. */
#define TRAY_REFRESH_MS 250

void app_refresh_tray(app *a)
{
    if (a->tray_shown && !a->tray_dirty) {
        a->tray_dirty = TRUE;
        SetTimer(a->wnd, TIMER_TRAY_REFRESH, TRAY_REFRESH_MS, NULL);
    }
}

void app_update_tray_now(app *a)
{
    WCHAR tip[128];
    KillTimer(a->wnd, TIMER_TRAY_REFRESH);
    a->tray_dirty = FALSE;
    if (a->tray_shown)
        tray_update(a->wnd, tray_text(a, tip, ARRAYSIZE(tip)), tip);
}

/* ---- balloons, and the settings that decide them ---- */

static void schedule_notify(app *a)
{
    uint64_t due = 0;
    int pending = of_notify_next_due(&a->notify, &due) > 0;
    app_set_timer_until(a->wnd, TIMER_NOTIFY, pending, due);
}

void app_show_due_balloon(app *a)
{
    static of_notify_batch batch; /* large; one balloon at a time on this thread */
    char title[64], body[256];
    WCHAR wtitle[64], wbody[256];
    int rc;
    if (of_notify_poll(&a->notify, app_mono_now(), local_minute(), &batch) == 1 && batch.count) {
        rc = batch.count == 1
                 ? of_format_balloon(coretext_strings(), &batch.recs[0], title, sizeof(title), body, sizeof(body))
                 : of_format_balloon_summary(coretext_strings(), batch.recs, batch.count, title, sizeof(title), body,
                                             sizeof(body));
        if (rc >= 0 && a->tray_shown) {
            winutil_utf8_to_wide(title, wtitle, ARRAYSIZE(wtitle));
            winutil_utf8_to_wide(body, wbody, ARRAYSIZE(wbody));
            tray_balloon(a->wnd, wtitle, wbody);
            a->balloon_conflicts = FALSE;
            a->balloon_seq = batch.recs[batch.count < OF_NOTIFY_BATCH_MAX ? batch.count - 1 : OF_NOTIFY_BATCH_MAX - 1].seq;
        }
    }
    schedule_notify(a);
}

/* A record is on disk: now the rest of the app may act on it. */
void app_notify_recorded(app *a, const of_record *rec)
{
    a->last = *rec;
    a->have_last = TRUE;
    of_notify_offer(&a->notify, rec, app_mono_now(), local_minute());
    schedule_notify(a);
}

/* The quiet period after start keeps the sign-in catch-up sync from greeting
 * the user with a balloon; someone who starts ofnotify by hand wants to hear
 * about the very next sync. */
void app_start_notify(app *a, BOOL at_sign_in)
{
    of_notify_config cfg;
    of_notify_config_default(&cfg);
    if (!at_sign_in)
        cfg.startup_quiet_ms = 0;
    of_notify_init(&a->notify, &cfg, app_mono_now());
    app_load_settings(a);
}

/* Reads the settings and policies again (they may change at any time: Group
 * Policy, another tool) and hands mode and quiet hours to core/notify. */
void app_load_settings(app *a)
{
    of_notify_config cfg;
    DWORD err = settings_load(NULL, &a->settings);
    if (err)
        app_log("ofnotify: the settings could not all be read (error %lu)\n", (unsigned long)err);
    of_notify_get_config(&a->notify, &cfg);
    of_settings_to_notify_config(&a->settings, &cfg);
    of_notify_set_config(&a->notify, &cfg);
    schedule_notify(a);
    eventlog_set_enabled(a->settings.event_log);
    app_offline_settings_changed(a);
}

static void set_notify_mode(app *a, of_notify_mode mode)
{
    DWORD err = 0;
    if (settings_set_notify_mode(NULL, mode, &err) == SETTINGS_WRITE_FAILED)
        app_log("ofnotify: the notification mode could not be saved (error %lu)\n", (unsigned long)err);
    app_load_settings(a);
}

/* ---- the menu and clicks ---- */

void app_open_history_window(app *a)
{
    historywnd_open((HINSTANCE)GetWindowLongPtrW(a->wnd, GWLP_HINSTANCE), a->wnd, a->history);
}

/* "Start at sign-in": the check mark says what the registry says. */
static void toggle_autostart(app *a, const autostart_status *st)
{
    DWORD err = 0;
    WCHAR prompt[1024], title[64];
    switch (autostart_summary(st)) {
    case AUTOSTART_OFF:
    case AUTOSTART_DISABLED: /* the user asks again: ofnotify's choice wins over Task Manager's */
        err = autostart_enable(NULL, NULL);
        break;
    case AUTOSTART_ON:
        err = autostart_disable(NULL);
        break;
    case AUTOSTART_MOVED: /* the exe moved: the value starts another copy */
        winutil_load_message(IDS_AUTOSTART_REPAIR_PROMPT, prompt, ARRAYSIZE(prompt), st->user_program);
        winutil_load_message(IDS_APP_NAME, title, ARRAYSIZE(title));
        if (MessageBoxW(a->wnd, prompt, title, MB_YESNO | MB_ICONQUESTION | MB_DEFBUTTON1) == IDYES)
            err = autostart_repair(NULL, NULL);
        break;
    case AUTOSTART_MACHINE:
        break;
    }
    if (err)
        app_log("ofnotify: start at sign-in could not be changed (error %lu)\n", (unsigned long)err);
}

static void show_about(app *a)
{
    static WCHAR note[2048]; /* the history's problem, then what recovery did */
    WCHAR history[MAX_PATH * 2], recovery[1024];
    autostart_status st;
    eventlog_status events;
    about_info info = {.data_dir = a->data_dir, .history_path = history, .autostart = &st,
                       .settings = &a->settings, .eventlog = &events,
                       .store_note = note};
    info.service = a->csc ? cscsvc_state(a->csc) : CSC_STATE_UNAVAILABLE;
    winutil_utf8_to_wide(a->history_path, history, ARRAYSIZE(history));
    app_store_problem_text(a, note, ARRAYSIZE(note));
    if (app_store_recovery_text(a, recovery, ARRAYSIZE(recovery)) &&
        wcslen(note) + 2 + wcslen(recovery) < ARRAYSIZE(note)) {
        if (note[0])
            wcscat(note, L"\r\n");
        wcscat(note, recovery);
    }
    app_load_settings(a);
    eventlog_get_status(&events);
    if (autostart_query(NULL, NULL, &st) != ERROR_SUCCESS)
        info.autostart = NULL;
    aboutdlg_show(NULL, &info);
}

static void show_menu(app *a, POINT pt)
{
    of_notify_config cfg;
    autostart_status st;
    autostart_state start_state = AUTOSTART_OFF;
    UINT checked[2], disabled[5];
    HRESULT hr;
    size_t n_checked = 0, n_disabled = 0;
    app_load_settings(a); /* a policy may have arrived since */
    if (autostart_query(NULL, NULL, &st) == ERROR_SUCCESS)
        start_state = autostart_summary(&st);
    if (!app_sync_now_available(a))
        disabled[n_disabled++] = IDM_SYNC_NOW;
    if (of_settings_locked(&a->settings, OF_SETTING_NOTIFY_MODE)) {
        disabled[n_disabled++] = IDM_NOTIFY_ALL;
        disabled[n_disabled++] = IDM_NOTIFY_TWO_WAY;
        disabled[n_disabled++] = IDM_NOTIFY_OFF;
    }
    if (start_state == AUTOSTART_MACHINE)
        disabled[n_disabled++] = IDM_AUTOSTART;
    of_notify_get_config(&a->notify, &cfg);
    checked[n_checked++] = cfg.mode == OF_NOTIFY_TWO_WAY_ONLY ? IDM_NOTIFY_TWO_WAY
                           : cfg.mode == OF_NOTIFY_OFF        ? IDM_NOTIFY_OFF
                                                              : IDM_NOTIFY_ALL;
    if (start_state == AUTOSTART_ON || start_state == AUTOSTART_MOVED || start_state == AUTOSTART_MACHINE)
        checked[n_checked++] = IDM_AUTOSTART;
    switch (tray_menu(a->wnd, pt, checked, n_checked, disabled, n_disabled)) {
    case IDM_NOTIFY_ALL:
        set_notify_mode(a, OF_NOTIFY_ALL);
        break;
    case IDM_NOTIFY_TWO_WAY:
        set_notify_mode(a, OF_NOTIFY_TWO_WAY_ONLY);
        break;
    case IDM_NOTIFY_OFF:
        set_notify_mode(a, OF_NOTIFY_OFF);
        break;
    case IDM_OPEN_HISTORY:
        app_open_history_window(a);
        break;
    case IDM_SYNC_NOW:
        app_sync_now(a, &hr);
        break;
    case IDM_OPEN_CONFLICTS:
        app_open_sync_center_conflicts(a);
        break;
    case IDM_AUTOSTART:
        toggle_autostart(a, &st);
        break;
    case IDM_ABOUT:
        show_about(a);
        break;
    case IDM_EXIT:
        app_request_exit(a);
        break;
    }
}

/* NOTIFYICON_VERSION_4: the event is in LOWORD(lp), the anchor point in wp. */
void app_on_tray(app *a, WPARAM wp, LPARAM lp)
{
    if (LOWORD(lp) == WM_CONTEXTMENU) {
        POINT pt = {GET_X_LPARAM(wp), GET_Y_LPARAM(wp)};
        show_menu(a, pt);
    } else if (LOWORD(lp) == NIN_SELECT || LOWORD(lp) == NIN_KEYSELECT) {
        app_open_history_window(a);
    } else if (LOWORD(lp) == NIN_BALLOONUSERCLICK && a->balloon_conflicts) {
        app_open_sync_center_conflicts(a);
    } else if (LOWORD(lp) == NIN_BALLOONUSERCLICK && a->balloon_seq) {
        /* The balloon's pass, selected (a summary's: the latest of them). */
        historywnd_open_at((HINSTANCE)GetWindowLongPtrW(a->wnd, GWLP_HINSTANCE), a->wnd, a->history,
                           a->balloon_seq);
    }
}
