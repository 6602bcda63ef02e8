/* ofnotify: the About dialog. See aboutdlg.h. */
#include "aboutdlg.h"

#include <stdio.h>
#include <wchar.h>

#include "resource.h"
#include "settings_reg.h"
#include "winutil.h"

#ifndef OFNOTIFY_VERSION
#define OFNOTIFY_VERSION "0.0.0"
#endif
#define WIDEN2(s) L##s
#define WIDEN(s) WIDEN2(s)

/* One line of the settings or notes box; notes are the longest. */
#define LINE_CAP 1024
#define BOX_CAP (LINE_CAP * (OF_SETTINGS_NOTES_MAX + 1))

/* The one dialog; NULL while closed. */
static HWND the_dialog;

/* ---- text helpers ---- */

static void append_line(WCHAR *buf, size_t cap, size_t *len, const WCHAR *line)
{
    size_t n = wcslen(line);
    const WCHAR *sep = *len ? L"\r\n" : L"";
    size_t s = wcslen(sep);
    if (!line[0] || *len + s + n + 1 > cap)
        return;
    wmemcpy(buf + *len, sep, s);
    wmemcpy(buf + *len + s, line, n + 1);
    *len += s + n;
}

/* A minute of the day as the user writes times ("22:00", "10:00 PM"). */
static void minute_text(int minute, WCHAR *buf, size_t cap)
{
    SYSTEMTIME st = {.wYear = 2000, .wMonth = 1, .wDay = 1};
    st.wHour = (WORD)(minute / 60);
    st.wMinute = (WORD)(minute % 60);
    if (GetTimeFormatEx(LOCALE_NAME_USER_DEFAULT, TIME_NOSECONDS, &st, NULL, buf, (int)cap) <= 0) {
        _snwprintf(buf, cap, L"%02d:%02d", minute / 60, minute % 60);
        buf[cap - 1] = 0;
    }
}

/* Adds line, marked when a policy sets `id`. */
static void append_setting(WCHAR *buf, size_t cap, size_t *len, const of_settings *s, of_setting_id id,
                           const WCHAR *line)
{
    WCHAR marked[LINE_CAP];
    if (of_settings_locked(s, id)) {
        winutil_load_message(IDS_ABOUT_LOCKED, marked, ARRAYSIZE(marked), line);
        line = marked;
    }
    append_line(buf, cap, len, line);
}

/* Whether passes reach the Windows Event Log, and the first reason they do not. */
static void eventlog_line(const of_settings *s, const eventlog_status *ev, WCHAR *line, size_t cap)
{
    WCHAR detail[LINE_CAP];
    if (!s->event_log || !ev->enabled) {
        winutil_load_message(IDS_ABOUT_EVENTLOG_OFF, line, cap);
    } else if (ev->error) {
        winutil_error_text(ev->error, detail, ARRAYSIZE(detail));
        winutil_load_message(IDS_ABOUT_EVENTLOG_FAILED, line, cap, detail);
    } else if (ev->dropped) {
        winutil_format_count(ev->dropped, detail, ARRAYSIZE(detail));
        winutil_load_message(IDS_ABOUT_EVENTLOG_DROPPED, line, cap, detail);
    } else {
        winutil_load_message(IDS_ABOUT_EVENTLOG_ON, line, cap);
    }
}

