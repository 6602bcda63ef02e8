/* e2e: the fake service's subscriptions and how events reach them, the way
 * Windows' cscsvc.dll does it (reference §5.1, §5.3):
 *
 *   - Advise (fakecsc_obj.c) registers a subscription for the events its
 *     filter includes and its connection point's level carries; every other
 *     event is declined for it ("reason=filter" or "reason=level");
 *   - a path filter holds back events whose path is outside it (events
 *     without a path are not affected);
 *   - each subscription has its own queue and delivery thread in the MTA
 *     (EventQueue_QueueWorkItem, EventQueue_PacketProcessingProc), so its
 *     events arrive in order and a slow sink does not hold up the others;
 *   - a call failing with RPC_E_DISCONNECTED drops the subscription at once;
 *     RPC errors 1722, 1726 and 1727 are retried FK_RETRIES times, then the
 *     subscription is dropped; any other failure drops only that event.
 *
 * Every call, declined delivery, retry and drop is one log line. */
#include "fakecsc.h"

#include <stdio.h>
#include <string.h>

/* The real service's retry count (DispatchMaxEventRetries) is not known;
 * a small fixed number behaves the same for a test. */
#define FK_RETRIES 3

/* ------------------------------------------------------------ levels */

static const IID *const level_iids[FK_LEVELS] = {&IID_IOfflineFilesEvents, &IID_IOfflineFilesEvents2,
                                                 &IID_IOfflineFilesEvents3, &IID_IOfflineFilesEvents4};
static const char *const level_names[FK_LEVELS] = {"IOfflineFilesEvents", "IOfflineFilesEvents2",
                                                   "IOfflineFilesEvents3", "IOfflineFilesEvents4"};

/* Per event code: the method and the level of the interface declaring it. */
static const struct event_info {
    const char *name;
    int level;
} events[OFFLINEFILES_NUM_EVENTS] = {
    [OFFLINEFILES_EVENT_CACHEMOVED] = {"CacheMoved", 1},
    [OFFLINEFILES_EVENT_CACHEISFULL] = {"CacheIsFull", 1},
    [OFFLINEFILES_EVENT_CACHEISCORRUPTED] = {"CacheIsCorrupted", 1},
    [OFFLINEFILES_EVENT_ENABLED] = {"Enabled", 1},
    [OFFLINEFILES_EVENT_ENCRYPTIONCHANGED] = {"EncryptionChanged", 1},
    [OFFLINEFILES_EVENT_SYNCBEGIN] = {"SyncBegin", 1},
    [OFFLINEFILES_EVENT_SYNCFILERESULT] = {"SyncFileResult", 1},
    [OFFLINEFILES_EVENT_SYNCCONFLICTRECADDED] = {"SyncConflictRecAdded", 1},
    [OFFLINEFILES_EVENT_SYNCCONFLICTRECUPDATED] = {"SyncConflictRecUpdated", 1},
    [OFFLINEFILES_EVENT_SYNCCONFLICTRECREMOVED] = {"SyncConflictRecRemoved", 1},
    [OFFLINEFILES_EVENT_SYNCEND] = {"SyncEnd", 1},
    [OFFLINEFILES_EVENT_BACKGROUNDSYNCBEGIN] = {"BackgroundSyncBegin", 2},
    [OFFLINEFILES_EVENT_BACKGROUNDSYNCEND] = {"BackgroundSyncEnd", 2},
    [OFFLINEFILES_EVENT_NETTRANSPORTARRIVED] = {"NetTransportArrived", 1},
    [OFFLINEFILES_EVENT_NONETTRANSPORTS] = {"NoNetTransports", 1},
    [OFFLINEFILES_EVENT_ITEMDISCONNECTED] = {"ItemDisconnected", 1},
    [OFFLINEFILES_EVENT_ITEMRECONNECTED] = {"ItemReconnected", 1},
    [OFFLINEFILES_EVENT_ITEMAVAILABLEOFFLINE] = {"ItemAvailableOffline", 1},
    [OFFLINEFILES_EVENT_ITEMNOTAVAILABLEOFFLINE] = {"ItemNotAvailableOffline", 1},
    [OFFLINEFILES_EVENT_ITEMPINNED] = {"ItemPinned", 1},
    [OFFLINEFILES_EVENT_ITEMNOTPINNED] = {"ItemNotPinned", 1},
    [OFFLINEFILES_EVENT_ITEMMODIFIED] = {"ItemModified", 1},
    [OFFLINEFILES_EVENT_ITEMADDEDTOCACHE] = {"ItemAddedToCache", 1},
    [OFFLINEFILES_EVENT_ITEMDELETEDFROMCACHE] = {"ItemDeletedFromCache", 1},
    [OFFLINEFILES_EVENT_ITEMRENAMED] = {"ItemRenamed", 1},
    [OFFLINEFILES_EVENT_DATALOST] = {"DataLost", 1},
    [OFFLINEFILES_EVENT_PING] = {"Ping", 1},
    [OFFLINEFILES_EVENT_ITEMRECONNECTBEGIN] = {"ItemReconnectBegin", 2},
    [OFFLINEFILES_EVENT_ITEMRECONNECTEND] = {"ItemReconnectEnd", 2},
    [OFFLINEFILES_EVENT_CACHEEVICTBEGIN] = {"CacheEvictBegin", 2},
    [OFFLINEFILES_EVENT_CACHEEVICTEND] = {"CacheEvictEnd", 2},
    [OFFLINEFILES_EVENT_POLICYCHANGEDETECTED] = {"PolicyChangeDetected", 2},
    [OFFLINEFILES_EVENT_PREFERENCECHANGEDETECTED] = {"PreferenceChangeDetected", 2},
    [OFFLINEFILES_EVENT_SETTINGSCHANGESAPPLIED] = {"SettingsChangesApplied", 2},
    [OFFLINEFILES_EVENT_TRANSPARENTCACHEITEMNOTIFY] = {"TransparentCacheItemNotify", 3},
    [OFFLINEFILES_EVENT_PREFETCHFILEBEGIN] = {"PrefetchFileBegin", 3},
    [OFFLINEFILES_EVENT_PREFETCHFILEEND] = {"PrefetchFileEnd", 3},
    [OFFLINEFILES_EVENT_PREFETCHCLOSEHANDLEBEGIN] = {"PrefetchCloseHandleBegin", 4},
    [OFFLINEFILES_EVENT_PREFETCHCLOSEHANDLEEND] = {"PrefetchCloseHandleEnd", 4},
};

