/* Unit tests of core/offline: the working-offline state and its grace period. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofnotify/offline.h"

#define GRACE ((uint64_t)120000)
#define WALL0 ((int64_t)1700000000000) /* 2023-11-14T22:13:20Z */
#define SHARE OF_OFFLINE_ITEM_SHARE
#define SERVER OF_OFFLINE_ITEM_SERVER

/* The state is large; the heap keeps the tests' stack small. */
static of_offline *fresh(uint64_t grace_ms)
{
    of_offline *o = malloc(sizeof(*o));
    assert_non_null(o);
    assert_int_equal(of_offline_init(o, grace_ms), 0);
    return o;
}

static int poll_kind(of_offline *o, uint64_t mono, of_offline_notice *n)
{
    int r = of_offline_poll(o, mono, n);
    assert_true(r == 0 || r == 1);
    return r ? (int)n->kind : 0;
}

static void test_share_goes_offline_and_back_with_balloons(void **state)
{
    of_offline *o = fresh(GRACE);
    of_offline_notice n;
    of_offline_scope sc;
    uint64_t due = 0;
    (void)state;
    assert_int_equal(of_offline_item_disconnected(o, "\\\\srv\\projects", SHARE, 1000, WALL0), 1);
    assert_int_equal(of_offline_count(o), 1);
    assert_int_equal(of_offline_get(o, 0, &sc), 0);
    assert_string_equal(sc.path, "\\\\srv\\projects");
    assert_int_equal(sc.kind, OF_OFFLINE_SCOPE_SHARE);
    assert_int_equal(sc.since_wall_ms, WALL0);
    assert_int_equal(of_offline_next_due(o, &due), 1);
    assert_int_equal(due, 1000 + GRACE);
    /* Just before the grace period ends: nothing. */
    assert_int_equal(poll_kind(o, 1000 + GRACE - 1, &n), 0);
    assert_int_equal(poll_kind(o, 1000 + GRACE, &n), OF_OFFLINE_NOTICE_OFFLINE);
    assert_string_equal(n.scope.path, "\\\\srv\\projects");
    assert_int_equal(n.scope.since_wall_ms, WALL0);
    assert_int_equal(n.scope.duration_ms, GRACE);
    /* Once only. */
    assert_int_equal(poll_kind(o, 1000 + 3 * GRACE, &n), 0);
    assert_int_equal(of_offline_next_due(o, &due), 0);
    assert_int_equal(of_offline_item_reconnected(o, "\\\\srv\\projects", SHARE, 601000, WALL0 + 600000), 1);
    assert_int_equal(of_offline_count(o), 0);
    assert_int_equal(of_offline_next_due(o, &due), 1);
    assert_int_equal(due, 0);
    assert_int_equal(poll_kind(o, 601000, &n), OF_OFFLINE_NOTICE_BACK);
    assert_string_equal(n.scope.path, "\\\\srv\\projects");
    assert_int_equal(n.scope.duration_ms, 600000);
    assert_int_equal(n.scope.end_wall_ms, WALL0 + 600000);
    assert_int_equal(poll_kind(o, 601000, &n), 0);
    free(o);
}

static void test_blip_shorter_than_grace_stays_quiet(void **state)
{
    of_offline *o = fresh(GRACE);
    of_offline_notice n;
    uint64_t due;
    (void)state;
    assert_int_equal(of_offline_item_disconnected(o, "\\\\srv\\projects", SHARE, 0, WALL0), 1);
    assert_int_equal(poll_kind(o, GRACE - 1, &n), 0);
    assert_int_equal(of_offline_item_reconnected(o, "\\\\srv\\projects", SHARE, GRACE - 1, WALL0), 1);
    /* No BACK either: the OFFLINE notice never went out. */
    assert_int_equal(poll_kind(o, GRACE * 10, &n), 0);
    assert_int_equal(of_offline_next_due(o, &due), 0);
    /* The blip is still a period for the chart. */
    assert_int_equal(of_offline_period_count(o), 1);
    free(o);
}

