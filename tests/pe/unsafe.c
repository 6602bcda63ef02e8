/* ofnotify tests: a Windows program built without the hardening (see check),
 * for pecheck to refuse: no ASLR, DEP or high-entropy flags, a writable and
 * executable section, and an import from a DLL that is not Windows'. */
__asm__(".section .wx,\"dwx\"\n"
        ".byte 0xc3\n"
        ".text\n");

int unsafe_dll_value(void);

int main(void)
{
    return unsafe_dll_value();
}
