/* ofnotify fuzzing: the history as machines read it (core/recordexport,
 * isotime, textbuf).
 *
 * The input gives a record and a text. The JSON Lines and CSV lines of the
 * record, the ISO 8601 times and the JSON and CSV escaping of the text are
 * each compared with what export.h says they must be, built here on their
 * own (times with a calendar computed differently from core's), and must
 * follow the output convention of format.h. */
#include "fuzzcheck.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofnotify/export.h"
#include "ofnotify/syncflags.h"

typedef struct call {
    of_record rec;
    int64_t time;
    const char *text;
} call;

static size_t jsonl(const void *ctx, char *buf, size_t cap)
{
    return of_format_jsonl(&((const call *)ctx)->rec, buf, cap);
}

static size_t csv_row(const void *ctx, char *buf, size_t cap)
{
    return of_format_csv_row(&((const call *)ctx)->rec, buf, cap);
}

static size_t csv_header(const void *ctx, char *buf, size_t cap)
{
    (void)ctx;
    return of_format_csv_header(buf, cap);
}

static size_t iso(const void *ctx, char *buf, size_t cap)
{
    return of_format_iso8601_utc(((const call *)ctx)->time, buf, cap);
}

static size_t json_escape(const void *ctx, char *buf, size_t cap)
{
    return of_json_escape(((const call *)ctx)->text, buf, cap);
}

static size_t csv_field(const void *ctx, char *buf, size_t cap)
{
    return of_csv_field(((const call *)ctx)->text, buf, cap);
}

/* A growing string for the expected texts. */
typedef struct str {
    char *p;
    size_t len, cap;
} str;

static void add(str *s, const char *t, size_t n)
{
    if (s->len + n + 1 > s->cap) {
        s->cap = 2 * (s->len + n + 1);
        s->p = realloc(s->p, s->cap);
        FZ_CHECK(s->p != NULL);
    }
    memcpy(s->p + s->len, t, n);
    s->len += n;
    s->p[s->len] = '\0';
}

static void adds(str *s, const char *t)
{
    add(s, t, strlen(t));
}

/* The JSON string contents export.h describes, from the repaired text. */
static char *json_expected(const char *text)
{
    char *fixed = fz_utf8_repair(text);
    str s = {0};
    add(&s, "", 0);
    for (const unsigned char *p = (const unsigned char *)fixed; *p; p++) {
        char esc[8];
        switch (*p) {
        case '"': adds(&s, "\\\""); continue;
        case '\\': adds(&s, "\\\\"); continue;
        case '\b': adds(&s, "\\b"); continue;
        case '\f': adds(&s, "\\f"); continue;
        case '\n': adds(&s, "\\n"); continue;
        case '\r': adds(&s, "\\r"); continue;
        case '\t': adds(&s, "\\t"); continue;
        default: break;
        }
        if (*p < 0x20 || *p == 0x7F) {
            snprintf(esc, sizeof esc, "\\u%04x", *p);
            adds(&s, esc);
        } else if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
            adds(&s, p[2] == 0xA8 ? "\\u2028" : "\\u2029");
            p += 2;
        } else {
            add(&s, (const char *)p, 1);
        }
    }
    free(fixed);
    return s.p;
}

/* The CSV field export.h describes: quoted when it must be, formula
 * characters first defused with a single quote. */
static char *csv_expected(const char *text)
{
    char *fixed = fz_utf8_repair(text);
    str s = {0};
    add(&s, "", 0);
    int guard = strchr("=+-@\t\r", text[0]) != NULL && text[0] != '\0';
    int quote = guard || strpbrk(text, ",\"\r\n") != NULL;
    if (quote)
        adds(&s, "\"");
    if (guard)
        adds(&s, "'");
    for (const char *p = fixed; *p; p++)
        adds(&s, *p == '"' ? "\"\"" : (char[]){*p, '\0'});
    if (quote)
        adds(&s, "\"");
    free(fixed);
    return s.p;
}

static const char *const status_words[] = {"completed", "unpaired", "interrupted"};
static const char *const reason_words[] = {NULL, "datalost", "service-lost", "shutdown", "timeout", "failed"};
static const char *const origin_words[] = {"background", "sync-now"};

