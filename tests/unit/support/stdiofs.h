/* Test support: of_fs on real files through C stdio only, so the history
 * tests also run against a real file system natively and under Wine.
 *
 * Limits (it is a test tool, not the product's implementation):
 *   - sync is fflush: data reaches the OS, not necessarily the disk;
 *   - truncate rewrites the kept prefix through a fresh fopen("wb");
 *   - replace is rename(); where rename() refuses an existing target
 *     (Windows C runtimes) it removes the target first, which is not atomic;
 *   - rename_aside checks the target with fopen before renaming (racy);
 *   - no sharing rules are enforced. */
#ifndef OFNOTIFY_TEST_STDIOFS_H
#define OFNOTIFY_TEST_STDIOFS_H

#include "ofnotify/fs.h"

/* The table; ctx is unused. */
const of_fs *stdiofs_fs(void);

#endif
