/* ofnotify fuzzing: the settings resolver (core/settings).
 *
 * The input fills every raw value of every layer (type, number, native
 * type). The result is compared with a model written here from the rules
 * of settings.h: per setting, the first layer with a usable value wins,
 * the quiet-hours pair counts only whole, from one layer, and not empty;
 * every present value that is not usable leaves exactly one note, with the
 * right problem, in layer then setting order. */
#include "fuzzcheck.h"

#include <string.h>

#include "ofnotify/settings.h"

static const of_settings_source source_of_layer[OF_LAYER_COUNT] = {
    OF_SOURCE_MACHINE_POLICY, OF_SOURCE_USER_POLICY, OF_SOURCE_USER};

static uint32_t max_of(of_setting_id id)
{
    uint32_t lo = 1, hi = 0;
    FZ_CHECK(of_settings_range(id, &lo, &hi) == 0 && lo == 0);
    return hi;
}

static int present(const of_raw_value *v)
{
    return v->type != OF_RAW_ABSENT;
}

static int usable(const of_raw_value *v, of_setting_id id)
{
    return v->type == OF_RAW_DWORD && v->dword <= max_of(id);
}

/* The problem of a present value that is unusable on its own. */
static of_settings_problem own_problem(const of_raw_value *v)
{
    return v->type == OF_RAW_DWORD ? OF_PROBLEM_OUT_OF_RANGE : OF_PROBLEM_WRONG_TYPE;
}

/* The note the model expects for (layer, id), if any. */
static int expected_note(const of_raw_value *layer, of_setting_id id, of_settings_problem *problem)
{
    const of_raw_value *v = &layer[id];
    if (!present(v))
        return 0;
    if (id != OF_SETTING_QUIET_START && id != OF_SETTING_QUIET_END) {
        *problem = own_problem(v);
        return !usable(v, id);
    }
    of_setting_id other = id == OF_SETTING_QUIET_START ? OF_SETTING_QUIET_END : OF_SETTING_QUIET_START;
    const of_raw_value *p = &layer[other];
    if (!usable(v, id)) {
        *problem = own_problem(v);
        return 1;
    }
    if (usable(p, other)) {
        /* Both usable: only equal minutes are a problem, noted on the start. */
        *problem = OF_PROBLEM_EMPTY_RANGE;
        return id == OF_SETTING_QUIET_START && v->dword == p->dword;
    }
    *problem = present(p) ? OF_PROBLEM_PARTNER_INVALID : OF_PROBLEM_HALF_SET;
    return 1;
}

static int quiet_usable(const of_raw_value *layer)
{
    return usable(&layer[OF_SETTING_QUIET_START], OF_SETTING_QUIET_START) &&
           usable(&layer[OF_SETTING_QUIET_END], OF_SETTING_QUIET_END) &&
           layer[OF_SETTING_QUIET_START].dword != layer[OF_SETTING_QUIET_END].dword;
}

