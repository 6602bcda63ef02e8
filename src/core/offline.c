/* ofnotify: core/offline, the working-offline state. The contract is in
 * include/ofnotify/offline.h. */
#include "ofnotify/offline.h"

#include <string.h>

#define OFFLINE_MAGIC 0x4f66464cu /* "OfFL" */

static int ready(const of_offline *o)
{
    return o && o->magic == OFFLINE_MAGIC;
}

static uint64_t elapsed_ms(uint64_t from, uint64_t to)
{
    return to >= from ? to - from : 0;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static char fold(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Length of path without its trailing backslashes. */
static size_t trimmed_len(const char *path)
{
    size_t len = strlen(path);
    while (len > 0 && path[len - 1] == '\\')
        len--;
    return len;
}

/* Whether the first len characters of a and b match, ignoring ASCII case. */
static int same_prefix(const char *a, const char *b, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (fold(a[i]) != fold(b[i]))
            return 0;
    return 1;
}

/* Whether path (len characters) names scope exactly. */
static int same_path(const of_offline_scope *scope, const char *path, size_t len)
{
    return strlen(scope->path) == len && same_prefix(scope->path, path, len);
}

/* Whether path (len characters) lies under the server scope: "\\srv\x" under "\\srv". */
static int under(const of_offline_scope *server, const char *path, size_t len)
{
    size_t slen = strlen(server->path);
    return len > slen && path[slen] == '\\' && same_prefix(server->path, path, slen);
}

static int find(const of_offline *o, of_offline_scope_kind kind, const char *path, size_t len)
{
    for (size_t i = 0; i < o->count; i++)
        if (o->scopes[i].kind == kind && same_path(&o->scopes[i], path, len))
            return (int)i;
    return -1;
}

static void keep_period(of_offline *o, const of_offline_scope *ended)
{
    size_t slot = (o->period_first + o->period_count) % OF_OFFLINE_MAX_PERIODS;
    o->periods[slot] = *ended;
    if (o->period_count < OF_OFFLINE_MAX_PERIODS)
        o->period_count++;
    else
        o->period_first = (o->period_first + 1) % OF_OFFLINE_MAX_PERIODS;
}

/* Ends scope number index: a period, a BACK notice if it was announced. */
static void end_scope(of_offline *o, size_t index, uint64_t mono_ms, int64_t wall_ms, int notify)
{
    of_offline_scope ended = o->scopes[index];
    ended.duration_ms = elapsed_ms(ended.since_mono_ms, mono_ms);
    ended.end_wall_ms = wall_ms;
    keep_period(o, &ended);
    if (notify && ended.announced && o->back_count < OF_OFFLINE_MAX_SCOPES + 1)
        o->back[o->back_count++] = ended;
    memmove(&o->scopes[index], &o->scopes[index + 1], (o->count - index - 1) * sizeof(o->scopes[0]));
    o->count--;
}

static int begin_scope(of_offline *o, of_offline_scope_kind kind, const char *path, size_t len,
                       uint64_t mono_ms, int64_t wall_ms)
{
    of_offline_scope *s;
    /* One slot is kept for the network scope, so NoNetTransports is never lost. */
    size_t cap = kind == OF_OFFLINE_SCOPE_NETWORK ? OF_OFFLINE_MAX_SCOPES + 1 : OF_OFFLINE_MAX_SCOPES;
    if (find(o, kind, path, len) >= 0 || o->count >= cap)
        return 0;
    s = &o->scopes[o->count++];
    memset(s, 0, sizeof(*s));
    s->kind = kind;
    memcpy(s->path, path, len);
    s->path[len] = 0;
    s->since_mono_ms = mono_ms;
    s->since_wall_ms = wall_ms;
    return 1;
}

/* The scope kind an item type stands for, or -1 when the state ignores it. */
static int scope_kind(int item_type)
{
    if (item_type == OF_OFFLINE_ITEM_SHARE)
        return OF_OFFLINE_SCOPE_SHARE;
    if (item_type == OF_OFFLINE_ITEM_SERVER)
        return OF_OFFLINE_SCOPE_SERVER;
    return -1;
}

int of_offline_init(of_offline *o, uint64_t grace_ms)
{
    if (!o)
        return OF_OFFLINE_EINVAL;
    memset(o, 0, sizeof(*o));
    o->magic = OFFLINE_MAGIC;
    o->grace_ms = grace_ms;
    return 0;
}

int of_offline_set_grace(of_offline *o, uint64_t grace_ms)
{
    if (!ready(o))
        return OF_OFFLINE_EINVAL;
    o->grace_ms = grace_ms;
    return 0;
}

int of_offline_item_disconnected(of_offline *o, const char *path, int item_type, uint64_t mono_ms,
                                 int64_t wall_ms)
{
    int kind = scope_kind(item_type);
    size_t len;
    if (!ready(o) || !path)
        return OF_OFFLINE_EINVAL;
    len = trimmed_len(path);
    if (kind < 0 || len == 0 || len >= OF_OFFLINE_PATH_MAX)
        return 0;
    return begin_scope(o, (of_offline_scope_kind)kind, path, len, mono_ms, wall_ms);
}

int of_offline_item_reconnected(of_offline *o, const char *path, int item_type, uint64_t mono_ms,
                                int64_t wall_ms)
{
    int kind = scope_kind(item_type);
    int changed = 0;
    size_t len;
    if (!ready(o) || !path)
        return OF_OFFLINE_EINVAL;
    len = trimmed_len(path);
    if (kind < 0 || len == 0 || len >= OF_OFFLINE_PATH_MAX)
        return 0;
    for (size_t i = 0; i < o->count;) {
        const of_offline_scope *s = &o->scopes[i];
        int match = s->kind == (of_offline_scope_kind)kind && same_path(s, path, len);
        /* A share of a server that comes back is back too. */
        if (kind == OF_OFFLINE_SCOPE_SERVER && s->kind == OF_OFFLINE_SCOPE_SHARE)
            match = strlen(s->path) > len && s->path[len] == '\\' && same_prefix(s->path, path, len);
        if (match) {
            end_scope(o, i, mono_ms, wall_ms, 1);
            changed = 1;
        } else {
            i++;
        }
    }
    return changed;
}

int of_offline_no_net(of_offline *o, uint64_t mono_ms, int64_t wall_ms)
{
    if (!ready(o))
        return OF_OFFLINE_EINVAL;
    return begin_scope(o, OF_OFFLINE_SCOPE_NETWORK, "", 0, mono_ms, wall_ms);
}

int of_offline_net_arrived(of_offline *o, uint64_t mono_ms, int64_t wall_ms)
{
    int index;
    if (!ready(o))
        return OF_OFFLINE_EINVAL;
    index = find(o, OF_OFFLINE_SCOPE_NETWORK, "", 0);
    if (index < 0)
        return 0;
    end_scope(o, (size_t)index, mono_ms, wall_ms, 1);
    return 1;
}

static int set_reconnecting(of_offline *o, int on)
{
    int changed;
    if (!ready(o))
        return OF_OFFLINE_EINVAL;
    changed = o->reconnecting != on;
    o->reconnecting = on;
    return changed;
}

int of_offline_reconnect_begin(of_offline *o)
{
    return set_reconnecting(o, 1);
}

int of_offline_reconnect_end(of_offline *o)
{
    return set_reconnecting(o, 0);
}

int of_offline_reconnecting(const of_offline *o)
{
    return ready(o) && o->reconnecting;
}

int of_offline_forget(of_offline *o, uint64_t mono_ms, int64_t wall_ms)
{
    if (!ready(o))
        return OF_OFFLINE_EINVAL;
    while (o->count > 0)
        end_scope(o, 0, mono_ms, wall_ms, 0);
    o->back_count = 0;
    o->reconnecting = 0;
    return 0;
}

size_t of_offline_count(const of_offline *o)
{
    return ready(o) ? o->count : 0;
}

int of_offline_get(const of_offline *o, size_t index, of_offline_scope *out)
{
    if (!ready(o) || !out || index >= o->count)
        return OF_OFFLINE_EINVAL;
    *out = o->scopes[index];
    return 0;
}

int of_offline_is_offline(const of_offline *o, const char *path)
{
    size_t len;
    if (!ready(o) || !path)
        return 0;
    len = trimmed_len(path);
    for (size_t i = 0; i < o->count; i++) {
        const of_offline_scope *s = &o->scopes[i];
        if (s->kind == OF_OFFLINE_SCOPE_NETWORK || same_path(s, path, len) || under(s, path, len))
            return 1;
    }
    return 0;
}

int of_offline_poll(of_offline *o, uint64_t mono_ms, of_offline_notice *out)
{
    if (!ready(o) || !out)
        return OF_OFFLINE_EINVAL;
    if (o->back_count > 0) {
        out->kind = OF_OFFLINE_NOTICE_BACK;
        out->scope = o->back[0];
        memmove(&o->back[0], &o->back[1], (o->back_count - 1) * sizeof(o->back[0]));
        o->back_count--;
        return 1;
    }
    for (size_t i = 0; i < o->count; i++) {
        of_offline_scope *s = &o->scopes[i];
        if (!s->announced && elapsed_ms(s->since_mono_ms, mono_ms) >= o->grace_ms) {
            s->announced = 1;
            out->kind = OF_OFFLINE_NOTICE_OFFLINE;
            out->scope = *s;
            out->scope.duration_ms = elapsed_ms(s->since_mono_ms, mono_ms);
            return 1;
        }
    }
    return 0;
}

int of_offline_next_due(const of_offline *o, uint64_t *due_mono_ms)
{
    int found = 0;
    uint64_t due = UINT64_MAX;
    if (!ready(o) || !due_mono_ms)
        return OF_OFFLINE_EINVAL;
    if (o->back_count > 0) {
        *due_mono_ms = 0;
        return 1;
    }
    for (size_t i = 0; i < o->count; i++) {
        uint64_t at = add_sat(o->scopes[i].since_mono_ms, o->grace_ms);
        if (!o->scopes[i].announced && (!found || at < due)) {
            due = at;
            found = 1;
        }
    }
    if (found)
        *due_mono_ms = due;
    return found;
}

size_t of_offline_period_count(const of_offline *o)
{
    return ready(o) ? o->period_count : 0;
}

int of_offline_period_get(const of_offline *o, size_t index, of_offline_scope *out)
{
    if (!ready(o) || !out || index >= o->period_count)
        return OF_OFFLINE_EINVAL;
    *out = o->periods[(o->period_first + index) % OF_OFFLINE_MAX_PERIODS];
    return 0;
}
