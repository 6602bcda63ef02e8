/* ofnotify: the link to the Offline Files service. See cscsvc.h. */
#include "cscsvc.h"

#include <ocidl.h>
#include <olectl.h>

#include "messages.h"
#include "offlinefiles.h"
#include "postkey.h"
#include "resource.h"
#include "timers.h"

#define RETRY_FIRST_MS 250
#define RETRY_MAX_MS 30000
/* For this long after the service is seen (again) running, retries are at
 * most RETRY_SOON_MAX_MS apart: a service that has just started may refuse
 * for some seconds (its COM side not ready yet, or a dead process's class
 * registration still handed out), and the back-off must not have grown
 * long by the time it takes a subscription. */
#define RETRY_SOON_FOR_MS 60000
#define RETRY_SOON_MAX_MS 1000

struct cscsvc {
    HWND wnd;
    IUnknown *sink;
    IConnectionPoint *cp;  /* non-NULL while subscribed */
    DWORD cookie;
    int level;             /* of cp's interface, 2..4 while subscribed */
    ULONGLONG since;       /* FILETIME of the Advise */
    BOOL too_old;          /* the running service offers only the version 1 point */
    SC_HANDLE scm;
    SC_HANDLE service;     /* non-NULL while watched */
    SERVICE_NOTIFYW notify;
    BOOL notify_armed;     /* a NotifyServiceStatusChangeW is outstanding */
    BOOL service_running;
    ULONGLONG running_since; /* GetTickCount64 when last seen running */
    BOOL in_call;          /* subscribe() is under way (its COM calls pump messages) */
    DWORD deferred_state;  /* the last state reported during that call, handled after it */
    BOOL deferred_stop;    /* and whether a stop was among them */
    BOOL feature_disabled; /* cscapi says Offline Files is off */
    UINT retry_ms;         /* 0: no retry scheduled */
    HRESULT last_error;
};

/* ---- feature status through cscapi.dll, loaded late: editions without
 * Offline Files have no such DLL or export ---- */

typedef DWORD(WINAPI *query_status_fn)(BOOL *active, BOOL *enabled);
typedef DWORD(WINAPI *query_status_ex_fn)(BOOL *active, BOOL *enabled, BOOL *available);

void cscsvc_query_feature(csc_feature *out)
{
    HMODULE dll = LoadLibraryExW(L"cscapi.dll", NULL, LOAD_LIBRARY_SEARCH_SYSTEM32);
    query_status_ex_fn query_ex = NULL;
    query_status_fn query = NULL;
    ZeroMemory(out, sizeof(*out));
    if (!dll)
        return;
    /* Ex (Windows 8 and later) adds whether the service could start now. */
    query_ex = (query_status_ex_fn)(void (*)(void))GetProcAddress(dll, "OfflineFilesQueryStatusEx");
    if (!query_ex)
        query = (query_status_fn)(void (*)(void))GetProcAddress(dll, "OfflineFilesQueryStatus");
    if (query_ex) {
        out->error = query_ex(&out->active, &out->enabled, &out->available);
        out->source = CSC_FEATURE_STATUS_EX;
    } else if (query) {
        out->error = query(&out->active, &out->enabled);
        out->source = CSC_FEATURE_STATUS;
    }
    if (out->error != ERROR_SUCCESS) {
        out->source = CSC_FEATURE_QUERY_FAILED;
        out->active = out->enabled = out->available = FALSE;
    }
    FreeLibrary(dll);
}

/* Unknown counts as not disabled: the service watch decides then. */
static BOOL feature_disabled(void)
{
    csc_feature f;
    cscsvc_query_feature(&f);
    return (f.source == CSC_FEATURE_STATUS || f.source == CSC_FEATURE_STATUS_EX) && !f.enabled && !f.active;
}

/* ---- the subscription ---- */

/* The event interfaces by level: index 0 is IOfflineFilesEvents (level 1). */
static const IID *const level_iids[] = {
    &IID_IOfflineFilesEvents,
    &IID_IOfflineFilesEvents2,
    &IID_IOfflineFilesEvents3,
    &IID_IOfflineFilesEvents4,
};

static const WCHAR *const level_names[] = {
    L"IOfflineFilesEvents",
    L"IOfflineFilesEvents2",
    L"IOfflineFilesEvents3",
    L"IOfflineFilesEvents4",
};

static int level_of(REFIID iid)
{
    for (int i = 0; i < (int)ARRAYSIZE(level_iids); i++)
        if (IsEqualIID(iid, level_iids[i]))
            return i + 1;
    return 0;
}

