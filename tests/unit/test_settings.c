/* Unit tests of core/settings: layers, precedence, locks, notes, defaults. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "ofnotify/notify.h"
#include "ofnotify/settings.h"

#define MP OF_LAYER_MACHINE_POLICY
#define UP OF_LAYER_USER_POLICY
#define US OF_LAYER_USER

/* Arbitrary platform type codes: core copies them without reading them. */
#define NATIVE_DWORD 4u
#define NATIVE_SZ 1u
#define NATIVE_BINARY 3u
#define NATIVE_QWORD 11u

static const of_settings_source source_of_layer[OF_LAYER_COUNT] = {
    [MP] = OF_SOURCE_MACHINE_POLICY, [UP] = OF_SOURCE_USER_POLICY, [US] = OF_SOURCE_USER};

/* The single settings (the quiet-hours pair is tested on its own). */
static const of_setting_id singles[] = {OF_SETTING_NOTIFY_MODE, OF_SETTING_RETENTION_COUNT,
                                        OF_SETTING_RETENTION_DAYS, OF_SETTING_EVENT_LOG,
                                        OF_SETTING_OFFLINE_NOTIFY, OF_SETTING_OFFLINE_GRACE,
                                        OF_SETTING_NOTIFY_CONFLICTS};
#define N_SINGLES (sizeof singles / sizeof singles[0])

static of_raw_value dword(uint32_t v)
{
    of_raw_value r = {.type = OF_RAW_DWORD, .dword = v, .native_type = NATIVE_DWORD};
    return r;
}

static of_raw_value text(void)
{
    of_raw_value r = {.type = OF_RAW_STRING, .dword = 0, .native_type = NATIVE_SZ};
    return r;
}

static of_raw_value other(uint32_t native)
{
    of_raw_value r = {.type = OF_RAW_OTHER, .dword = 0, .native_type = native};
    return r;
}

static void clear(of_settings_raw *raw)
{
    memset(raw, 0, sizeof(*raw));
}

static void resolve(const of_settings_raw *raw, of_settings *s)
{
    memset(s, 0xA5, sizeof(*s)); /* nothing may survive from before */
    assert_int_equal(of_settings_resolve(raw, s), 0);
}

/* The effective value of a single setting. */
static uint32_t effective(const of_settings *s, of_setting_id id)
{
    switch (id) {
    case OF_SETTING_NOTIFY_MODE:
        return (uint32_t)s->notify_mode;
    case OF_SETTING_RETENTION_COUNT:
        return s->retention_count;
    case OF_SETTING_RETENTION_DAYS:
        return s->retention_days;
    case OF_SETTING_EVENT_LOG:
        return (uint32_t)s->event_log;
    case OF_SETTING_OFFLINE_NOTIFY:
        return (uint32_t)s->offline_notify;
    case OF_SETTING_OFFLINE_GRACE:
        return s->offline_grace_minutes;
    case OF_SETTING_NOTIFY_CONFLICTS:
        return (uint32_t)s->notify_conflicts;
    default:
        fail_msg("not a single setting: %d", (int)id);
        return 0;
    }
}

static uint32_t default_of(of_setting_id id)
{
    switch (id) {
    case OF_SETTING_NOTIFY_MODE:
        return OF_SETTINGS_DEFAULT_NOTIFY_MODE;
    case OF_SETTING_RETENTION_COUNT:
        return OF_SETTINGS_DEFAULT_RETENTION_COUNT;
    case OF_SETTING_RETENTION_DAYS:
        return OF_SETTINGS_DEFAULT_RETENTION_DAYS;
    case OF_SETTING_EVENT_LOG:
        return OF_SETTINGS_DEFAULT_EVENT_LOG;
    case OF_SETTING_OFFLINE_NOTIFY:
        return OF_SETTINGS_DEFAULT_OFFLINE_NOTIFY;
    case OF_SETTING_OFFLINE_GRACE:
        return OF_SETTINGS_DEFAULT_OFFLINE_GRACE;
    case OF_SETTING_NOTIFY_CONFLICTS:
        return OF_SETTINGS_DEFAULT_NOTIFY_CONFLICTS;
    default:
        fail_msg("not a single setting: %d", (int)id);
        return 0;
    }
}

/* A valid value that differs per layer and from the default. */
static uint32_t layer_value(of_setting_id id, int layer)
{
    /* Only 1 and 2 differ from the default mode (0): neighbours differ, and
     * the source tells machine policy from user apart. */
    if (id == OF_SETTING_NOTIFY_MODE)
        return layer == UP ? 2 : 1;
    /* On or off: only 0 differs from the default, so the source alone tells the layers apart. */
    if (id == OF_SETTING_EVENT_LOG || id == OF_SETTING_OFFLINE_NOTIFY || id == OF_SETTING_NOTIFY_CONFLICTS)
        return 0;
    return 10 + (uint32_t)layer;
}