const IID *fk_level_iid(int level)
{
    return level >= 1 && level <= FK_LEVELS ? level_iids[level - 1] : NULL;
}

const char *fk_level_name(int level)
{
    return level >= 1 && level <= FK_LEVELS ? level_names[level - 1] : "?";
}

int fk_event_level(int code)
{
    return code >= 0 && code < OFFLINEFILES_NUM_EVENTS ? events[code].level : 0;
}

const char *fk_event_name(int code)
{
    return code >= 0 && code < OFFLINEFILES_NUM_EVENTS ? events[code].name : NULL;
}

/* ----------------------------------------------------- subscriptions */

/* One event waiting in a subscription's queue. It lives in fk_fire's
 * frame, which waits until every packet it queued is done. */
typedef struct packet {
    struct packet *next;
    const fk_event *ev;
    const char *args;
    volatile LONG *pending; /* fk_fire's count of packets not done yet */
    HANDLE all_done;        /* set when that count reaches 0 */
    unsigned long calls, failed;
    unsigned long long us;
} packet;

typedef struct conn {
    LONG refs;               /* the table, the delivery thread, fk_fire snapshots */
    fk_conn_spec spec;
    CRITICAL_SECTION lock;   /* guards the queue and closed */
    packet *head, *tail;
    HANDLE wake;             /* auto-reset: a packet was queued or the subscription closed */
    BOOL closed;             /* unadvised or dropped: nothing more is delivered */
} conn;

static INIT_ONCE init_once = INIT_ONCE_STATIC_INIT;
static CRITICAL_SECTION table_lock;
static conn *table[FK_MAX_SINKS];
static DWORD next_cookie = 1;
static HANDLE advise_event;

static BOOL CALLBACK init_table(INIT_ONCE *once, void *param, void **ctx)
{
    (void)once, (void)param, (void)ctx;
    InitializeCriticalSection(&table_lock);
    advise_event = CreateEventW(NULL, FALSE, FALSE, NULL);
    return TRUE;
}

static void ensure_init(void)
{
    InitOnceExecuteOnce(&init_once, init_table, NULL, NULL);
}

