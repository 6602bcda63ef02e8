/* ofnotify: working offline, from the sink's item and network events to
 * core/offline's state, and from there to the tooltip line, the balloons
 * (after the grace period, one timer, no polling) and the history window.
 * See app_private.h. */
#include "app_private.h"

#include "coretext.h"
#include "history/historywnd.h"
#include "ofnotify/format.h"
#include "resource.h"
#include "timers.h"
#include "tray.h"
#include "wallclock.h"
#include "winutil.h"

#define MS_PER_MINUTE ((uint64_t)60 * 1000)

static uint64_t grace_ms(const app *a)
{
    return (uint64_t)a->settings.offline_grace_minutes * MS_PER_MINUTE;
}

/* "\\srv\projects" or "the network". */
static void scope_name(const of_offline_scope *s, WCHAR *out, size_t cap)
{
    if (s->kind == OF_OFFLINE_SCOPE_NETWORK)
        winutil_load_message(IDS_OFFLINE_NETWORK, out, cap);
    else
        winutil_utf8_to_wide(s->path, out, cap);
}

/* "09:12": the local time of a wall-clock instant. */
static void clock_text(int64_t wall_ms, WCHAR *out, size_t cap)
{
    SYSTEMTIME st;
    if (!wallclock_to_local(wall_ms, &st) ||
        !GetTimeFormatEx(LOCALE_NAME_USER_DEFAULT, TIME_NOSECONDS, &st, NULL, out, (int)cap))
        out[0] = 0;
}

/* "\\srv\projects since 09:12". */
static void scope_since(const of_offline_scope *s, WCHAR *out, size_t cap)
{
    WCHAR name[OF_OFFLINE_PATH_MAX], when[32];
    scope_name(s, name, ARRAYSIZE(name));
    clock_text(s->since_wall_ms, when, ARRAYSIZE(when));
    winutil_load_message(IDS_OFFLINE_SCOPE_SINCE, out, cap, name, when);
}

static void schedule(app *a)
{
    uint64_t due = 0;
    int pending = of_offline_next_due(&a->offline, &due) > 0;
    app_set_timer_until(a->wnd, TIMER_OFFLINE, pending, due);
}

static void show_notice(app *a, const of_offline_notice *n)
{
    WCHAR title[64], body[256], name[OF_OFFLINE_PATH_MAX], detail[64];
    char text[64];
    /* The whole network has sentences of its own: it starts them. */
    BOOL network = n->scope.kind == OF_OFFLINE_SCOPE_NETWORK;
    scope_name(&n->scope, name, ARRAYSIZE(name));
    if (n->kind == OF_OFFLINE_NOTICE_OFFLINE) {
        clock_text(n->scope.since_wall_ms, detail, ARRAYSIZE(detail));
        winutil_load_message(IDS_OFFLINE_BALLOON_TITLE, title, ARRAYSIZE(title));
        if (network)
            winutil_load_message(IDS_OFFLINE_NET_BALLOON_BODY, body, ARRAYSIZE(body), detail);
        else
            winutil_load_message(IDS_OFFLINE_BALLOON_BODY, body, ARRAYSIZE(body), name, detail);
    } else {
        of_format_duration(coretext_strings(), n->scope.duration_ms, text, sizeof(text));
        winutil_utf8_to_wide(text, detail, ARRAYSIZE(detail));
        winutil_load_message(IDS_OFFLINE_BACK_TITLE, title, ARRAYSIZE(title));
        if (network)
            winutil_load_message(IDS_OFFLINE_NET_BACK_BODY, body, ARRAYSIZE(body), detail);
        else
            winutil_load_message(IDS_OFFLINE_BACK_BODY, body, ARRAYSIZE(body), name, detail);
    }
    /* The setting decides only the balloon: the state, the tooltip and the
     * history window show working offline whatever it says. */
    if (!a->settings.offline_notify || !a->tray_shown) {
        app_log("ofnotify: offline balloon not shown: %ls: %ls\n", title, body);
        return;
    }
    app_log("ofnotify: offline balloon: %ls: %ls\n", title, body);
    tray_balloon(a->wnd, title, body);
    a->balloon_seq = 0; /* a click on it has no pass to open */
}

/* Everything due now, then the one timer for what comes next. */
static void show_due(app *a)
{
    of_offline_notice n;
    while (of_offline_poll(&a->offline, app_mono_now(), &n) == 1)
        show_notice(a, &n);
    schedule(a);
}

/* "Working offline: A since 09:12; B since 09:30. Changes stay ...", or
 * nothing when every scope is online. */
static void history_line(const app *a, WCHAR *out, size_t cap)
{
    static WCHAR scopes[1024];
    WCHAR one[OF_OFFLINE_PATH_MAX + 64];
    of_offline_scope s;
    scopes[0] = 0;
    out[0] = 0;
    for (size_t i = 0; of_offline_get(&a->offline, i, &s) == 0; i++) {
        scope_since(&s, one, ARRAYSIZE(one));
        if (wcslen(scopes) + 2 + wcslen(one) >= ARRAYSIZE(scopes))
            break;
        if (scopes[0])
            wcscat(scopes, L"; ");
        wcscat(scopes, one);
    }
    if (scopes[0])
        winutil_load_message(IDS_OFFLINE_BANNER, out, cap, scopes);
}

