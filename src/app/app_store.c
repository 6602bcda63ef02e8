/* ofnotify: where ended passes are kept while the history cannot take them,
 * and the store's health every surface reads. See app_store.h. */
#include "app_private.h"

#include <inttypes.h>
#include <stdio.h>

#include "eventlog.h"
#include "fs_win32.h"
#include "history/historywnd.h"
#include "resource.h"
#include "timers.h"
#include "tray.h"
#include "wallclock.h"
#include "winutil.h"

#define HISTORY_RETRY_MS 5000
#define TEXT_CAP 1024

/* ---- the journals ---- */

void app_store_init(app *a)
{
    app_store *s = &a->store;
    WCHAR temp[MAX_PATH + 1];
    char temp8[STORE_PATH_CAP], dir8[STORE_PATH_CAP];
    snprintf(s->beside_path, sizeof(s->beside_path), "%s.journal", a->history_path);
    s->temp_path[0] = 0;
    if (GetTempPathW(ARRAYSIZE(temp), temp) && winutil_wide_to_utf8(temp, temp8, sizeof(temp8)) &&
        winutil_wide_to_utf8(a->data_dir, dir8, sizeof(dir8)) &&
        of_journal_temp_name(s->temp_path, sizeof(s->temp_path), temp8, '\\', dir8) != 0)
        s->temp_path[0] = 0;
    s->told_problem = STORE_OK;
    s->logged_problem = STORE_OK;
}

/* The report of a journal's load joins the recovery notices. */
static void note_journal_report(app_store *s, const of_journal_report *rep)
{
    if (rep->moved_aside)
        lstrcpynA(s->moved_to, rep->moved_to, sizeof(s->moved_to));
    if (rep->cut_kept)
        lstrcpynA(s->cut_to, rep->cut_to, sizeof(s->cut_to));
}

/* Opens a journal when it is needed; a journal that exists but cannot be
 * read is left alone (core never writes over it) and tried again later. */
static of_journal *journal(app_store *s, of_journal **j, const char *path)
{
    of_journal_report rep;
    of_history_err err;
    if (*j || !path[0])
        return *j;
    err = of_journal_open(j, fs_win32(), path, wallclock_now_ms(), &rep);
    if (err != OF_HISTORY_OK) {
        app_log("ofnotify: journal %s cannot be read: %s\n", path, of_history_error_text(err));
        return NULL;
    }
    note_journal_report(s, &rep);
    if (rep.records)
        app_log("ofnotify: journal %s holds %" PRIu64 " records\n", path, (uint64_t)rep.records);
    return *j;
}

static size_t in_journals(const app_store *s)
{
    return of_journal_count(s->beside) + of_journal_count(s->temp);
}

/* Beside the history, unless the temporary folder's journal already holds
 * records (then there, so that the order stays the order passes ended). */
static BOOL to_journal(app *a, const of_record *rec)
{
    app_store *s = &a->store;
    if (!of_journal_count(s->temp) && journal(s, &s->beside, s->beside_path) &&
        of_journal_append(s->beside, rec) == OF_HISTORY_OK)
        return TRUE;
    return journal(s, &s->temp, s->temp_path) && of_journal_append(s->temp, rec) == OF_HISTORY_OK;
}

static void hold(app_store *s, const of_record *rec)
{
    if (s->held_count == s->held_cap) {
        size_t cap = s->held_cap ? s->held_cap * 2 : 64;
        of_record *n = s->held ? HeapReAlloc(GetProcessHeap(), 0, s->held, cap * sizeof(*n))
                               : HeapAlloc(GetProcessHeap(), 0, cap * sizeof(*n));
        if (!n) {
            s->held_lost++; /* out of memory: counted and told, never silent */
            return;
        }
        s->held = n;
        s->held_cap = cap;
    }
    s->held[s->held_count++] = *rec;
}

/* ---- the history ---- */

void app_store_history_opened(app *a, const of_history_report *rep)
{
    app_store *s = &a->store;
    s->history_err = OF_HISTORY_OK;
    s->history_tried = TRUE;
    if (rep->moved_aside)
        lstrcpynA(s->moved_to, rep->moved_to, sizeof(s->moved_to));
    if (rep->cut_kept)
        lstrcpynA(s->cut_to, rep->cut_to, sizeof(s->cut_to));
    s->renumbered += rep->renumbered;
}

/* The outcome of the latest open, append or merge: the health follows it. */
static void note_history(app_store *s, of_history_err err)
{
    s->history_err = err;
    s->history_tried = TRUE;
}

