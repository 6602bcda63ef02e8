/* Tests for src/app/fs_win32 on a real Windows (or Wine) file system: every
 * of_fs operation, every error mapping that can be provoked here, sharing
 * between readers and writers, UTF-8 and long paths, folder creation, and
 * then core/history end to end on real files through fs_win32.
 *
 * Everything happens in a fresh folder under GetTempPathW (one subfolder per
 * test), removed at the end. Files are set up and checked with direct Win32
 * calls, not through fs_win32, so the two do not vouch for each other. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <windows.h>

#include "fs_win32.h"
#include "ofnotify/history.h"
#include "ofnotify/record.h"

#define WCAP 2048
#define UCAP (WCAP * 3)
#define NOW INT64_C(1700000000123)
#define HDR OF_HISTORY_HEADER_SIZE
#define FRAME OF_HISTORY_FRAME_SIZE

/* "Verlauf-äöü-日本.dat", spelled in bytes so the source encoding cannot matter. */
#define NON_ASCII_U8 "Verlauf-\xC3\xA4\xC3\xB6\xC3\xBC-\xE6\x97\xA5\xE6\x9C\xAC.dat"
#define NON_ASCII_W L"Verlauf-\u00E4\u00F6\u00FC-\u65E5\u672C.dat"

typedef struct fixture {
    wchar_t dir[WCAP]; /* this test's folder, absolute, no trailing backslash */
    char dir8[UCAP];   /* the same in UTF-8 */
} fixture;

static wchar_t g_root[WCAP];
static unsigned g_next_test;

/* ---- helpers: direct Win32, independent of fs_win32 ------------------------ */

static void to_wide(const char *u8, wchar_t *out, size_t cap)
{
    int n = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, u8, -1, out, (int)cap);
    assert_true(n > 0);
}

static void to_utf8(const wchar_t *w, char *out, size_t cap)
{
    int n = WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, w, -1, out, (int)cap, NULL, NULL);
    assert_true(n > 0);
}

/* The \\?\ form of an absolute path, so helpers also reach long paths. */
static void long_form(const wchar_t *in, wchar_t *out, size_t cap)
{
    int n;
    if (wcsncmp(in, L"\\\\?\\", 4) == 0)
        n = swprintf(out, cap, L"%ls", in);
    else if (in[0] == L'\\' && in[1] == L'\\')
        n = swprintf(out, cap, L"\\\\?\\UNC\\%ls", in + 2);
    else
        n = swprintf(out, cap, L"\\\\?\\%ls", in);
    assert_true(n > 0 && (size_t)n < cap);
    for (wchar_t *p = out + 4; *p != L'\0'; p++) {
        if (*p == L'/')
            *p = L'\\';
    }
}

static void long_form_u8(const char *u8, wchar_t *out, size_t cap)
{
    wchar_t w[WCAP];
    to_wide(u8, w, WCAP);
    long_form(w, out, cap);
}

static void join(const fixture *fx, const char *name, char *out, size_t cap)
{
    int n = snprintf(out, cap, "%s\\%s", fx->dir8, name);
    assert_true(n > 0 && (size_t)n < cap);
}

/* Size of the file, or -1 if it does not exist. */
static int64_t file_size(const char *u8)
{
    wchar_t w[WCAP];
    WIN32_FILE_ATTRIBUTE_DATA fad;
    long_form_u8(u8, w, WCAP);
    if (!GetFileAttributesExW(w, GetFileExInfoStandard, &fad))
        return -1;
    return (int64_t)(((uint64_t)fad.nFileSizeHigh << 32) | fad.nFileSizeLow);
}

static void put_file(const char *u8, const void *data, size_t len)
{
    wchar_t w[WCAP];
    DWORD n = 0;
    long_form_u8(u8, w, WCAP);
    HANDLE h = CreateFileW(w, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    assert_true(h != INVALID_HANDLE_VALUE);
    assert_true(WriteFile(h, data, (DWORD)len, &n, NULL));
    assert_int_equal(n, len);
    assert_true(CloseHandle(h));
}

/* Reads the whole file (sharing everything, so it works next to any open
 * handle); returns its size, asserting it fits. */
static size_t get_file(const char *u8, unsigned char *buf, size_t cap)
{
    wchar_t w[WCAP];
    long_form_u8(u8, w, WCAP);
    HANDLE h = CreateFileW(w, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, NULL,
                           OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    assert_true(h != INVALID_HANDLE_VALUE);
    size_t total = 0;
    for (;;) {
        DWORD n = 0;
        assert_true(total < cap);
        assert_true(ReadFile(h, buf + total, (DWORD)(cap - total), &n, NULL));
        if (n == 0)
            break;
        total += n;
    }
    assert_true(CloseHandle(h));
    return total;
}

static void expect_content(const char *u8, const void *data, size_t len)
{
    unsigned char buf[4096];
    assert_int_equal(get_file(u8, buf, sizeof buf), len);
    assert_memory_equal(buf, data, len);
}

/* Cuts a file to size the way a crash in the middle of a write would. */
static void cut_file(const char *u8, uint64_t size)
{
    wchar_t w[WCAP];
    long_form_u8(u8, w, WCAP);
    HANDLE h = CreateFileW(w, GENERIC_WRITE, 0, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    assert_true(h != INVALID_HANDLE_VALUE);
    LARGE_INTEGER pos = {.QuadPart = (LONGLONG)size};
    assert_true(SetFilePointerEx(h, pos, NULL, FILE_BEGIN));
    assert_true(SetEndOfFile(h));
    assert_true(CloseHandle(h));
}

/* Names in a folder, "." and ".." left out. */
static unsigned count_entries(const wchar_t *dir)
{
    wchar_t pattern[WCAP];
    wchar_t ldir[WCAP];
    WIN32_FIND_DATAW fd;
    long_form(dir, ldir, WCAP);
    swprintf(pattern, WCAP, L"%ls\\*", ldir);
    HANDLE fh = FindFirstFileW(pattern, &fd);
    if (fh == INVALID_HANDLE_VALUE)
        return 0;
    unsigned n = 0;
    do {
        if (wcscmp(fd.cFileName, L".") != 0 && wcscmp(fd.cFileName, L"..") != 0)
            n++;
    } while (FindNextFileW(fh, &fd));
    FindClose(fh);
    return n;
}

/* Deletes a folder tree (read-only files too). Returns 0 when it is gone. */
static int rm_tree(const wchar_t *dir)
{
    wchar_t ldir[WCAP], pattern[WCAP], child[WCAP];
    WIN32_FIND_DATAW fd;
    long_form(dir, ldir, WCAP);
    swprintf(pattern, WCAP, L"%ls\\*", ldir);
    HANDLE fh = FindFirstFileW(pattern, &fd);
    int bad = 0;
    if (fh != INVALID_HANDLE_VALUE) {
        do {
            if (wcscmp(fd.cFileName, L".") == 0 || wcscmp(fd.cFileName, L"..") == 0)
                continue;
            swprintf(child, WCAP, L"%ls\\%ls", ldir, fd.cFileName);
            if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY) {
                bad |= rm_tree(child);
            } else {
                SetFileAttributesW(child, FILE_ATTRIBUTE_NORMAL);
                bad |= !DeleteFileW(child);
            }
        } while (FindNextFileW(fh, &fd));
        FindClose(fh);
    }
    if (!RemoveDirectoryW(ldir) && GetLastError() != ERROR_FILE_NOT_FOUND)
        bad = 1;
    return bad ? -1 : 0;
}

static int group_setup(void **state)
{
    (void)state;
    wchar_t tmp[MAX_PATH + 1];
    DWORD n = GetTempPathW(MAX_PATH + 1, tmp);
    if (n == 0 || n > MAX_PATH)
        return -1;
    swprintf(g_root, WCAP, L"%lsofnotify-fswin32-%lu-%lu", tmp, (unsigned long)GetCurrentProcessId(),
             (unsigned long)GetTickCount());
    return CreateDirectoryW(g_root, NULL) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    if (rm_tree(g_root) != 0)
        return -1;
    return GetFileAttributesW(g_root) == INVALID_FILE_ATTRIBUTES ? 0 : -1;
}

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof *fx);
    if (fx == NULL)
        return -1;
    swprintf(fx->dir, WCAP, L"%ls\\t%u", g_root, ++g_next_test);
    if (!CreateDirectoryW(fx->dir, NULL)
        || WideCharToMultiByte(CP_UTF8, 0, fx->dir, -1, fx->dir8, UCAP, NULL, NULL) <= 0) {
        free(fx);
        return -1;
    }
    fs_win32_clear_last_error();
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    int r = rm_tree(fx->dir);
    free(fx);
    return r;
}

