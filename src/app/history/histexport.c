/* ofnotify: the history window's export, written on a worker thread (app/history/histexport), so that
 * a million records do not freeze the window for seconds. See historywnd_private.h.
 *
 * The worker writes a snapshot: a copy of the records the list showed when the user chose Export…,
 * taken on the UI thread. The window may meanwhile take in new passes (which can move the store's
 * array), clear the history or close; none of it reaches the worker, which owns its copy, its file
 * handle and its path. Only two counters are shared (export_progress, interlocked); the worker's
 * last act is to post WM_HISTWND_EXPORT_DONE.
 *
 * Progress: after EXPORT_DIALOG_DELAY_MS the shell's progress dialog (IProgressDialog: a bar, the
 * time left and Cancel) is shown, owned by the window and driven from its timer on the UI thread;
 * a short export finishes before anything appears. */
#include "historywnd_private.h"

#include <stdlib.h>

#include <shlobj.h>

/* MinGW's shlobj.h declares IProgressDialog for C++ only: in C its vtable lacks IUnknown's three
 * slots. So the interface is declared here as Windows lays it out (the SDK's shobjidl order). */
typedef struct progress_dialog progress_dialog;
typedef struct progress_dialog_vtbl {
    HRESULT(STDMETHODCALLTYPE *QueryInterface)(progress_dialog *self, REFIID riid, void **out);
    ULONG(STDMETHODCALLTYPE *AddRef)(progress_dialog *self);
    ULONG(STDMETHODCALLTYPE *Release)(progress_dialog *self);
    HRESULT(STDMETHODCALLTYPE *StartProgressDialog)(progress_dialog *self, HWND parent, IUnknown *modeless,
                                                    DWORD flags, LPCVOID reserved);
    HRESULT(STDMETHODCALLTYPE *StopProgressDialog)(progress_dialog *self);
    HRESULT(STDMETHODCALLTYPE *SetTitle)(progress_dialog *self, PCWSTR title);
    HRESULT(STDMETHODCALLTYPE *SetAnimation)(progress_dialog *self, HINSTANCE inst, UINT id);
    BOOL(STDMETHODCALLTYPE *HasUserCancelled)(progress_dialog *self);
    HRESULT(STDMETHODCALLTYPE *SetProgress)(progress_dialog *self, DWORD done, DWORD total);
    HRESULT(STDMETHODCALLTYPE *SetProgress64)(progress_dialog *self, ULONGLONG done, ULONGLONG total);
    HRESULT(STDMETHODCALLTYPE *SetLine)(progress_dialog *self, DWORD line, PCWSTR text, BOOL compact_path,
                                        LPCVOID reserved);
    HRESULT(STDMETHODCALLTYPE *SetCancelMsg)(progress_dialog *self, PCWSTR text, LPCVOID reserved);
    HRESULT(STDMETHODCALLTYPE *Timer)(progress_dialog *self, DWORD action, LPCVOID reserved);
} progress_dialog_vtbl;
struct progress_dialog {
    const progress_dialog_vtbl *lpVtbl;
};

#include "../winutil.h"
#include "resource.h"

#define EXPORT_TICK_MS 100
#define EXPORT_DIALOG_DELAY_MS 500

struct histexport {
    HWND wnd;
    HANDLE thread;
    HANDLE file;
    WCHAR path[MAX_PATH * 2];
    export_format format;
    of_record *recs;
    size_t count;
    export_write_fn write;
    export_progress progress;
    export_result result; /* the worker's; read after it has ended */
    DWORD error;
    ULONGLONG started;
    progress_dialog *dialog;
};

static const of_record *snapshot_record(void *ctx, size_t k)
{
    const histexport *job = ctx;
    return k < job->count ? &job->recs[k] : NULL;
}

static DWORD WINAPI worker(void *arg)
{
    histexport *job = arg;
    job->result = export_to_file(job->file, job->path, job->format, snapshot_record, job, job->count, job->write,
                                 &job->progress, &job->error);
    job->file = NULL; /* export_to_file closed it */
    PostMessageW(job->wnd, WM_HISTWND_EXPORT_DONE, 0, (LPARAM)job);
    return 0;
}

static void job_free(histexport *job)
{
    if (job->thread) {
        WaitForSingleObject(job->thread, INFINITE);
        CloseHandle(job->thread);
    }
    if (job->file) {
        CloseHandle(job->file);
        DeleteFileW(job->path);
    }
    if (job->dialog) {
        job->dialog->lpVtbl->StopProgressDialog(job->dialog);
        job->dialog->lpVtbl->Release(job->dialog);
    }
    free(job->recs);
    free(job);
}

