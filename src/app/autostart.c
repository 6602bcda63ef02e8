/* ofnotify: "Start at sign-in". See autostart.h. */
#include "autostart.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <wchar.h>

/* Paths compared here come from the registry and GetModuleFileNameW; the
 * long-path limit of Windows bounds both. */
#define PATH_CAP 32768
/* A Run value longer than this is no command line Windows would run. */
#define COMMAND_MAX_BYTES (64 * 1024)

static const autostart_keys default_keys = {
    .user_root = HKEY_CURRENT_USER,
    .machine_root = HKEY_LOCAL_MACHINE,
};

const autostart_keys *autostart_default_keys(void)
{
    return &default_keys;
}

DWORD autostart_this_exe(WCHAR *buf, size_t cap)
{
    DWORD n;
    if (!buf || cap == 0 || cap > MAXDWORD)
        return ERROR_INVALID_PARAMETER;
    n = GetModuleFileNameW(NULL, buf, (DWORD)cap);
    if (n == 0)
        return GetLastError();
    if (n >= cap) {
        buf[0] = 0;
        return ERROR_INSUFFICIENT_BUFFER;
    }
    return 0;
}

/* ---- reading values ---- */

/* A string value as a NUL-terminated heap string (free() it), expanded when
 * it is REG_EXPAND_SZ. NULL with *rc = ERROR_FILE_NOT_FOUND when absent;
 * NULL with *rc = 0 when present but not a string. */
static WCHAR *read_command(HKEY root, const WCHAR *path, const WCHAR *name, LSTATUS *rc)
{
    HKEY key;
    DWORD type = REG_NONE, size = 0;
    WCHAR *data = NULL, *expanded;
    DWORD need, got;
    *rc = RegOpenKeyExW(root, path, 0, KEY_QUERY_VALUE, &key);
    if (*rc != ERROR_SUCCESS) {
        if (*rc == ERROR_PATH_NOT_FOUND)
            *rc = ERROR_FILE_NOT_FOUND;
        return NULL;
    }
    *rc = RegQueryValueExW(key, name, NULL, &type, NULL, &size);
    if (*rc == ERROR_SUCCESS && (type == REG_SZ || type == REG_EXPAND_SZ) && size <= COMMAND_MAX_BYTES) {
        /* Room for a terminator the data may lack. */
        data = calloc(size / sizeof(WCHAR) + 2, sizeof(WCHAR));
        if (!data) {
            *rc = ERROR_OUTOFMEMORY;
        } else {
            *rc = RegQueryValueExW(key, name, NULL, &type, (BYTE *)data, &size);
            if (*rc != ERROR_SUCCESS || (type != REG_SZ && type != REG_EXPAND_SZ)) {
                /* Changed between the two calls: report what it is now next time. */
                free(data);
                data = NULL;
            }
        }
    }
    RegCloseKey(key);
    if (*rc == ERROR_MORE_DATA)
        *rc = ERROR_SUCCESS; /* grew between the calls: not a usable command now */
    if (!data || type != REG_EXPAND_SZ)
        return data;
    need = ExpandEnvironmentStringsW(data, NULL, 0);
    expanded = need ? calloc(need + 1, sizeof(WCHAR)) : NULL;
    got = expanded ? ExpandEnvironmentStringsW(data, expanded, need + 1) : 0;
    if (got == 0 || got > need + 1) {
        free(expanded);
        return data; /* unexpanded: compared as written */
    }
    free(data);
    return expanded;
}

/* Whether Task Manager (or Settings > Apps > Startup) turned the entry off.
 * The StartupApproved value is REG_BINARY, 12 bytes: a DWORD of flags, then
 * the FILETIME of the change (zero while enabled). Windows writes 02 or 06
 * in the first byte for an enabled entry and 03 or 07 for a disabled one:
 * bit 0 set means disabled. Found in Task Manager traces published at
 * https://superuser.com/questions/1766797 ("How entries at Run registry are
 * overridden by Windows settings") and https://superuser.com/questions/1098450
 * ("Reading active/inactive status of Startup programs in registry"). A
 * missing or unreadable mark leaves the entry enabled, as Windows does for
 * a new Run value. */
