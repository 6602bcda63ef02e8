/* ofnotify: the bytes of the history file, private to core: the header and
 * the record frames whose layout history.h documents. Encoding and checking
 * only; reading, recovery and writing are history.c's. */
#ifndef OFNOTIFY_HISTFRAME_H
#define OFNOTIFY_HISTFRAME_H

#include <stddef.h>
#include <stdint.h>

#include "ofnotify/history.h"

/* Magic, major, minor and header length: the part fixed in every major. */
#define OF_HISTFRAME_HEADER_PREFIX 16u
/* The largest frame any minor may write: length, payload, CRC. */
#define OF_HISTFRAME_MAX (4u + OF_HISTORY_MAX_PAYLOAD + 4u)

void of_histframe_encode_header(unsigned char out[OF_HISTORY_HEADER_SIZE], uint64_t next_seq);
void of_histframe_encode(unsigned char out[OF_HISTORY_FRAME_SIZE], const of_record *r);

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

typedef enum of_frame_check {
    OF_FRAME_BAD,          /* incomplete, out of bounds, or CRC mismatch */
    OF_FRAME_OUT_OF_ORDER, /* verifies, but its seq does not follow last_seq */
    OF_FRAME_OK
} of_frame_check;

/* Checks the frame at p (avail bytes available there). *frame_len is set
 * unless OF_FRAME_BAD, *rec only on OF_FRAME_OK. Payload bytes past the 1.0
 * fields belong to a newer minor and are skipped. */
of_frame_check of_histframe_check(const unsigned char *p, size_t avail, uint64_t last_seq, of_record *rec,
                                  size_t *frame_len);

#endif