static void conn_release(conn *c)
{
    int i;
    if (InterlockedDecrement(&c->refs) != 0)
        return;
    for (i = 0; i < FK_LEVELS; i++)
        if (c->spec.iface[i])
            IOfflineFilesEvents_Release(c->spec.iface[i]);
    DeleteCriticalSection(&c->lock);
    CloseHandle(c->wake);
    HeapFree(GetProcessHeap(), 0, c);
}

static LONG count_locked(void)
{
    LONG n = 0;
    int i;
    for (i = 0; i < FK_MAX_SINKS; i++)
        n += table[i] != NULL;
    return n;
}

LONG fk_conn_count(void)
{
    LONG n;
    ensure_init();
    EnterCriticalSection(&table_lock);
    n = count_locked();
    LeaveCriticalSection(&table_lock);
    return n;
}

HANDLE fk_conn_advise_event(void)
{
    ensure_init();
    return advise_event;
}

DWORD fk_conn_new_cookie(void)
{
    DWORD cookie;
    ensure_init();
    EnterCriticalSection(&table_lock);
    cookie = next_cookie++;
    LeaveCriticalSection(&table_lock);
    return cookie;
}

/* Takes c out of the table (if still there) and closes it; returns how
 * many subscriptions are left, or -1 if c was not in the table. */
static LONG unlink_conn(conn *c)
{
    LONG left = -1;
    BOOL found = FALSE;
    int i;
    EnterCriticalSection(&table_lock);
    for (i = 0; i < FK_MAX_SINKS; i++) {
        if (table[i] == c) {
            table[i] = NULL;
            found = TRUE;
            break;
        }
    }
    if (found)
        left = count_locked();
    LeaveCriticalSection(&table_lock);
    if (!found)
        return -1;
    EnterCriticalSection(&c->lock);
    c->closed = TRUE;
    LeaveCriticalSection(&c->lock);
    SetEvent(c->wake);
    conn_release(c); /* the table's reference */
    return left;
}

static void packet_done(packet *p)
{
    if (InterlockedDecrement(p->pending) == 0)
        SetEvent(p->all_done);
}

/* ----------------------------------------------------------- calling */

static const char *item_type_name(DWORD type)
{
    static const char *const names[] = {"FILE", "DIRECTORY", "SHARE", "SERVER"};
    return type < ARRAYSIZE(names) ? names[type] : "?";
}

/* The arguments as the log shows them. */
static void describe_args(const fk_event *ev, char *buf, size_t cap)
{
    char p8[FK_PATH_BYTES], id8[40] = "GUID_NULL";
    WCHAR id[40];
    const char *path = fk_utf8(ev->path, p8, sizeof p8);
    if (ev->sync_id && !IsEqualGUID(ev->sync_id, &GUID_NULL) && StringFromGUID2(ev->sync_id, id, 40))
        fk_utf8(id, id8, sizeof id8);
    switch (ev->code) {
    case OFFLINEFILES_EVENT_BACKGROUNDSYNCBEGIN:
    case OFFLINEFILES_EVENT_BACKGROUNDSYNCEND:
        snprintf(buf, cap, "0x%08lX", (unsigned long)ev->flags);
        break;
    case OFFLINEFILES_EVENT_SYNCBEGIN:
        snprintf(buf, cap, "%s", id8);
        break;
    case OFFLINEFILES_EVENT_SYNCEND:
        snprintf(buf, cap, "%s, 0x%08lX", id8, (unsigned long)ev->hr);
        break;
    case OFFLINEFILES_EVENT_SYNCFILERESULT:
        snprintf(buf, cap, "%s, %s, 0x%08lX", id8, path, (unsigned long)ev->hr);
        break;
    case OFFLINEFILES_EVENT_SYNCCONFLICTRECADDED:
    case OFFLINEFILES_EVENT_SYNCCONFLICTRECUPDATED:
    case OFFLINEFILES_EVENT_SYNCCONFLICTRECREMOVED:
        snprintf(buf, cap, "%s, now, FileChangedOnClient_ChangedOnServer", path);
        break;
    case OFFLINEFILES_EVENT_ITEMMODIFIED:
        snprintf(buf, cap, "%s, FILE, TRUE, FALSE", path);
        break;
    case OFFLINEFILES_EVENT_ITEMPINNED:
        snprintf(buf, cap, "%s, FILE", path);
        break;
    case OFFLINEFILES_EVENT_ITEMDISCONNECTED:
    case OFFLINEFILES_EVENT_ITEMRECONNECTED:
        snprintf(buf, cap, "%s, %s", path, item_type_name(ev->flags));
        break;
    default:
        if (cap)
            buf[0] = '\0';
        break;
    }
}

