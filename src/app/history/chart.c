/* ofnotify: the 30-day chart strip. See chart.h. */
#include "chart.h"

#include <limits.h>
#include <string.h>

#include <commctrl.h>
#include <wchar.h>

#include "../wallclock.h"
#include "../winutil.h"
#include "histcols.h"
#include "resource.h"

#define CHART_CLASS L"ofnotify.HistoryChart"
#define TIMER_MIDNIGHT 1
#define MS_PER_MIN INT64_C(60000)
#define MS_PER_DAY INT64_C(86400000)
/* The day may also change by a clock or zone change nobody announced:
 * look at least this often. */
#define MIDNIGHT_CHECK_MAX_MS (15 * 60 * 1000)

/* Sizes at 96 DPI. */
#define CHART_HEIGHT_96 120
#define PAD_96 4
#define SWATCH_96 10
#define OFFLINE_BAND_96 4
/* The offline band: a colour apart from the four series. */
#define OFFLINE_RGB RGB(0xC0, 0x30, 0x30)

/* Readable on a light and a dark window background alike. */
static const COLORREF series_rgb[CHART_SERIES_COUNT] = {
    [CHART_TWO_WAY] = RGB(0x1F, 0x6F, 0xC0),
    [CHART_TO_SERVER] = RGB(0xE0, 0x78, 0x1C),
    [CHART_FROM_SERVER] = RGB(0x2E, 0x9A, 0x44),
    [CHART_OTHER] = RGB(0x8A, 0x8A, 0x8A),
};
/* High contrast: the theme's own colours, told apart by pattern. */
static const int series_hatch[CHART_SERIES_COUNT] = {-1, HS_BDIAGONAL, HS_CROSS, HS_HORIZONTAL};
static const UINT series_count_text[CHART_SERIES_COUNT] = {
    IDS_CHART_N_TWO_WAY, IDS_CHART_N_TO_SERVER, IDS_CHART_N_FROM_SERVER, IDS_CHART_N_OTHER};

typedef struct chart {
    HWND wnd, tip;
    tzcache *tz;
    const of_history *hist;
    size_t counted; /* records of hist already counted */
    chartdays days;
    HFONT font;     /* the parent's, set by WM_SETFONT; not owned */
    WCHAR tip_text[512]; /* the tooltip's text, which must outlive TTN_GETDISPINFO */
    chart_period offline[CHART_MAX_PERIODS]; /* working offline, drawn as a band under the bars */
    size_t offline_count;
} chart;

static chart *chart_of(HWND wnd)
{
    WCHAR name[64];
    if (!wnd || !GetClassNameW(wnd, name, ARRAYSIZE(name)) || wcscmp(name, CHART_CLASS) != 0)
        return NULL;
    return (chart *)GetWindowLongPtrW(wnd, GWLP_USERDATA);
}

static int scale(const chart *c, int px96)
{
    UINT dpi = GetDpiForWindow(c->wnd);
    return MulDiv(px96, dpi ? (int)dpi : 96, 96);
}

int chart_height(UINT dpi)
{
    return MulDiv(CHART_HEIGHT_96, dpi ? (int)dpi : 96, 96);
}

static BOOL high_contrast(void)
{
    HIGHCONTRASTW hc = {.cbSize = sizeof(hc)};
    return SystemParametersInfoW(SPI_GETHIGHCONTRAST, sizeof(hc), &hc, 0) && (hc.dwFlags & HCF_HIGHCONTRASTON);
}

/* ---- counting ---- */

static int64_t today(chart *c)
{
    int64_t now = wallclock_now_ms();
    int32_t offset = 0;
    tzcache_offset(c->tz, now, &offset);
    return chartdays_local_day(now, offset);
}

static void count_from(chart *c, size_t from)
{
    size_t n = c->hist ? of_history_count(c->hist) : 0;
    /* Records far older than the window need no time-zone work; a day more
     * than the largest offset (14 h) is a safe margin. */
    int64_t oldest_utc = (c->days.today - CHARTDAYS_DAYS) * MS_PER_DAY - 2 * MS_PER_DAY;
    for (size_t i = from; i < n; i++) {
        const of_record *r = of_history_get(c->hist, i);
        int32_t offset;
        if (!r || r->completed_ms < oldest_utc || !tzcache_offset(c->tz, r->completed_ms, &offset))
            continue;
        chartdays_add(&c->days, chartdays_local_day(r->completed_ms, offset), r);
    }
    c->counted = n;
}

