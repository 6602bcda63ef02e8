/* ofnotify: of_fs on Win32. See fs_win32.h for the contract. */
#include "fs_win32.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* The full form of a path of this many UTF-16 units or more gets the \\?\
 * prefix: without it CreateDirectoryW refuses MAX_PATH - 12 units and more,
 * file calls MAX_PATH (with the NUL). One threshold for folders and files
 * means a folder ensure_dir made is always reachable by the file calls. */
#define LONG_PATH_FROM (MAX_PATH - 12)

/* ReadFile and WriteFile take a DWORD; large requests are split so that no
 * single call asks the system for an unusual amount. */
#define IO_CHUNK ((DWORD)1 << 24)

/* winerror.h of the Windows SDK has it; MinGW-w64's does not. */
#ifndef ERROR_DISK_QUOTA_EXCEEDED
#define ERROR_DISK_QUOTA_EXCEEDED 1295L
#endif

struct of_fs_file {
    HANDLE h;
};

/* Per thread: an error seen by one thread must not be reported by another.
 * A TLS slot of its own: _Thread_local is emulated with MinGW's GCC and its
 * support code would be 1 KB of the program for this one DWORD. Without a
 * slot (TlsAlloc failed) no error is kept and every query says none. */
static INIT_ONCE error_slot_once = INIT_ONCE_STATIC_INIT;
static DWORD error_slot = TLS_OUT_OF_INDEXES;

static BOOL CALLBACK make_error_slot(INIT_ONCE *once, void *param, void **context)
{
    (void)once, (void)param, (void)context;
    error_slot = TlsAlloc();
    return TRUE;
}

/* Both keep the thread's GetLastError as it was (TlsGetValue clears it). */
static void set_last_error(DWORD err)
{
    DWORD keep = GetLastError();
    InitOnceExecuteOnce(&error_slot_once, make_error_slot, NULL, NULL);
    if (error_slot != TLS_OUT_OF_INDEXES)
        TlsSetValue(error_slot, (void *)(ULONG_PTR)err);
    SetLastError(keep);
}

DWORD fs_win32_last_error(void)
{
    DWORD keep = GetLastError(), err = ERROR_SUCCESS;
    InitOnceExecuteOnce(&error_slot_once, make_error_slot, NULL, NULL);
    if (error_slot != TLS_OUT_OF_INDEXES)
        err = (DWORD)(ULONG_PTR)TlsGetValue(error_slot);
    SetLastError(keep);
    return err;
}

void fs_win32_clear_last_error(void)
{
    set_last_error(ERROR_SUCCESS);
}

of_fs_err fs_win32_map_error(DWORD err)
{
    switch (err) {
    case ERROR_SUCCESS:
        return OF_FS_OK;
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
        return OF_FS_ERR_NOT_FOUND;
    case ERROR_FILE_EXISTS:
    case ERROR_ALREADY_EXISTS:
        return OF_FS_ERR_EXISTS;
    case ERROR_DISK_FULL:
    case ERROR_HANDLE_DISK_FULL:
    case ERROR_DISK_QUOTA_EXCEEDED: /* fs.h: "disk full or quota exceeded" */
        return OF_FS_ERR_NO_SPACE;
    case ERROR_ACCESS_DENIED:
    case ERROR_SHARING_VIOLATION:
    case ERROR_LOCK_VIOLATION:
        return OF_FS_ERR_ACCESS;
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY:
        return OF_FS_ERR_NO_MEMORY;
    default:
        return OF_FS_ERR_IO;
    }
}

/* Records err as this thread's last error and returns its mapping. A failure
 * with no error code set (which Win32 should not do) still fails. */
static of_fs_err fail(DWORD err)
{
    if (err == ERROR_SUCCESS)
        err = ERROR_GEN_FAILURE;
    set_last_error(err);
    return fs_win32_map_error(err);
}

/* GetLastError right after a failed call, never ERROR_SUCCESS. */
static DWORD error_now(void)
{
    DWORD err = GetLastError();
    return err != ERROR_SUCCESS ? err : ERROR_GEN_FAILURE;
}

