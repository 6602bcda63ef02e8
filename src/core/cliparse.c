/* ofnotify: the command line, parsed. See cliparse.h. */
#include "ofnotify/cliparse.h"

#include <string.h>

/* The value of arg if it is name, alone ("") or with "=value"; else NULL. */
static const char *option_value(const char *arg, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(arg, name, n) != 0)
        return NULL;
    if (arg[n] == '=')
        return arg + n + 1;
    return arg[n] == '\0' ? "" : NULL;
}

/* Decimal digits only, 0..OF_CLI_MAX_TIMEOUT_MS. */
static int parse_ms(const char *text, uint32_t *out)
{
    uint32_t v = 0;
    if (*text == '\0')
        return 0;
    for (; *text; text++) {
        if (*text < '0' || *text > '9')
            return 0;
        v = v * 10 + (uint32_t)(*text - '0');
        if (v > OF_CLI_MAX_TIMEOUT_MS)
            return 0;
    }
    *out = v;
    return 1;
}

static of_cli_err fail(of_cli_error *e, of_cli_err code, int arg, const char *name, const char *other)
{
    e->code = code;
    e->arg = arg;
    e->name = name;
    e->other = other;
    return code;
}

const char *of_cli_mode_name(of_cli_mode mode)
{
    static const char *const names[] = {
        [OF_CLI_EXPORT] = "--export",   [OF_CLI_WAIT_IDLE] = "--wait-idle", [OF_CLI_EXIT] = "--exit",
        [OF_CLI_SYNC_NOW] = "--sync-now", [OF_CLI_STATUS] = "--status",      [OF_CLI_HELP] = "--help",
        [OF_CLI_VERSION] = "--version",
    };
    return (unsigned)mode < sizeof names / sizeof names[0] ? names[mode] : NULL;
}

/* The modes that are one exact word. */
static const struct {
    const char *word;
    of_cli_mode mode;
} mode_words[] = {
    {"--exit", OF_CLI_EXIT},       {"--sync-now", OF_CLI_SYNC_NOW}, {"--status", OF_CLI_STATUS},
    {"--help", OF_CLI_HELP},       {"-h", OF_CLI_HELP},             {"/?", OF_CLI_HELP},
    {"--version", OF_CLI_VERSION},
};

typedef struct parser {
    of_cli_options *o;
    of_cli_error *e;
    int have_mode;
    of_cli_local_fn local;
    void *ctx;
} parser;

/* One mode per command line: a second one, the same or another, is an
 * error rather than a guess at which was meant. */
static of_cli_err set_mode(parser *p, of_cli_mode mode, int i)
{
    if (p->have_mode) {
        if (p->o->mode == mode)
            return fail(p->e, OF_CLI_E_REPEATED, i, of_cli_mode_name(mode), NULL);
        return fail(p->e, OF_CLI_E_CONFLICT, i, of_cli_mode_name(p->o->mode), of_cli_mode_name(mode));
    }
    p->have_mode = 1;
    p->o->mode = mode;
    return OF_CLI_OK;
}

/* --since or --until: once, a TIME, and an instant. */
static of_cli_err set_time(parser *p, const char *value, const char *name, int i, int *has, int64_t *ms)
{
    of_civil_time t;
    if (*has)
        return fail(p->e, OF_CLI_E_REPEATED, i, name, NULL);
    if (of_civil_parse(value, &t) != 0)
        return fail(p->e, OF_CLI_E_BAD_TIME, i, name, NULL);
    if (t.utc)
        *ms = of_civil_to_unix_ms(&t);
    else if (p->local == NULL || p->local(p->ctx, &t, ms) != 0)
        return fail(p->e, OF_CLI_E_BAD_TIME, i, name, NULL);
    *has = 1;
    return OF_CLI_OK;
}

/* An option that takes a non-empty value may be given once. */
static of_cli_err set_once(parser *p, int *field, const char *name, int i)
{
    if (*field)
        return fail(p->e, OF_CLI_E_REPEATED, i, name, NULL);
    *field = i;
    return OF_CLI_OK;
}

static of_cli_err parse_one(parser *p, const char *a, int i)
{
    of_cli_options *o = p->o;
    const char *v;
    of_cli_err err;

    if (!strcmp(a, "--background")) {
        if (o->background)
            return fail(p->e, OF_CLI_E_REPEATED, i, "--background", NULL);
        o->background = 1;
        return OF_CLI_OK;
    }
    if ((v = option_value(a, "--data-dir")) != NULL && *v)
        return set_once(p, &o->data_dir, "--data-dir", i);
    if ((v = option_value(a, "--out")) != NULL && *v)
        return set_once(p, &o->out, "--out", i);
    if ((v = option_value(a, "--since")) != NULL)
        return set_time(p, v, "--since", i, &o->has_since, &o->since_ms);
    if ((v = option_value(a, "--until")) != NULL)
        return set_time(p, v, "--until", i, &o->has_until, &o->until_ms);
    if ((v = option_value(a, "--export")) != NULL) {
        if ((err = set_mode(p, OF_CLI_EXPORT, i)) != OF_CLI_OK)
            return err;
        if (!strcmp(v, "jsonl"))
            o->format = OF_CLI_JSONL;
        else if (!strcmp(v, "csv"))
            o->format = OF_CLI_CSV;
        else
            return fail(p->e, OF_CLI_E_EXPORT_FORMAT, i, "--export", NULL);
        return OF_CLI_OK;
    }
    if ((v = option_value(a, "--wait-idle")) != NULL) {
        if ((err = set_mode(p, OF_CLI_WAIT_IDLE, i)) != OF_CLI_OK)
            return err;
        /* "--wait-idle" and "--wait-idle=" keep the default. */
        if (*v && !parse_ms(v, &o->timeout_ms))
            return fail(p->e, OF_CLI_E_BAD_OPTION, i, NULL, NULL);
        return OF_CLI_OK;
    }
    for (size_t k = 0; k < sizeof mode_words / sizeof mode_words[0]; k++)
        if (!strcmp(a, mode_words[k].word))
            return set_mode(p, mode_words[k].mode, i);
    return fail(p->e, OF_CLI_E_BAD_OPTION, i, NULL, NULL);
}

of_cli_err of_cli_parse(int argc, const char *const *argv, of_cli_local_fn local, void *ctx, of_cli_options *o,
                        of_cli_error *e)
{
    parser p = {o, e, 0, local, ctx};
    of_cli_err err;

    memset(o, 0, sizeof(*o));
    o->mode = OF_CLI_TRAY;
    o->timeout_ms = OF_CLI_DEFAULT_TIMEOUT_MS;
    fail(e, OF_CLI_OK, 0, NULL, NULL);
    for (int i = 1; i < argc; i++)
        if ((err = parse_one(&p, argv[i], i)) != OF_CLI_OK)
            return err;
    /* --background says how the tray app was started; with a mode it is a
     * mistake, not something to ignore. */
    if (o->background && p.have_mode)
        return fail(e, OF_CLI_E_CONFLICT, 0, "--background", of_cli_mode_name(o->mode));
    if (o->mode != OF_CLI_EXPORT) {
        if (o->out)
            return fail(e, OF_CLI_E_NEEDS_EXPORT, o->out, "--out", NULL);
        if (o->has_since || o->has_until)
            return fail(e, OF_CLI_E_NEEDS_EXPORT, 0, o->has_since ? "--since" : "--until", NULL);
    }
    if (o->has_since && o->has_until && o->since_ms >= o->until_ms)
        return fail(e, OF_CLI_E_TIME_ORDER, 0, "--since", "--until");
    return OF_CLI_OK;
}
