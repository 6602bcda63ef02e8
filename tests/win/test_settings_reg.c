/* Tests for src/app/settings_reg against the real registry (Wine's, or Windows'),
 * on keys of their own: HKCU\Software\ofnotify-tests\settings\{machine,
 * userpolicy,user} stand in for the three layers and are deleted after each
 * test. Values of every wrong type, huge numbers, missing keys, policy over
 * user, the lock on writing, and the note texts (this program links the
 * app's resources, so the English STRINGTABLE is there). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include <windows.h>

#include "settings_reg.h"

#define BASE L"Software\\ofnotify-tests\\settings"
#define MACHINE BASE L"\\machine"
#define USERPOLICY BASE L"\\userpolicy"
#define USER BASE L"\\user"

#define MP OF_LAYER_MACHINE_POLICY
#define UP OF_LAYER_USER_POLICY
#define US OF_LAYER_USER

static const settings_keys test_keys = {
    .root = {HKEY_CURRENT_USER, HKEY_CURRENT_USER, HKEY_CURRENT_USER},
    .path = {MACHINE, USERPOLICY, USER},
};

static const WCHAR *const layer_path[OF_LAYER_COUNT] = {MACHINE, USERPOLICY, USER};

static int wipe(void **state)
{
    (void)state;
    LSTATUS rc = RegDeleteTreeW(HKEY_CURRENT_USER, BASE);
    assert_true(rc == ERROR_SUCCESS || rc == ERROR_FILE_NOT_FOUND);
    /* English note texts, whatever the prefix's language (Windows picks
     * resources by the thread's UI language, Wine by the thread locale). */
    SetThreadUILanguage(MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US));
    SetThreadLocale(MAKELCID(MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US), SORT_DEFAULT));
    return 0;
}

static void put(int layer, const WCHAR *name, DWORD type, const void *data, DWORD size)
{
    HKEY key;
    assert_int_equal(RegCreateKeyExW(HKEY_CURRENT_USER, layer_path[layer], 0, NULL, 0, KEY_SET_VALUE, NULL, &key,
                                     NULL),
                     ERROR_SUCCESS);
    assert_int_equal(RegSetValueExW(key, name, 0, type, data, size), ERROR_SUCCESS);
    RegCloseKey(key);
}

static void put_dword(int layer, const WCHAR *name, DWORD v)
{
    put(layer, name, REG_DWORD, &v, sizeof(v));
}

static void put_sz(int layer, const WCHAR *name, DWORD type, const WCHAR *text)
{
    put(layer, name, type, text, (DWORD)((wcslen(text) + 1) * sizeof(WCHAR)));
}

static void make_key(int layer)
{
    HKEY key;
    assert_int_equal(RegCreateKeyExW(HKEY_CURRENT_USER, layer_path[layer], 0, NULL, 0, KEY_READ, NULL, &key, NULL),
                     ERROR_SUCCESS);
    RegCloseKey(key);
}

static int read_user_dword(const WCHAR *name, DWORD *out)
{
    DWORD size = sizeof(*out);
    return RegGetValueW(HKEY_CURRENT_USER, USER, name, RRF_RT_REG_DWORD, NULL, out, &size) == ERROR_SUCCESS;
}

static void load(of_settings *s)
{
    memset(s, 0xCC, sizeof(*s));
    assert_int_equal(settings_load(&test_keys, s), ERROR_SUCCESS);
}

static void assert_defaults(const of_settings *s)
{
    assert_int_equal(s->notify_mode, OF_NOTIFY_ALL);
    assert_int_equal(s->quiet_hours, 0);
    assert_int_equal(s->retention_count, OF_SETTINGS_DEFAULT_RETENTION_COUNT);
    assert_int_equal(s->retention_days, OF_SETTINGS_DEFAULT_RETENTION_DAYS);
    for (int i = 0; i < OF_SETTING_COUNT; i++)
        assert_int_equal(s->source[i], OF_SOURCE_DEFAULT);
}

