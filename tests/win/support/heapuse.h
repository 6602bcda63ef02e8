/* Test support: what is allocated on the process heap, where the app's COM
 * objects and event copies live. Equal before and after means nothing of
 * what ran in between was left allocated. */
#ifndef OFNOTIFY_TEST_HEAPUSE_H
#define OFNOTIFY_TEST_HEAPUSE_H

#include <windows.h>

typedef struct heap_use {
    SIZE_T bytes;
    SIZE_T blocks;
} heap_use;

heap_use heap_in_use(void);

/* For tests (cmocka.h included first): the same bytes in the same blocks. */
#define assert_heap_equal(a, b)                   \
    do {                                          \
        assert_int_equal((a).bytes, (b).bytes);   \
        assert_int_equal((a).blocks, (b).blocks); \
    } while (0)

#endif