const WCHAR *cscsvc_level_name(int level)
{
    return level >= 1 && level <= (int)ARRAYSIZE(level_names) ? level_names[level - 1] : NULL;
}

static const csc_state_text state_texts[] = {
    [CSC_STATE_UNAVAILABLE] = {IDS_TIP_UNAVAILABLE, IDS_ABOUT_SERVICE_UNAVAILABLE, "Offline Files is not available"},
    [CSC_STATE_DISABLED] = {IDS_TIP_DISABLED, IDS_ABOUT_SERVICE_DISABLED, "Offline Files is turned off"},
    [CSC_STATE_RECONNECTING] = {IDS_TIP_RECONNECTING, IDS_ABOUT_SERVICE_RECONNECTING, "waiting for the service"},
    /* --status names the level when running; without one, it is still being made. */
    [CSC_STATE_RUNNING] = {IDS_TIP_RUNNING, IDS_ABOUT_SERVICE_RUNNING, "waiting for the service"},
    /* No background sync will ever be heard of: as good as off. */
    [CSC_STATE_TOO_OLD] = {IDS_TIP_TOO_OLD, IDS_ABOUT_SERVICE_TOO_OLD,
                           "the service offers only IOfflineFilesEvents, which carries no background syncs"},
};

const csc_state_text *cscsvc_state_text(csc_state state)
{
    return &state_texts[(unsigned)state < ARRAYSIZE(state_texts) ? state : CSC_STATE_RECONNECTING];
}

/* The highest level from 4 down to 2 the service offers. Only "no such
 * point" moves on to the next; any other failure is the answer. When none
 * is offered the version 1 point is looked for, to tell a service too old
 * for background syncs from one that is broken. */
static HRESULT find_point(cscsvc *c, IConnectionPointContainer *container, IConnectionPoint **cp, int *level)
{
    HRESULT hr = CONNECT_E_NOCONNECTION;
    for (*level = ARRAYSIZE(level_iids); *level >= 2; (*level)--) {
        hr = IConnectionPointContainer_FindConnectionPoint(container, level_iids[*level - 1], cp);
        if (hr != CONNECT_E_NOCONNECTION)
            return hr;
    }
    *level = 0;
    if (SUCCEEDED(IConnectionPointContainer_FindConnectionPoint(container, &IID_IOfflineFilesEvents, cp))) {
        IConnectionPoint_Release(*cp);
        c->too_old = TRUE;
    }
    *cp = NULL;
    return hr;
}

/* The level as the connection point names it; the one it was found by if
 * it cannot say. */
static int advised_level(IConnectionPoint *cp, int asked)
{
    IID iid;
    int level;
    if (FAILED(IConnectionPoint_GetConnectionInterface(cp, &iid)))
        return asked;
    level = level_of(&iid);
    return level ? level : asked;
}

static void unsubscribe(cscsvc *c, BOOL call_unadvise)
{
    if (!c->cp)
        return;
    /* After the service died, Unadvise could only fail; skip the round trip. */
    if (call_unadvise)
        IConnectionPoint_Unadvise(c->cp, c->cookie);
    IConnectionPoint_Release(c->cp);
    c->cp = NULL;
    c->cookie = 0;
    c->level = 0;
    c->since = 0;
}

static HRESULT subscribe(cscsvc *c)
{
    IUnknown *cache = NULL;
    IConnectionPointContainer *container = NULL;
    IConnectionPoint *cp = NULL;
    DWORD cookie = 0;
    int level = 0;
    FILETIME now;
    c->too_old = FALSE;
    /* In-process on Windows (cscobj.dll talks to the service); a local server
     * where only the service itself provides the class. */
    HRESULT hr = CoCreateInstance(&CLSID_OfflineFilesCache, NULL, CLSCTX_INPROC_SERVER | CLSCTX_LOCAL_SERVER,
                                  &IID_IUnknown, (void **)&cache);
    if (FAILED(hr))
        goto done;
    hr = IUnknown_QueryInterface(cache, &IID_IConnectionPointContainer, (void **)&container);
    if (FAILED(hr))
        goto done;
    hr = find_point(c, container, &cp, &level);
    if (FAILED(hr))
        goto done;
    hr = IConnectionPoint_Advise(cp, c->sink, &cookie);
    if (FAILED(hr))
        goto done;
    GetSystemTimeAsFileTime(&now);
    c->cp = cp;
    c->cookie = cookie;
    c->level = advised_level(cp, level);
    c->since = ((ULONGLONG)now.dwHighDateTime << 32) | now.dwLowDateTime;
    cp = NULL;
done:
    if (cp)
        IConnectionPoint_Release(cp);
    if (container)
        IConnectionPointContainer_Release(container);
    if (cache)
        IUnknown_Release(cache);
    c->last_error = hr;
    return hr;
}

