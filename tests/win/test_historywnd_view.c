/* Tests for the history window's view model (src/app/history/histview) and
 * its column table (src/app/history/histcols), without any window: which
 * records the filter and search let through, the order of every sort, rows
 * ↔ records, and where rows go when records are appended. Histories live in
 * memory (tests/unit/support/memfs). Linked with the app's resources, like
 * test_historywnd, so labels and headers are the English STRINGTABLE's. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <windows.h>
#include <commctrl.h>

#include "histcols.h"
#include "histview.h"
#include "ofnotify/history.h"
#include "ofnotify/syncflags.h"
#include "support/memfs.h"
#include "support/records.h"
#include "tzcache.h"
#include "winutil.h"

#define BASE_MS INT64_C(1795525200000) /* 2026-11-24T13:00:00Z */
#define NOW_MS (BASE_MS + 86400000)
#define TWO_WAY (OF_SYNC_FLAG_SYNCIN | OF_SYNC_FLAG_SYNCOUT)

typedef struct fixture {
    memfs *fs;
    of_history *h;
    tzcache tz;
    histview view;
} fixture;

static void append(fixture *f, of_record r)
{
    assert_int_equal(of_history_append(f->h, &r), OF_HISTORY_OK);
}

static fixture *new_fixture(void)
{
    fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    f->fs = memfs_new();
    assert_non_null(f->fs);
    assert_int_equal(of_history_open(&f->h, memfs_fs(f->fs), "history.dat", 0, NOW_MS, NULL), OF_HISTORY_OK);
    tzcache_init(&f->tz, NULL);
    assert_true(histview_init(&f->view, &f->tz));
    return f;
}

/* Index 0 is the oldest; a new view shows index 4 on top. */
static int setup_five(void **state)
{
    fixture *f = new_fixture();
    append(f, rec(BASE_MS + 1000, 12000, TWO_WAY, OF_STATUS_COMPLETED, OF_REASON_NONE));
    append(f, rec(BASE_MS + 2000, 0, OF_SYNC_FLAG_SYNCIN, OF_STATUS_UNPAIRED, OF_REASON_NONE));
    append(f, rec(BASE_MS + 3000, 125000, OF_SYNC_FLAG_SYNCOUT, OF_STATUS_COMPLETED, OF_REASON_NONE));
    append(f, rec(BASE_MS + 4000, 3000, OF_SYNC_FLAG_FILLSPARSE, OF_STATUS_INTERRUPTED, OF_REASON_SERVICE_LOST));
    append(f, rec(BASE_MS + 5000, 500, TWO_WAY | OF_SYNC_FLAG_BACKGROUND | OF_SYNC_CR_KEEPLATEST,
                  OF_STATUS_COMPLETED, OF_REASON_NONE));
    histview_load(&f->view, f->h);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    histview_free(&f->view);
    of_history_close(f->h);
    memfs_free(f->fs);
    free(f);
    return 0;
}

/* The record indexes of the rows, top to bottom. */
static void assert_rows(const histview *v, const size_t *want, size_t n)
{
    assert_int_equal(v->count, n);
    for (size_t row = 0; row < n; row++) {
        if (histview_row_index(v, row) != want[row]) {
            print_error("row %u shows record %u, want %u\n", (unsigned)row, (unsigned)histview_row_index(v, row),
                        (unsigned)want[row]);
            fail();
        }
        assert_ptr_equal(histview_row_record(v, row), of_history_get(v->hist, want[row]));
        assert_int_equal(histview_index_row(v, want[row]), (long long)row);
    }
    assert_null(histview_row_record(v, n));
}

static void cell(fixture *f, size_t index, int col, WCHAR *buf)
{
    histcols_text(&f->tz, of_history_get(f->h, index), col, buf, HIST_CELL_CAP);
}

/* ---- the column table ---- */

