/* ofnotify: text for people (from the caller's string table) and for
 * machines (JSON Lines, CSV, ISO 8601). */
#include "ofnotify/format.h"

#include <string.h>

/* ---- output sink ----------------------------------------------------------
 * Counts every byte it is given; stores bytes while they fit in cap (all
 * cap bytes, so out_finish can see where a cut lands and back off to a
 * character boundary before placing the NUL). */

typedef struct text_out {
    char *buf;
    size_t cap;
    size_t len;
} text_out;

static text_out out_make(char *buf, size_t cap)
{
    text_out o = {buf, buf != NULL ? cap : 0, 0};
    return o;
}

static void out_byte(text_out *o, unsigned char c)
{
    if (o->len < o->cap)
        o->buf[o->len] = (char)c;
    o->len++;
}

static void out_raw(text_out *o, const char *s)
{
    for (; *s != '\0'; s++)
        out_byte(o, (unsigned char)*s);
}

static size_t out_finish(text_out *o)
{
    if (o->cap == 0)
        return o->len;
    if (o->len < o->cap) {
        o->buf[o->len] = '\0';
    } else {
        size_t p = o->cap - 1;
        /* buf[p] is the first byte that does not fit; if it continues a
         * character, drop the whole character. */
        while (p > 0 && ((unsigned char)o->buf[p] & 0xC0u) == 0x80u)
            p--;
        o->buf[p] = '\0';
    }
    return o->len;
}

/* Reset to "" and report failure. */
static size_t out_fail(char *buf, size_t cap)
{
    if (buf != NULL && cap > 0)
        buf[0] = '\0';
    return 0;
}

static void out_u64(text_out *o, uint64_t v)
{
    char tmp[21];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0)
        out_byte(o, (unsigned char)tmp[--n]);
}

/* v as decimal with exactly `width` digits (v must fit). */
static void out_dec_fixed(text_out *o, unsigned v, int width)
{
    char tmp[8];
    for (int i = width - 1; i >= 0; i--) {
        tmp[i] = (char)('0' + v % 10);
        v /= 10;
    }
    for (int i = 0; i < width; i++)
        out_byte(o, (unsigned char)tmp[i]);
}

static void out_hex32(text_out *o, uint32_t v)
{
    static const char digits[] = "0123456789ABCDEF";
    out_raw(o, "0x");
    for (int shift = 28; shift >= 0; shift -= 4)
        out_byte(o, (unsigned char)digits[(v >> shift) & 0xFu]);
}

/* ---- UTF-8 ----------------------------------------------------------------- */

#define CP_INVALID 0xFFFFFFFFu

/* Decode one character at s (NUL-terminated). Returns the bytes consumed
 * (>= 1, never past the NUL). Invalid input (overlongs, surrogates, > U+10FFFF,
 * stray or missing continuation bytes) gives CP_INVALID and consumes the
 * longest prefix that could have started a valid character, so each broken
 * sequence becomes exactly one U+FFFD. */
static size_t utf8_decode(const unsigned char *s, uint32_t *cp)
{
    unsigned char c = s[0];
    unsigned char lo = 0x80, hi = 0xBF;
    size_t more;
    uint32_t v;

    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    if (c >= 0xC2 && c <= 0xDF) {
        more = 1;
        v = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
        more = 2;
        v = c & 0x0Fu;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        if (c == 0xED)
            hi = 0x9F; /* surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        more = 3;
        v = c & 0x07u;
        if (c == 0xF0)
            lo = 0x90; /* overlong */
        if (c == 0xF4)
            hi = 0x8F; /* > U+10FFFF */
    } else {
        *cp = CP_INVALID;
        return 1;
    }
    for (size_t i = 1; i <= more; i++) {
        unsigned char b = s[i];
        if (b < lo || b > hi) { /* also stops at the NUL */
            *cp = CP_INVALID;
            return i;
        }
        lo = 0x80;
        hi = 0xBF;
        v = (v << 6) | (b & 0x3Fu);
    }
    *cp = v;
    return more + 1;
}

static void out_replacement(text_out *o)
{
    out_byte(o, 0xEF);
    out_byte(o, 0xBF);
    out_byte(o, 0xBD);
}

/* Copy UTF-8 text, replacing invalid sequences with U+FFFD. */
static void out_text(text_out *o, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p != '\0') {
        uint32_t cp;
        size_t n = utf8_decode(p, &cp);
        if (cp == CP_INVALID) {
            out_replacement(o);
        } else {
            for (size_t i = 0; i < n; i++)
                out_byte(o, p[i]);
        }
        p += n;
    }
}

