/* ofnotify: the key on the messages ofnotify's own threads post to its window.
 *
 * Any program on the same desktop can post any message to any window, and a
 * posted message says nothing about its sender. The private messages that
 * carry data into the app (sink events, service states, Sync now progress;
 * messages.h) therefore carry a random key of this process in the upper half
 * of wParam, and the app window drops one without it: another program can
 * neither invent a sync pass nor hand the app a pointer to free. Messages
 * without data (a timer, the session's end) can at most make ofnotify do
 * early what it does anyway, and UIPI already keeps lower-integrity programs
 * from posting at all. */
#ifndef OFNOTIFY_POSTKEY_H
#define OFNOTIFY_POSTKEY_H

#include <windows.h>

/* wParam for a private message with this payload. Thread-safe; the key is
 * made on first use. */
WPARAM postkey_wrap(DWORD payload);

/* TRUE and the payload when wp carries this process's key. */
BOOL postkey_unwrap(WPARAM wp, DWORD *payload);

#endif