/* A value the setting must refuse: the first number past its range. */
static uint32_t too_big(of_setting_id id)
{
    uint32_t max = 0;
    assert_int_equal(of_settings_range(id, NULL, &max), 0);
    return max + 1;
}

static void assert_no_notes(const of_settings *s)
{
    assert_int_equal(s->note_count, 0);
}

static void assert_note(const of_settings *s, size_t i, of_settings_layer layer, of_setting_id id,
                        of_settings_problem problem)
{
    assert_true(i < s->note_count);
    assert_int_equal(s->notes[i].layer, layer);
    assert_int_equal(s->notes[i].setting, id);
    assert_int_equal(s->notes[i].problem, problem);
}

/* The note about one value, which must exist. */
static const of_settings_note *note_for(const of_settings *s, of_settings_layer layer, of_setting_id id)
{
    for (size_t i = 0; i < s->note_count; i++)
        if (s->notes[i].layer == layer && s->notes[i].setting == id)
            return &s->notes[i];
    fail_msg("no note for layer %d setting %d", (int)layer, (int)id);
    return NULL;
}

static void assert_defaults(const of_settings *s)
{
    assert_int_equal(s->notify_mode, OF_NOTIFY_ALL);
    assert_int_equal(s->quiet_hours, 0);
    assert_int_equal(s->quiet_start_minute, 0);
    assert_int_equal(s->quiet_end_minute, 0);
    assert_int_equal(s->retention_count, 100000);
    assert_int_equal(s->retention_days, 365);
    assert_int_equal(s->event_log, 1);
    assert_int_equal(s->offline_notify, 1);
    assert_int_equal(s->offline_grace_minutes, 2);
    assert_int_equal(s->notify_conflicts, 1);
    for (int id = 0; id < OF_SETTING_COUNT; id++) {
        assert_int_equal(s->source[id], OF_SOURCE_DEFAULT);
        assert_false(of_settings_locked(s, (of_setting_id)id));
    }
}

/* ---- defaults ---------------------------------------------------------------- */

static void null_raw_gives_defaults(void **state)
{
    (void)state;
    of_settings s;
    resolve(NULL, &s);
    assert_defaults(&s);
    assert_no_notes(&s);
}

static void all_absent_gives_defaults(void **state)
{
    (void)state;
    of_settings_raw raw;
    of_settings s;
    clear(&raw);
    resolve(&raw, &s);
    assert_defaults(&s);
    assert_no_notes(&s);
}

static void settings_default_matches_resolve_of_nothing(void **state)
{
    (void)state;
    of_settings a, b;
    memset(&a, 0x5A, sizeof(a));
    of_settings_default(&a);
    resolve(NULL, &b);
    assert_memory_equal(&a, &b, sizeof(a));
    of_settings_default(NULL); /* ignored, no crash */
}

/* ---- precedence -------------------------------------------------------------- */

/* Every subset of layers holding a valid value, for every single setting:
 * the highest present layer wins and a policy win locks. */
static void precedence_every_subset_of_layers(void **state)
{
    (void)state;
    for (size_t k = 0; k < N_SINGLES; k++) {
        of_setting_id id = singles[k];
        for (unsigned mask = 0; mask < (1u << OF_LAYER_COUNT); mask++) {
            of_settings_raw raw;
            of_settings s;
            int winner = -1;
            clear(&raw);
            for (int l = OF_LAYER_COUNT - 1; l >= 0; l--) {
                if (mask & (1u << l)) {
                    raw.v[l][id] = dword(layer_value(id, l));
                    winner = l;
                }
            }
            resolve(&raw, &s);
            assert_no_notes(&s);
            if (winner < 0) {
                assert_int_equal(effective(&s, id), default_of(id));
                assert_int_equal(s.source[id], OF_SOURCE_DEFAULT);
                assert_false(of_settings_locked(&s, id));
            } else {
                assert_int_equal(effective(&s, id), layer_value(id, winner));
                assert_int_equal(s.source[id], source_of_layer[winner]);
                assert_int_equal(of_settings_locked(&s, id), winner != US);
            }
            /* The other settings are untouched by this one. */
            for (int other_id = 0; other_id < OF_SETTING_COUNT; other_id++)
                if (other_id != (int)id)
                    assert_int_equal(s.source[other_id], OF_SOURCE_DEFAULT);
        }
    }
}

/* Every combination of absent / valid / invalid per layer (27 per setting):
 * the first valid layer wins, and every invalid value leaves one note. */
