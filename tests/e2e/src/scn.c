/* e2e: scenario script parser (see scn.h). */
#include "scn.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ofnotify/syncflags.h"

static const struct hr_name {
    const char *name;
    uint32_t value;
} hr_names[] = {
    {"S_OK", 0x00000000u},           {"S_FALSE", 0x00000001u},
    {"E_FAIL", 0x80004005u},         {"E_ABORT", 0x80004004u},
    {"E_ACCESSDENIED", 0x80070005u}, {"E_INVALIDARG", 0x80070057u},
    {"E_NOTIMPL", 0x80004001u},      {"E_OUTOFMEMORY", 0x8007000Eu},
    {"E_UNEXPECTED", 0x8000FFFFu},   {"ERROR_CANCELLED", 0x800704C7u},
    {"RPC_E_DISCONNECTED", 0x80010108u},
};

/* What each keyword takes after it. ARG_MS and ARG_COUNT are decimal numbers
 * up to the op's max; ARG_FLAGS_MS is FLAGS and, after a blank, optional
 * milliseconds up to the max. */
enum arg_kind {
    ARG_NONE,
    ARG_FLAGS,
    ARG_FLAGS_MS,
    ARG_MS,
    ARG_COUNT,
    ARG_HRESULT,
    ARG_PATH,
    ARG_PATH_HRESULT,
    ARG_PATH_TYPE
};

static const char *const item_types[] = {"file", "directory", "share", "server"};

const char *scn_item_type_name(uint32_t type)
{
    return type < sizeof item_types / sizeof item_types[0] ? item_types[type] : "?";
}

static const struct op_info {
    const char *name;
    enum arg_kind arg;
    uint32_t max;
} op_info[SCN_OP_COUNT] = {
    [SCN_BEGIN] = {"begin", ARG_FLAGS},
    [SCN_END] = {"end", ARG_FLAGS},
    [SCN_SLEEP] = {"sleep", ARG_MS, SCN_SLEEP_MAX_MS},
    [SCN_SYNCBEGIN] = {"syncbegin", ARG_NONE},
    [SCN_SYNCEND] = {"syncend", ARG_HRESULT},
    [SCN_FILERESULT] = {"fileresult", ARG_PATH_HRESULT},
    [SCN_CONFLICT] = {"conflict", ARG_PATH},
    [SCN_CONFLICT_UPDATED] = {"conflict-updated", ARG_PATH},
    [SCN_CONFLICT_REMOVED] = {"conflict-removed", ARG_PATH},
    [SCN_ITEM_MODIFIED] = {"item-modified", ARG_PATH},
    [SCN_ITEM_PINNED] = {"item-pinned", ARG_PATH},
    [SCN_NET_ARRIVED] = {"net-arrived", ARG_NONE},
    [SCN_DATALOST] = {"datalost", ARG_NONE},
    [SCN_PING] = {"ping", ARG_NONE},
    [SCN_RESTART] = {"restart", ARG_NONE},
    [SCN_SYNC_SERVERS] = {"sync-servers", ARG_COUNT, SCN_SYNC_SERVERS_MAX},
    [SCN_SYNC_FILES] = {"sync-files", ARG_COUNT, SCN_SYNC_FILES_MAX},
    [SCN_SYNC_DELAY] = {"sync-delay", ARG_MS, SCN_SYNC_DELAY_MAX_MS},
    [SCN_SYNC_FAIL] = {"sync-fail", ARG_HRESULT},
    [SCN_SYNC_WAIT] = {"sync-wait", ARG_MS, SCN_SLEEP_MAX_MS},
    [SCN_SYNC_NOW] = {"sync-now", ARG_NONE},
    [SCN_PASS] = {"pass", ARG_FLAGS_MS, SCN_SLEEP_MAX_MS},
    [SCN_DISCONNECT] = {"disconnect", ARG_PATH_TYPE},
    [SCN_RECONNECT] = {"reconnect", ARG_PATH_TYPE},
    [SCN_NO_NET] = {"no-net", ARG_NONE},
    [SCN_RECONNECT_BEGIN] = {"reconnect-begin", ARG_NONE},
    [SCN_RECONNECT_END] = {"reconnect-end", ARG_NONE},
};