static BOOL approval_disabled(HKEY root, const WCHAR *name)
{
    BYTE data[64];
    DWORD size = sizeof(data);
    LSTATUS rc = RegGetValueW(root, AUTOSTART_APPROVED_PATH, name, RRF_RT_REG_BINARY, NULL, data, &size);
    return rc == ERROR_SUCCESS && size >= 1 && (data[0] & 1);
}

/* ---- comparing paths ---- */

/* A path as Windows would open it: / as \, made absolute, short (8.3)
 * components made long when the file exists. FALSE if it cannot be. */
static BOOL canonical_path(const WCHAR *path, size_t len, WCHAR *out, size_t cap)
{
    WCHAR *raw, *full;
    BOOL ok = FALSE;
    DWORD n;
    if (len == 0 || len >= PATH_CAP)
        return FALSE;
    raw = malloc((len + 1) * sizeof(WCHAR));
    full = malloc(PATH_CAP * sizeof(WCHAR));
    if (!raw || !full)
        goto done;
    for (size_t i = 0; i < len; i++)
        raw[i] = path[i] == L'/' ? L'\\' : path[i];
    raw[len] = 0;
    n = GetFullPathNameW(raw, PATH_CAP, full, NULL);
    if (n == 0 || n >= PATH_CAP)
        goto done;
    n = GetLongPathNameW(full, out, (DWORD)cap);
    if (n == 0 || n >= cap) /* not there (or too long): the full path as is */
        lstrcpynW(out, full, (int)cap);
    ok = TRUE;
done:
    free(raw);
    free(full);
    return ok;
}

static BOOL same_path(const WCHAR *a, size_t a_len, const WCHAR *b)
{
    WCHAR *ca = malloc(PATH_CAP * sizeof(WCHAR)), *cb = malloc(PATH_CAP * sizeof(WCHAR));
    BOOL same = FALSE;
    /* File names compare like NTFS does: ordinal, ignoring case. */
    if (ca && cb && canonical_path(a, a_len, ca, PATH_CAP) && canonical_path(b, wcslen(b), cb, PATH_CAP))
        same = CompareStringOrdinal(ca, -1, cb, -1, TRUE) == CSTR_EQUAL;
    free(ca);
    free(cb);
    return same;
}

static BOOL is_blank(WCHAR c)
{
    return c == L' ' || c == L'\t';
}

/* Where the program of a command line is: inside the quotes when quoted,
 * else up to the first blank. */
static const WCHAR *program_of(const WCHAR *cmd, size_t *len)
{
    const WCHAR *end;
    while (is_blank(*cmd))
        cmd++;
    if (*cmd == L'"') {
        cmd++;
        end = wcschr(cmd, L'"');
        *len = end ? (size_t)(end - cmd) : wcslen(cmd);
        return cmd;
    }
    for (end = cmd; *end && !is_blank(*end); end++)
        ;
    *len = (size_t)(end - cmd);
    return cmd;
}

/* Whether cmd starts exe. An unquoted path with spaces is run by Windows
 * when it names an existing file, so a command that begins with the whole
 * exe path followed by a blank or its end counts as well. */
static BOOL command_starts(const WCHAR *cmd, const WCHAR *exe)
{
    size_t exe_len = wcslen(exe), len;
    const WCHAR *program;
    while (is_blank(*cmd))
        cmd++;
    if (*cmd != L'"' && wcslen(cmd) >= exe_len && exe_len <= INT_MAX &&
        CompareStringOrdinal(cmd, (int)exe_len, exe, (int)exe_len, TRUE) == CSTR_EQUAL &&
        (cmd[exe_len] == 0 || is_blank(cmd[exe_len])))
        return TRUE;
    program = program_of(cmd, &len);
    return same_path(program, len, exe);
}