/* ---- helpers: through fs_win32 --------------------------------------------- */

static of_fs_file *open_w(const char *path, of_fs_mode mode)
{
    const of_fs *fs = fs_win32();
    of_fs_file *f = NULL;
    assert_int_equal(fs->open_write(fs->ctx, path, mode, &f), OF_FS_OK);
    assert_non_null(f);
    return f;
}

static of_fs_file *open_r(const char *path)
{
    const of_fs *fs = fs_win32();
    of_fs_file *f = NULL;
    assert_int_equal(fs->open_read(fs->ctx, path, &f), OF_FS_OK);
    assert_non_null(f);
    return f;
}

static void write_ok(of_fs_file *f, const char *text)
{
    const of_fs *fs = fs_win32();
    size_t written = 99;
    assert_int_equal(fs->write(fs->ctx, f, text, strlen(text), &written), OF_FS_OK);
    assert_int_equal(written, strlen(text));
}

static void close_ok(of_fs_file *f)
{
    const of_fs *fs = fs_win32();
    assert_int_equal(fs->close(fs->ctx, f), OF_FS_OK);
}

/* Reads exactly the expected text in one call, then nothing more. */
static void read_expect(of_fs_file *f, const char *text)
{
    const of_fs *fs = fs_win32();
    char buf[256];
    size_t got = 999, len = strlen(text);
    assert_int_equal(fs->read(fs->ctx, f, buf, sizeof buf, &got), OF_FS_OK);
    assert_int_equal(got, len);
    assert_memory_equal(buf, text, len);
}

/* A failure with this of_fs_err and this Win32 error, reported at the caller's line. */
#define expect_failure(got, want, win32) expect_failure_at((got), (want), (win32), __FILE__, __LINE__)
static void expect_failure_at(of_fs_err got, of_fs_err want, DWORD win32, const char *file, int line)
{
    _assert_int_equal((uintmax_t)got, (uintmax_t)want, file, line);
    _assert_int_equal((uintmax_t)fs_win32_last_error(), (uintmax_t)win32, file, line);
    fs_win32_clear_last_error();
}

/* ---- error mapping ---------------------------------------------------------- */

static void test_error_mapping_table(void **state)
{
    (void)state;
    static const struct {
        DWORD win32;
        of_fs_err fs;
    } table[] = {
        {ERROR_SUCCESS, OF_FS_OK},
        {ERROR_FILE_NOT_FOUND, OF_FS_ERR_NOT_FOUND},
        {ERROR_PATH_NOT_FOUND, OF_FS_ERR_NOT_FOUND},
        {ERROR_FILE_EXISTS, OF_FS_ERR_EXISTS},
        {ERROR_ALREADY_EXISTS, OF_FS_ERR_EXISTS},
        {ERROR_DISK_FULL, OF_FS_ERR_NO_SPACE},
        {ERROR_HANDLE_DISK_FULL, OF_FS_ERR_NO_SPACE},
        {1295 /* ERROR_DISK_QUOTA_EXCEEDED */, OF_FS_ERR_NO_SPACE},
        {ERROR_ACCESS_DENIED, OF_FS_ERR_ACCESS},
        {ERROR_SHARING_VIOLATION, OF_FS_ERR_ACCESS},
        {ERROR_LOCK_VIOLATION, OF_FS_ERR_ACCESS},
        {ERROR_NOT_ENOUGH_MEMORY, OF_FS_ERR_NO_MEMORY},
        {ERROR_OUTOFMEMORY, OF_FS_ERR_NO_MEMORY},
        {ERROR_NO_UNICODE_TRANSLATION, OF_FS_ERR_IO},
        {ERROR_INVALID_NAME, OF_FS_ERR_IO},
        {ERROR_CRC, OF_FS_ERR_IO},
        {ERROR_BAD_NETPATH, OF_FS_ERR_IO},
        {ERROR_INVALID_HANDLE, OF_FS_ERR_IO},
        {0xFFFFFFFFu, OF_FS_ERR_IO},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        if (fs_win32_map_error(table[i].win32) != table[i].fs)
            fail_msg("Win32 error %lu mapped to %d, expected %d", (unsigned long)table[i].win32,
                     (int)fs_win32_map_error(table[i].win32), (int)table[i].fs);
    }
}

/* ---- each operation ---------------------------------------------------------- */

static void test_missing_files_and_folders(void **state)
{
    fixture *fx = *state;
    const of_fs *fs = fs_win32();
    char missing[UCAP], in_missing_dir[UCAP], other[UCAP];
    of_fs_file *f = (of_fs_file *)&f; /* must be reset to NULL */
    join(fx, "missing.dat", missing, sizeof missing);
    join(fx, "no-such-folder\\x.dat", in_missing_dir, sizeof in_missing_dir);
    join(fx, "other.dat", other, sizeof other);

    assert_int_equal(fs_win32_last_error(), ERROR_SUCCESS);
    expect_failure(fs->open_read(fs->ctx, missing, &f), OF_FS_ERR_NOT_FOUND, ERROR_FILE_NOT_FOUND);
    assert_null(f);
    expect_failure(fs->open_read(fs->ctx, in_missing_dir, &f), OF_FS_ERR_NOT_FOUND, ERROR_PATH_NOT_FOUND);
    expect_failure(fs->open_write(fs->ctx, missing, OF_FS_APPEND, &f), OF_FS_ERR_NOT_FOUND,
                   ERROR_FILE_NOT_FOUND);
    assert_null(f);
    expect_failure(fs->open_write(fs->ctx, in_missing_dir, OF_FS_CREATE, &f), OF_FS_ERR_NOT_FOUND,
                   ERROR_PATH_NOT_FOUND);
    expect_failure(fs->remove(fs->ctx, missing), OF_FS_ERR_NOT_FOUND, ERROR_FILE_NOT_FOUND);
    expect_failure(fs->replace(fs->ctx, missing, other), OF_FS_ERR_NOT_FOUND, ERROR_FILE_NOT_FOUND);
    expect_failure(fs->rename_aside(fs->ctx, missing, other), OF_FS_ERR_NOT_FOUND, ERROR_FILE_NOT_FOUND);
    /* APPEND never creates: the store relies on NOT_FOUND to know the history is new. */
    assert_int_equal(count_entries(fx->dir), 0);
}

/* A worker thread's failure, reported on that thread only. */
typedef struct worker_failure {
    const char *path;
    of_fs_err err;
    DWORD seen_before, seen_after;
} worker_failure;

