/* ofnotify: the entry point. */
#include <windows.h>

int WINAPI wWinMain(HINSTANCE instance, HINSTANCE prev, PWSTR cmdline, int show)
{
    (void)instance, (void)prev, (void)cmdline, (void)show;
    return 0;
}