static const of_settings_note *note_for(const of_settings *s, int layer, of_setting_id id)
{
    for (size_t i = 0; i < s->note_count; i++)
        if ((int)s->notes[i].layer == layer && s->notes[i].setting == id)
            return &s->notes[i];
    fail_msg("no note for layer %d setting %d", layer, (int)id);
    return NULL;
}

static void assert_contains(const WCHAR *text, const WCHAR *part)
{
    if (!wcsstr(text, part)) {
        print_error("\"%ls\" does not contain \"%ls\"\n", text, part);
        fail();
    }
}

/* ---- reading ------------------------------------------------------------------- */

static void missing_keys_give_defaults(void **state)
{
    (void)state;
    of_settings s;
    load(&s);
    assert_defaults(&s);
    assert_int_equal(s.note_count, 0);
}

static void empty_keys_give_defaults(void **state)
{
    (void)state;
    of_settings s;
    for (int l = 0; l < OF_LAYER_COUNT; l++)
        make_key(l);
    load(&s);
    assert_defaults(&s);
    assert_int_equal(s.note_count, 0);
}

static void user_values_are_read(void **state)
{
    (void)state;
    of_settings s;
    put_dword(US, L"NotificationMode", 1);
    put_dword(US, L"QuietHoursStart", 1320);
    put_dword(US, L"QuietHoursEnd", 420);
    put_dword(US, L"RetentionCount", 5000);
    put_dword(US, L"RetentionDays", 0);
    put_dword(US, L"EventLog", 0);
    put_dword(US, L"NotifyOffline", 0);
    put_dword(US, L"OfflineGraceMinutes", 15);
    put_dword(US, L"NotifyConflicts", 0);
    load(&s);
    assert_int_equal(s.note_count, 0);
    assert_int_equal(s.notify_mode, OF_NOTIFY_TWO_WAY_ONLY);
    assert_int_equal(s.quiet_hours, 1);
    assert_int_equal(s.quiet_start_minute, 1320);
    assert_int_equal(s.quiet_end_minute, 420);
    assert_int_equal(s.retention_count, 5000);
    assert_int_equal(s.retention_days, 0);
    assert_int_equal(s.event_log, 0);
    assert_int_equal(s.offline_notify, 0);
    assert_int_equal(s.offline_grace_minutes, 15);
    assert_int_equal(s.notify_conflicts, 0);
    for (int i = 0; i < OF_SETTING_COUNT; i++) {
        assert_int_equal(s.source[i], OF_SOURCE_USER);
        assert_false(of_settings_locked(&s, (of_setting_id)i));
    }
}

static void policy_over_user_and_locked(void **state)
{
    (void)state;
    of_settings s;
    put_dword(US, L"NotificationMode", 1);
    put_dword(UP, L"NotificationMode", 0);
    put_dword(MP, L"NotificationMode", 2);
    put_dword(US, L"RetentionDays", 10);
    put_dword(UP, L"RetentionDays", 20);
    put_dword(US, L"RetentionCount", 30);
    load(&s);
    assert_int_equal(s.note_count, 0);
    assert_int_equal(s.notify_mode, OF_NOTIFY_OFF);
    assert_int_equal(s.source[OF_SETTING_NOTIFY_MODE], OF_SOURCE_MACHINE_POLICY);
    assert_true(of_settings_locked(&s, OF_SETTING_NOTIFY_MODE));
    assert_int_equal(s.retention_days, 20);
    assert_int_equal(s.source[OF_SETTING_RETENTION_DAYS], OF_SOURCE_USER_POLICY);
    assert_true(of_settings_locked(&s, OF_SETTING_RETENTION_DAYS));
    assert_int_equal(s.retention_count, 30);
    assert_false(of_settings_locked(&s, OF_SETTING_RETENTION_COUNT));
}

/* Every registry type other than a 4-byte REG_DWORD is refused with its
 * type named, and the next layer's value is used. */