static void test_column_table(void **state)
{
    static const WCHAR *const titles[HIST_COL_COUNT] = {L"Completed", L"Direction", L"Duration",
                                                        L"Started",   L"Status",    L"Details"};
    fixture *f = *state;
    int completion = 0, icons = 0;
    WCHAR text[HIST_CELL_CAP];
    for (int col = 0; col < HIST_COL_COUNT; col++) {
        const hist_column *c = &hist_columns[col];
        WCHAR title[64];
        assert_true(winutil_load_string(c->title, title, ARRAYSIZE(title)) > 0);
        if (wcscmp(title, titles[col]) != 0) {
            print_error("column %d is \"%ls\", want \"%ls\"\n", col, title, titles[col]);
            fail();
        }
        assert_true(c->width_96 >= 50);
        assert_int_equal(c->align, col == HIST_COL_DURATION ? LVCFMT_RIGHT : LVCFMT_LEFT);
        assert_non_null(c->text);
        assert_non_null(c->key);
        if (c->sort == HIST_SORT_LABEL) {
            assert_non_null(c->label);
            assert_true(c->labels > 0 && c->labels <= HIST_LABELS_MAX);
        }
        completion += c->sort == HIST_SORT_COMPLETION;
        icons += c->direction_icon;
    }
    /* One column is the history's own order; the direction has the icon. */
    assert_int_equal(completion, 1);
    assert_int_equal(hist_columns[HIST_COL_COMPLETED].sort, HIST_SORT_COMPLETION);
    assert_int_equal(icons, 1);
    assert_true(hist_columns[HIST_COL_DIRECTION].direction_icon);

    /* The cells, through the table. */
    cell(f, 4, HIST_COL_DIRECTION, text);
    assert_true(wcscmp(text, L"Two-way") == 0);
    cell(f, 4, HIST_COL_DURATION, text);
    assert_true(wcscmp(text, L"< 1 s") == 0);
    cell(f, 3, HIST_COL_STATUS, text);
    assert_true(wcscmp(text, L"Interrupted (service stopped)") == 0);
    cell(f, 4, HIST_COL_DETAILS, text);
    assert_true(wcscmp(text, L"Sync in, Sync out, Background \u00B7 keep latest") == 0);
    cell(f, 4, HIST_COL_COMPLETED, text);
    assert_non_null(wcsstr(text, L"2026"));
    /* The unpaired pass has no start and no duration. */
    cell(f, 1, HIST_COL_STARTED, text);
    assert_true(wcscmp(text, L"") == 0);
    cell(f, 1, HIST_COL_DURATION, text);
    assert_true(wcscmp(text, L"") == 0);
    assert_int_equal(hist_columns[HIST_COL_STARTED].key(of_history_get(f->h, 1)), OF_TIME_UNKNOWN);
    /* Out of range: empty. */
    wcscpy(text, L"stale");
    histcols_text(&f->tz, of_history_get(f->h, 0), HIST_COL_COUNT, text, ARRAYSIZE(text));
    assert_true(wcscmp(text, L"") == 0);

    /* A status of a newer version has a key of its own. */
    {
        of_record r = rec(BASE_MS, 1000, TWO_WAY, OF_STATUS_COMPLETED, OF_REASON_NONE);
        assert_true(hist_status_key(&r) < HIST_STATUS_KEYS - 1);
        r.status = OF_STATUS_COUNT;
        assert_int_equal(hist_status_key(&r), HIST_STATUS_KEYS - 1);
    }
}

/* ---- order ---- */