static void update_name(chart *c)
{
    WCHAR name[256];
    uint32_t all = 0;
    for (int slot = 0; slot < CHARTDAYS_DAYS; slot++)
        all += chartdays_total(&c->days, slot);
    winutil_load_message(IDS_CHART_NAME, name, ARRAYSIZE(name), all);
    SetWindowTextW(c->wnd, name);
}

static void arm_midnight(chart *c)
{
    int64_t now = wallclock_now_ms(), next = tzcache_local_midnight_utc(c->tz, c->days.today + 1);
    int64_t wait = next - now;
    if (wait < 1000)
        wait = 1000;
    if (wait > MIDNIGHT_CHECK_MAX_MS)
        wait = MIDNIGHT_CHECK_MAX_MS;
    SetTimer(c->wnd, TIMER_MIDNIGHT, (UINT)wait, NULL);
}

static void recount(chart *c)
{
    chartdays_reset(&c->days, today(c));
    count_from(c, 0);
    update_name(c);
    arm_midnight(c);
    InvalidateRect(c->wnd, NULL, FALSE);
}

void chart_set_history(HWND wnd, const of_history *h)
{
    chart *c = chart_of(wnd);
    if (!c)
        return;
    c->hist = h;
    recount(c);
}

void chart_records_changed(HWND wnd)
{
    chart *c = chart_of(wnd);
    size_t n;
    if (!c)
        return;
    n = c->hist ? of_history_count(c->hist) : 0;
    if (n < c->counted || today(c) != c->days.today) {
        recount(c);
    } else if (n > c->counted) {
        count_from(c, c->counted);
        update_name(c);
        InvalidateRect(c->wnd, NULL, FALSE);
    }
}

const chartdays *chart_days(HWND wnd)
{
    chart *c = chart_of(wnd);
    return c ? &c->days : NULL;
}

/* ---- texts ---- */

/* The local date of a slot through a GetDateFormat picture from the STRINGTABLE. */
static void slot_date(const chart *c, int slot, UINT picture_id, WCHAR *buf, size_t cap)
{
    WCHAR picture[64];
    SYSTEMTIME st;
    ULARGE_INTEGER ticks;
    FILETIME ft;
    int64_t day = c->days.today - (CHARTDAYS_DAYS - 1 - slot);
    buf[0] = 0;
    /* Midday of the local day, as a plain calendar date (no zone involved). */
    ticks.QuadPart = (ULONGLONG)(day * MS_PER_DAY + MS_PER_DAY / 2 + INT64_C(11644473600000)) * 10000u;
    ft.dwLowDateTime = ticks.LowPart;
    ft.dwHighDateTime = ticks.HighPart;
    if (!FileTimeToSystemTime(&ft, &st))
        return;
    if (!winutil_load_string(picture_id, picture, ARRAYSIZE(picture)))
        return;
    if (GetDateFormatEx(LOCALE_NAME_USER_DEFAULT, 0, &st, picture, buf, (int)cap, NULL) <= 0)
        buf[0] = 0;
}

void chart_day_text(HWND wnd, int slot, WCHAR *buf, size_t cap)
{
    chart *c = chart_of(wnd);
    WCHAR date[64], parts[256] = L"", part[64], sep[8];
    if (!cap)
        return;
    buf[0] = 0;
    if (!c || slot < 0 || slot >= CHARTDAYS_DAYS)
        return;
    slot_date(c, slot, IDS_CHART_TIP_DATE, date, ARRAYSIZE(date));
    if (!winutil_load_string(IDS_CHART_SEPARATOR, sep, ARRAYSIZE(sep)))
        lstrcpyW(sep, L", ");
    for (int s = 0; s < CHART_SERIES_COUNT; s++) {
        if (!c->days.count[slot][s])
            continue;
        winutil_load_message(series_count_text[s], part, ARRAYSIZE(part), c->days.count[slot][s]);
        if (wcslen(parts) + wcslen(sep) + wcslen(part) + 1 > ARRAYSIZE(parts))
            break;
        if (parts[0])
            wcscat(parts, sep);
        wcscat(parts, part);
    }
    if (parts[0])
        winutil_load_message(IDS_CHART_TIP, buf, cap, date, parts);
    else
        winutil_load_message(IDS_CHART_TIP_NONE, buf, cap, date);
}

/* ---- layout and drawing ---- */

typedef struct layout {
    RECT legend, bars, labels;
    RECT offline; /* the band under the bars; empty when there is no offline period */
    int slot_w; /* fixed point: width of one slot times 16 */
} layout;

