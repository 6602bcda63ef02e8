/* ofnotify tests: the hardening of a Windows program, read from its PE
 * headers (a host tool; portable C, no Windows headers).
 *
 *   pecheck FILE.exe
 *
 * Checks, one line each ("ok NAME" or "FAIL NAME: why"):
 *   dynamicbase      IMAGE_DLLCHARACTERISTICS_DYNAMIC_BASE (ASLR) and the
 *                    relocations it needs kept
 *   nxcompat         IMAGE_DLLCHARACTERISTICS_NX_COMPAT (DEP)
 *   high-entropy-va  IMAGE_DLLCHARACTERISTICS_HIGH_ENTROPY_VA (64-bit images)
 *   no-wx-section    no section both writable and executable
 *   system-imports   every imported DLL, delay-loaded ones too, is a Windows
 *                    system DLL of the allow-list below
 * Exits 0 when every check passed, 1 when one failed, 2 when the file is not
 * a PE image it can read. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DLLCHAR_HIGH_ENTROPY_VA 0x0020u
#define DLLCHAR_DYNAMIC_BASE 0x0040u
#define DLLCHAR_NX_COMPAT 0x0100u
#define FILE_RELOCS_STRIPPED 0x0001u
#define SCN_MEM_EXECUTE 0x20000000u
#define SCN_MEM_WRITE 0x80000000u
#define MAGIC_PE32 0x10bu
#define MAGIC_PE32_PLUS 0x20bu
#define DIR_IMPORT 1
#define DIR_BASERELOC 5
#define DIR_DELAY_IMPORT 13

/* DLLs that ship with Windows in System32 (and are not redistributable
 * runtimes). The program may import these and nothing else. */
static const char *const system_dlls[] = {
    "advapi32.dll", "bcrypt.dll",   "comctl32.dll", "comdlg32.dll", "crypt32.dll",  "dwmapi.dll",
    "gdi32.dll",    "kernel32.dll", "msvcrt.dll",   "ntdll.dll",    "ole32.dll",    "oleaut32.dll",
    "rpcrt4.dll",   "shcore.dll",   "shell32.dll",  "shlwapi.dll",  "user32.dll",   "userenv.dll",
    "uxtheme.dll",  "version.dll",  "wevtapi.dll",  "ws2_32.dll",   "wtsapi32.dll",
};

typedef struct image {
    const uint8_t *p;
    size_t size;
    size_t sections; /* offset of the first section header */
    unsigned nsections;
} image;

static int failed;

static void result(int ok, const char *name, const char *why)
{
    if (ok) {
        printf("ok %s\n", name);
    } else {
        printf("FAIL %s: %s\n", name, why);
        failed = 1;
    }
}

static int has(const image *im, size_t off, size_t n)
{
    return off <= im->size && n <= im->size - off;
}

static uint32_t u16(const image *im, size_t off)
{
    return has(im, off, 2) ? (uint32_t)im->p[off] | (uint32_t)im->p[off + 1] << 8 : 0;
}

static uint32_t u32(const image *im, size_t off)
{
    return has(im, off, 4) ? u16(im, off) | u16(im, off + 2) << 16 : 0;
}

/* The file offset of an RVA, or 0 when no section holds it. */
static size_t file_offset(const image *im, uint32_t rva)
{
    for (unsigned i = 0; i < im->nsections; i++) {
        size_t h = im->sections + 40u * i;
        uint32_t va = u32(im, h + 12), raw_size = u32(im, h + 16), raw = u32(im, h + 20);
        if (rva >= va && rva - va < raw_size)
            return (size_t)raw + (rva - va);
    }
    return 0;
}

/* The NUL-terminated name at an RVA, lower-cased into out; 0 if unreadable. */
static int name_at(const image *im, uint32_t rva, char *out, size_t cap)
{
    size_t off = file_offset(im, rva), n = 0;
    if (!off)
        return 0;
    while (has(im, off + n, 1) && im->p[off + n] && n + 1 < cap) {
        out[n] = (char)tolower(im->p[off + n]);
        n++;
    }
    out[n] = 0;
    return n > 0 && has(im, off + n, 1) && im->p[off + n] == 0;
}

static int allowed(const char *dll)
{
    for (size_t i = 0; i < sizeof system_dlls / sizeof system_dlls[0]; i++)
        if (!strcmp(dll, system_dlls[i]))
            return 1;
    return 0;
}

/* Walks one import table (entry_size bytes per DLL, the name's RVA at
 * name_field), adding every DLL not allowed to bad. Returns the DLL count,
 * or -1 when the table cannot be read. */
