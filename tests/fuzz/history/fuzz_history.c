/* ofnotify fuzzing: the history loader and its recovery (core/history).
 *
 * The input is the history file, put into the in-memory file system. It is
 * opened read-only (twice: whole reads and reads of a few bytes must find
 * the same), then for writing, which repairs it; a record is appended, the
 * history compacted, appended to again (when the numbers have run out:
 * renumbered first), closed and opened again, then cleared. After every step
 * the records must be in strictly increasing seq order, the reader and the
 * writer must agree (renumbered records and their original seqs included),
 * nothing the file held may be lost (a file moved aside keeps every byte, a
 * cut torn tail is kept in a file of its own), and what the writer left on
 * disk must open cleanly and hold exactly what it had in memory. What the
 * store loads must equal the model of histmodel.c, also with the input put
 * behind 60 to 64 KB of good records, where the store's reads cross the end
 * of its buffer. */
#include "fuzzcheck.h"

#include <stdlib.h>
#include <string.h>

#include "histframe.h"
#include "histmodel.h"
#include "ofnotify/crc32.h"
#include "ofnotify/history.h"
#include "support/memfs.h"

#define PATH "data/history.dat"
#define TMP_PATH PATH ".tmp"
#define NOW INT64_C(1800000000000) /* 2027-01-15 */
#define MS_PER_DAY INT64_C(86400000)

typedef struct snapshot {
    of_record *recs;
    uint64_t *orig_seqs; /* of_history_original_seq of each record, 0: never renumbered */
    size_t count;
    uint64_t next_seq;
} snapshot;

static void snapshot_free(snapshot *s)
{
    free(s->recs);
    free(s->orig_seqs);
}

static int same_record(const of_record *a, const of_record *b)
{
    return a->seq == b->seq && a->started_ms == b->started_ms && a->completed_ms == b->completed_ms &&
           a->duration_ms == b->duration_ms && a->flags == b->flags && a->begin_flags == b->begin_flags &&
           a->status == b->status && a->reason == b->reason && a->origin == b->origin;
}

/* The store's records and numbering, checked for order on the way. */
static snapshot take(const of_history *h)
{
    snapshot s = {NULL, NULL, of_history_count(h), of_history_next_seq(h)};
    s.recs = malloc((s.count ? s.count : 1) * sizeof *s.recs);
    s.orig_seqs = malloc((s.count ? s.count : 1) * sizeof *s.orig_seqs);
    FZ_CHECK(s.recs != NULL && s.orig_seqs != NULL);
    for (size_t i = 0; i < s.count; i++) {
        const of_record *r = of_history_get(h, i);
        FZ_CHECK(r != NULL);
        FZ_CHECK(r->seq >= 1);
        FZ_CHECK(i == 0 || r->seq > s.recs[i - 1].seq);
        s.recs[i] = *r;
        uint64_t orig = UINT64_MAX;
        if (of_history_original_seq(h, i, &orig)) {
            FZ_CHECK(orig != 0 && of_history_original_seq(h, i, NULL));
            s.orig_seqs[i] = orig;
        } else {
            FZ_CHECK(orig == UINT64_MAX);
            s.orig_seqs[i] = 0;
        }
    }
    FZ_CHECK(of_history_get(h, s.count) == NULL);
    FZ_CHECK(!of_history_original_seq(h, s.count, NULL));
    if (s.count > 0) {
        uint64_t last = s.recs[s.count - 1].seq;
        FZ_CHECK(last == UINT64_MAX ? s.next_seq == UINT64_MAX : s.next_seq > last);
    }
    FZ_CHECK(s.next_seq >= 1);
    return s;
}

static void check_same(const snapshot *a, const snapshot *b)
{
    FZ_CHECK(a->count == b->count);
    FZ_CHECK(a->next_seq == b->next_seq);
    for (size_t i = 0; i < a->count; i++)
        FZ_CHECK(same_record(&a->recs[i], &b->recs[i]) && a->orig_seqs[i] == b->orig_seqs[i]);
}