static void set_err(char *err, size_t cap, const char *fmt, ...)
{
    va_list ap;
    if (!err || cap == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, cap, fmt, ap);
    va_end(ap);
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* One or more decimal digits and nothing else. */
static int is_decimal(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* Trims blanks at both ends of s[0..*len) in place; returns the new start. */
static char *trim(char *s, size_t *len)
{
    while (*len > 0 && is_blank(s[0])) {
        s++;
        (*len)--;
    }
    while (*len > 0 && is_blank(s[*len - 1]))
        (*len)--;
    s[*len] = '\0';
    return s;
}

/* Unsigned number: "0x" + 1..n hex digits, or decimal digits; must fit in
 * 32 bits and be the whole text. */
static int parse_u32(const char *s, uint32_t *out)
{
    uint64_t v = 0;
    int base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        base = 16;
        s += 2;
    }
    if (*s == '\0')
        return -1;
    for (; *s; s++) {
        int d;
        if (*s >= '0' && *s <= '9')
            d = *s - '0';
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = *s - 'a' + 10;
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = *s - 'A' + 10;
        else
            return -1;
        v = v * (uint64_t)base + (uint64_t)d;
        if (v > 0xFFFFFFFFu)
            return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

int scn_parse_hresult(const char *text, uint32_t *out)
{
    size_t i;
    uint32_t v;
    if (!text || !out)
        return -1;
    for (i = 0; i < sizeof hr_names / sizeof hr_names[0]; i++) {
        if (strcmp(text, hr_names[i].name) == 0) {
            *out = hr_names[i].value;
            return 0;
        }
    }
    if (text[0] == '-') {
        /* A negative decimal HRESULT, as some tools print them. */
        if (text[1] == '0' && (text[2] == 'x' || text[2] == 'X'))
            return -1;
        if (parse_u32(text + 1, &v) != 0 || v > 0x80000000u)
            return -1;
        *out = (uint32_t)(0u - v);
        return 0;
    }
    if (text[0] < '0' || text[0] > '9' || parse_u32(text, &v) != 0)
        return -1;
    *out = v;
    return 0;
}

/* A path must be printable UTF-8 (the service converts it to UTF-16 and
 * the log prints it on one line). */
static int valid_path(const char *s, size_t len)
{
    size_t i = 0;
    if (len == 0 || len >= SCN_PATH_MAX)
        return 0;
    while (i < len) {
        unsigned char c = (unsigned char)s[i];
        size_t extra, k;
        uint32_t cp;
        if (c < 0x20 || c == 0x7F)
            return 0;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
            cp = c & 0x1Fu;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            cp = c & 0x0Fu;
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            cp = c & 0x07u;
        } else {
            return 0;
        }
        if (len - i <= extra)
            return 0;
        for (k = 1; k <= extra; k++) {
            unsigned char cc = (unsigned char)s[i + k];
            if ((cc & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (cc & 0x3Fu);
        }
        /* No overlong forms, surrogates or values past U+10FFFF. */
        if ((extra == 2 && cp < 0x800) || (extra == 3 && cp < 0x10000) || cp > 0x10FFFF ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += extra + 1;
    }
    return 1;
}

int scn_parse_line(const char *line, scn_cmd *out, char *err, size_t errcap)
{
    char buf[SCN_LINE_MAX + 1];
    size_t n, i, kwlen, restlen;
    char *s, *rest;
    const char *kw;
    int op = -1;
    scn_cmd c;

    if (err && errcap > 0)
        err[0] = '\0';
    if (!line || !out) {
        set_err(err, errcap, "internal error: no line");
        return -1;
    }
    n = strlen(line);
    if (n > 0 && line[n - 1] == '\r')
        n--;
    if (n > SCN_LINE_MAX) {
        set_err(err, errcap, "line longer than %d characters", SCN_LINE_MAX);
        return -1;
    }
    memcpy(buf, line, n);
    buf[n] = '\0';
    for (i = 0; i < n; i++) {
        if (buf[i] == '#' && (i == 0 || is_blank(buf[i - 1]))) {
            n = i;
            buf[n] = '\0';
            break;
        }
    }
    s = trim(buf, &n);
    if (n == 0)
        return 0;

    for (kwlen = 0; kwlen < n && !is_blank(s[kwlen]); kwlen++)
        ;
    kw = s;
    restlen = n - kwlen;
    rest = trim(s + kwlen, &restlen);
    s[kwlen] = '\0';

    for (i = 0; i < SCN_OP_COUNT; i++)
        if (strcmp(kw, op_info[i].name) == 0)
            op = (int)i;
    if (strcmp(kw, "conflict-added") == 0) /* the name that pairs with conflict-removed */
        op = SCN_CONFLICT;
    if (op < 0) {
        set_err(err, errcap, "unknown command '%.40s'", kw);
        return -1;
    }

    memset(&c, 0, sizeof c);
    c.op = (scn_op)op;
    switch (op_info[op].arg) {
    case ARG_NONE:
        if (restlen != 0) {
            set_err(err, errcap, "'%s' takes no argument", kw);
            return -1;
        }
        break;
    case ARG_FLAGS:
        if (restlen == 0 || of_syncflags_parse(rest, &c.value) != 0) {
            set_err(err, errcap, "'%s' needs FLAGS (0x hex, decimal or FLAG_/CR_ names joined by |), got '%.60s'",
                    kw, rest);
            return -1;
        }
        break;
    case ARG_FLAGS_MS: {
        /* FLAGS may hold blanks around '|', so MS is only the last word
         * when it is a decimal number and what precedes it is FLAGS. */
        size_t cut = restlen;
        uint32_t ms = 0;
        while (cut > 0 && !is_blank(rest[cut - 1]))
            cut--;
        if (cut > 0 && is_decimal(rest + cut) && parse_u32(rest + cut, &ms) == 0) {
            char flags[SCN_LINE_MAX + 1];
            size_t flen = cut;
            while (flen > 0 && is_blank(rest[flen - 1]))
                flen--;
            memcpy(flags, rest, flen);
            flags[flen] = '\0';
            if (of_syncflags_parse(flags, &c.value) == 0) {
                if (ms > op_info[op].max) {
                    set_err(err, errcap, "'%s' needs milliseconds 0..%u after FLAGS, got %s", kw,
                            (unsigned)op_info[op].max, rest + cut);
                    return -1;
                }
                c.ms = ms;
                break;
            }
        }
        if (restlen == 0 || of_syncflags_parse(rest, &c.value) != 0) {
            set_err(err, errcap, "'%s' needs FLAGS [MS] (FLAGS as for begin, MS decimal), got '%.60s'", kw, rest);
            return -1;
        }
        break;
    }
    case ARG_MS:
    case ARG_COUNT:
        if (restlen == 0 || rest[0] < '0' || rest[0] > '9' || (rest[1] == 'x' || rest[1] == 'X') ||
            parse_u32(rest, &c.value) != 0 || c.value > op_info[op].max) {
            set_err(err, errcap, "'%s' needs %s 0..%u, got '%.40s'", kw,
                    op_info[op].arg == ARG_MS ? "milliseconds" : "a number", (unsigned)op_info[op].max, rest);
            return -1;
        }
        break;
    case ARG_HRESULT:
        if (restlen == 0 || scn_parse_hresult(rest, &c.value) != 0) {
            set_err(err, errcap, "'%s' needs an HRESULT, got '%.40s'", kw, rest);
            return -1;
        }
        break;
    case ARG_PATH_HRESULT: {
        /* The HRESULT is the last word, so the path may contain blanks. */
        size_t cut = restlen, plen;
        while (cut > 0 && !is_blank(rest[cut - 1]))
            cut--;
        if (cut == 0 || scn_parse_hresult(rest + cut, &c.value) != 0) {
            set_err(err, errcap, "'%s' needs PATH HRESULT, got '%.60s'", kw, rest);
            return -1;
        }
        plen = cut;
        while (plen > 0 && is_blank(rest[plen - 1]))
            plen--;
        if (!valid_path(rest, plen)) {
            set_err(err, errcap, "'%s': bad or too long path", kw);
            return -1;
        }
        memcpy(c.path, rest, plen);
        c.path[plen] = '\0';
        break;
    }
    case ARG_PATH_TYPE: {
        /* The type is the last word, so the path may contain blanks. */
        size_t cut = restlen, plen;
        int type = -1;
        while (cut > 0 && !is_blank(rest[cut - 1]))
            cut--;
        for (i = 0; cut > 0 && i < sizeof item_types / sizeof item_types[0]; i++)
            if (strcmp(rest + cut, item_types[i]) == 0)
                type = (int)i;
        if (type < 0) {
            set_err(err, errcap, "'%s' needs PATH TYPE (TYPE: file, directory, share or server), got '%.60s'", kw,
                    rest);
            return -1;
        }
        plen = cut;
        while (plen > 0 && is_blank(rest[plen - 1]))
            plen--;
        if (!valid_path(rest, plen)) {
            set_err(err, errcap, "'%s': bad or too long path", kw);
            return -1;
        }
        memcpy(c.path, rest, plen);
        c.path[plen] = '\0';
        c.value = (uint32_t)type;
        break;
    }
    case ARG_PATH:
        if (!valid_path(rest, restlen)) {
            set_err(err, errcap, "'%s' needs a PATH (printable UTF-8, under %d bytes)", kw, SCN_PATH_MAX);
            return -1;
        }
        memcpy(c.path, rest, restlen + 1);
        break;
    }
    *out = c;
    return 1;
}

size_t scn_format(const scn_cmd *c, char *buf, size_t cap)
{
    int r;
    if (!c || (int)c->op < 0 || c->op >= SCN_OP_COUNT) {
        r = snprintf(buf, cap, "?");
        return r < 0 ? 0 : (size_t)r;
    }
    switch (op_info[c->op].arg) {
    case ARG_FLAGS:
    case ARG_HRESULT:
        r = snprintf(buf, cap, "%s 0x%08" PRIX32, op_info[c->op].name, c->value);
        break;
    case ARG_FLAGS_MS:
        r = snprintf(buf, cap, "%s 0x%08" PRIX32 " %" PRIu32, op_info[c->op].name, c->value, c->ms);
        break;
    case ARG_MS:
    case ARG_COUNT:
        r = snprintf(buf, cap, "%s %" PRIu32, op_info[c->op].name, c->value);
        break;
    case ARG_PATH:
        r = snprintf(buf, cap, "%s %s", op_info[c->op].name, c->path);
        break;
    case ARG_PATH_HRESULT:
        r = snprintf(buf, cap, "%s %s 0x%08" PRIX32, op_info[c->op].name, c->path, c->value);
        break;
    case ARG_PATH_TYPE:
        r = snprintf(buf, cap, "%s %s %s", op_info[c->op].name, c->path, scn_item_type_name(c->value));
        break;
    default:
        r = snprintf(buf, cap, "%s", op_info[c->op].name);
        break;
    }
    return r < 0 ? 0 : (size_t)r;
}

const char *scn_op_name(scn_op op)
{
    if ((int)op < 0 || op >= SCN_OP_COUNT)
        return "?";
    return op_info[op].name;
}