static int is_sep(wchar_t c)
{
    return c == L'\\' || c == L'/';
}

static int starts_with(const wchar_t *s, const wchar_t *prefix)
{
    return wcsncmp(s, prefix, wcslen(prefix)) == 0;
}

/* Already in the form Win32 passes through untouched (\\?\, \\.\): the caller
 * chose it, and GetFullPathNameW must not normalise it. */
static int is_device_form(const wchar_t *s)
{
    return starts_with(s, L"\\\\?\\") || starts_with(s, L"\\\\.\\");
}

static wchar_t *wide_dup(const wchar_t *s, size_t len)
{
    wchar_t *d = malloc((len + 1) * sizeof *d);
    if (d != NULL) {
        memcpy(d, s, len * sizeof *d);
        d[len] = L'\0';
    }
    return d;
}

/* The absolute form of in, \\?\-prefixed when it is long (see the header).
 * Returns 0 or a Win32 error; *out is the caller's to free. */
static DWORD to_win32_path(const wchar_t *in, wchar_t **out)
{
    *out = NULL;
    if (in[0] == L'\0')
        return ERROR_INVALID_NAME;
    if (is_device_form(in)) {
        *out = wide_dup(in, wcslen(in));
        return *out != NULL ? ERROR_SUCCESS : ERROR_NOT_ENOUGH_MEMORY;
    }

    DWORD need = GetFullPathNameW(in, 0, NULL, NULL);
    if (need == 0)
        return error_now();
    wchar_t *full = NULL;
    DWORD len = 0;
    /* The working directory can change between the two calls; a few tries
     * are plenty, and a path that keeps growing is an error. */
    for (int tries = 0;; tries++) {
        if (tries == 3)
            return ERROR_FILENAME_EXCED_RANGE;
        full = malloc((size_t)need * sizeof *full);
        if (full == NULL)
            return ERROR_NOT_ENOUGH_MEMORY;
        len = GetFullPathNameW(in, need, full, NULL);
        if (len == 0) {
            DWORD err = error_now();
            free(full);
            return err;
        }
        if (len < need)
            break;
        free(full);
        need = len;
    }

    if (len < LONG_PATH_FROM || is_device_form(full)) {
        *out = full;
        return ERROR_SUCCESS;
    }
    int unc = full[0] == L'\\' && full[1] == L'\\';
    const wchar_t *prefix = unc ? L"\\\\?\\UNC\\" : L"\\\\?\\";
    const wchar_t *rest = unc ? full + 2 : full;
    size_t plen = wcslen(prefix), rlen = wcslen(rest);
    wchar_t *p = malloc((plen + rlen + 1) * sizeof *p);
    if (p == NULL) {
        free(full);
        return ERROR_NOT_ENOUGH_MEMORY;
    }
    memcpy(p, prefix, plen * sizeof *p);
    memcpy(p + plen, rest, (rlen + 1) * sizeof *p);
    free(full);
    *out = p;
    return ERROR_SUCCESS;
}

/* UTF-8 (strict: invalid sequences are an error, never replaced) to the
 * Win32 form of the path. Returns 0 or a Win32 error. */
static DWORD path_from_utf8(const char *utf8, wchar_t **out)
{
    *out = NULL;
    if (utf8 == NULL)
        return ERROR_INVALID_PARAMETER;
    size_t n = strlen(utf8);
    if (n == 0)
        return ERROR_INVALID_NAME;
    if (n >= INT_MAX)
        return ERROR_FILENAME_EXCED_RANGE;
    int need = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8, (int)n + 1, NULL, 0);
    if (need <= 0)
        return error_now();
    wchar_t *w = malloc((size_t)need * sizeof *w);
    if (w == NULL)
        return ERROR_NOT_ENOUGH_MEMORY;
    if (MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, utf8, (int)n + 1, w, need) != need) {
        DWORD err = error_now();
        free(w);
        return err;
    }
    DWORD err = to_win32_path(w, out);
    free(w);
    return err;
}

