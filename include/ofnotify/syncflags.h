/* ofnotify: what a dwSyncControlFlags value means.
 *
 * BackgroundSyncBegin/End carry only this DWORD, so it is all ofnotify knows
 * about a pass. This module turns it into a direction (the one fact people
 * care about), into a stable text form for exports and logs, and back from
 * that text (scenario scripts, command line). Pure functions; any 32-bit value
 * is accepted, because the service may send bits that no header names yet. */
#ifndef OFNOTIFY_SYNCFLAGS_H
#define OFNOTIFY_SYNCFLAGS_H

#include <stddef.h>
#include <stdint.h>

/* OFFLINEFILES_SYNC_CONTROL_* values (reference sheet §3). MinGW's headers
 * lack them, and core must not include Windows headers anyway. */
#define OF_SYNC_FLAG_FILLSPARSE        0x00000001u
#define OF_SYNC_FLAG_SYNCIN            0x00000002u
#define OF_SYNC_FLAG_SYNCOUT           0x00000004u
#define OF_SYNC_FLAG_PINNEWFILES       0x00000008u
#define OF_SYNC_FLAG_PINLINKTARGETS    0x00000010u
#define OF_SYNC_FLAG_PINFORUSER        0x00000020u
#define OF_SYNC_FLAG_PINFORUSER_POLICY 0x00000040u
#define OF_SYNC_FLAG_PINFORALL         0x00000080u
#define OF_SYNC_FLAG_PINFORREDIR       0x00000100u
#define OF_SYNC_FLAG_LOWPRIORITY       0x00000200u
#define OF_SYNC_FLAG_ASYNCPROGRESS     0x00000400u
#define OF_SYNC_FLAG_INTERACTIVE       0x00000800u
#define OF_SYNC_FLAG_CONSOLE           0x00001000u
#define OF_SYNC_FLAG_SKIPSUSPENDEDDIRS 0x00002000u
#define OF_SYNC_FLAG_BACKGROUND        0x00010000u
#define OF_SYNC_FLAG_NONEWFILESOUT     0x00020000u

/* The conflict rule is a 4-bit field, not bits: KEEPLATEST is 3, which is
 * KEEPLOCAL|KEEPREMOTE bitwise. Compare (flags & OF_SYNC_CR_MASK) == value. */
#define OF_SYNC_CR_MASK                0xF0000000u
#define OF_SYNC_CR_DEFAULT             0x00000000u
#define OF_SYNC_CR_KEEPLOCAL           0x10000000u
#define OF_SYNC_CR_KEEPREMOTE          0x20000000u
#define OF_SYNC_CR_KEEPLATEST          0x30000000u

/* OFFLINEFILES_SYNC_CONTROL_FLAGS: every bit the SDK defines. */
#define OF_SYNC_VALID_FLAGS            0x30033FFFu

/* Direction of a pass. The numeric values are stored nowhere (exports use
 * the words below), but keep them stable anyway: the app indexes tables. */
typedef enum of_direction {
    OF_DIR_UNSPECIFIED = 0, /* no SYNCIN, SYNCOUT or FILLSPARSE */
    OF_DIR_TWO_WAY,         /* SYNCIN and SYNCOUT */
    OF_DIR_TO_SERVER,       /* SYNCOUT without SYNCIN (FILLSPARSE may be set) */
    OF_DIR_FROM_SERVER,     /* SYNCIN without SYNCOUT */
    OF_DIR_FILL_SPARSE,     /* FILLSPARSE only: completing local copies */
    OF_DIR_COUNT
} of_direction;

/* The direction table of reference §3. The CR field and all modifier bits
 * (PIN*, BACKGROUND, ...) are ignored; unknown bits are ignored too. */
of_direction of_syncflags_direction(uint32_t flags);

/* Stable machine word for JSON/CSV/scripts: "two-way", "to-server",
 * "from-server", "fill-sparse", "unspecified". Out of range gives
 * "unspecified". Never NULL. Not for people: format.h has the labels. */
const char *of_direction_word(of_direction d);

/* Inverse of of_direction_word, exact and case-sensitive.
 * Returns 0 and sets *out, or -1 (NULL/unknown word; *out untouched). */
int of_direction_from_word(const char *w, of_direction *out);

/* Name of one flag bit or of one CR field value, without the
 * OFFLINEFILES_SYNC_CONTROL_ prefix: 0x2 -> "FLAG_SYNCIN",
 * 0x30000000 -> "CR_KEEPLATEST", 0 -> "CR_DEFAULT". NULL for anything else
 * (several bits, unknown bits, CR values 4..15). */
const char *of_syncflags_name(uint32_t value);

/* The bits of flags that no name covers: undefined bits, plus the whole CR
 * field when it holds an unknown rule (4..15). These are what describe shows
 * as the hex term. */
uint32_t of_syncflags_unknown(uint32_t flags);

/* Text form: names in bit order joined by '|', then the CR rule (CR_DEFAULT
 * is not printed), then one hex term "0x%08X" for of_syncflags_unknown().
 * flags == 0 gives "0". Example: 0x30010003 ->
 * "FLAG_FILLSPARSE|FLAG_SYNCIN|FLAG_BACKGROUND|CR_KEEPLATEST".
 * Like snprintf: returns the length the whole text needs (without NUL),
 * writes at most cap bytes including the NUL, always NUL-terminates when
 * cap > 0; truncated when the result >= cap. buf may be NULL when cap == 0.
 * The text never exceeds OF_SYNCFLAGS_TEXT_MAX bytes without the NUL. */
size_t of_syncflags_describe(uint32_t flags, char *buf, size_t cap);

/* Longest possible describe() text: all 16 names, a CR name, a hex term. */
#define OF_SYNCFLAGS_TEXT_MAX 320

/* Parse what describe() writes, and what people type in scenario scripts:
 *   - a number: "0x" or "0X" and 1+ hex digits, or decimal digits;
 *   - names with or without the OFFLINEFILES_SYNC_CONTROL_ prefix
 *     (case-sensitive), including CR_DEFAULT;
 *   - any mix of the two joined by '|', with spaces/tabs around terms.
 * Terms are OR-ed. At most one CR_* name, and a CR_* name may not be
 * combined with a number that sets CR bits (the rule would be ambiguous).
 * Returns 0 and sets *out; -1 on NULL, empty text, an empty term, an unknown
 * name, a bad or > 32-bit number, or a CR conflict (*out untouched).
 * parse(describe(x)) == x for every 32-bit x. */
int of_syncflags_parse(const char *text, uint32_t *out);

#endif