static void wrong_types_fall_back_with_a_note(void **state)
{
    (void)state;
    static WCHAR long_text[8192];
    BYTE big[1000], two[2] = {1, 0};
    uint64_t q = 1;
    DWORD be = 0x01000000;
    struct {
        DWORD type;
        const void *data;
        DWORD size;
        of_raw_type want;
    } cases[] = {
        {REG_SZ, L"1", sizeof(L"1"), OF_RAW_STRING},
        {REG_EXPAND_SZ, L"%X%", sizeof(L"%X%"), OF_RAW_STRING},
        {REG_MULTI_SZ, L"1\0", sizeof(L"1\0"), OF_RAW_STRING},
        {REG_SZ, long_text, sizeof(long_text), OF_RAW_STRING},
        {REG_BINARY, big, 4, OF_RAW_OTHER},
        {REG_BINARY, big, sizeof(big), OF_RAW_OTHER},
        {REG_QWORD, &q, sizeof(q), OF_RAW_OTHER},
        {REG_DWORD_BIG_ENDIAN, &be, sizeof(be), OF_RAW_OTHER},
        {REG_NONE, NULL, 0, OF_RAW_OTHER},
        {REG_DWORD, two, sizeof(two), OF_RAW_OTHER},
        {REG_DWORD, &q, sizeof(q), OF_RAW_OTHER},
    };
    wmemset(long_text, L'7', ARRAYSIZE(long_text) - 1);
    memset(big, 1, sizeof(big));
    for (size_t i = 0; i < ARRAYSIZE(cases); i++) {
        of_settings s;
        const of_settings_note *n;
        wipe(NULL);
        put(MP, L"NotificationMode", cases[i].type, cases[i].data, cases[i].size);
        put_dword(US, L"NotificationMode", 2);
        load(&s);
        assert_int_equal(s.notify_mode, OF_NOTIFY_OFF);
        assert_int_equal(s.source[OF_SETTING_NOTIFY_MODE], OF_SOURCE_USER);
        assert_false(of_settings_locked(&s, OF_SETTING_NOTIFY_MODE));
        assert_int_equal(s.note_count, 1);
        n = note_for(&s, MP, OF_SETTING_NOTIFY_MODE);
        assert_int_equal(n->problem, OF_PROBLEM_WRONG_TYPE);
        assert_int_equal(n->raw.type, cases[i].want);
        assert_int_equal(n->raw.native_type, cases[i].type);
    }
}

static void huge_and_out_of_range_dwords(void **state)
{
    (void)state;
    of_settings s;
    put_dword(MP, L"NotificationMode", 0xFFFFFFFF);
    put_dword(UP, L"NotificationMode", 3);
    put_dword(MP, L"RetentionCount", 1000001);
    put_dword(MP, L"RetentionDays", 0x80000000);
    put_dword(UP, L"QuietHoursStart", 1440);
    put_dword(UP, L"QuietHoursEnd", 60);
    load(&s);
    assert_defaults(&s);
    assert_int_equal(s.note_count, 6);
    assert_int_equal(note_for(&s, MP, OF_SETTING_NOTIFY_MODE)->raw.dword, 0xFFFFFFFF);
    assert_int_equal(note_for(&s, MP, OF_SETTING_NOTIFY_MODE)->problem, OF_PROBLEM_OUT_OF_RANGE);
    assert_int_equal(note_for(&s, UP, OF_SETTING_NOTIFY_MODE)->problem, OF_PROBLEM_OUT_OF_RANGE);
    assert_int_equal(note_for(&s, MP, OF_SETTING_RETENTION_COUNT)->problem, OF_PROBLEM_OUT_OF_RANGE);
    assert_int_equal(note_for(&s, MP, OF_SETTING_RETENTION_DAYS)->problem, OF_PROBLEM_OUT_OF_RANGE);
    assert_int_equal(note_for(&s, UP, OF_SETTING_QUIET_START)->problem, OF_PROBLEM_OUT_OF_RANGE);
    assert_int_equal(note_for(&s, UP, OF_SETTING_QUIET_END)->problem, OF_PROBLEM_PARTNER_INVALID);
}

