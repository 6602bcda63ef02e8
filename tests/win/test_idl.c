/* The widl-built declarations of include/offlinefiles.idl against the facts
 * sheet: every IID and CLSID, and the vtable slot of every method the sink and
 * the subscription depend on. A wrong slot would call the wrong method at run
 * time with no error, so each one is checked by number. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <windows.h>
#include <objbase.h>
#include "offlinefiles.h"

#define SLOT(vtbl, method) (offsetof(vtbl, method) / sizeof(void *))

static void expect_guid(const GUID *actual, const wchar_t *text)
{
    GUID expected;
    assert_int_equal(CLSIDFromString(text, &expected), NOERROR);
    if (!IsEqualGUID(actual, &expected)) {
        wchar_t got[40];
        StringFromGUID2(actual, got, 40);
        fail_msg("GUID %ls, expected %ls", got, text);
    }
}

static void test_identifiers(void **state)
{
    (void)state;
    expect_guid(&CLSID_OfflineFilesCache, L"{48C6BE7C-3871-43CC-B46F-1449A1BB2FF3}");
    expect_guid(&IID_IOfflineFilesCache, L"{855D6203-7914-48B9-8D40-4C56F5ACFFC5}");
    expect_guid(&IID_IOfflineFilesCache2, L"{8C075039-1551-4ED9-8781-56705C04D3C0}");
    expect_guid(&IID_IOfflineFilesEvents, L"{E25585C1-0CAA-4EB1-873B-1CAE5B77C314}");
    expect_guid(&IID_IOfflineFilesEvents2, L"{1EAD8F56-FF76-4FAA-A795-6F6EF792498B}");
    expect_guid(&IID_IOfflineFilesEvents3, L"{9BA04A45-EE69-42F0-9AB1-7DB5C8805808}");
    expect_guid(&IID_IOfflineFilesEvents4, L"{DBD69B1E-C7D2-473E-B35F-9D8C24C0C484}");
    expect_guid(&IID_IOfflineFilesEventsFilter, L"{33FC4E1B-0716-40FA-BA65-6E62A84A846F}");
    expect_guid(&IID_IOfflineFilesProgress, L"{FAD63237-C55B-4911-9850-BCF96D4C979E}");
    expect_guid(&IID_IOfflineFilesSimpleProgress, L"{C34F7F9B-C43D-4F9D-A776-C0EB6DE5D401}");
    expect_guid(&IID_IOfflineFilesSyncProgress, L"{6931F49A-6FC7-4C1B-B265-56793FC451B7}");
    expect_guid(&IID_IOfflineFilesSyncConflictHandler, L"{B6DD5092-C65C-46B6-97B8-FADD08E7E1BE}");
    expect_guid(&IID_IOfflineFilesSyncErrorInfo, L"{59F95E46-EB54-49D1-BE76-DE95458D01B0}");
    expect_guid(&IID_IOfflineFilesErrorInfo, L"{7112FA5F-7571-435A-8EB7-195C7C1429BC}");
    expect_guid(&IID_IOfflineFilesSyncErrorItemInfo, L"{ECDBAF0D-6A18-4D55-8017-108F7660BA44}");
    expect_guid(&IID_IOfflineFilesItem, L"{4A753DA6-E044-4F12-A718-5D14D079A906}");
    expect_guid(&IID_IOfflineFilesItemFilter, L"{F4B5A26C-DC05-4F20-ADA4-551F1077BE5C}");
    expect_guid(&IID_IOfflineFilesSetting, L"{D871D3F7-F613-48A1-827E-7A34E560FFF6}");
    expect_guid(&IID_IEnumOfflineFilesSettings, L"{729680C4-1A38-47BC-9E5C-02C51562AC30}");
    expect_guid(&IID_IOfflineFilesServerItem, L"{9B1C9576-A92B-4151-8E9E-7C7B3EC2E016}");
    expect_guid(&IID_IOfflineFilesShareItem, L"{BAB7E48D-4804-41B5-A44D-0F199B06B145}");
    expect_guid(&IID_IEnumOfflineFilesItems, L"{DA70E815-C361-4407-BC0B-0D7046E5F2CD}");
    expect_guid(&IID_IOfflineFilesItemContainer, L"{3836F049-9413-45DD-BF46-B5AAA82DC310}");
}

static void test_events_slots(void **state)
{
    (void)state;
    assert_int_equal(SLOT(IOfflineFilesEvents4Vtbl, QueryInterface), 0);
    assert_int_equal(SLOT(IOfflineFilesEvents4Vtbl, CacheMoved), 3);
    assert_int_equal(SLOT(IOfflineFilesEvents4Vtbl, Enabled), 6);
    assert_int_equal(SLOT(IOfflineFilesEvents4Vtbl, SyncBegin), 8);
    assert_int_equal(SLOT(IOfflineFilesEvents4Vtbl, SyncFileResult), 9);
    assert_int_equal(SLOT(IOfflineFilesEvents4Vtbl, SyncConflictRecAdded), 10);
    assert_int_equal(SLOT(IOfflineFilesEvents4Vtbl, SyncConflictRecRemoved), 12);
    assert_int_equal(SLOT(IOfflineFilesEvents4Vtbl, SyncEnd), 13);
    assert_int_equal(SLOT(IOfflineFilesEvents4Vtbl, NetTransportArrived), 14);
    assert_int_equal(SLOT(IOfflineFilesEvents4Vtbl, ItemDisconnected), 16);
    assert_int_equal(SLOT(IOfflineFilesEvents4Vtbl, ItemPinned), 20);
    assert_int_equal(SLOT(IOfflineFilesEvents4Vtbl, ItemModified), 22);
    assert_int_equal(SLOT(IOfflineFilesEvents4Vtbl, ItemRenamed), 25);
    assert_int_equal(SLOT(IOfflineFilesEvents4Vtbl, DataLost), 26);
    assert_int_equal(SLOT(IOfflineFilesEvents4Vtbl, Ping), 27);
    assert_int_equal(SLOT(IOfflineFilesEvents4Vtbl, ItemReconnectBegin), 28);
    assert_int_equal(SLOT(IOfflineFilesEvents4Vtbl, ItemReconnectEnd), 29);
    assert_int_equal(SLOT(IOfflineFilesEvents4Vtbl, CacheEvictBegin), 30);
    assert_int_equal(SLOT(IOfflineFilesEvents4Vtbl, BackgroundSyncBegin), 32);
    assert_int_equal(SLOT(IOfflineFilesEvents4Vtbl, BackgroundSyncEnd), 33);
    assert_int_equal(SLOT(IOfflineFilesEvents4Vtbl, PolicyChangeDetected), 34);
    assert_int_equal(SLOT(IOfflineFilesEvents4Vtbl, SettingsChangesApplied), 36);
    assert_int_equal(SLOT(IOfflineFilesEvents4Vtbl, TransparentCacheItemNotify), 37);
    assert_int_equal(SLOT(IOfflineFilesEvents4Vtbl, PrefetchFileEnd), 39);
    assert_int_equal(SLOT(IOfflineFilesEvents4Vtbl, PrefetchCloseHandleBegin), 40);
    assert_int_equal(SLOT(IOfflineFilesEvents4Vtbl, PrefetchCloseHandleEnd), 41);
    assert_int_equal(sizeof(IOfflineFilesEvents4Vtbl), 42 * sizeof(void *));
    assert_int_equal(sizeof(IOfflineFilesEvents3Vtbl), 40 * sizeof(void *));
    assert_int_equal(sizeof(IOfflineFilesEvents2Vtbl), 37 * sizeof(void *));
    assert_int_equal(sizeof(IOfflineFilesEventsVtbl), 28 * sizeof(void *));
}

static void test_filter_and_progress_slots(void **state)
{
    (void)state;
    assert_int_equal(SLOT(IOfflineFilesEventsFilterVtbl, GetPathFilter), 3);
    assert_int_equal(SLOT(IOfflineFilesEventsFilterVtbl, GetIncludedEvents), 4);
    assert_int_equal(SLOT(IOfflineFilesEventsFilterVtbl, GetExcludedEvents), 5);
    assert_int_equal(sizeof(IOfflineFilesEventsFilterVtbl), 6 * sizeof(void *));
    assert_int_equal(SLOT(IOfflineFilesSyncProgressVtbl, Begin), 3);
    assert_int_equal(SLOT(IOfflineFilesSyncProgressVtbl, QueryAbort), 4);
    assert_int_equal(SLOT(IOfflineFilesSyncProgressVtbl, End), 5);
    assert_int_equal(SLOT(IOfflineFilesSyncProgressVtbl, SyncItemBegin), 6);
    assert_int_equal(SLOT(IOfflineFilesSyncProgressVtbl, SyncItemResult), 7);
    assert_int_equal(sizeof(IOfflineFilesSyncProgressVtbl), 8 * sizeof(void *));
    assert_int_equal(SLOT(IOfflineFilesSyncConflictHandlerVtbl, ResolveConflict), 3);
}

/* Derived as in the SDK: IOfflineFilesSimpleProgress starts with
 * IOfflineFilesProgress's slots, IOfflineFilesSyncErrorInfo with
 * IOfflineFilesErrorInfo's. A method-less stub or a wrong base would move
 * every slot after it. */
