/* ofnotify tests: the English string table for core/format.
 *
 * The texts the app's English STRINGTABLE is meant to hold, so tests can
 * check real sentences. Shared by every unit test that formats text. */
#ifndef OFNOTIFY_TEST_STRINGS_EN_H
#define OFNOTIFY_TEST_STRINGS_EN_H

#include "ofnotify/format.h"

/* A table whose get() returns the English template for each id (NULL for
 * ids out of range). ctx is unused. */
of_strings of_test_strings_en(void);

/* The English template for id, or NULL. */
const char *of_test_strings_en_get(void *ctx, of_text_id id);

#endif