/* ---- the query ---- */

static autostart_entry classify(const WCHAR *command, LSTATUS rc, const WCHAR *exe)
{
    if (rc == ERROR_FILE_NOT_FOUND)
        return AUTOSTART_ENTRY_ABSENT;
    if (!command)
        return AUTOSTART_ENTRY_OTHER;
    return command_starts(command, exe) ? AUTOSTART_ENTRY_THIS_EXE : AUTOSTART_ENTRY_OTHER;
}

DWORD autostart_query(const autostart_keys *keys, const WCHAR *exe, autostart_status *out)
{
    WCHAR *own = NULL, *command;
    const WCHAR *program;
    size_t len;
    LSTATUS rc;
    DWORD err = 0;
    if (!out)
        return ERROR_INVALID_PARAMETER;
    ZeroMemory(out, sizeof(*out));
    if (!keys)
        keys = &default_keys;
    if (!exe) {
        own = malloc(PATH_CAP * sizeof(WCHAR));
        if (!own)
            return ERROR_OUTOFMEMORY;
        err = autostart_this_exe(own, PATH_CAP);
        if (err)
            goto done;
        exe = own;
    }

    command = read_command(keys->user_root, AUTOSTART_RUN_PATH, AUTOSTART_VALUE_NAME, &rc);
    if (rc != ERROR_SUCCESS && rc != ERROR_FILE_NOT_FOUND) {
        free(command);
        err = (DWORD)rc;
        goto done;
    }
    out->user = classify(command, rc, exe);
    if (command) {
        program = program_of(command, &len);
        lstrcpynW(out->user_program, program, (int)min(len + 1, (size_t)AUTOSTART_COMMAND_CAP));
    }
    free(command);
    out->user_disabled =
        out->user != AUTOSTART_ENTRY_ABSENT && approval_disabled(keys->user_root, AUTOSTART_VALUE_NAME);

    if (keys->machine_root) {
        /* A per-machine entry that cannot be read is treated as absent:
         * the per-user toggle then stays usable. */
        command = read_command(keys->machine_root, AUTOSTART_RUN_PATH, AUTOSTART_VALUE_NAME, &rc);
        if (rc == ERROR_SUCCESS || rc == ERROR_FILE_NOT_FOUND)
            out->machine = classify(command, rc, exe);
        free(command);
        out->machine_disabled =
            out->machine != AUTOSTART_ENTRY_ABSENT && approval_disabled(keys->machine_root, AUTOSTART_VALUE_NAME);
    }
done:
    if (err) {
        ZeroMemory(out, sizeof(*out));
    }
    free(own);
    return err;
}

autostart_state autostart_summary(const autostart_status *st)
{
    if (!st)
        return AUTOSTART_OFF;
    if (st->machine != AUTOSTART_ENTRY_ABSENT && !st->machine_disabled)
        return AUTOSTART_MACHINE;
    if (st->user == AUTOSTART_ENTRY_ABSENT)
        return AUTOSTART_OFF;
    if (st->user_disabled)
        return AUTOSTART_DISABLED;
    if (st->user == AUTOSTART_ENTRY_OTHER)
        return AUTOSTART_MOVED;
    return AUTOSTART_ON;
}

/* ---- changing the entry ---- */