static void check_single(const of_settings_raw *raw, const of_settings *s, of_setting_id id, uint32_t value,
                         uint32_t dflt)
{
    for (int l = 0; l < OF_LAYER_COUNT; l++) {
        if (usable(&raw->v[l][id], id)) {
            FZ_CHECK(s->source[id] == source_of_layer[l]);
            FZ_CHECK(value == raw->v[l][id].dword);
            return;
        }
    }
    FZ_CHECK(s->source[id] == OF_SOURCE_DEFAULT);
    FZ_CHECK(value == dflt);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_input in = fz_input_make(data, size);
    of_settings_raw raw;
    memset(&raw, 0, sizeof raw);
    for (int l = 0; l < OF_LAYER_COUNT; l++) {
        for (int id = 0; id < OF_SETTING_COUNT; id++) {
            uint8_t t = fz_u8(&in);
            of_raw_value *v = &raw.v[l][id];
            /* Mostly the four types; a byte from 0xF0 up is taken as it is
             * (a type this version does not know). */
            v->type = t >= 0xF0 ? (of_raw_type)t : (of_raw_type)(t & 3u);
            v->dword = fz_u32(&in);
            if (t & 0x10u)
                v->dword %= 1441u; /* near the minutes' range */
            v->native_type = fz_u32(&in);
        }
    }

    of_settings s;
    memset(&s, 0xA5, sizeof s);
    FZ_CHECK(of_settings_resolve(&raw, &s) == 0);

    check_single(&raw, &s, OF_SETTING_NOTIFY_MODE, (uint32_t)s.notify_mode, OF_SETTINGS_DEFAULT_NOTIFY_MODE);
    check_single(&raw, &s, OF_SETTING_RETENTION_COUNT, s.retention_count, OF_SETTINGS_DEFAULT_RETENTION_COUNT);
    check_single(&raw, &s, OF_SETTING_RETENTION_DAYS, s.retention_days, OF_SETTINGS_DEFAULT_RETENTION_DAYS);
    check_single(&raw, &s, OF_SETTING_EVENT_LOG, (uint32_t)s.event_log, OF_SETTINGS_DEFAULT_EVENT_LOG);

    int quiet_layer = -1;
    for (int l = OF_LAYER_COUNT - 1; l >= 0; l--)
        if (quiet_usable(raw.v[l]))
            quiet_layer = l;
    FZ_CHECK(s.quiet_hours == (quiet_layer >= 0));
    FZ_CHECK(s.source[OF_SETTING_QUIET_START] == s.source[OF_SETTING_QUIET_END]);
    if (quiet_layer >= 0) {
        FZ_CHECK(s.source[OF_SETTING_QUIET_START] == source_of_layer[quiet_layer]);
        FZ_CHECK(s.quiet_start_minute == (int)raw.v[quiet_layer][OF_SETTING_QUIET_START].dword);
        FZ_CHECK(s.quiet_end_minute == (int)raw.v[quiet_layer][OF_SETTING_QUIET_END].dword);
        FZ_CHECK(s.quiet_start_minute != s.quiet_end_minute);
    } else {
        FZ_CHECK(s.source[OF_SETTING_QUIET_START] == OF_SOURCE_DEFAULT);
        FZ_CHECK(s.quiet_start_minute == 0 && s.quiet_end_minute == 0);
    }

    /* The notes, one for each unusable present value, in order. */
    size_t k = 0;
    FZ_CHECK(s.note_count <= OF_SETTINGS_NOTES_MAX);
    for (int l = 0; l < OF_LAYER_COUNT; l++) {
        for (int id = 0; id < OF_SETTING_COUNT; id++) {
            of_settings_problem problem = OF_PROBLEM_WRONG_TYPE;
            if (!expected_note(raw.v[l], (of_setting_id)id, &problem))
                continue;
            FZ_CHECK(k < s.note_count);
            const of_settings_note *n = &s.notes[k++];
            const of_raw_value *v = &raw.v[l][id];
            FZ_CHECK(n->layer == (of_settings_layer)l && n->setting == (of_setting_id)id);
            FZ_CHECK(n->problem == problem);
            FZ_CHECK(n->raw.type == ((unsigned)v->type > OF_RAW_OTHER ? OF_RAW_OTHER : v->type));
            FZ_CHECK(n->raw.dword == v->dword && n->raw.native_type == v->native_type);
        }
    }
    FZ_CHECK(k == s.note_count);

    for (int id = 0; id < OF_SETTING_COUNT; id++) {
        FZ_CHECK(of_settings_locked(&s, (of_setting_id)id) ==
                 (s.source[id] == OF_SOURCE_MACHINE_POLICY || s.source[id] == OF_SOURCE_USER_POLICY));
        FZ_CHECK(of_settings_value_name((of_setting_id)id) != NULL);
        uint32_t probe = raw.v[0][id].dword;
        FZ_CHECK(of_settings_value_ok((of_setting_id)id, probe) == (probe <= max_of((of_setting_id)id)));
    }

    /* The notification configuration takes the mode and quiet hours only. */
    of_notify_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.startup_quiet_ms = 11;
    cfg.coalesce_ms = 22;
    cfg.min_gap_ms = 33;
    FZ_CHECK(of_settings_to_notify_config(&s, &cfg) == 0);
    FZ_CHECK(cfg.mode == s.notify_mode);
    FZ_CHECK(cfg.quiet_start_minute == s.quiet_start_minute && cfg.quiet_end_minute == s.quiet_end_minute);
    FZ_CHECK(cfg.startup_quiet_ms == 11 && cfg.coalesce_ms == 22 && cfg.min_gap_ms == 33);
    return 0;
}
