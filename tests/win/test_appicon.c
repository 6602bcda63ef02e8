/* The app icon as the program ships it (res/app.rc, drawn by tools/icongen): its 256-px frame is a PNG,
 * as Windows allows since Vista, and it still loads as a 256 x 256 icon with its picture in it; the
 * small frames stay DIBs and load as before. */
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

static void test_256_frame_is_a_png_of_a_few_kb(void **state)
{
    static const BYTE sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    DWORD len = 0;
    const BYTE *p = app_icon_frame(256, &len);
    (void)state;
    assert_non_null(p);
    assert_true(len > sizeof sig);
    assert_memory_equal(p, sig, sizeof sig);
    /* The same picture as a 32-bit DIB with its mask is 270,376 bytes. */
    assert_true(len < 64 * 1024);
}

static void test_small_frames_stay_dibs(void **state)
{
    (void)state;
    for (int s = 16; s <= 48; s += 16) {
        DWORD len = 0;
        const BITMAPINFOHEADER *bih = (const BITMAPINFOHEADER *)app_icon_frame(s, &len);
        assert_non_null(bih);
        assert_int_equal(bih->biSize, sizeof *bih);
        assert_int_equal(bih->biWidth, s);
        assert_int_equal(bih->biBitCount, 32);
    }
}

/* Each size loads with the picture in it: a frame Windows could not decode would fail to load or come
 * back empty. */
static void test_every_size_loads_with_its_picture(void **state)
{
    static const int sizes[] = {16, 32, 48, 256};
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
        cmocka_unit_test(test_256_frame_is_a_png_of_a_few_kb),
        cmocka_unit_test(test_small_frames_stay_dibs),
        cmocka_unit_test(test_every_size_loads_with_its_picture),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
