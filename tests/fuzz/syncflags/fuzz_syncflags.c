/* ofnotify fuzzing: the dwSyncControlFlags text form (core/syncflags).
 *
 * The input is parsed as flags text (as scenario scripts and the command
 * line give it); whatever parses must describe and parse back to the same
 * value. The first four bytes are also taken as a flags value: describe,
 * the direction and its word, and the names must all read back. */
#include "fuzzcheck.h"

#include <stdlib.h>
#include <string.h>

#include "ofnotify/syncflags.h"

static uint32_t describe_value;

static size_t describe(const void *ctx, char *buf, size_t cap)
{
    (void)ctx;
    return of_syncflags_describe(describe_value, buf, cap);
}

/* describe(x), its convention and parse(describe(x)) == x. */
static void round_trip(uint32_t x)
{
    describe_value = x;
    char *text = fz_check_text(describe, NULL, 1);
    FZ_CHECK(strlen(text) >= 1 && strlen(text) <= OF_SYNCFLAGS_TEXT_MAX);
    uint32_t back = ~x;
    FZ_CHECK(of_syncflags_parse(text, &back) == 0);
    FZ_CHECK(back == x);
    free(text);
}

static void value_checks(uint32_t x)
{
    round_trip(x);

    uint32_t unknown = of_syncflags_unknown(x);
    FZ_CHECK((unknown & ~x) == 0);
    FZ_CHECK((unknown & OF_SYNC_VALID_FLAGS & ~OF_SYNC_CR_MASK) == 0);

    of_direction d = of_syncflags_direction(x);
    FZ_CHECK((unsigned)d < (unsigned)OF_DIR_COUNT);
    /* Only SYNCIN, SYNCOUT and FILLSPARSE decide the direction. */
    FZ_CHECK(of_syncflags_direction(x & 0x7u) == d);
    of_direction back = OF_DIR_COUNT;
    FZ_CHECK(of_direction_from_word(of_direction_word(d), &back) == 0 && back == d);

    const char *name = of_syncflags_name(x);
    if (name != NULL) {
        uint32_t v = ~x;
        FZ_CHECK(of_syncflags_parse(name, &v) == 0 && v == x);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_input in = fz_input_make(data, size);
    if (size >= 4)
        value_checks(fz_u32(&in));

    char *text = fz_rest(&(fz_input){data, size});
    uint32_t v = 0xDEADBEEFu;
    if (of_syncflags_parse(text, &v) == 0)
        round_trip(v);
    else
        FZ_CHECK(v == 0xDEADBEEFu); /* untouched on failure */

    of_direction d = OF_DIR_COUNT;
    if (of_direction_from_word(text, &d) == 0)
        FZ_CHECK(strcmp(of_direction_word(d), text) == 0);
    else
        FZ_CHECK(d == OF_DIR_COUNT);
    free(text);
    return 0;
}