static void get_layout(chart *c, HDC dc, layout *l)
{
    RECT rc;
    TEXTMETRICW tm;
    int pad = scale(c, PAD_96), line;
    GetClientRect(c->wnd, &rc);
    GetTextMetricsW(dc, &tm);
    line = tm.tmHeight + pad;
    l->legend = (RECT){rc.left + pad, rc.top + pad / 2, rc.right - pad, rc.top + pad / 2 + line};
    l->labels = (RECT){rc.left + pad, rc.bottom - line, rc.right - pad, rc.bottom};
    l->bars = (RECT){rc.left + pad, l->legend.bottom + pad, rc.right - pad, l->labels.top};
    l->offline = (RECT){l->bars.left, l->bars.bottom, l->bars.right, l->bars.bottom};
    if (c->offline_count) {
        l->offline.top = l->bars.bottom - scale(c, OFFLINE_BAND_96);
        l->bars.bottom = l->offline.top - 1;
    }
    if (l->bars.bottom < l->bars.top)
        l->bars.bottom = l->bars.top;
    l->slot_w = (int)((l->bars.right - l->bars.left) * 16 / CHARTDAYS_DAYS);
}

static RECT slot_column(const layout *l, int slot)
{
    return (RECT){l->bars.left + slot * l->slot_w / 16, l->bars.top, l->bars.left + (slot + 1) * l->slot_w / 16,
                  l->bars.bottom};
}

BOOL chart_slot_rect(HWND wnd, int slot, RECT *rc)
{
    chart *c = chart_of(wnd);
    layout l;
    HDC dc;
    HGDIOBJ old;
    if (!c || slot < 0 || slot >= CHARTDAYS_DAYS)
        return FALSE;
    dc = GetDC(wnd);
    old = SelectObject(dc, c->font ? (HGDIOBJ)c->font : GetStockObject(DEFAULT_GUI_FONT));
    get_layout(c, dc, &l);
    SelectObject(dc, old);
    ReleaseDC(wnd, dc);
    *rc = slot_column(&l, slot);
    return TRUE;
}

static HBRUSH series_brush(int s, BOOL hc)
{
    if (!hc)
        return CreateSolidBrush(series_rgb[s]);
    if (series_hatch[s] < 0)
        return CreateSolidBrush(GetSysColor(COLOR_HIGHLIGHT));
    return CreateHatchBrush(series_hatch[s], GetSysColor(COLOR_WINDOWTEXT));
}

/* A swatch or bar segment: filled, and framed in high contrast so that a
 * hatched segment has an edge. */
static void fill_segment(HDC dc, const RECT *r, HBRUSH brush, BOOL hc)
{
    FillRect(dc, r, brush);
    if (hc)
        FrameRect(dc, r, GetSysColorBrush(COLOR_WINDOWTEXT));
}

static void draw_legend(chart *c, HDC dc, const layout *l, HBRUSH *brushes, BOOL hc)
{
    WCHAR text[128];
    SIZE size;
    int swatch = scale(c, SWATCH_96), gap = scale(c, 6), x = l->legend.right;
    int mid = (l->legend.top + l->legend.bottom) / 2;
    /* Right to left, so the legend hugs the right edge. */
    for (int s = CHART_SERIES_COUNT - 1; s >= 0; s--) {
        RECT sw;
        if (s == CHART_OTHER)
            winutil_load_string(IDS_CHART_OTHER, text, ARRAYSIZE(text));
        else
            histcols_direction_label(s == CHART_TWO_WAY     ? OF_DIR_TWO_WAY
                                     : s == CHART_TO_SERVER ? OF_DIR_TO_SERVER
                                                            : OF_DIR_FROM_SERVER,
                                     text, ARRAYSIZE(text));
        GetTextExtentPoint32W(dc, text, (int)wcslen(text), &size);
        x -= size.cx;
        TextOutW(dc, x, mid - size.cy / 2, text, (int)wcslen(text));
        x -= swatch + gap / 2;
        sw = (RECT){x, mid - swatch / 2, x + swatch, mid - swatch / 2 + swatch};
        fill_segment(dc, &sw, brushes[s], hc);
        x -= gap * 2;
    }
    if (winutil_load_string(IDS_CHART_CAPTION, text, ARRAYSIZE(text))) {
        RECT cap = l->legend;
        cap.right = x;
        DrawTextW(dc, text, -1, &cap, DT_LEFT | DT_VCENTER | DT_SINGLELINE | DT_END_ELLIPSIS | DT_NOPREFIX);
    }
}

