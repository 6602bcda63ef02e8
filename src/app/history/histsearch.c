/* ofnotify: matching records against the search text. See histsearch.h. */
#include "histsearch.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "histcols.h"
#include "ofnotify/syncflags.h"

#define MS_PER_DAY INT64_C(86400000)
#define SECONDS_PER_DAY 86400
#define FLAG_SLOTS 256      /* distinct flag values seen in a history: a handful */
#define DURATION_SLOTS 4096 /* direct-mapped by whole seconds */
#define DAY_SLOTS 1024      /* direct-mapped by local day */

/* A cache entry's answer. */
enum { UNKNOWN = 0, NO, YES };

typedef struct flag_entry {
    uint32_t flags;
    uint8_t state;
} flag_entry;

typedef struct key_entry {
    int64_t key;
    uint8_t state;
} key_entry;

/* A time cell is D + ' ' + T. The text q (length m) occurs in it when it
 * occurs in D, or in T, or across the space: q = (end of D) + ' ' + (start
 * of T). Bit k of a mask says the split at q[k] == ' ' works on that side. */
typedef struct day_entry {
    int64_t day;
    uint8_t state;  /* UNKNOWN, or NO/YES: q occurs in the date */
    uint64_t ends;  /* bit k: D ends with q[0..k) and q[k] is ' ' */
} day_entry;

typedef struct second_entry {
    uint8_t state;   /* UNKNOWN, or NO/YES: q occurs in the time */
    uint64_t starts; /* bit k: T starts with q[k+1..m) */
} second_entry;

struct histsearch {
    WCHAR q[HISTSEARCH_MAX + 1]; /* lower case */
    size_t m;
    uint64_t spaces; /* bit k: q[k] is a space */
    uint8_t status[HIST_STATUS_KEYS];
    flag_entry flags[FLAG_SLOTS];
    key_entry durations[DURATION_SLOTS];
    day_entry days[DAY_SLOTS];
    second_entry *seconds; /* SECONDS_PER_DAY entries */
    unsigned rules;        /* bit r: a column has search rule r */
    int time_cols[HIST_COL_COUNT], n_time_cols;
};

histsearch *histsearch_new(void)
{
    histsearch *s = calloc(1, sizeof(*s));
    if (!s)
        return NULL;
    s->seconds = calloc(SECONDS_PER_DAY, sizeof(*s->seconds));
    if (!s->seconds) {
        free(s);
        return NULL;
    }
    /* The column table, read once: the rules to ask and the time columns. */
    for (int col = 0; col < HIST_COL_COUNT; col++) {
        s->rules |= 1u << hist_columns[col].search;
        if (hist_columns[col].search == HIST_SEARCH_TIME)
            s->time_cols[s->n_time_cols++] = col;
    }
    histsearch_set_text(s, NULL);
    return s;
}

void histsearch_free(histsearch *s)
{
    if (!s)
        return;
    free(s->seconds);
    free(s);
}

void histsearch_set_text(histsearch *s, const WCHAR *text)
{
    size_t n = text ? wcslen(text) : 0;
    if (n > HISTSEARCH_MAX)
        n = HISTSEARCH_MAX;
    memcpy(s->q, text ? text : L"", n * sizeof(WCHAR));
    s->q[n] = 0;
    s->m = n;
    if (n)
        CharLowerBuffW(s->q, (DWORD)n);
    s->spaces = 0;
    for (size_t k = 0; k < n; k++)
        if (s->q[k] == L' ')
            s->spaces |= UINT64_C(1) << k;
    memset(s->status, 0, sizeof(s->status));
    memset(s->flags, 0, sizeof(s->flags));
    for (size_t i = 0; i < DURATION_SLOTS; i++) {
        s->durations[i].key = -1;
        s->durations[i].state = UNKNOWN;
    }
    for (size_t i = 0; i < DAY_SLOTS; i++) {
        s->days[i].day = INT64_MIN;
        s->days[i].state = UNKNOWN;
    }
    memset(s->seconds, 0, SECONDS_PER_DAY * sizeof(*s->seconds));
}

BOOL histsearch_is_empty(const histsearch *s)
{
    return s->m == 0;
}

/* Whether the lower-cased query occurs in text (lower-cased in place). */
static BOOL contains(const histsearch *s, WCHAR *text)
{
    size_t n = wcslen(text);
    if (n)
        CharLowerBuffW(text, (DWORD)n);
    return wcsstr(text, s->q) != NULL;
}

/* Whether the text occurs in any cell of r that the search decides by rule. */
static BOOL cells_contain(const histsearch *s, tzcache *tz, const of_record *r, hist_search rule)
{
    WCHAR text[HIST_CELL_CAP];
    for (int col = 0; col < HIST_COL_COUNT; col++) {
        if (hist_columns[col].search != rule)
            continue;
        histcols_text(tz, r, col, text, ARRAYSIZE(text));
        if (contains(s, text))
            return TRUE;
    }
    return FALSE;
}

static uint8_t answer(BOOL yes)
{
    return yes ? YES : NO;
}