static DWORD WINAPI fail_on_a_worker(void *param)
{
    worker_failure *wf = param;
    const of_fs *fs = fs_win32();
    of_fs_file *f = NULL;
    wf->seen_before = fs_win32_last_error();
    wf->err = fs->open_read(fs->ctx, wf->path, &f);
    wf->seen_after = fs_win32_last_error();
    return 0;
}

static void test_last_error_is_per_thread(void **state)
{
    fixture *fx = *state;
    const of_fs *fs = fs_win32();
    char missing[UCAP], in_missing_dir[UCAP];
    of_fs_file *f = NULL;
    worker_failure wf = {.path = missing};
    HANDLE worker;
    join(fx, "missing.dat", missing, sizeof missing);
    join(fx, "no-such-folder\\x.dat", in_missing_dir, sizeof in_missing_dir);

    assert_int_equal(fs->open_read(fs->ctx, in_missing_dir, &f), OF_FS_ERR_NOT_FOUND);
    worker = CreateThread(NULL, 0, fail_on_a_worker, &wf, 0, NULL);
    assert_non_null(worker);
    assert_int_equal(WaitForSingleObject(worker, 10000), WAIT_OBJECT_0);
    CloseHandle(worker);
    assert_int_equal(wf.err, OF_FS_ERR_NOT_FOUND);
    assert_int_equal(wf.seen_before, ERROR_SUCCESS);
    assert_int_equal(wf.seen_after, ERROR_FILE_NOT_FOUND);
    assert_int_equal(fs_win32_last_error(), ERROR_PATH_NOT_FOUND);

    /* Asking leaves the thread's own GetLastError alone. */
    SetLastError(ERROR_INVALID_DATA);
    assert_int_equal(fs_win32_last_error(), ERROR_PATH_NOT_FOUND);
    assert_int_equal(GetLastError(), ERROR_INVALID_DATA);
    fs_win32_clear_last_error();
    assert_int_equal(GetLastError(), ERROR_INVALID_DATA);
    assert_int_equal(fs_win32_last_error(), ERROR_SUCCESS);
}

static void test_create_write_sync_read(void **state)
{
    fixture *fx = *state;
    const of_fs *fs = fs_win32();
    char path[UCAP];
    join(fx, "a.dat", path, sizeof path);

    of_fs_file *f = open_w(path, OF_FS_CREATE);
    write_ok(f, "hello, ");
    write_ok(f, "world");
    assert_int_equal(fs->sync(fs->ctx, f), OF_FS_OK);
    expect_content(path, "hello, world", 12); /* visible to others before close */
    close_ok(f);

    /* Reads may be short; EOF is OK with 0 bytes, repeatedly. */
    f = open_r(path);
    char buf[8];
    size_t got = 99;
    assert_int_equal(fs->read(fs->ctx, f, buf, 5, &got), OF_FS_OK);
    assert_int_equal(got, 5);
    assert_memory_equal(buf, "hello", 5);
    assert_int_equal(fs->read(fs->ctx, f, buf, sizeof buf, &got), OF_FS_OK);
    assert_int_equal(got, 7);
    assert_memory_equal(buf, ", world", 7);
    for (int i = 0; i < 2; i++) {
        got = 99;
        assert_int_equal(fs->read(fs->ctx, f, buf, sizeof buf, &got), OF_FS_OK);
        assert_int_equal(got, 0);
    }
    got = 99;
    assert_int_equal(fs->read(fs->ctx, f, buf, 0, &got), OF_FS_OK);
    assert_int_equal(got, 0);
    close_ok(f);

    /* CREATE on an existing file empties it. */
    f = open_w(path, OF_FS_CREATE);
    assert_int_equal(file_size(path), 0);
    close_ok(f);
    assert_int_equal(fs_win32_last_error(), ERROR_SUCCESS);
}

static void test_append_writes_at_the_end(void **state)
{
    fixture *fx = *state;
    const of_fs *fs = fs_win32();
    char path[UCAP];
    join(fx, "a.dat", path, sizeof path);
    put_file(path, "abc", 3);

    of_fs_file *f = open_w(path, OF_FS_APPEND);
    write_ok(f, "def");
    expect_content(path, "abcdef", 6);

    /* Cut, then the next write goes to the new end. */
    assert_int_equal(fs->truncate(fs->ctx, f, 2), OF_FS_OK);
    expect_content(path, "ab", 2);
    write_ok(f, "XY");
    expect_content(path, "abXY", 4);

    /* Extending pads with zeros, and writing continues after them. */
    assert_int_equal(fs->truncate(fs->ctx, f, 6), OF_FS_OK);
    write_ok(f, "Z");
    expect_content(path, "abXY\0\0Z", 7);
    assert_int_equal(fs->sync(fs->ctx, f), OF_FS_OK);

    /* A zero-length write is fine and changes nothing. */
    size_t written = 99;
    assert_int_equal(fs->write(fs->ctx, f, "", 0, &written), OF_FS_OK);
    assert_int_equal(written, 0);
    close_ok(f);
    expect_content(path, "abXY\0\0Z", 7);

    /* A second append handle starts at the end too. */
    f = open_w(path, OF_FS_APPEND);
    write_ok(f, "!");
    close_ok(f);
    expect_content(path, "abXY\0\0Z!", 8);
}

static void test_rename_aside_never_overwrites(void **state)
{
    fixture *fx = *state;
    const of_fs *fs = fs_win32();
    char from[UCAP], to[UCAP], free_name[UCAP];
    join(fx, "from.dat", from, sizeof from);
    join(fx, "to.dat", to, sizeof to);
    join(fx, "free.dat", free_name, sizeof free_name);
    put_file(from, "FROM", 4);
    put_file(to, "TO", 2);

    of_fs_err e = fs->rename_aside(fs->ctx, from, to);
    assert_int_equal(e, OF_FS_ERR_EXISTS);
    DWORD w = fs_win32_last_error();
    assert_true(w == ERROR_ALREADY_EXISTS || w == ERROR_FILE_EXISTS);
    expect_content(from, "FROM", 4);
    expect_content(to, "TO", 2);

    assert_int_equal(fs->rename_aside(fs->ctx, from, free_name), OF_FS_OK);
    assert_int_equal(file_size(from), -1);
    expect_content(free_name, "FROM", 4);
}

static void test_replace_puts_the_new_file_in_place(void **state)
{
    fixture *fx = *state;
    const of_fs *fs = fs_win32();
    char from[UCAP], to[UCAP], fresh[UCAP];
    join(fx, "h.dat.tmp", from, sizeof from);
    join(fx, "h.dat", to, sizeof to);
    join(fx, "new.dat", fresh, sizeof fresh);
    put_file(from, "NEW", 3);
    put_file(to, "OLD-CONTENT", 11);

    assert_int_equal(fs->replace(fs->ctx, from, to), OF_FS_OK);
    assert_int_equal(file_size(from), -1);
    expect_content(to, "NEW", 3);

    /* No target yet: a plain rename. */
    put_file(from, "NEWER", 5);
    assert_int_equal(fs->replace(fs->ctx, from, fresh), OF_FS_OK);
    expect_content(fresh, "NEWER", 5);
    assert_int_equal(count_entries(fx->dir), 2);
}