/* Makes the call through the sink's interface of the level that declares
 * the method (the subscription holds it: the event was registered). */
static HRESULT call_sink(const conn *c, const fk_event *ev)
{
    const GUID *id = ev->sync_id ? ev->sync_id : &GUID_NULL;
    IOfflineFilesEvents *e1 = c->spec.iface[0];
    IOfflineFilesEvents2 *e2 = (IOfflineFilesEvents2 *)c->spec.iface[1];
    FILETIME now;
    switch (ev->code) {
    case OFFLINEFILES_EVENT_SYNCBEGIN:
        return IOfflineFilesEvents_SyncBegin(e1, id);
    case OFFLINEFILES_EVENT_SYNCEND:
        return IOfflineFilesEvents_SyncEnd(e1, id, ev->hr);
    case OFFLINEFILES_EVENT_SYNCFILERESULT:
        return IOfflineFilesEvents_SyncFileResult(e1, id, ev->path, ev->hr);
    /* The three conflict events carry the conflict log's time (UTC) and the
     * item's sync state; IOfflineFilesEvents declares them (slots 10-12). */
    case OFFLINEFILES_EVENT_SYNCCONFLICTRECADDED:
        GetSystemTimeAsFileTime(&now);
        return IOfflineFilesEvents_SyncConflictRecAdded(e1, ev->path, &now,
                                                        OFFLINEFILES_SYNC_STATE_FileChangedOnClient_ChangedOnServer);
    case OFFLINEFILES_EVENT_SYNCCONFLICTRECUPDATED:
        GetSystemTimeAsFileTime(&now);
        return IOfflineFilesEvents_SyncConflictRecUpdated(e1, ev->path, &now,
                                                          OFFLINEFILES_SYNC_STATE_FileChangedOnClient_ChangedOnServer);
    case OFFLINEFILES_EVENT_SYNCCONFLICTRECREMOVED:
        GetSystemTimeAsFileTime(&now);
        return IOfflineFilesEvents_SyncConflictRecRemoved(e1, ev->path, &now,
                                                          OFFLINEFILES_SYNC_STATE_FileChangedOnClient_ChangedOnServer);
    case OFFLINEFILES_EVENT_NETTRANSPORTARRIVED:
        return IOfflineFilesEvents_NetTransportArrived(e1);
    case OFFLINEFILES_EVENT_NONETTRANSPORTS:
        return IOfflineFilesEvents_NoNetTransports(e1);
    case OFFLINEFILES_EVENT_ITEMDISCONNECTED:
        return IOfflineFilesEvents_ItemDisconnected(e1, ev->path, (OFFLINEFILES_ITEM_TYPE)ev->flags);
    case OFFLINEFILES_EVENT_ITEMRECONNECTED:
        return IOfflineFilesEvents_ItemReconnected(e1, ev->path, (OFFLINEFILES_ITEM_TYPE)ev->flags);
    case OFFLINEFILES_EVENT_ITEMMODIFIED:
        return IOfflineFilesEvents_ItemModified(e1, ev->path, OFFLINEFILES_ITEM_TYPE_FILE, TRUE, FALSE);
    case OFFLINEFILES_EVENT_ITEMPINNED:
        return IOfflineFilesEvents_ItemPinned(e1, ev->path, OFFLINEFILES_ITEM_TYPE_FILE);
    case OFFLINEFILES_EVENT_DATALOST:
        return IOfflineFilesEvents_DataLost(e1);
    case OFFLINEFILES_EVENT_PING:
        return IOfflineFilesEvents_Ping(e1);
    case OFFLINEFILES_EVENT_ITEMRECONNECTBEGIN:
        return e2 ? IOfflineFilesEvents2_ItemReconnectBegin(e2) : E_UNEXPECTED;
    case OFFLINEFILES_EVENT_ITEMRECONNECTEND:
        return e2 ? IOfflineFilesEvents2_ItemReconnectEnd(e2) : E_UNEXPECTED;
    case OFFLINEFILES_EVENT_BACKGROUNDSYNCBEGIN:
        return e2 ? IOfflineFilesEvents2_BackgroundSyncBegin(e2, ev->flags) : E_UNEXPECTED;
    case OFFLINEFILES_EVENT_BACKGROUNDSYNCEND:
        return e2 ? IOfflineFilesEvents2_BackgroundSyncEnd(e2, ev->flags) : E_UNEXPECTED;
    default:
        return E_NOTIMPL;
    }
}

