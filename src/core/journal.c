/* ofnotify: the spill journal. Format and guarantees: journal.h. */
#include "ofnotify/journal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "framelog.h"
#include "histframe.h"

_Static_assert(OF_JOURNAL_HEADER_SIZE == FRAMELOG_HEADER_SIZE, "the journal's header is a frame log's");

struct of_journal {
    framelog *log;
    of_record *recs; /* oldest first; seq is the place in the journal */
    size_t count;
    size_t cap;
};

/* ---- records ---------------------------------------------------------------- */

/* A frame that holds a record this version can merge: decoded into *rec. */
static int decode(const unsigned char *frame, size_t len, of_record *rec)
{
    uint64_t orig_seq;
    of_histframe_decode(frame, len, rec, &orig_seq);
    return rec->status < OF_STATUS_COUNT && rec->reason < OF_REASON_COUNT && rec->origin < OF_ORIGIN_COUNT;
}

static int same_record(const of_record *a, const of_record *b)
{
    return a->started_ms == b->started_ms && a->completed_ms == b->completed_ms
           && a->duration_ms == b->duration_ms && a->flags == b->flags && a->begin_flags == b->begin_flags
           && a->status == b->status && a->reason == b->reason && a->origin == b->origin;
}

static of_history_err reserve(of_journal *j, size_t need)
{
    if (need <= j->cap)
        return OF_HISTORY_OK;
    size_t cap = j->cap ? j->cap : 64;
    while (cap < need) {
        if (cap > SIZE_MAX / 2 / sizeof(of_record))
            return OF_HISTORY_E_NO_MEMORY;
        cap *= 2;
    }
    of_record *n = realloc(j->recs, cap * sizeof(of_record));
    if (n == NULL)
        return OF_HISTORY_E_NO_MEMORY;
    j->recs = n;
    j->cap = cap;
    return OF_HISTORY_OK;
}

/* ---- the journal's frame log ------------------------------------------------ */

static int frame_known(const unsigned char *frame, size_t len)
{
    of_record r;
    return decode(frame, len, &r);
}

static of_history_err take_frame(void *owner, const unsigned char *frame, size_t len)
{
    of_journal *j = owner;
    of_history_err err = reserve(j, j->count + 1);
    if (err == OF_HISTORY_OK)
        (void)decode(frame, len, &j->recs[j->count++]);
    return err;
}

static size_t rewrite_cap(const void *owner)
{
    const of_journal *j = owner;
    return j->count <= SIZE_MAX / OF_HISTFRAME_WRITE_MAX ? j->count * OF_HISTFRAME_WRITE_MAX : SIZE_MAX;
}

/* Every record, numbered 1..count again. */
static size_t rewrite(void *owner, unsigned char *out, uint64_t *count)
{
    of_journal *j = owner;
    size_t len = 0;
    for (size_t i = 0; i < j->count; i++) {
        j->recs[i].seq = i + 1;
        len += of_histframe_encode(out + len, &j->recs[i], 0);
    }
    *count = j->count;
    return len;
}

static const framelog_kind JOURNAL = {
    .magic = "OFNJRNL", /* 7 characters + the NUL = the 8 magic bytes */
    .major = OF_JOURNAL_FORMAT_MAJOR,
    .minor = OF_JOURNAL_FORMAT_MINOR,
    .payload_min = OF_HISTORY_PAYLOAD_SIZE,
    .payload_max = OF_HISTORY_MAX_PAYLOAD,
    .known = frame_known,
    .take = take_frame,
    .rewrite_cap = rewrite_cap,
    .rewrite = rewrite,
};

/* ---- the interface ------------------------------------------------------------ */

static void destroy(of_journal *j)
{
    if (j == NULL)
        return;
    framelog_free(j->log);
    free(j->recs);
    free(j);
}

