/* ofnotify fuzzing: the store fuzzers' shared checks. See fuzzstore.h. */
#include "fuzzstore.h"

#include <string.h>

#include "fuzzcheck.h"

memfs *fz_fs_with(const char *path, const uint8_t *data, size_t size)
{
    memfs *m = memfs_new();
    FZ_CHECK(m != NULL);
    FZ_CHECK(memfs_put(m, path, data, size) == 0);
    return m;
}

static int file_is(const memfs *m, const char *path, const uint8_t *want, size_t len)
{
    size_t got_len = 0;
    const unsigned char *got = memfs_get(m, path, &got_len);
    return got != NULL && got_len == len && (len == 0 || memcmp(got, want, len) == 0);
}

int fz_check_opened(const memfs *m, const char *path, const uint8_t *data, size_t size, of_history_err err,
                    int opened, const fz_kept *k)
{
    if (err == OF_HISTORY_E_NEWER_VERSION) {
        FZ_CHECK(!opened && memfs_file_count(m) == 1 && file_is(m, path, data, size));
        return 0;
    }
    FZ_CHECK(err == OF_HISTORY_OK && opened);
    FZ_CHECK(memfs_open_handles(m) <= 1);
    FZ_CHECK(!(k->cut_kept && k->moved_aside));
    if (k->moved_aside) {
        FZ_CHECK(file_is(m, k->moved_to, data, size));
    } else if (k->cut_kept) {
        size_t cut_len = 0;
        FZ_CHECK(memfs_get(m, k->cut_to, &cut_len) != NULL && cut_len <= size);
        FZ_CHECK(file_is(m, k->cut_to, data + size - cut_len, cut_len));
        FZ_CHECK(file_is(m, path, data, size - cut_len));
        FZ_CHECK(k->dropped_bytes == cut_len);
    } else {
        FZ_CHECK(file_is(m, path, data, size));
        FZ_CHECK(k->dropped_bytes == 0);
    }
    return 1;
}
