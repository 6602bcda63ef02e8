/* The command line (src/app/cli.c, paths.c, console.c): what cli_parse
 * accepts and refuses; paths_in_store against real files in a fresh temporary
 * folder, the history file spelled every way Windows allows; and the shipped
 * program run as a user would, its exit code and stderr read back: an
 * argument of many kilobytes still gets its message, --export never writes
 * into the data folder, a missing data folder or a file in its place is an
 * error, the tray app refuses a data folder it cannot use, and --since and
 * --until pick records by completed time or exit 2 with a message. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <windows.h>
#include <stdio.h>
#include <string.h>

#include "../../src/app/cli.h"
#include "../../src/app/console.h"
#include "../../src/app/instance.h"
#include "../../src/app/messages.h"
#include "../../src/app/fs_win32.h"
#include "../../src/app/paths.h"
#include "ofnotify/history.h"
#include "support/buildfiles.h"

#define PATH_CAP (MAX_PATH * 4)
/* How long the program may take before a test calls it hung (and ends it). */
#define RUN_TIMEOUT_MS 30000

static WCHAR root[PATH_CAP];     /* this run's temporary folder */
static WCHAR data_dir[PATH_CAP]; /* root\data, holding history.dat */
static WCHAR history[PATH_CAP];  /* root\data\history.dat */
static WCHAR exe[PATH_CAP];
static const char history_bytes[] = "not an export: these bytes must survive every refused --out";

static void join(WCHAR *out, const WCHAR *dir, const WCHAR *name)
{
    int n = _snwprintf(out, PATH_CAP, L"%ls\\%ls", dir, name);
    assert_true(n > 0 && n < PATH_CAP);
}

static void write_file(const WCHAR *path, const char *bytes)
{
    DWORD done;
    HANDLE h = CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    assert_true(h != INVALID_HANDLE_VALUE);
    assert_true(WriteFile(h, bytes, (DWORD)strlen(bytes), &done, NULL));
    CloseHandle(h);
}

/* The file's bytes, NUL-terminated, into buf; -1 when it cannot be read. */
static long read_file(const WCHAR *path, char *buf, DWORD cap)
{
    DWORD done = 0;
    HANDLE h = CreateFileW(path, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_WRITE, NULL, OPEN_EXISTING, 0, NULL);
    if (h == INVALID_HANDLE_VALUE)
        return -1;
    if (!ReadFile(h, buf, cap - 1, &done, NULL))
        done = 0;
    CloseHandle(h);
    buf[done] = 0;
    return (long)done;
}

static void assert_history_intact(void)
{
    char bytes[256];
    assert_int_equal(read_file(history, bytes, sizeof(bytes)), (long)strlen(history_bytes));
    assert_string_equal(bytes, history_bytes);
}

static void remove_tree(const WCHAR *dir)
{
    WCHAR pattern[PATH_CAP], path[PATH_CAP];
    WIN32_FIND_DATAW fd;
    HANDLE find;
    join(pattern, dir, L"*");
    find = FindFirstFileW(pattern, &fd);
    if (find != INVALID_HANDLE_VALUE) {
        do {
            if (!wcscmp(fd.cFileName, L".") || !wcscmp(fd.cFileName, L".."))
                continue;
            join(path, dir, fd.cFileName);
            if (fd.dwFileAttributes & FILE_ATTRIBUTE_DIRECTORY)
                remove_tree(path);
            else
                DeleteFileW(path);
        } while (FindNextFileW(find, &fd));
        FindClose(find);
    }
    RemoveDirectoryW(dir);
}

static int group_setup(void **state)
{
    WCHAR tmp[MAX_PATH + 1];
    (void)state;
    if (!GetTempPathW(ARRAYSIZE(tmp), tmp))
        return -1;
    _snwprintf(root, PATH_CAP, L"%lsofnotify-test_cli-%lu", tmp, GetCurrentProcessId());
    remove_tree(root);
    if (!CreateDirectoryW(root, NULL))
        return -1;
    join(data_dir, root, L"data");
    join(history, data_dir, HISTORY_FILE_NAME);
    if (!CreateDirectoryW(data_dir, NULL))
        return -1;
    if (!build_file(L"ofnotify.exe", exe, ARRAYSIZE(exe)))
        return -1;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    remove_tree(root);
    return 0;
}

