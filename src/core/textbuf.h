/* ofnotify core, private: the buffer every text of format.h and export.h is
 * written into, and the UTF-8 decoding they share.
 *
 * A textbuf counts every byte it is given and stores those that fit, so a
 * text is produced in one pass and its full length is known even when the
 * caller's buffer was too small (the snprintf-like convention of format.h).
 * It stores all cap bytes, so textbuf_finish can see where a cut lands and
 * back off to a character boundary before placing the NUL. */
#ifndef OFNOTIFY_CORE_TEXTBUF_H
#define OFNOTIFY_CORE_TEXTBUF_H

#include <stddef.h>
#include <stdint.h>

typedef struct textbuf {
    char *buf;
    size_t cap;
    size_t len;
} textbuf;

/* A NULL buf is treated as cap == 0: the text is only measured. */
textbuf textbuf_make(char *buf, size_t cap);

/* Every byte of every text passes through here, so it is inline. */
static inline void textbuf_byte(textbuf *o, unsigned char c)
{
    if (o->len < o->cap)
        o->buf[o->len] = (char)c;
    o->len++;
}

/* s as it is; only for the formats' own ASCII (the caller's text goes
 * through textbuf_text). */
void textbuf_raw(textbuf *o, const char *s);

/* v in decimal. */
void textbuf_u64(textbuf *o, uint64_t v);

/* v in decimal with exactly width digits (v must fit, width <= 8). */
void textbuf_dec_fixed(textbuf *o, unsigned v, int width);

/* "0x" and eight upper-case hex digits. */
void textbuf_hex32(textbuf *o, uint32_t v);

/* UTF-8 text s, each invalid sequence replaced by U+FFFD. */
void textbuf_text(textbuf *o, const char *s);

/* Writes what stands for code point cp in an escaped text and returns 1, or
 * returns 0 (writing nothing) to have the character copied as it is. */
typedef int (*textbuf_escape_fn)(textbuf *o, uint32_t cp);

/* Like textbuf_text, but every valid character goes through escape first:
 * one decoding loop for every format's quoting rules. */
void textbuf_text_escaped(textbuf *o, const char *s, textbuf_escape_fn escape);

/* NUL-terminates (cutting at a character boundary) and returns the length
 * the whole text needs. */
size_t textbuf_finish(textbuf *o);

/* Sets buf to "" (when cap > 0) and returns 0: nothing could be formatted. */
size_t textbuf_fail(char *buf, size_t cap);

#define OF_UTF8_INVALID 0xFFFFFFFFu

/* Decodes one character at s (NUL-terminated) into *cp and returns the bytes
 * consumed (>= 1, never past the NUL). Invalid input (overlongs, surrogates,
 * > U+10FFFF, stray or missing continuation bytes) gives OF_UTF8_INVALID and
 * consumes the longest prefix that could have started a valid character, so
 * each broken sequence becomes exactly one U+FFFD. */
size_t of_utf8_decode(const unsigned char *s, uint32_t *cp);

/* 1 if s is valid UTF-8, else 0. */
int of_utf8_valid(const char *s);

#endif