static void settings_text(const of_settings *s, const eventlog_status *ev, WCHAR *buf, size_t cap)
{
    WCHAR line[LINE_CAP], word[64], from[64], to[64];
    size_t len = 0;
    buf[0] = 0;

    winutil_load_message(s->notify_mode == OF_NOTIFY_TWO_WAY_ONLY ? IDS_ABOUT_MODE_TWO_WAY
                         : s->notify_mode == OF_NOTIFY_OFF        ? IDS_ABOUT_MODE_OFF
                                                                  : IDS_ABOUT_MODE_ALL,
                         word, ARRAYSIZE(word));
    winutil_load_message(IDS_ABOUT_MODE, line, ARRAYSIZE(line), word);
    append_setting(buf, cap, &len, s, OF_SETTING_NOTIFY_MODE, line);

    if (s->quiet_hours) {
        minute_text(s->quiet_start_minute, from, ARRAYSIZE(from));
        minute_text(s->quiet_end_minute, to, ARRAYSIZE(to));
        winutil_load_message(IDS_ABOUT_QUIET, line, ARRAYSIZE(line), from, to);
    } else {
        winutil_load_message(IDS_ABOUT_QUIET_NONE, line, ARRAYSIZE(line));
    }
    append_setting(buf, cap, &len, s, OF_SETTING_QUIET_START, line);

    winutil_format_count(s->retention_count, word, ARRAYSIZE(word));
    winutil_load_message(s->retention_count ? IDS_ABOUT_KEEP_COUNT : IDS_ABOUT_KEEP_COUNT_ALL, line, ARRAYSIZE(line),
                         word);
    append_setting(buf, cap, &len, s, OF_SETTING_RETENTION_COUNT, line);

    winutil_format_count(s->retention_days, word, ARRAYSIZE(word));
    winutil_load_message(s->retention_days ? IDS_ABOUT_KEEP_DAYS : IDS_ABOUT_KEEP_DAYS_ALL, line, ARRAYSIZE(line),
                         word);
    append_setting(buf, cap, &len, s, OF_SETTING_RETENTION_DAYS, line);

    /* One line for the pair; it is the administrator's if either value is. */
    if (s->offline_notify)
        winutil_load_message(IDS_ABOUT_OFFLINE, line, ARRAYSIZE(line), (unsigned)s->offline_grace_minutes);
    else
        winutil_load_message(IDS_ABOUT_OFFLINE_OFF, line, ARRAYSIZE(line));
    append_setting(buf, cap, &len, s,
                   s->offline_notify && of_settings_locked(s, OF_SETTING_OFFLINE_GRACE) ? OF_SETTING_OFFLINE_GRACE
                                                                                        : OF_SETTING_OFFLINE_NOTIFY,
                   line);

    if (ev) {
        eventlog_line(s, ev, line, ARRAYSIZE(line));
        append_setting(buf, cap, &len, s, OF_SETTING_EVENT_LOG, line);
    }
}

static void notes_text(const of_settings *s, const WCHAR *store_note, WCHAR *buf, size_t cap)
{
    WCHAR line[LINE_CAP];
    size_t len = 0;
    buf[0] = 0;
    if (store_note)
        append_line(buf, cap, &len, store_note);
    for (size_t i = 0; i < s->note_count && i < OF_SETTINGS_NOTES_MAX; i++) {
        settings_note_text(&s->notes[i], line, ARRAYSIZE(line));
        append_line(buf, cap, &len, line);
    }
    if (!len)
        winutil_load_message(IDS_ABOUT_NOTES_NONE, buf, cap);
}

static void autostart_text(const autostart_status *st, WCHAR *buf, size_t cap)
{
    static const UINT state_text[] = {
        [AUTOSTART_OFF] = IDS_ABOUT_AUTOSTART_OFF,
        [AUTOSTART_ON] = IDS_ABOUT_AUTOSTART_ON,
        [AUTOSTART_MOVED] = IDS_ABOUT_AUTOSTART_MOVED, /* %1: the program the value starts */
        [AUTOSTART_DISABLED] = IDS_ABOUT_AUTOSTART_DISABLED,
        [AUTOSTART_MACHINE] = IDS_ABOUT_AUTOSTART_MACHINE,
    };
    autostart_state state;
    if (!st) {
        winutil_load_message(IDS_ABOUT_AUTOSTART_UNKNOWN, buf, cap);
        return;
    }
    state = autostart_summary(st);
    winutil_load_message((unsigned)state < ARRAYSIZE(state_text) ? state_text[state] : IDS_ABOUT_AUTOSTART_OFF, buf,
                         cap, st->user_program);
}

/* ---- the dialog ---- */

static void set_text(HWND dlg, int control, UINT string_id)
{
    WCHAR text[LINE_CAP];
    winutil_load_message(string_id, text, ARRAYSIZE(text));
    SetDlgItemTextW(dlg, control, text);
}

