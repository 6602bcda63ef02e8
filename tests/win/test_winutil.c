/* Tests for src/app/winutil under Wine (or Windows): STRINGTABLE texts and
 * messages from this program's own resources (it links the app's), UTF-8 ↔
 * UTF-16 with their bounds, the system's error texts, counts grouped as each
 * locale writes them, Indian grouping included, and a window's own state. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include <wchar.h>

#include <windows.h>

#include "resource.h"
#include "winutil.h"

static void assert_wide(const WCHAR *got, const WCHAR *want)
{
    if (wcscmp(got, want) != 0) {
        print_error("got \"%ls\", want \"%ls\"\n", got, want);
        fail();
    }
}

static void test_load_string(void **state)
{
    WCHAR buf[128], small[5];
    (void)state;
    assert_int_equal(winutil_load_string(IDS_HIST_TITLE, buf, ARRAYSIZE(buf)), wcslen(L"ofnotify \u2014 Sync history"));
    assert_wide(buf, L"ofnotify \u2014 Sync history");
    /* Cut to the buffer, NUL-terminated. */
    assert_int_equal(winutil_load_string(IDS_HIST_TITLE, small, ARRAYSIZE(small)), 4);
    assert_wide(small, L"ofno");
    /* No such string: empty, whatever the buffer held. */
    wcscpy(buf, L"stale");
    assert_int_equal(winutil_load_string(65000, buf, ARRAYSIZE(buf)), 0);
    assert_wide(buf, L"");
    assert_int_equal(winutil_load_string(IDS_HIST_TITLE, NULL, 0), 0);
}

static void test_utf8_and_back(void **state)
{
    static const char utf8[] = "Z\xC3\xBCrich \xE2\x82\xAC \xF0\x9F\x93\x81"; /* Zürich € and a folder emoji */
    static const WCHAR wide[] = L"Z\u00FCrich \u20AC \xD83D\xDCC1";
    WCHAR w[32], tiny[4];
    char u[32], short_u[10];
    (void)state;
    assert_int_equal(winutil_utf8_to_wide(utf8, w, ARRAYSIZE(w)), wcslen(wide));
    assert_wide(w, wide);
    assert_int_equal(winutil_wide_to_utf8(wide, u, sizeof(u)), strlen(utf8));
    assert_string_equal(u, utf8);
    /* Too small: empty, not a cut character. */
    wcscpy(tiny, L"abc");
    assert_int_equal(winutil_utf8_to_wide(utf8, tiny, ARRAYSIZE(tiny)), 0);
    assert_wide(tiny, L"");
    assert_int_equal(winutil_wide_to_utf8(wide, short_u, sizeof(short_u)), 0);
    assert_string_equal(short_u, "");
    assert_int_equal(winutil_utf8_to_wide("", w, ARRAYSIZE(w)), 0);
    assert_wide(w, L"");
    /* A broken sequence is replaced, not dropped. */
    assert_int_equal(winutil_utf8_to_wide("a\xFF" "b", w, ARRAYSIZE(w)), 3);
    assert_wide(w, L"a\uFFFDb");
}

static void test_error_text(void **state)
{
    WCHAR buf[256], want[256], small[8];
    DWORD n;
    (void)state;
    /* The system's own text without its line break and full stop. */
    n = FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL, ERROR_ACCESS_DENIED, 0, want,
                       ARRAYSIZE(want), NULL);
    assert_true(n > 2);
    winutil_error_text(ERROR_ACCESS_DENIED, buf, ARRAYSIZE(buf));
    assert_true(wcslen(buf) > 0 && wcslen(buf) < n);
    assert_int_equal(wcsncmp(buf, want, wcslen(buf)), 0);
    assert_true(buf[wcslen(buf) - 1] != L'.' && buf[wcslen(buf) - 1] != L'\n');
    /* An HRESULT too. */
    winutil_error_text((DWORD)E_OUTOFMEMORY, buf, ARRAYSIZE(buf));
    assert_true(wcslen(buf) > 0);
    assert_null(wcsstr(buf, L"error 0x"));
    /* A code the system has no text for. */
    winutil_error_text(0x2FEDCBA9, buf, ARRAYSIZE(buf));
    assert_wide(buf, L"error 0x2FEDCBA9");
    winutil_error_text(0x2FEDCBA9, small, ARRAYSIZE(small));
    assert_int_equal(wcslen(small), ARRAYSIZE(small) - 1);
}

static void test_grouping(void **state)
{
    (void)state;
    assert_int_equal(winutil_grouping(L"3;0"), 3);
    assert_int_equal(winutil_grouping(L"3;2;0"), 32);
    assert_int_equal(winutil_grouping(L"3"), 30);
    assert_int_equal(winutil_grouping(L"0;0"), 0);
}