static void quiet_hours_half_in_policy_does_not_lock(void **state)
{
    (void)state;
    of_settings s;
    put_dword(MP, L"QuietHoursStart", 1320);
    put_dword(US, L"QuietHoursStart", 60);
    put_dword(US, L"QuietHoursEnd", 120);
    load(&s);
    assert_int_equal(s.quiet_hours, 1);
    assert_int_equal(s.quiet_start_minute, 60);
    assert_int_equal(s.quiet_end_minute, 120);
    assert_false(of_settings_locked(&s, OF_SETTING_QUIET_START));
    assert_int_equal(s.note_count, 1);
    assert_int_equal(note_for(&s, MP, OF_SETTING_QUIET_START)->problem, OF_PROBLEM_HALF_SET);
}

/* Values with other names, subkeys and a default value are none of ours. */
static void unrelated_values_are_ignored(void **state)
{
    (void)state;
    of_settings s;
    HKEY sub;
    put_sz(MP, L"", REG_SZ, L"default value");
    put_dword(MP, L"notificationmodex", 2);
    assert_int_equal(RegCreateKeyExW(HKEY_CURRENT_USER, MACHINE L"\\NotificationMode", 0, NULL, 0, KEY_READ, NULL,
                                     &sub, NULL),
                     ERROR_SUCCESS);
    RegCloseKey(sub);
    load(&s);
    assert_defaults(&s);
    assert_int_equal(s.note_count, 0);
}

/* Registry value names are case-insensitive, as Windows treats them. */
static void value_names_ignore_case(void **state)
{
    (void)state;
    of_settings s;
    put_dword(US, L"NOTIFICATIONMODE", 2);
    load(&s);
    assert_int_equal(s.notify_mode, OF_NOTIFY_OFF);
}

static void default_keys_are_the_documented_ones(void **state)
{
    (void)state;
    const settings_keys *k = settings_default_keys();
    assert_true(k->root[MP] == HKEY_LOCAL_MACHINE);
    assert_true(k->root[UP] == HKEY_CURRENT_USER);
    assert_true(k->root[US] == HKEY_CURRENT_USER);
    assert_true(wcscmp(k->path[MP], L"Software\\Policies\\ofnotify") == 0);
    assert_true(wcscmp(k->path[UP], L"Software\\Policies\\ofnotify") == 0);
    assert_true(wcscmp(k->path[US], L"Software\\ofnotify") == 0);
}

/* ---- writing the user's notification mode ---------------------------------------- */

static void write_creates_the_user_key(void **state)
{
    (void)state;
    DWORD v = 99, err = 123;
    of_settings s;
    assert_int_equal(settings_set_notify_mode(&test_keys, OF_NOTIFY_TWO_WAY_ONLY, &err), SETTINGS_WRITTEN);
    assert_int_equal(err, 0);
    assert_true(read_user_dword(L"NotificationMode", &v));
    assert_int_equal(v, 1);
    load(&s);
    assert_int_equal(s.notify_mode, OF_NOTIFY_TWO_WAY_ONLY);
    assert_int_equal(s.source[OF_SETTING_NOTIFY_MODE], OF_SOURCE_USER);

    /* And replaces an invalid value there. */
    put_sz(US, L"NotificationMode", REG_SZ, L"two-way");
    assert_int_equal(settings_set_notify_mode(&test_keys, OF_NOTIFY_OFF, NULL), SETTINGS_WRITTEN);
    assert_true(read_user_dword(L"NotificationMode", &v));
    assert_int_equal(v, 2);
}

static void write_refused_when_a_policy_locks(void **state)
{
    (void)state;
    DWORD v = 99;
    for (int layer = MP; layer <= UP; layer++) {
        wipe(NULL);
        put_dword(US, L"NotificationMode", 0);
        put_dword(layer, L"NotificationMode", 2);
        assert_int_equal(settings_set_notify_mode(&test_keys, OF_NOTIFY_TWO_WAY_ONLY, NULL), SETTINGS_LOCKED);
        assert_true(read_user_dword(L"NotificationMode", &v));
        assert_int_equal(v, 0);
    }
}

