/* ofnotify: the command line, parsed: arguments to one mode and its options,
 * or the first mistake found. Portable C on UTF-8 arguments; the Windows
 * front end (src/app/cli.c) prints the messages and runs the mode.
 *
 *   (no option)           the tray app
 *   --background          the tray app, started at sign-in
 *   --data-dir=DIR        the data folder
 *   --export=jsonl|csv    print the history           (a mode)
 *   --out=FILE            with --export: write to FILE
 *   --since=TIME          with --export: records completed at or after TIME
 *   --until=TIME          with --export: records completed before TIME
 *   --wait-idle[=MS]      (a mode; MS 0..86400000)
 *   --sync-now, --status, --exit, --version           (modes)
 *   --help, -h, /?        (a mode)
 * TIME is what of_civil_parse (civiltime.h) accepts: a date, or a date and
 * time, in local time unless it ends in Z. */
#ifndef OFNOTIFY_CLIPARSE_H
#define OFNOTIFY_CLIPARSE_H

#include <stdint.h>

#include "ofnotify/civiltime.h"

typedef enum of_cli_mode {
    OF_CLI_TRAY,
    OF_CLI_EXPORT,
    OF_CLI_WAIT_IDLE,
    OF_CLI_EXIT,
    OF_CLI_SYNC_NOW,
    OF_CLI_STATUS,
    OF_CLI_HELP,
    OF_CLI_VERSION,
} of_cli_mode;

typedef enum of_cli_format { OF_CLI_JSONL, OF_CLI_CSV } of_cli_format;

/* --wait-idle, --exit and --sync-now wait this long unless told otherwise. */
#define OF_CLI_DEFAULT_TIMEOUT_MS 10000u
#define OF_CLI_MAX_TIMEOUT_MS 86400000u

typedef struct of_cli_options {
    of_cli_mode mode;
    int background;      /* --background */
    int data_dir;        /* argv index of --data-dir=DIR, 0 when not given */
    int out;             /* argv index of --out=FILE, 0 when not given */
    of_cli_format format;
    uint32_t timeout_ms; /* --wait-idle=MS; OF_CLI_DEFAULT_TIMEOUT_MS otherwise */
    int has_since, has_until;
    int64_t since_ms, until_ms; /* UTC, ms since 1970; a record is exported when
                                 * since_ms <= its completed time < until_ms */
} of_cli_options;

/* The value of an option at argv[i] ("--data-dir=DIR") is everything after
 * its first '='. Option names are ASCII without '=', so the value starts
 * after the first '=' of the UTF-16 argument the UTF-8 one came from too. */

typedef enum of_cli_err {
    OF_CLI_OK = 0,
    OF_CLI_E_BAD_OPTION,    /* arg: unknown, or malformed (--wait-idle=x, --data-dir=) */
    OF_CLI_E_REPEATED,      /* name: given twice (a mode too, even the same one) */
    OF_CLI_E_CONFLICT,      /* name, other: two modes (the first one in name), or
                             * --background (name) with a mode (other) */
    OF_CLI_E_EXPORT_FORMAT, /* arg: --export's value is not jsonl or csv */
    OF_CLI_E_NEEDS_EXPORT,  /* name: --out, --since or --until without --export */
    OF_CLI_E_BAD_TIME,      /* name, arg: --since's or --until's value is no TIME,
                             * or a local time the caller could not convert */
    OF_CLI_E_TIME_ORDER,    /* --since is not before --until */
} of_cli_err;

typedef struct of_cli_error {
    of_cli_err code;
    int arg;           /* argv index of the argument at fault; 0 when none */
    const char *name;  /* the option's canonical name ("--help" for -h), or NULL */
    const char *other; /* OF_CLI_E_CONFLICT: the other option, or NULL */
} of_cli_error;

/* Turns a local time (t->utc == 0) into ms since 1970 UTC. Returns 0, or
 * non-zero when it cannot (out of range). */
typedef int (*of_cli_local_fn)(void *ctx, const of_civil_time *t, int64_t *unix_ms);

/* Parses argv[1..argc-1] (argv[0] is the program), UTF-8. Returns OF_CLI_OK
 * with *o filled, or the first mistake (also in e->code, with what the
 * message needs). Which mistake comes first: the arguments in order (an
 * unknown option, a repeat, a second mode, a bad value), then --background
 * with a mode, --out/--since/--until without --export, since >= until. */
of_cli_err of_cli_parse(int argc, const char *const *argv, of_cli_local_fn local, void *ctx, of_cli_options *o,
                        of_cli_error *e);

/* A mode's canonical name ("--export", "--help"); NULL for OF_CLI_TRAY. */
const char *of_cli_mode_name(of_cli_mode mode);

#endif
