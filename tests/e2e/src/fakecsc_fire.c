/* e2e: delivering one event to the advised sinks, the way the docs say the
 * real service does (reference §5.2): DataLost and Ping always go out; an
 * event in the exclude list never does; with an include list only the
 * events in it do; a path filter holds back events whose path is outside it
 * (events without a path are not affected). On top of the filter, a method
 * is only called if the sink answered the interface that declares it.
 * Every call and every held-back delivery is one log line. */
#include "fakecsc.h"

#include <stdio.h>

/* The interface level (1 = IOfflineFilesEvents, 2 = ...Events2) that
 * declares the method behind an event code the fake can send. */
static int level_of(OFFLINEFILES_EVENTS code)
{
    switch (code) {
    case OFFLINEFILES_EVENT_BACKGROUNDSYNCBEGIN:
    case OFFLINEFILES_EVENT_BACKGROUNDSYNCEND:
        return 2;
    default:
        return 1;
    }
}

static const char *method_name(OFFLINEFILES_EVENTS code)
{
    switch (code) {
    case OFFLINEFILES_EVENT_SYNCBEGIN: return "SyncBegin";
    case OFFLINEFILES_EVENT_SYNCEND: return "SyncEnd";
    case OFFLINEFILES_EVENT_SYNCFILERESULT: return "SyncFileResult";
    case OFFLINEFILES_EVENT_SYNCCONFLICTRECADDED: return "SyncConflictRecAdded";
    case OFFLINEFILES_EVENT_BACKGROUNDSYNCBEGIN: return "BackgroundSyncBegin";
    case OFFLINEFILES_EVENT_BACKGROUNDSYNCEND: return "BackgroundSyncEnd";
    case OFFLINEFILES_EVENT_NETTRANSPORTARRIVED: return "NetTransportArrived";
    case OFFLINEFILES_EVENT_ITEMMODIFIED: return "ItemModified";
    case OFFLINEFILES_EVENT_ITEMPINNED: return "ItemPinned";
    case OFFLINEFILES_EVENT_DATALOST: return "DataLost";
    case OFFLINEFILES_EVENT_PING: return "Ping";
    default: return NULL;
    }
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
        snprintf(buf, cap, "%s, now, FileChangedOnClient_ChangedOnServer", path);
        break;
    case OFFLINEFILES_EVENT_ITEMMODIFIED:
        snprintf(buf, cap, "%s, FILE, TRUE, FALSE", path);
        break;
    case OFFLINEFILES_EVENT_ITEMPINNED:
        snprintf(buf, cap, "%s, FILE", path);
        break;
    default:
        if (cap)
            buf[0] = '\0';
        break;
    }
}

/* Case-insensitive, as Windows compares UNC paths. */
static BOOL same_text(const WCHAR *a, int alen, const WCHAR *b, int blen)
{
    return alen == blen && CompareStringOrdinal(a, alen, b, blen, TRUE) == CSTR_EQUAL;
}

static BOOL path_passes(const fk_sink_view *s, const WCHAR *path)
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

/* Why s must not get ev, or NULL if it may. */
static const char *held_back(const fk_sink_view *s, const fk_event *ev)
{
    static const char *const needs[] = {"", "needs-IOfflineFilesEvents", "needs-IOfflineFilesEvents2",
                                        "needs-IOfflineFilesEvents3", "needs-IOfflineFilesEvents4"};
    int need = level_of(ev->code);
    if (ev->code != OFFLINEFILES_EVENT_DATALOST && ev->code != OFFLINEFILES_EVENT_PING) {
        if (s->has_exclude && s->exclude[ev->code])
            return "excluded";
        if (s->has_include && !s->include[ev->code])
            return "not-included";
        if (s->has_path && ev->path && !path_passes(s, ev->path))
            return "outside-path-filter";
    }
    if (s->level < need)
        return needs[need];
    return NULL;
}

/* Makes the call. events is the sink's interface of its highest level, so
 * the casts below are only done when held_back() allowed that level. */
