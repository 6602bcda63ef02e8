/* ofnotify: core/format's text from the STRINGTABLE (app/coretext):
 * IDS_CORE_BASE + of_text_id, in the user's UI language, as UTF-8. */
#ifndef OFNOTIFY_CORETEXT_H
#define OFNOTIFY_CORETEXT_H

#include "ofnotify/format.h"

/* The table for core/format; strings are loaded once, on first use. */
const of_strings *coretext_strings(void);

#endif