static int file_is(const memfs *m, const char *path, const uint8_t *data, size_t size)
{
    size_t len = 0;
    const unsigned char *d = memfs_get(m, path, &len);
    return d != NULL && len == size && (size == 0 || memcmp(d, data, size) == 0);
}

/* Opens read-only and returns the snapshot; the file must not change. */
static snapshot read_only(memfs *m, of_history_report *rep)
{
    size_t files = memfs_file_count(m), handles = memfs_open_handles(m), len = 0;
    const unsigned char *d = memfs_get(m, PATH, &len);
    unsigned char *before = malloc(len ? len : 1);
    FZ_CHECK(d != NULL && before != NULL);
    memcpy(before, d, len);

    of_history *h = NULL;
    FZ_CHECK(of_history_open(&h, memfs_fs(m), PATH, OF_HISTORY_READONLY, NOW, rep) == OF_HISTORY_OK);
    snapshot s = take(h);
    FZ_CHECK(rep->records == s.count);
    FZ_CHECK(!rep->no_file && !rep->moved_aside && !rep->torn_cut && !rep->cut_kept);
    FZ_CHECK(rep->renumbered <= s.count);
    of_record rec = {.completed_ms = NOW};
    FZ_CHECK(of_history_append(h, &rec) == OF_HISTORY_E_READONLY);
    FZ_CHECK(of_history_compact(h, 1, 0, NOW, NULL) == OF_HISTORY_E_READONLY);
    FZ_CHECK(of_history_clear(h) == OF_HISTORY_E_READONLY);
    FZ_CHECK(of_history_close(h) == OF_HISTORY_OK);

    FZ_CHECK(memfs_open_handles(m) == handles);
    FZ_CHECK(memfs_file_count(m) == files);
    FZ_CHECK(file_is(m, PATH, before, len));
    free(before);
    return s;
}

/* A newer format: neither reader nor writer may touch it. */
static void newer_version(memfs *m, const uint8_t *data, size_t size)
{
    of_history *h = (of_history *)1;
    of_history_report rep;
    FZ_CHECK(of_history_open(&h, memfs_fs(m), PATH, 0, NOW, &rep) == OF_HISTORY_E_NEWER_VERSION);
    FZ_CHECK(h == NULL);
    FZ_CHECK(rep.issue == OF_HISTORY_ISSUE_NEWER_VERSION && !rep.moved_aside && rep.records == 0);
    FZ_CHECK(rep.file_major > OF_HISTORY_FORMAT_MAJOR);
    FZ_CHECK(memfs_open_handles(m) == 0 && memfs_file_count(m) == 1);
    FZ_CHECK(file_is(m, PATH, data, size));
}

/* A file of an older minor opened for writing is migrated (history.h): a
 * whole new file with this version's header, promising want's next seq;
 * its records are checked by the reopen. */
static void check_migrated(const unsigned char *now, size_t len, const hist_model *want)
{
    of_histheader hd;
    FZ_CHECK(of_histframe_check_header(now, len, &hd) == OF_HEADER_OK);
    FZ_CHECK(hd.major == OF_HISTORY_FORMAT_MAJOR && hd.minor == OF_HISTORY_FORMAT_MINOR);
    FZ_CHECK(hd.next_seq == want->next_seq);
}

/* What a writer's open did to the file, by what it found (want: the model's
 * load of data). */
