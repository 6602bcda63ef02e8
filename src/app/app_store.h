/* ofnotify: where ended passes are kept, and the store's health, which every
 * surface (tray icon and tooltip, balloon, history window banner, About,
 * --status) reads from here and nowhere else.
 *
 * A record goes into the history when the history takes it. Until start-up
 * has opened the history (from the message loop: recovery may take long),
 * it goes to the spill journal beside it, silently, since nothing is wrong,
 * and is announced like any record once merged. When the history does not
 * take it (a newer version's file, access denied, a folder in its place, disk full,
 * numbers run out and cannot be renumbered), the record goes to the spill
 * journal beside the history (history.dat.journal), or, when that cannot be
 * written either, to the journal in the temporary folder named after the data
 * folder (core/journal.h), or, when even that fails, stays in memory, in
 * order, counted. Once the history takes records again, the journals are
 * merged into it (beside first: records move to the temporary folder only
 * while that one is empty, and back only once it is merged) and what memory
 * holds follows. Nothing is dropped.
 *
 * The user is told once per problem (a balloon), and for as long as it lasts
 * by the tray icon (the "trouble" state), a tooltip line, a banner in the
 * history window and a paragraph in About; the problem's text names the
 * file, the reason and what ofnotify does about it. What recovery did when
 * the history was opened (a damaged file kept aside, a cut tail kept, records
 * renumbered) is told once too. Main thread only. */
#ifndef OFNOTIFY_APP_STORE_H
#define OFNOTIFY_APP_STORE_H

#include <stdint.h>

#include <windows.h>

#include "ofnotify/history.h"
#include "ofnotify/journal.h"

/* Why the history does not take records. The numbers travel to --status. */
typedef enum store_problem {
    STORE_OK = 0,
    STORE_NEWER_VERSION, /* the file belongs to a newer ofnotify: left untouched */
    STORE_ACCESS,        /* access denied, in use, or not a file (a folder of that name) */
    STORE_DISK_FULL,
    STORE_SEQ_LIMIT,     /* numbers ran out and renumbering failed */
    STORE_FAILED,        /* anything else that stops opening or writing */
    STORE_PROBLEM_COUNT
} store_problem;

/* Where records that are not in the history wait. */
typedef enum store_where {
    STORE_IN_HISTORY = 0, /* nothing waits */
    STORE_IN_JOURNAL,     /* history.dat.journal */
    STORE_IN_TEMP,        /* the journal in the temporary folder */
    STORE_IN_MEMORY,      /* no journal could be written */
    STORE_WHERE_COUNT
} store_where;

#define STORE_PATH_CAP (MAX_PATH * 8)

typedef struct app_store {
    char beside_path[STORE_PATH_CAP]; /* UTF-8 */
    char temp_path[STORE_PATH_CAP];
    of_journal *beside; /* NULL until opened (or while it cannot be) */
    of_journal *temp;
    size_t unannounced; /* journaled before start-up opened the history: told once merged */
    of_record *held;    /* in memory, oldest first, after everything in the journals */
    size_t held_count, held_cap;
    uint64_t held_lost; /* records memory had no room for (only if allocation fails) */
    of_history_err history_err; /* the last open or append; OK: the history takes records */
    BOOL history_tried;         /* history_err is a real answer, not start-up's wait */
    /* What recovery did (history and journals), told once. */
    char moved_to[OF_HISTORY_REPORT_PATH_CAP];
    char cut_to[OF_HISTORY_REPORT_PATH_CAP];
    uint64_t renumbered;
    BOOL seq_renumbered; /* numbers ran out and the history was renumbered */
    BOOL recovery_told;
    /* The problem the last balloon was about (STORE_OK: none since it was fixed). */
    store_problem told_problem;
    store_where told_where;
    /* The Event Log hears of each problem once too, tray or not. */
    store_problem logged_problem;
    store_where logged_where;
    uint64_t merged;           /* records merged from journals since start */
    uint64_t merged_at_logged; /* ... when the problem was logged */
} app_store;

/* A snapshot of the health, for any surface. */
typedef struct store_health {
    store_problem problem;
    store_where where;
    uint64_t waiting;         /* records not yet in the history */
    uint64_t lost;            /* records that could not even be kept in memory */
    const char *journal_path; /* where they wait; NULL in memory or when nothing waits */
} store_health;

struct app;

/* Start-up, once history_path and data_dir are known: the journals' names,
 * and the journals left by an earlier run (merged once the history opens). */
void app_store_init(struct app *a);

/* Every ended pass: into the history, a journal or memory, in order. */
void app_store_record(struct app *a, const of_record *rec);

/* Merges the journals and writes what memory holds, if the history takes
 * records; keeps TIMER_HISTORY_RETRY running while anything waits; brings
 * every surface up to date. */
void app_store_drain(struct app *a);

/* app_open_history's outcome. */
void app_store_history_opened(struct app *a, const of_history_report *rep);
void app_store_history_failed(struct app *a, of_history_err err);

store_health app_store_health(const struct app *a);

/* The problem in full ("History file ... is from a newer version of
 * ofnotify. It is left untouched; new syncs are kept in ..."); FALSE (and
 * "") when the history takes records. */
BOOL app_store_problem_text(const struct app *a, WCHAR *buf, size_t cap);

/* The tooltip's short line; FALSE when there is no problem. */
BOOL app_store_tip_line(const struct app *a, WCHAR *buf, size_t cap);

/* What recovery did when the history was opened; FALSE when nothing. */
BOOL app_store_recovery_text(const struct app *a, WCHAR *buf, size_t cap);

/* Exit: the journals are closed; what memory still holds is logged. */
void app_store_close(struct app *a);

#endif
