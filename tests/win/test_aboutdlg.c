/* Tests for src/app/aboutdlg: the real dialog from the app's own resources
 * (this program links them), under Wine or Windows. It finds the controls,
 * reads what they show for a given about_info, closes the dialog the ways a
 * user does, checks that labels fit and come right before their values, and
 * that every string of the 1300..1399 range exists in English and German
 * with the same inserts. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include <windows.h>

#include "../../res/resource.h"
#include "aboutdlg.h"
#include "ofnotify/settings.h"
#include "support/pump.h"
#include "support/rcstrings.h"

#define TEXT_CAP 8192
#define WIDEN2(s) L##s
#define WIDEN(s) WIDEN2(s)
#define WIDEN_VERSION WIDEN(OFNOTIFY_VERSION)

static const LANGID lang_en = MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US);
static const LANGID lang_de = MAKELANGID(LANG_GERMAN, SUBLANG_GERMAN);

/* Every control of the dialog, label before value. */
static const int controls[] = {
    IDC_ABOUT_TITLE,          IDC_ABOUT_DESCRIPTION,   IDC_ABOUT_DATA_LABEL,     IDC_ABOUT_DATA,
    IDC_ABOUT_HISTORY_LABEL,  IDC_ABOUT_HISTORY,       IDC_ABOUT_SERVICE_LABEL,  IDC_ABOUT_SERVICE,
    IDC_ABOUT_AUTOSTART_LABEL, IDC_ABOUT_AUTOSTART,    IDC_ABOUT_SETTINGS_LABEL, IDC_ABOUT_SETTINGS,
    IDC_ABOUT_NOTES_LABEL,    IDC_ABOUT_NOTES,         IDOK,
};

static const int label_value[][2] = {
    {IDC_ABOUT_DATA_LABEL, IDC_ABOUT_DATA},
    {IDC_ABOUT_HISTORY_LABEL, IDC_ABOUT_HISTORY},
    {IDC_ABOUT_SERVICE_LABEL, IDC_ABOUT_SERVICE},
    {IDC_ABOUT_AUTOSTART_LABEL, IDC_ABOUT_AUTOSTART},
    {IDC_ABOUT_SETTINGS_LABEL, IDC_ABOUT_SETTINGS},
    {IDC_ABOUT_NOTES_LABEL, IDC_ABOUT_NOTES},
};

/* ---- helpers ------------------------------------------------------------------ */

/* The dialog's keyboard messages go to it first, as in the app's message loop. */
static BOOL dialog_takes(MSG *msg, void *ctx)
{
    (void)ctx;
    return aboutdlg_handle_message(msg);
}

static WCHAR *text_of(HWND dlg, int id)
{
    static WCHAR text[TEXT_CAP];
    text[0] = 0;
    GetDlgItemTextW(dlg, id, text, ARRAYSIZE(text));
    return text;
}

static void assert_text(HWND dlg, int id, const WCHAR *want)
{
    const WCHAR *got = text_of(dlg, id);
    if (wcscmp(got, want) != 0) {
        print_error("control %d shows \"%ls\", want \"%ls\"\n", id, got, want);
        fail();
    }
}

static void assert_shows(HWND dlg, int id, const WCHAR *part)
{
    const WCHAR *got = text_of(dlg, id);
    if (!wcsstr(got, part)) {
        print_error("control %d shows \"%ls\", without \"%ls\"\n", id, got, part);
        fail();
    }
}

static void assert_lacks(HWND dlg, int id, const WCHAR *part)
{
    const WCHAR *got = text_of(dlg, id);
    if (wcsstr(got, part)) {
        print_error("control %d shows \"%ls\", with \"%ls\"\n", id, got, part);
        fail();
    }
}

/* The line of a multi-line box that starts with `start`. */
static void line_of(HWND dlg, int id, const WCHAR *start, WCHAR *out, size_t cap)
{
    const WCHAR *text = text_of(dlg, id), *p = text;
    size_t n = wcslen(start);
    out[0] = 0;
    while (p && *p) {
        const WCHAR *end = wcsstr(p, L"\r\n");
        size_t len = end ? (size_t)(end - p) : wcslen(p);
        if (len >= n && wcsncmp(p, start, n) == 0 && len < cap) {
            wmemcpy(out, p, len);
            out[len] = 0;
            return;
        }
        p = end ? end + 2 : NULL;
    }
    print_error("no line starting \"%ls\" in \"%ls\"\n", start, text);
    fail();
}

