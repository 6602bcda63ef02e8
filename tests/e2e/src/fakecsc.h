/* e2e: the fake Offline Files service, private interfaces between its files.
 *
 *   fakelog.c      the line log tests read (shared with fakectl)
 *   fakecsc_obj.c  the COM side: class factory, cache object, the four
 *                  connection points, Advise (filter, levels, registration)
 *   fakecsc_fire.c the subscriptions: one queue and delivery thread each
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
 * multiple use) in the calling thread's apartment, which must be the MTA.
 * Reads which connection points to offer (FK_OFFER_KEY) first. */
HRESULT fk_obj_register(void);
void fk_obj_revoke(void);

/* Where fakectl leaves the highest connection point level the next service
 * process offers (HKLM, REG_DWORD 1..4, default 4): 1 plays a service that
 * has only the IOfflineFilesEvents point. Read once at service start, so a
 * restart keeps it. */
#define FK_OFFER_KEY L"Software\\ofnotify-e2e\\fakecsc"
#define FK_OFFER_VALUE L"HighestConnectionPoint"

/* fakectl advise-pass FLAGS MS leaves these beside it (REG_DWORD; a
 * service start removes them): every Advise, once it has registered the
 * subscription, delivers one background pass with FLAGS to it before it
 * returns, then holds its return for MS ms. The real service may call a
 * sink before the subscriber's Advise has returned (its events are queued to
 * a thread pool as soon as the sink is registered); this makes it certain.
 * Read at each Advise, so a restart keeps it. */
#define FK_ADVISE_PASS_VALUE L"AdvisePass"
#define FK_ADVISE_HOLD_VALUE L"AdviseHoldMs"

/* ---- fakecsc_fire.c ---- */

/* The interface levels: 1 = IOfflineFilesEvents ... 4 = IOfflineFilesEvents4. */
#define FK_LEVELS 4
const IID *fk_level_iid(int level);
const char *fk_level_name(int level);
/* The level whose interface declares the method of an event code (reference
 * §4); 0 for a code out of range. A connection point of level L carries the
 * events of levels 1..L (EventDispatcher_InterfaceSupportsEvent). */
int fk_event_level(int code);
/* The event's method name ("BackgroundSyncBegin"), or NULL. */
const char *fk_event_name(int code);

/* Why a subscription does not get an event (0: it does). The filter is
 * asked first, then the level, as EventDispatcher_RegisterConnection does. */
enum { FK_DELIVER, FK_DECLINE_EXCLUDED, FK_DECLINE_NOT_INCLUDED, FK_DECLINE_LEVEL };

/* One subscription as Advise registered it (EventDispatcher_RegisterConnection). */
typedef struct fk_conn_spec {
    DWORD cookie;
    int level;                               /* its connection point's level */
    IOfflineFilesEvents *iface[FK_LEVELS];   /* the sink's Events..EventsN (to level), AddRef'd; taken over */
    BYTE decline[OFFLINEFILES_NUM_EVENTS];   /* FK_DELIVER or why not, per event code */
    BOOL has_path;
    OFFLINEFILES_PATHFILTER_MATCH match;
    WCHAR path[FK_PATH_MAX];
} fk_conn_spec;

/* A fresh cookie (never 0, never reused in this process). */
DWORD fk_conn_new_cookie(void);

/* Adds the subscription and starts its delivery thread (MTA). Takes the
 * interfaces in every case. CONNECT_E_ADVISELIMIT when FK_MAX_SINKS exist. */
HRESULT fk_conn_add(fk_conn_spec *spec);

/* Unadvise: removes the subscription of cookie made on the point of level;
 * FALSE if there is none. Its thread ends after the call it may be in. */
BOOL fk_conn_remove(DWORD cookie, int level);

/* Subscriptions now. */
LONG fk_conn_count(void);

/* Handle Advise signals once it has logged a new subscription (auto-reset),
 * so a waiter can recount. */
HANDLE fk_conn_advise_event(void);

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
    unsigned long calls;    /* calls made on sinks (retries included) */
    unsigned long filtered; /* deliveries declined: filter or connection point level */
    unsigned long failed;   /* calls that returned a failure */
    unsigned long long call_us; /* time spent inside those calls */
} fk_fire_stats;

/* Queues ev on every subscription that registered it, in cookie order, and
 * returns once each subscription's thread has delivered it (or dropped it),
 * so a script's lines reach every sink in order and counts are complete.
 * Every call, every declined delivery and every drop is one log line. */
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
