/* ofnotify: text output of the command-line modes.
 *
 * ofnotify.exe is a GUI program, so it has no console of its own: output goes
 * to the handles it was given (a pipe or file when redirected) or, failing
 * that, to the console of the process that started it. Text is UTF-8 in files
 * and pipes and UTF-16 on a console. */
#ifndef OFNOTIFY_CONSOLE_H
#define OFNOTIFY_CONSOLE_H

#include <windows.h>

/* Finds stdout and stderr (attaching to the parent's console if need be). */
void console_open(void);

/* Writes UTF-8 bytes to stdout; FALSE with GetLastError() set on failure. */
BOOL console_out(const char *utf8, size_t len);

/* Longest insert shown whole; a longer one (a mistyped argument of many
 * kilobytes) is cut there and ends in an ellipsis, so the message still fits
 * and is printed. */
#define CONSOLE_INSERT_MAX 1024

/* A STRINGTABLE message with string inserts %1 ... %9 (each a const WCHAR *),
 * to stderr (or stdout for --help and --version). */
void console_message(BOOL to_stdout, UINT string_id, ...);

/* The message text console_message prints, into buf; "" if the string is
 * missing. */
void console_format(WCHAR *buf, size_t cap, UINT string_id, ...);

/* console_message to stderr when there is one; otherwise (the tray app
 * started from Explorer or at sign-in) in one message box. */
void console_alert(UINT string_id, ...);

#endif