/* Every test starts from root\data\history.dat holding history_bytes. */
static int fresh_history(void **state)
{
    (void)state;
    write_file(history, history_bytes);
    return 0;
}

/* ---- cli_parse ---- */

static int parse(cli_options *o, ...)
{
    WCHAR *argv[16];
    int argc = 0;
    va_list args;
    va_start(args, o);
    argv[argc++] = L"ofnotify.exe";
    for (WCHAR *a; (a = va_arg(args, WCHAR *)) != NULL;)
        argv[argc++] = a;
    va_end(args);
    return cli_parse(argc, argv, o);
}

static void test_parse_accepts_one_mode_with_its_options(void **state)
{
    cli_options o;
    (void)state;
    assert_int_equal(parse(&o, L"--data-dir=D:\\x", L"--export=csv", L"--out=y.csv", NULL), EXIT_OK);
    assert_int_equal(o.mode, CLI_EXPORT);
    assert_int_equal(o.format, CLI_FORMAT_CSV);
    assert_true(!wcscmp(o.data_dir, L"D:\\x"));
    assert_true(!wcscmp(o.out, L"y.csv"));
    assert_int_equal(parse(&o, L"--background", NULL), EXIT_OK);
    assert_int_equal(o.mode, CLI_TRAY);
    assert_true(o.background);
    assert_int_equal(parse(&o, L"--wait-idle=250", NULL), EXIT_OK);
    assert_int_equal(o.mode, CLI_WAIT_IDLE);
    assert_int_equal(o.timeout_ms, 250);
    assert_int_equal(parse(&o, L"--wait-idle=0", NULL), EXIT_OK);
    assert_int_equal(o.timeout_ms, 0);
}

static void test_parse_refuses_two_modes(void **state)
{
    cli_options o;
    (void)state;
    assert_int_equal(parse(&o, L"--export=jsonl", L"--wait-idle", NULL), EXIT_USAGE);
    assert_int_equal(parse(&o, L"--wait-idle=5", L"--export=csv", NULL), EXIT_USAGE);
    assert_int_equal(parse(&o, L"--exit", L"--sync-now", NULL), EXIT_USAGE);
    assert_int_equal(parse(&o, L"--status", L"--help", NULL), EXIT_USAGE);
    assert_int_equal(parse(&o, L"--version", L"--exit", NULL), EXIT_USAGE);
    assert_int_equal(parse(&o, L"--background", L"--status", NULL), EXIT_USAGE);
    assert_int_equal(parse(&o, L"--exit", L"--background", NULL), EXIT_USAGE);
}

static void test_parse_refuses_repeats(void **state)
{
    cli_options o;
    (void)state;
    assert_int_equal(parse(&o, L"--data-dir=a", L"--data-dir=b", NULL), EXIT_USAGE);
    assert_int_equal(parse(&o, L"--data-dir=a", L"--data-dir=a", NULL), EXIT_USAGE);
    assert_int_equal(parse(&o, L"--export=csv", L"--out=a", L"--out=b", NULL), EXIT_USAGE);
    assert_int_equal(parse(&o, L"--export=csv", L"--export=jsonl", NULL), EXIT_USAGE);
    assert_int_equal(parse(&o, L"--wait-idle", L"--wait-idle=3", NULL), EXIT_USAGE);
    assert_int_equal(parse(&o, L"--background", L"--background", NULL), EXIT_USAGE);
    assert_int_equal(parse(&o, L"--out=a", NULL), EXIT_USAGE);
}

/* ---- paths_in_store ---- */