BOOL fk_peer_is_gone(HRESULT hr)
{
    switch ((unsigned long)hr) {
    case 0x80010108ul: /* RPC_E_DISCONNECTED */
    case 0x80010007ul: /* RPC_E_SERVER_DIED */
    case 0x80010012ul: /* RPC_E_SERVER_DIED_DNE */
    case 0x800401FDul: /* CO_E_OBJNOTCONNECTED */
    case 0x800706BAul: /* RPC_S_SERVER_UNAVAILABLE */
    case 0x800706BEul: /* RPC_S_CALL_FAILED */
    case 0x800706BFul: /* RPC_S_CALL_FAILED_DNE */
        return TRUE;
    default:
        return FALSE;
    }
}

/* The errors EventQueue_PacketProcessingProc tries again: RPC_S_SERVER_UNAVAILABLE
 * (1722), RPC_S_CALL_FAILED (1726) and RPC_S_CALL_FAILED_DNE (1727). */
static BOOL worth_retrying(HRESULT hr)
{
    return hr == HRESULT_FROM_WIN32(RPC_S_SERVER_UNAVAILABLE) || hr == HRESULT_FROM_WIN32(RPC_S_CALL_FAILED) ||
           hr == HRESULT_FROM_WIN32(RPC_S_CALL_FAILED_DNE);
}

static void drop(conn *c, HRESULT hr, const char *why)
{
    LONG left = unlink_conn(c);
    if (left >= 0)
        fk_log("drop cookie=%lu hr=0x%08lX (%s) sinks=%ld", (unsigned long)c->spec.cookie, (unsigned long)hr, why,
               left);
}

/* One packet: the call, its retries, and what a failure means. */
static void deliver(conn *c, packet *p)
{
    const char *name = fk_event_name(p->ev->code);
    LARGE_INTEGER freq, t0, t1;
    unsigned attempt;

    QueryPerformanceFrequency(&freq);
    for (attempt = 0;; attempt++) {
        HRESULT hr;
        unsigned long us;
        QueryPerformanceCounter(&t0);
        hr = call_sink(c, p->ev);
        QueryPerformanceCounter(&t1);
        us = (unsigned long)((t1.QuadPart - t0.QuadPart) * 1000000 / freq.QuadPart);
        p->calls++;
        p->us += us;
        if (SUCCEEDED(hr)) {
            fk_log("call cookie=%lu %s(%s) hr=0x%08lX us=%lu", (unsigned long)c->spec.cookie, name, p->args,
                   (unsigned long)hr, us);
            return;
        }
        p->failed++;
        if (hr == RPC_E_DISCONNECTED) {
            fk_log("call cookie=%lu %s(%s) hr=0x%08lX us=%lu -> subscription dropped", (unsigned long)c->spec.cookie,
                   name, p->args, (unsigned long)hr, us);
            drop(c, hr, "RPC_E_DISCONNECTED");
            return;
        }
        if (!worth_retrying(hr)) {
            fk_log("call cookie=%lu %s(%s) hr=0x%08lX us=%lu -> event dropped", (unsigned long)c->spec.cookie, name,
                   p->args, (unsigned long)hr, us);
            return;
        }
        if (attempt == FK_RETRIES) {
            fk_log("call cookie=%lu %s(%s) hr=0x%08lX us=%lu -> subscription dropped after %d retries",
                   (unsigned long)c->spec.cookie, name, p->args, (unsigned long)hr, us, FK_RETRIES);
            drop(c, hr, "RPC error, retries used up");
            return;
        }
        fk_log("call cookie=%lu %s(%s) hr=0x%08lX us=%lu -> retry %u of %d", (unsigned long)c->spec.cookie, name,
               p->args, (unsigned long)hr, us, attempt + 1, FK_RETRIES);
    }
}