static void test_newest_first_and_back(void **state)
{
    fixture *f = *state;
    histview *v = &f->view;
    static const size_t newest[] = {4, 3, 2, 1, 0}, oldest[] = {0, 1, 2, 3, 4};
    assert_int_equal(v->total, 5);
    assert_false(histview_filtered(v));
    assert_int_equal(v->sort_col, HIST_COL_COMPLETED);
    assert_false(v->ascending);
    assert_rows(v, newest, 5);
    /* Completed again: oldest first; again: newest first. */
    histview_sort_by(v, HIST_COL_COMPLETED);
    histview_load(v, f->h);
    assert_true(v->ascending);
    assert_rows(v, oldest, 5);
    histview_sort_by(v, HIST_COL_COMPLETED);
    histview_load(v, f->h);
    assert_rows(v, newest, 5);
    /* Export reads completion order whatever the sort. */
    histview_sort_by(v, HIST_COL_DURATION);
    histview_load(v, f->h);
    for (size_t k = 0; k < 5; k++)
        assert_ptr_equal(histview_nth(v, k), of_history_get(f->h, k));
    assert_null(histview_nth(v, 5));
    /* A column that does not exist changes nothing. */
    histview_sort_by(v, HIST_COL_COUNT);
    histview_sort_by(v, -1);
    assert_int_equal(v->sort_col, HIST_COL_DURATION);
    assert_true(v->ascending);
}

static void test_sorts(void **state)
{
    fixture *f = *state;
    histview *v = &f->view;
    /* Durations: unpaired (none), 500 ms, 3 s, 12 s, 2 min 5 s. */
    static const size_t by_duration[] = {1, 4, 3, 0, 2}, by_duration_down[] = {2, 0, 3, 4, 1};
    /* Started: the unpaired one (no start) first. */
    static const size_t by_started[] = {1, 2, 0, 3, 4};
    /* Words: Completed < Interrupted (service stopped) < Unpaired; equal words in completion order. */
    static const size_t by_status[] = {0, 2, 4, 3, 1}, by_status_down[] = {1, 3, 4, 2, 0};
    /* Words: Fill sparse < From server < To server < Two-way. */
    static const size_t by_direction[] = {3, 1, 2, 0, 4};
    histview_sort_by(v, HIST_COL_DURATION);
    histview_load(v, f->h);
    assert_true(v->ascending);
    assert_rows(v, by_duration, 5);
    histview_sort_by(v, HIST_COL_DURATION);
    histview_load(v, f->h);
    assert_false(v->ascending);
    assert_rows(v, by_duration_down, 5);
    histview_sort_by(v, HIST_COL_STARTED);
    histview_load(v, f->h);
    assert_rows(v, by_started, 5);
    histview_sort_by(v, HIST_COL_STATUS);
    histview_load(v, f->h);
    assert_rows(v, by_status, 5);
    histview_sort_by(v, HIST_COL_STATUS);
    histview_load(v, f->h);
    assert_rows(v, by_status_down, 5);
    histview_sort_by(v, HIST_COL_DIRECTION);
    histview_load(v, f->h);
    assert_rows(v, by_direction, 5);
}

/* Many records, few distinct keys: every sort is by key, then completion
 * order, reversed as a whole for descending. */
static int setup_many(void **state)
{
    fixture *f = new_fixture();
    static const uint32_t dirs[] = {TWO_WAY, OF_SYNC_FLAG_SYNCOUT, OF_SYNC_FLAG_SYNCIN, OF_SYNC_FLAG_FILLSPARSE};
    for (int i = 0; i < 600; i++) {
        unsigned x = (unsigned)i * 2654435761u;
        of_status st = x % 11 == 0 ? OF_STATUS_UNPAIRED : x % 7 == 0 ? OF_STATUS_INTERRUPTED : OF_STATUS_COMPLETED;
        append(f, rec(BASE_MS + i * 1000, (x >> 8) % 9 * 1000, dirs[(x >> 4) % 4], st,
                      st == OF_STATUS_INTERRUPTED ? OF_REASON_SERVICE_LOST : OF_REASON_NONE));
    }
    histview_load(&f->view, f->h);
    *state = f;
    return 0;
}