static BOOL flags_match(histsearch *s, tzcache *tz, const of_record *r)
{
    uint32_t h = (r->flags * 2654435761u) >> 24;
    for (size_t probe = 0; probe < FLAG_SLOTS; probe++) {
        flag_entry *e = &s->flags[(h + probe) % FLAG_SLOTS];
        if (e->state == UNKNOWN) {
            e->flags = r->flags;
            e->state = answer(cells_contain(s, tz, r, HIST_SEARCH_FLAGS));
            return e->state == YES;
        }
        if (e->flags == r->flags)
            return e->state == YES;
    }
    /* More distinct values than slots: just format them. */
    return cells_contain(s, tz, r, HIST_SEARCH_FLAGS);
}

static BOOL status_match(histsearch *s, tzcache *tz, const of_record *r)
{
    int key = hist_status_key(r);
    if (key == HIST_STATUS_KEYS - 1)
        return cells_contain(s, tz, r, HIST_SEARCH_STATUS); /* a newer version's value: rare */
    if (s->status[key] == UNKNOWN)
        s->status[key] = answer(cells_contain(s, tz, r, HIST_SEARCH_STATUS));
    return s->status[key] == YES;
}

/* Durations are shown rounded down to whole seconds or coarser. */
static BOOL duration_match(histsearch *s, tzcache *tz, const of_record *r)
{
    int64_t key;
    key_entry *e;
    if (r->status == OF_STATUS_UNPAIRED)
        return FALSE; /* an empty cell */
    key = (int64_t)(r->duration_ms / 1000 > INT64_MAX ? INT64_MAX : r->duration_ms / 1000);
    e = &s->durations[(uint64_t)key % DURATION_SLOTS];
    if (e->key != key || e->state == UNKNOWN) {
        e->key = key;
        e->state = answer(cells_contain(s, tz, r, HIST_SEARCH_DURATION));
    }
    return e->state == YES;
}

static void lower(WCHAR *text)
{
    size_t n = wcslen(text);
    if (n)
        CharLowerBuffW(text, (DWORD)n);
}

static day_entry *day_info(histsearch *s, int64_t day, const SYSTEMTIME *local)
{
    day_entry *e = &s->days[(uint64_t)day % DAY_SLOTS];
    if (e->day != day || e->state == UNKNOWN) {
        WCHAR date[HIST_CELL_CAP];
        size_t n;
        histcols_date(local, date, ARRAYSIZE(date));
        lower(date);
        n = wcslen(date);
        e->day = day;
        e->state = answer(wcsstr(date, s->q) != NULL);
        e->ends = 0;
        for (size_t k = 0; k < s->m; k++)
            if ((s->spaces >> k & 1) && k <= n && !wcsncmp(date + n - k, s->q, k))
                e->ends |= UINT64_C(1) << k;
    }
    return e;
}

static second_entry *second_info(histsearch *s, int second, const SYSTEMTIME *local)
{
    second_entry *e = &s->seconds[second];
    if (e->state == UNKNOWN) {
        WCHAR time[HIST_CELL_CAP];
        size_t n;
        histcols_time(local, time, ARRAYSIZE(time));
        lower(time);
        n = wcslen(time);
        e->state = answer(wcsstr(time, s->q) != NULL);
        e->starts = 0;
        for (size_t k = 0; k < s->m; k++) {
            size_t rest = s->m - k - 1;
            if ((s->spaces >> k & 1) && rest <= n && !wcsncmp(time, s->q + k + 1, rest))
                e->starts |= UINT64_C(1) << k;
        }
    }
    return e;
}

static BOOL time_match(histsearch *s, tzcache *tz, int64_t utc_ms)
{
    int32_t offset;
    int64_t local_ms, day;
    int second;
    SYSTEMTIME local;
    day_entry *d;
    second_entry *t;
    if (utc_ms == OF_TIME_UNKNOWN || !tzcache_offset(tz, utc_ms, &offset) || !tzcache_to_local(tz, utc_ms, &local))
        return FALSE; /* an empty cell */
    local_ms = utc_ms + (int64_t)offset * 60000;
    day = local_ms / MS_PER_DAY - (local_ms % MS_PER_DAY < 0);
    second = (int)((local_ms - day * MS_PER_DAY) / 1000);
    d = day_info(s, day, &local);
    if (d->state == YES)
        return TRUE;
    t = second_info(s, second, &local);
    /* A cell whose time could not be formatted is the date alone; the
     * time's empty text then matches no split. */
    return t->state == YES || (d->ends & t->starts) != 0;
}

static BOOL has_rule(const histsearch *s, hist_search rule)
{
    return (s->rules >> rule & 1) != 0;
}

/* Each column is decided by the cache of its rule (histcols.h), the cheap
 * rules first; the caches of flags, status and duration answer for every
 * column of their rule at once. */
BOOL histsearch_match(histsearch *s, tzcache *tz, const of_record *r)
{
    if (!r)
        return FALSE;
    if (s->m == 0)
        return TRUE;
    if ((has_rule(s, HIST_SEARCH_FLAGS) && flags_match(s, tz, r)) ||
        (has_rule(s, HIST_SEARCH_STATUS) && status_match(s, tz, r)) ||
        (has_rule(s, HIST_SEARCH_DURATION) && duration_match(s, tz, r)))
        return TRUE;
    for (int i = 0; i < s->n_time_cols; i++)
        if (time_match(s, tz, hist_columns[s->time_cols[i]].key(r)))
            return TRUE;
    return has_rule(s, HIST_SEARCH_TEXT) && cells_contain(s, tz, r, HIST_SEARCH_TEXT);
}