static int line_count(HWND dlg, int id)
{
    const WCHAR *p = text_of(dlg, id);
    int n = *p ? 1 : 0;
    while ((p = wcsstr(p, L"\r\n")) != NULL) {
        n++;
        p += 2;
    }
    return n;
}

static of_raw_value dword(uint32_t v)
{
    of_raw_value r = {.type = OF_RAW_DWORD, .dword = v, .native_type = REG_DWORD};
    return r;
}

/* Settings with the mode locked by machine policy, quiet hours from the
 * user, and one unusable value (quiet hours start 1500 in the user policy). */
static of_settings sample_settings(void)
{
    of_settings_raw raw;
    of_settings s;
    memset(&raw, 0, sizeof(raw));
    raw.v[OF_LAYER_MACHINE_POLICY][OF_SETTING_NOTIFY_MODE] = dword(OF_NOTIFY_TWO_WAY_ONLY);
    raw.v[OF_LAYER_USER_POLICY][OF_SETTING_QUIET_START] = dword(1500);
    raw.v[OF_LAYER_USER][OF_SETTING_QUIET_START] = dword(1320);
    raw.v[OF_LAYER_USER][OF_SETTING_QUIET_END] = dword(420);
    raw.v[OF_LAYER_USER][OF_SETTING_RETENTION_DAYS] = dword(0);
    assert_int_equal(of_settings_resolve(&raw, &s), 0);
    assert_int_equal(s.note_count, 1);
    return s;
}

static autostart_status autostart_with(autostart_entry user, BOOL disabled, autostart_entry machine)
{
    autostart_status st;
    memset(&st, 0, sizeof(st));
    st.user = user;
    st.user_disabled = disabled;
    st.machine = machine;
    wcscpy(st.user_program, L"C:\\Old place\\ofnotify.exe");
    return st;
}

/* Windows picks resources by the thread's UI language, Wine by the thread
 * locale: setting both makes the test mean the same on each. */
static void use_language(LANGID lang)
{
    SetThreadUILanguage(lang);
    SetThreadLocale(MAKELCID(lang, SORT_DEFAULT));
}

static int setup(void **state)
{
    (void)state;
    use_language(lang_en);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    aboutdlg_close();
    pump_with(dialog_takes, NULL);
    use_language(lang_en);
    return 0;
}

/* ---- what it shows -------------------------------------------------------------- */

static void shows_the_facts_it_is_given(void **state)
{
    (void)state;
    of_settings s = sample_settings();
    autostart_status st = autostart_with(AUTOSTART_ENTRY_THIS_EXE, FALSE, AUTOSTART_ENTRY_ABSENT);
    about_info info = {
        .data_dir = L"C:\\Users\\me\\AppData\\Local\\ofnotify",
        .history_path = L"C:\\Users\\me\\AppData\\Local\\ofnotify\\history.dat",
        .service = CSC_STATE_RUNNING,
        .autostart = &st,
        .settings = &s,
    };
    WCHAR line[512], caption[128];
    HWND dlg = aboutdlg_show(NULL, &info);
    assert_non_null(dlg);
    pump_with(dialog_takes, NULL);
    assert_true(IsWindowVisible(dlg));

    GetWindowTextW(dlg, caption, ARRAYSIZE(caption));
    assert_true(wcscmp(caption, L"About ofnotify") == 0);
    assert_text(dlg, IDC_ABOUT_TITLE, L"ofnotify " WIDEN_VERSION);
    assert_text(dlg, IDC_ABOUT_DATA, info.data_dir);
    assert_text(dlg, IDC_ABOUT_HISTORY, info.history_path);
    assert_text(dlg, IDC_ABOUT_SERVICE, L"Running; ofnotify hears of every sync");
    assert_text(dlg, IDC_ABOUT_AUTOSTART, L"On");
    assert_text(dlg, IDOK, L"Close");

    /* The locked setting, and only it, carries the marker. */
    line_of(dlg, IDC_ABOUT_SETTINGS, L"Notifications:", line, ARRAYSIZE(line));
    assert_true(wcscmp(line, L"Notifications: two-way syncs only (set by your administrator)") == 0);
    line_of(dlg, IDC_ABOUT_SETTINGS, L"Quiet hours:", line, ARRAYSIZE(line));
    assert_null(wcsstr(line, L"administrator"));
    assert_non_null(wcsstr(line, L" to "));
    line_of(dlg, IDC_ABOUT_SETTINGS, L"History keeps: the newest", line, ARRAYSIZE(line));
    assert_non_null(wcsstr(line, L"100"));
    line_of(dlg, IDC_ABOUT_SETTINGS, L"History keeps: every day", line, ARRAYSIZE(line));
    line_of(dlg, IDC_ABOUT_SETTINGS, L"Working offline:", line, ARRAYSIZE(line));
    assert_true(wcscmp(line, L"Working offline: a balloon after 2 min offline, and when it is back") == 0);
    assert_int_equal(line_count(dlg, IDC_ABOUT_SETTINGS), 5);

    /* The note names where, what and why. */
    assert_int_equal(line_count(dlg, IDC_ABOUT_NOTES), 1);
    assert_shows(dlg, IDC_ABOUT_NOTES, L"User policy (HKCU\\Software\\Policies\\ofnotify)");
    assert_shows(dlg, IDC_ABOUT_NOTES, L"QuietHoursStart is 1500, outside 0 to 1439");
}