static void precedence_with_invalid_layers_every_combination(void **state)
{
    (void)state;
    for (size_t k = 0; k < N_SINGLES; k++) {
        of_setting_id id = singles[k];
        for (int combo = 0; combo < 27; combo++) {
            of_settings_raw raw;
            of_settings s;
            int kind[OF_LAYER_COUNT], winner = -1;
            size_t invalid = 0;
            clear(&raw);
            for (int l = 0, c = combo; l < OF_LAYER_COUNT; l++, c /= 3) {
                kind[l] = c % 3; /* 0 absent, 1 valid, 2 invalid */
                if (kind[l] == 1)
                    raw.v[l][id] = dword(layer_value(id, l));
                else if (kind[l] == 2)
                    raw.v[l][id] = (l == UP) ? text() : dword(too_big(id));
                if (kind[l] == 1 && winner < 0)
                    winner = l;
            }
            resolve(&raw, &s);
            for (int l = 0; l < OF_LAYER_COUNT; l++) {
                if (kind[l] != 2)
                    continue;
                assert_note(&s, invalid, (of_settings_layer)l, id,
                            l == UP ? OF_PROBLEM_WRONG_TYPE : OF_PROBLEM_OUT_OF_RANGE);
                invalid++;
            }
            assert_int_equal(s.note_count, invalid);
            if (winner < 0) {
                assert_int_equal(effective(&s, id), default_of(id));
                assert_int_equal(s.source[id], OF_SOURCE_DEFAULT);
                assert_false(of_settings_locked(&s, id));
            } else {
                assert_int_equal(effective(&s, id), layer_value(id, winner));
                assert_int_equal(s.source[id], source_of_layer[winner]);
                assert_int_equal(of_settings_locked(&s, id), winner != US);
            }
        }
    }
}

static void each_setting_resolves_independently(void **state)
{
    (void)state;
    of_settings_raw raw;
    of_settings s;
    clear(&raw);
    raw.v[MP][OF_SETTING_RETENTION_DAYS] = dword(30);
    raw.v[UP][OF_SETTING_NOTIFY_MODE] = dword(OF_NOTIFY_OFF);
    raw.v[US][OF_SETTING_NOTIFY_MODE] = dword(OF_NOTIFY_TWO_WAY_ONLY);
    raw.v[US][OF_SETTING_RETENTION_COUNT] = dword(500);
    raw.v[US][OF_SETTING_QUIET_START] = dword(1320);
    raw.v[US][OF_SETTING_QUIET_END] = dword(420);
    resolve(&raw, &s);
    assert_no_notes(&s);
    assert_int_equal(s.notify_mode, OF_NOTIFY_OFF);
    assert_int_equal(s.source[OF_SETTING_NOTIFY_MODE], OF_SOURCE_USER_POLICY);
    assert_int_equal(s.retention_days, 30);
    assert_int_equal(s.source[OF_SETTING_RETENTION_DAYS], OF_SOURCE_MACHINE_POLICY);
    assert_int_equal(s.retention_count, 500);
    assert_int_equal(s.source[OF_SETTING_RETENTION_COUNT], OF_SOURCE_USER);
    assert_int_equal(s.quiet_hours, 1);
    assert_int_equal(s.quiet_start_minute, 1320);
    assert_int_equal(s.quiet_end_minute, 420);
    assert_int_equal(s.source[OF_SETTING_QUIET_START], OF_SOURCE_USER);
    assert_int_equal(s.source[OF_SETTING_QUIET_END], OF_SOURCE_USER);
    assert_true(of_settings_locked(&s, OF_SETTING_NOTIFY_MODE));
    assert_true(of_settings_locked(&s, OF_SETTING_RETENTION_DAYS));
    assert_false(of_settings_locked(&s, OF_SETTING_RETENTION_COUNT));
    assert_false(of_settings_locked(&s, OF_SETTING_QUIET_START));
}

/* ---- ranges and types of single values ----------------------------------------- */

static void boundaries_of_every_single_setting(void **state)
{
    (void)state;
    for (size_t k = 0; k < N_SINGLES; k++) {
        of_setting_id id = singles[k];
        uint32_t min = 99, max = 0;
        uint32_t bad[] = {too_big(id), too_big(id) + 1, 0x80000000u, UINT32_MAX};
        of_settings_raw raw;
        of_settings s;
        assert_int_equal(of_settings_range(id, &min, &max), 0);
        assert_int_equal(min, 0);

        clear(&raw);
        raw.v[US][id] = dword(0);
        resolve(&raw, &s);
        assert_no_notes(&s);
        assert_int_equal(effective(&s, id), 0);
        assert_int_equal(s.source[id], OF_SOURCE_USER);

        raw.v[US][id] = dword(max);
        resolve(&raw, &s);
        assert_no_notes(&s);
        assert_int_equal(effective(&s, id), max);

        for (size_t b = 0; b < sizeof bad / sizeof bad[0]; b++) {
            raw.v[US][id] = dword(bad[b]);
            resolve(&raw, &s);
            assert_int_equal(s.note_count, 1);
            assert_note(&s, 0, US, id, OF_PROBLEM_OUT_OF_RANGE);
            assert_int_equal(s.notes[0].raw.type, OF_RAW_DWORD);
            assert_int_equal(s.notes[0].raw.dword, bad[b]);
            assert_int_equal(effective(&s, id), default_of(id));
            assert_int_equal(s.source[id], OF_SOURCE_DEFAULT);
        }
    }
}

