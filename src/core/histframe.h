/* ofnotify: the bytes of the history file, private to core: the header and
 * the record frames whose layout history.h documents. Encoding and checking
 * only; reading and recovery are histload.c's, writing is history.c's. */
#ifndef OFNOTIFY_HISTFRAME_H
#define OFNOTIFY_HISTFRAME_H

#include <stddef.h>
#include <stdint.h>

#include "ofnotify/history.h"

/* Magic, major, minor and header length: the part fixed in every major. */
#define OF_HISTFRAME_HEADER_PREFIX 16u
/* The largest frame any minor may write: length, payload, CRC. */
#define OF_HISTFRAME_MAX (4u + OF_HISTORY_MAX_PAYLOAD + 4u)
/* The most this version writes for one record (a Sync now one). */
#define OF_HISTFRAME_WRITE_MAX OF_HISTORY_ORIGIN_FRAME_SIZE
/* Where a frame's seq field is, and the bytes a frame needs to have one. */
#define OF_HISTFRAME_SEQ_AT 4u
#define OF_HISTFRAME_SEQ_END 12u

void of_histframe_encode_header(unsigned char out[OF_HISTORY_HEADER_SIZE], uint64_t next_seq);

/* Encodes r; orig_seq is the number the record had before it was renumbered,
 * 0 when it never was. The frame is as short as its fields allow: 1.0-sized
 * for a background record never renumbered, 1.1-sized with an orig_seq, and
 * 1.2-sized for any other origin. Returns the frame size. */
size_t of_histframe_encode(unsigned char out[OF_HISTFRAME_WRITE_MAX], const of_record *r, uint64_t orig_seq);

typedef enum of_header_check {
    OF_HEADER_FOREIGN, /* not a history file at all */
    OF_HEADER_DAMAGED, /* our magic, but the rest of the header does not verify */
    OF_HEADER_OK
} of_header_check;

typedef struct of_histheader {
    uint16_t major, minor;
    uint32_t len;      /* where the first frame starts */
    uint64_t next_seq; /* the lowest sequence number the file has not used */
} of_histheader;

/* Checks the header at p (avail bytes there, at least what a header of any
 * minor can take if the file is that long); *hd is set on OF_HEADER_OK. */
of_header_check of_histframe_check_header(const unsigned char *p, size_t avail, of_histheader *hd);

/* The size of the frame whose length field is at p: 0 when the length is out
 * of bounds or the whole frame is not within the avail bytes there. Cheap:
 * nothing but the length field is read. */
size_t of_histframe_span(const unsigned char *p, size_t avail);

/* The CRC a frame of frame_len bytes (from of_histframe_span) carries; it
 * covers the frame_len - 4 bytes before it. */
uint32_t of_histframe_stored_crc(const unsigned char *p, size_t frame_len);

/* The seq field of whatever frame starts at p (avail >= OF_HISTFRAME_SEQ_END). */
uint64_t of_histframe_seq_field(const unsigned char *p);

/* A frame whose CRC verified, decoded. *orig_seq gets the number it had
 * before it was renumbered (0: never); a frame too short for the origin
 * field is a background pass. Payload bytes past the fields this version
 * knows belong to a newer minor and are skipped. */
void of_histframe_decode(const unsigned char *p, size_t frame_len, of_record *rec, uint64_t *orig_seq);

#endif
