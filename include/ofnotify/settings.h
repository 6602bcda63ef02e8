/* ofnotify: core/settings, what the user and the administrator chose.
 *
 * Eight settings, each a DWORD value of the same name in up to three layers,
 * in precedence order:
 *     machine policy  (HKLM\Software\Policies\ofnotify)
 *     user policy     (HKCU\Software\Policies\ofnotify)
 *     user preference (HKCU\Software\ofnotify)
 * The app reads the raw values (absent, or present with a type and data)
 * and this module decides: for every setting the first layer that holds a
 * valid value wins; when none does, the default applies. A setting won by
 * a policy layer is locked: the user cannot change it.
 *
 * Nothing in the registry can make ofnotify fail. A value that is present
 * but unusable (not a DWORD, out of range, half of the quiet hours, quiet
 * hours that start when they end) is skipped, as if absent, and leaves a
 * note naming the layer, the value and the problem; the About dialog shows
 * the notes so that whoever wrote the value can fix it.
 *
 * Quiet hours are a pair: QuietHoursStart and QuietHoursEnd, local minutes
 * of the day (0..1439), count only together and from the same layer, so a
 * policy that sets the start never combines with the user's end. A window
 * may wrap midnight (1320..420 is 22:00-07:00); core/notify applies it.
 *
 * Pure functions on caller-owned memory; any input is accepted. */
#ifndef OFNOTIFY_SETTINGS_H
#define OFNOTIFY_SETTINGS_H

#include <stddef.h>
#include <stdint.h>

#include "ofnotify/notify.h"

/* The settings. The numeric values index the arrays below. */
typedef enum of_setting_id {
    OF_SETTING_NOTIFY_MODE = 0,     /* of_notify_mode: 0 all, 1 two-way only, 2 off */
    OF_SETTING_QUIET_START,         /* quiet hours start, local minute 0..1439 */
    OF_SETTING_QUIET_END,           /* quiet hours end (exclusive), 0..1439 */
    OF_SETTING_RETENTION_COUNT,     /* history records kept; 0: no limit */
    OF_SETTING_RETENTION_DAYS,      /* days of history kept; 0: no limit */
    OF_SETTING_EVENT_LOG,           /* 1: every pass in the Windows Event Log, 0: none */
    OF_SETTING_OFFLINE_NOTIFY,      /* 1: balloons for working offline and back, 0: none */
    OF_SETTING_OFFLINE_GRACE,       /* minutes offline before that balloon; 0: at once */
    OF_SETTING_NOTIFY_CONFLICTS,    /* 1: a balloon for new sync conflicts, 0: none */
    OF_SETTING_COUNT
} of_setting_id;

/* Registry value names, one per setting. installer/admx/ofnotify.admx writes
 * the same names; tests/admx/check compares them with these lines. */
#define OF_SETTINGS_VALUE_NOTIFY_MODE     "NotificationMode"
#define OF_SETTINGS_VALUE_QUIET_START     "QuietHoursStart"
#define OF_SETTINGS_VALUE_QUIET_END       "QuietHoursEnd"
#define OF_SETTINGS_VALUE_RETENTION_COUNT "RetentionCount"
#define OF_SETTINGS_VALUE_RETENTION_DAYS  "RetentionDays"
#define OF_SETTINGS_VALUE_EVENT_LOG       "EventLog"
#define OF_SETTINGS_VALUE_OFFLINE_NOTIFY  "NotifyOffline"
#define OF_SETTINGS_VALUE_OFFLINE_GRACE   "OfflineGraceMinutes"
#define OF_SETTINGS_VALUE_NOTIFY_CONFLICTS "NotifyConflicts"

/* Valid ranges (inclusive); the ADMX uses the same bounds.
 * Retention count: every record is held in memory (48 bytes) while
 * ofnotify runs, and the history window is tested with a million; more
 * would cost memory for no one's benefit. Retention days: a century; more
 * is a typing error, and the bound keeps day arithmetic far from overflow. */
#define OF_SETTINGS_QUIET_MINUTE_MAX      1439u
#define OF_SETTINGS_RETENTION_COUNT_MAX   1000000u
#define OF_SETTINGS_RETENTION_DAYS_MAX    36500u
#define OF_SETTINGS_EVENT_LOG_MAX         1u
/* A day: a share offline longer than that without a word is what the balloon is for. */
#define OF_SETTINGS_OFFLINE_NOTIFY_MAX    1u
#define OF_SETTINGS_OFFLINE_GRACE_MAX     1440u
#define OF_SETTINGS_NOTIFY_CONFLICTS_MAX  1u

/* Defaults. All syncs announced and no quiet hours: someone who installs
 * ofnotify wants to see syncs, and the balloons already respect Windows'
 * own quiet time. 100,000 records is decades at the usual few dozen
 * background passes a day, yet under 5 MB in memory and on disk. 365 days
 * answers "did it sync last month" and "since when does it fail" while a
 * machine's history never grows without bound; whichever limit is reached
 * first applies. */
#define OF_SETTINGS_DEFAULT_NOTIFY_MODE     OF_NOTIFY_ALL
#define OF_SETTINGS_DEFAULT_RETENTION_COUNT 100000u
#define OF_SETTINGS_DEFAULT_RETENTION_DAYS  365u
/* Events on: fleets collect them, and a single PC's log barely notices a
 * few dozen events a day. */
#define OF_SETTINGS_DEFAULT_EVENT_LOG       1u
/* Working offline is announced, after two minutes: the service takes shares
 * offline for a few seconds now and then, which is nobody's concern, while a
 * share offline all week is the surprise people most need to hear about. */