void app_store_history_failed(app *a, of_history_err err)
{
    note_history(&a->store, err);
}

/* Numbers ran out (a damaged or crafted file): they start again at 1, and
 * the user hears of it once. */
static BOOL renumber(app *a)
{
    of_history_err err = of_history_renumber(a->history);
    app_log("ofnotify: the history's numbers ran out; renumbering: %s\n", of_history_error_text(err));
    if (err != OF_HISTORY_OK)
        return FALSE;
    a->store.seq_renumbered = TRUE;
    a->store.recovery_told = FALSE;
    historywnd_set_history(a->wnd, a->history);
    return TRUE;
}

static of_history_err append(app *a, of_record *rec)
{
    of_history_err err = of_history_append(a->history, rec);
    if (err == OF_HISTORY_E_SEQ_LIMIT && renumber(a))
        err = of_history_append(a->history, rec);
    return err;
}

static BOOL to_history(app *a, const of_record *rec)
{
    of_record r = *rec;
    of_history_err err;
    if (!app_open_history(a))
        return FALSE;
    err = append(a, &r);
    note_history(&a->store, err);
    if (err != OF_HISTORY_OK)
        return FALSE;
    app_notify_recorded(a, &r);
    historywnd_records_changed(a->wnd);
    return TRUE;
}

/* Merged records are old news: the tooltip and the history window hear of
 * them, but no balloon announces passes that ended while the history was
 * out of reach. */
static of_history_err merge(app *a, of_journal *j)
{
    size_t merged = 0, more = 0;
    of_history_err err;
    if (!of_journal_count(j))
        return OF_HISTORY_OK;
    err = of_journal_merge(j, a->history, &merged);
    if (err == OF_HISTORY_E_SEQ_LIMIT && renumber(a)) {
        err = of_journal_merge(j, a->history, &more);
        merged += more;
    }
    app_log("ofnotify: %" PRIu64 " records merged from %s: %s\n", (uint64_t)merged, of_journal_path(j), of_history_error_text(err));
    a->store.merged += merged;
    if (merged) {
        size_t n = of_history_count(a->history);
        a->last = *of_history_get(a->history, n - 1);
        a->have_last = TRUE;
        historywnd_records_changed(a->wnd);
    }
    return err;
}

/* ---- in and out ---- */

void app_store_record(app *a, const of_record *rec)
{
    app_store *s = &a->store;
    if (s->held_count) {
        hold(s, rec); /* behind what already waits */
    } else if (in_journals(s) || !to_history(a, rec)) {
        /* Also while start-up has not opened the history (to_history does
         * not try then): the pass's End is answered once this returns, and
         * memory would lose it with the process. */
        if (!to_journal(a, rec))
            hold(s, rec);
        else if (a->history_deferred)
            s->unannounced++;
    }
    app_store_drain(a);
}

/* Passes that ended before start-up opened the history are news like any
 * other once they are in it: the last `count` records of the history. */
static void announce(app *a, size_t count)
{
    size_t n = of_history_count(a->history);
    for (size_t i = n - (count < n ? count : n); i < n; i++) {
        of_record rec = *of_history_get(a->history, i);
        app_notify_recorded(a, &rec);
    }
}

static void tell_user(app *a);

void app_store_drain(app *a)
{
    app_store *s = &a->store;
    size_t done = 0;
    if (a->history_deferred)
        return; /* start-up opens the history and drains */
    (void)journal(s, &s->beside, s->beside_path);
    (void)journal(s, &s->temp, s->temp_path);
    if (in_journals(s) && app_open_history(a)) {
        of_history_err err = merge(a, s->beside);
        if (err == OF_HISTORY_OK && !of_journal_count(s->beside))
            err = merge(a, s->temp);
        note_history(s, err);
    }
    /* Not merged now: the history is out of reach, and they are old news
     * by the time it is back. */
    if (s->unannounced && a->history && !in_journals(s))
        announce(a, s->unannounced);
    s->unannounced = 0;
    while (done < s->held_count) {
        const of_record *rec = &s->held[done];
        if ((in_journals(s) || !to_history(a, rec)) && !to_journal(a, rec))
            break;
        done++;
    }
    if (done) {
        memmove(s->held, s->held + done, (s->held_count - done) * sizeof(*s->held));
        s->held_count -= done;
    }
    if (!a->shut_down && (s->held_count || in_journals(s)))
        SetTimer(a->wnd, TIMER_HISTORY_RETRY, HISTORY_RETRY_MS, NULL);
    else
        KillTimer(a->wnd, TIMER_HISTORY_RETRY);
    tell_user(a);
}

