/* ofnotify: the command line. Every mode but the tray works without a
 * display, prints to the console it was started from, and exits with the
 * codes of instance.h. */
#ifndef OFNOTIFY_CLI_H
#define OFNOTIFY_CLI_H

#include <windows.h>

#include "ofnotify/cliparse.h"

/* The modes and formats are core's (ofnotify/cliparse.h). */
typedef enum cli_mode {
    CLI_TRAY = OF_CLI_TRAY,
    CLI_EXPORT = OF_CLI_EXPORT,
    CLI_WAIT_IDLE = OF_CLI_WAIT_IDLE,
    CLI_EXIT = OF_CLI_EXIT,
    CLI_SYNC_NOW = OF_CLI_SYNC_NOW,
    CLI_STATUS = OF_CLI_STATUS,
    CLI_HELP = OF_CLI_HELP,
    CLI_VERSION = OF_CLI_VERSION,
} cli_mode;

typedef enum cli_format { CLI_FORMAT_JSONL = OF_CLI_JSONL, CLI_FORMAT_CSV = OF_CLI_CSV } cli_format;

typedef struct cli_options {
    cli_mode mode;
    BOOL background;        /* --background: started at sign-in */
    const WCHAR *data_dir;  /* --data-dir, or NULL for the default */
    const WCHAR *out;       /* --out, or NULL for stdout */
    cli_format format;
    DWORD timeout_ms;       /* --wait-idle=MS, --exit, --sync-now */
    BOOL has_since, has_until;
    INT64 since_ms, until_ms; /* --since, --until: UTC ms since 1970 */
} cli_options;

/* Parses argv (argv[0] is the program) with of_cli_parse, a local --since or
 * --until turned into UTC with the time zone rules of its date. Returns
 * EXIT_OK, or EXIT_USAGE after printing what was wrong: an unknown option,
 * two modes (the same twice or two different ones), an option with a value
 * given twice, --background with a mode, --out, --since or --until without
 * --export, a bad TIME, --since not before --until. The options' strings
 * point into argv. */
int cli_parse(int argc, WCHAR **argv, cli_options *opts);

/* The tray app's data folder: checked (too long, a file in the way) and,
 * with create, made. EXIT_OK, or EXIT_ERROR after saying why on stderr or,
 * with no console, in a message box. */
int cli_tray_data_dir(const cli_options *o, BOOL create);

/* Runs a mode other than CLI_TRAY; returns the exit code. */
int cli_run(const cli_options *opts);

#endif
