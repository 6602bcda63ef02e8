/* ofnotify: --status, what a person checking a machine needs to know.
 *
 * Whether Offline Files is enabled, active and available (cscapi.dll),
 * the CscService service's state, whether a running ofnotify is subscribed,
 * at which level and since when, the events its filter asks for, the last
 * recorded sync, and the history file with its record count. It works
 * without a running ofnotify (that part then says "not running").
 *
 * The facts are gathered into a status_facts; the text and the exit code are
 * pure functions of it, so they are tested without a service or an instance. */
#ifndef OFNOTIFY_STATUS_H
#define OFNOTIFY_STATUS_H

#include <windows.h>
#include <stdint.h>

#include "cscsvc.h"
#include "instance.h"
#include "ofnotify/record.h"

typedef enum status_instance {
    STATUS_NOT_RUNNING, /* no running ofnotify in this session */
    STATUS_NO_ANSWER,   /* one runs but did not answer in time (hung or busy) */
    STATUS_ANSWERED,    /* `app` holds its answer */
} status_instance;

typedef struct status_facts {
    csc_feature feature;
    DWORD service_state;      /* SERVICE_RUNNING ...; 0 when it could not be read */
    DWORD service_error;      /* why not, when service_state is 0 */
    status_instance instance;
    instance_status app;      /* when instance is STATUS_ANSWERED */
    char history_path[MAX_PATH * 8]; /* UTF-8; empty when there is none */
    const char *history_error; /* NULL when the history was read */
    uint64_t record_count;
    BOOL have_last;
    of_record last;           /* the newest record, when have_last */
} status_facts;

/* The report as UTF-8 lines; returns its length (cut short, still
 * NUL-terminated, when cap is too small). */
size_t status_format(const status_facts *f, char *buf, size_t cap);

/* EXIT_OK when a running ofnotify is subscribed at level 2 or higher;
 * EXIT_NOT_RUNNING, EXIT_TIMEOUT (it did not answer), EXIT_NOT_SUBSCRIBED. */
int status_exit_code(const status_facts *f);

/* --status: gathers the facts (the history from data_dir when given, else
 * the running instance's, else the default), prints the report, returns
 * the exit code. */
int status_run(const WCHAR *data_dir);

#endif
