/* Tests for src/app/autostart against the real registry (Wine's, or
 * Windows'). Two keys of their own stand in for the hives:
 * HKCU\Software\ofnotify-tests\autostart\user for HKEY_CURRENT_USER and
 * ...\machine for HKEY_LOCAL_MACHINE; the Run and StartupApproved keys are
 * made below them exactly as Windows has them. Deleted after each test. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include <windows.h>

#include "autostart.h"

#define BASE L"Software\\ofnotify-tests\\autostart"
#define EXE L"C:\\Program Files\\ofnotify test\\ofnotify.exe"
#define EXE_NO_SPACES L"C:\\apps\\ofnotify\\ofnotify.exe"

typedef struct fixture {
    HKEY user, machine;
    autostart_keys keys;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    RegDeleteTreeW(HKEY_CURRENT_USER, BASE);
    assert_int_equal(RegCreateKeyExW(HKEY_CURRENT_USER, BASE L"\\user", 0, NULL, 0, KEY_ALL_ACCESS, NULL, &f->user,
                                     NULL),
                     ERROR_SUCCESS);
    assert_int_equal(RegCreateKeyExW(HKEY_CURRENT_USER, BASE L"\\machine", 0, NULL, 0, KEY_ALL_ACCESS, NULL,
                                     &f->machine, NULL),
                     ERROR_SUCCESS);
    f->keys.user_root = f->user;
    f->keys.machine_root = f->machine;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    RegCloseKey(f->user);
    RegCloseKey(f->machine);
    assert_int_equal(RegDeleteTreeW(HKEY_CURRENT_USER, BASE), ERROR_SUCCESS);
    free(f);
    return 0;
}

static void put(HKEY root, const WCHAR *path, DWORD type, const void *data, DWORD size)
{
    HKEY key;
    assert_int_equal(RegCreateKeyExW(root, path, 0, NULL, 0, KEY_SET_VALUE, NULL, &key, NULL), ERROR_SUCCESS);
    assert_int_equal(RegSetValueExW(key, L"ofnotify", 0, type, data, size), ERROR_SUCCESS);
    RegCloseKey(key);
}

static void put_run(HKEY root, DWORD type, const WCHAR *command)
{
    put(root, AUTOSTART_RUN_PATH, type, command, (DWORD)((wcslen(command) + 1) * sizeof(WCHAR)));
}

/* A StartupApproved mark as Task Manager writes it: flags, then a FILETIME. */
static void put_approval(HKEY root, BYTE first)
{
    BYTE mark[12] = {first, 0, 0, 0, 0x17, 0x79, 0xBD, 0x01, 0x17, 0xD9, 0xD1, 0x01};
    if (!(first & 1))
        memset(mark + 4, 0, 8);
    put(root, AUTOSTART_APPROVED_PATH, REG_BINARY, mark, sizeof(mark));
}

static BOOL has_value(HKEY root, const WCHAR *path)
{
    return RegGetValueW(root, path, L"ofnotify", RRF_RT_ANY, NULL, NULL, NULL) == ERROR_SUCCESS;
}

static void run_value(HKEY root, WCHAR *out, DWORD cap_chars, DWORD *type)
{
    DWORD size = cap_chars * sizeof(WCHAR);
    out[0] = 0;
    assert_int_equal(RegGetValueW(root, AUTOSTART_RUN_PATH, L"ofnotify", RRF_RT_ANY | RRF_NOEXPAND, type, out, &size),
                     ERROR_SUCCESS);
}

static autostart_status query(fixture *f, const WCHAR *exe)
{
    autostart_status st;
    memset(&st, 0xCC, sizeof(st));
    assert_int_equal(autostart_query(&f->keys, exe, &st), 0);
    return st;
}

static autostart_state state_of(fixture *f, const WCHAR *exe)
{
    autostart_status st = query(f, exe);
    return autostart_summary(&st);
}

