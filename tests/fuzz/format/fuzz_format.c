/* ofnotify fuzzing: the texts for people (core/format).
 *
 * The input chooses the string table (none, an empty one, the English one
 * or templates taken from the input itself, one per line), a record, a
 * text id and arguments. Every text must follow the output convention of
 * format.h (length, NUL, UTF-8, cuts between characters, nothing written
 * past the cap); a template the caller gives must be judged usable exactly
 * when the rules of format.h say so, and a usable one must expand to what a
 * plain reading of those rules gives. */
#include "fuzzcheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofnotify/format.h"
#include "support/strings_en.h"

#define MAX_LINES (OF_TEXT_COUNT + 2)
#define BALLOON_CAP 65536

typedef struct table {
    char *line[MAX_LINES];
    size_t n;
} table;

static const char *table_get(void *ctx, of_text_id id)
{
    const table *t = ctx;
    return (size_t)id < t->n ? t->line[id] : NULL;
}

/* One call under test, for fz_check_text. */
typedef struct call {
    const of_strings *s;
    of_record rec;
    of_direction dir;
    of_text_id id;
    const char *const *args;
    size_t nargs;
} call;

static size_t duration(const void *ctx, char *buf, size_t cap)
{
    const call *c = ctx;
    return of_format_duration(c->s, c->rec.duration_ms, buf, cap);
}

static size_t direction(const void *ctx, char *buf, size_t cap)
{
    const call *c = ctx;
    return of_format_direction_label(c->s, c->dir, buf, cap);
}

static size_t status(const void *ctx, char *buf, size_t cap)
{
    const call *c = ctx;
    return of_format_status_label(c->s, &c->rec, buf, cap);
}

static size_t details(const void *ctx, char *buf, size_t cap)
{
    const call *c = ctx;
    return of_format_details(c->s, c->rec.flags, buf, cap);
}

static size_t text(const void *ctx, char *buf, size_t cap)
{
    const call *c = ctx;
    return of_format_text(c->s, c->id, c->args, c->nargs, buf, cap);
}

/* The rules of format.h for a usable template, read independently. */
static int template_usable(const char *t, int nargs)
{
    if (t == NULL || *t == '\0' || !fz_utf8_ok(t))
        return 0;
    for (; *t != '\0'; t++) {
        if (*t != '{')
            continue;
        if (t[1] == '{')
            t++;
        else if (t[1] >= '1' && t[1] <= '0' + nargs && t[2] == '}')
            t += 2;
        else
            return 0;
    }
    return 1;
}

/* A usable template with its arguments put in, each argument's broken
 * UTF-8 repaired. */
static char *expand(const char *t, const char *const *args)
{
    size_t cap = strlen(t) + 1, len = 0, longest = 0;
    for (int i = 0; i < 3; i++)
        if (args[i] != NULL && strlen(args[i]) > longest)
            longest = strlen(args[i]);
    for (const char *p = t; *p; p++)
        if (*p == '{')
            cap += 3 * longest; /* room for any argument, repaired */
    char *out = malloc(cap);
    FZ_CHECK(out != NULL);
    while (*t != '\0') {
        if (t[0] == '{' && t[1] == '{') {
            out[len++] = '{';
            t += 2;
        } else if (t[0] == '{') {
            const char *a = args[t[1] - '1'];
            char *fixed = fz_utf8_repair(a != NULL ? a : "");
            memcpy(out + len, fixed, strlen(fixed));
            len += strlen(fixed);
            free(fixed);
            t += 3;
        } else {
            out[len++] = *t++;
        }
    }
    out[len] = '\0';
    return out;
}

static void check_template_text(const call *c, const char *tmpl)
{
    int n = of_text_arg_count(c->id);
    FZ_CHECK(of_format_template_ok(c->id, tmpl) == (n >= 0 && template_usable(tmpl, n)));
    if (n < 0 || (size_t)n != c->nargs) {
        char buf[8] = "x";
        FZ_CHECK(of_format_text(c->s, c->id, c->args, c->nargs, buf, sizeof buf) == 0 && buf[0] == '\0');
        return;
    }
    char *got = fz_check_text(text, c, 1);
    if (template_usable(tmpl, n)) {
        char *want = expand(tmpl, c->args);
        FZ_CHECK(strcmp(got, want) == 0);
        free(want);
    }
    free(got);
}

/* Title and body in big buffers, then in the small ones the input asks
 * for: the small ones hold prefixes, and TRUNCATED says whether one was cut. */
