/* ofnotify: core/settings, resolving the layers of raw values.
 * The contract is in include/ofnotify/settings.h. */
#include "ofnotify/settings.h"

#include <string.h>

static const char *const value_names[OF_SETTING_COUNT] = {
    [OF_SETTING_NOTIFY_MODE] = OF_SETTINGS_VALUE_NOTIFY_MODE,
    [OF_SETTING_QUIET_START] = OF_SETTINGS_VALUE_QUIET_START,
    [OF_SETTING_QUIET_END] = OF_SETTINGS_VALUE_QUIET_END,
    [OF_SETTING_RETENTION_COUNT] = OF_SETTINGS_VALUE_RETENTION_COUNT,
    [OF_SETTING_RETENTION_DAYS] = OF_SETTINGS_VALUE_RETENTION_DAYS,
    [OF_SETTING_EVENT_LOG] = OF_SETTINGS_VALUE_EVENT_LOG,
    [OF_SETTING_OFFLINE_NOTIFY] = OF_SETTINGS_VALUE_OFFLINE_NOTIFY,
    [OF_SETTING_OFFLINE_GRACE] = OF_SETTINGS_VALUE_OFFLINE_GRACE,
    [OF_SETTING_NOTIFY_CONFLICTS] = OF_SETTINGS_VALUE_NOTIFY_CONFLICTS,
};

static const uint32_t range_max[OF_SETTING_COUNT] = {
    [OF_SETTING_NOTIFY_MODE] = OF_NOTIFY_MODE_COUNT - 1,
    [OF_SETTING_QUIET_START] = OF_SETTINGS_QUIET_MINUTE_MAX,
    [OF_SETTING_QUIET_END] = OF_SETTINGS_QUIET_MINUTE_MAX,
    [OF_SETTING_RETENTION_COUNT] = OF_SETTINGS_RETENTION_COUNT_MAX,
    [OF_SETTING_RETENTION_DAYS] = OF_SETTINGS_RETENTION_DAYS_MAX,
    [OF_SETTING_EVENT_LOG] = OF_SETTINGS_EVENT_LOG_MAX,
    [OF_SETTING_OFFLINE_NOTIFY] = OF_SETTINGS_OFFLINE_NOTIFY_MAX,
    [OF_SETTING_OFFLINE_GRACE] = OF_SETTINGS_OFFLINE_GRACE_MAX,
    [OF_SETTING_NOTIFY_CONFLICTS] = OF_SETTINGS_NOTIFY_CONFLICTS_MAX,
};

/* Layer index → the source it gives. */
static const of_settings_source layer_source[OF_LAYER_COUNT] = {
    [OF_LAYER_MACHINE_POLICY] = OF_SOURCE_MACHINE_POLICY,
    [OF_LAYER_USER_POLICY] = OF_SOURCE_USER_POLICY,
    [OF_LAYER_USER] = OF_SOURCE_USER,
};

static int id_ok(of_setting_id id)
{
    return (int)id >= 0 && (int)id < OF_SETTING_COUNT;
}

/* Every setting starts at 0, so each one's whole range is 0..max. */
int of_settings_range(of_setting_id id, uint32_t *min, uint32_t *max)
{
    if (!id_ok(id))
        return -1;
    if (min)
        *min = 0;
    if (max)
        *max = range_max[id];
    return 0;
}

int of_settings_value_ok(of_setting_id id, uint32_t value)
{
    return id_ok(id) && value <= range_max[id];
}

const char *of_settings_value_name(of_setting_id id)
{
    return id_ok(id) ? value_names[id] : NULL;
}

void of_settings_default(of_settings *out)
{
    if (!out)
        return;
    memset(out, 0, sizeof(*out));
    out->notify_mode = OF_SETTINGS_DEFAULT_NOTIFY_MODE;
    out->retention_count = OF_SETTINGS_DEFAULT_RETENTION_COUNT;
    out->retention_days = OF_SETTINGS_DEFAULT_RETENTION_DAYS;
    out->event_log = (int)OF_SETTINGS_DEFAULT_EVENT_LOG;
    out->offline_notify = (int)OF_SETTINGS_DEFAULT_OFFLINE_NOTIFY;
    out->offline_grace_minutes = OF_SETTINGS_DEFAULT_OFFLINE_GRACE;
    out->notify_conflicts = (int)OF_SETTINGS_DEFAULT_NOTIFY_CONFLICTS;
    for (int i = 0; i < OF_SETTING_COUNT; i++)
        out->source[i] = OF_SOURCE_DEFAULT;
}

