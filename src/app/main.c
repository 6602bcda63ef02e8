/* ofnotify: the entry point. Command-line modes run and exit; otherwise one
 * tray instance per user and session runs on a single-threaded COM apartment. */
#include <windows.h>
#include <objbase.h>
#include <shellapi.h>

#include "app.h"
#include "cli.h"
#include "console.h"
#include "exitguard.h"
#include "instance.h"
#include "resource.h"
#include "winutil.h"

typedef BOOL(WINAPI *set_default_dll_directories_fn)(DWORD);

/* Only the system directory is searched for DLLs loaded later, before
 * anything loads one. Looked up at run time: Windows 7 has the function only
 * with KB2533623, and a missing import would keep ofnotify from starting. */
static void search_system32_only(void)
{
    HMODULE kernel32 = GetModuleHandleW(L"kernel32.dll");
    set_default_dll_directories_fn set =
        kernel32 ? (set_default_dll_directories_fn)(void (*)(void))GetProcAddress(kernel32,
                                                                                   "SetDefaultDllDirectories")
                 : NULL;
    if (set)
        set(LOAD_LIBRARY_SEARCH_SYSTEM32);
}

int WINAPI wWinMain(HINSTANCE instance, HINSTANCE prev, PWSTR cmdline, int show)
{
    cli_options opts;
    HANDLE mutex;
    HRESULT hr;
    int argc = 0, rc;
    WCHAR **argv;
    (void)prev, (void)cmdline, (void)show;

    search_system32_only();
    HeapSetInformation(NULL, HeapEnableTerminationOnCorruption, NULL, 0);

    console_open();
    argv = CommandLineToArgvW(GetCommandLineW(), &argc);
    if (!argv)
        return EXIT_ERROR;
    rc = cli_parse(argc, argv, &opts);
    if (rc != EXIT_OK)
        goto done;
    if (opts.mode != CLI_TRAY) {
        rc = cli_run(&opts);
        goto done;
    }

    /* A data folder that cannot work is said before anything starts; the
     * tray app would otherwise end without a word. */
    rc = cli_tray_data_dir(&opts, FALSE);
    if (rc != EXIT_OK)
        goto done;
    if (instance_claim(&mutex) == INSTANCE_RUNNING) {
        /* A second start by the user shows the history; a second sign-in
         * start (per-user and per-machine Run values both present) is quiet. */
        rc = opts.background ? EXIT_OK : instance_show_history();
        goto done;
    }
    rc = cli_tray_data_dir(&opts, TRUE);
    if (rc == EXIT_OK) {
        hr = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED | COINIT_DISABLE_OLE1DDE);
        if (FAILED(hr)) {
            WCHAR why[256];
            winutil_error_text((DWORD)hr, why, ARRAYSIZE(why));
            console_message(FALSE, IDS_ERR_COM_INIT, why);
            rc = EXIT_ERROR;
        } else {
            /* A tray app that ends (Exit, the session's end) ends with 0. */
            exitguard_allow(EXIT_OK);
            rc = app_run(instance, &opts);
            CoUninitialize();
            OutputDebugStringA("ofnotify: exit: COM uninitialized\n");
        }
    }
    if (mutex) {
        ReleaseMutex(mutex);
        CloseHandle(mutex);
    }
done:
    LocalFree(argv);
    return rc;
}