static void documented_bounds(void **state)
{
    (void)state;
    uint32_t max = 0;
    assert_int_equal(of_settings_range(OF_SETTING_NOTIFY_MODE, NULL, &max), 0);
    assert_int_equal(max, 2);
    assert_int_equal(of_settings_range(OF_SETTING_QUIET_START, NULL, &max), 0);
    assert_int_equal(max, 1439);
    assert_int_equal(of_settings_range(OF_SETTING_QUIET_END, NULL, &max), 0);
    assert_int_equal(max, 1439);
    assert_int_equal(of_settings_range(OF_SETTING_RETENTION_COUNT, NULL, &max), 0);
    assert_int_equal(max, 1000000);
    assert_int_equal(of_settings_range(OF_SETTING_RETENTION_DAYS, NULL, &max), 0);
    assert_int_equal(max, 36500);
    assert_int_equal(of_settings_range(OF_SETTING_EVENT_LOG, NULL, &max), 0);
    assert_int_equal(max, 1);
    assert_int_equal(of_settings_range(OF_SETTING_OFFLINE_NOTIFY, NULL, &max), 0);
    assert_int_equal(max, 1);
    assert_int_equal(of_settings_range(OF_SETTING_OFFLINE_GRACE, NULL, &max), 0);
    assert_int_equal(max, 1440);
    assert_int_equal(of_settings_range(OF_SETTING_NOTIFY_CONFLICTS, NULL, &max), 0);
    assert_int_equal(max, 1);
    assert_int_equal(of_settings_range(OF_SETTING_COUNT, NULL, &max), -1);
    assert_int_equal(of_settings_range((of_setting_id)-1, NULL, NULL), -1);
}

static void wrong_types_of_every_setting(void **state)
{
    (void)state;
    of_raw_value wrong[] = {text(), other(NATIVE_BINARY), other(NATIVE_QWORD),
                            {.type = (of_raw_type)77, .dword = 1, .native_type = 1234}};
    for (int id = 0; id < OF_SETTING_COUNT; id++) {
        for (size_t w = 0; w < sizeof wrong / sizeof wrong[0]; w++) {
            for (int l = 0; l < OF_LAYER_COUNT; l++) {
                of_settings_raw raw;
                of_settings s;
                clear(&raw);
                raw.v[l][id] = wrong[w];
                /* A valid partner, so quiet hours fail for the type alone. */
                if (id == OF_SETTING_QUIET_START)
                    raw.v[l][OF_SETTING_QUIET_END] = dword(60);
                if (id == OF_SETTING_QUIET_END)
                    raw.v[l][OF_SETTING_QUIET_START] = dword(60);
                resolve(&raw, &s);
                const of_settings_note *n = note_for(&s, (of_settings_layer)l, (of_setting_id)id);
                assert_int_equal(n->problem, OF_PROBLEM_WRONG_TYPE);
                /* An unknown type is reported as "other"; the native code is kept. */
                assert_int_equal(n->raw.type, w == 3 ? OF_RAW_OTHER : wrong[w].type);
                assert_int_equal(n->raw.native_type, wrong[w].native_type);
                assert_int_equal(s.note_count, id == OF_SETTING_QUIET_START || id == OF_SETTING_QUIET_END ? 2 : 1);
                assert_int_equal(s.source[id], OF_SOURCE_DEFAULT);
                assert_int_equal(s.quiet_hours, 0);
                assert_defaults(&s);
            }
        }
    }
}

static void wrong_type_policy_falls_back_to_user_and_unlocks(void **state)
{
    (void)state;
    of_settings_raw raw;
    of_settings s;
    clear(&raw);
    raw.v[MP][OF_SETTING_NOTIFY_MODE] = text();
    raw.v[UP][OF_SETTING_NOTIFY_MODE] = other(NATIVE_QWORD);
    raw.v[US][OF_SETTING_NOTIFY_MODE] = dword(OF_NOTIFY_TWO_WAY_ONLY);
    resolve(&raw, &s);
    assert_int_equal(s.notify_mode, OF_NOTIFY_TWO_WAY_ONLY);
    assert_int_equal(s.source[OF_SETTING_NOTIFY_MODE], OF_SOURCE_USER);
    assert_false(of_settings_locked(&s, OF_SETTING_NOTIFY_MODE));
    assert_int_equal(s.note_count, 2);
    assert_note(&s, 0, MP, OF_SETTING_NOTIFY_MODE, OF_PROBLEM_WRONG_TYPE);
    assert_note(&s, 1, UP, OF_SETTING_NOTIFY_MODE, OF_PROBLEM_WRONG_TYPE);
    assert_int_equal(s.notes[1].raw.native_type, NATIVE_QWORD);
}

/* ---- quiet hours ------------------------------------------------------------------ */

static of_settings quiet(int layer, of_raw_value start, of_raw_value end)
{
    of_settings_raw raw;
    of_settings s;
    clear(&raw);
    raw.v[layer][OF_SETTING_QUIET_START] = start;
    raw.v[layer][OF_SETTING_QUIET_END] = end;
    resolve(&raw, &s);
    return s;
}

