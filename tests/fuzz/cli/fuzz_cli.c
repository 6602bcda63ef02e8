/* ofnotify fuzzing: the command line (core/cliparse) and its TIME form
 * (core/isotime's of_civil_parse and of_civil_to_unix_ms).
 *
 * The input: one byte of settings (a stand-in time zone's offset and whether
 * its conversion fails for some years), then one argument per line. The
 * result must equal a model of cliparse.h's grammar read independently
 * here: the first mistake, its argument and names, or the options. What
 * parses must parse the same again from its canonical form, and every TIME
 * accepted must name the instant fuzzcheck's own ISO 8601 writer prints. */
#include "fuzzcheck.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofnotify/civiltime.h"
#include "ofnotify/cliparse.h"

#define MAX_ARGS 12

/* The stand-in time zone: local = UTC + offset; with fails set, local times
 * in years ending in 3 cannot be converted. */
typedef struct zone {
    int64_t offset_ms;
    int fails;
} zone;

static int zone_local(void *ctx, const of_civil_time *t, int64_t *ms)
{
    const zone *z = ctx;
    FZ_CHECK(t->utc == 0);
    if (z->fails && t->year % 10 == 3)
        return -1;
    *ms = of_civil_to_unix_ms(t) - z->offset_ms;
    return 0;
}

/* ---- the TIME model ---- */

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* A TIME by its shape ("dddd-dd-dd", then "Tdd:dd", ":dd", "Z"), its fields
 * by sscanf, a date checked by the day after it not being in its month.
 * Returns 1 with the fields (and the instant, via fz_iso8601 text) or 0. */
