/* filelock: holds a file open with no sharing at all, as another program
 * that locks it would, until a stop file appears (at most 300 s). For
 * tests/e2e/store-faults.
 *
 *   filelock FILE STOPFILE     prints "locked" once the handle is held;
 *                              exit code 0, or 1 if FILE cannot be opened */
#include <stdio.h>
#include <windows.h>

int wmain(int argc, WCHAR **argv)
{
    HANDLE f;
    if (argc != 3) {
        fprintf(stderr, "usage: filelock FILE STOPFILE\n");
        return 2;
    }
    f = CreateFileW(argv[1], GENERIC_READ | GENERIC_WRITE, 0, NULL, OPEN_EXISTING, FILE_ATTRIBUTE_NORMAL, NULL);
    if (f == INVALID_HANDLE_VALUE) {
        fprintf(stderr, "filelock: cannot open the file (error %lu)\n", (unsigned long)GetLastError());
        return 1;
    }
    printf("locked\n");
    fflush(stdout);
    for (int i = 0; i < 3000 && GetFileAttributesW(argv[2]) == INVALID_FILE_ATTRIBUTES; i++)
        Sleep(100);
    CloseHandle(f);
    return 0;
}