static void test_files_directories_and_unknown_types_are_ignored(void **state)
{
    of_offline *o = fresh(GRACE);
    char longpath[OF_OFFLINE_PATH_MAX + 8];
    (void)state;
    assert_int_equal(of_offline_item_disconnected(o, "\\\\srv\\p\\a.txt", OF_OFFLINE_ITEM_FILE, 0, WALL0), 0);
    assert_int_equal(of_offline_item_disconnected(o, "\\\\srv\\p\\dir", OF_OFFLINE_ITEM_DIRECTORY, 0, WALL0), 0);
    assert_int_equal(of_offline_item_disconnected(o, "\\\\srv\\p", 7, 0, WALL0), 0);
    assert_int_equal(of_offline_item_disconnected(o, "\\\\srv\\p", -1, 0, WALL0), 0);
    assert_int_equal(of_offline_item_disconnected(o, "", SHARE, 0, WALL0), 0);
    assert_int_equal(of_offline_item_disconnected(o, "\\\\", SHARE, 0, WALL0), 0);
    memset(longpath, 'x', sizeof longpath - 1);
    longpath[sizeof longpath - 1] = 0;
    assert_int_equal(of_offline_item_disconnected(o, longpath, SHARE, 0, WALL0), 0);
    assert_int_equal(of_offline_item_reconnected(o, "\\\\srv\\p\\a.txt", OF_OFFLINE_ITEM_FILE, 0, WALL0), 0);
    assert_int_equal(of_offline_count(o), 0);
    free(o);
}

static void test_share_under_offline_server_counts_as_offline(void **state)
{
    of_offline *o = fresh(GRACE);
    (void)state;
    assert_int_equal(of_offline_item_disconnected(o, "\\\\srv", SERVER, 0, WALL0), 1);
    assert_int_equal(of_offline_is_offline(o, "\\\\srv\\projects"), 1);
    assert_int_equal(of_offline_is_offline(o, "\\\\SRV\\Projects\\"), 1);
    assert_int_equal(of_offline_is_offline(o, "\\\\srv"), 1);
    assert_int_equal(of_offline_is_offline(o, "\\\\srv2\\projects"), 0);
    assert_int_equal(of_offline_is_offline(o, "\\\\other\\x"), 0);
    free(o);
}

static void test_server_back_brings_its_shares_back(void **state)
{
    of_offline *o = fresh(0);
    of_offline_notice n;
    of_offline_scope sc;
    (void)state;
    assert_int_equal(of_offline_item_disconnected(o, "\\\\srv\\a", SHARE, 0, WALL0), 1);
    assert_int_equal(of_offline_item_disconnected(o, "\\\\srv", SERVER, 0, WALL0), 1);
    assert_int_equal(of_offline_item_disconnected(o, "\\\\srv2\\b", SHARE, 0, WALL0), 1);
    while (poll_kind(o, 5, &n) == OF_OFFLINE_NOTICE_OFFLINE)
        ;
    assert_int_equal(of_offline_item_reconnected(o, "\\\\SRV\\", SERVER, 10, WALL0 + 10), 1);
    assert_int_equal(of_offline_count(o), 1);
    assert_int_equal(of_offline_get(o, 0, &sc), 0);
    assert_string_equal(sc.path, "\\\\srv2\\b");
    /* Oldest first. */
    assert_int_equal(poll_kind(o, 10, &n), OF_OFFLINE_NOTICE_BACK);
    assert_string_equal(n.scope.path, "\\\\srv\\a");
    assert_int_equal(poll_kind(o, 10, &n), OF_OFFLINE_NOTICE_BACK);
    assert_string_equal(n.scope.path, "\\\\srv");
    assert_int_equal(poll_kind(o, 10, &n), 0);
    free(o);
}

static void test_paths_compare_without_case_or_trailing_backslash(void **state)
{
    of_offline *o = fresh(GRACE);
    (void)state;
    assert_int_equal(of_offline_item_disconnected(o, "\\\\Srv\\Projects\\", SHARE, 0, WALL0), 1);
    assert_int_equal(of_offline_item_disconnected(o, "\\\\srv\\projects", SHARE, 50, WALL0 + 50), 0);
    assert_int_equal(of_offline_count(o), 1);
    assert_int_equal(of_offline_item_reconnected(o, "\\\\SRV\\PROJECTS", SHARE, 60, WALL0), 1);
    assert_int_equal(of_offline_count(o), 0);
    /* A reconnect of something never offline changes nothing. */
    assert_int_equal(of_offline_item_reconnected(o, "\\\\srv\\projects", SHARE, 70, WALL0), 0);
    /* A share reconnect does not end the server of the same name. */
    assert_int_equal(of_offline_item_disconnected(o, "\\\\srv", SERVER, 80, WALL0), 1);
    assert_int_equal(of_offline_item_reconnected(o, "\\\\srv", SHARE, 90, WALL0), 0);
    assert_int_equal(of_offline_count(o), 1);
    free(o);
}

