/* ofnotify fuzzing: the scenario-script parser (tests/e2e/src/scn.c).
 *
 * Each input line is parsed as a script line. A command must be in range,
 * print (scn_format) as a line that parses back to the same command, and
 * parse the same with a trailing CR or comment; an error must come with a
 * message that fits the caller's buffer. A line that is an HRESULT must
 * read back from its hex form. */
#include "fuzzcheck.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scn.h"

static int same_cmd(const scn_cmd *a, const scn_cmd *b)
{
    return a->op == b->op && a->value == b->value && a->ms == b->ms && strcmp(a->path, b->path) == 0;
}

/* Parses line with an error buffer of errcap bytes (and guard bytes past
 * it) and checks the error message's contract. */
static int parse(const char *line, scn_cmd *out, size_t errcap)
{
    char err[300];
    FZ_CHECK(errcap + 16 <= sizeof err);
    memset(err, 0x5A, sizeof err);
    int r = scn_parse_line(line, out, err, errcap);
    FZ_CHECK(r == -1 || r == 0 || r == 1);
    for (size_t i = errcap; i < sizeof err; i++)
        FZ_CHECK(err[i] == 0x5A);
    if (errcap > 0) {
        FZ_CHECK(memchr(err, '\0', errcap) != NULL);
        FZ_CHECK((r == -1 && errcap > 1) == (err[0] != '\0'));
    }
    return r;
}

static void check_cmd(const scn_cmd *c)
{
    FZ_CHECK((unsigned)c->op < SCN_OP_COUNT);
    FZ_CHECK(strcmp(scn_op_name(c->op), "?") != 0);
    FZ_CHECK(memchr(c->path, '\0', sizeof c->path) != NULL);
    FZ_CHECK(c->ms <= SCN_SLEEP_MAX_MS);
    FZ_CHECK(c->op == SCN_PASS || c->ms == 0);
    int has_path = c->op == SCN_FILERESULT || c->op == SCN_CONFLICT || c->op == SCN_ITEM_MODIFIED ||
                   c->op == SCN_ITEM_PINNED;
    FZ_CHECK(has_path == (c->path[0] != '\0'));
    if (c->op == SCN_SLEEP || c->op == SCN_SYNC_WAIT)
        FZ_CHECK(c->value <= SCN_SLEEP_MAX_MS);
    if (c->op == SCN_SYNC_SERVERS)
        FZ_CHECK(c->value <= SCN_SYNC_SERVERS_MAX);
    if (c->op == SCN_SYNC_FILES)
        FZ_CHECK(c->value <= SCN_SYNC_FILES_MAX);
    if (c->op == SCN_SYNC_DELAY)
        FZ_CHECK(c->value <= SCN_SYNC_DELAY_MAX_MS);

    /* The canonical text reads back to the same command. */
    char text[SCN_LINE_MAX + 64];
    size_t n = scn_format(c, text, sizeof text);
    FZ_CHECK(n < SCN_LINE_MAX && strlen(text) == n);
    scn_cmd back;
    FZ_CHECK(parse(text, &back, 64) == 1);
    FZ_CHECK(same_cmd(c, &back));

    /* Cut like snprintf. */
    char small[16];
    memset(small, 0x5A, sizeof small);
    FZ_CHECK(scn_format(c, small, 8) == n);
    FZ_CHECK(strlen(small) == (n < 8 ? n : 7) && memcmp(small, text, strlen(small)) == 0);
    FZ_CHECK(small[8] == 0x5A);
}

static void check_line(const char *line, size_t errcap)
{
    scn_cmd c, again;
    memset(&c, 0x5A, sizeof c);
    int r = parse(line, &c, errcap);
    if (r == 1)
        check_cmd(&c);

    size_t n = strlen(line);
    if (n + 4 > SCN_LINE_MAX || (n > 0 && line[n - 1] == '\r'))
        return;
    char *longer = malloc(n + 5);
    FZ_CHECK(longer != NULL);
    /* A CR at the end changes nothing. */
    memcpy(longer, line, n);
    memcpy(longer + n, "\r", 2);
    FZ_CHECK(parse(longer, &again, 100) == r);
    if (r == 1)
        FZ_CHECK(same_cmd(&c, &again));
    /* Nor does a comment after a blank. */
    memcpy(longer + n, " #x", 4);
    FZ_CHECK(parse(longer, &again, 100) == r);
    if (r == 1)
        FZ_CHECK(same_cmd(&c, &again));
    free(longer);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_input in = fz_input_make(data, size);
    size_t errcap = fz_u8(&in) % 200;
    while (in.left > 0) {
        char *line = fz_line(&in);
        check_line(line, errcap);

        uint32_t hr = 0x12345678u, back = 0;
        if (scn_parse_hresult(line, &hr) == 0) {
            char hex[16];
            snprintf(hex, sizeof hex, "0x%08" PRIX32, hr);
            FZ_CHECK(scn_parse_hresult(hex, &back) == 0 && back == hr);
        } else {
            FZ_CHECK(hr == 0x12345678u);
        }
        free(line);
    }
    return 0;
}
