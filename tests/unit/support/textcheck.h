/* ofnotify tests: checks shared by the tests of core's text (format.h) and
 * export (export.h) formats, which follow the same output convention. */
#ifndef OFNOTIFY_TEST_TEXTCHECK_H
#define OFNOTIFY_TEST_TEXTCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "ofnotify/record.h"

/* 1 if s is valid UTF-8 (checked independently of core's decoder). */
int of_test_utf8_ok(const char *s);

/* One formatting call under test, with the output convention of format.h. */
typedef size_t (*of_test_fmt_fn)(const void *ctx, char *buf, size_t cap);

/* For every cap 0..len+1: the same return value, NUL-terminated, a prefix of
 * the full text cut at a character boundary (at most 3 bytes short), and
 * nothing written at or past cap. Fails the running test otherwise. */
void of_test_check_truncation(of_test_fmt_fn fn, const void *ctx);

/* Record #7 with these fields, completed at 2026-11-24T13:02:05.123Z and
 * started duration_ms before; an unpaired record has no start and no
 * duration, as the store keeps it. */
of_record of_test_record(uint8_t status, uint8_t reason, uint32_t flags, uint64_t duration_ms);

#endif