static void test_in_store_catches_every_spelling_of_the_history(void **state)
{
    WCHAR path[PATH_CAP], upper[PATH_CAP], link[PATH_CAP];
    DWORD n;
    (void)state;
    assert_true(paths_in_store(history, data_dir));
    /* Case and "..". */
    wcscpy(upper, history);
    CharUpperW(upper);
    assert_true(paths_in_store(upper, data_dir));
    _snwprintf(path, PATH_CAP, L"%ls\\..\\data\\.\\history.dat", data_dir);
    assert_true(paths_in_store(path, data_dir));
    /* Forward slashes and the \\?\ form. */
    wcscpy(path, history);
    for (WCHAR *p = path; *p; p++)
        if (*p == L'\\')
            *p = L'/';
    assert_true(paths_in_store(path, data_dir));
    _snwprintf(path, PATH_CAP, L"\\\\?\\%ls", history);
    assert_true(paths_in_store(path, data_dir));
    /* The data folder itself spelled another way. */
    _snwprintf(path, PATH_CAP, L"%ls\\.\\data", root);
    assert_true(paths_in_store(history, path));
    /* A short name of the folder, where the file system gives one. */
    n = GetShortPathNameW(history, path, PATH_CAP);
    if (n && n < PATH_CAP)
        assert_true(paths_in_store(path, data_dir));
    /* A hard link elsewhere is the same file: found by its file ID alone. */
    join(link, root, L"link-to-history.dat");
    if (CreateHardLinkW(link, history, NULL)) {
        assert_true(paths_in_store(link, data_dir));
        DeleteFileW(link);
    }
}

static void test_in_store_catches_new_files_in_the_data_folder(void **state)
{
    WCHAR path[PATH_CAP], sub[PATH_CAP];
    (void)state;
    join(path, data_dir, L"new-export.csv");
    assert_true(paths_in_store(path, data_dir));
    assert_int_equal(GetFileAttributesW(path), INVALID_FILE_ATTRIBUTES);
    join(path, data_dir, L"history.dat.cut-1");
    assert_true(paths_in_store(path, data_dir));
    join(sub, data_dir, L"sub");
    assert_true(CreateDirectoryW(sub, NULL));
    join(path, sub, L"deeper.csv");
    assert_true(paths_in_store(path, data_dir));
    assert_true(paths_in_store(data_dir, data_dir));
    RemoveDirectoryW(sub);
}

static void test_in_store_allows_files_elsewhere(void **state)
{
    WCHAR path[PATH_CAP], other[PATH_CAP];
    (void)state;
    join(path, root, L"export.csv");
    assert_false(paths_in_store(path, data_dir));
    /* A folder whose name starts like the data folder's is another folder. */
    join(other, root, L"data2");
    assert_true(CreateDirectoryW(other, NULL));
    join(path, other, L"history.dat");
    write_file(path, "x");
    assert_false(paths_in_store(path, data_dir));
    DeleteFileW(path);
    RemoveDirectoryW(other);
    /* A data folder that does not exist holds nothing. */
    join(path, root, L"nowhere");
    assert_false(paths_in_store(history, path));
}

/* ---- --wait-idle=0 against a stand-in app window ---- */

typedef struct stand_in {
    HANDLE ready;
    DWORD thread_id;
    DWORD busy_ms; /* how long it takes before it reaches a probe */
} stand_in;

/* Takes the probe as the app window does: read, queued, handled in turn. */
static LRESULT CALLBACK stand_in_proc(HWND wnd, UINT msg, WPARAM wp, LPARAM lp)
{
    instance_request req;
    if (msg == WM_COPYDATA)
        return instance_read_request(wnd, wp, lp, &req) && req.command == INSTANCE_IDLE_PROBE && instance_defer(wnd, &req);
    if (msg == WM_OFN_REQUEST) {
        const stand_in *s = (const stand_in *)GetWindowLongPtrW(wnd, GWLP_USERDATA);
        Sleep(s->busy_ms); /* the events queued before the probe */
        if (instance_next_deferred(&req))
            instance_answer_idle_probe(&req);
        return 0;
    }
    return DefWindowProcW(wnd, msg, wp, lp);
}

static DWORD WINAPI stand_in_thread(void *arg)
{
    stand_in *s = arg;
    WNDCLASSW wc = {.lpfnWndProc = stand_in_proc, .hInstance = GetModuleHandleW(NULL),
                    .lpszClassName = APP_WINDOW_CLASS};
    MSG msg;
    HWND wnd;
    RegisterClassW(&wc);
    wnd = CreateWindowW(APP_WINDOW_CLASS, L"", 0, 0, 0, 0, 0, HWND_MESSAGE, NULL, wc.hInstance, NULL);
    SetWindowLongPtrW(wnd, GWLP_USERDATA, (LONG_PTR)s);
    SetEvent(s->ready);
    while (GetMessageW(&msg, NULL, 0, 0) > 0)
        DispatchMessageW(&msg);
    DestroyWindow(wnd);
    UnregisterClassW(APP_WINDOW_CLASS, wc.hInstance);
    return 0;
}

