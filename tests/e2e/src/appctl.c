/* appctl: does to the running ofnotify.exe, from outside, what Windows and
 * its user do to a tray app, and measures what it holds, for the e2e
 * traffic rounds and the soak (tests/e2e/traffic.sh). The app is found by
 * its window class, as Windows' own tools find a process by its window.
 *
 *   appctl kill                   TerminateProcess, as Task Manager's End
 *                                 task does: no code of the app runs
 *   appctl end-session KIND       WM_QUERYENDSESSION, then WM_ENDSESSION
 *                                 (TRUE) with lParam 0 (shutdown), logoff
 *                                 (ENDSESSION_LOGOFF) or closeapp
 *                                 (ENDSESSION_CLOSEAPP, Restart Manager);
 *                                 then, as Windows may once WM_ENDSESSION
 *                                 returns, terminates what is left of it;
 *                                 restartmanager: ENDSESSION_CLOSEAPP, then
 *                                 waits for the process to exit by itself
 *                                 (up to EXIT_WAIT_MS, as Restart Manager
 *                                 does before it terminates one) and says
 *                                 its exit code
 *   appctl show-history           the app's own "show the history" message;
 *                                 waits until the history window is there
 *   appctl close-history          WM_CLOSE to the history window; waits
 *                                 until it is gone
 *   appctl taskbar-created        sends the registered TaskbarCreated
 *                                 message, as a restarted Explorer does
 *   appctl figures [EXE]          of the app, or of the process whose image
 *                                 is EXE, one line: pid, handles (the system's
 *                                 handle list, and GetProcessHandleCount),
 *                                 GDI and USER objects by GetGuiResources,
 *                                 GDI objects in the process's GDI handle
 *                                 table (and by type), windows,
 *                                 GetProcessMemoryInfo's private bytes
 *
 * Output is one line on stdout. Exit codes: 0 done, 1 not found or failed,
 * 2 bad usage. */
#include <stdio.h>
#include <string.h>

#include <windows.h>

#include <psapi.h>
#include <tlhelp32.h>
#include <winternl.h>

#include "../../../src/app/instance.h"
#include "../../../src/app/messages.h"

#define HISTORY_CLASS L"ofnotify.HistoryWindow"
#define WAIT_MS 10000
#define SEND_MS 10000
/* How long Restart Manager lets a closed app take to exit before it ends it. */
#define EXIT_WAIT_MS 15000

/* What Wine keeps per GDI handle in the table PEB->GdiSharedHandleTable
 * points to (64-bit layout, the same as Windows'): a free entry has type 0;
 * stock objects carry bit 7 of the first byte after the owner. */
typedef struct gdi_entry {
    UINT64 object;
    ULONG owner;
    UCHAR ext_type; /* bit 7: stock object */
    UCHAR generation;
    UCHAR type;
    UCHAR flags;
    UINT64 user;
} gdi_entry;
#define GDI_ENTRIES 0x10000
#define GDI_TYPES 0x80
#define PEB_GDI_TABLE_OFFSET 0xF8 /* PEB.GdiSharedHandleTable, x64 */

/* NtQuerySystemInformation(SystemHandleInformation): every handle of every
 * process, the process id in 16 bits. */
#define SYSTEM_HANDLE_INFORMATION_CLASS 16
typedef struct handle_entry {
    USHORT pid;
    USHORT backtrace;
    UCHAR type;
    UCHAR attributes;
    USHORT value;
    void *object;
    ULONG access;
} handle_entry;
typedef struct handle_table {
    ULONG count;
    handle_entry handles[];
} handle_table;

static HWND app_window(void)
{
    return FindWindowW(APP_WINDOW_CLASS, NULL);
}

static HANDLE open_app(DWORD access, DWORD *pid)
{
    HWND wnd = app_window();
    *pid = 0;
    if (!wnd || !GetWindowThreadProcessId(wnd, pid) || !*pid)
        return NULL;
    return OpenProcess(access, FALSE, *pid);
}