/* ---- on and off ---------------------------------------------------------------- */

static void nothing_is_off(void **state)
{
    fixture *f = *state;
    autostart_status st = query(f, EXE);
    assert_int_equal(st.user, AUTOSTART_ENTRY_ABSENT);
    assert_int_equal(st.machine, AUTOSTART_ENTRY_ABSENT);
    assert_false(st.user_disabled);
    assert_false(st.machine_disabled);
    assert_int_equal(st.user_program[0], 0);
    assert_int_equal(autostart_summary(&st), AUTOSTART_OFF);
}

static void enable_writes_the_quoted_command(void **state)
{
    fixture *f = *state;
    WCHAR data[512];
    DWORD type = 0;
    assert_int_equal(autostart_enable(&f->keys, EXE), 0);
    run_value(f->user, data, ARRAYSIZE(data), &type);
    assert_int_equal(type, REG_SZ);
    assert_true(wcscmp(data, L"\"" EXE L"\" --background") == 0);
    assert_int_equal(state_of(f, EXE), AUTOSTART_ON);
    assert_true(wcscmp(query(f, EXE).user_program, EXE) == 0);
    /* The per-machine entry is none of the user's business. */
    assert_false(has_value(f->machine, AUTOSTART_RUN_PATH));
}

static void disable_removes_value_and_mark(void **state)
{
    fixture *f = *state;
    assert_int_equal(autostart_enable(&f->keys, EXE), 0);
    put_approval(f->user, 0x03);
    put_run(f->machine, REG_SZ, L"\"" EXE L"\" --background");
    assert_int_equal(autostart_disable(&f->keys), 0);
    assert_false(has_value(f->user, AUTOSTART_RUN_PATH));
    assert_false(has_value(f->user, AUTOSTART_APPROVED_PATH));
    assert_true(has_value(f->machine, AUTOSTART_RUN_PATH));
    /* Twice, and with no keys at all: still fine. */
    assert_int_equal(autostart_disable(&f->keys), 0);
    RegDeleteTreeW(f->user, L"Software");
    assert_int_equal(autostart_disable(&f->keys), 0);
}

/* ---- the same exe, written in every way Windows accepts --------------------------- */

static void same_exe_in_other_spellings(void **state)
{
    fixture *f = *state;
    const WCHAR *same[] = {
        L"\"" EXE L"\" --background",
        L"\"" EXE L"\"",
        L"  \"" EXE L"\"   --background --extra",
        L"\"C:\\PROGRAM FILES\\OFNOTIFY TEST\\OFNOTIFY.EXE\" --background",
        L"\"c:/program files/ofnotify test/ofnotify.exe\" --background",
        L"\"C:\\Program Files\\ofnotify test\\..\\ofnotify test\\.\\ofnotify.exe\" --background",
        L"C:\\Program Files\\ofnotify test\\ofnotify.exe --background",
        L"C:\\Program Files\\ofnotify test\\ofnotify.exe",
        L"\"" EXE, /* the closing quote missing */
    };
    for (size_t i = 0; i < ARRAYSIZE(same); i++) {
        put_run(f->user, REG_SZ, same[i]);
        if (state_of(f, EXE) != AUTOSTART_ON) {
            print_error("not recognised as this exe: %ls\n", same[i]);
            fail();
        }
    }
    put_run(f->user, REG_SZ, L"c:\\apps\\OFNOTIFY\\ofnotify.EXE --background");
    assert_int_equal(state_of(f, EXE_NO_SPACES), AUTOSTART_ON);
}