static void quiet_hours_in_the_users_time_format(void **state)
{
    (void)state;
    of_settings s = sample_settings();
    about_info info = {.settings = &s};
    WCHAR want[256], from[32], to[32], line[256];
    SYSTEMTIME a = {.wYear = 2000, .wMonth = 1, .wDay = 1, .wHour = 22}, b = a;
    b.wHour = 7;
    assert_true(GetTimeFormatEx(LOCALE_NAME_USER_DEFAULT, TIME_NOSECONDS, &a, NULL, from, ARRAYSIZE(from)) > 0);
    assert_true(GetTimeFormatEx(LOCALE_NAME_USER_DEFAULT, TIME_NOSECONDS, &b, NULL, to, ARRAYSIZE(to)) > 0);
    _snwprintf(want, ARRAYSIZE(want), L"Quiet hours: %ls to %ls", from, to);
    HWND dlg = aboutdlg_show(NULL, &info);
    assert_non_null(dlg);
    line_of(dlg, IDC_ABOUT_SETTINGS, L"Quiet hours:", line, ARRAYSIZE(line));
    assert_true(wcscmp(line, want) == 0);
}

/* The history file's problem (app_store.h's text) comes first in the notes box. */
static void store_note_comes_first(void **state)
{
    (void)state;
    about_info info = {.service = CSC_STATE_RUNNING,
                       .store_note = L"History file C:\\h\\history.dat is from a newer version of ofnotify."};
    HWND dlg = aboutdlg_show(NULL, &info);
    assert_non_null(dlg);
    assert_int_equal(line_count(dlg, IDC_ABOUT_NOTES), 1);
    assert_shows(dlg, IDC_ABOUT_NOTES, L"history.dat is from a newer version");
    assert_lacks(dlg, IDC_ABOUT_NOTES, L"None");
    info.store_note = L"";
    dlg = aboutdlg_show(NULL, &info);
    assert_text(dlg, IDC_ABOUT_NOTES, L"None");
}

static void defaults_and_no_notes(void **state)
{
    (void)state;
    about_info info = {.service = CSC_STATE_DISABLED};
    WCHAR line[256];
    HWND dlg = aboutdlg_show(NULL, &info);
    assert_non_null(dlg);
    assert_text(dlg, IDC_ABOUT_DATA, L"");
    assert_text(dlg, IDC_ABOUT_SERVICE, L"Turned off");
    assert_text(dlg, IDC_ABOUT_AUTOSTART, L"Unknown");
    assert_text(dlg, IDC_ABOUT_NOTES, L"None");
    assert_lacks(dlg, IDC_ABOUT_SETTINGS, L"administrator");
    line_of(dlg, IDC_ABOUT_SETTINGS, L"Notifications:", line, ARRAYSIZE(line));
    assert_true(wcscmp(line, L"Notifications: all syncs") == 0);
    assert_shows(dlg, IDC_ABOUT_SETTINGS, L"Quiet hours: none");
    assert_shows(dlg, IDC_ABOUT_SETTINGS, L"365 days");
}

