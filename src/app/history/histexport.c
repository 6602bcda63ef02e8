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
 * time left and Cancel) is shown, owned by the window. The worker creates and drives it, in its own
 * apartment, so the window's thread never waits for the dialog to load or start (on Wine that took
 * over 100 ms); a short export finishes before anything appears. */
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
    progress_dialog *dialog; /* the worker's */
    BOOL no_dialog;          /* the worker could not show one */
};

static const of_record *snapshot_record(void *ctx, size_t k)
{
    const histexport *job = ctx;
    return k < job->count ? &job->recs[k] : NULL;
}

static void show_dialog(histexport *job)
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
    if (FAILED(job->dialog->lpVtbl->StartProgressDialog(job->dialog, job->wnd, NULL,
                                                        PROGDLG_NORMAL | PROGDLG_AUTOTIME | PROGDLG_NOMINIMIZE,
                                                        NULL))) {
        job->dialog->lpVtbl->Release(job->dialog);
        job->dialog = NULL;
    }
}

/* On the worker, every so many records: the dialog once the export has run a while, its bar, and
 * its Cancel button. */
static void worker_tick(export_progress *progress)
{
    histexport *job = CONTAINING_RECORD(progress, histexport, progress);
    if (!job->dialog && !job->no_dialog && GetTickCount64() - job->started >= EXPORT_DIALOG_DELAY_MS) {
        show_dialog(job);
        job->no_dialog = !job->dialog; /* tried once */
    }
    if (!job->dialog)
        return;
    job->dialog->lpVtbl->SetProgress64(job->dialog, (ULONGLONG)progress->done, job->count);
    if (job->dialog->lpVtbl->HasUserCancelled(job->dialog))
        InterlockedExchange(&progress->cancel, 1);
}

static DWORD WINAPI worker(void *arg)
{
    histexport *job = arg;
    HRESULT com = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED | COINIT_DISABLE_OLE1DDE);
    if (SUCCEEDED(com))
        job->progress.tick = worker_tick;
    job->result = export_to_file(job->file, job->path, job->format, snapshot_record, job, job->count, job->write,
                                 &job->progress, &job->error);
    job->file = NULL; /* export_to_file closed it */
    if (job->dialog) {
        job->dialog->lpVtbl->StopProgressDialog(job->dialog);
        job->dialog->lpVtbl->Release(job->dialog);
        job->dialog = NULL;
    }
    if (SUCCEEDED(com))
        CoUninitialize();
    PostMessageW(job->wnd, WM_HISTWND_EXPORT_DONE, 0, (LPARAM)job);
    return 0;
}

/* Waits for the worker, taking the messages other threads send meanwhile: its progress dialog,
 * owned by the window, may send to this thread while it closes. */
static void join(HANDLE thread)
{
    MSG m;
    while (MsgWaitForMultipleObjects(1, &thread, FALSE, INFINITE, QS_SENDMESSAGE) == WAIT_OBJECT_0 + 1)
        PeekMessageW(&m, NULL, 0, 0, PM_NOREMOVE | PM_QS_SENDMESSAGE);
}

static void job_free(histexport *job)
{
    if (job->thread) {
        join(job->thread);
        CloseHandle(job->thread);
    }
    if (job->file) {
        CloseHandle(job->file);
        DeleteFileW(job->path);
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
    *error = 0;
    return TRUE;
fail:
    if (job)
        job_free(job);
    return FALSE;
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
    w->export = NULL;
    if (job->result != EXPORT_OK && job->result != EXPORT_E_CANCELLED) {
        winutil_error_text(job->error, why, ARRAYSIZE(why));
        winutil_load_message(IDS_HIST_EXPORT_FAILED, text, ARRAYSIZE(text), job->path, why);
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
    w->export = NULL;
    InterlockedExchange(&job->progress.cancel, 1);
    /* Ends within PROGRESS_EVERY records; the partial file is deleted. Its done message is left to a
     * window that is going away. */
    job_free(job);
}