static DWORD write_command(HKEY root, const WCHAR *exe)
{
    WCHAR *command;
    size_t cap = wcslen(exe) + ARRAYSIZE(AUTOSTART_ARGUMENTS) + 4;
    HKEY key;
    LSTATUS rc;
    int n;
    if (cap * sizeof(WCHAR) > COMMAND_MAX_BYTES)
        return ERROR_FILENAME_EXCED_RANGE;
    command = malloc(cap * sizeof(WCHAR));
    if (!command)
        return ERROR_OUTOFMEMORY;
    /* Always quoted: an unquoted path with spaces may start another program. */
    n = _snwprintf(command, cap, L"\"%ls\" " AUTOSTART_ARGUMENTS, exe);
    if (n < 0 || (size_t)n >= cap) {
        free(command);
        return ERROR_FILENAME_EXCED_RANGE;
    }
    rc = RegCreateKeyExW(root, AUTOSTART_RUN_PATH, 0, NULL, REG_OPTION_NON_VOLATILE, KEY_SET_VALUE, NULL, &key, NULL);
    if (rc == ERROR_SUCCESS) {
        rc = RegSetValueExW(key, AUTOSTART_VALUE_NAME, 0, REG_SZ, (const BYTE *)command,
                            (DWORD)(((size_t)n + 1) * sizeof(WCHAR)));
        RegCloseKey(key);
    }
    free(command);
    return (DWORD)rc;
}

/* Deletes one value; an absent value or key is not an error. */
static DWORD delete_value(HKEY root, const WCHAR *path, const WCHAR *name)
{
    HKEY key;
    LSTATUS rc = RegOpenKeyExW(root, path, 0, KEY_SET_VALUE, &key);
    if (rc == ERROR_FILE_NOT_FOUND || rc == ERROR_PATH_NOT_FOUND)
        return 0;
    if (rc != ERROR_SUCCESS)
        return (DWORD)rc;
    rc = RegDeleteValueW(key, name);
    RegCloseKey(key);
    return rc == ERROR_FILE_NOT_FOUND ? 0 : (DWORD)rc;
}

/* Runs fn with exe, or this process's exe when exe is NULL. */
static DWORD with_exe(const WCHAR *exe, DWORD (*fn)(const autostart_keys *, const WCHAR *),
                      const autostart_keys *keys)
{
    WCHAR *own;
    DWORD err;
    if (exe)
        return fn(keys, exe);
    own = malloc(PATH_CAP * sizeof(WCHAR));
    if (!own)
        return ERROR_OUTOFMEMORY;
    err = autostart_this_exe(own, PATH_CAP);
    if (!err)
        err = fn(keys, own);
    free(own);
    return err;
}

static DWORD enable(const autostart_keys *keys, const WCHAR *exe)
{
    DWORD err = write_command(keys->user_root, exe);
    if (!err)
        err = delete_value(keys->user_root, AUTOSTART_APPROVED_PATH, AUTOSTART_VALUE_NAME);
    return err;
}

static DWORD repair(const autostart_keys *keys, const WCHAR *exe)
{
    HKEY key;
    LSTATUS rc = RegOpenKeyExW(keys->user_root, AUTOSTART_RUN_PATH, 0, KEY_QUERY_VALUE, &key);
    if (rc == ERROR_PATH_NOT_FOUND)
        rc = ERROR_FILE_NOT_FOUND;
    if (rc == ERROR_SUCCESS) {
        rc = RegQueryValueExW(key, AUTOSTART_VALUE_NAME, NULL, NULL, NULL, NULL);
        RegCloseKey(key);
    }
    if (rc != ERROR_SUCCESS)
        return (DWORD)rc;
    return write_command(keys->user_root, exe);
}

DWORD autostart_enable(const autostart_keys *keys, const WCHAR *exe)
{
    return with_exe(exe, enable, keys ? keys : &default_keys);
}

DWORD autostart_repair(const autostart_keys *keys, const WCHAR *exe)
{
    return with_exe(exe, repair, keys ? keys : &default_keys);
}

DWORD autostart_disable(const autostart_keys *keys)
{
    DWORD err;
    if (!keys)
        keys = &default_keys;
    err = delete_value(keys->user_root, AUTOSTART_RUN_PATH, AUTOSTART_VALUE_NAME);
    if (!err)
        err = delete_value(keys->user_root, AUTOSTART_APPROVED_PATH, AUTOSTART_VALUE_NAME);
    return err;
}