/* --wait-idle=0 asked of a stand-in that answers after busy_ms; returns the
 * exit code, the time it took in *took_ms. */
static int wait_idle_now(DWORD busy_ms, ULONGLONG *took_ms)
{
    stand_in s = {.ready = CreateEventW(NULL, TRUE, FALSE, NULL), .busy_ms = busy_ms};
    cli_options o;
    HANDLE thread;
    ULONGLONG start;
    int rc;
    assert_int_equal(parse(&o, L"--wait-idle=0", NULL), EXIT_OK);
    thread = CreateThread(NULL, 0, stand_in_thread, &s, 0, &s.thread_id);
    assert_non_null(thread);
    assert_int_equal(WaitForSingleObject(s.ready, 5000), WAIT_OBJECT_0);
    start = GetTickCount64();
    rc = cli_run(&o);
    *took_ms = GetTickCount64() - start;
    PostThreadMessageW(s.thread_id, WM_QUIT, 0, 0);
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    CloseHandle(s.ready);
    return rc;
}

static void test_wait_idle_0_answers_now(void **state)
{
    ULONGLONG took;
    (void)state;
    /* Idle: the probe is answered at once, and that is a yes. */
    assert_int_equal(wait_idle_now(0, &took), EXIT_OK);
    /* Still busy: a no, without waiting for the work to end. */
    assert_int_equal(wait_idle_now(4000, &took), EXIT_TIMEOUT);
    assert_true(took < 3000);
}

/* ---- the shipped program ---- */

/* Runs ofnotify.exe with args, stdout and stderr to files; returns its exit
 * code with stderr in err (UTF-8). A hung program is ended and fails the test. */
static DWORD run(const WCHAR *args, char *err, DWORD err_cap)
{
    static WCHAR cmd[16384];
    WCHAR out_path[PATH_CAP], err_path[PATH_CAP];
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    STARTUPINFOW si;
    PROCESS_INFORMATION pi;
    HANDLE out, errh;
    DWORD code = 999, wait;
    join(out_path, root, L"stdout.txt");
    join(err_path, root, L"stderr.txt");
    out = CreateFileW(out_path, GENERIC_WRITE, FILE_SHARE_READ, &sa, CREATE_ALWAYS, 0, NULL);
    errh = CreateFileW(err_path, GENERIC_WRITE, FILE_SHARE_READ, &sa, CREATE_ALWAYS, 0, NULL);
    assert_true(out != INVALID_HANDLE_VALUE && errh != INVALID_HANDLE_VALUE);
    assert_true(_snwprintf(cmd, ARRAYSIZE(cmd), L"\"%ls\" %ls", exe, args) > 0);
    ZeroMemory(&si, sizeof(si));
    si.cb = sizeof(si);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.hStdOutput = out;
    si.hStdError = errh;
    assert_true(CreateProcessW(exe, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi));
    CloseHandle(out);
    CloseHandle(errh);
    wait = WaitForSingleObject(pi.hProcess, RUN_TIMEOUT_MS);
    if (wait != WAIT_OBJECT_0)
        TerminateProcess(pi.hProcess, 999);
    GetExitCodeProcess(pi.hProcess, &code);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    assert_int_equal(wait, WAIT_OBJECT_0);
    assert_true(read_file(err_path, err, err_cap) >= 0);
    return code;
}

static void test_a_huge_argument_still_gets_its_message(void **state)
{
    static WCHAR args[8192];
    static char err[65536];
    const char *ellipsis = "\xE2\x80\xA6"; /* U+2026 in UTF-8 */
    size_t len = 0;
    (void)state;
    len += (size_t)_snwprintf(args, ARRAYSIZE(args), L"--");
    for (int i = 0; i < 5200; i++)
        args[len++] = L'z';
    args[len] = 0;
    assert_int_equal(run(args, err, sizeof(err)), EXIT_USAGE);
    assert_non_null(strstr(err, "--zzzz"));
    assert_non_null(strstr(err, ellipsis));
    assert_non_null(strstr(err, "ofnotify --help"));
    /* Cut, not printed whole: at most the insert's limit of z's. */
    assert_true(strlen(err) < CONSOLE_INSERT_MAX + 200);
}