DWORD fs_win32_path(const char *utf8, wchar_t *out, size_t cap)
{
    if (out == NULL || cap == 0)
        return ERROR_INVALID_PARAMETER;
    out[0] = L'\0';
    wchar_t *w = NULL;
    DWORD err = path_from_utf8(utf8, &w);
    if (err != ERROR_SUCCESS)
        return err;
    size_t len = wcslen(w);
    if (len >= cap) {
        len = cap - 1;
        err = ERROR_INSUFFICIENT_BUFFER;
    }
    memcpy(out, w, len * sizeof *out);
    out[len] = L'\0';
    free(w);
    return err;
}

static of_fs_err open_handle(const char *path, DWORD access, DWORD share, DWORD disposition,
                             DWORD flags, of_fs_file **out)
{
    if (out == NULL)
        return fail(ERROR_INVALID_PARAMETER);
    *out = NULL;
    wchar_t *wpath = NULL;
    DWORD err = path_from_utf8(path, &wpath);
    if (err != ERROR_SUCCESS)
        return fail(err);
    of_fs_file *f = malloc(sizeof *f);
    if (f == NULL) {
        free(wpath);
        return fail(ERROR_NOT_ENOUGH_MEMORY);
    }
    HANDLE h = CreateFileW(wpath, access, share, NULL, disposition, flags, NULL);
    err = h == INVALID_HANDLE_VALUE ? error_now() : ERROR_SUCCESS;
    free(wpath);
    if (h == INVALID_HANDLE_VALUE) {
        free(f);
        return fail(err);
    }
    f->h = h;
    *out = f;
    return OF_FS_OK;
}

static of_fs_err w_open_read(void *ctx, const char *path, of_fs_file **out)
{
    (void)ctx;
    return open_handle(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                       OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL | FILE_FLAG_SEQUENTIAL_SCAN, out);
}

static of_fs_err w_read(void *ctx, of_fs_file *f, void *buf, size_t cap, size_t *got)
{
    (void)ctx;
    if (got == NULL)
        return fail(ERROR_INVALID_PARAMETER);
    *got = 0;
    if (f == NULL || (buf == NULL && cap > 0))
        return fail(ERROR_INVALID_PARAMETER);
    if (cap == 0)
        return OF_FS_OK;
    /* One call: fs.h allows a read to return fewer bytes than asked. */
    DWORD want = cap > IO_CHUNK ? IO_CHUNK : (DWORD)cap;
    DWORD n = 0;
    BOOL ok = ReadFile(f->h, buf, want, &n, NULL);
    DWORD err = ok ? ERROR_SUCCESS : error_now();
    *got = n <= want ? n : want;
    if (!ok && err != ERROR_HANDLE_EOF)
        return fail(err);
    return OF_FS_OK;
}

static of_fs_err w_open_write(void *ctx, const char *path, of_fs_mode mode, of_fs_file **out)
{
    (void)ctx;
    DWORD disposition;
    switch (mode) {
    case OF_FS_APPEND:
        disposition = OPEN_EXISTING;
        break;
    case OF_FS_CREATE:
        disposition = CREATE_ALWAYS;
        break;
    default:
        if (out != NULL)
            *out = NULL;
        return fail(ERROR_INVALID_PARAMETER);
    }
    return open_handle(path, GENERIC_WRITE, FILE_SHARE_READ, disposition, FILE_ATTRIBUTE_NORMAL, out);
}