static void check_balloon(const of_strings *s, const of_record *recs, size_t n, size_t tcap, size_t bcap)
{
    int valid = 1;
    for (size_t i = 0; i < n; i++)
        valid &= recs[i].status < OF_STATUS_COUNT;
    char *title = malloc(BALLOON_CAP), *body = malloc(BALLOON_CAP);
    char *st = malloc(tcap + 1), *sb = malloc(bcap + 1);
    FZ_CHECK(title && body && st && sb);
    int r = of_format_balloon_summary(s, recs, n, title, BALLOON_CAP, body, BALLOON_CAP);
    if (!valid) {
        FZ_CHECK(r == OF_FORMAT_BAD_ARG && title[0] == '\0' && body[0] == '\0');
        goto done;
    }
    if (n == 1) {
        char *t1 = malloc(BALLOON_CAP), *b1 = malloc(BALLOON_CAP);
        FZ_CHECK(t1 && b1);
        FZ_CHECK(of_format_balloon(s, recs, t1, BALLOON_CAP, b1, BALLOON_CAP) == r);
        FZ_CHECK(strcmp(t1, title) == 0 && strcmp(b1, body) == 0);
        free(t1);
        free(b1);
    }
    if (r != OF_FORMAT_OK)
        goto done; /* longer than the big buffers: nothing to compare with */
    FZ_CHECK(*title != '\0' && *body != '\0' && fz_utf8_ok(title) && fz_utf8_ok(body));
    memset(st, 0x5A, tcap + 1);
    memset(sb, 0x5A, bcap + 1);
    int rs = of_format_balloon_summary(s, recs, n, st, tcap, sb, bcap);
    FZ_CHECK(st[tcap] == 0x5A && sb[bcap] == 0x5A);
    size_t tl = strlen(title), bl = strlen(body);
    FZ_CHECK(rs == (tl >= tcap || bl >= bcap ? OF_FORMAT_TRUNCATED : OF_FORMAT_OK));
    if (tcap > 0) {
        FZ_CHECK(memchr(st, '\0', tcap) != NULL && fz_utf8_ok(st));
        FZ_CHECK(strncmp(st, title, strlen(st)) == 0 && strlen(st) + 3 >= (tl < tcap ? tl + 3 : tcap - 1));
    }
    if (bcap > 0) {
        FZ_CHECK(memchr(sb, '\0', bcap) != NULL && fz_utf8_ok(sb));
        FZ_CHECK(strncmp(sb, body, strlen(sb)) == 0 && strlen(sb) + 3 >= (bl < bcap ? bl + 3 : bcap - 1));
    }
done:
    free(title);
    free(body);
    free(st);
    free(sb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_input in = fz_input_make(data, size);
    uint8_t mode = fz_u8(&in);
    call c = {0};
    c.rec.status = (uint8_t)(mode & 8 ? fz_u8(&in) : fz_u8(&in) % (OF_STATUS_COUNT + 2));
    c.rec.reason = (uint8_t)(fz_u8(&in) % (OF_REASON_COUNT + 2));
    c.rec.flags = fz_u32(&in);
    c.rec.begin_flags = fz_u32(&in);
    c.rec.duration_ms = fz_u64(&in);
    c.dir = (of_direction)(fz_u8(&in) % (OF_DIR_COUNT + 2));
    c.id = (of_text_id)(fz_u8(&in) % (OF_TEXT_COUNT + 2));
    c.nargs = fz_u8(&in) % 4;
    uint8_t nrecs = (uint8_t)(1 + fz_u8(&in) % 4), more_status = fz_u8(&in);
    size_t tcap = fz_u8(&in), bcap = fz_u8(&in);
    char *arg[3] = {fz_line(&in), fz_line(&in), fz_line(&in)};
    const char *args[3] = {arg[0], mode & 4 ? NULL : arg[1], arg[2]};
    c.args = args;

    table t = {{0}, 0};
    of_strings fuzzed = {table_get, &t}, empty = {NULL, NULL}, en = of_test_strings_en();
    while (t.n < MAX_LINES && in.left > 0)
        t.line[t.n++] = fz_line(&in);
    const of_strings *tables[4] = {NULL, &empty, &en, &fuzzed};
    c.s = tables[mode % 4];

    char *out = fz_check_text(duration, &c, 1);
    FZ_CHECK(*out != '\0');
    free(out);
    out = fz_check_text(direction, &c, 1);
    FZ_CHECK(*out != '\0');
    free(out);
    out = fz_check_text(details, &c, 1);
    FZ_CHECK(*out != '\0');
    free(out);
    out = fz_check_text(status, &c, 1);
    FZ_CHECK(*out != '\0');
    if (c.rec.status >= OF_STATUS_COUNT && (c.s == NULL || c.s == &empty || c.s == &en)) {
        /* An unknown status names its number, in the stand-in or in English. */
        char want[32];
        snprintf(want, sizeof want, "%s (%u)", c.s == &en ? "Unknown" : "unknown", (unsigned)c.rec.status);
        FZ_CHECK(strcmp(out, want) == 0);
    }
    free(out);

    const char *tmpl = NULL;
    if (c.s != NULL && c.s->get != NULL && (unsigned)c.id < OF_TEXT_COUNT)
        tmpl = c.s->get(c.s->ctx, c.id);
    check_template_text(&c, tmpl);

    of_record recs[4];
    for (size_t i = 0; i < nrecs; i++) {
        recs[i] = c.rec;
        recs[i].status = (uint8_t)((more_status >> (2 * i)) & 3u);
    }
    recs[nrecs - 1] = c.rec;
    check_balloon(c.s, recs, nrecs, tcap, bcap);

    for (size_t i = 0; i < t.n; i++)
        free(t.line[i]);
    for (int i = 0; i < 3; i++)
        free(arg[i]);
    return 0;
}
