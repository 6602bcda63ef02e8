/* ofnotify: the key on ofnotify's own posted messages. See postkey.h. */
#include "postkey.h"

#include <ntsecapi.h>

/* The key takes the upper 32 bits of wParam: ofnotify is built for 64-bit
 * Windows only. */
_Static_assert(sizeof(WPARAM) >= 8, "wParam must hold a key and a payload");

static INIT_ONCE key_once = INIT_ONCE_STATIC_INIT;
static DWORD key;

static BOOL CALLBACK make_key(PINIT_ONCE once, PVOID param, PVOID *context)
{
    LARGE_INTEGER now;
    (void)once, (void)param, (void)context;
    if (!RtlGenRandom(&key, sizeof(key))) {
        /* Not secret then, but still unknown to a program that has not read
         * this process's memory or guessed its start to the tick. */
        QueryPerformanceCounter(&now);
        key = (DWORD)now.QuadPart ^ GetCurrentProcessId() * 2654435761u ^ (DWORD)(ULONG_PTR)&now;
    }
    key |= 1u; /* never 0, so no plain wParam below 2^32 carries it */
    return TRUE;
}

static DWORD the_key(void)
{
    InitOnceExecuteOnce(&key_once, make_key, NULL, NULL);
    return key;
}

WPARAM postkey_wrap(DWORD payload)
{
    return (WPARAM)the_key() << 32 | payload;
}

BOOL postkey_unwrap(WPARAM wp, DWORD *payload)
{
    if ((DWORD)(wp >> 32) != the_key())
        return FALSE;
    *payload = (DWORD)wp;
    return TRUE;
}
