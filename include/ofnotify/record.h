/* ofnotify: the history record, one per sync pass that ended
 * (the service's background passes and the user's Sync now).
 *
 * Shared by core/pass (which produces records), core/history (which stores
 * them) and core/format (which turns them into text). Plain data; portable C. */
#ifndef OFNOTIFY_RECORD_H
#define OFNOTIFY_RECORD_H

#include <stdint.h>

/* A wall-clock time that is not known (the Begin of an unpaired End). */
#define OF_TIME_UNKNOWN INT64_MIN

typedef enum of_status {
    OF_STATUS_COMPLETED = 0,   /* Begin and End were both seen */
    OF_STATUS_UNPAIRED = 1,    /* End arrived with no open Begin to match it */
    OF_STATUS_INTERRUPTED = 2, /* Begin was seen, End never came */
    OF_STATUS_COUNT
} of_status;

/* Why an interrupted pass was given up. Kept so the history can say so. */
typedef enum of_reason {
    OF_REASON_NONE = 0,         /* completed or unpaired */
    OF_REASON_DATALOST = 1,     /* the service said it dropped events for us */
    OF_REASON_SERVICE_LOST = 2, /* the service stopped or its process died */
    OF_REASON_SHUTDOWN = 3,     /* ofnotify exited (sign-out, shutdown, Exit) */
    OF_REASON_TIMEOUT = 4,      /* no End within the pass timeout */
    OF_REASON_FAILED = 5,       /* the service ended the sync with an error (a "Sync now"
                                 * that failed, or was cancelled by someone else) */
    OF_REASON_COUNT
} of_reason;

/* Who started the pass. Stored since history format 1.2; records written
 * before it read as background. */
typedef enum of_origin {
    OF_ORIGIN_BACKGROUND = 0, /* the service's own schedule (BackgroundSyncBegin/End) */
    OF_ORIGIN_SYNC_NOW = 1,   /* the user's Sync now, run by ofnotify itself */
    OF_ORIGIN_COUNT
} of_origin;

typedef struct of_record {
    uint64_t seq;          /* 1, 2, 3 ... in the order passes ended; set by the history store */
    int64_t started_ms;    /* wall clock, ms since 1970-01-01 UTC; OF_TIME_UNKNOWN if unpaired */
    int64_t completed_ms;  /* wall clock when the pass ended or was given up */
    uint64_t duration_ms;  /* from the monotonic clock; 0 when unpaired */
    uint32_t flags;        /* dwSyncControlFlags of the End (of the Begin when interrupted) */
    uint32_t begin_flags;  /* dwSyncControlFlags of the Begin; equal to flags when unpaired */
    uint8_t status;        /* of_status */
    uint8_t reason;        /* of_reason */
    uint8_t origin;        /* of_origin; loaded as found (a newer version may add values) */
} of_record;

#endif