static int utf8_valid(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p != '\0') {
        uint32_t cp;
        p += utf8_decode(p, &cp);
        if (cp == CP_INVALID)
            return 0;
    }
    return 1;
}

/* ---- string table and templates ----------------------------------------- */

/* Arguments taken by each template; ids not listed take none. */
static int arg_count(of_text_id id)
{
    switch (id) {
    case OF_TEXT_STATUS_INTERRUPTED_REASON:
    case OF_TEXT_DURATION_S:
    case OF_TEXT_DURATION_MIN:
    case OF_TEXT_DURATION_H:
    case OF_TEXT_DURATION_D:
    case OF_TEXT_BALLOON_BODY_UNPAIRED:
    case OF_TEXT_SUMMARY_TITLE_COMPLETED:
    case OF_TEXT_SUMMARY_TITLE_INTERRUPTED:
    case OF_TEXT_SUMMARY_BODY:
        return 1;
    case OF_TEXT_DURATION_MIN_S:
    case OF_TEXT_DURATION_H_MIN:
    case OF_TEXT_DURATION_D_H:
    case OF_TEXT_BALLOON_BODY_COMPLETED:
    case OF_TEXT_BALLOON_BODY_INTERRUPTED:
    case OF_TEXT_SUMMARY_TITLE_MIXED:
    case OF_TEXT_DETAILS_WITH_RULE:
        return 2;
    default:
        return 0;
    }
}

int of_text_arg_count(of_text_id id)
{
    if ((unsigned)id >= (unsigned)OF_TEXT_COUNT)
        return -1;
    return arg_count(id);
}

/* Flag label ids follow the bit order of syncflags.h; the first 14 bits are
 * contiguous, BACKGROUND and NONEWFILESOUT are bits 16 and 17. */
static const struct {
    uint32_t bit;
    of_text_id id;
} flag_labels[] = {
    {OF_SYNC_FLAG_FILLSPARSE, OF_TEXT_FLAG_FILLSPARSE},
    {OF_SYNC_FLAG_SYNCIN, OF_TEXT_FLAG_SYNCIN},
    {OF_SYNC_FLAG_SYNCOUT, OF_TEXT_FLAG_SYNCOUT},
    {OF_SYNC_FLAG_PINNEWFILES, OF_TEXT_FLAG_PINNEWFILES},
    {OF_SYNC_FLAG_PINLINKTARGETS, OF_TEXT_FLAG_PINLINKTARGETS},
    {OF_SYNC_FLAG_PINFORUSER, OF_TEXT_FLAG_PINFORUSER},
    {OF_SYNC_FLAG_PINFORUSER_POLICY, OF_TEXT_FLAG_PINFORUSER_POLICY},
    {OF_SYNC_FLAG_PINFORALL, OF_TEXT_FLAG_PINFORALL},
    {OF_SYNC_FLAG_PINFORREDIR, OF_TEXT_FLAG_PINFORREDIR},
    {OF_SYNC_FLAG_LOWPRIORITY, OF_TEXT_FLAG_LOWPRIORITY},
    {OF_SYNC_FLAG_ASYNCPROGRESS, OF_TEXT_FLAG_ASYNCPROGRESS},
    {OF_SYNC_FLAG_INTERACTIVE, OF_TEXT_FLAG_INTERACTIVE},
    {OF_SYNC_FLAG_CONSOLE, OF_TEXT_FLAG_CONSOLE},
    {OF_SYNC_FLAG_SKIPSUSPENDEDDIRS, OF_TEXT_FLAG_SKIPSUSPENDEDDIRS},
    {OF_SYNC_FLAG_BACKGROUND, OF_TEXT_FLAG_BACKGROUND},
    {OF_SYNC_FLAG_NONEWFILESOUT, OF_TEXT_FLAG_NONEWFILESOUT},
};
#define N_FLAG_LABELS (sizeof flag_labels / sizeof flag_labels[0])

_Static_assert(OF_TEXT_DIR_UNSPECIFIED + OF_DIR_TWO_WAY == OF_TEXT_DIR_TWO_WAY &&
                   OF_TEXT_DIR_UNSPECIFIED + OF_DIR_FILL_SPARSE == OF_TEXT_DIR_FILL_SPARSE &&
                   OF_DIR_COUNT == 5,
               "direction labels follow of_direction");
_Static_assert(OF_TEXT_REASON_DATALOST + (OF_REASON_TIMEOUT - OF_REASON_DATALOST) ==
                   OF_TEXT_REASON_TIMEOUT &&
                   OF_REASON_COUNT == 6,
               "reason labels follow of_reason up to TIMEOUT; reason_label() maps the later ones");