/* The first process whose image is named EXE (the control subscriber). */
static HANDLE open_by_name(const WCHAR *exe, DWORD access, DWORD *pid)
{
    PROCESSENTRY32W pe = {.dwSize = sizeof(pe)};
    HANDLE snap = CreateToolhelp32Snapshot(TH32CS_SNAPPROCESS, 0);
    BOOL more;
    *pid = 0;
    if (snap == INVALID_HANDLE_VALUE)
        return NULL;
    for (more = Process32FirstW(snap, &pe); more; more = Process32NextW(snap, &pe))
        if (!lstrcmpiW(pe.szExeFile, exe)) {
            *pid = pe.th32ProcessID;
            break;
        }
    CloseHandle(snap);
    return *pid ? OpenProcess(access, FALSE, *pid) : NULL;
}

static BOOL wait_gone(HANDLE proc)
{
    return WaitForSingleObject(proc, WAIT_MS) == WAIT_OBJECT_0;
}

static int cmd_kill(void)
{
    DWORD pid;
    HANDLE proc = open_app(PROCESS_TERMINATE | SYNCHRONIZE, &pid);
    BOOL done;
    if (!proc) {
        printf("no app window or process (error %lu)\n", GetLastError());
        return 1;
    }
    done = TerminateProcess(proc, 9) && wait_gone(proc);
    printf("kill pid=%lu %s\n", (unsigned long)pid, done ? "terminated" : "FAILED");
    CloseHandle(proc);
    return done ? 0 : 1;
}

static int cmd_end_session(const WCHAR *kind)
{
    LPARAM lp;
    DWORD pid;
    DWORD_PTR query = 0, ended = 0;
    HWND wnd = app_window();
    HANDLE proc;
    BOOL left;
    if (!wcscmp(kind, L"shutdown"))
        lp = 0;
    else if (!wcscmp(kind, L"logoff"))
        lp = (LPARAM)ENDSESSION_LOGOFF;
    else if (!wcscmp(kind, L"closeapp") || !wcscmp(kind, L"restartmanager"))
        lp = ENDSESSION_CLOSEAPP;
    else
        return 2;
    proc = open_app(PROCESS_TERMINATE | SYNCHRONIZE, &pid);
    if (!wnd || !proc) {
        printf("no app window or process\n");
        return 1;
    }
    if (!SendMessageTimeoutW(wnd, WM_QUERYENDSESSION, 0, lp, SMTO_NORMAL, SEND_MS, &query) || !query) {
        printf("end-session pid=%lu WM_QUERYENDSESSION not answered TRUE (%lu)\n", (unsigned long)pid,
               (unsigned long)query);
        CloseHandle(proc);
        return 1;
    }
    if (!SendMessageTimeoutW(wnd, WM_ENDSESSION, TRUE, lp, SMTO_NORMAL, SEND_MS, &ended)) {
        DWORD err = GetLastError(), t0 = GetTickCount();
        /* Windows would end it now; first, whether it was slow or stuck. */
        BOOL exited = WaitForSingleObject(proc, 3 * SEND_MS) == WAIT_OBJECT_0;
        printf("end-session pid=%lu %ls: WM_ENDSESSION not answered within %d ms (error %lu); the process %s %lu ms"
               " later\n",
               (unsigned long)pid, kind, SEND_MS, (unsigned long)err, exited ? "exited" : "was still there",
               (unsigned long)(GetTickCount() - t0));
        if (!exited)
            TerminateProcess(proc, 9);
        CloseHandle(proc);
        return 1;
    }
    if (!wcscmp(kind, L"restartmanager")) {
        DWORD code = 0;
        BOOL exited = WaitForSingleObject(proc, EXIT_WAIT_MS) == WAIT_OBJECT_0;
        if (exited)
            GetExitCodeProcess(proc, &code);
        else
            TerminateProcess(proc, 9);
        printf("end-session pid=%lu %ls answered; %s %lu\n", (unsigned long)pid, kind,
               exited ? "exited by itself with code" : "still there, terminated after ms", exited ? code : EXIT_WAIT_MS);
        CloseHandle(proc);
        return exited && code == 0 ? 0 : 1;
    }
    /* From here Windows owes the process nothing: whatever is not on disk
     * when WM_ENDSESSION returns may be lost, so it is ended now. */
    left = WaitForSingleObject(proc, 0) != WAIT_OBJECT_0;
    if (left)
        TerminateProcess(proc, 9);
    wait_gone(proc);
    printf("end-session pid=%lu %ls %s\n", (unsigned long)pid, kind,
           left ? "answered; terminated after WM_ENDSESSION" : "answered; exited by itself");
    CloseHandle(proc);
    return 0;
}

