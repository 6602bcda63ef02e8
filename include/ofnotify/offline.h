/* ofnotify: core/offline, which servers and shares the service has taken
 * offline, since when, and when that is worth a balloon.
 *
 * The service reports ItemDisconnected / ItemReconnected with an item type
 * (file, directory, share, server), NoNetTransports / NetTransportArrived for
 * the machine's whole network, and ItemReconnectBegin / End around its
 * attempts to bring scopes back. This module keeps the resulting state:
 *   * a scope is a server ("\\srv"), a share ("\\srv\projects") or the whole
 *     network (NoNetTransports; its path is empty);
 *   * file and directory events are ignored for the state (the service sends
 *     them for single items and they say nothing about reachability), as are
 *     unknown item types, empty paths and paths longer than
 *     OF_OFFLINE_PATH_MAX - 1: all return 0 ("nothing changed"), never an error;
 *   * a path is offline when its own scope, its server or the network is:
 *     a share under an offline server counts as offline;
 *   * a server coming back brings back the shares under it, because the
 *     service will not report them one by one;
 *   * paths compare without regard to ASCII case and trailing backslashes.
 *
 * Balloons (the grace period). A scope offline for at least grace_ms gets one
 * OF_OFFLINE_NOTICE_OFFLINE from of_offline_poll; when it comes back, and only
 * if that first notice went out, it gets one OF_OFFLINE_NOTICE_BACK. So a blip
 * shorter than the grace period stays quiet from start to end. The app's part:
 *     after every event and when its timer fires:
 *         while (of_offline_poll(o, now, &notice) == 1) show(&notice);
 *         if (of_offline_next_due(o, &due) == 1) arm one timer for due - now;
 *         else kill it.
 *
 * Ended periods are kept (the newest OF_OFFLINE_MAX_PERIODS) for the history
 * window's chart strip.
 *
 * Time is injected, never read here: mono_ms is a monotonic clock (the only
 * source of durations and of the grace period; a clock going backwards counts
 * as no time passed), wall_ms is the wall clock (ms since 1970-01-01 UTC),
 * kept for display only. Not thread-safe: the app drives it from its main
 * thread only. */
#ifndef OFNOTIFY_OFFLINE_H
#define OFNOTIFY_OFFLINE_H

#include <stddef.h>
#include <stdint.h>

/* The grace period's default: brief blips stay quiet. */
#define OF_OFFLINE_DEFAULT_GRACE_MS ((uint64_t)2 * 60 * 1000)

/* Longest path kept, with its terminating NUL (UTF-8). */
#define OF_OFFLINE_PATH_MAX 520

/* Scopes tracked at once. Beyond this a new scope is not tracked (the
 * event returns 0); the network scope always has room. */
#define OF_OFFLINE_MAX_SCOPES 32

/* Ended periods kept for display; the oldest goes first. */
#define OF_OFFLINE_MAX_PERIODS 64

/* OFFLINEFILES_ITEM_TYPE's values (the reference sheet, §4). */
typedef enum of_offline_item {
    OF_OFFLINE_ITEM_FILE = 0,
    OF_OFFLINE_ITEM_DIRECTORY = 1,
    OF_OFFLINE_ITEM_SHARE = 2,
    OF_OFFLINE_ITEM_SERVER = 3
} of_offline_item;

typedef enum of_offline_scope_kind {
    OF_OFFLINE_SCOPE_NETWORK = 0, /* no network transport at all; path is "" */
    OF_OFFLINE_SCOPE_SHARE = 2,
    OF_OFFLINE_SCOPE_SERVER = 3
} of_offline_scope_kind;

#define OF_OFFLINE_EINVAL (-1) /* NULL pointer or a state not set up; nothing changed */

/* One offline scope, or (with end_wall_ms set) a period that ended. */
typedef struct of_offline_scope {
    of_offline_scope_kind kind;
    char path[OF_OFFLINE_PATH_MAX]; /* without trailing backslashes; "" for the network */
    uint64_t since_mono_ms;
    int64_t since_wall_ms;
    uint64_t duration_ms; /* periods and BACK notices: how long it lasted */
    int64_t end_wall_ms;  /* periods and BACK notices: when it ended */
    int announced;        /* its OFFLINE notice went out */
} of_offline_scope;

typedef enum of_offline_notice_kind {
    OF_OFFLINE_NOTICE_OFFLINE = 1, /* offline longer than the grace period */
    OF_OFFLINE_NOTICE_BACK = 2     /* back online after an OFFLINE notice */
} of_offline_notice_kind;

typedef struct of_offline_notice {
    of_offline_notice_kind kind;
    of_offline_scope scope;
} of_offline_notice;