static void test_remove_and_access_denied(void **state)
{
    fixture *fx = *state;
    const of_fs *fs = fs_win32();
    char path[UCAP], ro[UCAP], sub[UCAP];
    wchar_t wro[WCAP], wsub[WCAP];
    join(fx, "a.dat", path, sizeof path);
    join(fx, "readonly.dat", ro, sizeof ro);
    join(fx, "folder", sub, sizeof sub);
    put_file(path, "x", 1);
    put_file(ro, "y", 1);

    assert_int_equal(fs->remove(fs->ctx, path), OF_FS_OK);
    assert_int_equal(file_size(path), -1);

    /* A read-only file cannot be deleted. (Opening it for writing is refused
     * on Windows too, but Wine running as root lets that through.) */
    long_form_u8(ro, wro, WCAP);
    assert_true(SetFileAttributesW(wro, FILE_ATTRIBUTE_READONLY));
    expect_failure(fs->remove(fs->ctx, ro), OF_FS_ERR_ACCESS, ERROR_ACCESS_DENIED);
    expect_content(ro, "y", 1);
    assert_true(SetFileAttributesW(wro, FILE_ATTRIBUTE_NORMAL));

    /* A folder where a file is expected. */
    long_form_u8(sub, wsub, WCAP);
    assert_true(CreateDirectoryW(wsub, NULL));
    of_fs_file *f = NULL;
    expect_failure(fs->open_read(fs->ctx, sub, &f), OF_FS_ERR_ACCESS, ERROR_ACCESS_DENIED);
    expect_failure(fs->open_write(fs->ctx, sub, OF_FS_CREATE, &f), OF_FS_ERR_ACCESS, ERROR_ACCESS_DENIED);
    assert_null(f);
}

static void test_bad_arguments_do_not_crash(void **state)
{
    fixture *fx = *state;
    const of_fs *fs = fs_win32();
    char path[UCAP];
    join(fx, "a.dat", path, sizeof path);
    of_fs_file *f = NULL;
    size_t n = 99;

    expect_failure(fs->open_read(fs->ctx, NULL, &f), OF_FS_ERR_IO, ERROR_INVALID_PARAMETER);
    expect_failure(fs->open_read(fs->ctx, "", &f), OF_FS_ERR_IO, ERROR_INVALID_NAME);
    expect_failure(fs->open_read(fs->ctx, path, NULL), OF_FS_ERR_IO, ERROR_INVALID_PARAMETER);
    expect_failure(fs->open_write(fs->ctx, path, (of_fs_mode)7, &f), OF_FS_ERR_IO, ERROR_INVALID_PARAMETER);
    assert_null(f);
    assert_int_equal(count_entries(fx->dir), 0);
    expect_failure(fs->remove(fs->ctx, NULL), OF_FS_ERR_IO, ERROR_INVALID_PARAMETER);
    expect_failure(fs->replace(fs->ctx, path, NULL), OF_FS_ERR_IO, ERROR_INVALID_PARAMETER);
    expect_failure(fs->rename_aside(fs->ctx, NULL, path), OF_FS_ERR_IO, ERROR_INVALID_PARAMETER);
    expect_failure(fs->read(fs->ctx, NULL, &n, 1, &n), OF_FS_ERR_IO, ERROR_INVALID_PARAMETER);
    assert_int_equal(n, 0);
    n = 99;
    expect_failure(fs->write(fs->ctx, NULL, "x", 1, &n), OF_FS_ERR_IO, ERROR_INVALID_PARAMETER);
    assert_int_equal(n, 0);
    expect_failure(fs->sync(fs->ctx, NULL), OF_FS_ERR_IO, ERROR_INVALID_PARAMETER);
    expect_failure(fs->truncate(fs->ctx, NULL, 0), OF_FS_ERR_IO, ERROR_INVALID_PARAMETER);
    expect_failure(fs->close(fs->ctx, NULL), OF_FS_ERR_IO, ERROR_INVALID_PARAMETER);

    f = open_w(path, OF_FS_CREATE);
    expect_failure(fs->read(fs->ctx, f, NULL, 4, &n), OF_FS_ERR_IO, ERROR_INVALID_PARAMETER);
    expect_failure(fs->read(fs->ctx, f, &n, 1, NULL), OF_FS_ERR_IO, ERROR_INVALID_PARAMETER);
    expect_failure(fs->write(fs->ctx, f, NULL, 4, &n), OF_FS_ERR_IO, ERROR_INVALID_PARAMETER);
    expect_failure(fs->write(fs->ctx, f, "x", 1, NULL), OF_FS_ERR_IO, ERROR_INVALID_PARAMETER);
    expect_failure(fs->truncate(fs->ctx, f, UINT64_MAX), OF_FS_ERR_IO, ERROR_INVALID_PARAMETER);
    /* Reading through a handle opened for writing is refused by Windows, not crashed on. */
    char buf[4];
    assert_int_not_equal(fs->read(fs->ctx, f, buf, sizeof buf, &n), OF_FS_OK);
    assert_int_equal(n, 0);
    assert_int_not_equal(fs_win32_last_error(), ERROR_SUCCESS);
    close_ok(f);
    assert_int_equal(file_size(path), 0);

    /* Writing through a read handle: refused, nothing written. */
    f = open_r(path);
    n = 99;
    assert_int_equal(fs->write(fs->ctx, f, "abc", 3, &n), OF_FS_ERR_ACCESS);
    assert_int_equal(n, 0);
    close_ok(f);
    assert_int_equal(file_size(path), 0);
}

/* ---- sharing --------------------------------------------------------------- */

static void test_second_writer_is_refused(void **state)
{
    fixture *fx = *state;
    const of_fs *fs = fs_win32();
    char path[UCAP];
    join(fx, "h.dat", path, sizeof path);
    put_file(path, "abc", 3);

    of_fs_file *w1 = open_w(path, OF_FS_APPEND);
    of_fs_file *w2 = NULL;
    expect_failure(fs->open_write(fs->ctx, path, OF_FS_APPEND, &w2), OF_FS_ERR_ACCESS, ERROR_SHARING_VIOLATION);
    assert_null(w2);
    expect_failure(fs->open_write(fs->ctx, path, OF_FS_CREATE, &w2), OF_FS_ERR_ACCESS, ERROR_SHARING_VIOLATION);
    assert_null(w2);
    /* The held file cannot be deleted or replaced under the writer either. */
    assert_int_equal(fs->remove(fs->ctx, path), OF_FS_ERR_ACCESS);
    write_ok(w1, "def");
    close_ok(w1);
    expect_content(path, "abcdef", 6);

    /* The lock ends with the handle. */
    w2 = open_w(path, OF_FS_APPEND);
    close_ok(w2);
}

static void test_readers_and_the_writer_share(void **state)
{
    fixture *fx = *state;
    const of_fs *fs = fs_win32();
    char path[UCAP];
    join(fx, "h.dat", path, sizeof path);
    put_file(path, "abc", 3);

    /* Reader after the writer. */
    of_fs_file *w = open_w(path, OF_FS_APPEND);
    of_fs_file *r1 = open_r(path);
    read_expect(r1, "abc");
    write_ok(w, "def");
    assert_int_equal(fs->sync(fs->ctx, w), OF_FS_OK);
    read_expect(r1, "def"); /* the reader sees appends as they come */
    of_fs_file *r2 = open_r(path);
    read_expect(r2, "abcdef");
    close_ok(r2);
    close_ok(w);

    /* Writer after the reader: the reader's sharing lets it in. */
    w = open_w(path, OF_FS_APPEND);
    write_ok(w, "ghi");
    read_expect(r1, "ghi");
    /* A reader does not lift the single-writer lock. */
    of_fs_file *w2 = NULL;
    expect_failure(fs->open_write(fs->ctx, path, OF_FS_APPEND, &w2), OF_FS_ERR_ACCESS, ERROR_SHARING_VIOLATION);
    close_ok(w);
    close_ok(r1);
}

static int running_on_wine(void)
{
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    return ntdll != NULL && GetProcAddress(ntdll, "wine_get_version") != NULL;
}

