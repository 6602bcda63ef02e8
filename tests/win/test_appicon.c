/* The app icon as the program ships it (res/app.rc, drawn by tools/icongen): every frame is a PNG, as
 * Windows allows since Vista, a fraction of the same image as a DIB, and each size still loads as an
 * icon of that size with its picture in it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include <windows.h>

#include "resource.h"

/* The raw RT_ICON image the icon group IDI_APP holds for size s. */
static const BYTE *app_icon_frame(int s, DWORD *len)
{
    HMODULE inst = GetModuleHandleW(NULL);
    HRSRC group = FindResourceW(inst, MAKEINTRESOURCEW(IDI_APP), (LPCWSTR)RT_GROUP_ICON);
    assert_non_null(group);
    BYTE *dir = LockResource(LoadResource(inst, group));
    assert_non_null(dir);
    int id = LookupIconIdFromDirectoryEx(dir, TRUE, s, s, LR_DEFAULTCOLOR);
    assert_int_not_equal(id, 0);
    HRSRC frame = FindResourceW(inst, MAKEINTRESOURCEW(id), (LPCWSTR)RT_ICON);
    assert_non_null(frame);
    *len = SizeofResource(inst, frame);
    return LockResource(LoadResource(inst, frame));
}

/* Pixels of an icon's colour bitmap whose alpha is not zero, out of *total. */
static int visible_pixels(HICON icon, int *cx, int *cy, int *total)
{
    ICONINFO info;
    BITMAP bm;
    assert_true(GetIconInfo(icon, &info));
    assert_non_null(info.hbmColor);
    assert_int_not_equal(GetObjectW(info.hbmColor, sizeof bm, &bm), 0);
    *cx = bm.bmWidth, *cy = bm.bmHeight, *total = bm.bmWidth * bm.bmHeight;
    BITMAPINFO bi = {.bmiHeader = {.biSize = sizeof bi.bmiHeader, .biWidth = bm.bmWidth, .biHeight = -bm.bmHeight,
                                   .biPlanes = 1, .biBitCount = 32, .biCompression = BI_RGB}};
    DWORD *px = HeapAlloc(GetProcessHeap(), 0, (SIZE_T)*total * 4);
    assert_non_null(px);
    HDC dc = GetDC(NULL);
    assert_int_equal(GetDIBits(dc, info.hbmColor, 0, (UINT)bm.bmHeight, px, &bi, DIB_RGB_COLORS), bm.bmHeight);
    ReleaseDC(NULL, dc);
    int visible = 0;
    for (int i = 0; i < *total; i++)
        visible += (px[i] >> 24) != 0;
    HeapFree(GetProcessHeap(), 0, px);
    DeleteObject(info.hbmColor);
    DeleteObject(info.hbmMask);
    return visible;
}

static void test_every_frame_is_a_png_smaller_than_its_dib(void **state)
{
    static const BYTE sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    static const int sizes[] = {16, 20, 24, 32, 48, 256};
    (void)state;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        int s = sizes[i];
        DWORD len = 0, dib = 40 + (DWORD)(s * s * 4) + (DWORD)((s + 31) / 32 * 4 * s);
        const BYTE *p = app_icon_frame(s, &len);
        assert_non_null(p);
        assert_true(len > sizeof sig);
        assert_memory_equal(p, sig, sizeof sig);
        assert_true(len < dib);
        /* At 256 px the DIB with its mask is 270,376 bytes; the PNG is a few KB. */
        if (s == 256)
            assert_true(len < dib / 16);
    }
}

/* Each size loads with the picture in it: a frame Windows could not decode would fail to load or come
 * back empty. */
static void test_every_size_loads_with_its_picture(void **state)
{
    static const int sizes[] = {16, 20, 24, 32, 48, 256};
    (void)state;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        int s = sizes[i], cx = 0, cy = 0, total = 0;
        HICON icon = LoadImageW(GetModuleHandleW(NULL), MAKEINTRESOURCEW(IDI_APP), IMAGE_ICON, s, s, 0);
        assert_non_null(icon);
        int visible = visible_pixels(icon, &cx, &cy, &total);
        assert_int_equal(cx, s);
        assert_int_equal(cy, s);
        /* The app icon is a filled shape: well over a third of its square, and not all of it. */
        assert_true(visible > total / 3);
        assert_true(visible < total);
        DestroyIcon(icon);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_frame_is_a_png_smaller_than_its_dib),
        cmocka_unit_test(test_every_size_loads_with_its_picture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
