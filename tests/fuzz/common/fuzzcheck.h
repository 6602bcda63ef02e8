/* ofnotify fuzzing: what every harness in tests/fuzz shares.
 *
 * A harness turns one input into calls of the code under test and checks
 * invariants with FZ_CHECK, which reports the broken one and aborts, so
 * libFuzzer keeps the input. The checks here are written independently of
 * core (UTF-8, ISO 8601 times) so that they can catch core's own mistakes. */
#ifndef OFNOTIFY_FUZZCHECK_H
#define OFNOTIFY_FUZZCHECK_H

#include <stddef.h>
#include <stdint.h>

/* libFuzzer calls this once per input. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

void fz_fail(const char *file, int line, const char *what);
#define FZ_CHECK(cond)                                  \
    do {                                                \
        if (!(cond))                                    \
            fz_fail(__FILE__, __LINE__, #cond);         \
    } while (0)

/* The input, taken from the front: numbers for choices and fields, then
 * text. Past the end every number is 0 and every text is empty. */
typedef struct fz_input {
    const uint8_t *p;
    size_t left;
} fz_input;

fz_input fz_input_make(const uint8_t *data, size_t size);
uint8_t fz_u8(fz_input *in);
uint32_t fz_u32(fz_input *in);
uint64_t fz_u64(fz_input *in);
/* The next line (up to '\n' or the end; the '\n' is consumed), as a new
 * NUL-terminated string cut at its first NUL byte; never NULL. */
char *fz_line(fz_input *in);
/* Everything left, NUL-terminated and cut at its first NUL; never NULL. */
char *fz_rest(fz_input *in);

/* 1 if s is well-formed UTF-8 (Unicode table 3-7). */
int fz_utf8_ok(const char *s);

/* s with each ill-formed sequence (a maximal subpart, as Unicode
 * recommends) replaced by one U+FFFD. A new string; never NULL. */
char *fz_utf8_repair(const char *s);

/* A text function that follows the output convention of format.h. */
typedef size_t (*fz_text_fn)(const void *ctx, char *buf, size_t cap);

/* Checks the convention for fn: the same length for every cap and for a
 * NULL buffer, NUL-terminated, valid UTF-8 (when utf8 is set), a prefix of
 * the whole text cut at a character boundary at most 3 bytes short of the
 * cap, no byte written at or past cap. Checks every cap when the text is
 * short, a sample otherwise. Returns the whole text (free it). */
char *fz_check_text(fz_text_fn fn, const void *ctx, int utf8);

/* "YYYY-MM-DDTHH:MM:SS.mmmZ" for unix_ms in 1601..9999 (else returns 0);
 * out must hold 25 bytes. */
int fz_iso8601(int64_t unix_ms, char out[25]);

#endif