static void expand_sz_is_expanded(void **state)
{
    fixture *f = *state;
    assert_true(SetEnvironmentVariableW(L"OFN_TEST_APPS", L"C:\\Program Files"));
    put_run(f->user, REG_EXPAND_SZ, L"\"%OFN_TEST_APPS%\\ofnotify test\\ofnotify.exe\" --background");
    assert_int_equal(state_of(f, EXE), AUTOSTART_ON);
    /* Not expanded in a plain REG_SZ, as Windows does not either. */
    put_run(f->user, REG_SZ, L"\"%OFN_TEST_APPS%\\ofnotify test\\ofnotify.exe\" --background");
    assert_int_equal(state_of(f, EXE), AUTOSTART_MOVED);
    SetEnvironmentVariableW(L"OFN_TEST_APPS", NULL);
}

/* A short (8.3) spelling of an existing file is the same file. */
static void short_name_of_an_existing_exe(void **state)
{
    fixture *f = *state;
    WCHAR dir[MAX_PATH], exe[MAX_PATH], shortname[MAX_PATH], command[MAX_PATH + 16];
    HANDLE h;
    DWORD n = GetTempPathW(ARRAYSIZE(dir), dir);
    assert_true(n > 0 && n < ARRAYSIZE(dir));
    _snwprintf(exe, ARRAYSIZE(exe), L"%lsofnotify long folder name", dir);
    CreateDirectoryW(exe, NULL);
    wcscat(exe, L"\\ofnotify.exe");
    h = CreateFileW(exe, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, 0, NULL);
    assert_true(h != INVALID_HANDLE_VALUE);
    CloseHandle(h);
    n = GetShortPathNameW(exe, shortname, ARRAYSIZE(shortname));
    if (n > 0 && n < ARRAYSIZE(shortname) && wcscmp(shortname, exe) != 0) {
        _snwprintf(command, ARRAYSIZE(command), L"%ls --background", shortname);
        put_run(f->user, REG_SZ, command);
        assert_int_equal(state_of(f, exe), AUTOSTART_ON);
    } else {
        print_message("no short names on this volume; only the long form is checked\n");
    }
    _snwprintf(command, ARRAYSIZE(command), L"\"%ls\" --background", exe);
    put_run(f->user, REG_SZ, command);
    assert_int_equal(state_of(f, exe), AUTOSTART_ON);
    DeleteFileW(exe);
    *wcsrchr(exe, L'\\') = 0;
    RemoveDirectoryW(exe);
}

/* ---- another path: moved, or not a command at all ------------------------------------- */

static void other_paths_are_moved(void **state)
{
    fixture *f = *state;
    const WCHAR *other[] = {
        L"\"C:\\Old place\\ofnotify.exe\" --background",
        L"\"C:\\Program Files\\ofnotify test\\ofnotify.exe.old\" --background",
        L"\"C:\\Program Files\\ofnotify test\\ofnotify\" --background",
        L"C:\\Program Files\\ofnotify test\\ofnotify.exe2 --background",
        L"\"D:\\Program Files\\ofnotify test\\ofnotify.exe\"",
        L"notepad.exe",
        L"",
        L"   ",
        L"\"\"",
    };
    for (size_t i = 0; i < ARRAYSIZE(other); i++) {
        put_run(f->user, REG_SZ, other[i]);
        if (state_of(f, EXE) != AUTOSTART_MOVED) {
            print_error("taken for this exe: \"%ls\"\n", other[i]);
            fail();
        }
    }
    put_run(f->user, REG_SZ, L"\"C:\\Old place\\ofnotify.exe\" --background");
    assert_true(wcscmp(query(f, EXE).user_program, L"C:\\Old place\\ofnotify.exe") == 0);
}