void app_store_close(app *a)
{
    app_store *s = &a->store;
    if (s->held_count || s->held_lost) {
        app_log("ofnotify: %" PRIu64 " records could be kept neither in the history nor in a journal\n",
                (uint64_t)s->held_count + s->held_lost);
        eventlog_store_problem(EVENTLOG_STORE_LOST, a->history_path, s->held_count + s->held_lost, NULL,
                               of_history_error_text(s->history_err));
    }
    of_journal_close(s->beside);
    of_journal_close(s->temp);
    s->beside = s->temp = NULL;
    if (s->held)
        HeapFree(GetProcessHeap(), 0, s->held);
    s->held = NULL;
    s->held_count = s->held_cap = 0;
}

/* ---- the health, and its words ---- */

static store_problem problem_of(of_history_err err)
{
    switch (err) {
    case OF_HISTORY_OK: return STORE_OK;
    case OF_HISTORY_E_NEWER_VERSION: return STORE_NEWER_VERSION;
    case OF_HISTORY_E_ACCESS: return STORE_ACCESS;
    case OF_HISTORY_E_DISK_FULL: return STORE_DISK_FULL;
    case OF_HISTORY_E_SEQ_LIMIT: return STORE_SEQ_LIMIT;
    default: return STORE_FAILED;
    }
}

store_health app_store_health(const app *a)
{
    const app_store *s = &a->store;
    store_health h = {0};
    h.waiting = in_journals(s) + s->held_count;
    h.lost = s->held_lost;
    h.problem = s->history_tried ? problem_of(s->history_err) : STORE_OK;
    if (h.problem == STORE_OK && (s->held_lost || (s->held_count && !a->history_deferred)))
        h.problem = STORE_FAILED; /* the history opens, but what waits cannot go in */
    if (s->held_count && !a->history_deferred) {
        h.where = STORE_IN_MEMORY;
    } else if (of_journal_count(s->temp)) {
        h.where = STORE_IN_TEMP;
        h.journal_path = s->temp_path;
    } else if (of_journal_count(s->beside)) {
        h.where = STORE_IN_JOURNAL;
        h.journal_path = s->beside_path;
    } else if (h.problem != STORE_OK) {
        /* Nothing has come since the problem began: where it would go, as far
         * as it is known (a journal that cannot even be read will not take it). */
        h.where = s->beside ? STORE_IN_JOURNAL : s->temp ? STORE_IN_TEMP : STORE_IN_MEMORY;
        h.journal_path = s->beside ? s->beside_path : s->temp ? s->temp_path : NULL;
    }
    return h;
}

static void utf8_arg(const char *s, WCHAR *w, size_t cap)
{
    if (!winutil_utf8_to_wide(s, w, cap))
        w[0] = 0;
}

BOOL app_store_problem_text(const app *a, WCHAR *buf, size_t cap)
{
    static const UINT reason_ids[] = {
        [STORE_NEWER_VERSION] = IDS_STORE_NEWER_VERSION, [STORE_ACCESS] = IDS_STORE_ACCESS,
        [STORE_DISK_FULL] = IDS_STORE_DISK_FULL,         [STORE_SEQ_LIMIT] = IDS_STORE_SEQ_LIMIT,
        [STORE_FAILED] = IDS_STORE_FAILED,
    };
    store_health h = app_store_health(a);
    WCHAR path[STORE_PATH_CAP / 2], where[STORE_PATH_CAP / 2], first[TEXT_CAP], second[TEXT_CAP];
    buf[0] = 0;
    if (h.problem == STORE_OK)
        return FALSE;
    utf8_arg(a->history_path, path, ARRAYSIZE(path));
    winutil_load_message(reason_ids[h.problem], first, ARRAYSIZE(first), path);
    if (h.where == STORE_IN_MEMORY) {
        winutil_load_message(IDS_STORE_KEPT_MEMORY, second, ARRAYSIZE(second), (unsigned)h.waiting);
    } else {
        utf8_arg(h.journal_path, where, ARRAYSIZE(where));
        winutil_load_message(h.problem == STORE_NEWER_VERSION ? IDS_STORE_KEPT_UNTOUCHED : IDS_STORE_KEPT_JOURNAL,
                             second, ARRAYSIZE(second), where);
    }
    _snwprintf(buf, cap, L"%ls %ls", first, second);
    buf[cap - 1] = 0;
    return TRUE;
}