static int walk_imports(const image *im, uint32_t rva, size_t entry_size, size_t name_field, char *bad,
                        size_t bad_cap)
{
    size_t off = rva ? file_offset(im, rva) : 0;
    int count = 0;
    if (!rva)
        return 0;
    if (!off)
        return -1;
    for (;; off += entry_size) {
        char dll[260];
        uint32_t name_rva;
        if (!has(im, off, entry_size))
            return -1;
        name_rva = u32(im, off + name_field);
        if (!name_rva)
            return count;
        if (!name_at(im, name_rva, dll, sizeof dll))
            return -1;
        printf("  imports %s\n", dll);
        count++;
        if (!allowed(dll) && strlen(bad) + strlen(dll) + 2 < bad_cap) {
            strcat(bad, " ");
            strcat(bad, dll);
        }
    }
}

static int check(const image *im)
{
    size_t pe, opt;
    uint32_t magic, dllchar, coffchar, ndirs, dirs;
    char why[512];

    pe = u32(im, 0x3c);
    if (u16(im, 0) != 0x5a4d || !has(im, pe, 24) || memcmp(im->p + pe, "PE\0\0", 4) != 0) {
        fprintf(stderr, "pecheck: not a PE image\n");
        return 2;
    }
    coffchar = u16(im, pe + 22);
    opt = pe + 24;
    magic = u16(im, opt);
    if (magic != MAGIC_PE32 && magic != MAGIC_PE32_PLUS) {
        fprintf(stderr, "pecheck: unknown optional header 0x%x\n", (unsigned)magic);
        return 2;
    }
    im = &(image){im->p, im->size, opt + u16(im, pe + 20), u16(im, pe + 6)};
    if (!has(im, im->sections, 40u * im->nsections)) {
        fprintf(stderr, "pecheck: section table cut short\n");
        return 2;
    }
    dllchar = u16(im, opt + 70);
    ndirs = u32(im, opt + (magic == MAGIC_PE32_PLUS ? 108 : 92));
    dirs = (uint32_t)opt + (magic == MAGIC_PE32_PLUS ? 112 : 96);

    result((dllchar & DLLCHAR_DYNAMIC_BASE) && !(coffchar & FILE_RELOCS_STRIPPED) && ndirs > DIR_BASERELOC &&
               u32(im, dirs + 8 * DIR_BASERELOC + 4) != 0,
           "dynamicbase",
           !(dllchar & DLLCHAR_DYNAMIC_BASE) ? "DYNAMIC_BASE is not set" : "the relocations were stripped");
    result(dllchar & DLLCHAR_NX_COMPAT, "nxcompat", "NX_COMPAT is not set");
    if (magic == MAGIC_PE32_PLUS)
        result(dllchar & DLLCHAR_HIGH_ENTROPY_VA, "high-entropy-va", "HIGH_ENTROPY_VA is not set");

    why[0] = 0;
    for (unsigned i = 0; i < im->nsections; i++) {
        size_t h = im->sections + 40u * i;
        uint32_t flags = u32(im, h + 36);
        if ((flags & SCN_MEM_WRITE) && (flags & SCN_MEM_EXECUTE) && strlen(why) + 12 < sizeof why) {
            strcat(why, " ");
            strncat(why, (const char *)im->p + h, 8);
        }
    }
    if (why[0]) {
        char msg[600];
        snprintf(msg, sizeof msg, "writable and executable:%s", why);
        result(0, "no-wx-section", msg);
    } else {
        result(1, "no-wx-section", NULL);
    }

    why[0] = 0;
    {
        int n = ndirs > DIR_IMPORT ? walk_imports(im, u32(im, dirs + 8 * DIR_IMPORT), 20, 12, why, sizeof why) : 0;
        int d = ndirs > DIR_DELAY_IMPORT && n >= 0
                    ? walk_imports(im, u32(im, dirs + 8 * DIR_DELAY_IMPORT), 32, 4, why, sizeof why)
                    : 0;
        if (n < 0 || d < 0) {
            result(0, "system-imports", "the import table cannot be read");
        } else if (why[0]) {
            char msg[600];
            snprintf(msg, sizeof msg, "not a Windows system DLL:%s", why);
            result(0, "system-imports", msg);
        } else {
            result(n > 0, "system-imports", "no imports found");
        }
    }
    return failed;
}

int main(int argc, char **argv)
{
    FILE *f;
    uint8_t *data;
    long size;
    int rc;

    if (argc != 2) {
        fprintf(stderr, "usage: pecheck FILE.exe\n");
        return 2;
    }
    f = fopen(argv[1], "rb");
    if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET) != 0) {
        fprintf(stderr, "pecheck: cannot read %s\n", argv[1]);
        return 2;
    }
    data = malloc((size_t)size);
    if (!data || fread(data, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "pecheck: cannot read %s\n", argv[1]);
        return 2;
    }
    fclose(f);
    rc = check(&(image){data, (size_t)size, 0, 0});
    free(data);
    return rc;
}