static void draw_bars(chart *c, HDC dc, const layout *l, HBRUSH *brushes, BOOL hc)
{
    uint32_t max = chartdays_max_total(&c->days);
    int height = l->bars.bottom - l->bars.top;
    HPEN axis = CreatePen(PS_SOLID, 1, GetSysColor(hc ? COLOR_WINDOWTEXT : COLOR_GRAYTEXT));
    HGDIOBJ old = SelectObject(dc, axis);
    MoveToEx(dc, l->bars.left, l->bars.bottom - 1, NULL);
    LineTo(dc, l->bars.right, l->bars.bottom - 1);
    SelectObject(dc, old);
    DeleteObject(axis);
    if (!max || height <= 1)
        return;
    for (int slot = 0; slot < CHARTDAYS_DAYS; slot++) {
        RECT col = slot_column(l, slot);
        int w = col.right - col.left, inset = w / 6, y = l->bars.bottom - 1;
        uint32_t below = 0;
        for (int s = 0; s < CHART_SERIES_COUNT; s++) {
            uint32_t n = c->days.count[slot][s];
            RECT seg;
            int top;
            if (!n)
                continue;
            below += n;
            /* Heights from the running total, so rounding never drifts. */
            top = l->bars.bottom - 1 - (int)((int64_t)(height - 1) * below / max);
            if (top >= y)
                top = y - 1; /* every non-empty segment shows at least a pixel */
            seg = (RECT){col.left + inset, top, col.right - inset, y};
            fill_segment(dc, &seg, brushes[s], hc);
            y = top;
        }
    }
}

/* The x of a wall-clock instant on the 30 days the bars show (local time),
 * clamped to the bars. */
static int time_x(chart *c, const layout *l, int64_t utc_ms)
{
    int32_t offset = 0;
    int64_t first = (c->days.today - (CHARTDAYS_DAYS - 1)) * MS_PER_DAY, span = CHARTDAYS_DAYS * MS_PER_DAY, at;
    int width = l->bars.right - l->bars.left;
    tzcache_offset(c->tz, utc_ms, &offset);
    at = utc_ms + offset * MS_PER_MIN - first;
    if (at <= 0)
        return l->bars.left;
    if (at >= span)
        return l->bars.right;
    return l->bars.left + (int)(at * width / span);
}

/* Every offline period as a band segment, at least a pixel wide. */
static void draw_offline(chart *c, HDC dc, const layout *l, BOOL hc)
{
    HBRUSH brush;
    int64_t now = wallclock_now_ms();
    if (!c->offline_count)
        return;
    brush = hc ? CreateHatchBrush(HS_DIAGCROSS, GetSysColor(COLOR_WINDOWTEXT)) : CreateSolidBrush(OFFLINE_RGB);
    if (!brush)
        return;
    for (size_t i = 0; i < c->offline_count; i++) {
        const chart_period *p = &c->offline[i];
        int64_t to = p->to_ms == CHART_PERIOD_ONGOING ? now : p->to_ms;
        RECT seg = l->offline;
        seg.left = time_x(c, l, p->from_ms);
        seg.right = time_x(c, l, to);
        if (seg.right <= seg.left)
            seg.right = seg.left + 1;
        if (seg.left < l->offline.right)
            FillRect(dc, &seg, brush);
    }
    DeleteObject(brush);
}

void chart_set_offline(HWND wnd, const chart_period *periods, size_t count)
{
    chart *c = chart_of(wnd);
    if (!c)
        return;
    if (count > CHART_MAX_PERIODS) {
        periods += count - CHART_MAX_PERIODS;
        count = CHART_MAX_PERIODS;
    }
    if (count)
        memcpy(c->offline, periods, count * sizeof(*periods));
    c->offline_count = count;
    InvalidateRect(c->wnd, NULL, FALSE);
}

const chart_period *chart_offline(HWND wnd, size_t *count)
{
    chart *c = chart_of(wnd);
    if (count)
        *count = c ? c->offline_count : 0;
    return c ? c->offline : NULL;
}