static void assert_no_quiet_hours(const of_settings *s)
{
    assert_int_equal(s->quiet_hours, 0);
    assert_int_equal(s->quiet_start_minute, 0);
    assert_int_equal(s->quiet_end_minute, 0);
    assert_int_equal(s->source[OF_SETTING_QUIET_START], OF_SOURCE_DEFAULT);
    assert_int_equal(s->source[OF_SETTING_QUIET_END], OF_SOURCE_DEFAULT);
}

static void quiet_hours_valid_pairs(void **state)
{
    (void)state;
    const uint32_t pairs[][2] = {{1320, 420}, {420, 1320}, {0, 1439}, {1439, 0}, {0, 1}, {720, 780}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        for (int l = 0; l < OF_LAYER_COUNT; l++) {
            of_settings s = quiet(l, dword(pairs[i][0]), dword(pairs[i][1]));
            assert_no_notes(&s);
            assert_int_equal(s.quiet_hours, 1);
            assert_int_equal(s.quiet_start_minute, pairs[i][0]);
            assert_int_equal(s.quiet_end_minute, pairs[i][1]);
            assert_int_equal(s.source[OF_SETTING_QUIET_START], source_of_layer[l]);
            assert_int_equal(s.source[OF_SETTING_QUIET_END], source_of_layer[l]);
            assert_int_equal(of_settings_locked(&s, OF_SETTING_QUIET_START), l != US);
            assert_int_equal(of_settings_locked(&s, OF_SETTING_QUIET_END), l != US);
        }
    }
}

static void quiet_hours_half_set(void **state)
{
    (void)state;
    of_raw_value none = {0};
    for (int l = 0; l < OF_LAYER_COUNT; l++) {
        of_settings s = quiet(l, dword(1320), none);
        assert_int_equal(s.note_count, 1);
        assert_note(&s, 0, (of_settings_layer)l, OF_SETTING_QUIET_START, OF_PROBLEM_HALF_SET);
        assert_int_equal(s.notes[0].raw.dword, 1320);
        assert_no_quiet_hours(&s);

        s = quiet(l, none, dword(420));
        assert_int_equal(s.note_count, 1);
        assert_note(&s, 0, (of_settings_layer)l, OF_SETTING_QUIET_END, OF_PROBLEM_HALF_SET);
        assert_no_quiet_hours(&s);
    }
}

static void quiet_hours_equal_is_invalid(void **state)
{
    (void)state;
    const uint32_t same[] = {0, 600, 1439};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        of_settings s = quiet(UP, dword(same[i]), dword(same[i]));
        assert_int_equal(s.note_count, 1);
        assert_note(&s, 0, UP, OF_SETTING_QUIET_START, OF_PROBLEM_EMPTY_RANGE);
        assert_int_equal(s.notes[0].raw.dword, same[i]);
        assert_no_quiet_hours(&s);
    }
}

static void quiet_hours_one_bad_half_spoils_the_pair(void **state)
{
    (void)state;
    of_raw_value none = {0};
    of_settings s = quiet(MP, dword(1440), dword(420));
    assert_int_equal(s.note_count, 2);
    assert_note(&s, 0, MP, OF_SETTING_QUIET_START, OF_PROBLEM_OUT_OF_RANGE);
    assert_note(&s, 1, MP, OF_SETTING_QUIET_END, OF_PROBLEM_PARTNER_INVALID);
    assert_no_quiet_hours(&s);

    s = quiet(US, dword(1320), text());
    assert_int_equal(s.note_count, 2);
    assert_note(&s, 0, US, OF_SETTING_QUIET_START, OF_PROBLEM_PARTNER_INVALID);
    assert_note(&s, 1, US, OF_SETTING_QUIET_END, OF_PROBLEM_WRONG_TYPE);
    assert_no_quiet_hours(&s);

    s = quiet(US, other(NATIVE_BINARY), dword(UINT32_MAX));
    assert_int_equal(s.note_count, 2);
    assert_note(&s, 0, US, OF_SETTING_QUIET_START, OF_PROBLEM_WRONG_TYPE);
    assert_note(&s, 1, US, OF_SETTING_QUIET_END, OF_PROBLEM_OUT_OF_RANGE);

    /* A lone bad half is reported for what it is, not as half set. */
    s = quiet(US, dword(5000), none);
    assert_int_equal(s.note_count, 1);
    assert_note(&s, 0, US, OF_SETTING_QUIET_START, OF_PROBLEM_OUT_OF_RANGE);
}

static void quiet_hours_halves_never_combine_across_layers(void **state)
{
    (void)state;
    of_settings_raw raw;
    of_settings s;
    clear(&raw);
    raw.v[MP][OF_SETTING_QUIET_START] = dword(1320);
    raw.v[US][OF_SETTING_QUIET_END] = dword(420);
    resolve(&raw, &s);
    assert_no_quiet_hours(&s);
    assert_int_equal(s.note_count, 2);
    assert_note(&s, 0, MP, OF_SETTING_QUIET_START, OF_PROBLEM_HALF_SET);
    assert_note(&s, 1, US, OF_SETTING_QUIET_END, OF_PROBLEM_HALF_SET);
}