_Static_assert(OF_TEXT_RULE_KEEPLATEST - OF_TEXT_RULE_KEEPLOCAL == 2, "rules follow the CR field");

/* Language-neutral stand-ins (see format.h). */
static const char *const stand_ins[OF_TEXT_COUNT] = {
    [OF_TEXT_DIR_UNSPECIFIED] = "unspecified",
    [OF_TEXT_DIR_TWO_WAY] = "two-way",
    [OF_TEXT_DIR_TO_SERVER] = "to-server",
    [OF_TEXT_DIR_FROM_SERVER] = "from-server",
    [OF_TEXT_DIR_FILL_SPARSE] = "fill-sparse",
    [OF_TEXT_STATUS_COMPLETED] = "completed",
    [OF_TEXT_STATUS_UNPAIRED] = "unpaired",
    [OF_TEXT_STATUS_INTERRUPTED] = "interrupted",
    [OF_TEXT_STATUS_INTERRUPTED_REASON] = "interrupted ({1})",
    [OF_TEXT_REASON_DATALOST] = "datalost",
    [OF_TEXT_REASON_SERVICE_LOST] = "service-lost",
    [OF_TEXT_REASON_SHUTDOWN] = "shutdown",
    [OF_TEXT_REASON_TIMEOUT] = "timeout",
    [OF_TEXT_REASON_FAILED] = "failed",
    [OF_TEXT_DURATION_SUBSECOND] = "< 1 s",
    [OF_TEXT_DURATION_S] = "{1} s",
    [OF_TEXT_DURATION_MIN] = "{1} min",
    [OF_TEXT_DURATION_MIN_S] = "{1} min {2} s",
    [OF_TEXT_DURATION_H] = "{1} h",
    [OF_TEXT_DURATION_H_MIN] = "{1} h {2} min",
    [OF_TEXT_DURATION_D] = "{1} d",
    [OF_TEXT_DURATION_D_H] = "{1} d {2} h",
    [OF_TEXT_BALLOON_TITLE_COMPLETED] = "ofnotify",
    [OF_TEXT_BALLOON_TITLE_INTERRUPTED] = "ofnotify",
    [OF_TEXT_BALLOON_BODY_COMPLETED] = "{1} \xC2\xB7 {2}",
    [OF_TEXT_BALLOON_BODY_UNPAIRED] = "{1}",
    [OF_TEXT_BALLOON_BODY_INTERRUPTED] = "{1} \xC2\xB7 {2}",
    [OF_TEXT_SUMMARY_TITLE_COMPLETED] = "ofnotify \xC2\xB7 {1} completed",
    [OF_TEXT_SUMMARY_TITLE_INTERRUPTED] = "ofnotify \xC2\xB7 {1} interrupted",
    [OF_TEXT_SUMMARY_TITLE_MIXED] = "ofnotify \xC2\xB7 {1} \xC2\xB7 {2} interrupted",
    [OF_TEXT_SUMMARY_BODY] = "{1}",
    [OF_TEXT_LIST_SEPARATOR] = ", ",
    [OF_TEXT_DETAILS_WITH_RULE] = "{1} \xC2\xB7 {2}",
    [OF_TEXT_DETAILS_NONE] = "0",
    [OF_TEXT_RULE_KEEPLOCAL] = "CR_KEEPLOCAL",
    [OF_TEXT_RULE_KEEPREMOTE] = "CR_KEEPREMOTE",
    [OF_TEXT_RULE_KEEPLATEST] = "CR_KEEPLATEST",
    /* flag labels: the syncflags names, looked up in stand_in() */
};

static const char *stand_in(of_text_id id)
{
    for (size_t i = 0; i < N_FLAG_LABELS; i++)
        if (flag_labels[i].id == id)
            return of_syncflags_name(flag_labels[i].bit);
    return stand_ins[id];
}

static int template_ok(const char *t, size_t nargs)
{
    const char *p = t;

    if (t == NULL || *t == '\0' || !utf8_valid(t))
        return 0;
    while (*p != '\0') {
        if (*p != '{') {
            p++;
            continue;
        }
        if (p[1] == '{') {
            p += 2;
        } else if (p[1] >= '1' && p[1] <= '9' && (size_t)(p[1] - '0') <= nargs && p[2] == '}') {
            p += 3;
        } else {
            return 0;
        }
    }
    return 1;
}

int of_format_template_ok(of_text_id id, const char *tmpl)
{
    int n = of_text_arg_count(id);
    return n >= 0 && template_ok(tmpl, (size_t)n);
}

/* The template to use for id: the caller's if it is usable, else the
 * stand-in. id must be in range. */