static void test_derived_progress_and_error_slots(void **state)
{
    (void)state;
    assert_int_equal(SLOT(IOfflineFilesProgressVtbl, Begin), 3);
    assert_int_equal(SLOT(IOfflineFilesProgressVtbl, QueryAbort), 4);
    assert_int_equal(SLOT(IOfflineFilesProgressVtbl, End), 5);
    assert_int_equal(sizeof(IOfflineFilesProgressVtbl), 6 * sizeof(void *));
    assert_int_equal(SLOT(IOfflineFilesSimpleProgressVtbl, Begin), 3);
    assert_int_equal(SLOT(IOfflineFilesSimpleProgressVtbl, QueryAbort), 4);
    assert_int_equal(SLOT(IOfflineFilesSimpleProgressVtbl, End), 5);
    assert_int_equal(SLOT(IOfflineFilesSimpleProgressVtbl, ItemBegin), 6);
    assert_int_equal(SLOT(IOfflineFilesSimpleProgressVtbl, ItemResult), 7);
    assert_int_equal(sizeof(IOfflineFilesSimpleProgressVtbl), 8 * sizeof(void *));

    assert_int_equal(SLOT(IOfflineFilesErrorInfoVtbl, GetRawData), 3);
    assert_int_equal(SLOT(IOfflineFilesErrorInfoVtbl, GetDescription), 4);
    assert_int_equal(sizeof(IOfflineFilesErrorInfoVtbl), 5 * sizeof(void *));
    assert_int_equal(SLOT(IOfflineFilesSyncErrorInfoVtbl, GetRawData), 3);
    assert_int_equal(SLOT(IOfflineFilesSyncErrorInfoVtbl, GetDescription), 4);
    assert_int_equal(SLOT(IOfflineFilesSyncErrorInfoVtbl, GetSyncOperation), 5);
    assert_int_equal(SLOT(IOfflineFilesSyncErrorInfoVtbl, GetItemChangeFlags), 6);
    assert_int_equal(SLOT(IOfflineFilesSyncErrorInfoVtbl, InfoEnumerated), 7);
    assert_int_equal(SLOT(IOfflineFilesSyncErrorInfoVtbl, InfoAvailable), 8);
    assert_int_equal(SLOT(IOfflineFilesSyncErrorInfoVtbl, GetLocalInfo), 9);
    assert_int_equal(SLOT(IOfflineFilesSyncErrorInfoVtbl, GetRemoteInfo), 10);
    assert_int_equal(SLOT(IOfflineFilesSyncErrorInfoVtbl, GetOriginalInfo), 11);
    assert_int_equal(sizeof(IOfflineFilesSyncErrorInfoVtbl), 12 * sizeof(void *));
}

