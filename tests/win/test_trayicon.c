/* The tray icon's size for a DPI (src/app/trayicon.c) under Wine: the
 * small-icon size Windows uses at each scaling step, the DPI of a window,
 * and icons loaded at exactly that size, so the tray stays sharp when the
 * scaling changes. (Wine 8 cannot change a monitor's DPI while a program
 * runs, so the reload itself is not exercised here; the sizes it loads are.) */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <windows.h>

#include "../../src/app/trayicon.h"

typedef UINT(WINAPI *dpi_for_window_fn)(HWND);
typedef int(WINAPI *metrics_for_dpi_fn)(int, UINT);

/* Width and height of an icon's image, in pixels. */
static void icon_size(HICON icon, int *cx, int *cy)
{
    ICONINFO info;
    BITMAP bm;
    assert_true(GetIconInfo(icon, &info));
    assert_int_not_equal(GetObjectW(info.hbmColor ? info.hbmColor : info.hbmMask, sizeof(bm), &bm), 0);
    *cx = bm.bmWidth;
    /* A monochrome icon's mask holds the AND and XOR halves one above the other. */
    *cy = info.hbmColor ? bm.bmHeight : bm.bmHeight / 2;
    if (info.hbmColor)
        DeleteObject(info.hbmColor);
    DeleteObject(info.hbmMask);
}

/* 100 %, 125 %, 150 %, 200 %: the sizes Windows' small icons have. */
static void test_small_icon_size_follows_the_dpi(void **state)
{
    (void)state;
    assert_int_equal(trayicon_size_for_dpi(96), 16);
    assert_int_equal(trayicon_size_for_dpi(120), 20);
    assert_int_equal(trayicon_size_for_dpi(144), 24);
    assert_int_equal(trayicon_size_for_dpi(192), 32);
}

/* Where Windows has GetSystemMetricsForDpi, the size is exactly its answer. */
static void test_size_is_the_systems_where_it_can_say(void **state)
{
    metrics_for_dpi_fn metrics_for_dpi =
        (metrics_for_dpi_fn)(void (*)(void))GetProcAddress(GetModuleHandleW(L"user32.dll"), "GetSystemMetricsForDpi");
    (void)state;
    if (!metrics_for_dpi)
        skip();
    for (UINT dpi = 96; dpi <= 288; dpi += 24)
        assert_int_equal(trayicon_size_for_dpi(dpi), metrics_for_dpi(SM_CXSMICON, dpi));
}

static void test_dpi_of_a_window(void **state)
{
    dpi_for_window_fn dpi_for_window =
        (dpi_for_window_fn)(void (*)(void))GetProcAddress(GetModuleHandleW(L"user32.dll"), "GetDpiForWindow");
    HWND wnd = CreateWindowExW(0, L"STATIC", L"", WS_POPUP, 0, 0, 10, 10, NULL, NULL, GetModuleHandleW(NULL), NULL);
    HDC screen = GetDC(NULL);
    UINT system = (UINT)GetDeviceCaps(screen, LOGPIXELSX);
    (void)state;
    ReleaseDC(NULL, screen);
    assert_non_null(wnd);
    if (dpi_for_window)
        assert_int_equal(trayicon_dpi(wnd), dpi_for_window(wnd));
    else
        assert_int_equal(trayicon_dpi(wnd), system);
    /* No window: the system DPI. */
    assert_int_equal(trayicon_dpi(NULL), system);
    assert_true(trayicon_dpi(wnd) >= 96);
    DestroyWindow(wnd);
}

/* The icon comes at the size for the DPI asked for, not the one of the
 * process's start: 16, 24 and 32 pixels at 100, 150 and 200 %. */
static void test_icon_is_loaded_at_that_size(void **state)
{
    static const UINT dpis[] = {96, 144, 192, 120};
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(dpis); i++) {
        HICON icon = trayicon_load(NULL, (LPCWSTR)IDI_APPLICATION, dpis[i]);
        int cx = 0, cy = 0;
        assert_non_null(icon);
        icon_size(icon, &cx, &cy);
        assert_int_equal(cx, trayicon_size_for_dpi(dpis[i]));
        assert_int_equal(cy, trayicon_size_for_dpi(dpis[i]));
        assert_true(DestroyIcon(icon));
    }
    /* A resource that is not there. */
    assert_null(trayicon_load(GetModuleHandleW(NULL), MAKEINTRESOURCEW(0x7FF0), 96));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_small_icon_size_follows_the_dpi),
        cmocka_unit_test(test_size_is_the_systems_where_it_can_say),
        cmocka_unit_test(test_dpi_of_a_window),
        cmocka_unit_test(test_icon_is_loaded_at_that_size),
    };
    return cmocka_run_group_tests_name("trayicon", tests, NULL, NULL);
}
