/* ofnotify: the settings in the registry. See settings_reg.h. */
#include "settings_reg.h"

#include <stdio.h>

#include "resource.h"
#include "winutil.h"

/* Value names as UTF-16, from core's names (one source for both). */
#define WIDEN2(s) L##s
#define WIDEN(s) WIDEN2(s)
static const WCHAR *const value_names[OF_SETTING_COUNT] = {
    [OF_SETTING_NOTIFY_MODE] = WIDEN(OF_SETTINGS_VALUE_NOTIFY_MODE),
    [OF_SETTING_QUIET_START] = WIDEN(OF_SETTINGS_VALUE_QUIET_START),
    [OF_SETTING_QUIET_END] = WIDEN(OF_SETTINGS_VALUE_QUIET_END),
    [OF_SETTING_RETENTION_COUNT] = WIDEN(OF_SETTINGS_VALUE_RETENTION_COUNT),
    [OF_SETTING_RETENTION_DAYS] = WIDEN(OF_SETTINGS_VALUE_RETENTION_DAYS),
    [OF_SETTING_EVENT_LOG] = WIDEN(OF_SETTINGS_VALUE_EVENT_LOG),
    [OF_SETTING_OFFLINE_NOTIFY] = WIDEN(OF_SETTINGS_VALUE_OFFLINE_NOTIFY),
    [OF_SETTING_OFFLINE_GRACE] = WIDEN(OF_SETTINGS_VALUE_OFFLINE_GRACE),
    [OF_SETTING_NOTIFY_CONFLICTS] = WIDEN(OF_SETTINGS_VALUE_NOTIFY_CONFLICTS),
};

static const settings_keys default_keys = {
    .root = {HKEY_LOCAL_MACHINE, HKEY_CURRENT_USER, HKEY_CURRENT_USER},
    .path = {SETTINGS_POLICY_PATH, SETTINGS_POLICY_PATH, SETTINGS_USER_PATH},
};

const settings_keys *settings_default_keys(void)
{
    return &default_keys;
}

static void keep_first_error(DWORD *first, LSTATUS rc)
{
    if (rc != ERROR_SUCCESS && rc != ERROR_FILE_NOT_FOUND && rc != ERROR_PATH_NOT_FOUND && !*first)
        *first = (DWORD)rc;
}

/* Marks a type RegQueryValueExW did not report. */
#define TYPE_UNSET 0xFFFFFFFFu

/* One value as core wants it. Only a 4-byte REG_DWORD is a number; the
 * data of anything else is never needed, so the buffer is just big enough
 * for a DWORD and longer values come back as ERROR_MORE_DATA with their
 * type, which is all that matters. */
static of_raw_value read_value(HKEY key, const WCHAR *name, DWORD *first_err)
{
    of_raw_value raw = {.type = OF_RAW_ABSENT};
    DWORD type = TYPE_UNSET, size = sizeof(DWORD), data = 0;
    LSTATUS rc = RegQueryValueExW(key, name, NULL, &type, (BYTE *)&data, &size);
    if (rc == ERROR_MORE_DATA && type == TYPE_UNSET) {
        size = 0;
        rc = RegQueryValueExW(key, name, NULL, &type, NULL, &size);
    }
    if (rc == ERROR_FILE_NOT_FOUND)
        return raw;
    if (rc != ERROR_SUCCESS && rc != ERROR_MORE_DATA) {
        /* There, but unreadable: not usable, and not silently absent either. */
        keep_first_error(first_err, rc);
        raw.type = OF_RAW_OTHER;
        raw.native_type = type == TYPE_UNSET ? REG_NONE : type;
        return raw;
    }
    raw.native_type = type;
    if (type == REG_DWORD && rc == ERROR_SUCCESS && size == sizeof(DWORD)) {
        raw.type = OF_RAW_DWORD;
        raw.dword = data;
    } else if (type == REG_SZ || type == REG_EXPAND_SZ || type == REG_MULTI_SZ) {
        raw.type = OF_RAW_STRING;
    } else {
        raw.type = OF_RAW_OTHER;
    }
    return raw;
}

static void read_layer(HKEY root, const WCHAR *path, of_raw_value *values, DWORD *first_err)
{
    HKEY key;
    LSTATUS rc;
    if (!root || !path)
        return;
    rc = RegOpenKeyExW(root, path, 0, KEY_QUERY_VALUE, &key);
    if (rc != ERROR_SUCCESS) {
        keep_first_error(first_err, rc);
        return;
    }
    for (int id = 0; id < OF_SETTING_COUNT; id++)
        values[id] = read_value(key, value_names[id], first_err);
    RegCloseKey(key);
}

DWORD settings_load(const settings_keys *keys, of_settings *out)
{
    of_settings_raw raw;
    DWORD first_err = 0;
    if (!keys)
        keys = &default_keys;
    ZeroMemory(&raw, sizeof(raw));
    for (int l = 0; l < OF_LAYER_COUNT; l++)
        read_layer(keys->root[l], keys->path[l], raw.v[l], &first_err);
    of_settings_resolve(&raw, out);
    return first_err;
}