static void test_cache_slots(void **state)
{
    (void)state;
    assert_int_equal(SLOT(IOfflineFilesCacheVtbl, Synchronize), 3);
    assert_int_equal(SLOT(IOfflineFilesCacheVtbl, DeleteItems), 4);
    assert_int_equal(SLOT(IOfflineFilesCacheVtbl, Pin), 6);
    assert_int_equal(SLOT(IOfflineFilesCacheVtbl, Encrypt), 9);
    assert_int_equal(SLOT(IOfflineFilesCacheVtbl, FindItem), 10);
    assert_int_equal(SLOT(IOfflineFilesCacheVtbl, GetLocation), 13);
    assert_int_equal(SLOT(IOfflineFilesCacheVtbl, ProcessAdminPinPolicy), 16);
    assert_int_equal(SLOT(IOfflineFilesCacheVtbl, IsPathCacheable), 19);
    assert_int_equal(SLOT(IOfflineFilesCache2Vtbl, RenameItemEx), 20);
}

/* What "Sync now" calls to list the cached servers and their shares. */
static void test_item_slots(void **state)
{
    (void)state;
    assert_int_equal(SLOT(IOfflineFilesItemContainerVtbl, EnumItems), 3);
    assert_int_equal(SLOT(IOfflineFilesItemContainerVtbl, EnumItemsEx), 4);
    assert_int_equal(sizeof(IOfflineFilesItemContainerVtbl), 5 * sizeof(void *));
    assert_int_equal(SLOT(IEnumOfflineFilesItemsVtbl, Next), 3);
    assert_int_equal(SLOT(IEnumOfflineFilesItemsVtbl, Skip), 4);
    assert_int_equal(SLOT(IEnumOfflineFilesItemsVtbl, Reset), 5);
    assert_int_equal(SLOT(IEnumOfflineFilesItemsVtbl, Clone), 6);
    assert_int_equal(SLOT(IOfflineFilesItemVtbl, GetItemType), 3);
    assert_int_equal(SLOT(IOfflineFilesItemVtbl, GetPath), 4);
    assert_int_equal(SLOT(IOfflineFilesItemVtbl, GetParentItem), 5);
    assert_int_equal(SLOT(IOfflineFilesItemVtbl, Refresh), 6);
    assert_int_equal(SLOT(IOfflineFilesItemVtbl, IsMarkedForDeletion), 7);
    assert_int_equal(sizeof(IOfflineFilesServerItemVtbl), 8 * sizeof(void *));
    assert_int_equal(sizeof(IOfflineFilesShareItemVtbl), 8 * sizeof(void *));
}

