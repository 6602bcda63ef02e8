/* ofnotify tests: what the tests of core/history share: an encoder of the
 * documented file format written independently of core's, the test records,
 * and short ways to open, fill and inspect a history in a memfs. */
#ifndef OFNOTIFY_TEST_HISTTEST_H
#define OFNOTIFY_TEST_HISTTEST_H

#include <stddef.h>
#include <stdint.h>

#include "ofnotify/history.h"
#include "support/memfs.h"

#define PATH "h.dat"
#define TMP_PATH "h.dat.tmp"
#define NOW INT64_C(1700000000000)
#define DAY INT64_C(86400000)
#define HDR OF_HISTORY_HEADER_SIZE
#define FRAME OF_HISTORY_FRAME_SIZE
#define MINOR OF_HISTORY_FORMAT_MINOR

void le(unsigned char *p, uint64_t v, int n);
/* A header of hlen bytes (extra fields zero) with a correct CRC. */
size_t t_header(unsigned char *p, uint16_t major, uint16_t minor, uint32_t hlen, uint64_t next_seq);
/* A frame whose payload has extra unknown bytes after the 1.0 fields. */
size_t t_frame(unsigned char *p, const of_record *r, size_t extra);
/* Record i of the test data; every field differs from record to record. */
of_record rec_of(uint64_t i);
/* got is rec_of(seq) numbered seq. */
void assert_rec(const of_record *got, uint64_t seq);
/* The store holds exactly the records with these seqs, in order. */
void assert_seqs(const of_history *h, uint64_t first, size_t n);
/* The store holds n records numbered first.. (contents not checked). */
void assert_seq_range(const of_history *h, uint64_t first, size_t n);
/* A file image holding records first..first+n-1. Caller frees. */
unsigned char *t_image(uint64_t first, size_t n, size_t *len);
/* The image as opening it for writing leaves it when it is in an older
 * minor: migrated, the same frames under a header of this version (a
 * t_image header, HDR bytes). Changes img in place. */
void t_migrated(unsigned char *img);
of_history *open_w(memfs *m, of_history_report *rep);
of_history *open_ro(memfs *m, of_history_report *rep);
void append_ok(of_history *h, uint64_t expect_seq);
/* A memfs with a history of n records written by the store itself. */
memfs *fs_with(size_t n);
/* Copy of a file's bytes (memfs pointers change with the file). Caller frees. */
unsigned char *snapshot(const memfs *m, const char *path, size_t *len);
void assert_file_is(const memfs *m, const char *path, const unsigned char *want, size_t len);
/* The file was moved aside unchanged to PATH.corrupt-<NOW><suffix> and a
 * clean history took its place. */
void assert_quarantined(memfs *m, const of_history_report *rep, const unsigned char *orig, size_t orig_len,
                        const char *suffix);
/* PATH + ".corrupt-<NOW>" + suffix, and PATH + ".cut-<NOW>" + suffix. */
void corrupt_name(char *buf, size_t cap, const char *suffix);
void cut_name(char *buf, size_t cap, const char *suffix);

#endif
