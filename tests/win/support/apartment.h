/* Test support: COM apartments as the app has them.
 *
 * The app's main thread is a single-threaded apartment whose window gets
 * what the sink and Sync now post; the service calls from threads of the
 * multithreaded apartment. sta_group_setup/_teardown make the test's main
 * thread that STA (as cmocka group fixtures) and register a window class for
 * message-only target windows; apartment_thread runs a function on a new
 * thread of either apartment. */
#ifndef OFNOTIFY_TEST_APARTMENT_H
#define OFNOTIFY_TEST_APARTMENT_H

#include <windows.h>

/* The class of the target windows. */
#define STA_TARGET_CLASS L"ofnotify_test_target"

/* cmocka group fixtures: CoInitializeEx(COINIT_APARTMENTTHREADED) and the
 * target window class. -1 if either fails (nothing is left set up then). */
int sta_group_setup(void **state);
int sta_group_teardown(void **state);

/* A message-only window of the target class (DefWindowProcW); asserts. */
HWND sta_target_window(void);

/* Starts a thread that enters the apartment coinit names
 * (COINIT_APARTMENTTHREADED or COINIT_MULTITHREADED), runs fn(arg) and
 * leaves it. Its exit code is CoInitializeEx's HRESULT: fn does not run when
 * that failed. NULL if no thread could be started. */
HANDLE apartment_thread(DWORD coinit, void (*fn)(void *arg), void *arg);

/* The top-level window of class cls that a thread started here makes (the
 * app's, when it runs app_run): looked for every 20 ms for up to wait_ms;
 * NULL if none came. */
HWND apartment_wait_window(const WCHAR *cls, DWORD wait_ms);

#endif