static const char *template_for(const of_strings *s, of_text_id id)
{
    if (s != NULL && s->get != NULL) {
        const char *t = s->get(s->ctx, id);
        if (template_ok(t, (size_t)arg_count(id)))
            return t;
    }
    return stand_in(id);
}

/* An argument is produced while the template is expanded, straight into the
 * output, so nested texts (a label inside a body inside a summary) need no
 * temporary buffers and the reported length is always exact. */
typedef enum arg_kind {
    ARG_STR,      /* str (NULL is "") */
    ARG_U64,      /* num as decimal */
    ARG_TEXT,     /* the template id, no arguments */
    ARG_DURATION, /* num milliseconds */
    ARG_FLAGS,    /* the flag list of num (uint32 flags) */
    ARG_BODY,     /* the balloon body of rec */
} arg_kind;

typedef struct arg {
    arg_kind kind;
    const char *str;
    uint64_t num;
    of_text_id id;
    const of_record *rec;
} arg;

static void emit_arg(text_out *o, const of_strings *s, const arg *a);

static void emit_text(text_out *o, const of_strings *s, of_text_id id, const arg *args)
{
    const char *p = template_for(s, id);

    while (*p != '\0') {
        if (p[0] == '{' && p[1] == '{') {
            out_byte(o, '{');
            p += 2;
        } else if (p[0] == '{') {
            /* template_for() checked this is {n} with n in range */
            emit_arg(o, s, &args[p[1] - '1']);
            p += 3;
        } else {
            const char *q = p;
            while (*q != '\0' && *q != '{')
                q++;
            while (p < q)
                out_byte(o, (unsigned char)*p++);
        }
    }
}

static void emit_label(text_out *o, const of_strings *s, of_text_id id)
{
    emit_text(o, s, id, NULL);
}

static arg arg_str(const char *str)
{
    arg a = {ARG_STR, str, 0, OF_TEXT_COUNT, NULL};
    return a;
}

static arg arg_u64(uint64_t v)
{
    arg a = {ARG_U64, NULL, v, OF_TEXT_COUNT, NULL};
    return a;
}

static arg arg_text(of_text_id id)
{
    arg a = {ARG_TEXT, NULL, 0, id, NULL};
    return a;
}

static arg arg_of(arg_kind kind, uint64_t num, const of_record *rec)
{
    arg a = {kind, NULL, num, OF_TEXT_COUNT, rec};
    return a;
}

static void emit_duration(text_out *o, const of_strings *s, uint64_t ms)
{
    uint64_t sec = ms / 1000;
    uint64_t big, small;
    of_text_id one, two;
    arg args[2];

    if (sec == 0) {
        emit_label(o, s, OF_TEXT_DURATION_SUBSECOND);
        return;
    }
    if (sec < 60) {
        big = sec;
        small = 0;
        one = two = OF_TEXT_DURATION_S;
    } else if (sec < 3600) {
        big = sec / 60;
        small = sec % 60;
        one = OF_TEXT_DURATION_MIN;
        two = OF_TEXT_DURATION_MIN_S;
    } else if (sec < 86400) {
        big = sec / 3600;
        small = sec % 3600 / 60;
        one = OF_TEXT_DURATION_H;
        two = OF_TEXT_DURATION_H_MIN;
    } else {
        big = sec / 86400;
        small = sec % 86400 / 3600;
        one = OF_TEXT_DURATION_D;
        two = OF_TEXT_DURATION_D_H;
    }
    args[0] = arg_u64(big);
    args[1] = arg_u64(small);
    emit_text(o, s, small == 0 ? one : two, args);
}

static of_text_id rule_label(uint32_t flags)
{
    switch (flags & OF_SYNC_CR_MASK) {
    case OF_SYNC_CR_KEEPLOCAL:
        return OF_TEXT_RULE_KEEPLOCAL;
    case OF_SYNC_CR_KEEPREMOTE:
        return OF_TEXT_RULE_KEEPREMOTE;
    case OF_SYNC_CR_KEEPLATEST:
        return OF_TEXT_RULE_KEEPLATEST;
    default:
        return OF_TEXT_COUNT; /* none, or unknown (shown in the hex item) */
    }
}

/* The flag labels and the unknown-bits item; writes nothing if none. */
static void emit_flag_list(text_out *o, const of_strings *s, uint32_t flags)
{
    uint32_t unknown = of_syncflags_unknown(flags);
    int first = 1;

    for (size_t i = 0; i < N_FLAG_LABELS; i++) {
        if (!(flags & flag_labels[i].bit))
            continue;
        if (!first)
            emit_label(o, s, OF_TEXT_LIST_SEPARATOR);
        emit_label(o, s, flag_labels[i].id);
        first = 0;
    }
    if (unknown != 0) {
        if (!first)
            emit_label(o, s, OF_TEXT_LIST_SEPARATOR);
        out_hex32(o, unknown);
    }
}