BOOL histexport_start(historywnd *w, size_t limit, const WCHAR *path, export_format format, export_write_fn write,
                      DWORD *error)
{
    size_t n = min(limit, w->view.count);
    histexport *job = calloc(1, sizeof(*job));
    *error = ERROR_NOT_ENOUGH_MEMORY;
    if (!job || wcslen(path) >= ARRAYSIZE(job->path))
        goto fail;
    job->recs = n ? malloc(n * sizeof(*job->recs)) : NULL;
    if (n && !job->recs)
        goto fail;
    for (size_t k = 0; k < n; k++) {
        const of_record *r = histview_nth(&w->view, k);
        if (r)
            job->recs[job->count++] = *r;
    }
    job->wnd = w->wnd;
    job->format = format;
    job->write = write;
    wcscpy(job->path, path);
    /* Created here, so that a file that cannot be made is said at once, not from the worker. */
    job->file = CreateFileW(path, GENERIC_WRITE, FILE_SHARE_READ, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    if (job->file == INVALID_HANDLE_VALUE) {
        *error = GetLastError();
        job->file = NULL;
        job_free(job);
        return FALSE;
    }
    job->started = GetTickCount64();
    job->thread = CreateThread(NULL, 0, worker, job, 0, NULL);
    if (!job->thread) {
        *error = GetLastError();
        goto fail;
    }
    w->export = job;
    SetTimer(w->wnd, HISTWND_TIMER_EXPORT, EXPORT_TICK_MS, NULL);
    *error = 0;
    return TRUE;
fail:
    if (job)
        job_free(job);
    return FALSE;
}

static void show_dialog(historywnd *w, histexport *job)
{
    WCHAR title[128], n[32], line[MAX_PATH * 2 + 128];
    if (FAILED(CoCreateInstance(&CLSID_ProgressDialog, NULL, CLSCTX_INPROC_SERVER, &IID_IProgressDialog,
                                (void **)&job->dialog))) {
        job->dialog = NULL;
        return;
    }
    winutil_load_string(IDS_HIST_EXPORTING_TITLE, title, ARRAYSIZE(title));
    winutil_format_count(job->count, n, ARRAYSIZE(n));
    winutil_load_message(IDS_HIST_EXPORTING, line, ARRAYSIZE(line), n, job->path);
    job->dialog->lpVtbl->SetTitle(job->dialog, title);
    job->dialog->lpVtbl->SetLine(job->dialog, 1, line, TRUE, NULL);
    if (FAILED(job->dialog->lpVtbl->StartProgressDialog(job->dialog, w->wnd, NULL,
                                                   PROGDLG_NORMAL | PROGDLG_AUTOTIME | PROGDLG_NOMINIMIZE, NULL))) {
        job->dialog->lpVtbl->Release(job->dialog);
        job->dialog = NULL;
    }
}

void histexport_tick(historywnd *w)
{
    histexport *job = w->export;
    if (!job)
        return;
    if (!job->dialog && GetTickCount64() - job->started >= EXPORT_DIALOG_DELAY_MS)
        show_dialog(w, job);
    if (!job->dialog)
        return;
    job->dialog->lpVtbl->SetProgress64(job->dialog, (ULONGLONG)InterlockedCompareExchange(&job->progress.done, 0, 0),
                                  job->count);
    if (job->dialog->lpVtbl->HasUserCancelled(job->dialog))
        InterlockedExchange(&job->progress.cancel, 1);
}

BOOL historywnd_exporting(HWND wnd)
{
    const historywnd *w = historywnd_state(wnd);
    return w && w->export;
}

void histexport_done(historywnd *w, histexport *job)
{
    WCHAR why[512], text[1024];
    if (!job || job != w->export)
        return;
    KillTimer(w->wnd, HISTWND_TIMER_EXPORT);
    w->export = NULL;
    if (job->result != EXPORT_OK && job->result != EXPORT_E_CANCELLED) {
        winutil_error_text(job->error, why, ARRAYSIZE(why));
        winutil_load_message(IDS_HIST_EXPORT_FAILED, text, ARRAYSIZE(text), job->path, why);
        /* The dialog goes first: the message belongs to the window. */
        if (job->dialog) {
            job->dialog->lpVtbl->StopProgressDialog(job->dialog);
            job->dialog->lpVtbl->Release(job->dialog);
            job->dialog = NULL;
        }
        job_free(job);
        historywnd_io_of(w)->error(w->wnd, text);
        return;
    }
    job_free(job);
}

void histexport_abort(historywnd *w)
{
    histexport *job = w->export;
    if (!job)
        return;
    KillTimer(w->wnd, HISTWND_TIMER_EXPORT);
    w->export = NULL;
    InterlockedExchange(&job->progress.cancel, 1);
    /* Ends within PROGRESS_EVERY records; the partial file is deleted. Its done message is left to a
     * window that is going away. */
    job_free(job);
}