static void test_repeated_disconnect_keeps_first_time(void **state)
{
    of_offline *o = fresh(GRACE);
    of_offline_notice n;
    (void)state;
    assert_int_equal(of_offline_item_disconnected(o, "\\\\srv\\p", SHARE, 100, WALL0), 1);
    assert_int_equal(of_offline_item_disconnected(o, "\\\\srv\\p", SHARE, 100 + GRACE - 1, WALL0 + 5), 0);
    assert_int_equal(poll_kind(o, 100 + GRACE, &n), OF_OFFLINE_NOTICE_OFFLINE);
    assert_int_equal(n.scope.since_wall_ms, WALL0);
    free(o);
}

static void test_no_net_takes_everything_offline_until_net_arrives(void **state)
{
    of_offline *o = fresh(GRACE);
    of_offline_notice n;
    of_offline_scope sc;
    (void)state;
    assert_int_equal(of_offline_is_offline(o, "\\\\srv\\p"), 0);
    assert_int_equal(of_offline_no_net(o, 0, WALL0), 1);
    assert_int_equal(of_offline_no_net(o, 5, WALL0), 0);
    assert_int_equal(of_offline_is_offline(o, "\\\\srv\\p"), 1);
    assert_int_equal(of_offline_is_offline(o, "\\\\anything"), 1);
    assert_int_equal(of_offline_get(o, 0, &sc), 0);
    assert_int_equal(sc.kind, OF_OFFLINE_SCOPE_NETWORK);
    assert_string_equal(sc.path, "");
    assert_int_equal(of_offline_item_disconnected(o, "\\\\srv\\p", SHARE, 10, WALL0), 1);
    assert_int_equal(poll_kind(o, GRACE, &n), OF_OFFLINE_NOTICE_OFFLINE);
    assert_int_equal(n.scope.kind, OF_OFFLINE_SCOPE_NETWORK);
    assert_int_equal(of_offline_net_arrived(o, GRACE + 1, WALL0), 1);
    assert_int_equal(of_offline_net_arrived(o, GRACE + 2, WALL0), 0);
    assert_int_equal(poll_kind(o, GRACE + 1, &n), OF_OFFLINE_NOTICE_BACK);
    assert_int_equal(n.scope.kind, OF_OFFLINE_SCOPE_NETWORK);
    /* The share stays offline until its own reconnect. */
    assert_int_equal(of_offline_is_offline(o, "\\\\srv\\p"), 1);
    assert_int_equal(of_offline_is_offline(o, "\\\\other\\q"), 0);
    assert_int_equal(poll_kind(o, GRACE + 10, &n), OF_OFFLINE_NOTICE_OFFLINE);
    assert_string_equal(n.scope.path, "\\\\srv\\p");
    free(o);
}

static void test_network_scope_fits_when_full(void **state)
{
    of_offline *o = fresh(GRACE);
    char path[32];
    (void)state;
    for (int i = 0; i < OF_OFFLINE_MAX_SCOPES; i++) {
        snprintf(path, sizeof path, "\\\\srv\\s%d", i);
        assert_int_equal(of_offline_item_disconnected(o, path, SHARE, 0, WALL0), 1);
    }
    assert_int_equal(of_offline_item_disconnected(o, "\\\\srv\\more", SHARE, 0, WALL0), 0);
    assert_int_equal(of_offline_no_net(o, 0, WALL0), 1);
    assert_int_equal(of_offline_count(o), OF_OFFLINE_MAX_SCOPES + 1);
    free(o);
}

static void test_reconnect_begin_and_end(void **state)
{
    of_offline *o = fresh(GRACE);
    (void)state;
    assert_int_equal(of_offline_reconnecting(o), 0);
    assert_int_equal(of_offline_reconnect_begin(o), 1);
    assert_int_equal(of_offline_reconnect_begin(o), 0);
    assert_int_equal(of_offline_reconnecting(o), 1);
    assert_int_equal(of_offline_reconnect_end(o), 1);
    assert_int_equal(of_offline_reconnecting(o), 0);
    assert_int_equal(of_offline_reconnect_end(o), 0);
    free(o);
}