static void every_locked_setting_is_marked(void **state)
{
    (void)state;
    of_settings_raw raw;
    of_settings s;
    memset(&raw, 0, sizeof(raw));
    for (int id = 0; id < OF_SETTING_COUNT; id++)
        raw.v[OF_LAYER_USER_POLICY][id] = dword(id == OF_SETTING_QUIET_END ? 60 : 0);
    of_settings_resolve(&raw, &s);
    about_info info = {.settings = &s};
    HWND dlg = aboutdlg_show(NULL, &info);
    assert_non_null(dlg);
    /* All syncs, quiet hours 0:00 to 1:00, every record, every day: all from policy. */
    for (const WCHAR *p = text_of(dlg, IDC_ABOUT_SETTINGS), *end; p; p = end ? end + 2 : NULL) {
        end = wcsstr(p, L"\r\n");
        size_t len = end ? (size_t)(end - p) : wcslen(p);
        WCHAR line[512];
        assert_true(len < ARRAYSIZE(line));
        wmemcpy(line, p, len);
        line[len] = 0;
        if (!wcsstr(line, L"(set by your administrator)")) {
            print_error("not marked: %ls\n", line);
            fail();
        }
    }
    assert_int_equal(line_count(dlg, IDC_ABOUT_SETTINGS), 5);
    assert_shows(dlg, IDC_ABOUT_SETTINGS, L"History keeps: every sync");
    assert_shows(dlg, IDC_ABOUT_SETTINGS, L"Working offline: no balloons (set by your administrator)");
}

static void service_states_in_words(void **state)
{
    (void)state;
    const struct {
        csc_state state;
        const WCHAR *words;
    } cases[] = {
        {CSC_STATE_RUNNING, L"Running; ofnotify hears of every sync"},
        {CSC_STATE_DISABLED, L"Turned off"},
        {CSC_STATE_UNAVAILABLE, L"Not available on this PC"},
        {CSC_STATE_RECONNECTING, L"Waiting for the service"},
        {CSC_STATE_TOO_OLD, L"Running, but it cannot report background syncs (it offers only IOfflineFilesEvents)"},
    };
    for (size_t i = 0; i < ARRAYSIZE(cases); i++) {
        about_info info = {.service = cases[i].state};
        HWND dlg = aboutdlg_show(NULL, &info);
        assert_non_null(dlg);
        assert_text(dlg, IDC_ABOUT_SERVICE, cases[i].words);
    }
}

static void autostart_states_in_words(void **state)
{
    (void)state;
    const struct {
        autostart_status st;
        const WCHAR *words;
    } cases[] = {
        {autostart_with(AUTOSTART_ENTRY_ABSENT, FALSE, AUTOSTART_ENTRY_ABSENT), L"Off"},
        {autostart_with(AUTOSTART_ENTRY_THIS_EXE, FALSE, AUTOSTART_ENTRY_ABSENT), L"On"},
        {autostart_with(AUTOSTART_ENTRY_OTHER, FALSE, AUTOSTART_ENTRY_ABSENT),
         L"On, but it starts another copy: C:\\Old place\\ofnotify.exe"},
        {autostart_with(AUTOSTART_ENTRY_THIS_EXE, TRUE, AUTOSTART_ENTRY_ABSENT), L"Turned off in Task Manager"},
        {autostart_with(AUTOSTART_ENTRY_ABSENT, FALSE, AUTOSTART_ENTRY_OTHER), L"On for every user of this PC"},
    };
    for (size_t i = 0; i < ARRAYSIZE(cases); i++) {
        about_info info = {.autostart = &cases[i].st};
        HWND dlg = aboutdlg_show(NULL, &info);
        assert_non_null(dlg);
        assert_text(dlg, IDC_ABOUT_AUTOSTART, cases[i].words);
    }
}

/* Fifteen notes: every one on its own line, none lost. */
static void many_notes(void **state)
{
    (void)state;
    of_settings_raw raw;
    of_settings s;
    memset(&raw, 0, sizeof(raw));
    for (int l = 0; l < OF_LAYER_COUNT; l++)
        for (int id = 0; id < OF_SETTING_COUNT; id++)
            raw.v[l][id] = (of_raw_value){.type = OF_RAW_OTHER, .native_type = REG_QWORD};
    of_settings_resolve(&raw, &s);
    about_info info = {.settings = &s};
    HWND dlg = aboutdlg_show(NULL, &info);
    assert_non_null(dlg);
    assert_int_equal(line_count(dlg, IDC_ABOUT_NOTES), OF_SETTINGS_NOTES_MAX);
    assert_shows(dlg, IDC_ABOUT_NOTES,
                 L"Computer policy (HKLM\\Software\\Policies\\ofnotify): RetentionDays is REG_QWORD");
    assert_shows(dlg, IDC_ABOUT_NOTES, L"Your settings (HKCU\\Software\\ofnotify): NotificationMode is REG_QWORD");
}