static of_fs_err w_write(void *ctx, of_fs_file *f, const void *buf, size_t len, size_t *written)
{
    (void)ctx;
    if (written == NULL)
        return fail(ERROR_INVALID_PARAMETER);
    *written = 0;
    if (f == NULL || (buf == NULL && len > 0))
        return fail(ERROR_INVALID_PARAMETER);
    /* "At the end of the file" whatever the pointer was left at (truncate,
     * or a file written by someone else before we opened it). */
    LARGE_INTEGER zero = {.QuadPart = 0};
    if (!SetFilePointerEx(f->h, zero, NULL, FILE_END))
        return fail(error_now());
    const unsigned char *p = buf;
    size_t done = 0;
    while (done < len) {
        DWORD chunk = len - done > IO_CHUNK ? IO_CHUNK : (DWORD)(len - done);
        DWORD n = 0;
        BOOL ok = WriteFile(f->h, p + done, chunk, &n, NULL);
        DWORD err = ok ? ERROR_SUCCESS : error_now();
        done += n <= chunk ? n : chunk;
        *written = done;
        if (!ok)
            return fail(err);
        /* A short write that reports success is retried for the rest: the
         * next call either finishes or fails with the real reason (disk
         * full...). No progress at all has no reason to report. */
        if (n == 0)
            return fail(ERROR_WRITE_FAULT);
    }
    return OF_FS_OK;
}

static of_fs_err w_sync(void *ctx, of_fs_file *f)
{
    (void)ctx;
    if (f == NULL)
        return fail(ERROR_INVALID_PARAMETER);
    if (!FlushFileBuffers(f->h))
        return fail(error_now());
    return OF_FS_OK;
}

static of_fs_err w_truncate(void *ctx, of_fs_file *f, uint64_t size)
{
    (void)ctx;
    if (f == NULL || size > (uint64_t)INT64_MAX)
        return fail(ERROR_INVALID_PARAMETER);
    LARGE_INTEGER pos = {.QuadPart = (LONGLONG)size};
    if (!SetFilePointerEx(f->h, pos, NULL, FILE_BEGIN) || !SetEndOfFile(f->h))
        return fail(error_now());
    return OF_FS_OK;
}

static of_fs_err w_close(void *ctx, of_fs_file *f)
{
    (void)ctx;
    if (f == NULL)
        return fail(ERROR_INVALID_PARAMETER);
    BOOL ok = CloseHandle(f->h);
    DWORD err = ok ? ERROR_SUCCESS : error_now();
    free(f);
    return ok ? OF_FS_OK : fail(err);
}

/* MoveFileExW on two UTF-8 paths. WRITE_THROUGH: the call returns only
 * when the rename is on disk, which the store relies on before it reports
 * success. */
static of_fs_err move_file(const char *from, const char *to, DWORD flags)
{
    wchar_t *wfrom = NULL, *wto = NULL;
    DWORD err = path_from_utf8(from, &wfrom);
    if (err == ERROR_SUCCESS)
        err = path_from_utf8(to, &wto);
    if (err == ERROR_SUCCESS && !MoveFileExW(wfrom, wto, flags | MOVEFILE_WRITE_THROUGH))
        err = error_now();
    free(wfrom);
    free(wto);
    return err == ERROR_SUCCESS ? OF_FS_OK : fail(err);
}

static of_fs_err w_replace(void *ctx, const char *from, const char *to)
{
    (void)ctx;
    return move_file(from, to, MOVEFILE_REPLACE_EXISTING);
}

/* Without REPLACE_EXISTING Windows refuses an existing target with
 * ERROR_ALREADY_EXISTS (or ERROR_FILE_EXISTS), which maps to
 * OF_FS_ERR_EXISTS: the check and the rename are one step, no race. */
static of_fs_err w_rename_aside(void *ctx, const char *from, const char *to)
{
    (void)ctx;
    return move_file(from, to, 0);
}

static of_fs_err w_remove(void *ctx, const char *path)
{
    (void)ctx;
    wchar_t *wpath = NULL;
    DWORD err = path_from_utf8(path, &wpath);
    if (err == ERROR_SUCCESS && !DeleteFileW(wpath))
        err = error_now();
    free(wpath);
    return err == ERROR_SUCCESS ? OF_FS_OK : fail(err);
}

static const of_fs win32_table = {
    .ctx = NULL,
    .open_read = w_open_read,
    .read = w_read,
    .open_write = w_open_write,
    .write = w_write,
    .sync = w_sync,
    .truncate = w_truncate,
    .close = w_close,
    .replace = w_replace,
    .rename_aside = w_rename_aside,
    .remove = w_remove,
};