#define OF_SETTINGS_DEFAULT_OFFLINE_NOTIFY  1u
#define OF_SETTINGS_DEFAULT_OFFLINE_GRACE   2u
/* Conflict balloons on: a conflict waits for the user, and nothing else in
 * Windows says so until Sync Center is opened. */
#define OF_SETTINGS_DEFAULT_NOTIFY_CONFLICTS 1u

/* The layers, in precedence order (index 0 wins). */
typedef enum of_settings_layer {
    OF_LAYER_MACHINE_POLICY = 0,
    OF_LAYER_USER_POLICY,
    OF_LAYER_USER,
    OF_LAYER_COUNT
} of_settings_layer;

/* Where an effective value came from. */
typedef enum of_settings_source {
    OF_SOURCE_DEFAULT = 0,
    OF_SOURCE_USER,
    OF_SOURCE_USER_POLICY,
    OF_SOURCE_MACHINE_POLICY
} of_settings_source;

/* The type of a raw value as the app found it. */
typedef enum of_raw_type {
    OF_RAW_ABSENT = 0, /* no such value (or no such key) */
    OF_RAW_DWORD,      /* a 32-bit number: `dword` holds it */
    OF_RAW_STRING,     /* a text value */
    OF_RAW_OTHER       /* anything else: binary, 64-bit, a DWORD of the wrong size */
} of_raw_type;

typedef struct of_raw_value {
    of_raw_type type;     /* values outside the enum count as OF_RAW_OTHER */
    uint32_t dword;       /* the number when type is OF_RAW_DWORD */
    uint32_t native_type; /* the platform's type code (REG_SZ...), copied into
                             notes unread so the app can name it */
} of_raw_value;

/* Every raw value: raw.v[layer][setting]. All zero means all absent. */
typedef struct of_settings_raw {
    of_raw_value v[OF_LAYER_COUNT][OF_SETTING_COUNT];
} of_settings_raw;

/* Why a present value was skipped. */
typedef enum of_settings_problem {
    OF_PROBLEM_WRONG_TYPE = 0, /* not a DWORD */
    OF_PROBLEM_OUT_OF_RANGE,   /* a DWORD outside of_settings_range */
    OF_PROBLEM_HALF_SET,       /* a quiet-hours value without its partner in the same layer */
    OF_PROBLEM_EMPTY_RANGE,    /* QuietHoursStart equals QuietHoursEnd (on the start value) */
    OF_PROBLEM_PARTNER_INVALID /* a valid quiet-hours value whose partner is unusable */
} of_settings_problem;

/* One skipped value. `raw` is a copy of what was found. */
typedef struct of_settings_note {
    of_settings_layer layer;
    of_setting_id setting;
    of_settings_problem problem;
    of_raw_value raw;
} of_settings_note;

/* Each value of each layer gives at most one note. */
#define OF_SETTINGS_NOTES_MAX (OF_LAYER_COUNT * OF_SETTING_COUNT)

/* The effective settings. */
typedef struct of_settings {
    of_notify_mode notify_mode;
    int quiet_hours;            /* 1: quiet hours set; the minutes below are valid */
    int quiet_start_minute;     /* 0..1439; 0 when quiet_hours is 0 */
    int quiet_end_minute;       /* 0..1439, != start; 0 when quiet_hours is 0 */
    uint32_t retention_count;   /* 0: no limit */
    uint32_t retention_days;    /* 0: no limit */
    int event_log;              /* 1: passes and service changes go to the Windows Event Log */
    int offline_notify;         /* 1: balloons when a scope has been offline a while, and when it is back */
    uint32_t offline_grace_minutes; /* how long a scope is offline before that balloon */
    int notify_conflicts;       /* 1: a balloon names new sync conflicts */
    of_settings_source source[OF_SETTING_COUNT]; /* the quiet-hours pair shares one */
    of_settings_note notes[OF_SETTINGS_NOTES_MAX];
    size_t note_count;          /* in layer order, then setting order */
} of_settings;

/* The defaults, no notes. NULL out is ignored. */
void of_settings_default(of_settings *out);

/* Resolves raw (NULL: everything absent) into *out as described above.
 * Returns 0, or -1 if out is NULL. */
int of_settings_resolve(const of_settings_raw *raw, of_settings *out);

/* Whether a policy layer set this setting (the user cannot change it).
 * 0 for a NULL s or an id out of range. */
int of_settings_locked(const of_settings *s, of_setting_id id);

/* The registry value name of a setting (OF_SETTINGS_VALUE_*), or NULL for
 * an id out of range. */
const char *of_settings_value_name(of_setting_id id);

/* The valid range of a setting's DWORD. Returns 0, or -1 for an id out of
 * range (nothing written). */
int of_settings_range(of_setting_id id, uint32_t *min, uint32_t *max);

/* Whether value would be accepted for a setting on its own (quiet-hours
 * pairing aside): the app checks a user's choice before writing it. */
int of_settings_value_ok(of_setting_id id, uint32_t value);

/* Sets cfg's mode and quiet hours from s and leaves its periods as they
 * were, so the app passes its current configuration (or the default) and
 * hands the result to of_notify_set_config. No quiet hours become
 * start == end == 0, which core/notify reads as none. Returns 0, or -1 if
 * either pointer is NULL (cfg untouched). */
int of_settings_to_notify_config(const of_settings *s, of_notify_config *cfg);

#endif