/* ---- one at a time, and closing --------------------------------------------------- */

static void second_show_reuses_and_refreshes(void **state)
{
    (void)state;
    about_info one = {.data_dir = L"C:\\one", .service = CSC_STATE_RUNNING};
    about_info two = {.data_dir = L"C:\\two", .service = CSC_STATE_UNAVAILABLE};
    HWND a = aboutdlg_show(NULL, &one), b;
    assert_non_null(a);
    assert_text(a, IDC_ABOUT_DATA, L"C:\\one");
    b = aboutdlg_show(NULL, &two);
    assert_ptr_equal(a, b);
    assert_text(a, IDC_ABOUT_DATA, L"C:\\two");
    assert_text(a, IDC_ABOUT_SERVICE, L"Not available on this PC");
    /* Only one window of the dialog class with this caption. */
    assert_ptr_equal(FindWindowExW(NULL, NULL, MAKEINTATOM(32770), L"About ofnotify"), a);
    assert_null(FindWindowExW(NULL, a, MAKEINTATOM(32770), L"About ofnotify"));
}

static HWND open_plain(void)
{
    about_info info = {.service = CSC_STATE_RUNNING};
    HWND dlg = aboutdlg_show(NULL, &info);
    assert_non_null(dlg);
    pump_with(dialog_takes, NULL);
    return dlg;
}

/* A key press as the message loop gets it, to the control with the focus. */
static void press(HWND dlg, UINT vk)
{
    HWND focus = GetFocus();
    if (!focus || (focus != dlg && !IsChild(dlg, focus)))
        focus = GetDlgItem(dlg, IDOK);
    PostMessageW(focus, WM_KEYDOWN, vk, 1);
    PostMessageW(focus, WM_KEYUP, vk, 0xC0000001);
    pump_with(dialog_takes, NULL);
}

static void escape_closes(void **state)
{
    (void)state;
    HWND dlg = open_plain();
    press(dlg, VK_ESCAPE);
    assert_false(IsWindow(dlg));
}

static void enter_closes(void **state)
{
    (void)state;
    HWND dlg = open_plain();
    press(dlg, VK_RETURN);
    assert_false(IsWindow(dlg));
}

static void escape_in_a_text_box_closes(void **state)
{
    (void)state;
    HWND dlg = open_plain();
    SetFocus(GetDlgItem(dlg, IDC_ABOUT_NOTES));
    press(dlg, VK_ESCAPE);
    assert_false(IsWindow(dlg));
}

static void close_button_and_caption_close(void **state)
{
    (void)state;
    HWND dlg = open_plain();
    SendMessageW(GetDlgItem(dlg, IDOK), BM_CLICK, 0, 0);
    pump_with(dialog_takes, NULL);
    assert_false(IsWindow(dlg));
    dlg = open_plain();
    SendMessageW(dlg, WM_SYSCOMMAND, SC_CLOSE, 0);
    pump_with(dialog_takes, NULL);
    assert_false(IsWindow(dlg));
    /* And it opens again afterwards. */
    dlg = open_plain();
    assert_true(IsWindow(dlg));
    aboutdlg_close();
    assert_false(IsWindow(dlg));
    aboutdlg_close(); /* closed twice: nothing */
}

static void tab_moves_between_controls(void **state)
{
    (void)state;
    HWND dlg = open_plain();
    HWND first = GetFocus();
    assert_ptr_equal(first, GetDlgItem(dlg, IDOK));
    press(dlg, VK_TAB);
    assert_true(GetFocus() != first);
    assert_true(IsChild(dlg, GetFocus()));
}

static void null_info_opens_nothing(void **state)
{
    (void)state;
    assert_null(aboutdlg_show(NULL, NULL));
    MSG msg = {0};
    assert_false(aboutdlg_handle_message(&msg));
    assert_false(aboutdlg_handle_message(NULL));
}

/* ---- layout and accessibility ------------------------------------------------------- */

/* Standard controls only; each value right after its label in the tab and
 * reading order, which is how screen readers name a box. */
