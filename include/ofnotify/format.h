/* ofnotify: every text people read that is built from a record: balloons,
 * the history list's cells, durations.
 *
 * People see words from a string table the caller supplies (the app maps it
 * to STRINGTABLE resources in each language), so core holds no English.
 * Machines get JSON Lines and CSV with fixed words: see export.h.
 *
 * Output convention, shared by every function that returns size_t:
 *   - writes into (buf, cap) and returns the length the whole text needs,
 *     without the NUL, like snprintf; the text was cut when result >= cap;
 *   - always NUL-terminates when cap > 0; buf may be NULL when cap == 0
 *     (a NULL buf is treated as cap == 0, to measure);
 *   - output is always valid UTF-8: invalid bytes in any input become
 *     U+FFFD, and a cut never splits a character (so a cut text may be up
 *     to 3 bytes shorter than cap - 1);
 *   - 0 means nothing could be formatted (NULL record, status out of
 *     range, unknown time ...); buf is then "". Every successful text is
 *     at least one byte long.
 * export.h follows the same convention. */
#ifndef OFNOTIFY_FORMAT_H
#define OFNOTIFY_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "ofnotify/record.h"
#include "ofnotify/syncflags.h"

/* The export functions were declared here before they had export.h; callers
 * that include only this header still see them. */
#include "ofnotify/export.h"

/* ---- the string table ---------------------------------------------------
 *
 * Templates are UTF-8. Placeholders are positional so a translation can put
 * the arguments in any order:
 *   {1} ... {9}  argument 1 ... 9 (each may be used any number of times,
 *                or not at all)
 *   {{           a literal '{'   ('}' on its own is literal)
 * Arguments are inserted as they are; placeholders inside an argument are
 * not expanded. The comment on each id gives the English text and what the
 * arguments are.
 *
 * A template that is missing (get is NULL or returns NULL), empty, not valid
 * UTF-8, or malformed (a '{' not followed by '{' or by a digit 1..n and '}',
 * where n is of_text_arg_count(id)) is not used. Core then uses a built-in,
 * language-neutral stand-in: machine words ("two-way", "service-lost"), unit
 * symbols ("2 min 5 s"), flag names ("FLAG_SYNCIN"), "ofnotify" as a
 * balloon title, and arguments joined by " · ". Ugly but never wrong or
 * empty, so a broken translation cannot hide a notification.
 *
 * The numeric values are stable: the app's string resource ids are a base
 * plus these. Never renumber; add new ids just before OF_TEXT_COUNT. */