static HWND history_window(DWORD app_pid)
{
    HWND wnd = NULL;
    while ((wnd = FindWindowExW(NULL, wnd, HISTORY_CLASS, NULL)) != NULL) {
        DWORD pid = 0;
        GetWindowThreadProcessId(wnd, &pid);
        if (pid == app_pid)
            return wnd;
    }
    return NULL;
}

static int cmd_history(BOOL show)
{
    HWND app = app_window(), hist;
    DWORD pid = 0, waited;
    if (!app || !GetWindowThreadProcessId(app, &pid))
        return 1;
    if (show) {
        /* What the shell sends for a click on the icon (NOTIFYICON_VERSION_4). */
        if (!PostMessageW(app, WM_OFN_TRAY, 0, MAKELPARAM(NIN_SELECT, 0)))
            return 1;
    } else {
        if (!(hist = history_window(pid)))
            return 1;
        PostMessageW(hist, WM_CLOSE, 0, 0);
    }
    for (waited = 0; waited < WAIT_MS; waited += 20) {
        hist = history_window(pid);
        if (show ? hist && IsWindowVisible(hist) : !hist)
            return 0;
        Sleep(20);
    }
    printf("the history window did not %s\n", show ? "open" : "close");
    return 1;
}

static int cmd_taskbar_created(void)
{
    UINT msg = RegisterWindowMessageW(L"TaskbarCreated");
    DWORD_PTR res;
    HWND app = app_window();
    if (!app || !msg || !SendMessageTimeoutW(app, msg, 0, 0, SMTO_NORMAL, SEND_MS, &res))
        return 1;
    return 0;
}

/* Windows of the process: its top-level windows (message-only ones too)
 * and every descendant. */
static LONG count_tree(HWND parent)
{
    LONG n = 0;
    HWND child = GetWindow(parent, GW_CHILD);
    for (; child; child = GetWindow(child, GW_HWNDNEXT))
        n += 1 + count_tree(child);
    return n;
}

static LONG count_windows_under(HWND root, DWORD pid)
{
    LONG n = 0;
    HWND top = GetWindow(root, GW_CHILD);
    for (; top; top = GetWindow(top, GW_HWNDNEXT)) {
        DWORD owner = 0;
        GetWindowThreadProcessId(top, &owner);
        if (owner == pid)
            n += 1 + count_tree(top);
    }
    return n;
}

static LONG count_windows(DWORD pid)
{
    HWND message_root = GetAncestor(FindWindowExW(HWND_MESSAGE, NULL, NULL, NULL), GA_PARENT);
    LONG n = count_windows_under(GetDesktopWindow(), pid);
    if (message_root)
        n += count_windows_under(message_root, pid);
    return n;
}

/* Live, non-stock entries of the process's GDI handle table, in total and
 * by type ("type:count,..."); -1 if it cannot be read. */
static LONG count_gdi_table(HANDLE proc, char *by_type, size_t size)
{
    PROCESS_BASIC_INFORMATION pbi;
    ULONG len = 0;
    UINT64 table = 0;
    SIZE_T got = 0;
    gdi_entry *entries;
    LONG n = -1, i, types[GDI_TYPES] = {0};
    size_t used = 0;
    by_type[0] = 0;
    if (NtQueryInformationProcess(proc, ProcessBasicInformation, &pbi, sizeof(pbi), &len) != 0 ||
        !ReadProcessMemory(proc, (const BYTE *)pbi.PebBaseAddress + PEB_GDI_TABLE_OFFSET, &table, sizeof(table),
                           &got) ||
        !table)
        return -1;
    entries = HeapAlloc(GetProcessHeap(), 0, GDI_ENTRIES * sizeof(*entries));
    if (!entries)
        return -1;
    if (ReadProcessMemory(proc, (const void *)(UINT_PTR)table, entries, GDI_ENTRIES * sizeof(*entries), &got) &&
        got == GDI_ENTRIES * sizeof(*entries)) {
        n = 0;
        for (i = 0; i < GDI_ENTRIES; i++)
            if (entries[i].type && !(entries[i].ext_type & 0x80)) {
                n++;
                types[entries[i].type % GDI_TYPES]++;
            }
        for (i = 0; i < GDI_TYPES && used + 16 < size; i++)
            if (types[i])
                used += (size_t)snprintf(by_type + used, size - used, "%s%ld:%ld", used ? "," : "", i, types[i]);
    }
    HeapFree(GetProcessHeap(), 0, entries);
    return n;
}