static void test_next_due_is_earliest_unannounced(void **state)
{
    of_offline *o = fresh(GRACE);
    of_offline_notice n;
    uint64_t due = 0;
    (void)state;
    assert_int_equal(of_offline_next_due(o, &due), 0);
    assert_int_equal(of_offline_item_disconnected(o, "\\\\a\\x", SHARE, 500, WALL0), 1);
    assert_int_equal(of_offline_item_disconnected(o, "\\\\b\\y", SHARE, 200, WALL0), 1);
    assert_int_equal(of_offline_next_due(o, &due), 1);
    assert_int_equal(due, 200 + GRACE);
    assert_int_equal(poll_kind(o, 200 + GRACE, &n), OF_OFFLINE_NOTICE_OFFLINE);
    assert_string_equal(n.scope.path, "\\\\b\\y");
    assert_int_equal(of_offline_next_due(o, &due), 1);
    assert_int_equal(due, 500 + GRACE);
    /* A shorter grace period applies to scopes offline now. */
    assert_int_equal(of_offline_set_grace(o, 10), 0);
    assert_int_equal(of_offline_next_due(o, &due), 1);
    assert_int_equal(due, 510);
    free(o);
}

static void test_next_due_saturates(void **state)
{
    of_offline *o = fresh(UINT64_MAX - 5);
    uint64_t due = 0;
    (void)state;
    assert_int_equal(of_offline_item_disconnected(o, "\\\\a\\x", SHARE, 100, WALL0), 1);
    assert_int_equal(of_offline_next_due(o, &due), 1);
    assert_true(due == UINT64_MAX);
    free(o);
}

static void test_clock_going_back_counts_as_no_time(void **state)
{
    of_offline *o = fresh(GRACE);
    of_offline_notice n;
    (void)state;
    assert_int_equal(of_offline_item_disconnected(o, "\\\\a\\x", SHARE, 10 * GRACE, WALL0), 1);
    assert_int_equal(poll_kind(o, 5, &n), 0);
    assert_int_equal(of_offline_item_reconnected(o, "\\\\a\\x", SHARE, 5, WALL0), 1);
    assert_int_equal(of_offline_period_get(o, 0, &n.scope), 0);
    assert_int_equal(n.scope.duration_ms, 0);
    free(o);
}

static void test_forget_ends_everything_quietly(void **state)
{
    of_offline *o = fresh(0);
    of_offline_notice n;
    (void)state;
    assert_int_equal(of_offline_item_disconnected(o, "\\\\a\\x", SHARE, 0, WALL0), 1);
    assert_int_equal(of_offline_no_net(o, 0, WALL0), 1);
    assert_int_equal(poll_kind(o, 1, &n), OF_OFFLINE_NOTICE_OFFLINE);
    assert_int_equal(poll_kind(o, 1, &n), OF_OFFLINE_NOTICE_OFFLINE);
    assert_int_equal(of_offline_reconnect_begin(o), 1);
    assert_int_equal(of_offline_forget(o, 50, WALL0 + 50), 0);
    assert_int_equal(of_offline_count(o), 0);
    assert_int_equal(of_offline_reconnecting(o), 0);
    assert_int_equal(poll_kind(o, 60, &n), 0);
    assert_int_equal(of_offline_period_count(o), 2);
    free(o);
}