static void check_repair(const memfs *m, const of_history_report *rep, const uint8_t *data, size_t size,
                         const hist_model *want)
{
    size_t len = 0;
    const unsigned char *now = memfs_get(m, PATH, &len);
    FZ_CHECK(now != NULL);
    FZ_CHECK(!memfs_exists(m, TMP_PATH));
    FZ_CHECK(rep->renumbered == want->renumbered && rep->cut_seq == want->cut_seq);
    /* A header that verified says which minor the file was in. */
    int older = (rep->issue == OF_HISTORY_ISSUE_NONE || rep->issue == OF_HISTORY_ISSUE_TORN_TAIL) &&
                (data[10] | data[11] << 8) < OF_HISTORY_FORMAT_MINOR;
    FZ_CHECK(rep->migrated == older);
    switch (rep->issue) {
    case OF_HISTORY_ISSUE_NONE:
        FZ_CHECK(!rep->moved_aside && !rep->torn_cut && !rep->cut_kept && rep->dropped_bytes == 0);
        if (older)
            check_migrated(now, len, want);
        else
            FZ_CHECK(file_is(m, PATH, data, size));
        FZ_CHECK(memfs_file_count(m) == 1);
        break;
    case OF_HISTORY_ISSUE_TORN_TAIL:
        /* The unfinished end is kept in a file of its own, then cut: in
         * place, or, when it carried the next seq, by a rewrite whose header
         * promises the seq after it. */
        FZ_CHECK(rep->torn_cut && rep->cut_kept && !rep->cut_to_truncated && !rep->moved_aside);
        FZ_CHECK(strncmp(rep->cut_to, PATH ".cut-", strlen(PATH ".cut-")) == 0);
        FZ_CHECK(rep->dropped_bytes == size - want->good_end);
        FZ_CHECK(file_is(m, rep->cut_to, data + want->good_end, size - want->good_end));
        FZ_CHECK(memfs_file_count(m) == 2);
        if (older) {
            check_migrated(now, len, want);
        } else if (want->cut_seq == 0) {
            FZ_CHECK(len == want->good_end && memcmp(now, data, len) == 0);
        } else {
            of_histheader hd;
            FZ_CHECK(of_histframe_check_header(now, len, &hd) == OF_HEADER_OK);
            FZ_CHECK(hd.next_seq == want->next_seq && hd.next_seq > want->cut_seq);
        }
        break;
    case OF_HISTORY_ISSUE_NOT_HISTORY:
    case OF_HISTORY_ISSUE_BAD_HEADER:
    case OF_HISTORY_ISSUE_BAD_RECORDS:
        /* The damaged file is kept whole beside the new one. */
        FZ_CHECK(rep->moved_aside && !rep->moved_to_truncated && !rep->torn_cut && !rep->cut_kept);
        FZ_CHECK(strncmp(rep->moved_to, PATH ".corrupt-", strlen(PATH ".corrupt-")) == 0);
        FZ_CHECK(file_is(m, rep->moved_to, data, size));
        FZ_CHECK(memfs_file_count(m) == 2);
        if (rep->issue == OF_HISTORY_ISSUE_NOT_HISTORY)
            FZ_CHECK(rep->records == 0);
        break;
    default:
        FZ_CHECK(!"an issue a writer's open cannot end with");
    }
}

/* Reopens what is on disk, read-only and for writing: it must verify and
 * hold exactly what the store had in memory. */
static void check_reopen(memfs *m, const snapshot *want)
{
    of_history_report rep;
    snapshot ro = read_only(m, &rep);
    FZ_CHECK(rep.issue == OF_HISTORY_ISSUE_NONE && rep.dropped_bytes == 0);
    check_same(want, &ro);
    snapshot_free(&ro);

    of_history *h = NULL;
    FZ_CHECK(of_history_open(&h, memfs_fs(m), PATH, 0, NOW, &rep) == OF_HISTORY_OK);
    FZ_CHECK(rep.issue == OF_HISTORY_ISSUE_NONE && !rep.moved_aside && !rep.torn_cut);
    snapshot w = take(h);
    check_same(want, &w);
    snapshot_free(&w);
    FZ_CHECK(of_history_close(h) == OF_HISTORY_OK);
}

/* Appends one record; the store must number it and keep it, or say that the
 * numbers have run out and change nothing. */