typedef enum of_text_id {
    /* Direction labels (no arguments). Same order as of_direction. */
    OF_TEXT_DIR_UNSPECIFIED = 0,  /* "Sync" */
    OF_TEXT_DIR_TWO_WAY = 1,      /* "Two-way" */
    OF_TEXT_DIR_TO_SERVER = 2,    /* "To server" */
    OF_TEXT_DIR_FROM_SERVER = 3,  /* "From server" */
    OF_TEXT_DIR_FILL_SPARSE = 4,  /* "Fill sparse" */

    /* Status labels for the history list. */
    OF_TEXT_STATUS_COMPLETED = 5,          /* "Completed" */
    OF_TEXT_STATUS_UNPAIRED = 6,           /* "Unpaired" */
    OF_TEXT_STATUS_INTERRUPTED = 7,        /* "Interrupted" */
    OF_TEXT_STATUS_INTERRUPTED_REASON = 8, /* "Interrupted ({1})"  {1} reason */

    /* Why a pass was interrupted. Same order as of_reason (from 1) up to
     * TIMEOUT; later reasons have ids after the flag labels (REASON_FAILED). */
    OF_TEXT_REASON_DATALOST = 9,     /* "events were lost" */
    OF_TEXT_REASON_SERVICE_LOST = 10, /* "service stopped" */
    OF_TEXT_REASON_SHUTDOWN = 11,    /* "ofnotify exited" */
    OF_TEXT_REASON_TIMEOUT = 12,     /* "timed out" */

    /* Durations; the arguments are whole numbers. */
    OF_TEXT_DURATION_SUBSECOND = 13, /* "< 1 s"          (none) */
    OF_TEXT_DURATION_S = 14,         /* "{1} s"          seconds */
    OF_TEXT_DURATION_MIN = 15,       /* "{1} min"        minutes */
    OF_TEXT_DURATION_MIN_S = 16,     /* "{1} min {2} s"  minutes, seconds */
    OF_TEXT_DURATION_H = 17,         /* "{1} h"          hours */
    OF_TEXT_DURATION_H_MIN = 18,     /* "{1} h {2} min"  hours, minutes */
    OF_TEXT_DURATION_D = 19,         /* "{1} d"          days */
    OF_TEXT_DURATION_D_H = 20,       /* "{1} d {2} h"    days, hours */

    /* Balloon for one pass. {1} direction label, {2} duration or reason. */
    OF_TEXT_BALLOON_TITLE_COMPLETED = 21,   /* "Background sync completed" */
    OF_TEXT_BALLOON_TITLE_INTERRUPTED = 22, /* "Background sync interrupted" */
    OF_TEXT_BALLOON_BODY_COMPLETED = 23,    /* "{1} sync finished in {2}" */
    OF_TEXT_BALLOON_BODY_UNPAIRED = 24,     /* "{1} sync finished" (duration unknown) */
    OF_TEXT_BALLOON_BODY_INTERRUPTED = 25,  /* "{1} sync did not finish: {2}" */

    /* Balloon for a burst of n >= 2 passes. */
    OF_TEXT_SUMMARY_TITLE_COMPLETED = 26,   /* "{1} background syncs completed"  {1} n */
    OF_TEXT_SUMMARY_TITLE_INTERRUPTED = 27, /* "{1} background syncs interrupted" {1} n */
    OF_TEXT_SUMMARY_TITLE_MIXED = 28,       /* "{1} background syncs, {2} interrupted" */
    OF_TEXT_SUMMARY_BODY = 29,              /* "Latest: {1}"  {1} body for the last pass */

    /* The Details column: flag labels joined by the separator, then the
     * conflict rule. Example: "Fill sparse, Sync in, Background · keep latest". */
    OF_TEXT_LIST_SEPARATOR = 30,    /* ", " */
    OF_TEXT_DETAILS_WITH_RULE = 31, /* "{1} · {2}"  {1} flag list, {2} rule */
    OF_TEXT_DETAILS_NONE = 32,      /* "No flags"   (flags == 0) */

    /* One label per flag bit, in bit order (no arguments). */
    OF_TEXT_FLAG_FILLSPARSE = 33,        /* "Fill sparse" */
    OF_TEXT_FLAG_SYNCIN = 34,            /* "Sync in" */
    OF_TEXT_FLAG_SYNCOUT = 35,           /* "Sync out" */
    OF_TEXT_FLAG_PINNEWFILES = 36,       /* "Pin new files" */
    OF_TEXT_FLAG_PINLINKTARGETS = 37,    /* "Pin link targets" */
    OF_TEXT_FLAG_PINFORUSER = 38,        /* "Pin for user" */
    OF_TEXT_FLAG_PINFORUSER_POLICY = 39, /* "Pin for user (policy)" */
    OF_TEXT_FLAG_PINFORALL = 40,         /* "Pin for all users" */
    OF_TEXT_FLAG_PINFORREDIR = 41,       /* "Pin for Folder Redirection" */
    OF_TEXT_FLAG_LOWPRIORITY = 42,       /* "Low priority" */
    OF_TEXT_FLAG_ASYNCPROGRESS = 43,     /* "Async progress" */
    OF_TEXT_FLAG_INTERACTIVE = 44,       /* "Interactive" */
    OF_TEXT_FLAG_CONSOLE = 45,           /* "Console" */
    OF_TEXT_FLAG_SKIPSUSPENDEDDIRS = 46, /* "Skip suspended folders" */
    OF_TEXT_FLAG_BACKGROUND = 47,        /* "Background" */
    OF_TEXT_FLAG_NONEWFILESOUT = 48,     /* "No new files out" */

    /* Conflict rules (the CR field). */
    OF_TEXT_RULE_KEEPLOCAL = 49,  /* "keep local" */
    OF_TEXT_RULE_KEEPREMOTE = 50, /* "keep remote" */
    OF_TEXT_RULE_KEEPLATEST = 51, /* "keep latest" */

    /* Why a pass was interrupted, continued (reasons added after TIMEOUT). */
    OF_TEXT_REASON_FAILED = 52, /* "sync failed" */

    /* A status this version does not know (a newer ofnotify wrote it). */
    OF_TEXT_STATUS_UNKNOWN = 53, /* "Unknown ({1})"  {1} the status number */

    /* Balloon titles for a pass the user started with Sync now (of_origin);
     * the body is the one of a background pass. */
    OF_TEXT_BALLOON_TITLE_SYNC_NOW_COMPLETED = 54,   /* "Sync now completed" */
    OF_TEXT_BALLOON_TITLE_SYNC_NOW_INTERRUPTED = 55, /* "Sync now did not finish" */

    OF_TEXT_COUNT
} of_text_id;