/* One record line in either format, from the field list of export.h. */
static char *line_expected(const of_record *r, int json)
{
    static const char *const keys[] = {"seq", "started", "completed", "duration_ms", "direction",
                                       "flags", "flags_text", "status", "reason", "begin_flags", "origin"};
    char vals[11][OF_SYNCFLAGS_TEXT_MAX + 32];
    int quoted[11] = {0, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1};
    const char *reason = r->reason < 6 ? reason_words[r->reason] : "unknown";
    snprintf(vals[0], sizeof vals[0], "%" PRIu64, r->seq);
    if (!fz_iso8601(r->started_ms, vals[1]))
        vals[1][0] = '\0', quoted[1] = 0;
    if (!fz_iso8601(r->completed_ms, vals[2]))
        vals[2][0] = '\0', quoted[2] = 0;
    snprintf(vals[3], sizeof vals[3], "%" PRIu64, r->duration_ms);
    snprintf(vals[4], sizeof vals[4], "%s", of_direction_word(of_syncflags_direction(r->flags)));
    snprintf(vals[5], sizeof vals[5], "0x%08" PRIX32, r->flags);
    of_syncflags_describe(r->flags, vals[6], sizeof vals[6]);
    if (r->status < OF_STATUS_COUNT)
        snprintf(vals[7], sizeof vals[7], "%s", status_words[r->status]);
    else
        snprintf(vals[7], sizeof vals[7], "unknown-%u", (unsigned)r->status);
    snprintf(vals[8], sizeof vals[8], "%s", reason ? reason : "");
    quoted[8] = reason != NULL;
    snprintf(vals[9], sizeof vals[9], "0x%08" PRIX32, r->begin_flags);
    snprintf(vals[10], sizeof vals[10], "%s", r->origin < 2 ? origin_words[r->origin] : "unknown");

    str s = {0};
    adds(&s, json ? "{" : "");
    for (int i = 0; i < 11; i++) {
        if (i > 0)
            adds(&s, ",");
        if (json) {
            adds(&s, "\"");
            adds(&s, keys[i]);
            adds(&s, "\":");
            adds(&s, quoted[i] ? "\"" : "");
            adds(&s, quoted[i] || vals[i][0] ? vals[i] : "null");
            adds(&s, quoted[i] ? "\"" : "");
        } else {
            adds(&s, vals[i]); /* none of these needs CSV quoting */
        }
    }
    adds(&s, json ? "}\n" : "\r\n");
    return s.p;
}

static void check_time(int64_t t)
{
    call c = {.time = t};
    char want[25];
    char *got = fz_check_text(iso, &c, 1);
    if (fz_iso8601(t, want))
        FZ_CHECK(strcmp(got, want) == 0 && strlen(got) == OF_FORMAT_ISO8601_LEN);
    else
        FZ_CHECK(*got == '\0');
    free(got);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_input in = fz_input_make(data, size);
    call c = {0};
    c.rec.seq = fz_u64(&in);
    c.rec.started_ms = (int64_t)fz_u64(&in);
    c.rec.completed_ms = (int64_t)fz_u64(&in);
    c.rec.duration_ms = fz_u64(&in);
    c.rec.flags = fz_u32(&in);
    c.rec.begin_flags = fz_u32(&in);
    c.rec.status = fz_u8(&in);
    c.rec.reason = fz_u8(&in);
    uint8_t shape = fz_u8(&in);
    /* Mostly times people meet, so the calendar is exercised, not only
     * the range check. */
    if (shape & 1)
        c.rec.started_ms %= INT64_C(253402300800000);
    if (shape & 2)
        c.rec.completed_ms %= INT64_C(253402300800000);
    if (shape & 4)
        c.rec.status %= OF_STATUS_COUNT;
    c.rec.origin = (uint8_t)((shape >> 3) & 3); /* background, sync-now, and two unknown */
    c.text = fz_rest(&in);

    /* A status this version does not know is exported as "unknown-N", never skipped. */
    char *got = fz_check_text(jsonl, &c, 1);
    char *want = line_expected(&c.rec, 1);
    FZ_CHECK(strcmp(got, want) == 0);
    FZ_CHECK(strlen(got) < OF_FORMAT_LINE_MAX);
    free(want);
    free(got);
    got = fz_check_text(csv_row, &c, 1);
    want = line_expected(&c.rec, 0);
    FZ_CHECK(strcmp(got, want) == 0);
    FZ_CHECK(strlen(got) < OF_FORMAT_LINE_MAX);
    free(want);
    free(got);

    got = fz_check_text(csv_header, &c, 1);
    FZ_CHECK(strcmp(got, "seq,started,completed,duration_ms,direction,flags,flags_text,status,reason,begin_flags,origin\r\n") ==
             0);
    free(got);

    check_time(c.rec.started_ms);
    check_time(c.rec.completed_ms);

    got = fz_check_text(json_escape, &c, 1);
    want = json_expected(c.text);
    FZ_CHECK(strcmp(got, want) == 0);
    free(got);
    free(want);
    got = fz_check_text(csv_field, &c, 1);
    want = csv_expected(c.text);
    FZ_CHECK(strcmp(got, want) == 0);
    free(got);
    free(want);

    free((char *)c.text);
    return 0;
}