static void standard_controls_labelled_in_order(void **state)
{
    (void)state;
    HWND dlg = open_plain();
    WCHAR cls[64];
    for (size_t i = 0; i < ARRAYSIZE(controls); i++) {
        HWND c = GetDlgItem(dlg, controls[i]);
        assert_non_null(c);
        GetClassNameW(c, cls, ARRAYSIZE(cls));
        assert_true(!_wcsicmp(cls, L"Static") || !_wcsicmp(cls, L"Edit") || !_wcsicmp(cls, L"Button"));
    }
    for (size_t i = 0; i < ARRAYSIZE(label_value); i++) {
        HWND label = GetDlgItem(dlg, label_value[i][0]), value = GetDlgItem(dlg, label_value[i][1]);
        assert_ptr_equal(GetWindow(label, GW_HWNDNEXT), value);
        assert_true(GetWindowLongW(value, GWL_STYLE) & WS_TABSTOP);
        assert_true(GetWindowLongW(value, GWL_STYLE) & ES_READONLY);
    }
}

/* Every control inside the dialog, and every label's text fits its control
 * in the dialog's font, in English and in German. */
static void texts_fit_in_both_languages(void **state)
{
    (void)state;
    const LANGID langs[] = {lang_en, lang_de};
    for (size_t k = 0; k < ARRAYSIZE(langs); k++) {
        use_language(langs[k]);
        HWND dlg = open_plain();
        RECT client;
        HDC dc = GetDC(dlg);
        HFONT old = SelectObject(dc, (HFONT)SendMessageW(dlg, WM_GETFONT, 0, 0));
        GetClientRect(dlg, &client);
        for (size_t i = 0; i < ARRAYSIZE(controls); i++) {
            HWND c = GetDlgItem(dlg, controls[i]);
            RECT r;
            GetWindowRect(c, &r);
            MapWindowPoints(NULL, dlg, (POINT *)&r, 2);
            assert_true(r.left >= client.left && r.top >= client.top);
            assert_true(r.right <= client.right && r.bottom <= client.bottom);
        }
        for (size_t i = 0; i < ARRAYSIZE(label_value); i++) {
            HWND label = GetDlgItem(dlg, label_value[i][0]);
            WCHAR text[256];
            RECT r, need = {0, 0, 0, 0};
            GetWindowTextW(label, text, ARRAYSIZE(text));
            assert_true(text[0] != 0);
            GetClientRect(label, &r);
            DrawTextW(dc, text, -1, &need, DT_CALCRECT | DT_SINGLELINE);
            if (need.right > r.right) {
                print_error("label \"%ls\" needs %ld px, has %ld\n", text, need.right, r.right);
                fail();
            }
        }
        SelectObject(dc, old);
        ReleaseDC(dlg, dc);
        aboutdlg_close();
    }
}

static void german_texts(void **state)
{
    (void)state;
    of_settings s = sample_settings();
    about_info info = {.settings = &s, .service = CSC_STATE_RUNNING};
    WCHAR caption[128];
    use_language(lang_de);
    HWND dlg = aboutdlg_show(NULL, &info);
    assert_non_null(dlg);
    GetWindowTextW(dlg, caption, ARRAYSIZE(caption));
    assert_true(wcscmp(caption, L"\u00dcber ofnotify") == 0);
    assert_text(dlg, IDOK, L"Schlie\u00dfen");
    assert_shows(dlg, IDC_ABOUT_SETTINGS, L"Benachrichtigungen: nur Zwei-Wege-Synchronisierungen "
                                          L"(von Ihrem Administrator festgelegt)");
    assert_shows(dlg, IDC_ABOUT_NOTES, L"Benutzerrichtlinie");
    assert_shows(dlg, IDC_ABOUT_NOTES, L"QuietHoursStart ist 1500");
}