static void values_that_are_no_command_are_moved(void **state)
{
    fixture *f = *state;
    DWORD one = 1;
    BYTE bin[3] = {'a', 0, 'b'};
    put(f->user, AUTOSTART_RUN_PATH, REG_DWORD, &one, sizeof(one));
    assert_int_equal(state_of(f, EXE), AUTOSTART_MOVED);
    assert_int_equal(query(f, EXE).user_program[0], 0);
    put(f->user, AUTOSTART_RUN_PATH, REG_BINARY, bin, sizeof(bin));
    assert_int_equal(state_of(f, EXE), AUTOSTART_MOVED);
    put(f->user, AUTOSTART_RUN_PATH, REG_MULTI_SZ, L"a\0b\0", sizeof(L"a\0b\0"));
    assert_int_equal(state_of(f, EXE), AUTOSTART_MOVED);
    /* Text without a terminator. */
    put(f->user, AUTOSTART_RUN_PATH, REG_SZ, L"\"" EXE L"\"", (DWORD)(wcslen(L"\"" EXE L"\"") * sizeof(WCHAR)));
    assert_int_equal(state_of(f, EXE), AUTOSTART_ON);
}

static void a_huge_value_is_moved(void **state)
{
    fixture *f = *state;
    size_t n = 100000;
    WCHAR *big = malloc((n + 1) * sizeof(WCHAR));
    assert_non_null(big);
    wmemset(big, L'x', n);
    big[n] = 0;
    put_run(f->user, REG_SZ, big);
    assert_int_equal(state_of(f, EXE), AUTOSTART_MOVED);
    free(big);
}

static void repair_points_to_this_exe(void **state)
{
    fixture *f = *state;
    WCHAR data[512];
    DWORD type;
    put_run(f->user, REG_SZ, L"\"C:\\Old place\\ofnotify.exe\" --background");
    assert_int_equal(autostart_repair(&f->keys, EXE), 0);
    run_value(f->user, data, ARRAYSIZE(data), &type);
    assert_true(wcscmp(data, L"\"" EXE L"\" --background") == 0);
    assert_int_equal(state_of(f, EXE), AUTOSTART_ON);

    put(f->user, AUTOSTART_RUN_PATH, REG_BINARY, "x", 1);
    assert_int_equal(autostart_repair(&f->keys, EXE), 0);
    assert_int_equal(state_of(f, EXE), AUTOSTART_ON);
}

static void repair_without_a_value_writes_nothing(void **state)
{
    fixture *f = *state;
    assert_int_equal(autostart_repair(&f->keys, EXE), ERROR_FILE_NOT_FOUND);
    assert_false(has_value(f->user, AUTOSTART_RUN_PATH));
    put_run(f->user, REG_SZ, L"x");
    RegDeleteTreeW(f->user, AUTOSTART_RUN_PATH);
    assert_int_equal(autostart_repair(&f->keys, EXE), ERROR_FILE_NOT_FOUND);
    assert_int_equal(state_of(f, EXE), AUTOSTART_OFF);
}

/* ---- Task Manager ---------------------------------------------------------------------- */

static void task_manager_marks(void **state)
{
    fixture *f = *state;
    const struct {
        BYTE first;
        autostart_state want;
    } marks[] = {
        {0x02, AUTOSTART_ON},
        {0x06, AUTOSTART_ON},
        {0x03, AUTOSTART_DISABLED},
        {0x07, AUTOSTART_DISABLED},
    };
    assert_int_equal(autostart_enable(&f->keys, EXE), 0);
    for (size_t i = 0; i < ARRAYSIZE(marks); i++) {
        put_approval(f->user, marks[i].first);
        assert_int_equal(state_of(f, EXE), marks[i].want);
        assert_int_equal(query(f, EXE).user_disabled, marks[i].want == AUTOSTART_DISABLED);
    }
    /* Marks Windows never writes: the entry stays enabled. */
    put(f->user, AUTOSTART_APPROVED_PATH, REG_BINARY, "", 0);
    assert_int_equal(state_of(f, EXE), AUTOSTART_ON);
    DWORD three = 3;
    put(f->user, AUTOSTART_APPROVED_PATH, REG_DWORD, &three, sizeof(three));
    assert_int_equal(state_of(f, EXE), AUTOSTART_ON);

    /* Disabled beats moved: nothing starts at all. */
    put_approval(f->user, 0x03);
    put_run(f->user, REG_SZ, L"\"C:\\Old place\\ofnotify.exe\"");
    assert_int_equal(state_of(f, EXE), AUTOSTART_DISABLED);
}

