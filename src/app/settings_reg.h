/* ofnotify: app/settings_reg, the settings in the registry.
 *
 * Reads the three layers core/settings resolves (machine policy, user
 * policy, user preference: REG_DWORD values NotificationMode,
 * QuietHoursStart, QuietHoursEnd, RetentionCount, RetentionDays, EventLog,
 * NotifyOffline, OfflineGraceMinutes, NotifyConflicts), and
 * writes the one setting the user changes from the tray menu, the
 * notification mode, unless a policy locks it. All of ofnotify's settings
 * registry calls are here.
 *
 * Reading is cheap (one key open and one value query per setting and layer,
 * no allocation), so the app simply reads again when the menu opens and on
 * WM_SETTINGCHANGE whose lParam is the string "Policy" (Group Policy
 * refreshed), then hands the result to core/notify with
 * of_settings_to_notify_config. Main thread or any thread: no state here.
 *
 * The keys are injectable: tests pass their own roots and paths. */
#ifndef OFNOTIFY_SETTINGS_REG_H
#define OFNOTIFY_SETTINGS_REG_H

#include <stddef.h>

#include <windows.h>

#include "ofnotify/settings.h"

#define SETTINGS_POLICY_PATH L"Software\\Policies\\ofnotify"
#define SETTINGS_USER_PATH L"Software\\ofnotify"

/* Where each layer lives, indexed by of_settings_layer. */
typedef struct settings_keys {
    HKEY root[OF_LAYER_COUNT];
    const WCHAR *path[OF_LAYER_COUNT];
} settings_keys;

/* HKLM\Software\Policies\ofnotify, HKCU\Software\Policies\ofnotify,
 * HKCU\Software\ofnotify. */
const settings_keys *settings_default_keys(void);

/* Reads every layer of keys (NULL: the default keys) and resolves them into
 * *out, which is always filled: a layer that cannot be read counts as
 * empty. Returns ERROR_SUCCESS, or the first Win32 error other than "not
 * found" (for a log line; the settings in *out are still the best known). */
DWORD settings_load(const settings_keys *keys, of_settings *out);

typedef enum settings_write_result {
    SETTINGS_WRITTEN = 0,
    SETTINGS_LOCKED,       /* a policy sets it: nothing written */
    SETTINGS_BAD_VALUE,    /* not a notification mode: nothing written */
    SETTINGS_WRITE_FAILED  /* the registry refused; *err says why */
} settings_write_result;

/* Stores the user's notification mode in the user layer. The policies are
 * read again first, so a lock that arrived since the last load is obeyed.
 * err (may be NULL) gets the Win32 error of SETTINGS_WRITE_FAILED, else 0. */
settings_write_result settings_set_notify_mode(const settings_keys *keys, of_notify_mode mode, DWORD *err);

/* One note as a sentence for the About dialog, in the user's language,
 * e.g. "Computer policy (HKLM\Software\Policies\ofnotify): QuietHoursStart
 * is 1500, outside 0 to 1439; it is ignored." Empty if note is NULL. */
void settings_note_text(const of_settings_note *note, WCHAR *buf, size_t cap);

#endif