static void test_conflicting_modes_exit_2_with_a_message(void **state)
{
    char err[4096];
    (void)state;
    assert_int_equal(run(L"--export=csv --wait-idle", err, sizeof(err)), EXIT_USAGE);
    assert_non_null(strstr(err, "--export"));
    assert_non_null(strstr(err, "--wait-idle"));
    assert_int_equal(run(L"--data-dir=a --data-dir=b --export=csv", err, sizeof(err)), EXIT_USAGE);
    assert_non_null(strstr(err, "--data-dir"));
}

static void test_export_refuses_the_history_and_its_folder(void **state)
{
    static const WCHAR *const outs[] = {L"HISTORY.DAT", L".\\history.dat", L"..\\data\\history.dat",
                                        L"new-export.csv"};
    WCHAR args[PATH_CAP * 3], out[PATH_CAP], made[PATH_CAP];
    char err[4096];
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(outs); i++) {
        join(out, data_dir, outs[i]);
        _snwprintf(args, ARRAYSIZE(args), L"--export=csv \"--data-dir=%ls\" \"--out=%ls\"", data_dir, out);
        assert_int_equal(run(args, err, sizeof(err)), EXIT_ERROR);
        assert_non_null(strstr(err, "data folder"));
        assert_history_intact();
    }
    join(made, data_dir, L"new-export.csv");
    assert_int_equal(GetFileAttributesW(made), INVALID_FILE_ATTRIBUTES);
    /* The same data folder, spelled another way, with the history as --out. */
    _snwprintf(args, ARRAYSIZE(args), L"--export=jsonl \"--data-dir=%ls\\.\\DATA\" \"--out=%ls\"", root, history);
    assert_int_equal(run(args, err, sizeof(err)), EXIT_ERROR);
    assert_history_intact();
}

static void test_export_outside_the_data_folder_is_written(void **state)
{
    WCHAR args[PATH_CAP * 3], out[PATH_CAP];
    char err[4096], bytes[4096];
    (void)state;
    join(out, root, L"export.csv");
    DeleteFileW(out);
    _snwprintf(args, ARRAYSIZE(args), L"--export=csv \"--data-dir=%ls\" \"--out=%ls\"", data_dir, out);
    assert_int_equal(run(args, err, sizeof(err)), EXIT_OK);
    assert_true(read_file(out, bytes, sizeof(bytes)) > 0);
    assert_non_null(strstr(bytes, "seq"));
    DeleteFileW(out);
}

static void test_export_without_a_data_folder_is_an_error(void **state)
{
    WCHAR args[PATH_CAP * 2], path[PATH_CAP];
    char err[4096];
    (void)state;
    join(path, root, L"missing");
    _snwprintf(args, ARRAYSIZE(args), L"--export=csv \"--data-dir=%ls\"", path);
    assert_int_equal(run(args, err, sizeof(err)), EXIT_ERROR);
    assert_non_null(strstr(err, "does not exist"));
    assert_int_equal(GetFileAttributesW(path), INVALID_FILE_ATTRIBUTES);
    /* A file where the folder should be. */
    _snwprintf(args, ARRAYSIZE(args), L"--export=jsonl \"--data-dir=%ls\"", history);
    assert_int_equal(run(args, err, sizeof(err)), EXIT_ERROR);
    assert_non_null(strstr(err, "is a file"));
    assert_history_intact();
}

/* ---- --since and --until ---- */

static INT64 utc_ms(WORD y, WORD mo, WORD d, WORD h, WORD mi, WORD s, WORD ms)
{
    SYSTEMTIME st = {.wYear = y, .wMonth = mo, .wDay = d, .wHour = h, .wMinute = mi, .wSecond = s,
                     .wMilliseconds = ms};
    FILETIME ft;
    assert_true(SystemTimeToFileTime(&st, &ft));
    return ((INT64)(((ULONGLONG)ft.dwHighDateTime << 32) | ft.dwLowDateTime) - 116444736000000000LL) / 10000;
}