static int model_time(const char *s, int f[6], int *utc)
{
    static const char *const shapes[] = {"dddd-dd-dd",         "dddd-dd-ddTdd:dd",    "dddd-dd-ddTdd:ddZ",
                                         "dddd-dd-ddTdd:dd:dd", "dddd-dd-ddTdd:dd:ddZ"};
    int shape = -1;
    for (int k = 0; k < 5 && shape < 0; k++) {
        const char *p = shapes[k];
        size_t n = strlen(p);
        if (strlen(s) != n)
            continue;
        size_t i = 0;
        while (i < n && (p[i] == 'd' ? is_digit(s[i]) : p[i] == s[i]))
            i++;
        if (i == n)
            shape = k;
    }
    if (shape < 0)
        return 0;
    f[3] = f[4] = f[5] = 0;
    sscanf(s, "%4d-%2d-%2d", &f[0], &f[1], &f[2]);
    if (shape >= 1)
        sscanf(s + 11, "%2d:%2d", &f[3], &f[4]);
    if (shape >= 3)
        sscanf(s + 17, "%2d", &f[5]);
    *utc = shape == 2 || shape == 4;
    int feb = (f[0] % 4 == 0 && f[0] % 100 != 0) || f[0] % 400 == 0 ? 29 : 28;
    int len[13] = {0, 31, feb, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return f[0] >= 1601 && f[1] >= 1 && f[1] <= 12 && f[2] >= 1 && f[2] <= len[f[1]] && f[3] <= 23 && f[4] <= 59 &&
           f[5] <= 59;
}

/* of_civil_parse and of_civil_to_unix_ms against the model, for any text. */
static void check_time(const char *s)
{
    of_civil_time t = {.year = -5};
    int f[6], utc = 0;
    int want = model_time(s, f, &utc);
    int got = of_civil_parse(s, &t) == 0;
    FZ_CHECK(got == want);
    if (!got) {
        FZ_CHECK(t.year == -5);
        return;
    }
    FZ_CHECK(t.year == f[0] && t.month == f[1] && t.day == f[2] && t.hour == f[3] && t.minute == f[4] &&
             t.second == f[5] && t.utc == utc);
    char iso[25], expect[25];
    FZ_CHECK(fz_iso8601(of_civil_to_unix_ms(&t), iso));
    snprintf(expect, sizeof expect, "%04d-%02d-%02dT%02d:%02d:%02d.000Z", f[0], f[1], f[2], f[3], f[4], f[5]);
    FZ_CHECK(strcmp(iso, expect) == 0);
}

/* ---- the command-line model ---- */

/* What each argument can be. */
typedef enum kind { K_UNKNOWN, K_BACKGROUND, K_DATA_DIR, K_OUT, K_SINCE, K_UNTIL, K_MODE } kind;

typedef struct model {
    of_cli_err code;
    int arg;
    const char *name, *other;
    of_cli_options o;
} model;

static const struct {
    const char *word;
    of_cli_mode mode;
    const char *name;
} words[] = {
    {"--exit", OF_CLI_EXIT, "--exit"},       {"--sync-now", OF_CLI_SYNC_NOW, "--sync-now"},
    {"--status", OF_CLI_STATUS, "--status"}, {"--help", OF_CLI_HELP, "--help"},
    {"-h", OF_CLI_HELP, "--help"},           {"/?", OF_CLI_HELP, "--help"},
    {"--version", OF_CLI_VERSION, "--version"},
};

/* a is name, alone or followed by '=': the value (NULL when alone). */
static int named(const char *a, const char *name, const char **value)
{
    size_t n = strlen(name);
    if (strncmp(a, name, n) != 0 || (a[n] != '\0' && a[n] != '='))
        return 0;
    *value = a[n] == '=' ? a + n + 1 : NULL;
    return 1;
}

static int set_err(model *m, of_cli_err code, int arg, const char *name, const char *other)
{
    m->code = code;
    m->arg = arg;
    m->name = name;
    m->other = other;
    return 0;
}

/* Takes a mode: 1, or 0 with the error set. */
static int take_mode(model *m, int *have, of_cli_mode mode, const char *name, int i)
{
    static const char *const names[] = {NULL,        "--export", "--wait-idle", "--exit",
                                        "--sync-now", "--status", "--help",      "--version"};
    if (*have)
        return m->o.mode == mode ? set_err(m, OF_CLI_E_REPEATED, i, name, NULL)
                                 : set_err(m, OF_CLI_E_CONFLICT, i, names[m->o.mode], name);
    *have = 1;
    m->o.mode = mode;
    return 1;
}

static int model_time_arg(model *m, const zone *z, const char *v, const char *name, int i, int *has, int64_t *ms)
{
    int f[6], utc;
    if (*has)
        return set_err(m, OF_CLI_E_REPEATED, i, name, NULL);
    if (!model_time(v ? v : "", f, &utc))
        return set_err(m, OF_CLI_E_BAD_TIME, i, name, NULL);
    of_civil_time t = {f[0], f[1], f[2], f[3], f[4], f[5], utc};
    if (!utc && z->fails && f[0] % 10 == 3)
        return set_err(m, OF_CLI_E_BAD_TIME, i, name, NULL);
    *ms = of_civil_to_unix_ms(&t) - (utc ? 0 : z->offset_ms);
    *has = 1;
    return 1;
}

/* One argument: 1 when taken, 0 with the error set. */
static int model_arg(model *m, const zone *z, const char *a, int i, int *have_mode)
{
    const char *v;
    if (!strcmp(a, "--background"))
        return m->o.background ? set_err(m, OF_CLI_E_REPEATED, i, "--background", NULL) : (m->o.background = 1);
    if (named(a, "--data-dir", &v) && v && *v)
        return m->o.data_dir ? set_err(m, OF_CLI_E_REPEATED, i, "--data-dir", NULL) : (m->o.data_dir = i, 1);
    if (named(a, "--out", &v) && v && *v)
        return m->o.out ? set_err(m, OF_CLI_E_REPEATED, i, "--out", NULL) : (m->o.out = i, 1);
    if (named(a, "--since", &v))
        return model_time_arg(m, z, v, "--since", i, &m->o.has_since, &m->o.since_ms);
    if (named(a, "--until", &v))
        return model_time_arg(m, z, v, "--until", i, &m->o.has_until, &m->o.until_ms);
    if (named(a, "--export", &v)) {
        if (!take_mode(m, have_mode, OF_CLI_EXPORT, "--export", i))
            return 0;
        if (v && !strcmp(v, "csv"))
            m->o.format = OF_CLI_CSV;
        else if (!v || strcmp(v, "jsonl") != 0)
            return set_err(m, OF_CLI_E_EXPORT_FORMAT, i, "--export", NULL);
        return 1;
    }
    if (named(a, "--wait-idle", &v)) {
        if (!take_mode(m, have_mode, OF_CLI_WAIT_IDLE, "--wait-idle", i))
            return 0;
        if (v && *v) {
            size_t n = strspn(v, "0123456789");
            /* Leading zeros aside, more than 8 digits is over a day. */
            const char *d = v;
            while (*d == '0' && d[1] != '\0')
                d++;
            if (v[n] != '\0' || strlen(d) > 8 || strtoul(d, NULL, 10) > OF_CLI_MAX_TIMEOUT_MS)
                return set_err(m, OF_CLI_E_BAD_OPTION, i, NULL, NULL);
            m->o.timeout_ms = (uint32_t)strtoul(d, NULL, 10);
        }
        return 1;
    }
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++)
        if (!strcmp(a, words[k].word))
            return take_mode(m, have_mode, words[k].mode, words[k].name, i);
    return set_err(m, OF_CLI_E_BAD_OPTION, i, NULL, NULL);
}