/* The caller's string table. get returns a UTF-8 template or NULL; the
 * pointer must stay valid until the format call returns. A NULL of_strings
 * pointer or a NULL get means "no table": every text uses the stand-in. */
typedef struct of_strings {
    const char *(*get)(void *ctx, of_text_id id);
    void *ctx;
} of_strings;

/* How many arguments the template for id takes (0..2); -1 if id is out of
 * range. Lets the app check its resources and translators check their work. */
int of_text_arg_count(of_text_id id);

/* 1 if tmpl would be used for id (see the rules above), else 0. */
int of_format_template_ok(of_text_id id, const char *tmpl);

/* Expand the template for id with args[0..nargs) (NULL args count as "").
 * nargs must equal of_text_arg_count(id), else 0 (nothing written). */
size_t of_format_text(const of_strings *s, of_text_id id, const char *const *args, size_t nargs,
                      char *buf, size_t cap);

/* ---- cells and balloons ------------------------------------------------ */

/* A duration as people read it, rounded down, largest two units, no zero
 * second unit: under 1000 ms "< 1 s", then "4 s", "2 min", "2 min 5 s",
 * "1 h", "1 h 3 min", "2 d", "2 d 4 h" (English table). */
size_t of_format_duration(const of_strings *s, uint64_t ms, char *buf, size_t cap);

/* "Two-way", "To server", ...; out of range gives the OF_DIR_UNSPECIFIED
 * label ("Sync"). */
size_t of_format_direction_label(const of_strings *s, of_direction d, char *buf, size_t cap);

/* "Completed", "Unpaired", "Interrupted (service stopped)". An interrupted
 * record with no or an unknown reason gives "Interrupted"; a status out of
 * range gives OF_TEXT_STATUS_UNKNOWN with its number ("Unknown (7)"). 0 for
 * a NULL record. */
size_t of_format_status_label(const of_strings *s, const of_record *r, char *buf, size_t cap);

/* The Details column for dwSyncControlFlags: flag labels in bit order joined
 * by OF_TEXT_LIST_SEPARATOR, unknown bits (of_syncflags_unknown) as one more
 * item "0x%08X", then OF_TEXT_DETAILS_WITH_RULE with the conflict rule if
 * one is set. Only a rule: the rule label alone. flags == 0: DETAILS_NONE. */
size_t of_format_details(const of_strings *s, uint32_t flags, char *buf, size_t cap);

/* Result of the balloon functions, which fill two buffers. */
#define OF_FORMAT_OK 0
#define OF_FORMAT_TRUNCATED 1 /* both NUL-terminated, at least one was cut */
#define OF_FORMAT_BAD_ARG (-1) /* nothing formatted; both buffers "" */

/* Title and body for one record:
 *   completed   "Background sync completed" / "Two-way sync finished in 12 s"
 *   unpaired    "Background sync completed" / "Two-way sync finished"
 *   interrupted "Background sync interrupted" / "Two-way sync did not finish: service stopped"
 * The direction comes from r->flags. An interrupted record with no or an
 * unknown reason uses the status label "Interrupted" as the reason.
 * OF_FORMAT_BAD_ARG for a NULL record or a status out of range. */
int of_format_balloon(const of_strings *s, const of_record *r, char *title, size_t title_cap,
                      char *body, size_t body_cap);

/* One balloon for recs[0..n): the title counts them (completed and unpaired
 * count as completed), the body is SUMMARY_BODY around the one-record body
 * of recs[n - 1] (the latest). n == 1 gives exactly of_format_balloon.
 * OF_FORMAT_BAD_ARG for recs NULL, n == 0, or any status out of range. */
int of_format_balloon_summary(const of_strings *s, const of_record *recs, size_t n, char *title,
                              size_t title_cap, char *body, size_t body_cap);

#endif