/* The UTC instant of a local time in this machine's time zone. */
static INT64 local_ms(WORD y, WORD mo, WORD d, WORD h, WORD mi)
{
    SYSTEMTIME local = {.wYear = y, .wMonth = mo, .wDay = d, .wHour = h, .wMinute = mi}, utc;
    assert_true(TzSpecificLocalTimeToSystemTime(NULL, &local, &utc));
    return utc_ms(utc.wYear, utc.wMonth, utc.wDay, utc.wHour, utc.wMinute, utc.wSecond, 0);
}

/* root\timed\history.dat holding one completed record per time, seq 1, 2, ... */
static void make_timed_history(WCHAR *dir, const INT64 *completed, size_t n)
{
    char path[PATH_CAP * 3];
    of_history *h = NULL;
    join(dir, root, L"timed");
    remove_tree(dir);
    assert_true(CreateDirectoryW(dir, NULL));
    assert_int_equal(paths_history_utf8(dir, path, sizeof(path)), 0);
    assert_int_equal(of_history_open(&h, fs_win32(), path, 0, 0, NULL), OF_HISTORY_OK);
    for (size_t i = 0; i < n; i++) {
        of_record r = {.started_ms = completed[i] - 1000, .completed_ms = completed[i], .duration_ms = 1000,
                       .flags = 0x6, .begin_flags = 0x6, .status = OF_STATUS_COMPLETED};
        assert_int_equal(of_history_append(h, &r), OF_HISTORY_OK);
    }
    assert_int_equal(of_history_close(h), OF_HISTORY_OK);
}

/* Exports dir's history as JSON Lines with the extra arguments; returns the
 * seqs exported as a string of digits ("23" for seq 2 and 3). */
static void export_seqs(const WCHAR *dir, const WCHAR *extra, char *seqs, size_t cap)
{
    WCHAR args[PATH_CAP * 2], out_path[PATH_CAP];
    static char out[65536];
    char err[4096];
    size_t n = 0;
    _snwprintf(args, ARRAYSIZE(args), L"--export=jsonl \"--data-dir=%ls\" %ls", dir, extra);
    assert_int_equal(run(args, err, sizeof(err)), EXIT_OK);
    join(out_path, root, L"stdout.txt");
    assert_true(read_file(out_path, out, sizeof(out)) >= 0);
    for (const char *p = out; (p = strstr(p, "\"seq\":")) != NULL; p++)
        if (n + 1 < cap)
            seqs[n++] = p[6];
    seqs[n] = 0;
}

/* A record is exported when since <= its completed time < until. */
static void test_export_since_until_picks_by_completed_time(void **state)
{
    WCHAR dir[PATH_CAP];
    char seqs[16];
    const INT64 t[] = {utc_ms(2026, 12, 1, 7, 59, 59, 999), utc_ms(2026, 12, 1, 8, 0, 0, 0),
                       utc_ms(2026, 12, 1, 23, 59, 59, 999), utc_ms(2026, 12, 2, 0, 0, 0, 0)};
    (void)state;
    make_timed_history(dir, t, ARRAYSIZE(t));
    export_seqs(dir, L"", seqs, sizeof(seqs));
    assert_string_equal(seqs, "1234");
    export_seqs(dir, L"--since=2026-12-01T08:00Z --until=2026-12-02T00:00:00Z", seqs, sizeof(seqs));
    assert_string_equal(seqs, "23");
    export_seqs(dir, L"--since=2026-12-01T08:00:00Z", seqs, sizeof(seqs));
    assert_string_equal(seqs, "234");
    export_seqs(dir, L"--until=2026-12-01T08:00Z", seqs, sizeof(seqs));
    assert_string_equal(seqs, "1");
    export_seqs(dir, L"--since=2026-12-03T00:00Z", seqs, sizeof(seqs));
    assert_string_equal(seqs, "");
}