/* The state. Declared here so the app can own it without malloc; treat the
 * members as private and use the functions below. */
typedef struct of_offline {
    uint32_t magic;
    uint64_t grace_ms;
    int reconnecting;
    of_offline_scope scopes[OF_OFFLINE_MAX_SCOPES + 1]; /* +1: the network scope always fits */
    size_t count;
    of_offline_scope back[OF_OFFLINE_MAX_SCOPES + 1]; /* BACK notices not yet polled */
    size_t back_count;
    of_offline_scope periods[OF_OFFLINE_MAX_PERIODS]; /* ring, oldest at period_first */
    size_t period_first;
    size_t period_count;
} of_offline;

/* Sets up an empty state with the given grace period (0: a balloon as soon as
 * a scope goes offline). Returns 0, or OF_OFFLINE_EINVAL for NULL o. */
int of_offline_init(of_offline *o, uint64_t grace_ms);

/* A new grace period; applies to scopes offline now too. Returns 0 or
 * OF_OFFLINE_EINVAL. */
int of_offline_set_grace(of_offline *o, uint64_t grace_ms);

/* ItemDisconnected(path, type). A server or share goes offline; one that is
 * offline already keeps its first time. Returns 1 if the state changed, 0 if
 * not (see the ignored cases above), OF_OFFLINE_EINVAL for NULL o or path. */
int of_offline_item_disconnected(of_offline *o, const char *path, int item_type, uint64_t mono_ms,
                                 int64_t wall_ms);

/* ItemReconnected(path, type). The scope ends (a server: and its shares), and
 * every ended scope that was announced queues a BACK notice. Returns 1 if the
 * state changed, 0 if not, OF_OFFLINE_EINVAL for NULL o or path. */
int of_offline_item_reconnected(of_offline *o, const char *path, int item_type, uint64_t mono_ms,
                                int64_t wall_ms);

/* NoNetTransports: the network scope begins (every path is offline).
 * Returns 1 if the state changed, 0 if not, OF_OFFLINE_EINVAL. */
int of_offline_no_net(of_offline *o, uint64_t mono_ms, int64_t wall_ms);

/* NetTransportArrived: the network scope ends, like a reconnected scope.
 * Servers and shares stay offline until their own ItemReconnected. Returns 1
 * if the state changed, 0 if not, OF_OFFLINE_EINVAL. */
int of_offline_net_arrived(of_offline *o, uint64_t mono_ms, int64_t wall_ms);

/* ItemReconnectBegin / End: whether the service is trying to bring scopes
 * back. Return 1 if that changed, 0 if not, OF_OFFLINE_EINVAL. */
int of_offline_reconnect_begin(of_offline *o);
int of_offline_reconnect_end(of_offline *o);
int of_offline_reconnecting(const of_offline *o); /* 0 for NULL o */

/* The service went away: what it said no longer holds. Every scope ends as a
 * period, without BACK notices (nothing is known to be back); pending
 * notices are dropped. Returns 0 or OF_OFFLINE_EINVAL. */
int of_offline_forget(of_offline *o, uint64_t mono_ms, int64_t wall_ms);

/* How many scopes are offline (0 for NULL o), and scope number index, oldest
 * first, copied to *out. of_offline_get returns 0, or OF_OFFLINE_EINVAL if o
 * or out is NULL or index is out of range. */
size_t of_offline_count(const of_offline *o);
int of_offline_get(const of_offline *o, size_t index, of_offline_scope *out);

/* Whether path is offline: its own scope, its server or the network is.
 * 1 yes, 0 no (also for NULL o or path). */
int of_offline_is_offline(const of_offline *o, const char *path);

/* The next notice: BACK notices first (they are news at once), then OFFLINE
 * notices of scopes offline for at least the grace period, oldest first.
 * Returns 1 and fills *out, 0 when nothing is due, OF_OFFLINE_EINVAL for NULL
 * o or out. */
int of_offline_poll(of_offline *o, uint64_t mono_ms, of_offline_notice *out);

/* When of_offline_poll next has work: returns 1 and sets *due_mono_ms (0 when
 * a BACK notice waits; sums saturate at UINT64_MAX), 0 when nothing will
 * fall due without another event, OF_OFFLINE_EINVAL for NULL arguments. */
int of_offline_next_due(const of_offline *o, uint64_t *due_mono_ms);

/* Ended periods, oldest first (index 0 .. count - 1). of_offline_period_get
 * returns 0, or OF_OFFLINE_EINVAL if o or out is NULL or index is out of range. */
size_t of_offline_period_count(const of_offline *o);
int of_offline_period_get(const of_offline *o, size_t index, of_offline_scope *out);

#endif