static int has_flag_items(uint32_t flags)
{
    return (flags & ~OF_SYNC_CR_MASK & OF_SYNC_VALID_FLAGS) != 0 || of_syncflags_unknown(flags) != 0;
}

static void emit_details(text_out *o, const of_strings *s, uint32_t flags)
{
    of_text_id rule = rule_label(flags);

    if (rule == OF_TEXT_COUNT) {
        if (has_flag_items(flags))
            emit_flag_list(o, s, flags);
        else
            emit_label(o, s, OF_TEXT_DETAILS_NONE);
    } else if (!has_flag_items(flags)) {
        emit_label(o, s, rule);
    } else {
        arg args[2];
        args[0] = arg_of(ARG_FLAGS, flags, NULL);
        args[1] = arg_text(rule);
        emit_text(o, s, OF_TEXT_DETAILS_WITH_RULE, args);
    }
}

static int status_ok(const of_record *r)
{
    return r != NULL && r->status < OF_STATUS_COUNT;
}

/* The reason label, or the plain status label when the reason is unknown. */
static of_text_id reason_label(const of_record *r)
{
    if (r->reason == OF_REASON_FAILED)
        return OF_TEXT_REASON_FAILED;
    if (r->reason > OF_REASON_NONE && r->reason <= OF_REASON_TIMEOUT)
        return (of_text_id)(OF_TEXT_REASON_DATALOST + (r->reason - OF_REASON_DATALOST));
    return OF_TEXT_STATUS_INTERRUPTED;
}

static of_text_id direction_label(of_direction d)
{
    if ((unsigned)d >= (unsigned)OF_DIR_COUNT)
        d = OF_DIR_UNSPECIFIED;
    return (of_text_id)(OF_TEXT_DIR_UNSPECIFIED + d);
}

/* r must pass status_ok. */
static void emit_body(text_out *o, const of_strings *s, const of_record *r)
{
    arg args[2];

    args[0] = arg_text(direction_label(of_syncflags_direction(r->flags)));
    switch ((of_status)r->status) {
    case OF_STATUS_COMPLETED:
        args[1] = arg_of(ARG_DURATION, r->duration_ms, NULL);
        emit_text(o, s, OF_TEXT_BALLOON_BODY_COMPLETED, args);
        break;
    case OF_STATUS_UNPAIRED:
        emit_text(o, s, OF_TEXT_BALLOON_BODY_UNPAIRED, args);
        break;
    default:
        args[1] = arg_text(reason_label(r));
        emit_text(o, s, OF_TEXT_BALLOON_BODY_INTERRUPTED, args);
        break;
    }
}

static void emit_arg(text_out *o, const of_strings *s, const arg *a)
{
    switch (a->kind) {
    case ARG_STR:
        if (a->str != NULL)
            out_text(o, a->str);
        break;
    case ARG_U64:
        out_u64(o, a->num);
        break;
    case ARG_TEXT:
        emit_label(o, s, a->id);
        break;
    case ARG_DURATION:
        emit_duration(o, s, a->num);
        break;
    case ARG_FLAGS:
        emit_flag_list(o, s, (uint32_t)a->num);
        break;
    case ARG_BODY:
        emit_body(o, s, a->rec);
        break;
    }
}

/* ---- public: text for people ------------------------------------------- */

size_t of_format_text(const of_strings *s, of_text_id id, const char *const *args, size_t nargs,
                      char *buf, size_t cap)
{
    text_out o = out_make(buf, cap);
    arg a[9];
    int want = of_text_arg_count(id);

    if (want < 0 || nargs != (size_t)want || (nargs > 0 && args == NULL))
        return out_fail(buf, cap);
    for (size_t i = 0; i < nargs; i++)
        a[i] = arg_str(args[i]);
    emit_text(&o, s, id, a);
    return out_finish(&o);
}

size_t of_format_duration(const of_strings *s, uint64_t ms, char *buf, size_t cap)
{
    text_out o = out_make(buf, cap);
    emit_duration(&o, s, ms);
    return out_finish(&o);
}

size_t of_format_direction_label(const of_strings *s, of_direction d, char *buf, size_t cap)
{
    text_out o = out_make(buf, cap);
    emit_label(&o, s, direction_label(d));
    return out_finish(&o);
}