static void draw_labels(chart *c, HDC dc, const layout *l)
{
    WCHAR text[64];
    int last_left = INT_MAX, gap = scale(c, 8);
    /* Today and every seventh day before it, right to left, as long as they fit. */
    for (int slot = CHARTDAYS_DAYS - 1; slot >= 0; slot -= 7) {
        RECT col = slot_column(l, slot);
        SIZE size;
        int x;
        slot_date(c, slot, IDS_CHART_LABEL_DATE, text, ARRAYSIZE(text));
        if (!text[0])
            continue;
        GetTextExtentPoint32W(dc, text, (int)wcslen(text), &size);
        x = (col.left + col.right) / 2 - size.cx / 2;
        if (x + size.cx > l->labels.right)
            x = l->labels.right - size.cx;
        if (x < l->labels.left || x + size.cx + gap > last_left)
            continue;
        TextOutW(dc, x, l->labels.top, text, (int)wcslen(text));
        last_left = x;
    }
}

static void paint(chart *c, HDC target, const RECT *rc)
{
    HDC dc = CreateCompatibleDC(target);
    HBITMAP bmp = CreateCompatibleBitmap(target, rc->right, rc->bottom);
    HBRUSH brushes[CHART_SERIES_COUNT];
    HGDIOBJ old_bmp, old_font;
    BOOL hc = high_contrast();
    layout l;
    if (!dc || !bmp) {
        if (bmp)
            DeleteObject(bmp);
        if (dc)
            DeleteDC(dc);
        FillRect(target, rc, GetSysColorBrush(COLOR_WINDOW));
        return;
    }
    old_bmp = SelectObject(dc, bmp);
    old_font = SelectObject(dc, c->font ? (HGDIOBJ)c->font : GetStockObject(DEFAULT_GUI_FONT));
    FillRect(dc, rc, GetSysColorBrush(COLOR_WINDOW));
    SetBkMode(dc, TRANSPARENT);
    SetTextColor(dc, GetSysColor(COLOR_WINDOWTEXT));
    SetBkColor(dc, GetSysColor(COLOR_WINDOW));
    for (int s = 0; s < CHART_SERIES_COUNT; s++)
        brushes[s] = series_brush(s, hc);
    get_layout(c, dc, &l);
    draw_legend(c, dc, &l, brushes, hc);
    draw_bars(c, dc, &l, brushes, hc);
    draw_offline(c, dc, &l, hc);
    SetTextColor(dc, GetSysColor(hc ? COLOR_WINDOWTEXT : COLOR_GRAYTEXT));
    draw_labels(c, dc, &l);
    BitBlt(target, 0, 0, rc->right, rc->bottom, dc, 0, 0, SRCCOPY);
    for (int s = 0; s < CHART_SERIES_COUNT; s++)
        if (brushes[s])
            DeleteObject(brushes[s]);
    SelectObject(dc, old_font);
    SelectObject(dc, old_bmp);
    DeleteObject(bmp);
    DeleteDC(dc);
}

/* ---- tooltips: one tool per bar ---- */

static void place_tools(chart *c)
{
    for (int slot = 0; slot < CHARTDAYS_DAYS; slot++) {
        TTTOOLINFOW ti = {.cbSize = sizeof(ti), .hwnd = c->wnd, .uId = (UINT_PTR)slot};
        chart_slot_rect(c->wnd, slot, &ti.rect);
        SendMessageW(c->tip, TTM_NEWTOOLRECTW, 0, (LPARAM)&ti);
    }
}

static void create_tools(chart *c)
{
    c->tip = CreateWindowExW(WS_EX_TOPMOST, TOOLTIPS_CLASSW, NULL, WS_POPUP | TTS_NOPREFIX | TTS_ALWAYSTIP,
                             CW_USEDEFAULT, CW_USEDEFAULT, CW_USEDEFAULT, CW_USEDEFAULT, c->wnd, NULL,
                             (HINSTANCE)GetWindowLongPtrW(c->wnd, GWLP_HINSTANCE), NULL);
    if (!c->tip)
        return;
    for (int slot = 0; slot < CHARTDAYS_DAYS; slot++) {
        TTTOOLINFOW ti = {
            .cbSize = sizeof(ti),
            .uFlags = TTF_SUBCLASS,
            .hwnd = c->wnd,
            .uId = (UINT_PTR)slot,
            .lpszText = LPSTR_TEXTCALLBACKW,
        };
        SendMessageW(c->tip, TTM_ADDTOOLW, 0, (LPARAM)&ti);
    }
    SendMessageW(c->tip, TTM_SETMAXTIPWIDTH, 0, scale(c, 400));
}