static void quiet_hours_precedence_every_combination(void **state)
{
    (void)state;
    /* Per layer: 0 absent, 1 valid pair, 2 half set, 3 equal. */
    for (int combo = 0; combo < 64; combo++) {
        of_settings_raw raw;
        of_settings s;
        int kind[OF_LAYER_COUNT], winner = -1;
        size_t notes = 0;
        clear(&raw);
        for (int l = 0, c = combo; l < OF_LAYER_COUNT; l++, c /= 4) {
            kind[l] = c % 4;
            if (kind[l] == 1) {
                raw.v[l][OF_SETTING_QUIET_START] = dword(100 + (uint32_t)l);
                raw.v[l][OF_SETTING_QUIET_END] = dword(200 + (uint32_t)l);
                if (winner < 0)
                    winner = l;
            } else if (kind[l] == 2) {
                raw.v[l][OF_SETTING_QUIET_END] = dword(200);
            } else if (kind[l] == 3) {
                raw.v[l][OF_SETTING_QUIET_START] = dword(300);
                raw.v[l][OF_SETTING_QUIET_END] = dword(300);
            }
        }
        resolve(&raw, &s);
        for (int l = 0; l < OF_LAYER_COUNT; l++) {
            if (kind[l] == 2)
                assert_note(&s, notes++, (of_settings_layer)l, OF_SETTING_QUIET_END, OF_PROBLEM_HALF_SET);
            else if (kind[l] == 3)
                assert_note(&s, notes++, (of_settings_layer)l, OF_SETTING_QUIET_START, OF_PROBLEM_EMPTY_RANGE);
        }
        assert_int_equal(s.note_count, notes);
        if (winner < 0) {
            assert_no_quiet_hours(&s);
        } else {
            assert_int_equal(s.quiet_hours, 1);
            assert_int_equal(s.quiet_start_minute, 100 + winner);
            assert_int_equal(s.quiet_end_minute, 200 + winner);
            assert_int_equal(s.source[OF_SETTING_QUIET_START], source_of_layer[winner]);
            assert_int_equal(of_settings_locked(&s, OF_SETTING_QUIET_END), winner != US);
        }
    }
}

/* ---- notes ---------------------------------------------------------------------- */

static void every_value_invalid_gives_every_note_in_order(void **state)
{
    (void)state;
    of_settings_raw raw;
    of_settings s;
    clear(&raw);
    for (int l = 0; l < OF_LAYER_COUNT; l++)
        for (int id = 0; id < OF_SETTING_COUNT; id++)
            raw.v[l][id] = other(100u * (uint32_t)l + (uint32_t)id);
    resolve(&raw, &s);
    assert_int_equal(s.note_count, OF_SETTINGS_NOTES_MAX);
    for (int l = 0; l < OF_LAYER_COUNT; l++) {
        for (int id = 0; id < OF_SETTING_COUNT; id++) {
            size_t i = (size_t)(l * OF_SETTING_COUNT + id);
            assert_note(&s, i, (of_settings_layer)l, (of_setting_id)id, OF_PROBLEM_WRONG_TYPE);
            assert_int_equal(s.notes[i].raw.native_type, 100u * (uint32_t)l + (uint32_t)id);
        }
    }
    assert_defaults(&s);
}

static void valid_values_leave_no_notes(void **state)
{
    (void)state;
    of_settings_raw raw;
    of_settings s;
    clear(&raw);
    for (int l = 0; l < OF_LAYER_COUNT; l++) {
        raw.v[l][OF_SETTING_NOTIFY_MODE] = dword(1);
        raw.v[l][OF_SETTING_QUIET_START] = dword(60);
        raw.v[l][OF_SETTING_QUIET_END] = dword(120);
        raw.v[l][OF_SETTING_RETENTION_COUNT] = dword(0);
        raw.v[l][OF_SETTING_RETENTION_DAYS] = dword(0);
    }
    resolve(&raw, &s);
    assert_no_notes(&s);
    /* 0 is "no limit", a valid choice, not "absent". */
    assert_int_equal(s.retention_count, 0);
    assert_int_equal(s.retention_days, 0);
    assert_int_equal(s.source[OF_SETTING_RETENTION_COUNT], OF_SOURCE_MACHINE_POLICY);
}

/* ---- other functions ---------------------------------------------------------- */