BOOL app_store_tip_line(const app *a, WCHAR *buf, size_t cap)
{
    store_health h = app_store_health(a);
    buf[0] = 0;
    if (h.problem == STORE_OK)
        return FALSE;
    winutil_load_message(IDS_TIP_STORE, buf, cap, (unsigned)h.waiting);
    return TRUE;
}

BOOL app_store_recovery_text(const app *a, WCHAR *buf, size_t cap)
{
    const app_store *s = &a->store;
    WCHAR line[TEXT_CAP], path[STORE_PATH_CAP / 2];
    size_t len = 0;
    buf[0] = 0;
    if (s->moved_to[0]) {
        utf8_arg(s->moved_to, path, ARRAYSIZE(path));
        winutil_load_message(IDS_STORE_RECOVERED_MOVED, line, ARRAYSIZE(line), path);
        len += _snwprintf(buf + len, cap - len, L"%ls%ls", len ? L" " : L"", line);
    }
    if (s->cut_to[0] && len < cap) {
        utf8_arg(s->cut_to, path, ARRAYSIZE(path));
        winutil_load_message(IDS_STORE_RECOVERED_CUT, line, ARRAYSIZE(line), path);
        len += _snwprintf(buf + len, cap - len, L"%ls%ls", len ? L" " : L"", line);
    }
    if (s->renumbered && len < cap) {
        winutil_load_message(IDS_STORE_RECOVERED_RENUMBERED, line, ARRAYSIZE(line), (unsigned)s->renumbered);
        len += _snwprintf(buf + len, cap - len, L"%ls%ls", len ? L" " : L"", line);
    }
    if (s->seq_renumbered && len < cap) {
        winutil_load_message(IDS_STORE_SEQ_RENUMBERED, line, ARRAYSIZE(line));
        len += _snwprintf(buf + len, cap - len, L"%ls%ls", len ? L" " : L"", line);
    }
    buf[cap - 1] = 0;
    return buf[0] != 0;
}

/* The Event Log, once per problem as the balloon: records wait (why, and
 * where), or they are all in the history again. */
static void log_event(app *a, const store_health *h)
{
    app_store *s = &a->store;
    char why[STORE_PATH_CAP + 128];
    if (h->problem == s->logged_problem && (h->problem == STORE_OK || h->where == s->logged_where))
        return;
    if (h->problem != STORE_OK) {
        snprintf(why, sizeof(why), "%s; kept in %s", of_history_error_text(s->history_err),
                 h->journal_path ? h->journal_path : "memory");
        eventlog_store_problem(EVENTLOG_STORE_WAITING, a->history_path, h->waiting, NULL, why);
        if (s->logged_problem == STORE_OK)
            s->merged_at_logged = s->merged;
    } else {
        eventlog_store_problem(EVENTLOG_STORE_WRITTEN, a->history_path, s->merged - s->merged_at_logged, NULL,
                               "merged");
    }
    s->logged_problem = h->problem;
    s->logged_where = h->where;
}

/* A balloon once per problem (again when it changes, or after it was fixed
 * and comes back) and once for what recovery did; the icon, tooltip and
 * banner follow the health as it is. */
static void tell_user(app *a)
{
    app_store *s = &a->store;
    store_health h = app_store_health(a);
    WCHAR title[128], body[TEXT_CAP];
    log_event(a, &h);
    if (h.problem != s->told_problem || (h.problem != STORE_OK && h.where != s->told_where)) {
        if (h.problem != STORE_OK && a->tray_shown && app_store_problem_text(a, body, ARRAYSIZE(body))) {
            winutil_load_message(IDS_STORE_BALLOON_TITLE, title, ARRAYSIZE(title));
            tray_balloon(a->wnd, title, body);
            a->balloon_conflicts = FALSE;
            app_log("ofnotify: told the user: %ls\n", body);
        }
        if (a->tray_shown || h.problem == STORE_OK) {
            s->told_problem = h.problem;
            s->told_where = h.where;
        }
        app_refresh_tray(a);
        app_store_problem_text(a, body, ARRAYSIZE(body));
        historywnd_set_banner(a->wnd, body);
    }
    if (!s->recovery_told && a->tray_shown && h.problem == STORE_OK &&
        app_store_recovery_text(a, body, ARRAYSIZE(body))) {
        winutil_load_message(IDS_STORE_RECOVERED_TITLE, title, ARRAYSIZE(title));
        tray_balloon(a->wnd, title, body);
        a->balloon_conflicts = FALSE;
        s->recovery_told = TRUE;
        app_log("ofnotify: told the user what recovery did\n");
    }
}
