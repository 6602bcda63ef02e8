/* ofnotify tests: the English string table for core/format. */
#include "strings_en.h"

static const char *const en[OF_TEXT_COUNT] = {
    [OF_TEXT_DIR_UNSPECIFIED] = "Other",
    [OF_TEXT_DIR_TWO_WAY] = "Two-way",
    [OF_TEXT_DIR_TO_SERVER] = "To server",
    [OF_TEXT_DIR_FROM_SERVER] = "From server",
    [OF_TEXT_DIR_FILL_SPARSE] = "Fill sparse",
    [OF_TEXT_STATUS_COMPLETED] = "Completed",
    [OF_TEXT_STATUS_UNPAIRED] = "Unpaired",
    [OF_TEXT_STATUS_INTERRUPTED] = "Interrupted",
    [OF_TEXT_STATUS_INTERRUPTED_REASON] = "Interrupted ({1})",
    [OF_TEXT_REASON_DATALOST] = "events were lost",
    [OF_TEXT_REASON_SERVICE_LOST] = "service stopped",
    [OF_TEXT_REASON_SHUTDOWN] = "ofnotify exited",
    [OF_TEXT_REASON_TIMEOUT] = "timed out",
    [OF_TEXT_REASON_FAILED] = "sync failed",
    [OF_TEXT_STATUS_UNKNOWN] = "Unknown ({1})",
    [OF_TEXT_DURATION_SUBSECOND] = "< 1 s",
    [OF_TEXT_DURATION_S] = "{1} s",
    [OF_TEXT_DURATION_MIN] = "{1} min",
    [OF_TEXT_DURATION_MIN_S] = "{1} min {2} s",
    [OF_TEXT_DURATION_H] = "{1} h",
    [OF_TEXT_DURATION_H_MIN] = "{1} h {2} min",
    [OF_TEXT_DURATION_D] = "{1} d",
    [OF_TEXT_DURATION_D_H] = "{1} d {2} h",
    [OF_TEXT_BALLOON_TITLE_COMPLETED] = "Background sync completed",
    [OF_TEXT_BALLOON_TITLE_INTERRUPTED] = "Background sync interrupted",
    [OF_TEXT_BALLOON_TITLE_SYNC_NOW_COMPLETED] = "Sync now completed",
    [OF_TEXT_BALLOON_TITLE_SYNC_NOW_INTERRUPTED] = "Sync now did not finish",
    [OF_TEXT_BALLOON_BODY_COMPLETED] = "{1}, took {2}",
    [OF_TEXT_BALLOON_BODY_UNPAIRED] = "{1}, ended",
    [OF_TEXT_BALLOON_BODY_INTERRUPTED] = "{1}, did not finish: {2}",
    [OF_TEXT_SUMMARY_TITLE_COMPLETED] = "{1} background syncs completed",
    [OF_TEXT_SUMMARY_TITLE_INTERRUPTED] = "{1} background syncs interrupted",
    [OF_TEXT_SUMMARY_TITLE_MIXED] = "{1} background syncs, {2} interrupted",
    [OF_TEXT_SUMMARY_BODY] = "Latest: {1}",
    [OF_TEXT_LIST_SEPARATOR] = ", ",
    [OF_TEXT_DETAILS_WITH_RULE] = "{1} \xC2\xB7 {2}",
    [OF_TEXT_DETAILS_NONE] = "No flags",
    [OF_TEXT_FLAG_FILLSPARSE] = "Fill sparse",
    [OF_TEXT_FLAG_SYNCIN] = "Sync in",
    [OF_TEXT_FLAG_SYNCOUT] = "Sync out",
    [OF_TEXT_FLAG_PINNEWFILES] = "Pin new files",
    [OF_TEXT_FLAG_PINLINKTARGETS] = "Pin link targets",
    [OF_TEXT_FLAG_PINFORUSER] = "Pin for user",
    [OF_TEXT_FLAG_PINFORUSER_POLICY] = "Pin for user (policy)",
    [OF_TEXT_FLAG_PINFORALL] = "Pin for all users",
    [OF_TEXT_FLAG_PINFORREDIR] = "Pin for Folder Redirection",
    [OF_TEXT_FLAG_LOWPRIORITY] = "Low priority",
    [OF_TEXT_FLAG_ASYNCPROGRESS] = "Async progress",
    [OF_TEXT_FLAG_INTERACTIVE] = "Interactive",
    [OF_TEXT_FLAG_CONSOLE] = "Console",
    [OF_TEXT_FLAG_SKIPSUSPENDEDDIRS] = "Skip suspended folders",
    [OF_TEXT_FLAG_BACKGROUND] = "Background",
    [OF_TEXT_FLAG_NONEWFILESOUT] = "No new files out",
    [OF_TEXT_RULE_KEEPLOCAL] = "keep local",
    [OF_TEXT_RULE_KEEPREMOTE] = "keep remote",
    [OF_TEXT_RULE_KEEPLATEST] = "keep latest",
};

const char *of_test_strings_en_get(void *ctx, of_text_id id)
{
    (void)ctx;
    if ((unsigned)id >= (unsigned)OF_TEXT_COUNT)
        return NULL;
    return en[id];
}

of_strings of_test_strings_en(void)
{
    of_strings s = {of_test_strings_en_get, NULL};
    return s;
}
