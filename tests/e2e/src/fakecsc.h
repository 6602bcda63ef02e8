/* e2e: the fake Offline Files service, private interfaces between its files.
 *
 *   fakelog.c      the line log tests read (shared with fakectl)
 *   fakecsc_obj.c  the COM side: class factory, cache object, connection
 *                  point, the table of advised sinks and their filters
 *   fakecsc_fire.c delivering one event to every sink the filter lets through
 *   fakecsc_items.c the cache's items: the servers EnumItems lists, their shares
 *   fakecsc_sync.c IOfflineFilesCache::Synchronize, run on a worker thread
 *   fakecsc_main.c the service itself and the control pipe
 */
#ifndef OFN_E2E_FAKECSC_H
#define OFN_E2E_FAKECSC_H

#ifndef COBJMACROS
#define COBJMACROS
#endif
#ifndef CONST_VTABLE
#define CONST_VTABLE
#endif
#include <windows.h>
#include <ole2.h>
#include <olectl.h>

#include "offlinefiles.h"
#include "scn.h"

/* Most sinks advised at once (the tests use one to three). */
#define FK_MAX_SINKS 32

/* Longest path the fake sends, in UTF-16 units with the NUL, and the bytes
 * that path can take as UTF-8 in the log. */
#define FK_PATH_MAX 520
#define FK_PATH_BYTES (FK_PATH_MAX * 3 + 1)

/* ---- fakelog.c ---- */

/* Opens <directory of this exe>\fakecsc.log for appending (created if
 * missing). Lines from several processes interleave whole, because each is
 * one append write. Returns FALSE if the file cannot be opened; fk_log then
 * writes to stderr only. */
BOOL fk_log_open(void);

/* One printf-style line, prefixed with the UTC time and the process id;
 * written (and so visible to readers) before fk_log returns. Thread-safe. */
void fk_log(const char *fmt, ...) __attribute__((format(gnu_printf, 1, 2)));

/* A UTF-16 string as UTF-8 for the log, truncated to fit buf (always
 * NUL-terminated; "(null)" for NULL). */
const char *fk_utf8(const WCHAR *w, char *buf, int cap);

/* ---- fakecsc_obj.c ---- */

/* Registers the class object for CLSID_OfflineFilesCache (local server,
 * multiple use) in the calling thread's apartment, which must be the MTA. */
HRESULT fk_obj_register(void);
void fk_obj_revoke(void);

/* Number of advised sinks now. */
LONG fk_obj_sink_count(void);

/* Handle signalled after every Advise (auto-reset), so a waiter can recount. */
HANDLE fk_obj_advise_event(void);

/* A snapshot of one advised sink, for delivering an event without holding
 * the table lock during the call. events is AddRef'd; fk_obj_put releases. */
typedef struct fk_sink_view {
    DWORD cookie;
    int level;                  /* highest IOfflineFilesEventsN the sink answered, 1..4 */
    IOfflineFilesEvents *events; /* the interface of that level, as its base */
    BOOL has_include, has_exclude, has_path;
    BYTE include[OFFLINEFILES_NUM_EVENTS];
    BYTE exclude[OFFLINEFILES_NUM_EVENTS];
    OFFLINEFILES_PATHFILTER_MATCH match;
    WCHAR path[FK_PATH_MAX];
} fk_sink_view;

/* Copies up to cap sinks into out (in cookie order) and returns how many. */
int fk_obj_get(fk_sink_view *out, int cap);
void fk_obj_put(fk_sink_view *views, int n);

/* Forgets a sink whose process is gone (a call failed with an RPC error),
 * as the real service drops subscribers whose Ping fails. */
void fk_obj_drop(DWORD cookie, HRESULT why);

/* ---- fakecsc_fire.c ---- */

/* One event as the script (or a sync of the fake) asked for it. path is
 * NULL for events without one; sync_id NULL means GUID_NULL. */
typedef struct fk_event {
    OFFLINEFILES_EVENTS code;
    const WCHAR *path;
    DWORD flags;
    HRESULT hr;
    const GUID *sync_id;
} fk_event;

typedef struct fk_fire_stats {
    unsigned long calls;    /* calls made on sinks */
    unsigned long filtered; /* deliveries the filters or interface levels held back */
    unsigned long failed;   /* calls that returned a failure */
    unsigned long long call_us; /* time spent inside those calls */
} fk_fire_stats;

/* Delivers ev to every advised sink that should get it, in cookie order,
 * logging each call and each held-back delivery. Call from an MTA thread. */
void fk_fire(const fk_event *ev, fk_fire_stats *stats);

/* Errors that mean the other process (or its apartment) is gone. */
BOOL fk_peer_is_gone(HRESULT hr);

/* ---- fakecsc_sync.c ---- */

/* How the fake's cache and its Synchronize behave; the script sets it with
 * the sync-* lines, a new service process starts from the defaults. */
typedef struct fk_sync_config {
    unsigned servers;  /* \\fs01 ... listed by EnumItems, each with two shares (default 2) */
    unsigned files;    /* files per path Synchronize is given, a share (default 3) */
    unsigned delay_ms; /* spent on each file (default 20) */
    HRESULT fail_hr;   /* a failure: the sync ends with it after its first file (default S_OK) */
} fk_sync_config;

fk_sync_config fk_sync_get_config(void);

/* A sync-* line of a play request (sync-servers, -files, -delay, -fail). */
void fk_sync_configure(scn_op op, uint32_t value);

/* sync-wait: waits until no sync of the fake runs, at most ms. TRUE if none
 * runs; the log says how long it waited either way. */
BOOL fk_sync_wait(DWORD ms);

/* IOfflineFilesCache::Synchronize (the arguments as received). */
HRESULT fk_sync_synchronize(HWND hwnd, LPCWSTR *paths, ULONG n, BOOL async, DWORD flags,
                            IOfflineFilesSyncConflictHandler *handler, IOfflineFilesSyncProgress *progress,
                            const GUID *sync_id);

/* The path of server number i (0-based): \\fs01, \\fs02 ... */
void fk_sync_server_path(unsigned i, WCHAR *out, size_t cap);

/* ---- fakecsc_items.c ---- */

/* IOfflineFilesItemContainer::EnumItems on the cache: an enumerator of the
 * configured servers, as they are now. Each server item answers
 * IOfflineFilesItemContainer too; its EnumItems lists \\fsNN\projects and
 * \\fsNN\home. */
HRESULT fk_items_enum_servers(DWORD query_flags, IEnumOfflineFilesItems **out);

#endif
