/* ofnotify: app/aboutdlg, the About dialog.
 *
 * Shows the product and version, where the history is kept, the state of
 * the Offline Files service, whether ofnotify starts at sign-in (in words),
 * the effective settings with "(set by your administrator)" on the locked
 * ones, a problem with the history file (or what its repair did) and
 * every unusable registry value (core/settings' notes) in a
 * read-only text box, so that a user can copy them to whoever manages the
 * PC. Every text comes from the STRINGTABLE (English, German).
 *
 * Modeless and one at a time: a second aboutdlg_show brings the open dialog
 * to the front with the new facts, and the tray app's services keep running
 * (a modal loop would hold up the service watch's APCs). Esc, Enter and the
 * Close button close it. Standard controls only, each value after its label,
 * so screen readers name them; laid out in dialog units and, with the
 * manifest's per-monitor awareness, scaled by Windows on DPI changes.
 * Main thread only. */
#ifndef OFNOTIFY_ABOUTDLG_H
#define OFNOTIFY_ABOUTDLG_H

#include <windows.h>

#include "autostart.h"
#include "cscsvc.h"
#include "eventlog.h"
#include "ofnotify/settings.h"

/* What the dialog shows; aboutdlg_show copies all of it. */
typedef struct about_info {
    const WCHAR *data_dir;             /* NULL: shown empty */
    const WCHAR *history_path;         /* NULL: shown empty */
    csc_state service;
    const autostart_status *autostart; /* NULL: "unknown" */
    const of_settings *settings;       /* NULL: the defaults */
    const eventlog_status *eventlog;   /* NULL: no Event Log line */
    const WCHAR *store_note;           /* the history's problem or repair (app_store.h); NULL or "": none */
} about_info;

/* Opens the dialog (or refreshes and raises the open one) and returns it;
 * NULL if it could not be created or info is NULL. owner may be NULL. */
HWND aboutdlg_show(HWND owner, const about_info *info);

/* For the app's message loop, before TranslateMessage: TRUE when the message
 * was the dialog's keyboard navigation (Tab, Esc, Enter) and is handled. */
BOOL aboutdlg_handle_message(MSG *msg);

/* Closes the dialog if it is open (the app calls this when it shuts down). */
void aboutdlg_close(void);

#endif
