/* ofnotify: the link to the Offline Files service.
 *
 * Owns the subscription (CoCreateInstance of the cache, FindConnectionPoint,
 * Advise/Unadvise) and the watch on the CscService service. The watch uses
 * NotifyServiceStatusChangeW, whose APC runs in the main thread's alertable
 * wait and posts WM_OFN_SERVICE_STATE; nothing here polls or blocks for long.
 * When the service stops or its process dies the subscription is dropped,
 * and it is made again when the service runs, retried with back-off if the
 * service is up before its class is.
 *
 * The service gives a sink only the events of the connection point's
 * interface level (offline-files-api.md §5.1), and BackgroundSyncBegin/End
 * are IOfflineFilesEvents2 methods, so the subscription is made on the
 * highest level offered: IOfflineFilesEvents4, else 3, else 2. */
#ifndef OFNOTIFY_CSCSVC_H
#define OFNOTIFY_CSCSVC_H

#include <windows.h>
#include <unknwn.h>

typedef enum csc_state {
    CSC_STATE_UNAVAILABLE,  /* no CscService on this machine (or it cannot be watched) */
    CSC_STATE_DISABLED,     /* Offline Files is turned off and the service is not running */
    CSC_STATE_RECONNECTING, /* the service is stopped, starting, or the subscription is being made */
    CSC_STATE_RUNNING,      /* subscribed at level 2 or higher: background syncs arrive */
    CSC_STATE_TOO_OLD       /* the service offers only IOfflineFilesEvents, which carries no
                               background syncs: ofnotify is not subscribed and says so */
} csc_state;

/* The words for a csc_state, one row per state, so that the tray, the About
 * dialog and --status say the same. */
typedef struct csc_state_text {
    UINT tip;            /* the tray tooltip's line (IDS_TIP_*); %1 is a direction */
    UINT about;          /* the About dialog's Service line (IDS_ABOUT_SERVICE_*) */
    const char *why_not; /* --status (English): why a running ofnotify is not subscribed */
} csc_state_text;

/* The row of state; an unknown state reads as CSC_STATE_RECONNECTING. */
const csc_state_text *cscsvc_state_text(csc_state state);

/* What a call changed that the app must act on. */
typedef enum csc_change {
    CSC_NO_CHANGE = 0,
    CSC_SUBSCRIBED,         /* a new subscription: earlier open passes will never end */
    CSC_LOST,               /* the subscription went away with the service */
} csc_change;

typedef struct cscsvc cscsvc;

/* The Offline Files feature as cscapi.dll reports it (offline-files-api.md
 * §5.6). The functions are looked up at run time: editions without the
 * feature, and Wine, have neither. */
typedef enum csc_feature_source {
    CSC_FEATURE_UNKNOWN,      /* neither function exists */
    CSC_FEATURE_QUERY_FAILED, /* the function returned `error` */
    CSC_FEATURE_STATUS,       /* OfflineFilesQueryStatus: no `available` */
    CSC_FEATURE_STATUS_EX,    /* OfflineFilesQueryStatusEx */
} csc_feature_source;

typedef struct csc_feature {
    csc_feature_source source;
    DWORD error;
    BOOL active;    /* the driver and the service both run */
    BOOL enabled;   /* both start at boot */
    BOOL available; /* the service could start now without a reboot (Ex only) */
} csc_feature;

void cscsvc_query_feature(csc_feature *out);

/* `wnd` receives WM_OFN_SERVICE_STATE and the retry timer (TIMER_CSC_RETRY);
 * `sink` is AddRef'd and advised. NULL on out of memory. */
cscsvc *cscsvc_create(HWND wnd, IUnknown *sink);

/* Starts watching (and subscribing, if the service runs). */
csc_change cscsvc_start(cscsvc *c);

/* WM_OFN_SERVICE_STATE: the service reached `state` (SERVICE_RUNNING, SERVICE_STOPPED...). */
csc_change cscsvc_on_service_state(cscsvc *c, DWORD state);

/* TIMER_CSC_RETRY fired: try to subscribe again. */
csc_change cscsvc_on_retry(cscsvc *c);

csc_state cscsvc_state(const cscsvc *c);

/* The level of the connection point advised on (2..4, as the connection
 * point itself names it), 0 while not subscribed. */
int cscsvc_level(const cscsvc *c);

/* "IOfflineFilesEvents4" for a level 1..4; NULL for any other. */
const WCHAR *cscsvc_level_name(int level);

/* When the current subscription was made (FILETIME as UTC 100 ns units);
 * 0 while not subscribed. */
ULONGLONG cscsvc_subscribed_since(const cscsvc *c);

/* The HRESULT of the last failed attempt, for diagnostics (S_OK if none). */
HRESULT cscsvc_last_error(const cscsvc *c);

/* Unadvise, release, stop watching, free. */
void cscsvc_destroy(cscsvc *c);

#endif