static void run_model(model *m, const zone *z, int argc, char **argv)
{
    static const char *const names[] = {NULL,        "--export", "--wait-idle", "--exit",
                                        "--sync-now", "--status", "--help",      "--version"};
    int have_mode = 0;
    memset(m, 0, sizeof(*m));
    m->o.timeout_ms = OF_CLI_DEFAULT_TIMEOUT_MS;
    for (int i = 1; i < argc; i++)
        if (!model_arg(m, z, argv[i], i, &have_mode))
            return;
    if (m->o.background && have_mode)
        set_err(m, OF_CLI_E_CONFLICT, 0, "--background", names[m->o.mode]);
    else if (m->o.mode != OF_CLI_EXPORT && m->o.out)
        set_err(m, OF_CLI_E_NEEDS_EXPORT, m->o.out, "--out", NULL);
    else if (m->o.mode != OF_CLI_EXPORT && (m->o.has_since || m->o.has_until))
        set_err(m, OF_CLI_E_NEEDS_EXPORT, 0, m->o.has_since ? "--since" : "--until", NULL);
    else if (m->o.has_since && m->o.has_until && m->o.since_ms >= m->o.until_ms)
        set_err(m, OF_CLI_E_TIME_ORDER, 0, "--since", "--until");
}

static int same_text(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int same_options(const of_cli_options *a, const of_cli_options *b)
{
    return a->mode == b->mode && a->background == b->background && a->format == b->format &&
           a->timeout_ms == b->timeout_ms && a->has_since == b->has_since && a->has_until == b->has_until &&
           (!a->has_since || a->since_ms == b->since_ms) && (!a->has_until || a->until_ms == b->until_ms);
}

/* The options written back as arguments (TIMEs in UTC) parse to the same. */
static void check_canonical(const of_cli_options *o, char **argv, const zone *z)
{
    char buf[8][64];
    const char *args[10] = {"ofnotify.exe"};
    int n = 1;
    if (o->background)
        args[n++] = "--background";
    if (o->mode == OF_CLI_EXPORT)
        args[n++] = o->format == OF_CLI_CSV ? "--export=csv" : "--export=jsonl";
    else if (o->mode == OF_CLI_WAIT_IDLE)
        snprintf(buf[0], sizeof buf[0], "--wait-idle=%u", (unsigned)o->timeout_ms), args[n++] = buf[0];
    else if (o->mode != OF_CLI_TRAY)
        args[n++] = of_cli_mode_name(o->mode);
    if (o->data_dir)
        args[n++] = argv[o->data_dir];
    if (o->out)
        args[n++] = argv[o->out];
    for (int k = 0; k < 2; k++) {
        int has = k ? o->has_until : o->has_since;
        char iso[25];
        if (!has)
            continue;
        /* A local time near 1601 or 9999 may be out of the range a TIME in UTC can say. */
        if (!fz_iso8601(k ? o->until_ms : o->since_ms, iso))
            return;
        FZ_CHECK(strcmp(iso + 19, ".000Z") == 0); /* whole seconds */
        iso[19] = '\0';
        snprintf(buf[1 + k], sizeof buf[1 + k], "%s=%sZ", k ? "--until" : "--since", iso);
        args[n++] = buf[1 + k];
    }
    of_cli_options again;
    of_cli_error e;
    FZ_CHECK(of_cli_parse(n, args, zone_local, (void *)z, &again, &e) == OF_CLI_OK);
    FZ_CHECK(same_options(o, &again));
    FZ_CHECK((o->data_dir != 0) == (again.data_dir != 0) && (o->out != 0) == (again.out != 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_input in = fz_input_make(data, size);
    uint8_t settings = fz_u8(&in);
    zone z = {(int64_t)((int)(settings & 0x7f) - 64) * 15 * 60000, settings >> 7};
    char *argv[MAX_ARGS + 1];
    int argc = 1;
    argv[0] = "ofnotify.exe";
    while (argc <= MAX_ARGS && in.left > 0)
        argv[argc++] = fz_line(&in);

    for (int i = 1; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        check_time(eq ? eq + 1 : argv[i]);
    }

    of_cli_options o;
    of_cli_error e;
    model m;
    memset(&e, 0xA5, sizeof e);
    of_cli_err rc = of_cli_parse(argc, (const char *const *)argv, zone_local, &z, &o, &e);
    run_model(&m, &z, argc, argv);
    FZ_CHECK(rc == e.code);
    FZ_CHECK(rc == m.code);
    FZ_CHECK(e.arg == m.arg);
    FZ_CHECK(same_text(e.name, m.name) && same_text(e.other, m.other));
    if (rc == OF_CLI_OK) {
        FZ_CHECK(same_options(&o, &m.o));
        FZ_CHECK(o.data_dir == m.o.data_dir && o.out == m.o.out);
        if (o.data_dir)
            FZ_CHECK(strncmp(argv[o.data_dir], "--data-dir=", 11) == 0 && argv[o.data_dir][11] != '\0');
        if (o.out)
            FZ_CHECK(strncmp(argv[o.out], "--out=", 6) == 0 && argv[o.out][6] != '\0');
        check_canonical(&o, argv, &z);
    }
    for (int i = 1; i < argc; i++)
        free(argv[i]);
    return 0;
}