/* The subscription's delivery thread: its queue, in order, until it closes. */
static DWORD WINAPI delivery_thread(void *arg)
{
    conn *c = arg;
    HRESULT init = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    for (;;) {
        packet *p = NULL, *rest = NULL;
        BOOL closing;
        EnterCriticalSection(&c->lock);
        while (!c->head && !c->closed) {
            LeaveCriticalSection(&c->lock);
            WaitForSingleObject(c->wake, INFINITE);
            EnterCriticalSection(&c->lock);
        }
        closing = c->closed;
        if (closing) {
            rest = c->head;
            c->head = c->tail = NULL;
        } else {
            p = c->head;
            c->head = p->next;
            if (!c->head)
                c->tail = NULL;
        }
        LeaveCriticalSection(&c->lock);
        if (closing) {
            /* Unadvised or dropped with events still queued: they go nowhere. */
            while (rest) {
                packet *next = rest->next;
                fk_log("discarded cookie=%lu %s(%s): the subscription is gone", (unsigned long)c->spec.cookie,
                       fk_event_name(rest->ev->code), rest->args);
                packet_done(rest);
                rest = next;
            }
            break;
        }
        deliver(c, p);
        packet_done(p);
    }
    conn_release(c); /* releases the sink's interfaces from this MTA thread */
    if (SUCCEEDED(init))
        CoUninitialize();
    return 0;
}

HRESULT fk_conn_add(fk_conn_spec *spec)
{
    conn *c;
    HANDLE thread;
    int i, slot = -1;

    ensure_init();
    c = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof *c);
    if (!c || !(c->wake = CreateEventW(NULL, FALSE, FALSE, NULL))) {
        for (i = 0; i < FK_LEVELS; i++)
            if (spec->iface[i])
                IOfflineFilesEvents_Release(spec->iface[i]);
        if (c)
            HeapFree(GetProcessHeap(), 0, c);
        return E_OUTOFMEMORY;
    }
    c->spec = *spec;
    c->refs = 1;
    InitializeCriticalSection(&c->lock);

    EnterCriticalSection(&table_lock);
    for (i = 0; i < FK_MAX_SINKS && slot < 0; i++)
        if (!table[i])
            slot = i;
    if (slot >= 0) {
        table[slot] = c;
        InterlockedIncrement(&c->refs); /* the thread's */
    }
    LeaveCriticalSection(&table_lock);
    if (slot < 0) {
        conn_release(c);
        return CONNECT_E_ADVISELIMIT;
    }
    thread = CreateThread(NULL, 0, delivery_thread, c, 0, NULL);
    if (!thread) {
        HRESULT hr = HRESULT_FROM_WIN32(GetLastError());
        conn_release(c); /* the thread's, never started */
        unlink_conn(c);
        return hr;
    }
    CloseHandle(thread);
    return S_OK;
}

BOOL fk_conn_remove(DWORD cookie, int level)
{
    conn *c = NULL;
    int i;
    ensure_init();
    EnterCriticalSection(&table_lock);
    for (i = 0; i < FK_MAX_SINKS && !c; i++)
        if (table[i] && table[i]->spec.cookie == cookie && table[i]->spec.level == level)
            c = table[i];
    if (c)
        InterlockedIncrement(&c->refs); /* kept while unlinking */
    LeaveCriticalSection(&table_lock);
    if (!c)
        return FALSE;
    unlink_conn(c);
    conn_release(c);
    return TRUE;
}

/* Every subscription now, AddRef'd, in cookie order (slots are reused). */
static int snapshot(conn **out)
{
    int i, n = 0;
    EnterCriticalSection(&table_lock);
    for (i = 0; i < FK_MAX_SINKS; i++) {
        if (table[i]) {
            InterlockedIncrement(&table[i]->refs);
            out[n++] = table[i];
        }
    }
    LeaveCriticalSection(&table_lock);
    for (i = 1; i < n; i++) {
        conn *t = out[i];
        int j = i;
        while (j > 0 && out[j - 1]->spec.cookie > t->spec.cookie) {
            out[j] = out[j - 1];
            j--;
        }
        out[j] = t;
    }
    return n;
}

/* ----------------------------------------------------------- filtering */

/* Case-insensitive, as Windows compares UNC paths. */
static BOOL same_text(const WCHAR *a, int alen, const WCHAR *b, int blen)
{
    return alen == blen && CompareStringOrdinal(a, alen, b, blen, TRUE) == CSTR_EQUAL;
}