/* A byte range locked by another handle: the write fails, nothing of it
 * counts as written, and the file keeps its bytes. Wine does not enforce
 * byte-range locks on WriteFile, so this runs on Windows only. */
static void test_write_into_a_locked_range(void **state)
{
    fixture *fx = *state;
    if (running_on_wine())
        skip();
    const of_fs *fs = fs_win32();
    char path[UCAP];
    wchar_t w[WCAP];
    join(fx, "h.dat", path, sizeof path);
    put_file(path, "abc", 3);

    of_fs_file *f = open_w(path, OF_FS_APPEND);
    long_form_u8(path, w, WCAP);
    HANDLE other = CreateFileW(w, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING,
                               FILE_ATTRIBUTE_NORMAL, NULL);
    assert_true(other != INVALID_HANDLE_VALUE);
    OVERLAPPED at = {0};
    assert_true(LockFileEx(other, LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY, 0, 100, 0, &at));

    size_t written = 99;
    expect_failure(fs->write(fs->ctx, f, "def", 3, &written), OF_FS_ERR_ACCESS, ERROR_LOCK_VIOLATION);
    assert_int_equal(written, 0);

    assert_true(UnlockFileEx(other, 0, 100, 0, &at));
    assert_true(CloseHandle(other));
    write_ok(f, "def");
    close_ok(f);
    expect_content(path, "abcdef", 6);
}

/* ---- paths ------------------------------------------------------------------ */

static void test_invalid_utf8_is_refused(void **state)
{
    fixture *fx = *state;
    const of_fs *fs = fs_win32();
    /* Truncated sequence, a byte that never occurs, an overlong "/", an
     * encoded surrogate, a lone continuation byte. */
    static const char *const bad_names[] = {"bad-\xC3\x28.dat", "bad-\xFF.dat", "bad-\xC0\xAF.dat",
                                            "bad-\xED\xA0\x80.dat", "bad-\x80.dat"};
    char good[UCAP], bad[UCAP];
    join(fx, "good.dat", good, sizeof good);
    put_file(good, "good", 4);

    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        join(fx, bad_names[i], bad, sizeof bad);
        of_fs_file *f = (of_fs_file *)&f;
        expect_failure(fs->open_read(fs->ctx, bad, &f), OF_FS_ERR_IO, ERROR_NO_UNICODE_TRANSLATION);
        assert_null(f);
        expect_failure(fs->open_write(fs->ctx, bad, OF_FS_CREATE, &f), OF_FS_ERR_IO, ERROR_NO_UNICODE_TRANSLATION);
        assert_null(f);
        expect_failure(fs->open_write(fs->ctx, bad, OF_FS_APPEND, &f), OF_FS_ERR_IO, ERROR_NO_UNICODE_TRANSLATION);
        expect_failure(fs->replace(fs->ctx, good, bad), OF_FS_ERR_IO, ERROR_NO_UNICODE_TRANSLATION);
        expect_failure(fs->replace(fs->ctx, bad, good), OF_FS_ERR_IO, ERROR_NO_UNICODE_TRANSLATION);
        expect_failure(fs->rename_aside(fs->ctx, good, bad), OF_FS_ERR_IO, ERROR_NO_UNICODE_TRANSLATION);
        expect_failure(fs->rename_aside(fs->ctx, bad, good), OF_FS_ERR_IO, ERROR_NO_UNICODE_TRANSLATION);
        expect_failure(fs->remove(fs->ctx, bad), OF_FS_ERR_IO, ERROR_NO_UNICODE_TRANSLATION);
    }
    /* Nothing was created under a mangled name, and the good file is untouched. */
    assert_int_equal(count_entries(fx->dir), 1);
    expect_content(good, "good", 4);

    /* The store reports it as an open failure, and creates nothing. */
    join(fx, bad_names[0], bad, sizeof bad);
    of_history *h = (of_history *)&h;
    assert_int_equal(of_history_open(&h, fs, bad, 0, NOW, NULL), OF_HISTORY_E_OPEN);
    assert_null(h);
    assert_int_equal(count_entries(fx->dir), 1);
}

static void test_non_ascii_names(void **state)
{
    fixture *fx = *state;
    const of_fs *fs = fs_win32();
    char path[UCAP], aside[UCAP];
    join(fx, NON_ASCII_U8, path, sizeof path);
    join(fx, NON_ASCII_U8 ".corrupt-\xC3\x9F", aside, sizeof aside); /* ... ".corrupt-ß" */

    of_fs_file *f = open_w(path, OF_FS_CREATE);
    write_ok(f, "Gr\xC3\xBC\xC3\x9F" "e");
    close_ok(f);

    /* The name on disk is the UTF-16 form of the UTF-8 we gave. */
    wchar_t pattern[WCAP];
    WIN32_FIND_DATAW fd;
    swprintf(pattern, WCAP, L"%ls\\*.dat", fx->dir);
    HANDLE fh = FindFirstFileW(pattern, &fd);
    assert_true(fh != INVALID_HANDLE_VALUE);
    assert_true(wcscmp(fd.cFileName, NON_ASCII_W) == 0);
    assert_false(FindNextFileW(fh, &fd));
    FindClose(fh);

    f = open_r(path);
    read_expect(f, "Gr\xC3\xBC\xC3\x9F" "e");
    close_ok(f);
    f = open_w(path, OF_FS_APPEND);
    close_ok(f);
    assert_int_equal(fs->rename_aside(fs->ctx, path, aside), OF_FS_OK);
    assert_int_equal(file_size(path), -1);
    assert_int_equal(file_size(aside), 7);
    assert_int_equal(fs->replace(fs->ctx, aside, path), OF_FS_OK);
    assert_int_equal(fs->remove(fs->ctx, path), OF_FS_OK);
    assert_int_equal(count_entries(fx->dir), 0);

    /* A non-ASCII folder made by ensure_dir, used through UTF-8. */
    wchar_t wdir[WCAP];
    char dir8[UCAP], inner[UCAP];
    swprintf(wdir, WCAP, L"%ls\\Daten-\u00DF\\\u65E5\u672C", fx->dir);
    assert_int_equal(fs_win32_ensure_dir(wdir), 0);
    to_utf8(wdir, dir8, sizeof dir8);
    snprintf(inner, sizeof inner, "%s\\%s", dir8, NON_ASCII_U8);
    f = open_w(inner, OF_FS_CREATE);
    write_ok(f, "x");
    close_ok(f);
    assert_int_equal(file_size(inner), 1);
}

static void test_other_path_spellings(void **state)
{
    fixture *fx = *state;
    const of_fs *fs = fs_win32();
    char slashes[UCAP], dotted[UCAP], verbatim[UCAP], back[UCAP];
    join(fx, "a.dat", back, sizeof back);
    /* Forward slashes and ".." are normalised by GetFullPathNameW. */
    snprintf(slashes, sizeof slashes, "%s/a.dat", fx->dir8);
    snprintf(dotted, sizeof dotted, "%s\\sub\\..\\a.dat", fx->dir8);
    snprintf(verbatim, sizeof verbatim, "\\\\?\\%s\\a.dat", fx->dir8);

    of_fs_file *f = open_w(slashes, OF_FS_CREATE);
    write_ok(f, "1");
    close_ok(f);
    expect_content(back, "1", 1);
    f = open_w(dotted, OF_FS_APPEND);
    write_ok(f, "2");
    close_ok(f);
    f = open_w(verbatim, OF_FS_APPEND);
    write_ok(f, "3");
    close_ok(f);
    expect_content(back, "123", 3);
    assert_int_equal(fs->remove(fs->ctx, verbatim), OF_FS_OK);
    assert_int_equal(count_entries(fx->dir), 0);
}