static void value_names(void **state)
{
    (void)state;
    assert_string_equal(of_settings_value_name(OF_SETTING_NOTIFY_MODE), "NotificationMode");
    assert_string_equal(of_settings_value_name(OF_SETTING_QUIET_START), "QuietHoursStart");
    assert_string_equal(of_settings_value_name(OF_SETTING_QUIET_END), "QuietHoursEnd");
    assert_string_equal(of_settings_value_name(OF_SETTING_RETENTION_COUNT), "RetentionCount");
    assert_string_equal(of_settings_value_name(OF_SETTING_RETENTION_DAYS), "RetentionDays");
    assert_string_equal(of_settings_value_name(OF_SETTING_EVENT_LOG), "EventLog");
    assert_string_equal(of_settings_value_name(OF_SETTING_OFFLINE_NOTIFY), "NotifyOffline");
    assert_string_equal(of_settings_value_name(OF_SETTING_OFFLINE_GRACE), "OfflineGraceMinutes");
    assert_string_equal(of_settings_value_name(OF_SETTING_NOTIFY_CONFLICTS), "NotifyConflicts");
    assert_null(of_settings_value_name(OF_SETTING_COUNT));
    assert_null(of_settings_value_name((of_setting_id)-3));
}

static void value_ok(void **state)
{
    (void)state;
    assert_true(of_settings_value_ok(OF_SETTING_NOTIFY_MODE, 2));
    assert_false(of_settings_value_ok(OF_SETTING_NOTIFY_MODE, 3));
    assert_true(of_settings_value_ok(OF_SETTING_QUIET_END, 1439));
    assert_false(of_settings_value_ok(OF_SETTING_QUIET_END, 1440));
    assert_true(of_settings_value_ok(OF_SETTING_EVENT_LOG, 0));
    assert_false(of_settings_value_ok(OF_SETTING_EVENT_LOG, 2));
    assert_true(of_settings_value_ok(OF_SETTING_OFFLINE_GRACE, 1440));
    assert_false(of_settings_value_ok(OF_SETTING_OFFLINE_GRACE, 1441));
    assert_true(of_settings_value_ok(OF_SETTING_NOTIFY_CONFLICTS, 1));
    assert_false(of_settings_value_ok(OF_SETTING_NOTIFY_CONFLICTS, 2));
    assert_false(of_settings_value_ok(OF_SETTING_COUNT, 0));
    assert_false(of_settings_value_ok((of_setting_id)-1, 0));
}

static void locked_rejects_bad_arguments(void **state)
{
    (void)state;
    of_settings s;
    of_settings_default(&s);
    s.source[OF_SETTING_NOTIFY_MODE] = OF_SOURCE_MACHINE_POLICY;
    assert_true(of_settings_locked(&s, OF_SETTING_NOTIFY_MODE));
    assert_false(of_settings_locked(NULL, OF_SETTING_NOTIFY_MODE));
    assert_false(of_settings_locked(&s, OF_SETTING_COUNT));
    assert_false(of_settings_locked(&s, (of_setting_id)-1));
    assert_int_equal(of_settings_resolve(NULL, NULL), -1);
}

static void notify_config_takes_mode_and_quiet_hours_only(void **state)
{
    (void)state;
    of_settings_raw raw;
    of_settings s;
    of_notify_config cfg;
    of_notify n;
    clear(&raw);
    raw.v[UP][OF_SETTING_NOTIFY_MODE] = dword(OF_NOTIFY_TWO_WAY_ONLY);
    raw.v[US][OF_SETTING_QUIET_START] = dword(1320);
    raw.v[US][OF_SETTING_QUIET_END] = dword(420);
    resolve(&raw, &s);
    of_notify_config_default(&cfg);
    cfg.coalesce_ms = 1234;
    cfg.min_gap_ms = 5678;
    cfg.startup_quiet_ms = 42;
    assert_int_equal(of_settings_to_notify_config(&s, &cfg), 0);
    assert_int_equal(cfg.mode, OF_NOTIFY_TWO_WAY_ONLY);
    assert_int_equal(cfg.quiet_start_minute, 1320);
    assert_int_equal(cfg.quiet_end_minute, 420);
    assert_int_equal(cfg.coalesce_ms, 1234);
    assert_int_equal(cfg.min_gap_ms, 5678);
    assert_int_equal(cfg.startup_quiet_ms, 42);
    assert_int_equal(of_notify_init(&n, &cfg, 0), 0);

    /* No quiet hours: the equal minutes core/notify reads as none. */
    resolve(NULL, &s);
    cfg.quiet_start_minute = 100;
    cfg.quiet_end_minute = 200;
    assert_int_equal(of_settings_to_notify_config(&s, &cfg), 0);
    assert_int_equal(cfg.mode, OF_NOTIFY_ALL);
    assert_int_equal(cfg.quiet_start_minute, 0);
    assert_int_equal(cfg.quiet_end_minute, 0);

    assert_int_equal(of_settings_to_notify_config(NULL, &cfg), -1);
    assert_int_equal(of_settings_to_notify_config(&s, NULL), -1);
}

