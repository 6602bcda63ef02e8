/* Test support: the process heap in use (heapuse.h). */
#include <windows.h>
#include <string.h>

#include "support/heapuse.h"

heap_use heap_in_use(void)
{
    HANDLE heap = GetProcessHeap();
    PROCESS_HEAP_ENTRY e;
    heap_use u = {0, 0};
    memset(&e, 0, sizeof(e));
    HeapLock(heap);
    while (HeapWalk(heap, &e)) {
        if (e.wFlags & PROCESS_HEAP_ENTRY_BUSY) {
            u.bytes += e.cbData;
            u.blocks++;
        }
    }
    HeapUnlock(heap);
    return u;
}