static void check_sorted(fixture *f, int col)
{
    histview *v = &f->view;
    const hist_column *c = &hist_columns[col];
    assert_int_equal(v->count, of_history_count(f->h));
    for (size_t row = 1; row < v->count; row++) {
        size_t a = histview_row_index(v, row - 1), b = histview_row_index(v, row);
        const of_record *ra = of_history_get(f->h, a), *rb = of_history_get(f->h, b);
        int64_t ka = c->key(ra), kb = c->key(rb);
        int cmp;
        if (c->sort == HIST_SORT_LABEL) {
            WCHAR la[64], lb[64];
            c->label((int)ka, la, ARRAYSIZE(la));
            c->label((int)kb, lb, ARRAYSIZE(lb));
            cmp = CompareStringEx(LOCALE_NAME_USER_DEFAULT, LINGUISTIC_IGNORECASE, la, -1, lb, -1, NULL, NULL, 0) -
                  CSTR_EQUAL;
            if (cmp == 0 && ka != kb)
                cmp = ka < kb ? -1 : 1;
        } else {
            cmp = ka < kb ? -1 : ka > kb;
        }
        if (cmp == 0)
            cmp = a < b ? -1 : 1;
        if (v->ascending ? cmp > 0 : cmp < 0) {
            print_error("column %d: row %u (record %u) and row %u (record %u) out of order\n", col,
                        (unsigned)row - 1, (unsigned)a, (unsigned)row, (unsigned)b);
            fail();
        }
    }
}

static void test_sorts_with_ties(void **state)
{
    fixture *f = *state;
    for (int col = 0; col < HIST_COL_COUNT; col++) {
        if (hist_columns[col].sort == HIST_SORT_COMPLETION)
            continue;
        histview_sort_by(&f->view, col);
        histview_load(&f->view, f->h);
        assert_true(f->view.ascending);
        check_sorted(f, col);
        histview_sort_by(&f->view, col);
        histview_load(&f->view, f->h);
        assert_false(f->view.ascending);
        check_sorted(f, col);
    }
}

/* ---- filter and search ---- */

/* Who started a pass: the five are background; a Sync now pass added
 * shows alone under its filter, with the direction filter and the search
 * still applying. */
static void test_origin_filter(void **state)
{
    fixture *f = *state;
    histview *v = &f->view;
    static const size_t sync_now[] = {5}, background[] = {4, 3, 2, 1, 0};
    of_record r = rec(BASE_MS + 6000, 9000, TWO_WAY, OF_STATUS_COMPLETED, OF_REASON_NONE);
    r.origin = OF_ORIGIN_SYNC_NOW;
    append(f, r);
    histview_set_origin(v, OF_ORIGIN_SYNC_NOW);
    histview_load(v, f->h);
    assert_true(histview_filtered(v));
    assert_rows(v, sync_now, 1);
    histview_set_origin(v, OF_ORIGIN_BACKGROUND);
    histview_load(v, f->h);
    assert_rows(v, background, 5);
    histview_set_filter(v, OF_DIR_TWO_WAY, NULL);
    histview_load(v, f->h);
    assert_int_equal(v->count, 2);
    histview_set_origin(v, OF_ORIGIN_SYNC_NOW);
    histview_set_filter(v, OF_DIR_TO_SERVER, NULL);
    histview_load(v, f->h);
    assert_int_equal(v->count, 0);
    histview_set_origin(v, HISTVIEW_ALL_ORIGINS);
    histview_set_filter(v, HISTVIEW_ALL_DIRECTIONS, NULL);
    histview_load(v, f->h);
    assert_false(histview_filtered(v));
    assert_int_equal(v->count, 6);
}