/* Windows leaves marks behind when a Run value goes: such a mark alone is off. */
static void stale_mark_without_run_value_is_off(void **state)
{
    fixture *f = *state;
    put_approval(f->user, 0x03);
    autostart_status st = query(f, EXE);
    assert_int_equal(autostart_summary(&st), AUTOSTART_OFF);
    assert_false(st.user_disabled);
}

static void enable_clears_the_disabled_mark(void **state)
{
    fixture *f = *state;
    assert_int_equal(autostart_enable(&f->keys, EXE), 0);
    put_approval(f->user, 0x07);
    assert_int_equal(state_of(f, EXE), AUTOSTART_DISABLED);
    assert_int_equal(autostart_enable(&f->keys, EXE), 0);
    assert_int_equal(state_of(f, EXE), AUTOSTART_ON);
    assert_false(has_value(f->user, AUTOSTART_APPROVED_PATH));
}

static void repair_keeps_the_disabled_mark(void **state)
{
    fixture *f = *state;
    put_run(f->user, REG_SZ, L"\"C:\\Old place\\ofnotify.exe\" --background");
    put_approval(f->user, 0x03);
    assert_int_equal(autostart_repair(&f->keys, EXE), 0);
    autostart_status st = query(f, EXE);
    assert_int_equal(st.user, AUTOSTART_ENTRY_THIS_EXE);
    assert_true(st.user_disabled);
    assert_int_equal(autostart_summary(&st), AUTOSTART_DISABLED);
}

/* ---- per-machine install ---------------------------------------------------------------- */

static void machine_entry_wins(void **state)
{
    fixture *f = *state;
    put_run(f->machine, REG_SZ, L"\"C:\\Program Files\\ofnotify\\ofnotify.exe\" --background");
    autostart_status st = query(f, EXE);
    assert_int_equal(st.machine, AUTOSTART_ENTRY_OTHER);
    assert_int_equal(autostart_summary(&st), AUTOSTART_MACHINE);

    put_run(f->machine, REG_SZ, L"\"" EXE L"\" --background");
    assert_int_equal(query(f, EXE).machine, AUTOSTART_ENTRY_THIS_EXE);
    assert_int_equal(state_of(f, EXE), AUTOSTART_MACHINE);

    /* Whatever the user entry says. */
    assert_int_equal(autostart_enable(&f->keys, EXE), 0);
    assert_int_equal(state_of(f, EXE), AUTOSTART_MACHINE);
    put_approval(f->user, 0x03);
    assert_int_equal(state_of(f, EXE), AUTOSTART_MACHINE);
}

static void machine_entry_turned_off_leaves_the_user_toggle(void **state)
{
    fixture *f = *state;
    put_run(f->machine, REG_SZ, L"\"" EXE L"\" --background");
    put_approval(f->machine, 0x03);
    autostart_status st = query(f, EXE);
    assert_true(st.machine_disabled);
    assert_int_equal(autostart_summary(&st), AUTOSTART_OFF);
    assert_int_equal(autostart_enable(&f->keys, EXE), 0);
    assert_int_equal(state_of(f, EXE), AUTOSTART_ON);
}

static void no_machine_root_means_no_machine_check(void **state)
{
    fixture *f = *state;
    put_run(f->machine, REG_SZ, L"\"" EXE L"\" --background");
    f->keys.machine_root = NULL;
    assert_int_equal(query(f, EXE).machine, AUTOSTART_ENTRY_ABSENT);
    assert_int_equal(state_of(f, EXE), AUTOSTART_OFF);
}

/* ---- this process, defaults, bad arguments ----------------------------------------------- */

