/* ofnotify: writing history records as JSON Lines or CSV (app/history/exportfile).
 *
 * One writer for both places that export: the command line (--export, to a
 * file or the console) and the history window's Export… (to the file the
 * user picked). The bytes are core/format's (of_format_jsonl,
 * of_format_csv_header/row), so both give the same file for the same records.
 * Records come from a callback so that each caller decides which records and
 * in what order. A record core/format refuses (a status from a newer
 * ofnotify) is left out, as is a NULL record. */
#ifndef OFNOTIFY_EXPORTFILE_H
#define OFNOTIFY_EXPORTFILE_H

#include <stddef.h>

#include <windows.h>

#include "ofnotify/record.h"

typedef enum export_format { EXPORT_JSONL, EXPORT_CSV } export_format;

typedef enum export_result {
    EXPORT_OK,
    EXPORT_E_OPEN,   /* the file could not be created; an existing file is untouched */
    EXPORT_E_WRITE,  /* writing or flushing failed (disk full ...) */
    EXPORT_E_MEMORY,
    EXPORT_E_CANCELLED, /* export_progress.cancel was set; the partial file is deleted */
} export_result;

/* For a long export: done is how many of the records have been written so far; setting cancel
 * (InterlockedExchange, from any thread) stops the export before the next record; tick (may be NULL)
 * is called on the writing thread every so many records, after done was updated. */
typedef struct export_progress {
    volatile LONG done;
    volatile LONG cancel;
    void (*tick)(struct export_progress *progress);
} export_progress;

/* Record i of count, 0 first. */
typedef const of_record *(*export_get_fn)(void *ctx, size_t i);

/* Writes like WriteFile: TRUE with *written bytes of len, else FALSE with
 * GetLastError() set. */
typedef BOOL (*export_write_fn)(HANDLE file, const void *data, DWORD len, DWORD *written);

/* Writes every record to file, or to the console (console_out) when file is
 * NULL. *error (may be NULL) gets the Win32 error code on failure, 0 else. */
export_result export_records(HANDLE file, export_format format, export_get_fn get, void *ctx, size_t count,
                             DWORD *error);

/* Creates path (replacing a file of that name), writes every record and
 * flushes them to disk. On a write failure the partial file is deleted: a
 * half-written export is worse than none. */
export_result export_to_path(const WCHAR *path, export_format format, export_get_fn get, void *ctx, size_t count,
                             DWORD *error);

/* export_to_path writing through write (NULL: WriteFile); tests make a write
 * fail halfway there the way a full disk does, the failure path otherwise
 * the same. */
export_result export_to_path_via(const WCHAR *path, export_format format, export_get_fn get, void *ctx, size_t count,
                                 export_write_fn write, DWORD *error);

/* The second half of export_to_path_via, for a caller that created file at path itself (so that it
 * can say at once when that fails) and writes on another thread: writes and flushes every record,
 * closes file, and deletes path unless the export is complete. progress (may be NULL) is updated as
 * records are written and can cancel. */
export_result export_to_file(HANDLE file, const WCHAR *path, export_format format, export_get_fn get, void *ctx,
                             size_t count, export_write_fn write, export_progress *progress, DWORD *error);

#endif