/* Without a Z, local time: the records a minute either side of local 08:00. */
static void test_export_since_until_in_local_time(void **state)
{
    WCHAR dir[PATH_CAP];
    char seqs[16];
    INT64 eight = local_ms(2026, 12, 1, 8, 0), midnight = local_ms(2026, 12, 2, 0, 0);
    const INT64 t[] = {eight - 1, eight, midnight - 1, midnight};
    (void)state;
    make_timed_history(dir, t, ARRAYSIZE(t));
    export_seqs(dir, L"--since=2026-12-01T08:00 --until=2026-12-02", seqs, sizeof(seqs));
    assert_string_equal(seqs, "23");
    export_seqs(dir, L"--since=2026-12-01T08:00:00", seqs, sizeof(seqs));
    assert_string_equal(seqs, "234");
}

static void test_since_until_mistakes_exit_2(void **state)
{
    static const struct {
        const WCHAR *args;
        const char *says[2];
    } cases[] = {
        {L"--export=csv --since=2026-13-01", {"--since", "2026-13-01"}},
        {L"--export=csv --until=tomorrow", {"--until", "tomorrow"}},
        {L"--export=csv --since=2026-12-01T08:00+01:00", {"--since", "08:00+01:00"}},
        {L"--export=csv --since=2026-12-02 --until=2026-12-01", {"--since", "--until"}},
        {L"--export=csv --since=2026-12-01T08:00Z --until=2026-12-01T08:00Z", {"--since", "--until"}},
        {L"--since=2026-12-01", {"--since", "--export"}},
        {L"--status --until=2026-12-01", {"--until", "--export"}},
        {L"--export=csv --since=2026-12-01 --since=2026-12-02", {"--since", "more than once"}},
    };
    char err[4096];
    (void)state;
    for (size_t i = 0; i < ARRAYSIZE(cases); i++) {
        assert_int_equal(run(cases[i].args, err, sizeof(err)), EXIT_USAGE);
        for (int k = 0; k < 2; k++)
            if (!strstr(err, cases[i].says[k]))
                fail_msg("%ls: \"%s\" not in \"%s\"", cases[i].args, cases[i].says[k], err);
    }
}

static void test_tray_refuses_a_data_folder_it_cannot_use(void **state)
{
    static WCHAR args[8192];
    char err[8192];
    size_t len;
    (void)state;
    _snwprintf(args, ARRAYSIZE(args), L"\"--data-dir=%ls\"", history);
    assert_int_equal(run(args, err, sizeof(err)), EXIT_ERROR);
    assert_non_null(strstr(err, "is a file"));
    assert_history_intact();
    /* Too long for the history's path. */
    len = (size_t)_snwprintf(args, ARRAYSIZE(args), L"\"--data-dir=%ls\\", root);
    for (int i = 0; i < 3000; i++)
        args[len++] = L'd';
    args[len++] = L'"';
    args[len] = 0;
    assert_int_equal(run(args, err, sizeof(err)), EXIT_ERROR);
    assert_non_null(strstr(err, "data folder"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_accepts_one_mode_with_its_options),
        cmocka_unit_test(test_parse_refuses_two_modes),
        cmocka_unit_test(test_parse_refuses_repeats),
        cmocka_unit_test_setup(test_in_store_catches_every_spelling_of_the_history, fresh_history),
        cmocka_unit_test_setup(test_in_store_catches_new_files_in_the_data_folder, fresh_history),
        cmocka_unit_test_setup(test_in_store_allows_files_elsewhere, fresh_history),
        cmocka_unit_test(test_wait_idle_0_answers_now),
        cmocka_unit_test(test_a_huge_argument_still_gets_its_message),
        cmocka_unit_test(test_conflicting_modes_exit_2_with_a_message),
        cmocka_unit_test_setup(test_export_refuses_the_history_and_its_folder, fresh_history),
        cmocka_unit_test_setup(test_export_outside_the_data_folder_is_written, fresh_history),
        cmocka_unit_test_setup(test_export_without_a_data_folder_is_an_error, fresh_history),
        cmocka_unit_test_setup(test_tray_refuses_a_data_folder_it_cannot_use, fresh_history),
        cmocka_unit_test(test_export_since_until_picks_by_completed_time),
        cmocka_unit_test(test_export_since_until_in_local_time),
        cmocka_unit_test(test_since_until_mistakes_exit_2),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