static void notify_config_from_a_damaged_struct_is_still_valid(void **state)
{
    (void)state;
    of_settings s;
    of_notify_config cfg;
    of_notify n;
    of_settings_default(&s);
    s.notify_mode = (of_notify_mode)9;
    s.quiet_hours = 1;
    s.quiet_start_minute = -5;
    s.quiet_end_minute = 5000;
    of_notify_config_default(&cfg);
    assert_int_equal(of_settings_to_notify_config(&s, &cfg), 0);
    assert_int_equal(cfg.mode, OF_NOTIFY_ALL);
    assert_int_equal(cfg.quiet_start_minute, cfg.quiet_end_minute);
    assert_int_equal(of_notify_init(&n, &cfg, 0), 0);
}

/* Any bytes at all: resolve returns effective values inside their ranges,
 * quiet hours that are a real window, and at most one note per value. */
static uint32_t next_random(uint32_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 17;
    *x ^= *x << 5;
    return *x;
}

static void random_raw_values_never_break_the_invariants(void **state)
{
    (void)state;
    uint32_t seed = 0x2545F491u;
    for (int round = 0; round < 20000; round++) {
        of_settings_raw raw;
        of_settings s;
        of_notify_config cfg;
        of_notify n;
        unsigned char *bytes = (unsigned char *)&raw;
        for (size_t i = 0; i < sizeof(raw); i++)
            bytes[i] = (unsigned char)next_random(&seed);
        /* Half the rounds with types and numbers that are often valid. */
        if (round & 1) {
            for (int l = 0; l < OF_LAYER_COUNT; l++) {
                for (int id = 0; id < OF_SETTING_COUNT; id++) {
                    raw.v[l][id].type = (of_raw_type)(next_random(&seed) % 5);
                    raw.v[l][id].dword = next_random(&seed) % 1500;
                }
            }
        }
        resolve(&raw, &s);
        assert_true(s.note_count <= OF_SETTINGS_NOTES_MAX);
        assert_true((int)s.notify_mode >= 0 && s.notify_mode < OF_NOTIFY_MODE_COUNT);
        assert_true(s.retention_count <= OF_SETTINGS_RETENTION_COUNT_MAX);
        assert_true(s.retention_days <= OF_SETTINGS_RETENTION_DAYS_MAX);
        assert_true(s.event_log == 0 || s.event_log == 1);
        assert_true(s.notify_conflicts == 0 || s.notify_conflicts == 1);
        if (s.quiet_hours) {
            assert_true(s.quiet_start_minute >= 0 && s.quiet_start_minute <= 1439);
            assert_true(s.quiet_end_minute >= 0 && s.quiet_end_minute <= 1439);
            assert_int_not_equal(s.quiet_start_minute, s.quiet_end_minute);
            assert_int_equal(s.source[OF_SETTING_QUIET_START], s.source[OF_SETTING_QUIET_END]);
        } else {
            assert_int_equal(s.source[OF_SETTING_QUIET_START], OF_SOURCE_DEFAULT);
        }
        for (size_t i = 0; i < s.note_count; i++) {
            assert_true(s.notes[i].raw.type <= OF_RAW_OTHER);
            assert_true(s.notes[i].raw.type != OF_RAW_ABSENT);
            for (size_t j = 0; j < i; j++)
                assert_false(s.notes[i].layer == s.notes[j].layer && s.notes[i].setting == s.notes[j].setting);
        }
        of_notify_config_default(&cfg);
        assert_int_equal(of_settings_to_notify_config(&s, &cfg), 0);
        assert_int_equal(of_notify_init(&n, &cfg, 0), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(null_raw_gives_defaults),
        cmocka_unit_test(all_absent_gives_defaults),
        cmocka_unit_test(settings_default_matches_resolve_of_nothing),
        cmocka_unit_test(precedence_every_subset_of_layers),
        cmocka_unit_test(precedence_with_invalid_layers_every_combination),
        cmocka_unit_test(each_setting_resolves_independently),
        cmocka_unit_test(boundaries_of_every_single_setting),
        cmocka_unit_test(documented_bounds),
        cmocka_unit_test(wrong_types_of_every_setting),
        cmocka_unit_test(wrong_type_policy_falls_back_to_user_and_unlocks),
        cmocka_unit_test(quiet_hours_valid_pairs),
        cmocka_unit_test(quiet_hours_half_set),
        cmocka_unit_test(quiet_hours_equal_is_invalid),
        cmocka_unit_test(quiet_hours_one_bad_half_spoils_the_pair),
        cmocka_unit_test(quiet_hours_halves_never_combine_across_layers),
        cmocka_unit_test(quiet_hours_precedence_every_combination),
        cmocka_unit_test(every_value_invalid_gives_every_note_in_order),
        cmocka_unit_test(valid_values_leave_no_notes),
        cmocka_unit_test(value_names),
        cmocka_unit_test(value_ok),
        cmocka_unit_test(locked_rejects_bad_arguments),
        cmocka_unit_test(notify_config_takes_mode_and_quiet_hours_only),
        cmocka_unit_test(notify_config_from_a_damaged_struct_is_still_valid),
        cmocka_unit_test(random_raw_values_never_break_the_invariants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