/* The path handed to Windows: absolute and normalised; the \\?\ prefix from
 * 248 units on (Wine accepts long paths without it, Windows does not, so
 * the prefix is checked here rather than by behaviour). */
static void test_win32_form_of_paths(void **state)
{
    fixture *fx = *state;
    wchar_t out[WCAP], want[WCAP], cwd[WCAP];
    char u8[UCAP];

    /* Short: the full path, nothing added. */
    snprintf(u8, sizeof u8, "%s/sub/../a.dat", fx->dir8);
    assert_int_equal(fs_win32_path(u8, out, WCAP), 0);
    swprintf(want, WCAP, L"%ls\\a.dat", fx->dir);
    assert_true(wcscmp(out, want) == 0);

    /* Relative: made absolute against the working directory. */
    assert_true(GetCurrentDirectoryW(WCAP, cwd) > 0);
    assert_int_equal(fs_win32_path("rel.dat", out, WCAP), 0);
    swprintf(want, WCAP, L"%ls%lsrel.dat", cwd, cwd[wcslen(cwd) - 1] == L'\\' ? L"" : L"\\");
    assert_true(wcscmp(out, want) == 0);

    /* Exactly at the threshold: 247 units stay as they are, 248 get \\?\. */
    size_t base = wcslen(fx->dir) + 1;
    assert_true(base < 200);
    for (size_t total = 247; total <= 248; total++) {
        char name[300];
        memset(name, 'n', total - base);
        name[total - base] = '\0';
        join(fx, name, u8, sizeof u8);
        assert_int_equal(fs_win32_path(u8, out, WCAP), 0);
        wchar_t full[WCAP];
        to_wide(u8, full, WCAP);
        assert_int_equal(wcslen(full), total);
        swprintf(want, WCAP, total == 247 ? L"%ls" : L"\\\\?\\%ls", full);
        assert_true(wcscmp(out, want) == 0);
    }

    /* A long UNC path (only a string here: nothing is looked up). */
    char unc[UCAP];
    int n = snprintf(unc, sizeof unc, "\\\\server\\share");
    while (n < 300)
        n += snprintf(unc + n, sizeof unc - (size_t)n, "\\folder-%d", n);
    assert_int_equal(fs_win32_path(unc, out, WCAP), 0);
    to_wide(unc + 2, want + 8, WCAP - 8);
    memcpy(want, L"\\\\?\\UNC\\", 8 * sizeof(wchar_t));
    assert_true(wcscmp(out, want) == 0);

    /* Already verbatim: used as given. */
    assert_int_equal(fs_win32_path("\\\\?\\C:\\x\\..\\y", out, WCAP), 0);
    assert_true(wcscmp(out, L"\\\\?\\C:\\x\\..\\y") == 0);

    /* Errors: bad arguments, invalid UTF-8, a buffer too small (NUL-ended). */
    assert_int_equal(fs_win32_path(u8, NULL, WCAP), ERROR_INVALID_PARAMETER);
    assert_int_equal(fs_win32_path(u8, out, 0), ERROR_INVALID_PARAMETER);
    out[0] = L'x';
    assert_int_equal(fs_win32_path(NULL, out, WCAP), ERROR_INVALID_PARAMETER);
    assert_int_equal(out[0], L'\0');
    out[0] = L'x';
    assert_int_equal(fs_win32_path("\xC3\x28", out, WCAP), ERROR_NO_UNICODE_TRANSLATION);
    assert_int_equal(out[0], L'\0');
    wchar_t small[8];
    wmemset(small, L'#', 8);
    assert_int_equal(fs_win32_path("\\\\?\\C:\\long-name", small, 5), ERROR_INSUFFICIENT_BUFFER);
    assert_true(wcscmp(small, L"\\\\?\\") == 0);
    assert_int_equal(small[5], L'#');
}

/* A folder path of about 400 UTF-16 units: beyond MAX_PATH. */
static void make_long_dir(const fixture *fx, wchar_t *wdir, char *dir8)
{
    int n = swprintf(wdir, WCAP, L"%ls", fx->dir);
    for (int level = 0; n < 400; level++) {
        int k = swprintf(wdir + n, WCAP - (size_t)n, L"\\level-%d-%ls", level,
                         L"abcdefghijklmnopqrstuvwxyz-\u00E4\u00F6\u00FC-0123456789");
        assert_true(k > 0);
        n += k;
    }
    assert_true(wcslen(wdir) > MAX_PATH);
    to_utf8(wdir, dir8, UCAP);
}

static void test_long_paths(void **state)
{
    fixture *fx = *state;
    const of_fs *fs = fs_win32();
    wchar_t wdir[WCAP], lw[WCAP];
    char dir8[UCAP], path[UCAP], other[UCAP];
    make_long_dir(fx, wdir, dir8);

    assert_int_equal(fs_win32_ensure_dir(wdir), 0);
    long_form(wdir, lw, WCAP);
    DWORD attr = GetFileAttributesW(lw);
    assert_true(attr != INVALID_FILE_ATTRIBUTES && (attr & FILE_ATTRIBUTE_DIRECTORY));
    assert_int_equal(fs_win32_ensure_dir(wdir), 0); /* again: already there */

    snprintf(path, sizeof path, "%s\\%s", dir8, NON_ASCII_U8);
    snprintf(other, sizeof other, "%s\\other.dat", dir8);
    of_fs_file *f = open_w(path, OF_FS_CREATE);
    write_ok(f, "long");
    assert_int_equal(fs->sync(fs->ctx, f), OF_FS_OK);
    close_ok(f);
    f = open_r(path);
    read_expect(f, "long");
    close_ok(f);
    assert_int_equal(fs->rename_aside(fs->ctx, path, other), OF_FS_OK);
    assert_int_equal(fs->replace(fs->ctx, other, path), OF_FS_OK);
    assert_int_equal(file_size(other), -1);
    expect_content(path, "long", 4);
    assert_int_equal(fs->remove(fs->ctx, path), OF_FS_OK);
    assert_int_equal(file_size(path), -1);

    /* The store works there too. */
    of_history *h = NULL;
    of_record r = {.started_ms = NOW - 5000, .completed_ms = NOW, .duration_ms = 5000, .flags = 0x3};
    assert_int_equal(of_history_open(&h, fs, path, 0, NOW, NULL), OF_HISTORY_OK);
    assert_int_equal(of_history_append(h, &r), OF_HISTORY_OK);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    assert_int_equal(file_size(path), (int64_t)(HDR + FRAME));
}