static void test_filter_and_search(void **state)
{
    fixture *f = *state;
    histview *v = &f->view;
    static const size_t two_way[] = {4, 0}, two_way_longest[] = {0, 4}, none[] = {0};
    histview_set_filter(v, OF_DIR_TWO_WAY, NULL);
    histview_load(v, f->h);
    assert_true(histview_filtered(v));
    assert_int_equal(v->total, 5);
    assert_rows(v, two_way, 2);
    assert_int_equal(histview_index_row(v, 2), -1); /* hidden */
    assert_ptr_equal(histview_nth(v, 0), of_history_get(f->h, 0));
    assert_ptr_equal(histview_nth(v, 1), of_history_get(f->h, 4));
    /* Sorted and filtered: longest first, 12 s before 500 ms. */
    histview_sort_by(v, HIST_COL_DURATION);
    histview_sort_by(v, HIST_COL_DURATION);
    histview_load(v, f->h);
    assert_rows(v, two_way_longest, 2);

    /* The search, ignoring case, in any cell. */
    histview_set_filter(v, HISTVIEW_ALL_DIRECTIONS, L"SERVICE stopped");
    histview_load(v, f->h);
    assert_int_equal(v->count, 1);
    assert_int_equal(histview_row_index(v, 0), 3);
    histview_set_filter(v, HISTVIEW_ALL_DIRECTIONS, L"sync out");
    histview_load(v, f->h);
    assert_int_equal(v->count, 3);
    /* Both together. */
    histview_set_filter(v, OF_DIR_TO_SERVER, L"sync out");
    histview_load(v, f->h);
    assert_int_equal(v->count, 1);
    assert_int_equal(histview_row_index(v, 0), 2);
    histview_set_filter(v, OF_DIR_UNSPECIFIED, L"");
    histview_load(v, f->h);
    assert_true(histview_filtered(v));
    assert_rows(v, none, 0);
    assert_null(histview_nth(v, 0));
    /* Nothing filtered again. */
    histview_set_filter(v, HISTVIEW_ALL_DIRECTIONS, NULL);
    histview_load(v, f->h);
    assert_false(histview_filtered(v));
    assert_int_equal(v->count, 5);
    /* No history: no rows. */
    histview_load(v, NULL);
    assert_int_equal(v->total, 0);
    assert_int_equal(v->count, 0);
    assert_null(histview_row_record(v, 0));
}

/* ---- growing ---- */

static void test_grow_newest_first(void **state)
{
    fixture *f = *state;
    histview *v = &f->view;
    size_t rows[] = {0, 3};
    static const size_t want[] = {6, 5, 4, 3, 2, 1, 0};
    append(f, rec(BASE_MS + 6000, 1000, OF_SYNC_FLAG_SYNCOUT, OF_STATUS_COMPLETED, OF_REASON_NONE));
    append(f, rec(BASE_MS + 7000, 1000, TWO_WAY, OF_STATUS_COMPLETED, OF_REASON_NONE));
    assert_int_equal(histview_grow(v, 7), HISTVIEW_GREW);
    assert_rows(v, want, 7);
    assert_false(histview_grew_at_end(v, 5));
    /* Two new rows on top: the old rows move down by two. */
    histview_map_rows(v, 5, 5, rows, 2);
    assert_int_equal(rows[0], 2);
    assert_int_equal(rows[1], 5);
}

/* New records the order puts last: the old rows keep their places. */
static void test_grow_at_end(void **state)
{
    fixture *f = *state;
    histview *v = &f->view;
    static const size_t oldest[] = {0, 1, 2, 3, 4, 5, 6};
    static const size_t by_duration[] = {1, 4, 5, 6, 3, 0, 2, 7, 8};
    histview_sort_by(v, HIST_COL_COMPLETED); /* oldest first */
    histview_load(v, f->h);
    append(f, rec(BASE_MS + 6000, 1000, OF_SYNC_FLAG_SYNCOUT, OF_STATUS_COMPLETED, OF_REASON_NONE));
    append(f, rec(BASE_MS + 7000, 1000, TWO_WAY, OF_STATUS_COMPLETED, OF_REASON_NONE));
    assert_int_equal(histview_grow(v, 7), HISTVIEW_GREW);
    assert_rows(v, oldest, 7);
    assert_true(histview_grew_at_end(v, 5));
    /* By duration, two passes longer than any before: last too. */
    histview_sort_by(v, HIST_COL_DURATION);
    histview_load(v, f->h);
    append(f, rec(BASE_MS + 8000, 200000, TWO_WAY, OF_STATUS_COMPLETED, OF_REASON_NONE));
    append(f, rec(BASE_MS + 9000, 200000, OF_SYNC_FLAG_SYNCIN, OF_STATUS_COMPLETED, OF_REASON_NONE));
    assert_int_equal(histview_grow(v, 9), HISTVIEW_GREW);
    assert_rows(v, by_duration, 9);
    assert_true(histview_grew_at_end(v, 7));
    /* A short one lands among them: not at the end. */
    append(f, rec(BASE_MS + 10000, 100, TWO_WAY, OF_STATUS_COMPLETED, OF_REASON_NONE));
    assert_int_equal(histview_grow(v, 10), HISTVIEW_GREW);
    assert_false(histview_grew_at_end(v, 9));
    assert_int_equal(histview_row_index(v, 1), 9);
}