static void append_one(of_history *h, int64_t completed_ms)
{
    snapshot before = take(h);
    of_record bad = {.completed_ms = completed_ms, .status = OF_STATUS_COUNT};
    FZ_CHECK(of_history_append(h, &bad) == OF_HISTORY_E_INVALID);

    of_record rec = {.seq = 7, .started_ms = completed_ms - 5000, .completed_ms = completed_ms, .duration_ms = 5000,
                     .flags = 0x00010006u, .begin_flags = 0x00010006u, .status = OF_STATUS_COMPLETED};
    of_history_err err = of_history_append(h, &rec);
    if (before.next_seq == UINT64_MAX) {
        FZ_CHECK(err == OF_HISTORY_E_SEQ_LIMIT);
        FZ_CHECK(rec.seq == 7);
        snapshot after = take(h);
        check_same(&before, &after);
        snapshot_free(&after);
    } else {
        FZ_CHECK(err == OF_HISTORY_OK);
        FZ_CHECK(rec.seq == before.next_seq);
        FZ_CHECK(of_history_count(h) == before.count + 1);
        FZ_CHECK(of_history_next_seq(h) == before.next_seq + 1);
        FZ_CHECK(same_record(of_history_get(h, before.count), &rec));
        FZ_CHECK(!of_history_original_seq(h, before.count, NULL));
    }
    snapshot t = take(h);
    snapshot_free(&t);
    snapshot_free(&before);
}

/* Numbers run out: renumbering gives 1, 2, 3 ... in order, each record
 * keeping its first seq (one renumbered before keeps its original), and
 * appending works again. */
static void renumber(of_history *h)
{
    snapshot before = take(h);
    FZ_CHECK(of_history_renumber(h) == OF_HISTORY_OK);
    snapshot after = take(h);
    FZ_CHECK(after.count == before.count && after.next_seq == (uint64_t)before.count + 1);
    for (size_t i = 0; i < before.count; i++) {
        of_record r = before.recs[i];
        r.seq = (uint64_t)i + 1;
        FZ_CHECK(same_record(&after.recs[i], &r));
        /* A record whose number stays the same is not renumbered. */
        uint64_t orig = before.orig_seqs[i] ? before.orig_seqs[i] : before.recs[i].seq != r.seq ? before.recs[i].seq : 0;
        FZ_CHECK(after.orig_seqs[i] == orig);
    }
    snapshot_free(&before);
    snapshot_free(&after);
}

/* Compacts with limits taken from the input and compares with the records
 * retention must keep: the newest max_count of those young enough. */
static void compact(of_history *h, memfs *m, uint64_t max_count, uint32_t days)
{
    snapshot before = take(h);
    int64_t cutoff = days ? NOW - (int64_t)days * MS_PER_DAY : INT64_MIN;
    size_t young = 0;
    for (size_t i = 0; i < before.count; i++)
        young += before.recs[i].completed_ms >= cutoff;
    size_t skip = max_count && young > max_count ? young - (size_t)max_count : 0;

    uint64_t removed = UINT64_MAX;
    FZ_CHECK(of_history_compact(h, max_count, days, NOW, &removed) == OF_HISTORY_OK);
    snapshot after = take(h);
    FZ_CHECK(after.next_seq == before.next_seq);
    FZ_CHECK(removed == before.count - after.count);
    size_t k = 0;
    for (size_t i = 0; i < before.count; i++) {
        if (before.recs[i].completed_ms < cutoff)
            continue;
        if (skip > 0) {
            skip--;
            continue;
        }
        FZ_CHECK(k < after.count && same_record(&before.recs[i], &after.recs[k]) &&
                 before.orig_seqs[i] == after.orig_seqs[k]);
        k++;
    }
    FZ_CHECK(k == after.count);
    FZ_CHECK(!memfs_exists(m, TMP_PATH));
    FZ_CHECK(memfs_open_handles(m) == 1);
    snapshot_free(&before);
    snapshot_free(&after);
}