/* What one value of one layer is worth on its own. */
typedef enum verdict { ABSENT, USABLE, UNUSABLE } verdict;

typedef struct layer_check {
    verdict v[OF_SETTING_COUNT];
    of_settings_problem problem[OF_SETTING_COUNT]; /* when UNUSABLE */
} layer_check;

static verdict check_value(of_setting_id id, const of_raw_value *raw, of_settings_problem *problem)
{
    switch (raw->type) {
    case OF_RAW_ABSENT:
        return ABSENT;
    case OF_RAW_DWORD:
        if (raw->dword <= range_max[id])
            return USABLE;
        *problem = OF_PROBLEM_OUT_OF_RANGE;
        return UNUSABLE;
    case OF_RAW_STRING:
    case OF_RAW_OTHER:
    default: /* a type this version does not know is no DWORD either */
        *problem = OF_PROBLEM_WRONG_TYPE;
        return UNUSABLE;
    }
}

/* The quiet-hours pair counts only whole: a usable half without its
 * partner, or with an unusable partner, becomes unusable too, and equal
 * minutes make the start unusable (the end is then simply not used; one
 * note explains both). */
static void check_quiet_pair(const of_raw_value *raw, layer_check *c)
{
    verdict *s = &c->v[OF_SETTING_QUIET_START], *e = &c->v[OF_SETTING_QUIET_END];
    if (*s == USABLE && *e == USABLE) {
        if (raw[OF_SETTING_QUIET_START].dword == raw[OF_SETTING_QUIET_END].dword) {
            *s = UNUSABLE;
            c->problem[OF_SETTING_QUIET_START] = OF_PROBLEM_EMPTY_RANGE;
            *e = ABSENT;
        }
        return;
    }
    if (*s == USABLE) {
        *s = UNUSABLE;
        c->problem[OF_SETTING_QUIET_START] = *e == ABSENT ? OF_PROBLEM_HALF_SET : OF_PROBLEM_PARTNER_INVALID;
    } else if (*e == USABLE) {
        *e = UNUSABLE;
        c->problem[OF_SETTING_QUIET_END] = *s == ABSENT ? OF_PROBLEM_HALF_SET : OF_PROBLEM_PARTNER_INVALID;
    }
}

static void add_note(of_settings *out, of_settings_layer layer, of_setting_id id, of_settings_problem problem,
                     const of_raw_value *raw)
{
    of_settings_note *n;
    /* One note per (layer, setting) at most, so this always has room. */
    if (out->note_count >= OF_SETTINGS_NOTES_MAX)
        return;
    n = &out->notes[out->note_count++];
    n->layer = layer;
    n->setting = id;
    n->problem = problem;
    n->raw = *raw;
    if ((unsigned)n->raw.type > OF_RAW_OTHER)
        n->raw.type = OF_RAW_OTHER;
}

/* The first usable layer, or -1. */
static int winning_layer(const layer_check *checks, of_setting_id id)
{
    for (int l = 0; l < OF_LAYER_COUNT; l++)
        if (checks[l].v[id] == USABLE)
            return l;
    return -1;
}