static void test_grow_sorted_and_filtered(void **state)
{
    fixture *f = *state;
    histview *v = &f->view;
    size_t rows[] = {0, 1};
    static const size_t want[] = {4, 6, 0, 8};
    /* Two-way, by duration: 500 ms (4), 12 s (0). */
    histview_set_filter(v, OF_DIR_TWO_WAY, NULL);
    histview_sort_by(v, HIST_COL_DURATION);
    histview_load(v, f->h);
    /* Hidden by the filter: the rows stay, the total grows. */
    append(f, rec(BASE_MS + 6000, 4000, OF_SYNC_FLAG_SYNCIN, OF_STATUS_COMPLETED, OF_REASON_NONE));
    assert_int_equal(histview_grow(v, 6), HISTVIEW_SAME_ROWS);
    assert_int_equal(v->total, 6);
    assert_int_equal(v->count, 2);
    /* 4 s goes between 500 ms and 12 s, 60 s after them. */
    append(f, rec(BASE_MS + 7000, 4000, TWO_WAY, OF_STATUS_COMPLETED, OF_REASON_NONE));
    append(f, rec(BASE_MS + 8000, 1000, OF_SYNC_FLAG_SYNCOUT, OF_STATUS_COMPLETED, OF_REASON_NONE));
    append(f, rec(BASE_MS + 9000, 60000, TWO_WAY, OF_STATUS_COMPLETED, OF_REASON_NONE));
    assert_int_equal(histview_grow(v, 9), HISTVIEW_GREW);
    assert_rows(v, want, 4);
    assert_false(histview_grew_at_end(v, 2));
    /* Old rows 0 (500 ms) and 1 (12 s) are now rows 0 and 2. */
    histview_map_rows(v, 2, 6, rows, 2);
    assert_int_equal(rows[0], 0);
    assert_int_equal(rows[1], 2);
    /* The same as loading it all again. */
    {
        size_t grown[4];
        for (size_t row = 0; row < 4; row++)
            grown[row] = histview_row_index(v, row);
        histview_load(v, f->h);
        assert_rows(v, grown, 4);
    }
}

static void test_find_seq(void **state)
{
    fixture *f = *state;
    for (size_t i = 0; i < 5; i++)
        assert_int_equal(histview_find_seq(f->h, of_history_get(f->h, i)->seq), i);
    assert_int_equal(histview_find_seq(f->h, of_history_get(f->h, 4)->seq + 1), SIZE_MAX);
    assert_int_equal(histview_find_seq(f->h, 0), SIZE_MAX);
    assert_int_equal(histview_find_seq(NULL, 1), SIZE_MAX);
}

int main(void)
{
    /* The English texts, whatever the prefix's language. */
    SetThreadUILanguage(MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_column_table, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_newest_first_and_back, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_sorts, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_sorts_with_ties, setup_many, teardown),
        cmocka_unit_test_setup_teardown(test_filter_and_search, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_origin_filter, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_grow_newest_first, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_grow_at_end, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_grow_sorted_and_filtered, setup_five, teardown),
        cmocka_unit_test_setup_teardown(test_find_seq, setup_five, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
