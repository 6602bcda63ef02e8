/* ofnotify: records as JSON Lines and CSV.
 *
 * One list says which fields a record has, in which order, under which
 * names and of which type; each format is an encoder that knows how to
 * write a field of each type. A field added to the list appears in both
 * formats, in the same place. */
#include "ofnotify/export.h"

#include <string.h>

#include "ofnotify/syncflags.h"

#include "isotime.h"
#include "textbuf.h"

/* ---- the record's fields ------------------------------------------------- */

/* The type decides how each format writes the value and what it writes for
 * "no value" (JSON null, an empty CSV field). */
typedef enum field_type {
    FIELD_NUMBER, /* num in decimal */
    FIELD_TIME,   /* time in ISO 8601; no value when not representable */
    FIELD_HEX,    /* num as "0x%08X" */
    FIELD_WORD,   /* word; no value when NULL */
} field_type;

typedef struct field_value {
    field_type type;
    uint64_t num;
    int64_t time;
    const char *word;
} field_value;

/* "unknown-" and a status byte in decimal. */
#define STATUS_WORD_MAX 16

/* What the fields are read from: the record, and its flags and status as
 * text, which are worked out once per line. */
typedef struct record_view {
    const of_record *rec;
    char flags_text[OF_SYNCFLAGS_TEXT_MAX + 1];
    char status_word[STATUS_WORD_MAX];
} record_view;

static field_value number(uint64_t n)
{
    field_value v = {FIELD_NUMBER, n, 0, NULL};
    return v;
}

static field_value time_of(int64_t unix_ms)
{
    field_value v = {FIELD_TIME, 0, unix_ms, NULL};
    return v;
}

static field_value hex(uint32_t flags)
{
    field_value v = {FIELD_HEX, flags, 0, NULL};
    return v;
}

static field_value word(const char *w)
{
    field_value v = {FIELD_WORD, 0, 0, w};
    return v;
}

/* A status this version does not know (written by a newer one, or damage
 * that kept the CRC) is exported as "unknown-<value>": the record is still
 * there, and says plainly that its status cannot be read. */
static void status_word(unsigned status, char out[STATUS_WORD_MAX])
{
    static const char *const words[OF_STATUS_COUNT] = {
        [OF_STATUS_COMPLETED] = "completed",
        [OF_STATUS_UNPAIRED] = "unpaired",
        [OF_STATUS_INTERRUPTED] = "interrupted",
    };
    textbuf o = textbuf_make(out, STATUS_WORD_MAX);
    if (status < OF_STATUS_COUNT) {
        textbuf_raw(&o, words[status]);
    } else {
        textbuf_raw(&o, "unknown-");
        textbuf_u64(&o, status);
    }
    (void)textbuf_finish(&o);
}

/* NULL for OF_REASON_NONE (no value). */
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

/* "unknown" for an origin this version does not know (a newer one wrote it). */
static const char *origin_word(unsigned origin)
{
    static const char *const words[OF_ORIGIN_COUNT] = {
        [OF_ORIGIN_BACKGROUND] = "background",
        [OF_ORIGIN_SYNC_NOW] = "sync-now",
    };
    return origin < OF_ORIGIN_COUNT ? words[origin] : "unknown";
}

static field_value get_seq(const record_view *v)
{
    return number(v->rec->seq);
}

static field_value get_started(const record_view *v)
{
    return time_of(v->rec->started_ms);
}

static field_value get_completed(const record_view *v)
{
    return time_of(v->rec->completed_ms);
}

static field_value get_duration(const record_view *v)
{
    return number(v->rec->duration_ms);
}

static field_value get_direction(const record_view *v)
{
    return word(of_direction_word(of_syncflags_direction(v->rec->flags)));
}

static field_value get_flags(const record_view *v)
{
    return hex(v->rec->flags);
}

static field_value get_flags_text(const record_view *v)
{
    return word(v->flags_text);
}

static field_value get_status(const record_view *v)
{
    return word(v->status_word);
}

static field_value get_reason(const record_view *v)
{
    return word(reason_word(v->rec->reason));
}

static field_value get_begin_flags(const record_view *v)
{
    return hex(v->rec->begin_flags);
}

static field_value get_origin(const record_view *v)
{
    return word(origin_word(v->rec->origin));
}

/* The order and the names of export.h: the JSON keys and the CSV header. */
static const struct record_field {
    const char *name;
    field_value (*get)(const record_view *v);
} record_fields[] = {
    {"seq", get_seq},
    {"started", get_started},
    {"completed", get_completed},
    {"duration_ms", get_duration},
    {"direction", get_direction},
    {"flags", get_flags},
    {"flags_text", get_flags_text},
    {"status", get_status},
    {"reason", get_reason},
    {"begin_flags", get_begin_flags},
    {"origin", get_origin},
};
#define N_RECORD_FIELDS (sizeof record_fields / sizeof record_fields[0])

/* ---- JSON ------------------------------------------------------------------ */