static void test_periods_keep_the_newest(void **state)
{
    of_offline *o = fresh(GRACE);
    of_offline_scope p;
    (void)state;
    for (int i = 0; i < OF_OFFLINE_MAX_PERIODS + 3; i++) {
        assert_int_equal(of_offline_item_disconnected(o, "\\\\a\\x", SHARE, (uint64_t)i * 100, WALL0 + i * 100), 1);
        assert_int_equal(of_offline_item_reconnected(o, "\\\\a\\x", SHARE, (uint64_t)i * 100 + 40,
                                                     WALL0 + i * 100 + 40), 1);
    }
    assert_int_equal(of_offline_period_count(o), OF_OFFLINE_MAX_PERIODS);
    assert_int_equal(of_offline_period_get(o, 0, &p), 0);
    assert_int_equal(p.since_wall_ms, WALL0 + 300);
    assert_int_equal(p.end_wall_ms, WALL0 + 340);
    assert_int_equal(p.duration_ms, 40);
    assert_int_equal(of_offline_period_get(o, OF_OFFLINE_MAX_PERIODS - 1, &p), 0);
    assert_int_equal(p.since_wall_ms, WALL0 + (OF_OFFLINE_MAX_PERIODS + 2) * 100);
    assert_int_equal(of_offline_period_get(o, OF_OFFLINE_MAX_PERIODS, &p), OF_OFFLINE_EINVAL);
    free(o);
}

static void test_bad_arguments_are_rejected(void **state)
{
    of_offline *o = fresh(GRACE);
    of_offline unset;
    of_offline_notice n;
    of_offline_scope sc;
    uint64_t due;
    (void)state;
    memset(&unset, 0, sizeof unset);
    assert_int_equal(of_offline_init(NULL, 0), OF_OFFLINE_EINVAL);
    assert_int_equal(of_offline_set_grace(&unset, 0), OF_OFFLINE_EINVAL);
    assert_int_equal(of_offline_item_disconnected(&unset, "\\\\a\\b", SHARE, 0, 0), OF_OFFLINE_EINVAL);
    assert_int_equal(of_offline_item_disconnected(o, NULL, SHARE, 0, 0), OF_OFFLINE_EINVAL);
    assert_int_equal(of_offline_item_reconnected(NULL, "\\\\a\\b", SHARE, 0, 0), OF_OFFLINE_EINVAL);
    assert_int_equal(of_offline_item_reconnected(o, NULL, SHARE, 0, 0), OF_OFFLINE_EINVAL);
    assert_int_equal(of_offline_no_net(NULL, 0, 0), OF_OFFLINE_EINVAL);
    assert_int_equal(of_offline_net_arrived(&unset, 0, 0), OF_OFFLINE_EINVAL);
    assert_int_equal(of_offline_reconnect_begin(NULL), OF_OFFLINE_EINVAL);
    assert_int_equal(of_offline_forget(NULL, 0, 0), OF_OFFLINE_EINVAL);
    assert_int_equal(of_offline_poll(o, 0, NULL), OF_OFFLINE_EINVAL);
    assert_int_equal(of_offline_poll(&unset, 0, &n), OF_OFFLINE_EINVAL);
    assert_int_equal(of_offline_next_due(o, NULL), OF_OFFLINE_EINVAL);
    assert_int_equal(of_offline_get(o, 0, &sc), OF_OFFLINE_EINVAL);
    assert_int_equal(of_offline_get(o, 0, NULL), OF_OFFLINE_EINVAL);
    assert_int_equal(of_offline_count(NULL), 0);
    assert_int_equal(of_offline_is_offline(NULL, "\\\\a"), 0);
    assert_int_equal(of_offline_is_offline(o, NULL), 0);
    assert_int_equal(of_offline_next_due(&unset, &due), OF_OFFLINE_EINVAL);
    free(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_share_goes_offline_and_back_with_balloons),
        cmocka_unit_test(test_blip_shorter_than_grace_stays_quiet),
        cmocka_unit_test(test_files_directories_and_unknown_types_are_ignored),
        cmocka_unit_test(test_share_under_offline_server_counts_as_offline),
        cmocka_unit_test(test_server_back_brings_its_shares_back),
        cmocka_unit_test(test_paths_compare_without_case_or_trailing_backslash),
        cmocka_unit_test(test_repeated_disconnect_keeps_first_time),
        cmocka_unit_test(test_no_net_takes_everything_offline_until_net_arrives),
        cmocka_unit_test(test_network_scope_fits_when_full),
        cmocka_unit_test(test_reconnect_begin_and_end),
        cmocka_unit_test(test_next_due_is_earliest_unannounced),
        cmocka_unit_test(test_next_due_saturates),
        cmocka_unit_test(test_clock_going_back_counts_as_no_time),
        cmocka_unit_test(test_forget_ends_everything_quietly),
        cmocka_unit_test(test_periods_keep_the_newest),
        cmocka_unit_test(test_bad_arguments_are_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