static void test_ensure_dir(void **state)
{
    fixture *fx = *state;
    wchar_t dir[WCAP], lw[WCAP], file_dir[WCAP];
    char file8[UCAP];

    swprintf(dir, WCAP, L"%ls\\a\\b\\c", fx->dir);
    assert_int_equal(fs_win32_ensure_dir(dir), 0);
    DWORD attr = GetFileAttributesW(dir);
    assert_true(attr != INVALID_FILE_ATTRIBUTES && (attr & FILE_ATTRIBUTE_DIRECTORY));
    assert_int_equal(fs_win32_ensure_dir(dir), 0);
    assert_int_equal(fs_win32_ensure_dir(fx->dir), 0);

    /* Trailing separators, forward slashes, doubled separators. */
    swprintf(dir, WCAP, L"%ls\\d\\e\\\\", fx->dir);
    assert_int_equal(fs_win32_ensure_dir(dir), 0);
    swprintf(dir, WCAP, L"%ls/f/g", fx->dir);
    assert_int_equal(fs_win32_ensure_dir(dir), 0);
    swprintf(dir, WCAP, L"%ls\\f\\g", fx->dir);
    attr = GetFileAttributesW(dir);
    assert_true(attr != INVALID_FILE_ATTRIBUTES && (attr & FILE_ATTRIBUTE_DIRECTORY));
    swprintf(dir, WCAP, L"\\\\?\\%ls\\h\\i", fx->dir);
    assert_int_equal(fs_win32_ensure_dir(dir), 0);
    long_form(dir, lw, WCAP);
    attr = GetFileAttributesW(lw);
    assert_true(attr != INVALID_FILE_ATTRIBUTES && (attr & FILE_ATTRIBUTE_DIRECTORY));
    assert_int_equal(count_entries(fx->dir), 4); /* a d f h */

    /* A file in the way: as the folder itself, or as a parent. */
    join(fx, "file", file8, sizeof file8);
    put_file(file8, "x", 1);
    swprintf(file_dir, WCAP, L"%ls\\file", fx->dir);
    assert_int_equal(fs_win32_ensure_dir(file_dir), ERROR_DIRECTORY);
    swprintf(file_dir, WCAP, L"%ls\\file\\sub", fx->dir);
    assert_int_equal(fs_win32_ensure_dir(file_dir), ERROR_DIRECTORY);
    expect_content(file8, "x", 1);

    assert_int_equal(fs_win32_ensure_dir(NULL), ERROR_INVALID_PARAMETER);
    assert_int_equal(fs_win32_ensure_dir(L""), ERROR_INVALID_PARAMETER);
    assert_int_equal(count_entries(fx->dir), 5);
}

/* ---- the history store end to end ---------------------------------------------- */

static of_record rec_of(uint64_t i)
{
    of_record r;
    memset(&r, 0, sizeof r);
    r.started_ms = NOW - 86400000 + (int64_t)i * 60000;
    r.completed_ms = r.started_ms + 1000 + (int64_t)i;
    r.duration_ms = 1000 + i;
    r.flags = 0x10000000u | (uint32_t)i;
    r.begin_flags = (uint32_t)i * 3u;
    r.status = (uint8_t)(i % 3);
    r.reason = r.status == OF_STATUS_INTERRUPTED ? (uint8_t)(1 + i % 4) : 0;
    return r;
}

static void append_rec(of_history *h, uint64_t i)
{
    of_record r = rec_of(i);
    assert_int_equal(of_history_append(h, &r), OF_HISTORY_OK);
    assert_int_equal(r.seq, i);
}

/* The store holds records first..first+count-1 of rec_of, numbered the same. */
static void expect_records(const of_history *h, uint64_t first, size_t count)
{
    assert_int_equal(of_history_count(h), count);
    for (size_t k = 0; k < count; k++) {
        of_record want = rec_of(first + k);
        want.seq = first + k;
        const of_record *got = of_history_get(h, k);
        assert_non_null(got);
        assert_int_equal(got->seq, want.seq);
        assert_int_equal(got->started_ms, want.started_ms);
        assert_int_equal(got->completed_ms, want.completed_ms);
        assert_int_equal(got->duration_ms, want.duration_ms);
        assert_int_equal(got->flags, want.flags);
        assert_int_equal(got->begin_flags, want.begin_flags);
        assert_int_equal(got->status, want.status);
        assert_int_equal(got->reason, want.reason);
    }
    assert_null(of_history_get(h, count));
}

static of_history *open_store(const char *path, unsigned flags, of_history_report *rep)
{
    of_history *h = NULL;
    of_history_report local;
    of_history_err e = of_history_open(&h, fs_win32(), path, flags, NOW, rep != NULL ? rep : &local);
    if (e != OF_HISTORY_OK)
        fail_msg("of_history_open: %s (Win32 error %lu)", of_history_error_text(e),
                 (unsigned long)fs_win32_last_error());
    return h;
}

static void test_store_append_and_reopen(void **state)
{
    fixture *fx = *state;
    char path[UCAP], tmp[UCAP];
    of_history_report rep;
    join(fx, NON_ASCII_U8, path, sizeof path);
    join(fx, NON_ASCII_U8 ".tmp", tmp, sizeof tmp);

    of_history *h = open_store(path, 0, &rep);
    assert_true(rep.no_file);
    assert_int_equal(file_size(path), (int64_t)HDR);
    for (uint64_t i = 1; i <= 5; i++)
        append_rec(h, i);
    /* Every append is on disk when it returns. */
    assert_int_equal(file_size(path), (int64_t)(HDR + 5 * FRAME));
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);

    h = open_store(path, 0, &rep);
    assert_false(rep.no_file);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_NONE);
    assert_int_equal(rep.records, 5);
    expect_records(h, 1, 5);
    assert_int_equal(of_history_next_seq(h), 6);
    append_rec(h, 6);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);

    h = open_store(path, OF_HISTORY_READONLY, &rep);
    expect_records(h, 1, 6);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    assert_int_equal(file_size(tmp), -1);
    assert_int_equal(count_entries(fx->dir), 1);
}

static void test_store_torn_tail_on_a_real_file(void **state)
{
    fixture *fx = *state;
    char path[UCAP];
    of_history_report rep;
    join(fx, NON_ASCII_U8, path, sizeof path);

    of_history *h = open_store(path, 0, NULL);
    for (uint64_t i = 1; i <= 4; i++)
        append_rec(h, i);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);

    /* A crash 7 bytes before the end of the last append. */
    cut_file(path, HDR + 4 * FRAME - 7);
    h = open_store(path, OF_HISTORY_READONLY, &rep);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_TORN_TAIL);
    expect_records(h, 1, 3);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    assert_int_equal(file_size(path), (int64_t)(HDR + 4 * FRAME - 7)); /* read-only changed nothing */

    h = open_store(path, 0, &rep);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_TORN_TAIL);
    assert_true(rep.torn_cut);
    assert_false(rep.moved_aside);
    assert_int_equal(rep.dropped_bytes, FRAME - 7);
    /* The cut bytes are kept beside the file, and the seq the torn frame
     * carried (4, still readable) is never given again. */
    char cut[UCAP];
    snprintf(cut, sizeof cut, "%s.cut-%lld", path, (long long)NOW);
    assert_true(rep.cut_kept);
    assert_string_equal(rep.cut_to, cut);
    assert_int_equal(file_size(cut), (int64_t)(FRAME - 7));
    assert_int_equal(rep.cut_seq, 4);
    expect_records(h, 1, 3);
    assert_int_equal(file_size(path), (int64_t)(HDR + 3 * FRAME));
    of_record r = rec_of(4);
    assert_int_equal(of_history_append(h, &r), OF_HISTORY_OK);
    assert_int_equal(r.seq, 5);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);

    h = open_store(path, 0, &rep);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_NONE);
    assert_int_equal(of_history_count(h), 4);
    assert_int_equal(of_history_get(h, 2)->seq, 3);
    assert_int_equal(of_history_get(h, 3)->seq, 5);
    assert_int_equal(of_history_get(h, 3)->started_ms, rec_of(4).started_ms);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    assert_int_equal(count_entries(fx->dir), 2); /* the history and the kept cut */
}

/* Compaction while `--export` reads. A read-only store holds no handle once
 * it is open, so compaction simply succeeds and the reader keeps the records
 * it loaded. A reader in the middle of loading holds a handle (shared for
 * read, write and delete): whether Windows lets MoveFileExW replace a file
 * open like that depends on the file system (POSIX rename semantics on
 * recent NTFS: yes; classic semantics: ERROR_ACCESS_DENIED). Both outcomes
 * are correct for the store, and each is checked in full: either the new
 * file is in place and the reader still reads the complete old one, or the
 * compaction reports E_RENAME and the file, the records and appending are
 * exactly as before; then, with the reader gone, compaction succeeds. */