int of_settings_resolve(const of_settings_raw *raw, of_settings *out)
{
    layer_check checks[OF_LAYER_COUNT];
    int l;
    if (!out)
        return -1;
    of_settings_default(out);
    if (!raw)
        return 0;

    for (l = 0; l < OF_LAYER_COUNT; l++) {
        for (int id = 0; id < OF_SETTING_COUNT; id++)
            checks[l].v[id] = check_value((of_setting_id)id, &raw->v[l][id], &checks[l].problem[id]);
        check_quiet_pair(raw->v[l], &checks[l]);
        for (int id = 0; id < OF_SETTING_COUNT; id++)
            if (checks[l].v[id] == UNUSABLE)
                add_note(out, (of_settings_layer)l, (of_setting_id)id, checks[l].problem[id], &raw->v[l][id]);
    }

    if ((l = winning_layer(checks, OF_SETTING_NOTIFY_MODE)) >= 0) {
        out->notify_mode = (of_notify_mode)raw->v[l][OF_SETTING_NOTIFY_MODE].dword;
        out->source[OF_SETTING_NOTIFY_MODE] = layer_source[l];
    }
    /* After check_quiet_pair a usable start always has a usable end. */
    if ((l = winning_layer(checks, OF_SETTING_QUIET_START)) >= 0) {
        out->quiet_hours = 1;
        out->quiet_start_minute = (int)raw->v[l][OF_SETTING_QUIET_START].dword;
        out->quiet_end_minute = (int)raw->v[l][OF_SETTING_QUIET_END].dword;
        out->source[OF_SETTING_QUIET_START] = layer_source[l];
        out->source[OF_SETTING_QUIET_END] = layer_source[l];
    }
    if ((l = winning_layer(checks, OF_SETTING_RETENTION_COUNT)) >= 0) {
        out->retention_count = raw->v[l][OF_SETTING_RETENTION_COUNT].dword;
        out->source[OF_SETTING_RETENTION_COUNT] = layer_source[l];
    }
    if ((l = winning_layer(checks, OF_SETTING_RETENTION_DAYS)) >= 0) {
        out->retention_days = raw->v[l][OF_SETTING_RETENTION_DAYS].dword;
        out->source[OF_SETTING_RETENTION_DAYS] = layer_source[l];
    }
    if ((l = winning_layer(checks, OF_SETTING_EVENT_LOG)) >= 0) {
        out->event_log = (int)raw->v[l][OF_SETTING_EVENT_LOG].dword;
        out->source[OF_SETTING_EVENT_LOG] = layer_source[l];
    }
    if ((l = winning_layer(checks, OF_SETTING_OFFLINE_NOTIFY)) >= 0) {
        out->offline_notify = (int)raw->v[l][OF_SETTING_OFFLINE_NOTIFY].dword;
        out->source[OF_SETTING_OFFLINE_NOTIFY] = layer_source[l];
    }
    if ((l = winning_layer(checks, OF_SETTING_OFFLINE_GRACE)) >= 0) {
        out->offline_grace_minutes = raw->v[l][OF_SETTING_OFFLINE_GRACE].dword;
        out->source[OF_SETTING_OFFLINE_GRACE] = layer_source[l];
    }
    if ((l = winning_layer(checks, OF_SETTING_NOTIFY_CONFLICTS)) >= 0) {
        out->notify_conflicts = (int)raw->v[l][OF_SETTING_NOTIFY_CONFLICTS].dword;
        out->source[OF_SETTING_NOTIFY_CONFLICTS] = layer_source[l];
    }
    return 0;
}

int of_settings_locked(const of_settings *s, of_setting_id id)
{
    if (!s || !id_ok(id))
        return 0;
    return s->source[id] == OF_SOURCE_MACHINE_POLICY || s->source[id] == OF_SOURCE_USER_POLICY;
}

int of_settings_to_notify_config(const of_settings *s, of_notify_config *cfg)
{
    if (!s || !cfg)
        return -1;
    cfg->mode = (int)s->notify_mode >= 0 && s->notify_mode < OF_NOTIFY_MODE_COUNT ? s->notify_mode
                                                                                   : OF_SETTINGS_DEFAULT_NOTIFY_MODE;
    if (s->quiet_hours && s->quiet_start_minute >= 0 && s->quiet_start_minute <= (int)OF_SETTINGS_QUIET_MINUTE_MAX &&
        s->quiet_end_minute >= 0 && s->quiet_end_minute <= (int)OF_SETTINGS_QUIET_MINUTE_MAX) {
        cfg->quiet_start_minute = s->quiet_start_minute;
        cfg->quiet_end_minute = s->quiet_end_minute;
    } else {
        cfg->quiet_start_minute = 0;
        cfg->quiet_end_minute = 0;
    }
    return 0;
}