/* The store's read-only load of data against the model. */
static void check_model(const uint8_t *data, size_t size, const snapshot *got, const of_history_report *rep)
{
    hist_model want;
    hist_model_load(data, size, &want);
    FZ_CHECK(rep->issue == want.issue);
    if (want.issue != OF_HISTORY_ISSUE_NEWER_VERSION) {
        FZ_CHECK(rep->dropped_bytes == want.dropped_bytes && rep->bad_regions == want.bad_regions);
        FZ_CHECK(rep->renumbered == want.renumbered && rep->cut_seq == want.cut_seq);
        snapshot w = {want.recs, want.orig_seqs, want.count, want.next_seq};
        check_same(&w, got);
    }
    hist_model_free(&want);
}

/* A good frame of seq with a payload of plen bytes (a newer minor's size:
 * the 1.0 fields, orig_seq 0, then padding the reader skips). */
static size_t long_frame(uint8_t *out, uint64_t seq, uint32_t plen)
{
    uint8_t f[OF_HISTFRAME_WRITE_MAX];
    of_record r = {.seq = seq, .started_ms = NOW - 1000, .completed_ms = NOW, .duration_ms = 1000,
                   .flags = 0x6u, .begin_flags = 0x6u};
    FZ_CHECK(of_histframe_encode(f, &r, 0) == OF_HISTORY_FRAME_SIZE);
    for (int i = 0; i < 4; i++)
        out[i] = (uint8_t)(plen >> (8 * i));
    memcpy(out + 4, f + 4, OF_HISTORY_PAYLOAD_SIZE);
    /* orig_seq 0 (never renumbered) where 1.1 has it, then a newer minor's bytes. */
    memset(out + 4 + OF_HISTORY_PAYLOAD_SIZE, 0, plen - OF_HISTORY_PAYLOAD_SIZE);
    if (plen > OF_HISTORY_RENUMBERED_PAYLOAD_SIZE)
        memset(out + 4 + OF_HISTORY_RENUMBERED_PAYLOAD_SIZE, 0x5A, plen - OF_HISTORY_RENUMBERED_PAYLOAD_SIZE);
    uint32_t crc = of_crc32(out, 4u + plen);
    for (int i = 0; i < 4; i++)
        out[4 + plen + i] = (uint8_t)(crc >> (8 * i));
    return 8u + plen;
}

/* The input behind a header and 60 to 64 KB of good records (seq 1 to 16),
 * so that it starts near the end of the store's first 64 KB read. */