static void schedule_retry(cscsvc *c)
{
    UINT cap = RETRY_MAX_MS;
    if (c->service_running && GetTickCount64() - c->running_since < RETRY_SOON_FOR_MS)
        cap = RETRY_SOON_MAX_MS;
    c->retry_ms = c->retry_ms ? min(c->retry_ms * 2, cap) : RETRY_FIRST_MS;
    SetTimer(c->wnd, TIMER_CSC_RETRY, c->retry_ms, NULL);
}

static void cancel_retry(cscsvc *c)
{
    if (c->retry_ms)
        KillTimer(c->wnd, TIMER_CSC_RETRY);
    c->retry_ms = 0;
}

static csc_change on_state(cscsvc *c, DWORD state);

/* subscribe() with the states the watch reports during it (its COM calls
 * dispatch messages) handled after it: a stop means the subscription just
 * made, if any, is to a service that is gone. */
static void subscribe_settled(cscsvc *c)
{
    DWORD state;
    BOOL stopped;
    c->in_call = TRUE;
    c->deferred_state = 0;
    c->deferred_stop = FALSE;
    subscribe(c);
    c->in_call = FALSE;
    state = c->deferred_state;
    stopped = c->deferred_stop;
    c->deferred_state = 0;
    c->deferred_stop = FALSE;
    if (stopped)
        on_state(c, SERVICE_STOPPED);
    if (state && state != SERVICE_STOPPED)
        on_state(c, state);
}

/* Called only while not subscribed: the change is whether it is now. */
static csc_change try_subscribe(cscsvc *c)
{
    /* Reached again from a message dispatched during the call: the call
     * under way settles it. */
    if (c->cp || c->in_call)
        return CSC_NO_CHANGE;
    subscribe_settled(c);
    if (c->cp) {
        cancel_retry(c);
        return CSC_SUBSCRIBED;
    }
    /* A service too old stays so until it is replaced, which the watch sees
     * as a stop and a start: trying again meanwhile would only repeat. So
     * does a stopped service that the watch will report running. */
    if (c->too_old || (!c->service_running && c->notify_armed))
        cancel_retry(c);
    else
        schedule_retry(c);
    return CSC_NO_CHANGE;
}

/* ---- the service watch ---- */

/* Runs as an APC in the main thread's alertable wait: only post. */
static VOID CALLBACK service_notify(PVOID param)
{
    SERVICE_NOTIFYW *n = param;
    cscsvc *c = n->pContext;
    DWORD state = n->dwNotificationStatus == ERROR_SUCCESS ? n->ServiceStatus.dwCurrentState : 0;
    c->notify_armed = FALSE;
    PostMessageW(c->wnd, WM_OFN_SERVICE_STATE, postkey_wrap(state), (LPARAM)n->dwNotificationStatus);
}

static BOOL arm_notify(cscsvc *c)
{
    DWORD err;
    if (!c->service || c->notify_armed)
        return c->notify_armed;
    ZeroMemory(&c->notify, sizeof(c->notify));
    c->notify.dwVersion = SERVICE_NOTIFY_STATUS_CHANGE;
    c->notify.pfnNotifyCallback = service_notify;
    c->notify.pContext = c;
    /* Ask only for the other state: a state the service is already in is
     * reported at once, which would loop. */
    err = NotifyServiceStatusChangeW(c->service, c->service_running ? SERVICE_NOTIFY_STOPPED : SERVICE_NOTIFY_RUNNING,
                                     &c->notify);
    c->notify_armed = err == ERROR_SUCCESS;
    if (!c->notify_armed)
        c->last_error = HRESULT_FROM_WIN32(err);
    return c->notify_armed;
}

static void close_service(cscsvc *c)
{
    /* Closing the handle cancels an outstanding notification. */
    if (c->service)
        CloseServiceHandle(c->service);
    if (c->scm)
        CloseServiceHandle(c->scm);
    c->service = c->scm = NULL;
    c->notify_armed = FALSE;
}