/* The fixed texts: labels, caption, button. */
static void set_labels(HWND dlg)
{
    static const struct {
        int control;
        UINT text;
    } labels[] = {
        {IDC_ABOUT_DESCRIPTION, IDS_ABOUT_DESCRIPTION},
        {IDC_ABOUT_DATA_LABEL, IDS_ABOUT_DATA_LABEL},
        {IDC_ABOUT_HISTORY_LABEL, IDS_ABOUT_HISTORY_LABEL},
        {IDC_ABOUT_SERVICE_LABEL, IDS_ABOUT_SERVICE_LABEL},
        {IDC_ABOUT_AUTOSTART_LABEL, IDS_ABOUT_AUTOSTART_LABEL},
        {IDC_ABOUT_SETTINGS_LABEL, IDS_ABOUT_SETTINGS_LABEL},
        {IDC_ABOUT_NOTES_LABEL, IDS_ABOUT_NOTES_LABEL},
        {IDOK, IDS_ABOUT_CLOSE},
    };
    WCHAR text[LINE_CAP];
    winutil_load_message(IDS_ABOUT_CAPTION, text, ARRAYSIZE(text));
    SetWindowTextW(dlg, text);
    winutil_load_message(IDS_ABOUT_TITLE, text, ARRAYSIZE(text), WIDEN(OFNOTIFY_VERSION));
    SetDlgItemTextW(dlg, IDC_ABOUT_TITLE, text);
    for (size_t i = 0; i < ARRAYSIZE(labels); i++)
        set_text(dlg, labels[i].control, labels[i].text);
}

/* The facts of info; everything is copied into the controls. */
static void show_info(HWND dlg, const about_info *info)
{
    static WCHAR box[BOX_CAP]; /* one dialog, main thread only */
    WCHAR line[LINE_CAP];
    of_settings defaults;
    const of_settings *s = info->settings;
    if (!s) {
        of_settings_default(&defaults);
        s = &defaults;
    }
    SetDlgItemTextW(dlg, IDC_ABOUT_DATA, info->data_dir ? info->data_dir : L"");
    SetDlgItemTextW(dlg, IDC_ABOUT_HISTORY, info->history_path ? info->history_path : L"");
    set_text(dlg, IDC_ABOUT_SERVICE, cscsvc_state_text(info->service)->about);
    autostart_text(info->autostart, line, ARRAYSIZE(line));
    SetDlgItemTextW(dlg, IDC_ABOUT_AUTOSTART, line);
    settings_text(s, info->eventlog, box, ARRAYSIZE(box));
    SetDlgItemTextW(dlg, IDC_ABOUT_SETTINGS, box);
    notes_text(s, info->store_note, box, ARRAYSIZE(box));
    SetDlgItemTextW(dlg, IDC_ABOUT_NOTES, box);
}

static INT_PTR CALLBACK about_proc(HWND dlg, UINT msg, WPARAM wp, LPARAM lp)
{
    switch (msg) {
    case WM_INITDIALOG:
        the_dialog = dlg;
        set_labels(dlg);
        show_info(dlg, (const about_info *)lp);
        SetFocus(GetDlgItem(dlg, IDOK));
        return FALSE; /* focus is set */
    case WM_COMMAND:
        if (LOWORD(wp) == IDOK || LOWORD(wp) == IDCANCEL) {
            DestroyWindow(dlg);
            return TRUE;
        }
        return FALSE;
    case WM_CLOSE: /* the caption's X, and Esc inside a multi-line box */
        DestroyWindow(dlg);
        return TRUE;
    case WM_DESTROY:
        if (the_dialog == dlg)
            the_dialog = NULL;
        return FALSE;
    }
    return FALSE;
}

HWND aboutdlg_show(HWND owner, const about_info *info)
{
    HWND dlg;
    if (!info)
        return NULL;
    if (the_dialog) {
        show_info(the_dialog, info);
        if (IsIconic(the_dialog))
            ShowWindow(the_dialog, SW_RESTORE);
        SetForegroundWindow(the_dialog);
        return the_dialog;
    }
    dlg = CreateDialogParamW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDD_ABOUT), owner, about_proc, (LPARAM)info);
    if (!dlg)
        return NULL;
    ShowWindow(dlg, SW_SHOWNORMAL);
    SetForegroundWindow(dlg);
    return dlg;
}

BOOL aboutdlg_handle_message(MSG *msg)
{
    return the_dialog && msg && IsDialogMessageW(the_dialog, msg);
}

void aboutdlg_close(void)
{
    if (the_dialog)
        DestroyWindow(the_dialog);
}