/* The Event Log line: on, off by policy, failing, dropping; none without a status. */
static void event_log_line(void **state)
{
    (void)state;
    of_settings_raw raw;
    of_settings s, off;
    eventlog_status ev = {.enabled = TRUE};
    about_info info = {.settings = &s, .eventlog = &ev};
    WCHAR line[512];
    HWND dlg;
    of_settings_default(&s);
    dlg = aboutdlg_show(NULL, &info);
    assert_non_null(dlg);
    line_of(dlg, IDC_ABOUT_SETTINGS, L"Windows Event Log:", line, ARRAYSIZE(line));
    assert_true(wcscmp(line, L"Windows Event Log: every sync is written") == 0);
    assert_int_equal(line_count(dlg, IDC_ABOUT_SETTINGS), 6);

    ev.error = ERROR_ACCESS_DENIED;
    aboutdlg_show(NULL, &info);
    line_of(dlg, IDC_ABOUT_SETTINGS, L"Windows Event Log:", line, ARRAYSIZE(line));
    assert_true(wcsncmp(line, L"Windows Event Log: cannot be written (", 38) == 0);
    assert_non_null(wcsstr(line, L"); ofnotify goes on without it"));
    assert_true(wcslen(line) > wcslen(L"Windows Event Log: cannot be written (); ofnotify goes on without it"));

    ev.error = 0;
    ev.dropped = 1234;
    aboutdlg_show(NULL, &info);
    line_of(dlg, IDC_ABOUT_SETTINGS, L"Windows Event Log:", line, ARRAYSIZE(line));
    assert_non_null(wcsstr(line, L" events could not be written"));

    memset(&raw, 0, sizeof(raw));
    raw.v[OF_LAYER_MACHINE_POLICY][OF_SETTING_EVENT_LOG] = dword(0);
    of_settings_resolve(&raw, &off);
    ev.enabled = FALSE;
    info.settings = &off;
    aboutdlg_show(NULL, &info);
    line_of(dlg, IDC_ABOUT_SETTINGS, L"Windows Event Log:", line, ARRAYSIZE(line));
    assert_true(wcscmp(line, L"Windows Event Log: off (set by your administrator)") == 0);

    info.eventlog = NULL;
    aboutdlg_show(NULL, &info);
    assert_lacks(dlg, IDC_ABOUT_SETTINGS, L"Event Log");
    assert_int_equal(line_count(dlg, IDC_ABOUT_SETTINGS), 5);
}

/* ---- the strings of 1300..1399 ---------------------------------------------------------- */

static void strings_in_english_and_german(void **state)
{
    (void)state;
    WCHAR en[1024], de[1024];
    int count = 0;
    for (UINT id = 1300; id <= 1399; id++) {
        int ne = rc_string_copy(NULL, id, lang_en, en, ARRAYSIZE(en));
        int nd = rc_string_copy(NULL, id, lang_de, de, ARRAYSIZE(de));
        assert_true(ne >= 0 && nd >= 0);
        if ((ne > 0) != (nd > 0)) {
            print_error("string %u: English %d chars, German %d\n", id, ne, nd);
            fail();
        }
        if (ne == 0)
            continue;
        count++;
        if (rc_inserts(en) != rc_inserts(de)) {
            print_error("string %u: inserts differ: \"%ls\" / \"%ls\"\n", id, en, de);
            fail();
        }
    }
    /* Every text the three modules load is there. */
    const UINT used[] = {IDS_SETTINGS_LAYER_MACHINE_POLICY, IDS_SETTINGS_NOTE_PARTNER_INVALID,
                         IDS_AUTOSTART_REPAIR_PROMPT, IDS_AUTOSTART_MACHINE_HINT, IDS_SETTINGS_LOCKED,
                         IDS_ABOUT_CAPTION, IDS_ABOUT_NOTES_NONE, IDS_ABOUT_KEEP_DAYS_ALL, IDS_ABOUT_LOCKED};
    for (size_t i = 0; i < ARRAYSIZE(used); i++)
        assert_true(rc_string_copy(NULL, used[i], lang_en, en, ARRAYSIZE(en)) > 0);
    assert_true(count >= 40);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(shows_the_facts_it_is_given),
        T(quiet_hours_in_the_users_time_format),
        T(defaults_and_no_notes),
        T(store_note_comes_first),
        T(every_locked_setting_is_marked),
        T(service_states_in_words),
        T(autostart_states_in_words),
        T(many_notes),
        T(second_show_reuses_and_refreshes),
        T(escape_closes),
        T(enter_closes),
        T(escape_in_a_text_box_closes),
        T(close_button_and_caption_close),
        T(tab_moves_between_controls),
        T(null_info_opens_nothing),
        T(standard_controls_labelled_in_order),
        T(texts_fit_in_both_languages),
        T(german_texts),
        T(event_log_line),
        T(strings_in_english_and_german),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