static void test_format_count(void **state)
{
    WCHAR buf[32];
    (void)state;
    winutil_format_count_in(L"en-US", 1000000, buf, ARRAYSIZE(buf));
    assert_wide(buf, L"1,000,000");
    winutil_format_count_in(L"de-DE", 1000000, buf, ARRAYSIZE(buf));
    assert_wide(buf, L"1.000.000");
    winutil_format_count_in(L"en-US", 0, buf, ARRAYSIZE(buf));
    assert_wide(buf, L"0");
    winutil_format_count_in(L"en-US", 999, buf, ARRAYSIZE(buf));
    assert_wide(buf, L"999");
    winutil_format_count_in(L"en-US", UINT64_MAX, buf, ARRAYSIZE(buf));
    assert_wide(buf, L"18,446,744,073,709,551,615");
    /* Three, then twos. */
    winutil_format_count_in(L"hi-IN", 123456789, buf, ARRAYSIZE(buf));
    assert_wide(buf, L"12,34,56,789");
    /* The user's locale gives some text of the digits, grouped or not. */
    winutil_format_count(1234, buf, ARRAYSIZE(buf));
    assert_true(wcslen(buf) >= 4);
    assert_true(buf[0] == L'1' && buf[wcslen(buf) - 1] == L'4');
}

static void test_load_message(void **state)
{
    WCHAR buf[64], small[6];
    (void)state;
    winutil_load_message(IDS_HIST_COUNT_SOME, buf, ARRAYSIZE(buf), L"3", L"1,000");
    assert_wide(buf, L"3 of 1,000 syncs");
    winutil_load_message(IDS_HIST_COUNT_ALL, buf, ARRAYSIZE(buf), L"%2");
    assert_wide(buf, L"%2 syncs"); /* an insert is not expanded again */
    /* Missing, or too long for buf: empty, never cut. */
    winutil_load_message(65000, buf, ARRAYSIZE(buf));
    assert_wide(buf, L"");
    winutil_load_message(IDS_HIST_COUNT_ALL, small, ARRAYSIZE(small), L"12345");
    assert_wide(small, L"");
    winutil_load_message(IDS_HIST_COUNT_ALL, NULL, 0, L"1");
}

/* What the window procedure below saw, message by message. */
static void *state_at_nccreate, *state_at_create;

static LRESULT CALLBACK state_proc(HWND wnd, UINT msg, WPARAM wp, LPARAM lp)
{
    void *state = winutil_window_state(wnd, msg, lp);
    if (msg == WM_NCCREATE)
        state_at_nccreate = state;
    else if (msg == WM_CREATE)
        state_at_create = state;
    return DefWindowProcW(wnd, msg, wp, lp);
}

static void test_window_state(void **state)
{
    const WNDCLASSEXW wc = {.cbSize = sizeof(wc), .lpfnWndProc = state_proc, .hInstance = GetModuleHandleW(NULL),
                            .lpszClassName = L"ofnotify.TestWindowState"};
    int mine;
    HWND wnd;
    (void)state;
    assert_true(RegisterClassExW(&wc));
    wnd = CreateWindowExW(0, wc.lpszClassName, L"", WS_OVERLAPPEDWINDOW, 0, 0, 100, 100, NULL, NULL,
                          GetModuleHandleW(NULL), &mine);
    assert_non_null(wnd);
    assert_ptr_equal(state_at_nccreate, &mine);
    assert_ptr_equal(state_at_create, &mine);
    assert_ptr_equal(winutil_window_state(wnd, WM_NULL, 0), &mine);
    DestroyWindow(wnd);

    /* Created without one: none, at every message. */
    wnd = CreateWindowExW(0, wc.lpszClassName, L"", WS_OVERLAPPEDWINDOW, 0, 0, 100, 100, NULL, NULL,
                          GetModuleHandleW(NULL), NULL);
    assert_non_null(wnd);
    assert_null(state_at_nccreate);
    assert_null(state_at_create);
    assert_null(winutil_window_state(wnd, WM_NULL, 0));
    DestroyWindow(wnd);
    UnregisterClassW(wc.lpszClassName, GetModuleHandleW(NULL));
}

int main(void)
{
    /* The English texts, whatever the prefix's language. */
    SetThreadUILanguage(MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_string),
        cmocka_unit_test(test_utf8_and_back),
        cmocka_unit_test(test_error_text),
        cmocka_unit_test(test_grouping),
        cmocka_unit_test(test_format_count),
        cmocka_unit_test(test_load_message),
        cmocka_unit_test(test_window_state),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
