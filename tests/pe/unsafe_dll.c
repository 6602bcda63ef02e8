/* ofnotify tests: the DLL unsafe.c imports, which no Windows ships. */
int unsafe_dll_value(void);

__declspec(dllexport) int unsafe_dll_value(void)
{
    return 0;
}