/* The state changed: the tooltip, the icon, and the history window's line
 * and chart follow. The chart gets the ended periods and the ongoing ones,
 * which end "now" whenever it is drawn. */
static void state_changed(app *a)
{
    static WCHAR line[1280];
    static chart_period periods[OF_OFFLINE_MAX_PERIODS + OF_OFFLINE_MAX_SCOPES + 1];
    of_offline_scope s;
    size_t n = 0;
    for (size_t i = 0; of_offline_period_get(&a->offline, i, &s) == 0; i++)
        periods[n++] = (chart_period){s.since_wall_ms, s.end_wall_ms};
    for (size_t i = 0; of_offline_get(&a->offline, i, &s) == 0; i++)
        periods[n++] = (chart_period){s.since_wall_ms, CHART_PERIOD_ONGOING};
    history_line(a, line, ARRAYSIZE(line));
    app_refresh_tray(a);
    historywnd_set_offline(a->wnd, line, periods, n);
}

void app_offline_start(app *a)
{
    of_offline_init(&a->offline, grace_ms(a));
}

void app_offline_settings_changed(app *a)
{
    of_offline_set_grace(&a->offline, grace_ms(a));
    schedule(a);
}

void app_offline_on_timer(app *a)
{
    show_due(a);
}

/* Handles one of the sink's offline kinds; frees what it carried. */
void app_offline_event(app *a, sink_event_kind kind, LPARAM lp)
{
    sink_event *ev = (sink_event *)lp;
    uint64_t mono = app_mono_now();
    int64_t wall = wallclock_now_ms();
    char path[OF_OFFLINE_PATH_MAX];
    int changed = 0;
    switch (kind) {
    case SINK_ITEM_DISCONNECTED:
    case SINK_ITEM_RECONNECTED:
        /* Without its details (no memory) the event says nothing usable. */
        if (ev && winutil_wide_to_utf8(ev->path, path, sizeof(path))) {
            changed = kind == SINK_ITEM_DISCONNECTED
                          ? of_offline_item_disconnected(&a->offline, path, (int)ev->flags, mono, wall)
                          : of_offline_item_reconnected(&a->offline, path, (int)ev->flags, mono, wall);
            app_log("ofnotify: %s %s (type %lu)%s\n", kind == SINK_ITEM_DISCONNECTED ? "offline" : "online",
                    path, (unsigned long)ev->flags, changed > 0 ? "" : ", state unchanged");
        }
        sink_event_free(ev);
        break;
    case SINK_NO_NET:
        changed = of_offline_no_net(&a->offline, mono, wall);
        app_log("ofnotify: no network\n");
        break;
    case SINK_NET_ARRIVED:
        changed = of_offline_net_arrived(&a->offline, mono, wall);
        app_log("ofnotify: network back\n");
        break;
    case SINK_RECONNECT_BEGIN:
        changed = of_offline_reconnect_begin(&a->offline);
        break;
    case SINK_RECONNECT_END:
        changed = of_offline_reconnect_end(&a->offline);
        break;
    default:
        return;
    }
    if (changed > 0)
        state_changed(a);
    show_due(a);
}

void app_offline_service_lost(app *a)
{
    if (of_offline_count(&a->offline) == 0 && !of_offline_reconnecting(&a->offline))
        return;
    of_offline_forget(&a->offline, app_mono_now(), wallclock_now_ms());
    state_changed(a);
    schedule(a);
}

BOOL app_offline_active(const app *a)
{
    return of_offline_count(&a->offline) > 0;
}

/* "Working offline: \\srv\projects since 09:12", with "and 2 more" when
 * there are others, and "Trying to reconnect…" on a line of its own while
 * the service tries (when it fits). */
BOOL app_offline_tip_line(const app *a, WCHAR *line, size_t cap)
{
    of_offline_scope first;
    WCHAR since[OF_OFFLINE_PATH_MAX + 64];
    size_t count = of_offline_count(&a->offline);
    if (count == 0 || of_offline_get(&a->offline, 0, &first) != 0)
        return FALSE;
    scope_since(&first, since, ARRAYSIZE(since));
    if (count == 1)
        winutil_load_message(IDS_OFFLINE_TIP, line, cap, since);
    else
        winutil_load_message(IDS_OFFLINE_TIP_MORE, line, cap, since, (unsigned)(count - 1));
    if (of_offline_reconnecting(&a->offline)) {
        WCHAR trying[64];
        winutil_load_message(IDS_OFFLINE_RECONNECTING, trying, ARRAYSIZE(trying));
        if (wcslen(line) + 1 + wcslen(trying) < cap) {
            wcscat(line, L"\n");
            wcscat(line, trying);
        }
    }
    return line[0] != 0;
}