static void null_exe_means_this_process(void **state)
{
    fixture *f = *state;
    WCHAR self[MAX_PATH * 2], data[MAX_PATH * 2 + 32], want[MAX_PATH * 2 + 32];
    DWORD type;
    assert_int_equal(autostart_this_exe(self, ARRAYSIZE(self)), 0);
    assert_true(GetFileAttributesW(self) != INVALID_FILE_ATTRIBUTES);
    assert_int_equal(autostart_enable(&f->keys, NULL), 0);
    run_value(f->user, data, ARRAYSIZE(data), &type);
    _snwprintf(want, ARRAYSIZE(want), L"\"%ls\" --background", self);
    assert_true(wcscmp(data, want) == 0);
    assert_int_equal(state_of(f, NULL), AUTOSTART_ON);
    assert_int_equal(state_of(f, EXE), AUTOSTART_MOVED);

    put_run(f->user, REG_SZ, L"\"C:\\Old place\\ofnotify.exe\"");
    assert_int_equal(autostart_repair(&f->keys, NULL), 0);
    assert_int_equal(state_of(f, NULL), AUTOSTART_ON);

    WCHAR tiny[4];
    assert_int_equal(autostart_this_exe(tiny, ARRAYSIZE(tiny)), ERROR_INSUFFICIENT_BUFFER);
    assert_int_equal(autostart_this_exe(NULL, 10), ERROR_INVALID_PARAMETER);
}

static void defaults_and_bad_arguments(void **state)
{
    (void)state;
    const autostart_keys *k = autostart_default_keys();
    assert_true(k->user_root == HKEY_CURRENT_USER);
    assert_true(k->machine_root == HKEY_LOCAL_MACHINE);
    assert_true(wcscmp(AUTOSTART_RUN_PATH, L"Software\\Microsoft\\Windows\\CurrentVersion\\Run") == 0);
    assert_true(wcscmp(AUTOSTART_APPROVED_PATH,
                       L"Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\StartupApproved\\Run") == 0);
    assert_int_equal(autostart_summary(NULL), AUTOSTART_OFF);
    assert_int_not_equal(autostart_query(k, EXE, NULL), 0);
}

/* A long path that needs more than MAX_PATH still round-trips. */
static void long_paths(void **state)
{
    fixture *f = *state;
    WCHAR exe[600], command[700];
    wcscpy(exe, L"C:\\");
    for (int i = 0; i < 20; i++)
        wcscat(exe, L"a folder with a long name\\");
    wcscat(exe, L"ofnotify.exe");
    assert_int_equal(autostart_enable(&f->keys, exe), 0);
    assert_int_equal(state_of(f, exe), AUTOSTART_ON);
    _snwprintf(command, ARRAYSIZE(command), L"\"%ls\"", exe);
    /* ...\ofnotify.exe" becomes ...\ofnotiqX.exe": another file */
    command[wcslen(command) - 6] = L'X';
    command[wcslen(command) - 7] = L'q';
    put_run(f->user, REG_SZ, command);
    assert_int_equal(state_of(f, exe), AUTOSTART_MOVED);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(nothing_is_off),
        T(enable_writes_the_quoted_command),
        T(disable_removes_value_and_mark),
        T(same_exe_in_other_spellings),
        T(expand_sz_is_expanded),
        T(short_name_of_an_existing_exe),
        T(other_paths_are_moved),
        T(values_that_are_no_command_are_moved),
        T(a_huge_value_is_moved),
        T(repair_points_to_this_exe),
        T(repair_without_a_value_writes_nothing),
        T(task_manager_marks),
        T(stale_mark_without_run_value_is_off),
        T(enable_clears_the_disabled_mark),
        T(repair_keeps_the_disabled_mark),
        T(machine_entry_wins),
        T(machine_entry_turned_off_leaves_the_user_toggle),
        T(no_machine_root_means_no_machine_check),
        T(null_exe_means_this_process),
        T(defaults_and_bad_arguments),
        T(long_paths),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