static void test_store_compaction_while_a_reader_is_open(void **state)
{
    fixture *fx = *state;
    const of_fs *fs = fs_win32();
    char path[UCAP], tmp[UCAP];
    unsigned char before[4096], after[4096], seen[4096];
    uint64_t removed = 99;
    join(fx, NON_ASCII_U8, path, sizeof path);
    join(fx, NON_ASCII_U8 ".tmp", tmp, sizeof tmp);

    of_history *h = open_store(path, 0, NULL);
    for (uint64_t i = 1; i <= 10; i++)
        append_rec(h, i);

    /* A read-only store opened next to the writer. */
    of_history *ro = open_store(path, OF_HISTORY_READONLY, NULL);
    expect_records(ro, 1, 10);
    assert_int_equal(of_history_compact(h, 8, 0, NOW, &removed), OF_HISTORY_OK);
    assert_int_equal(removed, 2);
    expect_records(h, 3, 8);
    expect_records(ro, 1, 10); /* its copy in memory is its own */
    assert_int_equal(of_history_close(ro), OF_HISTORY_OK);
    assert_int_equal(file_size(path), (int64_t)(HDR + 8 * FRAME));

    /* A reader caught in the middle of reading the file. */
    size_t old_len = get_file(path, before, sizeof before);
    assert_int_equal(old_len, HDR + 8 * FRAME);
    of_fs_file *reader = open_r(path);
    size_t got = 0, first = 0;
    assert_int_equal(fs->read(fs->ctx, reader, seen, 100, &first), OF_FS_OK);
    assert_int_equal(first, 100);

    fs_win32_clear_last_error();
    removed = 99;
    of_history_err e = of_history_compact(h, 4, 0, NOW, &removed);
    if (e == OF_HISTORY_OK) {
        print_message("compaction with an open reader: replaced (the file system allows it)\n");
        assert_int_equal(removed, 4);
        expect_records(h, 7, 4);
        assert_int_equal(file_size(path), (int64_t)(HDR + 4 * FRAME));
    } else {
        print_message("compaction with an open reader: refused (Win32 error %lu), history kept\n",
                      (unsigned long)fs_win32_last_error());
        assert_int_equal(e, OF_HISTORY_E_RENAME);
        assert_int_equal(fs_win32_map_error(fs_win32_last_error()), OF_FS_ERR_ACCESS);
        assert_int_equal(removed, 0);
        expect_records(h, 3, 8);
        assert_int_equal(get_file(path, after, sizeof after), old_len);
        assert_memory_equal(after, before, old_len);
    }
    assert_int_equal(file_size(tmp), -1);

    /* Either way the reader finishes reading the whole old file. */
    size_t total = first;
    for (;;) {
        assert_int_equal(fs->read(fs->ctx, reader, seen + total, sizeof seen - total, &got), OF_FS_OK);
        if (got == 0)
            break;
        total += got;
    }
    assert_int_equal(total, old_len);
    assert_memory_equal(seen, before, old_len);

    /* ... and the store keeps appending. */
    append_rec(h, 11);
    close_ok(reader);

    /* Reader gone: compaction works. */
    assert_int_equal(of_history_compact(h, 2, 0, NOW, &removed), OF_HISTORY_OK);
    expect_records(h, 10, 2);
    append_rec(h, 12);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    h = open_store(path, OF_HISTORY_READONLY, NULL);
    expect_records(h, 10, 3);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    assert_int_equal(file_size(tmp), -1);
    assert_int_equal(count_entries(fx->dir), 1);
}

static void test_store_quarantines_a_foreign_file(void **state)
{
    fixture *fx = *state;
    static const char foreign[] = "Dies ist keine ofnotify-Historie.\r\n";
    char path[UCAP], aside1[UCAP], aside2[UCAP];
    of_history_report rep;
    join(fx, NON_ASCII_U8, path, sizeof path);
    snprintf(aside1, sizeof aside1, "%s.corrupt-%" PRId64, path, NOW);
    snprintf(aside2, sizeof aside2, "%s.corrupt-%" PRId64 "-2", path, NOW);
    put_file(path, foreign, sizeof foreign - 1);

    of_history *h = open_store(path, 0, &rep);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_NOT_HISTORY);
    assert_true(rep.moved_aside);
    assert_string_equal(rep.moved_to, aside1);
    expect_content(aside1, foreign, sizeof foreign - 1);
    assert_int_equal(of_history_count(h), 0);
    append_rec(h, 1);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    assert_int_equal(file_size(path), (int64_t)(HDR + FRAME));

    /* Again at the same moment: the first moved-aside file is not overwritten. */
    put_file(path, "garbage", 7);
    h = open_store(path, 0, &rep);
    assert_string_equal(rep.moved_to, aside2);
    expect_content(aside1, foreign, sizeof foreign - 1);
    expect_content(aside2, "garbage", 7);
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
    assert_int_equal(count_entries(fx->dir), 3);
}

static void test_store_read_only_next_to_the_writer(void **state)
{
    fixture *fx = *state;
    char path[UCAP];
    of_history_report rep;
    join(fx, NON_ASCII_U8, path, sizeof path);

    of_history *w = open_store(path, 0, NULL);
    for (uint64_t i = 1; i <= 3; i++)
        append_rec(w, i);

    of_history *ro = open_store(path, OF_HISTORY_READONLY, &rep);
    assert_int_equal(rep.issue, OF_HISTORY_ISSUE_NONE);
    expect_records(ro, 1, 3);
    of_record r = rec_of(9);
    assert_int_equal(of_history_append(ro, &r), OF_HISTORY_E_READONLY);
    append_rec(w, 4); /* the reader does not block the writer */
    assert_int_equal(of_history_close(ro), OF_HISTORY_OK);

    /* A second writer in the same process is kept out by the sharing mode. */
    of_history *w2 = (of_history *)&w2;
    fs_win32_clear_last_error();
    assert_int_equal(of_history_open(&w2, fs_win32(), path, 0, NOW, NULL), OF_HISTORY_E_ACCESS);
    assert_null(w2);
    assert_int_equal(fs_win32_last_error(), ERROR_SHARING_VIOLATION);

    append_rec(w, 5);
    ro = open_store(path, OF_HISTORY_READONLY, NULL);
    expect_records(ro, 1, 5);
    assert_int_equal(of_history_close(ro), OF_HISTORY_OK);
    assert_int_equal(of_history_close(w), OF_HISTORY_OK);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_mapping_table),
        T(test_missing_files_and_folders),
        T(test_last_error_is_per_thread),
        T(test_create_write_sync_read),
        T(test_append_writes_at_the_end),
        T(test_rename_aside_never_overwrites),
        T(test_replace_puts_the_new_file_in_place),
        T(test_remove_and_access_denied),
        T(test_bad_arguments_do_not_crash),
        T(test_second_writer_is_refused),
        T(test_readers_and_the_writer_share),
        T(test_write_into_a_locked_range),
        T(test_invalid_utf8_is_refused),
        T(test_non_ascii_names),
        T(test_other_path_spellings),
        T(test_win32_form_of_paths),
        T(test_long_paths),
        T(test_ensure_dir),
        T(test_store_append_and_reopen),
        T(test_store_torn_tail_on_a_real_file),
        T(test_store_compaction_while_a_reader_is_open),
        T(test_store_quarantines_a_foreign_file),
        T(test_store_read_only_next_to_the_writer),
    };
#undef T
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
