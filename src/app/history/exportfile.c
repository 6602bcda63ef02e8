/* ofnotify: JSON Lines and CSV exports. See exportfile.h. */
#include "exportfile.h"

#include <string.h>

#include "../console.h"
#include "ofnotify/format.h"

typedef struct export_sink {
    HANDLE file; /* NULL: the console */
    export_write_fn write;
    char buf[64 * 1024];
    size_t used;
    BOOL failed;
    DWORD error;
} export_sink;

static BOOL write_file(HANDLE file, const void *data, DWORD len, DWORD *written)
{
    return WriteFile(file, data, len, written, NULL);
}

static void sink_flush(export_sink *s)
{
    DWORD done;
    BOOL ok;
    if (s->failed || !s->used)
        return;
    ok = s->file ? s->write(s->file, s->buf, (DWORD)s->used, &done) && done == s->used
                 : console_out(s->buf, s->used);
    if (!ok) {
        s->failed = TRUE;
        s->error = GetLastError();
        if (!s->error)
            s->error = ERROR_WRITE_FAULT; /* a short write without a reason */
    }
    s->used = 0;
}

static void sink_put(export_sink *s, const char *text, size_t len)
{
    if (s->used + len > sizeof(s->buf))
        sink_flush(s);
    if (len > sizeof(s->buf))
        return;
    memcpy(s->buf + s->used, text, len);
    s->used += len;
}

/* Records between two looks at progress: often enough that Cancel acts at once, rarely enough that
 * the interlocked traffic costs nothing. */
#define PROGRESS_EVERY 1024

static export_result write_records(HANDLE file, export_format format, export_get_fn get, void *ctx, size_t count,
                                   export_write_fn write, export_progress *progress, DWORD *error)
{
    char line[OF_FORMAT_LINE_MAX];
    export_result rc = EXPORT_OK;
    /* 64 KiB: off the stack, which the UI thread shares with window procedures. */
    export_sink *sink = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*sink));
    if (error)
        *error = 0;
    if (!sink) {
        if (error)
            *error = ERROR_NOT_ENOUGH_MEMORY;
        return EXPORT_E_MEMORY;
    }
    sink->file = file;
    sink->write = write ? write : write_file;
    if (format == EXPORT_CSV)
        sink_put(sink, line, of_format_csv_header(line, sizeof(line)));
    for (size_t i = 0; i < count && !sink->failed; i++) {
        const of_record *r;
        size_t len;
        if (progress && i % PROGRESS_EVERY == 0) {
            InterlockedExchange(&progress->done, (LONG)i);
            if (progress->tick)
                progress->tick(progress);
            if (InterlockedCompareExchange(&progress->cancel, 0, 0)) {
                rc = EXPORT_E_CANCELLED;
                break;
            }
        }
        r = get(ctx, i);
        if (!r)
            continue;
        len = format == EXPORT_CSV ? of_format_csv_row(r, line, sizeof(line)) : of_format_jsonl(r, line, sizeof(line));
        /* 0 means a record the format refuses (a status from a newer ofnotify). */
        if (len && len < sizeof(line))
            sink_put(sink, line, len);
    }
    if (rc == EXPORT_E_CANCELLED)
        goto done;
    sink_flush(sink);
    if (progress && !sink->failed)
        InterlockedExchange(&progress->done, (LONG)count);
    if (sink->file && !sink->failed && !FlushFileBuffers(sink->file)) {
        sink->failed = TRUE;
        sink->error = GetLastError();
    }
    if (sink->failed) {
        rc = EXPORT_E_WRITE;
        if (error)
            *error = sink->error;
    }
done:
    HeapFree(GetProcessHeap(), 0, sink);
    return rc;
}

export_result export_records(HANDLE file, export_format format, export_get_fn get, void *ctx, size_t count,
                             DWORD *error)
{
    return write_records(file, format, get, ctx, count, NULL, NULL, error);
}

export_result export_to_file(HANDLE file, const WCHAR *path, export_format format, export_get_fn get, void *ctx,
                             size_t count, export_write_fn write, export_progress *progress, DWORD *error)
{
    export_result rc = write_records(file, format, get, ctx, count, write, progress, error);
    CloseHandle(file);
    if (rc != EXPORT_OK)
        DeleteFileW(path);
    return rc;
}

export_result export_to_path_via(const WCHAR *path, export_format format, export_get_fn get, void *ctx, size_t count,
                                 export_write_fn write, DWORD *error)
{
    HANDLE file = CreateFileW(path, GENERIC_WRITE, FILE_SHARE_READ, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (file == INVALID_HANDLE_VALUE) {
        if (error)
            *error = GetLastError();
        return EXPORT_E_OPEN;
    }
    return export_to_file(file, path, format, get, ctx, count, write, NULL, error);
}

export_result export_to_path(const WCHAR *path, export_format format, export_get_fn get, void *ctx, size_t count,
                             DWORD *error)
{
    return export_to_path_via(path, format, get, ctx, count, NULL, error);
}
