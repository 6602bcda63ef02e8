/* ofnotify: the notification-area icon (Shell_NotifyIconW, version 4): icon
 * state, tooltip, balloons and the context menu. It shows what it is told;
 * whether to show a balloon is core/notify's decision. */
#ifndef OFNOTIFY_TRAY_H
#define OFNOTIFY_TRAY_H

#include <windows.h>

typedef enum tray_state {
    TRAY_IDLE,         /* subscribed, nothing running */
    TRAY_SYNCING,      /* a background pass is open */
    TRAY_OFF,          /* Offline Files disabled or unavailable */
    TRAY_RECONNECTING, /* waiting for the service */
    TRAY_OFFLINE,      /* a server or share is offline: the "off" glyph, the tooltip says which */
} tray_state;

/* Registers "TaskbarCreated" (and lets it through UIPI); the app window
 * re-adds the icon when it arrives. Returns the message number. */
UINT tray_taskbar_created_message(HWND wnd);

/* Adds the icon. FALSE when the shell is not ready (at sign-in): try again later. */
BOOL tray_add(HWND wnd, tray_state state, const WCHAR *tip);

void tray_update(HWND wnd, tray_state state, const WCHAR *tip);

/* A balloon with the ofnotify icon, respecting the user's quiet time. */
void tray_balloon(HWND wnd, const WCHAR *title, const WCHAR *body);

/* Removes the icon, waiting at most wait_ms for the shell to take the
 * request (the call to the shell has no time limit of its own, and a shell
 * hiding a window can take seconds: Wine's waits 2 s for a window manager
 * that may not answer). The removal goes on without this thread; FALSE
 * when it had not finished in time or could not be started. */
BOOL tray_remove(HWND wnd, DWORD wait_ms);

/* Shows the context menu at `pt` (screen coordinates) and returns the chosen
 * command ID (0 if none). `checked`/`disabled` are command IDs to mark. */
UINT tray_menu(HWND wnd, POINT pt, const UINT *checked, size_t n_checked, const UINT *disabled,
               size_t n_disabled);

#endif