/* The enums in full, including what MinGW's cscobj.h lacks. */
static void test_enum_values(void **state)
{
    (void)state;
    assert_int_equal(OFFLINEFILES_EVENT_BACKGROUNDSYNCBEGIN, 11);
    assert_int_equal(OFFLINEFILES_EVENT_BACKGROUNDSYNCEND, 12);
    assert_int_equal(OFFLINEFILES_EVENT_DATALOST, 25);
    assert_int_equal(OFFLINEFILES_EVENT_PING, 26);
    assert_int_equal(OFFLINEFILES_EVENT_PREFETCHFILEEND, 36);
    assert_int_equal(OFFLINEFILES_EVENT_PREFETCHCLOSEHANDLEBEGIN, 37);
    assert_int_equal(OFFLINEFILES_EVENT_PREFETCHCLOSEHANDLEEND, 38);
    assert_int_equal(OFFLINEFILES_NUM_EVENTS, 39);
    assert_int_equal(OFFLINEFILES_SYNC_STATE_FileReplacedAndDeletedOnClient_DirChangedOnServer, 53);
    assert_int_equal(OFFLINEFILES_SYNC_STATE_NUMSTATES, 54);
    assert_int_equal(OFFLINEFILES_SYNC_CONFLICT_RESOLVE_NUMCODES, 8);
    assert_int_equal(OFFLINEFILES_SYNC_OPERATION_SYNC_TO_CLIENT, 3);
    assert_int_equal(OFFLINEFILES_SYNC_OPERATION_PREPARE, 7);
    assert_int_equal(OFFLINEFILES_PATHFILTER_SELFORDESCENDENT, 4);
    assert_int_equal(OFFLINEFILES_SYNC_CONTROL_FLAG_BACKGROUND, 0x00010000);
    assert_int_equal(OFFLINEFILES_SYNC_CONTROL_CR_KEEPLATEST,
                     OFFLINEFILES_SYNC_CONTROL_CR_KEEPLOCAL | OFFLINEFILES_SYNC_CONTROL_CR_KEEPREMOTE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identifiers),
        cmocka_unit_test(test_events_slots),
        cmocka_unit_test(test_filter_and_progress_slots),
        cmocka_unit_test(test_derived_progress_and_error_slots),
        cmocka_unit_test(test_cache_slots),
        cmocka_unit_test(test_item_slots),
        cmocka_unit_test(test_enum_values),
    };
    return cmocka_run_group_tests_name("idl", tests, NULL, NULL);
}