/* A policy value that is unusable locks nothing. */
static void write_allowed_when_the_policy_is_invalid(void **state)
{
    (void)state;
    DWORD v = 99;
    put_sz(MP, L"NotificationMode", REG_SZ, L"2");
    put_dword(UP, L"NotificationMode", 7);
    assert_int_equal(settings_set_notify_mode(&test_keys, OF_NOTIFY_OFF, NULL), SETTINGS_WRITTEN);
    assert_true(read_user_dword(L"NotificationMode", &v));
    assert_int_equal(v, 2);
}

static void write_refuses_a_bad_mode(void **state)
{
    (void)state;
    DWORD v;
    assert_int_equal(settings_set_notify_mode(&test_keys, (of_notify_mode)3, NULL), SETTINGS_BAD_VALUE);
    assert_int_equal(settings_set_notify_mode(&test_keys, (of_notify_mode)-1, NULL), SETTINGS_BAD_VALUE);
    assert_false(read_user_dword(L"NotificationMode", &v));
}

static void write_failure_is_reported(void **state)
{
    (void)state;
    settings_keys keys = test_keys;
    HKEY volatile_key;
    DWORD err = 0;
    /* A lasting key cannot be made below a volatile one: the registry
     * refuses, and the caller hears why. */
    assert_int_equal(RegCreateKeyExW(HKEY_CURRENT_USER, BASE L"\\volatile", 0, NULL, REG_OPTION_VOLATILE,
                                     KEY_READ, NULL, &volatile_key, NULL),
                     ERROR_SUCCESS);
    RegCloseKey(volatile_key);
    keys.path[US] = BASE L"\\volatile\\user";
    assert_int_equal(settings_set_notify_mode(&keys, OF_NOTIFY_OFF, &err), SETTINGS_WRITE_FAILED);
    assert_int_equal(err, ERROR_CHILD_MUST_BE_VOLATILE);
}

/* ---- note texts --------------------------------------------------------------------- */

static void note_texts_name_layer_value_and_problem(void **state)
{
    (void)state;
    of_settings s;
    WCHAR text[1024];
    put_sz(MP, L"NotificationMode", REG_SZ, L"1");
    put_dword(UP, L"RetentionDays", 40000);
    put_dword(US, L"QuietHoursStart", 600);
    put_dword(US, L"QuietHoursEnd", 600);
    put(US, L"RetentionCount", REG_DWORD, "\1\2", 2);
    load(&s);
    assert_int_equal(s.note_count, 4);

    settings_note_text(note_for(&s, MP, OF_SETTING_NOTIFY_MODE), text, ARRAYSIZE(text));
    assert_contains(text, L"Computer policy (HKLM\\Software\\Policies\\ofnotify)");
    assert_contains(text, L"NotificationMode");
    assert_contains(text, L"REG_SZ");

    settings_note_text(note_for(&s, UP, OF_SETTING_RETENTION_DAYS), text, ARRAYSIZE(text));
    assert_contains(text, L"User policy");
    assert_contains(text, L"RetentionDays is 40000, outside 0 to 36500");

    settings_note_text(note_for(&s, US, OF_SETTING_QUIET_START), text, ARRAYSIZE(text));
    assert_contains(text, L"Your settings");
    assert_contains(text, L"QuietHoursStart and QuietHoursEnd are both 600");

    settings_note_text(note_for(&s, US, OF_SETTING_RETENTION_COUNT), text, ARRAYSIZE(text));
    assert_contains(text, L"RetentionCount is a REG_DWORD of the wrong size");

    /* Nothing to say about nothing, and no crash on nonsense. */
    settings_note_text(NULL, text, ARRAYSIZE(text));
    assert_int_equal(text[0], 0);
    of_settings_note bad = {.layer = (of_settings_layer)9, .setting = OF_SETTING_NOTIFY_MODE};
    settings_note_text(&bad, text, ARRAYSIZE(text));
    assert_int_equal(text[0], 0);
    settings_note_text(note_for(&s, MP, OF_SETTING_NOTIFY_MODE), text, 8);
    assert_true(wcslen(text) < 8);
}