cscsvc *cscsvc_create(HWND wnd, IUnknown *sink)
{
    cscsvc *c = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*c));
    if (!c)
        return NULL;
    c->wnd = wnd;
    c->sink = sink;
    IUnknown_AddRef(sink);
    return c;
}

/* Opens the watched service; its state, or 0 when it cannot be opened or asked. */
static DWORD open_service(cscsvc *c)
{
    SERVICE_STATUS status;
    c->scm = OpenSCManagerW(NULL, NULL, SC_MANAGER_CONNECT);
    if (c->scm)
        c->service = OpenServiceW(c->scm, L"CscService", SERVICE_QUERY_STATUS);
    if (!c->service) {
        c->last_error = HRESULT_FROM_WIN32(GetLastError());
        close_service(c);
        return 0;
    }
    return QueryServiceStatus(c->service, &status) ? status.dwCurrentState : 0;
}

csc_change cscsvc_start(cscsvc *c)
{
    DWORD state;
    c->feature_disabled = feature_disabled();
    state = open_service(c);
    if (!c->service)
        return CSC_NO_CHANGE;
    c->service_running = state == SERVICE_RUNNING;
    if (c->service_running)
        c->running_since = GetTickCount64();
    /* Without the watch a running service is still worth subscribing to;
     * losing it is then noticed only when a call fails. The watch first,
     * so that a stop during the subscription is not missed. */
    arm_notify(c);
    return c->service_running ? try_subscribe(c) : CSC_NO_CHANGE;
}

static csc_change on_state(cscsvc *c, DWORD state)
{
    csc_change change = CSC_NO_CHANGE;
    if (c->in_call) {
        c->deferred_state = state;
        c->deferred_stop |= state == SERVICE_STOPPED;
        return CSC_NO_CHANGE;
    }
    if (state == SERVICE_RUNNING) {
        c->service_running = TRUE;
        c->running_since = GetTickCount64();
        c->feature_disabled = FALSE;
        /* The watch for the stop first: a stop while the subscription is
         * made is then reported, not missed. A back-off grown while the
         * service was refusing before does not carry over to this start. */
        arm_notify(c);
        if (!c->cp) {
            cancel_retry(c);
            change = try_subscribe(c);
        }
    } else if (state == SERVICE_STOPPED) {
        c->service_running = FALSE;
        c->too_old = FALSE;
        cancel_retry(c);
        if (c->cp) {
            unsubscribe(c, FALSE);
            change = CSC_LOST;
        }
    }
    arm_notify(c);
    return change;
}

csc_change cscsvc_on_service_state(cscsvc *c, DWORD state)
{
    csc_change change;
    if (state || c->in_call)
        return on_state(c, state);
    /* The watch failed (a client that lags behind is told so): as the docs
     * ask, the handle is opened again, and the state it finds decides, so
     * that a stop and start in between are not missed. Without a handle, a
     * back-off is all that is left. */
    close_service(c);
    state = open_service(c);
    change = on_state(c, state == SERVICE_RUNNING ? SERVICE_RUNNING : SERVICE_STOPPED);
    if (!c->service && !c->cp && !c->retry_ms)
        schedule_retry(c);
    return change;
}

csc_change cscsvc_on_retry(cscsvc *c)
{
    KillTimer(c->wnd, TIMER_CSC_RETRY);
    if (!c->service_running && c->notify_armed) {
        c->retry_ms = 0;
        return CSC_NO_CHANGE; /* the watch will say when it runs */
    }
    return try_subscribe(c);
}

csc_state cscsvc_state(const cscsvc *c)
{
    if (c->cp)
        return CSC_STATE_RUNNING;
    if (c->too_old)
        return CSC_STATE_TOO_OLD;
    if (!c->service)
        return CSC_STATE_UNAVAILABLE;
    if (!c->service_running && c->feature_disabled)
        return CSC_STATE_DISABLED;
    return CSC_STATE_RECONNECTING;
}

int cscsvc_level(const cscsvc *c)
{
    return c->cp ? c->level : 0;
}

ULONGLONG cscsvc_subscribed_since(const cscsvc *c)
{
    return c->cp ? c->since : 0;
}

HRESULT cscsvc_last_error(const cscsvc *c)
{
    return c->last_error;
}

void cscsvc_destroy(cscsvc *c)
{
    if (!c)
        return;
    cancel_retry(c);
    unsubscribe(c, TRUE);
    close_service(c);
    IUnknown_Release(c->sink);
    HeapFree(GetProcessHeap(), 0, c);
}