settings_write_result settings_set_notify_mode(const settings_keys *keys, of_notify_mode mode, DWORD *err)
{
    of_settings now;
    HKEY key;
    DWORD value = (DWORD)mode;
    LSTATUS rc;
    if (err)
        *err = 0;
    if (!keys)
        keys = &default_keys;
    if ((int)mode < 0 || !of_settings_value_ok(OF_SETTING_NOTIFY_MODE, value))
        return SETTINGS_BAD_VALUE;
    settings_load(keys, &now);
    if (of_settings_locked(&now, OF_SETTING_NOTIFY_MODE))
        return SETTINGS_LOCKED;
    rc = RegCreateKeyExW(keys->root[OF_LAYER_USER], keys->path[OF_LAYER_USER], 0, NULL, REG_OPTION_NON_VOLATILE,
                         KEY_SET_VALUE, NULL, &key, NULL);
    if (rc == ERROR_SUCCESS) {
        rc = RegSetValueExW(key, value_names[OF_SETTING_NOTIFY_MODE], 0, REG_DWORD, (const BYTE *)&value,
                            sizeof(value));
        RegCloseKey(key);
    }
    if (rc != ERROR_SUCCESS) {
        if (err)
            *err = (DWORD)rc;
        return SETTINGS_WRITE_FAILED;
    }
    return SETTINGS_WRITTEN;
}

/* ---- notes as text ---- */

/* Registry type names are the same in every language. */
static void type_name(DWORD type, WCHAR *buf, size_t cap)
{
    static const struct {
        DWORD type;
        const WCHAR *name;
    } names[] = {
        {REG_NONE, L"REG_NONE"},
        {REG_SZ, L"REG_SZ"},
        {REG_EXPAND_SZ, L"REG_EXPAND_SZ"},
        {REG_BINARY, L"REG_BINARY"},
        {REG_DWORD, L"REG_DWORD"},
        {REG_DWORD_BIG_ENDIAN, L"REG_DWORD_BIG_ENDIAN"},
        {REG_LINK, L"REG_LINK"},
        {REG_MULTI_SZ, L"REG_MULTI_SZ"},
        {REG_RESOURCE_LIST, L"REG_RESOURCE_LIST"},
        {REG_FULL_RESOURCE_DESCRIPTOR, L"REG_FULL_RESOURCE_DESCRIPTOR"},
        {REG_RESOURCE_REQUIREMENTS_LIST, L"REG_RESOURCE_REQUIREMENTS_LIST"},
        {REG_QWORD, L"REG_QWORD"},
    };
    for (size_t i = 0; i < ARRAYSIZE(names); i++) {
        if (names[i].type == type) {
            lstrcpynW(buf, names[i].name, (int)cap);
            return;
        }
    }
    _snwprintf(buf, cap, L"0x%lX", (unsigned long)type);
    buf[cap - 1] = 0;
}

static void number(DWORD n, WCHAR *buf, size_t cap)
{
    _snwprintf(buf, cap, L"%lu", (unsigned long)n);
    buf[cap - 1] = 0;
}

static const UINT layer_text[OF_LAYER_COUNT] = {
    [OF_LAYER_MACHINE_POLICY] = IDS_SETTINGS_LAYER_MACHINE_POLICY,
    [OF_LAYER_USER_POLICY] = IDS_SETTINGS_LAYER_USER_POLICY,
    [OF_LAYER_USER] = IDS_SETTINGS_LAYER_USER,
};

static const WCHAR *partner_name(of_setting_id id)
{
    return value_names[id == OF_SETTING_QUIET_START ? OF_SETTING_QUIET_END : OF_SETTING_QUIET_START];
}

void settings_note_text(const of_settings_note *note, WCHAR *buf, size_t cap)
{
    WCHAR layer[160], value[32], low[16], high[16];
    const WCHAR *name;
    uint32_t min = 0, max = 0;
    if (!buf || !cap)
        return;
    buf[0] = 0;
    if (!note || (unsigned)note->layer >= OF_LAYER_COUNT || (unsigned)note->setting >= OF_SETTING_COUNT)
        return;
    winutil_load_message(layer_text[note->layer], layer, ARRAYSIZE(layer));
    name = value_names[note->setting];
    of_settings_range(note->setting, &min, &max);
    number(note->raw.dword, value, ARRAYSIZE(value));
    number(min, low, ARRAYSIZE(low));
    number(max, high, ARRAYSIZE(high));
    switch (note->problem) {
    case OF_PROBLEM_WRONG_TYPE:
        if (note->raw.native_type == REG_DWORD) {
            winutil_load_message(IDS_SETTINGS_NOTE_BAD_DWORD, buf, cap, layer, name);
        } else {
            type_name(note->raw.native_type, value, ARRAYSIZE(value));
            winutil_load_message(IDS_SETTINGS_NOTE_WRONG_TYPE, buf, cap, layer, name, value);
        }
        break;
    case OF_PROBLEM_OUT_OF_RANGE:
        winutil_load_message(IDS_SETTINGS_NOTE_OUT_OF_RANGE, buf, cap, layer, name, value, low, high);
        break;
    case OF_PROBLEM_HALF_SET:
        winutil_load_message(IDS_SETTINGS_NOTE_HALF_SET, buf, cap, layer, name, partner_name(note->setting));
        break;
    case OF_PROBLEM_EMPTY_RANGE:
        winutil_load_message(IDS_SETTINGS_NOTE_EMPTY_RANGE, buf, cap, layer, name, partner_name(note->setting), value);
        break;
    case OF_PROBLEM_PARTNER_INVALID:
        winutil_load_message(IDS_SETTINGS_NOTE_PARTNER_INVALID, buf, cap, layer, name, partner_name(note->setting));
        break;
    }
}