static BOOL path_passes(const fk_conn_spec *s, const WCHAR *path)
{
    int flen = (int)wcslen(s->path), plen = (int)wcslen(path), parent;
    BOOL self, child = FALSE, descendant = FALSE;

    while (plen > 1 && path[plen - 1] == L'\\')
        plen--;
    self = same_text(path, plen, s->path, flen);
    if (plen > flen + 1 && path[flen] == L'\\' && same_text(path, flen, s->path, flen)) {
        descendant = TRUE;
        /* A child has no further backslash after the filter's own. */
        for (parent = plen - 1; parent > flen && path[parent] != L'\\'; parent--)
            ;
        child = parent == flen;
    }
    switch (s->match) {
    case OFFLINEFILES_PATHFILTER_SELF: return self;
    case OFFLINEFILES_PATHFILTER_CHILD: return child;
    case OFFLINEFILES_PATHFILTER_DESCENDENT: return descendant;
    case OFFLINEFILES_PATHFILTER_SELFORCHILD: return self || child;
    case OFFLINEFILES_PATHFILTER_SELFORDESCENDENT: return self || descendant;
    default: return TRUE;
    }
}

/* Why s must not get ev ("filter (...)" or "level (...)"), or NULL. */
static const char *declined(const fk_conn_spec *s, const fk_event *ev, char *buf, size_t cap)
{
    switch (s->decline[ev->code]) {
    case FK_DECLINE_EXCLUDED:
        return "filter (excluded)";
    case FK_DECLINE_NOT_INCLUDED:
        return "filter (not included)";
    case FK_DECLINE_LEVEL:
        snprintf(buf, cap, "level (cp=%s, the method is %s's)", fk_level_name(s->level),
                 fk_level_name(fk_event_level(ev->code)));
        return buf;
    default:
        break;
    }
    if (s->has_path && ev->path && !path_passes(s, ev->path))
        return "filter (outside the path filter)";
    return NULL;
}

void fk_fire(const fk_event *ev, fk_fire_stats *stats)
{
    conn *subs[FK_MAX_SINKS];
    packet packets[FK_MAX_SINKS];
    BOOL queued[FK_MAX_SINKS];
    char args[FK_PATH_BYTES + 96], why_buf[120];
    const char *name = fk_event_name(ev->code);
    volatile LONG pending = 1;
    HANDLE all_done;
    int n, i;

    if (!name) {
        fk_log("internal error: no method for event code %d", (int)ev->code);
        return;
    }
    ensure_init();
    all_done = CreateEventW(NULL, TRUE, FALSE, NULL);
    if (!all_done) {
        fk_log("internal error: no event to wait on (error %lu); %s not sent", (unsigned long)GetLastError(), name);
        return;
    }
    describe_args(ev, args, sizeof args);
    n = snapshot(subs);
    if (n == 0)
        fk_log("nosink %s(%s)", name, args);
    for (i = 0; i < n; i++) {
        conn *c = subs[i];
        const char *why = declined(&c->spec, ev, why_buf, sizeof why_buf);
        queued[i] = FALSE;
        if (why) {
            stats->filtered++;
            fk_log("declined cookie=%lu %s(%s) reason=%s", (unsigned long)c->spec.cookie, name, args, why);
            continue;
        }
        memset(&packets[i], 0, sizeof packets[i]);
        packets[i].ev = ev;
        packets[i].args = args;
        packets[i].pending = &pending;
        packets[i].all_done = all_done;
        EnterCriticalSection(&c->lock);
        if (!c->closed) {
            InterlockedIncrement(&pending);
            if (c->tail)
                c->tail->next = &packets[i];
            else
                c->head = &packets[i];
            c->tail = &packets[i];
            queued[i] = TRUE;
        }
        LeaveCriticalSection(&c->lock);
        if (queued[i])
            SetEvent(c->wake);
    }
    if (InterlockedDecrement(&pending) != 0)
        WaitForSingleObject(all_done, INFINITE);
    for (i = 0; i < n; i++) {
        if (queued[i]) {
            stats->calls += packets[i].calls;
            stats->failed += packets[i].failed;
            stats->call_us += packets[i].us;
        }
        conn_release(subs[i]);
    }
    CloseHandle(all_done);
}