size_t of_format_status_label(const of_strings *s, const of_record *r, char *buf, size_t cap)
{
    text_out o = out_make(buf, cap);

    if (!status_ok(r))
        return out_fail(buf, cap);
    switch ((of_status)r->status) {
    case OF_STATUS_COMPLETED:
        emit_label(&o, s, OF_TEXT_STATUS_COMPLETED);
        break;
    case OF_STATUS_UNPAIRED:
        emit_label(&o, s, OF_TEXT_STATUS_UNPAIRED);
        break;
    default:
        if (reason_label(r) == OF_TEXT_STATUS_INTERRUPTED) {
            emit_label(&o, s, OF_TEXT_STATUS_INTERRUPTED);
        } else {
            arg a = arg_text(reason_label(r));
            emit_text(&o, s, OF_TEXT_STATUS_INTERRUPTED_REASON, &a);
        }
        break;
    }
    return out_finish(&o);
}

size_t of_format_details(const of_strings *s, uint32_t flags, char *buf, size_t cap)
{
    text_out o = out_make(buf, cap);
    emit_details(&o, s, flags);
    return out_finish(&o);
}

/* Finish both buffers of a balloon and say whether either was cut. */
static int balloon_finish(text_out *t, text_out *b, size_t title_cap, size_t body_cap)
{
    size_t tl = out_finish(t);
    size_t bl = out_finish(b);
    return (tl >= title_cap || bl >= body_cap) ? OF_FORMAT_TRUNCATED : OF_FORMAT_OK;
}

int of_format_balloon(const of_strings *s, const of_record *r, char *title, size_t title_cap,
                      char *body, size_t body_cap)
{
    text_out t = out_make(title, title_cap);
    text_out b = out_make(body, body_cap);

    if (!status_ok(r)) {
        out_fail(title, title_cap);
        out_fail(body, body_cap);
        return OF_FORMAT_BAD_ARG;
    }
    emit_label(&t, s,
               r->status == OF_STATUS_INTERRUPTED ? OF_TEXT_BALLOON_TITLE_INTERRUPTED
                                                  : OF_TEXT_BALLOON_TITLE_COMPLETED);
    emit_body(&b, s, r);
    return balloon_finish(&t, &b, title != NULL ? title_cap : 0, body != NULL ? body_cap : 0);
}

int of_format_balloon_summary(const of_strings *s, const of_record *recs, size_t n, char *title,
                              size_t title_cap, char *body, size_t body_cap)
{
    text_out t = out_make(title, title_cap);
    text_out b = out_make(body, body_cap);
    uint64_t interrupted = 0;
    arg args[2];

    if (recs == NULL || n == 0)
        goto bad;
    for (size_t i = 0; i < n; i++) {
        if (!status_ok(&recs[i]))
            goto bad;
        if (recs[i].status == OF_STATUS_INTERRUPTED)
            interrupted++;
    }
    if (n == 1)
        return of_format_balloon(s, recs, title, title_cap, body, body_cap);

    args[0] = arg_u64(n);
    args[1] = arg_u64(interrupted);
    if (interrupted == 0)
        emit_text(&t, s, OF_TEXT_SUMMARY_TITLE_COMPLETED, args);
    else if (interrupted == n)
        emit_text(&t, s, OF_TEXT_SUMMARY_TITLE_INTERRUPTED, args);
    else
        emit_text(&t, s, OF_TEXT_SUMMARY_TITLE_MIXED, args);
    args[0] = arg_of(ARG_BODY, 0, &recs[n - 1]);
    emit_text(&b, s, OF_TEXT_SUMMARY_BODY, args);
    return balloon_finish(&t, &b, title != NULL ? title_cap : 0, body != NULL ? body_cap : 0);

bad:
    out_fail(title, title_cap);
    out_fail(body, body_cap);
    return OF_FORMAT_BAD_ARG;
}

/* ---- public: machine formats --------------------------------------------- */

#define MS_PER_DAY INT64_C(86400000)
/* 1601-01-01T00:00:00.000Z and 9999-12-31T23:59:59.999Z in Unix ms. */
#define MIN_UNIX_MS INT64_C(-11644473600000)
#define MAX_UNIX_MS INT64_C(253402300799999)

/* Days in the Gregorian 400-, 100-, 4- and 1-year cycles. 1601 starts a
 * 400-year cycle, so counting from it needs no offsets. */
#define DAYS_400Y 146097
#define DAYS_100Y 36524
#define DAYS_4Y 1461
#define DAYS_1Y 365