static void half_set_and_partner_texts(void **state)
{
    (void)state;
    of_settings s;
    WCHAR text[1024];
    put_dword(MP, L"QuietHoursEnd", 60);
    put_dword(US, L"QuietHoursStart", 60);
    put_sz(US, L"QuietHoursEnd", REG_EXPAND_SZ, L"%TIME%");
    load(&s);
    settings_note_text(note_for(&s, MP, OF_SETTING_QUIET_END), text, ARRAYSIZE(text));
    assert_contains(text, L"QuietHoursEnd is set but QuietHoursStart is not");
    settings_note_text(note_for(&s, US, OF_SETTING_QUIET_START), text, ARRAYSIZE(text));
    assert_contains(text, L"QuietHoursStart is ignored because QuietHoursEnd is not usable");
    settings_note_text(note_for(&s, US, OF_SETTING_QUIET_END), text, ARRAYSIZE(text));
    assert_contains(text, L"REG_EXPAND_SZ");
}

/* ---- cost ---------------------------------------------------------------------------- */

/* Reading happens whenever the menu opens: print what it costs (a
 * measurement for the report, not a pass mark). */
static double load_us(int rounds)
{
    LARGE_INTEGER f, t0, t1;
    of_settings s;
    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&t0);
    for (int i = 0; i < rounds; i++)
        settings_load(&test_keys, &s);
    QueryPerformanceCounter(&t1);
    return (double)(t1.QuadPart - t0.QuadPart) * 1e6 / (double)f.QuadPart / rounds;
}

static void read_cost(void **state)
{
    (void)state;
    const int rounds = 2000;
    double none, user_only, full;
    of_settings s;
    none = load_us(rounds);
    put_dword(US, L"NotificationMode", 1);
    put_dword(US, L"QuietHoursStart", 60);
    put_dword(US, L"QuietHoursEnd", 120);
    user_only = load_us(rounds);
    for (int l = 0; l < OF_LAYER_COUNT; l++) {
        put_dword(l, L"NotificationMode", 1);
        put_dword(l, L"QuietHoursStart", 60);
        put_dword(l, L"QuietHoursEnd", 120);
        put_dword(l, L"RetentionCount", 10);
        put_sz(l, L"RetentionDays", REG_SZ, L"a string, to take the slow path");
    }
    full = load_us(rounds);
    load(&s);
    assert_int_equal(s.note_count, 3);
    printf("settings_load per call: no keys %.1f us, user key with 3 values %.1f us, "
           "3 layers x 5 values %.1f us (%d calls each)\n",
           none, user_only, full, rounds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(missing_keys_give_defaults, wipe, wipe),
        cmocka_unit_test_setup_teardown(empty_keys_give_defaults, wipe, wipe),
        cmocka_unit_test_setup_teardown(user_values_are_read, wipe, wipe),
        cmocka_unit_test_setup_teardown(policy_over_user_and_locked, wipe, wipe),
        cmocka_unit_test_setup_teardown(wrong_types_fall_back_with_a_note, wipe, wipe),
        cmocka_unit_test_setup_teardown(huge_and_out_of_range_dwords, wipe, wipe),
        cmocka_unit_test_setup_teardown(quiet_hours_half_in_policy_does_not_lock, wipe, wipe),
        cmocka_unit_test_setup_teardown(unrelated_values_are_ignored, wipe, wipe),
        cmocka_unit_test_setup_teardown(value_names_ignore_case, wipe, wipe),
        cmocka_unit_test(default_keys_are_the_documented_ones),
        cmocka_unit_test_setup_teardown(write_creates_the_user_key, wipe, wipe),
        cmocka_unit_test_setup_teardown(write_refused_when_a_policy_locks, wipe, wipe),
        cmocka_unit_test_setup_teardown(write_allowed_when_the_policy_is_invalid, wipe, wipe),
        cmocka_unit_test_setup_teardown(write_refuses_a_bad_mode, wipe, wipe),
        cmocka_unit_test_setup_teardown(write_failure_is_reported, wipe, wipe),
        cmocka_unit_test_setup_teardown(note_texts_name_layer_value_and_problem, wipe, wipe),
        cmocka_unit_test_setup_teardown(half_set_and_partner_texts, wipe, wipe),
        cmocka_unit_test_setup_teardown(read_cost, wipe, wipe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