static int json_escape_char(textbuf *o, uint32_t cp)
{
    static const char hexdigits[] = "0123456789abcdef";

    if (cp == '"' || cp == '\\') {
        textbuf_byte(o, '\\');
        textbuf_byte(o, (unsigned char)cp);
    } else if (cp == '\b') {
        textbuf_raw(o, "\\b");
    } else if (cp == '\f') {
        textbuf_raw(o, "\\f");
    } else if (cp == '\n') {
        textbuf_raw(o, "\\n");
    } else if (cp == '\r') {
        textbuf_raw(o, "\\r");
    } else if (cp == '\t') {
        textbuf_raw(o, "\\t");
    } else if (cp < 0x20 || cp == 0x7F) {
        textbuf_raw(o, "\\u00");
        textbuf_byte(o, (unsigned char)hexdigits[cp >> 4]);
        textbuf_byte(o, (unsigned char)hexdigits[cp & 0xFu]);
    } else if (cp == 0x2028) {
        textbuf_raw(o, "\\u2028");
    } else if (cp == 0x2029) {
        textbuf_raw(o, "\\u2029");
    } else {
        return 0;
    }
    return 1;
}

static void json_value(textbuf *o, const field_value *v)
{
    switch (v->type) {
    case FIELD_NUMBER:
        textbuf_u64(o, v->num);
        return;
    case FIELD_TIME:
        if (!of_isotime_in_range(v->time))
            break;
        textbuf_byte(o, '"');
        textbuf_iso8601(o, v->time);
        textbuf_byte(o, '"');
        return;
    case FIELD_HEX:
        textbuf_byte(o, '"');
        textbuf_hex32(o, (uint32_t)v->num);
        textbuf_byte(o, '"');
        return;
    case FIELD_WORD:
        if (v->word == NULL)
            break;
        textbuf_byte(o, '"');
        textbuf_text_escaped(o, v->word, json_escape_char);
        textbuf_byte(o, '"');
        return;
    }
    textbuf_raw(o, "null");
}

static void json_field(textbuf *o, const char *name, const field_value *v)
{
    textbuf_byte(o, '"');
    textbuf_raw(o, name);
    textbuf_raw(o, "\":");
    json_value(o, v);
}

/* ---- CSV ------------------------------------------------------------------- */

static int csv_guarded(unsigned char first)
{
    return first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' ||
           first == '\r';
}

static int csv_escape_char(textbuf *o, uint32_t cp)
{
    if (cp != '"')
        return 0;
    textbuf_raw(o, "\"\"");
    return 1;
}

static void csv_text(textbuf *o, const char *s)
{
    int guard, quote;

    if (s == NULL || *s == '\0')
        return;
    guard = csv_guarded((unsigned char)s[0]);
    quote = guard || strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        textbuf_byte(o, '"');
    if (guard)
        textbuf_byte(o, '\'');
    textbuf_text_escaped(o, s, csv_escape_char);
    if (quote)
        textbuf_byte(o, '"');
}

static void csv_field(textbuf *o, const char *name, const field_value *v)
{
    (void)name; /* the header line names the columns once */
    switch (v->type) {
    case FIELD_NUMBER:
        textbuf_u64(o, v->num);
        break;
    case FIELD_TIME:
        if (of_isotime_in_range(v->time))
            textbuf_iso8601(o, v->time);
        break;
    case FIELD_HEX:
        textbuf_hex32(o, (uint32_t)v->num);
        break;
    case FIELD_WORD:
        csv_text(o, v->word);
        break;
    }
}

/* ---- one writer for both formats -------------------------------------------- */

typedef struct record_encoder {
    const char *open;  /* before the first field */
    void (*field)(textbuf *o, const char *name, const field_value *v);
    const char *close; /* after the last field, the line end included */
} record_encoder;

static const record_encoder jsonl_encoder = {"{", json_field, "}\n"};
static const record_encoder csv_encoder = {"", csv_field, "\r\n"};

static size_t write_record(const record_encoder *enc, const of_record *r, char *buf, size_t cap)
{
    textbuf o = textbuf_make(buf, cap);
    record_view view;

    if (r == NULL)
        return textbuf_fail(buf, cap);
    view.rec = r;
    of_syncflags_describe(r->flags, view.flags_text, sizeof view.flags_text);
    status_word(r->status, view.status_word);

    textbuf_raw(&o, enc->open);
    for (size_t i = 0; i < N_RECORD_FIELDS; i++) {
        field_value v = record_fields[i].get(&view);
        if (i > 0)
            textbuf_byte(&o, ',');
        enc->field(&o, record_fields[i].name, &v);
    }
    textbuf_raw(&o, enc->close);
    return textbuf_finish(&o);
}

/* ---- public ------------------------------------------------------------------ */

size_t of_format_jsonl(const of_record *r, char *buf, size_t cap)
{
    return write_record(&jsonl_encoder, r, buf, cap);
}

size_t of_format_csv_row(const of_record *r, char *buf, size_t cap)
{
    return write_record(&csv_encoder, r, buf, cap);
}

size_t of_format_csv_header(char *buf, size_t cap)
{
    textbuf o = textbuf_make(buf, cap);

    for (size_t i = 0; i < N_RECORD_FIELDS; i++) {
        if (i > 0)
            textbuf_byte(&o, ',');
        csv_text(&o, record_fields[i].name);
    }
    textbuf_raw(&o, csv_encoder.close);
    return textbuf_finish(&o);
}

size_t of_json_escape(const char *s, char *buf, size_t cap)
{
    textbuf o = textbuf_make(buf, cap);
    if (s != NULL)
        textbuf_text_escaped(&o, s, json_escape_char);
    return textbuf_finish(&o);
}

size_t of_csv_field(const char *s, char *buf, size_t cap)
{
    textbuf o = textbuf_make(buf, cap);
    csv_text(&o, s);
    return textbuf_finish(&o);
}
