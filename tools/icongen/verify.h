/* icongen --verify: re-reads the .ico files and preview.png in a folder and checks headers, sizes,
 * offsets, and decodes every PNG in them. */
#ifndef ICONGEN_VERIFY_H
#define ICONGEN_VERIFY_H

/* 0 when every file is sound (and says so on stdout); 1 after reporting each fault on stderr. */
int verify_all(const char *dir);

#endif