/* The process's handles in the system's list, in total and by object type
 * index ("type:count,..."); -1 if it cannot be had. */
static LONG count_handles(DWORD pid, char *by_type, size_t by_type_size)
{
    LONG types[256] = {0};
    size_t used = 0;
    ULONG size = 1 << 20, len = 0, i;
    LONG n = -1;
    NTSTATUS status;
    handle_table *t = NULL;
    for (;;) {
        t = HeapAlloc(GetProcessHeap(), 0, size);
        if (!t)
            return -1;
        status = NtQuerySystemInformation(SYSTEM_HANDLE_INFORMATION_CLASS, t, size, &len);
        if (status != (NTSTATUS)0xC0000004L /* STATUS_INFO_LENGTH_MISMATCH */ || size >= (1u << 28))
            break;
        HeapFree(GetProcessHeap(), 0, t);
        size *= 2;
    }
    if (status == 0) {
        n = 0;
        for (i = 0; i < t->count; i++)
            if (t->handles[i].pid == (USHORT)pid) {
                n++;
                types[t->handles[i].type]++;
            }
    }
    by_type[0] = 0;
    for (i = 0; i < 256 && used + 16 < by_type_size; i++)
        if (types[i])
            used += (size_t)snprintf(by_type + used, by_type_size - used, "%s%lu:%ld", used ? "," : "", i, types[i]);
    HeapFree(GetProcessHeap(), 0, t);
    return n;
}

static int cmd_figures(const WCHAR *exe)
{
    DWORD pid, handles = 0;
    char gdi_types[512], handle_types[512];
    LONG gdi, handle_list;
    PROCESS_MEMORY_COUNTERS_EX mem = {.cb = sizeof(mem)};
    const DWORD access = PROCESS_QUERY_INFORMATION | PROCESS_VM_READ;
    HANDLE proc = exe ? open_by_name(exe, access, &pid) : open_app(access, &pid);
    if (!proc) {
        printf("no such process (error %lu)\n", GetLastError());
        return 1;
    }
    if (!GetProcessHandleCount(proc, &handles))
        handles = (DWORD)-1;
    if (!GetProcessMemoryInfo(proc, (PROCESS_MEMORY_COUNTERS *)&mem, sizeof(mem)))
        mem.PrivateUsage = 0;
    gdi = count_gdi_table(proc, gdi_types, sizeof(gdi_types));
    handle_list = count_handles(pid, handle_types, sizeof(handle_types));
    printf("pid=%lu handles=%ld handle_count=%ld gui_gdi=%lu gui_user=%lu gdi_table=%ld windows=%ld"
           " private_usage=%llu gdi_types=%s handle_types=%s\n",
           (unsigned long)pid, handle_list, (long)handles, (unsigned long)GetGuiResources(proc, GR_GDIOBJECTS),
           (unsigned long)GetGuiResources(proc, GR_USEROBJECTS), gdi, count_windows(pid),
           (unsigned long long)mem.PrivateUsage, gdi_types, handle_types);
    CloseHandle(proc);
    return 0;
}

int wmain(int argc, WCHAR **argv);
int wmain(int argc, WCHAR **argv)
{
    int rc = 2;
    if (argc == 2 && !wcscmp(argv[1], L"kill"))
        rc = cmd_kill();
    else if (argc == 3 && !wcscmp(argv[1], L"end-session"))
        rc = cmd_end_session(argv[2]);
    else if (argc == 2 && !wcscmp(argv[1], L"show-history"))
        rc = cmd_history(TRUE);
    else if (argc == 2 && !wcscmp(argv[1], L"close-history"))
        rc = cmd_history(FALSE);
    else if (argc == 2 && !wcscmp(argv[1], L"taskbar-created"))
        rc = cmd_taskbar_created();
    else if ((argc == 2 || argc == 3) && !wcscmp(argv[1], L"figures"))
        rc = cmd_figures(argc == 3 ? argv[2] : NULL);
    if (rc == 2)
        fputs("usage: appctl kill | end-session shutdown|logoff|closeapp|restartmanager | show-history | close-history |"
              " taskbar-created | figures [EXE]\n",
              stderr);
    fflush(stdout);
    return rc;
}
