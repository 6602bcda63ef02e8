/* ofnotify: app/autostart, "Start at sign-in".
 *
 * ofnotify starts at sign-in through the value `ofnotify` under
 * HKCU\Software\Microsoft\Windows\CurrentVersion\Run, whose data is the
 * quoted full path of the exe and --background:
 *     "C:\Users\me\AppData\Local\Programs\ofnotify\ofnotify.exe" --background
 * A per-machine install writes the same value under HKLM instead, which
 * starts ofnotify for every user.
 *
 * The query tells the truth about what will happen at the next sign-in:
 * whether the value exists, whether it starts this exe or another path (the
 * exe moved, or another copy: the app offers to repair), whether the user
 * turned the entry off in Task Manager or Settings > Apps > Startup (which
 * leave the Run value alone and mark it in Explorer's StartupApproved key),
 * and whether a per-machine entry starts ofnotify anyway. Paths compare
 * case-insensitively, with or without quotes, with any arguments, with
 * environment variables in REG_EXPAND_SZ data, and with / for \.
 *
 * The key roots are injectable: tests pass keys of their own. */
#ifndef OFNOTIFY_AUTOSTART_H
#define OFNOTIFY_AUTOSTART_H

#include <stddef.h>

#include <windows.h>

#define AUTOSTART_VALUE_NAME L"ofnotify"
#define AUTOSTART_RUN_PATH L"Software\\Microsoft\\Windows\\CurrentVersion\\Run"
#define AUTOSTART_APPROVED_PATH L"Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\StartupApproved\\Run"
#define AUTOSTART_ARGUMENTS L"--background"

/* The hives holding the Run and StartupApproved keys (the paths above are
 * opened below them). */
typedef struct autostart_keys {
    HKEY user_root;    /* HKEY_CURRENT_USER */
    HKEY machine_root; /* HKEY_LOCAL_MACHINE; NULL: no per-machine check */
} autostart_keys;

const autostart_keys *autostart_default_keys(void);

/* One Run value. */
typedef enum autostart_entry {
    AUTOSTART_ENTRY_ABSENT = 0, /* no value */
    AUTOSTART_ENTRY_THIS_EXE,   /* starts the exe the query was given */
    AUTOSTART_ENTRY_OTHER       /* starts another path, or is no usable command
                                   (not a string, empty): repair rewrites it */
} autostart_entry;

#define AUTOSTART_COMMAND_CAP 1024

typedef struct autostart_status {
    autostart_entry user;     /* HKCU Run value */
    BOOL user_disabled;       /* turned off in Task Manager (only when user != ABSENT) */
    autostart_entry machine;  /* HKLM Run value of a per-machine install */
    BOOL machine_disabled;    /* turned off in Task Manager by an administrator */
    /* The program the user value starts, as written (for "it starts X");
     * cut to fit, empty when absent or not a string. */
    WCHAR user_program[AUTOSTART_COMMAND_CAP];
} autostart_status;

/* What the menu and the About dialog show. */
typedef enum autostart_state {
    AUTOSTART_OFF = 0,  /* unchecked; choosing it enables */
    AUTOSTART_ON,       /* checked; choosing it disables */
    AUTOSTART_MOVED,    /* checked, but the value starts another path: offer
                           autostart_repair (or disable) */
    AUTOSTART_DISABLED, /* unchecked: the value is there but Task Manager turned
                           it off; choosing it enables (and clears that mark) */
    AUTOSTART_MACHINE   /* checked and grayed: a per-machine install starts
                           ofnotify for every user */
} autostart_state;

/* The one state that describes st, in this order: an enabled per-machine
 * entry (MACHINE), no user entry (OFF), turned off in Task Manager
 * (DISABLED), another path (MOVED), else ON. */
autostart_state autostart_summary(const autostart_status *st);

/* This process's exe, full path. Returns 0 or a Win32 error. */
DWORD autostart_this_exe(WCHAR *buf, size_t cap);

/* Reads the entries. exe NULL: this process's exe. keys NULL: the default
 * keys. Returns 0 (out filled) or a Win32 error (out says OFF). */
DWORD autostart_query(const autostart_keys *keys, const WCHAR *exe, autostart_status *out);

/* Writes the user Run value for exe ("<exe>" --background, REG_SZ) and
 * removes a Task Manager "disabled" mark, so that the user's choice in
 * ofnotify wins. Returns 0 or a Win32 error. */
DWORD autostart_enable(const autostart_keys *keys, const WCHAR *exe);

/* Points an existing user Run value at exe, keeping whatever Task Manager
 * says about it. Returns 0, ERROR_FILE_NOT_FOUND when there is no value to
 * repair, or another Win32 error. */
DWORD autostart_repair(const autostart_keys *keys, const WCHAR *exe);

/* Removes the user Run value and its Task Manager mark (Windows leaves
 * stale marks behind otherwise). Absent values are not an error. Never
 * touches the per-machine entry. Returns 0 or a Win32 error. */
DWORD autostart_disable(const autostart_keys *keys);

#endif
