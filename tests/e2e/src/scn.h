/* e2e: scenario script lines, parsed into commands for the fake service.
 *
 * The format is design.md's scenario runner contract. Both the control tool
 * (which must reject a bad script before anything is played) and the fake
 * service (which plays what it is sent) parse with this one module, so the
 * two can never disagree about what a line means. Portable C, no Windows
 * headers: it can be tested without Wine. */
#ifndef OFN_E2E_SCN_H
#define OFN_E2E_SCN_H

#include <stddef.h>
#include <stdint.h>

/* Longest line and path accepted; longer is an error, never a truncation. */
#define SCN_LINE_MAX 1024
#define SCN_PATH_MAX 520

/* Longest sleep a script may ask for: keeps every run bounded. */
#define SCN_SLEEP_MAX_MS 600000u  /* also the longest pass */

/* Limits of the Sync now lines: a small, quick fake cache. */
#define SCN_SYNC_SERVERS_MAX 16u
#define SCN_SYNC_FILES_MAX 1000u
#define SCN_SYNC_DELAY_MAX_MS 60000u

typedef enum scn_op {
    SCN_BEGIN,         /* BackgroundSyncBegin(flags)        value = flags */
    SCN_END,           /* BackgroundSyncEnd(flags)          value = flags */
    SCN_SLEEP,         /* the player waits                  value = ms */
    SCN_SYNCBEGIN,     /* SyncBegin(GUID_NULL) */
    SCN_SYNCEND,       /* SyncEnd(GUID_NULL, hr)            value = HRESULT */
    SCN_FILERESULT,    /* SyncFileResult(GUID_NULL, path, hr) value = HRESULT */
    SCN_CONFLICT,      /* SyncConflictRecAdded(path, now, state); also "conflict-added" */
    SCN_CONFLICT_UPDATED, /* SyncConflictRecUpdated(path, now, state) */
    SCN_CONFLICT_REMOVED, /* SyncConflictRecRemoved(path, now, state) */
    SCN_ITEM_MODIFIED, /* ItemModified(path, FILE, TRUE, FALSE) */
    SCN_ITEM_PINNED,   /* ItemPinned(path, FILE) */
    SCN_NET_ARRIVED,   /* NetTransportArrived() */
    SCN_DATALOST,      /* DataLost() */
    SCN_PING,          /* Ping() */
    SCN_RESTART,       /* the service process dies and a new one registers */
    /* Sync now: what the fake's cache holds and how IOfflineFilesCache::
     * Synchronize behaves from the next sync on, and the app's side. */
    SCN_SYNC_SERVERS,  /* servers the cache lists (\\fs01 ...)   value = count */
    SCN_SYNC_FILES,    /* files synced per server               value = count */
    SCN_SYNC_DELAY,    /* time the fake spends on each file     value = ms */
    SCN_SYNC_FAIL,     /* the sync ends with this after its first file (S_OK: no failure) value = HRESULT */
    SCN_SYNC_WAIT,     /* the player waits until no sync runs (at most value ms) */
    SCN_SYNC_NOW,      /* the app is asked to sync now (fakectl runs ofnotify --sync-now) */
    SCN_PASS,          /* a whole background pass: Begin(flags), ms, End(flags); nothing for 0
                          value = flags, ms = milliseconds (default 0) */
    /* Working offline: the item type is the last word (file, directory, share, server). */
    SCN_DISCONNECT,    /* ItemDisconnected(path, type)          value = OFFLINEFILES_ITEM_TYPE */
    SCN_RECONNECT,     /* ItemReconnected(path, type)           value = OFFLINEFILES_ITEM_TYPE */
    SCN_NO_NET,        /* NoNetTransports() */
    SCN_RECONNECT_BEGIN, /* ItemReconnectBegin() (IOfflineFilesEvents2) */
    SCN_RECONNECT_END,   /* ItemReconnectEnd() (IOfflineFilesEvents2) */
    SCN_OP_COUNT
} scn_op;

typedef struct scn_cmd {
    scn_op op;
    uint32_t value;           /* flags, milliseconds or HRESULT bits; else 0 */
    uint32_t ms;              /* pass: the time between Begin and End; else 0 */
    char path[SCN_PATH_MAX];  /* UTF-8, for the path commands; else "" */
} scn_cmd;

/* Parses one line (without its newline; a trailing '\r' is allowed).
 * Returns 1 and fills *out for a command, 0 for a blank or comment-only
 * line, -1 on error with a message (without the line number) in err, which
 * is always NUL-terminated when errcap > 0. '#' starts a comment at the
 * start of the line or after blank space. */
int scn_parse_line(const char *line, scn_cmd *out, char *err, size_t errcap);

/* The canonical text of a command, which scn_parse_line reads back to the
 * same command ("begin 0x00012007", "pass 0x00010006 300",
 * "fileresult \\s\p 0x00000000").
 * Like snprintf: returns the length needed; truncated when >= cap. */
size_t scn_format(const scn_cmd *c, char *buf, size_t cap);

/* OFFLINEFILES_ITEM_TYPE's words, as the disconnect and reconnect lines
 * take them: FILE=0 "file", DIRECTORY=1 "directory", SHARE=2 "share",
 * SERVER=3 "server"; "?" out of range. */
const char *scn_item_type_name(uint32_t type);

/* The keyword of an op ("begin", "item-modified", ...); "?" if out of range. */
const char *scn_op_name(scn_op op);


/* HRESULT text: 0x hex, decimal (may be negative), or one of the names
 * S_OK S_FALSE E_FAIL E_ABORT E_ACCESSDENIED E_INVALIDARG E_NOTIMPL
 * E_OUTOFMEMORY E_UNEXPECTED ERROR_CANCELLED (= 0x800704C7)
 * RPC_E_DISCONNECTED (= 0x80010108).
 * Returns 0 and sets *out, or -1. */
int scn_parse_hresult(const char *text, uint32_t *out);

#endif