static HRESULT call_sink(IOfflineFilesEvents *events, const fk_event *ev)
{
    const GUID *id = ev->sync_id ? ev->sync_id : &GUID_NULL;
    FILETIME now;
    switch (ev->code) {
    case OFFLINEFILES_EVENT_SYNCBEGIN:
        return IOfflineFilesEvents_SyncBegin(events, id);
    case OFFLINEFILES_EVENT_SYNCEND:
        return IOfflineFilesEvents_SyncEnd(events, id, ev->hr);
    case OFFLINEFILES_EVENT_SYNCFILERESULT:
        return IOfflineFilesEvents_SyncFileResult(events, id, ev->path, ev->hr);
    case OFFLINEFILES_EVENT_SYNCCONFLICTRECADDED:
        GetSystemTimeAsFileTime(&now);
        return IOfflineFilesEvents_SyncConflictRecAdded(events, ev->path, &now,
                                                        OFFLINEFILES_SYNC_STATE_FileChangedOnClient_ChangedOnServer);
    case OFFLINEFILES_EVENT_NETTRANSPORTARRIVED:
        return IOfflineFilesEvents_NetTransportArrived(events);
    case OFFLINEFILES_EVENT_ITEMMODIFIED:
        return IOfflineFilesEvents_ItemModified(events, ev->path, OFFLINEFILES_ITEM_TYPE_FILE, TRUE, FALSE);
    case OFFLINEFILES_EVENT_ITEMPINNED:
        return IOfflineFilesEvents_ItemPinned(events, ev->path, OFFLINEFILES_ITEM_TYPE_FILE);
    case OFFLINEFILES_EVENT_DATALOST:
        return IOfflineFilesEvents_DataLost(events);
    case OFFLINEFILES_EVENT_PING:
        return IOfflineFilesEvents_Ping(events);
    case OFFLINEFILES_EVENT_BACKGROUNDSYNCBEGIN:
        return IOfflineFilesEvents2_BackgroundSyncBegin((IOfflineFilesEvents2 *)events, ev->flags);
    case OFFLINEFILES_EVENT_BACKGROUNDSYNCEND:
        return IOfflineFilesEvents2_BackgroundSyncEnd((IOfflineFilesEvents2 *)events, ev->flags);
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

void fk_fire(const fk_event *ev, fk_fire_stats *stats)
{
    fk_sink_view views[FK_MAX_SINKS];
    char args[FK_PATH_BYTES + 96];
    const char *name = method_name(ev->code);
    LARGE_INTEGER freq, t0, t1;
    int n, i;

    if (!name) {
        fk_log("internal error: no method for event code %d", (int)ev->code);
        return;
    }
    describe_args(ev, args, sizeof args);
    QueryPerformanceFrequency(&freq);
    n = fk_obj_get(views, ARRAYSIZE(views));
    if (n == 0)
        fk_log("nosink %s(%s)", name, args);
    for (i = 0; i < n; i++) {
        const char *why = held_back(&views[i], ev);
        HRESULT hr;
        unsigned long us;
        if (why) {
            stats->filtered++;
            fk_log("filtered cookie=%lu %s(%s) reason=%s", (unsigned long)views[i].cookie, name, args, why);
            continue;
        }
        QueryPerformanceCounter(&t0);
        hr = call_sink(views[i].events, ev);
        QueryPerformanceCounter(&t1);
        us = (unsigned long)((t1.QuadPart - t0.QuadPart) * 1000000 / freq.QuadPart);
        stats->calls++;
        stats->call_us += us;
        if (FAILED(hr))
            stats->failed++;
        fk_log("call cookie=%lu %s(%s) hr=0x%08lX us=%lu", (unsigned long)views[i].cookie, name, args,
               (unsigned long)hr, us);
        if (fk_peer_is_gone(hr))
            fk_obj_drop(views[i].cookie, hr);
    }
    fk_obj_put(views, n);
}
