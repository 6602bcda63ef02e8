/* ofnotify: text for people, from the caller's string table: balloons,
 * the history list's cells, durations. */
#include "ofnotify/format.h"

#include "textbuf.h"

/* ---- string table and templates ----------------------------------------- */

/* Arguments taken by each template; ids not listed take none. */
static int arg_count(of_text_id id)
{
    switch (id) {
    case OF_TEXT_STATUS_INTERRUPTED_REASON:
    case OF_TEXT_STATUS_UNKNOWN:
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
    [OF_TEXT_STATUS_COMPLETED] = "completed",
    [OF_TEXT_STATUS_UNPAIRED] = "unpaired",
    [OF_TEXT_STATUS_INTERRUPTED] = "interrupted",
    [OF_TEXT_STATUS_INTERRUPTED_REASON] = "interrupted ({1})",
    [OF_TEXT_REASON_DATALOST] = "datalost",
    [OF_TEXT_REASON_SERVICE_LOST] = "service-lost",
    [OF_TEXT_REASON_SHUTDOWN] = "shutdown",
    [OF_TEXT_REASON_TIMEOUT] = "timeout",
    [OF_TEXT_REASON_FAILED] = "failed",
    [OF_TEXT_STATUS_UNKNOWN] = "unknown ({1})",
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
    [OF_TEXT_BALLOON_TITLE_SYNC_NOW_COMPLETED] = "ofnotify \xC2\xB7 sync-now",
    [OF_TEXT_BALLOON_TITLE_SYNC_NOW_INTERRUPTED] = "ofnotify \xC2\xB7 sync-now \xC2\xB7 interrupted",
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
    /* direction and flag labels: the syncflags words, looked up in stand_in() */
};

static const char *stand_in(of_text_id id)
{
    unsigned dir = (unsigned)id - (unsigned)OF_TEXT_DIR_UNSPECIFIED;
    if (dir < (unsigned)OF_DIR_COUNT)
        return of_direction_word((of_direction)dir);
    for (size_t i = 0; i < N_FLAG_LABELS; i++)
        if (flag_labels[i].id == id)
            return of_syncflags_name(flag_labels[i].bit);
    return stand_ins[id];
}

static int template_ok(const char *t, size_t nargs)
{
    const char *p = t;

    if (t == NULL || *t == '\0' || !of_utf8_valid(t))
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

static void emit_arg(textbuf *o, const of_strings *s, const arg *a);

static void emit_text(textbuf *o, const of_strings *s, of_text_id id, const arg *args)
{
    const char *p = template_for(s, id);

    while (*p != '\0') {
        if (p[0] == '{' && p[1] == '{') {
            textbuf_byte(o, '{');
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
                textbuf_byte(o, (unsigned char)*p++);
        }
    }
}

static void emit_label(textbuf *o, const of_strings *s, of_text_id id)
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

static void emit_duration(textbuf *o, const of_strings *s, uint64_t ms)
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
static void emit_flag_list(textbuf *o, const of_strings *s, uint32_t flags)
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
        textbuf_hex32(o, unknown);
    }
}

static int has_flag_items(uint32_t flags)
{
    return (flags & ~OF_SYNC_CR_MASK & OF_SYNC_VALID_FLAGS) != 0 || of_syncflags_unknown(flags) != 0;
}

static void emit_details(textbuf *o, const of_strings *s, uint32_t flags)
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
static void emit_body(textbuf *o, const of_strings *s, const of_record *r)
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

static void emit_arg(textbuf *o, const of_strings *s, const arg *a)
{
    switch (a->kind) {
    case ARG_STR:
        if (a->str != NULL)
            textbuf_text(o, a->str);
        break;
    case ARG_U64:
        textbuf_u64(o, a->num);
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
    textbuf o = textbuf_make(buf, cap);
    arg a[9];
    int want = of_text_arg_count(id);

    if (want < 0 || nargs != (size_t)want || (nargs > 0 && args == NULL))
        return textbuf_fail(buf, cap);
    for (size_t i = 0; i < nargs; i++)
        a[i] = arg_str(args[i]);
    emit_text(&o, s, id, a);
    return textbuf_finish(&o);
}

size_t of_format_duration(const of_strings *s, uint64_t ms, char *buf, size_t cap)
{
    textbuf o = textbuf_make(buf, cap);
    emit_duration(&o, s, ms);
    return textbuf_finish(&o);
}

size_t of_format_direction_label(const of_strings *s, of_direction d, char *buf, size_t cap)
{
    textbuf o = textbuf_make(buf, cap);
    emit_label(&o, s, direction_label(d));
    return textbuf_finish(&o);
}

size_t of_format_status_label(const of_strings *s, const of_record *r, char *buf, size_t cap)
{
    textbuf o = textbuf_make(buf, cap);

    if (r == NULL)
        return textbuf_fail(buf, cap);
    if (!status_ok(r)) {
        arg a = arg_u64(r->status);
        emit_text(&o, s, OF_TEXT_STATUS_UNKNOWN, &a);
        return textbuf_finish(&o);
    }
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
    return textbuf_finish(&o);
}

size_t of_format_details(const of_strings *s, uint32_t flags, char *buf, size_t cap)
{
    textbuf o = textbuf_make(buf, cap);
    emit_details(&o, s, flags);
    return textbuf_finish(&o);
}

/* Finish both buffers of a balloon and say whether either was cut. */
static int balloon_finish(textbuf *t, textbuf *b, size_t title_cap, size_t body_cap)
{
    size_t tl = textbuf_finish(t);
    size_t bl = textbuf_finish(b);
    return (tl >= title_cap || bl >= body_cap) ? OF_FORMAT_TRUNCATED : OF_FORMAT_OK;
}

/* A pass the user started says so in its title; any other origin (a newer
 * version's) reads as background. */
static of_text_id balloon_title(const of_record *r)
{
    int interrupted = r->status == OF_STATUS_INTERRUPTED;
    if (r->origin == OF_ORIGIN_SYNC_NOW)
        return interrupted ? OF_TEXT_BALLOON_TITLE_SYNC_NOW_INTERRUPTED : OF_TEXT_BALLOON_TITLE_SYNC_NOW_COMPLETED;
    return interrupted ? OF_TEXT_BALLOON_TITLE_INTERRUPTED : OF_TEXT_BALLOON_TITLE_COMPLETED;
}

int of_format_balloon(const of_strings *s, const of_record *r, char *title, size_t title_cap,
                      char *body, size_t body_cap)
{
    textbuf t = textbuf_make(title, title_cap);
    textbuf b = textbuf_make(body, body_cap);

    if (!status_ok(r)) {
        textbuf_fail(title, title_cap);
        textbuf_fail(body, body_cap);
        return OF_FORMAT_BAD_ARG;
    }
    emit_label(&t, s, balloon_title(r));
    emit_body(&b, s, r);
    return balloon_finish(&t, &b, title != NULL ? title_cap : 0, body != NULL ? body_cap : 0);
}

int of_format_balloon_summary(const of_strings *s, const of_record *recs, size_t n, char *title,
                              size_t title_cap, char *body, size_t body_cap)
{
    textbuf t = textbuf_make(title, title_cap);
    textbuf b = textbuf_make(body, body_cap);
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
    textbuf_fail(title, title_cap);
    textbuf_fail(body, body_cap);
    return OF_FORMAT_BAD_ARG;
}