of_history_err of_journal_open(of_journal **out, const of_fs *fs, const char *path, int64_t now_ms,
                               of_journal_report *report)
{
    of_journal_report local;
    of_journal_report *rep = report != NULL ? report : &local;
    memset(rep, 0, sizeof(*rep));
    if (out == NULL)
        return OF_HISTORY_E_INVALID;
    *out = NULL;
    if (fs == NULL || path == NULL)
        return OF_HISTORY_E_INVALID;
    of_journal *j = calloc(1, sizeof(*j));
    if (j == NULL)
        return OF_HISTORY_E_NO_MEMORY;
    const framelog_report found = {&rep->no_file,     &rep->cut_kept, rep->cut_to,
                                   &rep->moved_aside, rep->moved_to,  &rep->dropped_bytes};
    of_history_err err = framelog_new(&j->log, fs, path, &JOURNAL, j);
    if (err == OF_HISTORY_OK)
        err = framelog_load(j->log, now_ms, &found);
    rep->records = j->count;
    if (err != OF_HISTORY_OK) {
        destroy(j);
        return err;
    }
    *out = j;
    return OF_HISTORY_OK;
}

of_history_err of_journal_append(of_journal *j, const of_record *rec)
{
    if (j == NULL || rec == NULL || rec->status >= OF_STATUS_COUNT || rec->reason >= OF_REASON_COUNT
        || rec->origin >= OF_ORIGIN_COUNT)
        return OF_HISTORY_E_INVALID;
    /* Room in memory first: once the frame is on disk, nothing may fail. */
    of_history_err err = reserve(j, j->count + 1);
    of_record r = *rec;
    if (err == OF_HISTORY_OK)
        err = framelog_ready(j->log, &r.seq);
    if (err != OF_HISTORY_OK)
        return err;
    unsigned char frame[OF_HISTFRAME_WRITE_MAX];
    if ((err = framelog_append(j->log, frame, of_histframe_encode(frame, &r, 0))) != OF_HISTORY_OK)
        return err;
    j->recs[j->count++] = r;
    return OF_HISTORY_OK;
}

size_t of_journal_count(const of_journal *j)
{
    return j != NULL ? j->count : 0;
}

const of_record *of_journal_get(const of_journal *j, size_t index)
{
    return j != NULL && index < j->count ? &j->recs[index] : NULL;
}

const char *of_journal_path(const of_journal *j)
{
    return j != NULL ? framelog_path(j->log) : NULL;
}

/* How many of the journal's first records already end the history: the
 * largest k with the history's last k equal to the journal's first k. */
static size_t already_merged(const of_journal *j, const of_history *h)
{
    size_t n = of_history_count(h);
    size_t k = j->count < n ? j->count : n;
    for (; k > 0; k--) {
        size_t t = 0;
        while (t < k && same_record(of_history_get(h, n - k + t), &j->recs[t]))
            t++;
        if (t == k)
            return k;
    }
    return 0;
}

of_history_err of_journal_merge(of_journal *j, of_history *h, size_t *merged)
{
    size_t done = 0;
    if (merged != NULL)
        *merged = 0;
    if (j == NULL || h == NULL)
        return OF_HISTORY_E_INVALID;
    for (size_t i = already_merged(j, h); i < j->count; i++) {
        of_record r = j->recs[i];
        of_history_err err = of_history_append(h, &r);
        if (err != OF_HISTORY_OK) {
            if (merged != NULL)
                *merged = done;
            return err;
        }
        done++;
    }
    if (merged != NULL)
        *merged = done;
    /* Every record stands, synced, in the history: only now may the journal go. */
    of_history_err err = framelog_remove(j->log);
    if (err == OF_HISTORY_OK)
        j->count = 0;
    return err;
}

void of_journal_close(of_journal *j)
{
    destroy(j);
}

int of_journal_temp_name(char *buf, size_t cap, const char *temp_dir, char sep, const char *data_dir)
{
    uint64_t hash = UINT64_C(14695981039346656037);
    for (const unsigned char *p = (const unsigned char *)data_dir; *p; p++) {
        unsigned char c = *p >= 'A' && *p <= 'Z' ? (unsigned char)(*p - 'A' + 'a') : *p;
        hash = (hash ^ c) * UINT64_C(1099511628211);
    }
    size_t tl = strlen(temp_dir);
    int need_sep = tl > 0 && temp_dir[tl - 1] != sep;
    int n = snprintf(buf, cap, "%s%s%s%016" PRIx64 ".journal", temp_dir, need_sep ? (char[]){sep, 0} : "",
                     "ofnotify-", hash);
    return n >= 0 && (size_t)n < cap ? 0 : -1;
}