static void check_after_64k(const uint8_t *data, size_t size)
{
    enum { BIG = 15 };
    static uint8_t *prefix;
    static size_t big_end;
    if (prefix == NULL) {
        prefix = malloc(OF_HISTORY_HEADER_SIZE + BIG * OF_HISTFRAME_MAX);
        FZ_CHECK(prefix != NULL);
        of_histframe_encode_header(prefix, 1);
        big_end = OF_HISTORY_HEADER_SIZE;
        for (int i = 0; i < BIG; i++)
            big_end += long_frame(prefix + big_end, (uint64_t)i + 1, OF_HISTORY_MAX_PAYLOAD);
    }
    uint8_t *file = malloc(big_end + OF_HISTFRAME_MAX + size);
    FZ_CHECK(file != NULL);
    memcpy(file, prefix, big_end);
    uint32_t plen = OF_HISTORY_PAYLOAD_SIZE + (uint32_t)(size * 7919u % 4055u);
    size_t len = big_end + long_frame(file + big_end, BIG + 1, plen);
    memcpy(file + len, data, size);
    len += size;

    memfs *m = memfs_new();
    FZ_CHECK(m != NULL && memfs_put(m, PATH, file, len) == 0);
    of_history_report rep;
    snapshot got = read_only(m, &rep);
    check_model(file, len, &got, &rep);
    snapshot_free(&got);
    memfs_free(m);
    free(file);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    memfs *m = memfs_new();
    FZ_CHECK(m != NULL);
    FZ_CHECK(memfs_put(m, PATH, data, size) == 0);

    /* Read-only first: it must take the file as it is. */
    of_history_report rrep;
    of_history *h = (of_history *)1;
    of_history_err err = of_history_open(&h, memfs_fs(m), PATH, OF_HISTORY_READONLY, NOW, &rrep);
    FZ_CHECK(err == OF_HISTORY_OK || err == OF_HISTORY_E_NEWER_VERSION);
    FZ_CHECK((err == OF_HISTORY_OK) == (h != NULL));
    FZ_CHECK((err == OF_HISTORY_E_NEWER_VERSION) == (rrep.issue == OF_HISTORY_ISSUE_NEWER_VERSION));
    FZ_CHECK(file_is(m, PATH, data, size));
    if (err != OF_HISTORY_OK) {
        check_model(data, size, NULL, &rrep);
        newer_version(m, data, size);
        memfs_free(m);
        return 0;
    }
    FZ_CHECK(of_history_close(h) == OF_HISTORY_OK);
    snapshot ro = read_only(m, &rrep);
    check_model(data, size, &ro, &rrep);
    check_after_64k(data, size);

    /* Reads of a few bytes at a time find the same. */
    of_history_report crep;
    memfs_set_read_chunk(m, 1 + size % 13);
    snapshot chunked = read_only(m, &crep);
    memfs_set_read_chunk(m, 0);
    check_same(&ro, &chunked);
    FZ_CHECK(crep.issue == rrep.issue && crep.dropped_bytes == rrep.dropped_bytes &&
             crep.bad_regions == rrep.bad_regions && crep.renumbered == rrep.renumbered &&
             crep.cut_seq == rrep.cut_seq);
    snapshot_free(&chunked);

    /* The writer repairs; it must load what the reader saw. */
    of_history_report wrep;
    FZ_CHECK(of_history_open(&h, memfs_fs(m), PATH, 0, NOW, &wrep) == OF_HISTORY_OK);
    FZ_CHECK(wrep.issue == rrep.issue && wrep.records == ro.count);
    snapshot w = take(h);
    check_same(&ro, &w);
    hist_model want;
    hist_model_load(data, size, &want);
    check_repair(m, &wrep, data, size, &want);
    hist_model_free(&want);
    FZ_CHECK(memfs_open_handles(m) == 1);
    snapshot_free(&w);

    /* What the repair wrote verifies, even while the writer holds it. */
    of_history_report rep;
    snapshot again = read_only(m, &rep);
    FZ_CHECK(rep.issue == OF_HISTORY_ISSUE_NONE);
    check_same(&ro, &again);
    snapshot_free(&again);

    append_one(h, NOW - 1000);
    compact(h, m, 1 + (uint64_t)ro.count / 2, (uint32_t)(size * 7919u % 40000u));
    append_one(h, NOW);
    if (of_history_next_seq(h) == UINT64_MAX) {
        renumber(h);
        append_one(h, NOW);
    }
    snapshot last = take(h);
    FZ_CHECK(of_history_close(h) == OF_HISTORY_OK);
    FZ_CHECK(memfs_open_handles(m) == 0);
    check_reopen(m, &last);

    /* Clear: no records, the numbering goes on. */
    FZ_CHECK(of_history_open(&h, memfs_fs(m), PATH, 0, NOW, &rep) == OF_HISTORY_OK);
    FZ_CHECK(of_history_clear(h) == OF_HISTORY_OK);
    FZ_CHECK(of_history_count(h) == 0 && of_history_next_seq(h) == last.next_seq);
    FZ_CHECK(of_history_close(h) == OF_HISTORY_OK);
    last.count = 0;
    check_reopen(m, &last);

    snapshot_free(&last);
    snapshot_free(&ro);
    memfs_free(m);
    return 0;
}