static int is_leap(unsigned y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static void emit_iso8601(text_out *o, int64_t unix_ms)
{
    static const unsigned char month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t t = unix_ms - MIN_UNIX_MS; /* >= 0: checked by the caller */
    int64_t days = t / MS_PER_DAY;
    int64_t msday = t % MS_PER_DAY;
    int64_t n400, n100, n4, n1;
    unsigned year, month = 0, mday;

    n400 = days / DAYS_400Y;
    days %= DAYS_400Y;
    n100 = days / DAYS_100Y;
    if (n100 == 4) /* 31 December of a year divisible by 400 */
        n100 = 3;
    days -= n100 * DAYS_100Y;
    n4 = days / DAYS_4Y;
    days %= DAYS_4Y;
    n1 = days / DAYS_1Y;
    if (n1 == 4) /* 31 December of a leap year */
        n1 = 3;
    days -= n1 * DAYS_1Y;
    year = (unsigned)(1601 + 400 * n400 + 100 * n100 + 4 * n4 + n1);

    for (;;) {
        unsigned len = month_days[month] + (month == 1 && is_leap(year) ? 1u : 0u);
        if (days < (int64_t)len)
            break;
        days -= len;
        month++;
    }
    mday = (unsigned)days + 1;

    out_dec_fixed(o, year, 4);
    out_byte(o, '-');
    out_dec_fixed(o, month + 1, 2);
    out_byte(o, '-');
    out_dec_fixed(o, mday, 2);
    out_byte(o, 'T');
    out_dec_fixed(o, (unsigned)(msday / 3600000), 2);
    out_byte(o, ':');
    out_dec_fixed(o, (unsigned)(msday / 60000 % 60), 2);
    out_byte(o, ':');
    out_dec_fixed(o, (unsigned)(msday / 1000 % 60), 2);
    out_byte(o, '.');
    out_dec_fixed(o, (unsigned)(msday % 1000), 3);
    out_byte(o, 'Z');
}

static int time_ok(int64_t unix_ms)
{
    /* OF_TIME_UNKNOWN (INT64_MIN) is below the range too. */
    return unix_ms >= MIN_UNIX_MS && unix_ms <= MAX_UNIX_MS;
}

size_t of_format_iso8601_utc(int64_t unix_ms, char *buf, size_t cap)
{
    text_out o = out_make(buf, cap);

    if (!time_ok(unix_ms))
        return out_fail(buf, cap);
    emit_iso8601(&o, unix_ms);
    return out_finish(&o);
}

static const char *const status_words[OF_STATUS_COUNT] = {
    [OF_STATUS_COMPLETED] = "completed",
    [OF_STATUS_UNPAIRED] = "unpaired",
    [OF_STATUS_INTERRUPTED] = "interrupted",
};

/* NULL for OF_REASON_NONE (exported as null). */
static const char *reason_word(unsigned reason)
{
    static const char *const words[OF_REASON_COUNT] = {
        [OF_REASON_NONE] = NULL,
        [OF_REASON_DATALOST] = "datalost",
        [OF_REASON_SERVICE_LOST] = "service-lost",
        [OF_REASON_SHUTDOWN] = "shutdown",
        [OF_REASON_TIMEOUT] = "timeout",
        [OF_REASON_FAILED] = "failed",
    };
    return reason < OF_REASON_COUNT ? words[reason] : "unknown";
}

static void emit_json_escaped(text_out *o, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;

    while (*p != '\0') {
        uint32_t cp;
        size_t n = utf8_decode(p, &cp);

        if (cp == CP_INVALID) {
            out_replacement(o);
        } else if (cp == '"' || cp == '\\') {
            out_byte(o, '\\');
            out_byte(o, (unsigned char)cp);
        } else if (cp == '\b') {
            out_raw(o, "\\b");
        } else if (cp == '\f') {
            out_raw(o, "\\f");
        } else if (cp == '\n') {
            out_raw(o, "\\n");
        } else if (cp == '\r') {
            out_raw(o, "\\r");
        } else if (cp == '\t') {
            out_raw(o, "\\t");
        } else if (cp < 0x20 || cp == 0x7F) {
            out_raw(o, "\\u00");
            out_byte(o, (unsigned char)hex[cp >> 4]);
            out_byte(o, (unsigned char)hex[cp & 0xFu]);
        } else if (cp == 0x2028) {
            out_raw(o, "\\u2028");
        } else if (cp == 0x2029) {
            out_raw(o, "\\u2029");
        } else {
            for (size_t i = 0; i < n; i++)
                out_byte(o, p[i]);
        }
        p += n;
    }
}

static void emit_json_string(text_out *o, const char *s)
{
    out_byte(o, '"');
    emit_json_escaped(o, s);
    out_byte(o, '"');
}

static void emit_json_time(text_out *o, int64_t unix_ms)
{
    if (!time_ok(unix_ms)) {
        out_raw(o, "null");
        return;
    }
    out_byte(o, '"');
    emit_iso8601(o, unix_ms);
    out_byte(o, '"');
}

static void emit_json_hex(text_out *o, uint32_t v)
{
    out_byte(o, '"');
    out_hex32(o, v);
    out_byte(o, '"');
}

size_t of_format_jsonl(const of_record *r, char *buf, size_t cap)
{
    text_out o = out_make(buf, cap);
    char flags_text[OF_SYNCFLAGS_TEXT_MAX + 1];
    const char *reason;

    if (!status_ok(r))
        return out_fail(buf, cap);
    of_syncflags_describe(r->flags, flags_text, sizeof flags_text);
    reason = reason_word(r->reason);

    out_raw(&o, "{\"seq\":");
    out_u64(&o, r->seq);
    out_raw(&o, ",\"started\":");
    emit_json_time(&o, r->started_ms);
    out_raw(&o, ",\"completed\":");
    emit_json_time(&o, r->completed_ms);
    out_raw(&o, ",\"duration_ms\":");
    out_u64(&o, r->duration_ms);
    out_raw(&o, ",\"direction\":");
    emit_json_string(&o, of_direction_word(of_syncflags_direction(r->flags)));
    out_raw(&o, ",\"flags\":");
    emit_json_hex(&o, r->flags);
    out_raw(&o, ",\"flags_text\":");
    emit_json_string(&o, flags_text);
    out_raw(&o, ",\"status\":");
    emit_json_string(&o, status_words[r->status]);
    out_raw(&o, ",\"reason\":");
    if (reason == NULL)
        out_raw(&o, "null");
    else
        emit_json_string(&o, reason);
    out_raw(&o, ",\"begin_flags\":");
    emit_json_hex(&o, r->begin_flags);
    out_raw(&o, "}\n");
    return out_finish(&o);
}

static int csv_guarded(unsigned char first)
{
    return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' ||
           first == '\r';
}

static void emit_csv_field(text_out *o, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    int guard, quote;

    if (s == NULL || *s == '\0')
        return;
    guard = csv_guarded(p[0]);
    quote = guard || strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        out_byte(o, '"');
    if (guard)
        out_byte(o, '\'');
    while (*p != '\0') {
        uint32_t cp;
        size_t n = utf8_decode(p, &cp);
        if (cp == CP_INVALID) {
            out_replacement(o);
        } else {
            if (cp == '"')
                out_byte(o, '"');
            for (size_t i = 0; i < n; i++)
                out_byte(o, p[i]);
        }
        p += n;
    }
    if (quote)
        out_byte(o, '"');
}

static void emit_csv_time(text_out *o, int64_t unix_ms)
{
    if (time_ok(unix_ms))
        emit_iso8601(o, unix_ms);
}

size_t of_format_csv_header(char *buf, size_t cap)
{
    text_out o = out_make(buf, cap);
    out_raw(&o, "seq,started,completed,duration_ms,direction,flags,flags_text,status,reason,"
                "begin_flags\r\n");
    return out_finish(&o);
}

size_t of_format_csv_row(const of_record *r, char *buf, size_t cap)
{
    text_out o = out_make(buf, cap);
    char flags_text[OF_SYNCFLAGS_TEXT_MAX + 1];

    if (!status_ok(r))
        return out_fail(buf, cap);
    of_syncflags_describe(r->flags, flags_text, sizeof flags_text);

    out_u64(&o, r->seq);
    out_byte(&o, ',');
    emit_csv_time(&o, r->started_ms);
    out_byte(&o, ',');
    emit_csv_time(&o, r->completed_ms);
    out_byte(&o, ',');
    out_u64(&o, r->duration_ms);
    out_byte(&o, ',');
    emit_csv_field(&o, of_direction_word(of_syncflags_direction(r->flags)));
    out_byte(&o, ',');
    out_hex32(&o, r->flags);
    out_byte(&o, ',');
    emit_csv_field(&o, flags_text);
    out_byte(&o, ',');
    emit_csv_field(&o, status_words[r->status]);
    out_byte(&o, ',');
    emit_csv_field(&o, reason_word(r->reason));
    out_byte(&o, ',');
    out_hex32(&o, r->begin_flags);
    out_raw(&o, "\r\n");
    return out_finish(&o);
}

size_t of_json_escape(const char *s, char *buf, size_t cap)
{
    text_out o = out_make(buf, cap);
    if (s != NULL)
        emit_json_escaped(&o, s);
    return out_finish(&o);
}

size_t of_csv_field(const char *s, char *buf, size_t cap)
{
    text_out o = out_make(buf, cap);
    emit_csv_field(&o, s);
    return out_finish(&o);
}