const of_fs *fs_win32(void)
{
    return &win32_table;
}

/* ---- folders --------------------------------------------------------------- */

/* Length of the part of an absolute path that is never created: "C:\",
 * "\\server\share\", "\\?\C:\", "\\?\UNC\server\share\", "\\?\Volume{..}\". */
static size_t root_length(const wchar_t *p)
{
    size_t i = 0;
    int components = 0;
    if (starts_with(p, L"\\\\?\\UNC\\")) {
        i = 8;
        components = 2;
    } else if (is_device_form(p)) {
        i = 4;
        components = 1; /* the drive or volume name */
    } else if (is_sep(p[0]) && is_sep(p[1])) {
        i = 2;
        components = 2;
    } else if (p[0] != L'\0' && p[1] == L':') {
        return is_sep(p[2]) ? 3 : 2;
    } else if (is_sep(p[0])) {
        return 1;
    }
    for (int c = 0; c < components; c++) {
        while (p[i] != L'\0' && !is_sep(p[i]))
            i++;
        if (p[i] != L'\0')
            i++;
    }
    return i;
}

/* 0 if p[0..n) is a directory, ERROR_DIRECTORY if it is something else,
 * else why it could not be looked at. */
static DWORD probe_dir(wchar_t *p, size_t n)
{
    wchar_t saved = p[n];
    p[n] = L'\0';
    DWORD attr = GetFileAttributesW(p);
    DWORD err = attr == INVALID_FILE_ATTRIBUTES ? error_now() : ERROR_SUCCESS;
    p[n] = saved;
    if (err != ERROR_SUCCESS)
        return err;
    return (attr & FILE_ATTRIBUTE_DIRECTORY) ? ERROR_SUCCESS : ERROR_DIRECTORY;
}

/* Walks back to the deepest folder that exists, then creates the missing
 * ones from there: only as many calls as there are missing folders, and a
 * folder that appears meanwhile (another ofnotify starting) is fine. */
static DWORD ensure_dir_in(wchar_t *p)
{
    size_t len = wcslen(p);
    size_t root = root_length(p);
    while (len > root && is_sep(p[len - 1]))
        p[--len] = L'\0';

    size_t end = len;
    while (end > 0) {
        DWORD err = probe_dir(p, end);
        if (err == ERROR_SUCCESS)
            break;
        if (err != ERROR_FILE_NOT_FOUND && err != ERROR_PATH_NOT_FOUND)
            return err;
        if (end <= root)
            return err; /* the drive or share itself is missing */
        size_t k = end;
        while (k > root && !is_sep(p[k - 1]))
            k--;
        while (k > root && is_sep(p[k - 1]))
            k--;
        end = k;
    }

    while (end < len) {
        size_t start = end;
        while (start < len && is_sep(p[start]))
            start++;
        size_t stop = start;
        while (stop < len && !is_sep(p[stop]))
            stop++;
        if (stop == start)
            break;
        wchar_t saved = p[stop];
        p[stop] = L'\0';
        /* No security attributes: the folder inherits its parent's ACL, for the
         * data folder %LOCALAPPDATA%'s (the user, SYSTEM, Administrators). */
        BOOL ok = CreateDirectoryW(p, NULL);
        DWORD err = ok ? ERROR_SUCCESS : error_now();
        p[stop] = saved;
        if (err == ERROR_ALREADY_EXISTS)
            err = probe_dir(p, stop);
        if (err != ERROR_SUCCESS)
            return err;
        end = stop;
    }
    return ERROR_SUCCESS;
}

int fs_win32_ensure_dir(const wchar_t *dir)
{
    if (dir == NULL || dir[0] == L'\0')
        return ERROR_INVALID_PARAMETER;
    wchar_t *p = NULL;
    DWORD err = to_win32_path(dir, &p);
    if (err == ERROR_SUCCESS)
        err = ensure_dir_in(p);
    free(p);
    return (int)err;
}