static LRESULT on_notify(chart *c, NMHDR *hdr)
{
    if (hdr->hwndFrom == c->tip && hdr->code == TTN_GETDISPINFOW) {
        NMTTDISPINFOW *di = (NMTTDISPINFOW *)hdr;
        chart_day_text(c->wnd, (int)di->hdr.idFrom, c->tip_text, ARRAYSIZE(c->tip_text));
        di->lpszText = c->tip_text;
    }
    return 0;
}

static LRESULT CALLBACK chart_proc(HWND wnd, UINT msg, WPARAM wp, LPARAM lp)
{
    chart *c = (chart *)GetWindowLongPtrW(wnd, GWLP_USERDATA);
    if (msg == WM_NCCREATE) {
        /* The chart's state lives and dies with its window. */
        c = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*c));
        if (!c)
            return FALSE;
        c->wnd = wnd;
        c->tz = ((CREATESTRUCTW *)lp)->lpCreateParams;
        SetWindowLongPtrW(wnd, GWLP_USERDATA, (LONG_PTR)c);
    }
    if (!c)
        return DefWindowProcW(wnd, msg, wp, lp);
    switch (msg) {
    case WM_CREATE:
        recount(c);
        return 0;
    case WM_SETFONT:
        c->font = (HFONT)wp;
        if (LOWORD(lp))
            InvalidateRect(wnd, NULL, FALSE);
        return 0;
    case WM_GETFONT:
        return (LRESULT)c->font;
    case WM_MOUSEMOVE:
        /* The tooltips are made when the mouse first comes, not with the chart: the history window's
         * first paint does not wait for thirty tools. This first move is handed on as their own
         * subclass hands on the next ones. */
        if (!c->tip) {
            MSG m = {.hwnd = wnd, .message = msg, .wParam = wp, .lParam = lp, .time = (DWORD)GetMessageTime()};
            create_tools(c);
            if (c->tip) {
                place_tools(c);
                SendMessageW(c->tip, TTM_RELAYEVENT, 0, (LPARAM)&m);
            }
        }
        break;
    case WM_SIZE:
        if (c->tip)
            place_tools(c);
        InvalidateRect(wnd, NULL, FALSE);
        return 0;
    case WM_ERASEBKGND:
        return 1; /* paint() covers every pixel */
    case WM_PAINT: {
        PAINTSTRUCT ps;
        RECT rc;
        HDC dc = BeginPaint(wnd, &ps);
        GetClientRect(wnd, &rc);
        if (rc.right > 0 && rc.bottom > 0)
            paint(c, dc, &rc);
        EndPaint(wnd, &ps);
        return 0;
    }
    case WM_NOTIFY:
        return on_notify(c, (NMHDR *)lp);
    case WM_TIMER:
        if (wp == TIMER_MIDNIGHT) {
            if (today(c) != c->days.today)
                recount(c);
            else
                arm_midnight(c);
        }
        return 0;
    case WM_SYSCOLORCHANGE:
    case WM_THEMECHANGED:
        InvalidateRect(wnd, NULL, FALSE);
        return 0;
    case WM_DESTROY:
        KillTimer(wnd, TIMER_MIDNIGHT);
        if (c->tip)
            DestroyWindow(c->tip);
        c->tip = NULL;
        return 0;
    case WM_NCDESTROY:
        SetWindowLongPtrW(wnd, GWLP_USERDATA, 0);
        HeapFree(GetProcessHeap(), 0, c);
        return DefWindowProcW(wnd, msg, wp, lp);
    }
    return DefWindowProcW(wnd, msg, wp, lp);
}

HWND chart_create(HWND parent, UINT id, tzcache *tz)
{
    HINSTANCE inst = (HINSTANCE)GetWindowLongPtrW(parent, GWLP_HINSTANCE);
    WNDCLASSEXW wc;
    if (!GetClassInfoExW(inst, CHART_CLASS, &wc)) {
        wc = (WNDCLASSEXW){
            .cbSize = sizeof(wc),
            .lpfnWndProc = chart_proc,
            .hInstance = inst,
            .hCursor = LoadCursorW(NULL, (LPCWSTR)IDC_ARROW),
            .lpszClassName = CHART_CLASS,
        };
        if (!RegisterClassExW(&wc))
            return NULL;
    }
    /* Not a tab stop: the list holds the same facts, and the tooltips and
     * the window text give the chart's own to a screen reader. */
    return CreateWindowExW(0, CHART_CLASS, L"", WS_CHILD | WS_VISIBLE, 0, 0, 0, 0, parent, (HMENU)(UINT_PTR)id, inst,
                           tz);
}
