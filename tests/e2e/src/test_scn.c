/* e2e: native tests of the scenario script parser (scn.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "scn.h"
#include "ofnotify/syncflags.h"

static int parse(const char *line, scn_cmd *c)
{
    char err[200];
    return scn_parse_line(line, c, err, sizeof err);
}

static void test_flags_forms(void **state)
{
    uint32_t v = 0;
    (void)state;
    assert_int_equal(of_syncflags_parse("0x00012007", &v), 0);
    assert_int_equal(v, 0x00012007u);
    assert_int_equal(of_syncflags_parse("65542", &v), 0);
    assert_int_equal(v, 0x00010006u);
    assert_int_equal(of_syncflags_parse("FLAG_SYNCIN|FLAG_SYNCOUT|CR_KEEPLATEST", &v), 0);
    assert_int_equal(v, 0x30000006u);
    assert_int_equal(of_syncflags_parse(" OFFLINEFILES_SYNC_CONTROL_FLAG_BACKGROUND | 0x1 ", &v), 0);
    assert_int_equal(v, 0x00010001u);
    assert_int_equal(of_syncflags_parse("CR_DEFAULT", &v), 0);
    assert_int_equal(v, 0u);
    assert_int_equal(of_syncflags_parse("FLAG_NONEWFILESOUT|FLAG_SKIPSUSPENDEDDIRS|FLAG_PINFORUSER_POLICY", &v), 0);
    assert_int_equal(v, 0x00022040u);
}

static void test_flags_rejected(void **state)
{
    uint32_t v = 7;
    (void)state;
    assert_int_equal(of_syncflags_parse("", &v), -1);
    assert_int_equal(of_syncflags_parse("FLAG_SYNCIN|", &v), -1);
    assert_int_equal(of_syncflags_parse("|FLAG_SYNCIN", &v), -1);
    assert_int_equal(of_syncflags_parse("FLAG_SYNCIN||FLAG_SYNCOUT", &v), -1);
    assert_int_equal(of_syncflags_parse("flag_syncin", &v), -1);
    assert_int_equal(of_syncflags_parse("SYNCIN", &v), -1);
    assert_int_equal(of_syncflags_parse("0x100000000", &v), -1);
    assert_int_equal(of_syncflags_parse("4294967296", &v), -1);
    assert_int_equal(of_syncflags_parse("0x", &v), -1);
    assert_int_equal(of_syncflags_parse("12ab", &v), -1);
    assert_int_equal(of_syncflags_parse("CR_KEEPLOCAL|CR_KEEPREMOTE", &v), -1);
    assert_int_equal(of_syncflags_parse("CR_KEEPLOCAL|0x20000000", &v), -1);
    assert_int_equal(v, 7u); /* untouched on error */
}

static void test_hresults(void **state)
{
    uint32_t v = 0;
    (void)state;
    assert_int_equal(scn_parse_hresult("S_OK", &v), 0);
    assert_int_equal(v, 0u);
    assert_int_equal(scn_parse_hresult("ERROR_CANCELLED", &v), 0);
    assert_int_equal(v, 0x800704C7u);
    assert_int_equal(scn_parse_hresult("0x80004005", &v), 0);
    assert_int_equal(v, 0x80004005u);
    assert_int_equal(scn_parse_hresult("-2147467259", &v), 0);
    assert_int_equal(v, 0x80004005u);
    assert_int_equal(scn_parse_hresult("-2147483648", &v), 0);
    assert_int_equal(v, 0x80000000u);
    assert_int_equal(scn_parse_hresult("-2147483649", &v), -1);
    assert_int_equal(scn_parse_hresult("-0x5", &v), -1);
    assert_int_equal(scn_parse_hresult("RPC_E_DISCONNECTED", &v), 0);
    assert_int_equal(v, 0x80010108u);
    assert_int_equal(scn_parse_hresult("E_NOPE", &v), -1);
    assert_int_equal(scn_parse_hresult("", &v), -1);
}

static void test_every_command(void **state)
{
    scn_cmd c;
    (void)state;
    assert_int_equal(parse("begin FLAG_SYNCIN|FLAG_SYNCOUT", &c), 1);
    assert_int_equal(c.op, SCN_BEGIN);
    assert_int_equal(c.value, 6u);
    assert_int_equal(parse("end 0x00010006", &c), 1);
    assert_int_equal(c.op, SCN_END);
    assert_int_equal(parse("sleep 250", &c), 1);
    assert_int_equal(c.op, SCN_SLEEP);
    assert_int_equal(c.value, 250u);
    assert_int_equal(parse("syncbegin", &c), 1);
    assert_int_equal(c.op, SCN_SYNCBEGIN);
    assert_int_equal(parse("syncend ERROR_CANCELLED", &c), 1);
    assert_int_equal(c.value, 0x800704C7u);
    assert_int_equal(parse("fileresult \\\\fs01\\home$\\a b.txt E_FAIL", &c), 1);
    assert_int_equal(c.op, SCN_FILERESULT);
    assert_string_equal(c.path, "\\\\fs01\\home$\\a b.txt");
    assert_int_equal(c.value, 0x80004005u);
    assert_int_equal(parse("conflict \\\\fs01\\x.xlsx", &c), 1);
    assert_int_equal(c.op, SCN_CONFLICT);
    assert_int_equal(parse("conflict-added \\\\fs01\\x.xlsx", &c), 1);
    assert_int_equal(c.op, SCN_CONFLICT);
    assert_string_equal(c.path, "\\\\fs01\\x.xlsx");
    assert_int_equal(parse("conflict-updated \\\\fs01\\x.xlsx", &c), 1);
    assert_int_equal(c.op, SCN_CONFLICT_UPDATED);
    assert_int_equal(parse("conflict-removed \\\\fs01\\x.xlsx", &c), 1);
    assert_int_equal(c.op, SCN_CONFLICT_REMOVED);
    assert_string_equal(c.path, "\\\\fs01\\x.xlsx");
    assert_int_equal(parse("item-modified \\\\fs01\\x", &c), 1);
    assert_int_equal(c.op, SCN_ITEM_MODIFIED);
    assert_int_equal(parse("item-pinned \\\\fs01\\x", &c), 1);
    assert_int_equal(c.op, SCN_ITEM_PINNED);
    assert_int_equal(parse("net-arrived", &c), 1);
    assert_int_equal(c.op, SCN_NET_ARRIVED);
    assert_int_equal(parse("datalost", &c), 1);
    assert_int_equal(c.op, SCN_DATALOST);
    assert_int_equal(parse("ping", &c), 1);
    assert_int_equal(c.op, SCN_PING);
    assert_int_equal(parse("restart", &c), 1);
    assert_int_equal(c.op, SCN_RESTART);
    assert_int_equal(parse("sync-servers 0", &c), 1);
    assert_int_equal(c.op, SCN_SYNC_SERVERS);
    assert_int_equal(c.value, 0u);
    assert_int_equal(parse("sync-files 1000", &c), 1);
    assert_int_equal(c.op, SCN_SYNC_FILES);
    assert_int_equal(c.value, 1000u);
    assert_int_equal(parse("sync-delay 250", &c), 1);
    assert_int_equal(c.op, SCN_SYNC_DELAY);
    assert_int_equal(parse("sync-fail E_ACCESSDENIED", &c), 1);
    assert_int_equal(c.op, SCN_SYNC_FAIL);
    assert_int_equal(c.value, 0x80070005u);
    assert_int_equal(parse("sync-wait 30000", &c), 1);
    assert_int_equal(c.op, SCN_SYNC_WAIT);
    assert_int_equal(parse("sync-now", &c), 1);
    assert_int_equal(c.op, SCN_SYNC_NOW);
    assert_int_equal(parse("pass FLAG_SYNCOUT 20", &c), 1);
    assert_int_equal(c.op, SCN_PASS);
}

static void test_pass_lines(void **state)
{
    char err[200];
    scn_cmd c;
    (void)state;
    assert_int_equal(parse("pass FLAG_SYNCIN|FLAG_SYNCOUT 300", &c), 1);
    assert_int_equal(c.op, SCN_PASS);
    assert_int_equal(c.value, 6u);
    assert_int_equal(c.ms, 300u);
    assert_int_equal(parse("pass 0x00010006", &c), 1);
    assert_int_equal(c.value, 0x00010006u);
    assert_int_equal(c.ms, 0u);
    assert_int_equal(parse("pass 0", &c), 1); /* no flags: the player sends nothing */
    assert_int_equal(c.value, 0u);
    assert_int_equal(parse("pass 0 50", &c), 1);
    assert_int_equal(c.value, 0u);
    assert_int_equal(c.ms, 50u);
    /* Blanks around '|' stay part of FLAGS; MS is a last word after FLAGS. */
    assert_int_equal(parse("pass FLAG_SYNCIN | FLAG_SYNCOUT", &c), 1);
    assert_int_equal(c.value, 6u);
    assert_int_equal(c.ms, 0u);
    assert_int_equal(parse("pass FLAG_SYNCIN | 5", &c), 1);
    assert_int_equal(c.value, 7u);
    assert_int_equal(c.ms, 0u);
    assert_int_equal(parse("pass 65541 600000   # longest", &c), 1);
    assert_int_equal(c.value, 0x00010005u);
    assert_int_equal(c.ms, 600000u);
    /* Other lines never carry a pass's time. */
    assert_int_equal(parse("begin 0x00010006", &c), 1);
    assert_int_equal(c.ms, 0u);

    assert_int_equal(scn_parse_line("pass", &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "'pass' needs FLAGS [MS]"));
    assert_int_equal(scn_parse_line("pass FLAG_NOPE 5", &c, err, sizeof err), -1);
    assert_int_equal(scn_parse_line("pass 6 600001", &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "milliseconds 0..600000"));
    assert_int_equal(scn_parse_line("pass 6 -5", &c, err, sizeof err), -1);
    assert_int_equal(scn_parse_line("pass 6 0x10", &c, err, sizeof err), -1);
    assert_int_equal(scn_parse_line("pass 6 5 5", &c, err, sizeof err), -1);
    assert_int_equal(scn_parse_line("pass 6 99999999999", &c, err, sizeof err), -1);
}

static void test_blank_and_comments(void **state)
{
    scn_cmd c;
    (void)state;
    assert_int_equal(parse("", &c), 0);
    assert_int_equal(parse("   \t ", &c), 0);
    assert_int_equal(parse("# a comment", &c), 0);
    assert_int_equal(parse("  # indented comment\r", &c), 0);
    assert_int_equal(parse("ping   # trailing comment", &c), 1);
    assert_int_equal(c.op, SCN_PING);
    /* '#' inside a word is part of the path, not a comment. */
    assert_int_equal(parse("item-pinned \\\\s\\a#b", &c), 1);
    assert_string_equal(c.path, "\\\\s\\a#b");
    assert_int_equal(parse("ping\r", &c), 1);
}

static void test_bad_lines(void **state)
{
    char err[200];
    scn_cmd c;
    char longline[SCN_LINE_MAX + 10];
    char longpath[SCN_PATH_MAX + 20];
    (void)state;
    assert_int_equal(scn_parse_line("bogus", &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "unknown command"));
    assert_int_equal(scn_parse_line("begin", &c, err, sizeof err), -1);
    assert_int_equal(scn_parse_line("begin FLAG_NOPE", &c, err, sizeof err), -1);
    assert_int_equal(scn_parse_line("ping now", &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "takes no argument"));
    assert_int_equal(scn_parse_line("sleep", &c, err, sizeof err), -1);
    assert_int_equal(scn_parse_line("sleep -5", &c, err, sizeof err), -1);
    assert_int_equal(scn_parse_line("sleep 0x10", &c, err, sizeof err), -1);
    assert_int_equal(scn_parse_line("sleep 600001", &c, err, sizeof err), -1);
    assert_int_equal(scn_parse_line("sync-servers 17", &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "'sync-servers' needs a number 0..16"));
    assert_int_equal(scn_parse_line("sync-files", &c, err, sizeof err), -1);
    assert_int_equal(scn_parse_line("sync-files 1001", &c, err, sizeof err), -1);
    assert_int_equal(scn_parse_line("sync-delay 60001", &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "'sync-delay' needs milliseconds"));
    assert_int_equal(scn_parse_line("sync-fail", &c, err, sizeof err), -1);
    assert_int_equal(scn_parse_line("sync-wait -1", &c, err, sizeof err), -1);
    assert_int_equal(scn_parse_line("sync-now please", &c, err, sizeof err), -1);
    assert_int_equal(scn_parse_line("syncend maybe", &c, err, sizeof err), -1);
    assert_int_equal(scn_parse_line("fileresult \\\\s\\p", &c, err, sizeof err), -1);
    assert_int_equal(scn_parse_line("fileresult S_OK", &c, err, sizeof err), -1);
    assert_int_equal(scn_parse_line("conflict", &c, err, sizeof err), -1);
    assert_int_equal(scn_parse_line("item-modified \\\\s\\\x01", &c, err, sizeof err), -1);
    assert_int_equal(scn_parse_line("item-modified \\\\s\\\xC3(", &c, err, sizeof err), -1); /* bad UTF-8 */
    assert_int_equal(scn_parse_line("item-modified \\\\s\\\xC0\xAF", &c, err, sizeof err), -1); /* overlong */

    memset(longline, 'x', sizeof longline - 1);
    longline[sizeof longline - 1] = '\0';
    assert_int_equal(scn_parse_line(longline, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "longer"));

    memcpy(longpath, "conflict ", 9);
    memset(longpath + 9, 'p', sizeof longpath - 10);
    longpath[sizeof longpath - 1] = '\0';
    assert_int_equal(scn_parse_line(longpath, &c, err, sizeof err), -1);

    assert_int_equal(scn_parse_line(NULL, &c, err, sizeof err), -1);
    assert_int_equal(scn_parse_line("ping", NULL, err, sizeof err), -1);
    /* A tiny error buffer is still NUL-terminated. */
    assert_int_equal(scn_parse_line("bogus", &c, err, 4), -1);
    assert_int_equal(strlen(err), 3);
}

static void test_utf8_path_kept(void **state)
{
    scn_cmd c;
    (void)state;
    assert_int_equal(parse("item-modified \\\\fs\\M\xC3\xBCller\\\xE2\x82\xAC.txt", &c), 1);
    assert_string_equal(c.path, "\\\\fs\\M\xC3\xBCller\\\xE2\x82\xAC.txt");
}

static void test_format_round_trip(void **state)
{
    static const char *const lines[] = {
        "begin 0x30012007", "end 0x00000000", "sleep 0", "syncbegin", "syncend 0x800704C7",
        "fileresult \\\\s\\a b 0x00000000", "conflict \\\\s\\c", "conflict-updated \\\\s\\u",
        "conflict-removed \\\\s\\r", "item-modified \\\\s\\m", "item-pinned \\\\s\\p",
        "net-arrived", "datalost", "ping", "restart", "sync-servers 3", "sync-files 0", "sync-delay 100",
        "sync-fail 0x80004005", "sync-wait 5000", "sync-now", "pass 0x00010006 300", "pass 0x00000000 0",
        "disconnect \\\\s\\p share", "reconnect \\\\s server", "disconnect \\\\s\\p\\a b.txt file",
        "reconnect \\\\s\\d directory", "no-net", "reconnect-begin", "reconnect-end",
    };
    size_t i;
    (void)state;
    for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
        scn_cmd a, b;
        char buf[SCN_LINE_MAX];
        assert_int_equal(parse(lines[i], &a), 1);
        assert_true(scn_format(&a, buf, sizeof buf) < sizeof buf);
        assert_string_equal(buf, lines[i]);
        assert_int_equal(parse(buf, &b), 1);
        assert_int_equal(a.op, b.op);
        assert_int_equal(a.value, b.value);
        assert_int_equal(a.ms, b.ms);
        assert_string_equal(a.path, b.path);
    }
}

/* Working offline: the item type is the last word, the path may hold blanks. */
static void test_offline_lines(void **state)
{
    scn_cmd c;
    (void)state;
    assert_int_equal(parse("disconnect \\\\fs01\\projects share", &c), 1);
    assert_int_equal(c.op, SCN_DISCONNECT);
    assert_string_equal(c.path, "\\\\fs01\\projects");
    assert_int_equal(c.value, 2u);
    assert_int_equal(parse("reconnect \\\\fs01  server", &c), 1);
    assert_int_equal(c.op, SCN_RECONNECT);
    assert_string_equal(c.path, "\\\\fs01");
    assert_int_equal(c.value, 3u);
    assert_int_equal(parse("disconnect \\\\fs01\\p\\my file.txt file", &c), 1);
    assert_string_equal(c.path, "\\\\fs01\\p\\my file.txt");
    assert_int_equal(c.value, 0u);
    assert_int_equal(parse("reconnect \\\\fs01\\p\\dir directory", &c), 1);
    assert_int_equal(c.value, 1u);
    assert_int_equal(parse("no-net", &c), 1);
    assert_int_equal(c.op, SCN_NO_NET);
    assert_int_equal(parse("reconnect-begin", &c), 1);
    assert_int_equal(c.op, SCN_RECONNECT_BEGIN);
    assert_int_equal(parse("reconnect-end", &c), 1);
    assert_int_equal(c.op, SCN_RECONNECT_END);
    /* No type, an unknown one, a type without a path, a number for a type. */
    assert_int_equal(parse("disconnect \\\\fs01\\projects", &c), -1);
    assert_int_equal(parse("disconnect \\\\fs01\\projects Share", &c), -1);
    assert_int_equal(parse("disconnect share", &c), -1);
    assert_int_equal(parse("reconnect \\\\fs01 3", &c), -1);
    assert_int_equal(parse("no-net now", &c), -1);
    assert_string_equal(scn_item_type_name(2), "share");
    assert_string_equal(scn_item_type_name(4), "?");
}

static void test_format_truncates(void **state)
{
    scn_cmd c;
    char buf[8];
    (void)state;
    assert_int_equal(parse("begin 0x00012007", &c), 1);
    assert_int_equal(scn_format(&c, buf, sizeof buf), strlen("begin 0x00012007"));
    assert_string_equal(buf, "begin 0");
    assert_string_equal(scn_op_name(SCN_ITEM_MODIFIED), "item-modified");
    assert_string_equal(scn_op_name(SCN_OP_COUNT), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flags_forms),       cmocka_unit_test(test_flags_rejected),
        cmocka_unit_test(test_hresults),          cmocka_unit_test(test_every_command),
        cmocka_unit_test(test_blank_and_comments), cmocka_unit_test(test_bad_lines),
        cmocka_unit_test(test_utf8_path_kept),    cmocka_unit_test(test_format_round_trip),
        cmocka_unit_test(test_format_truncates),  cmocka_unit_test(test_pass_lines),
        cmocka_unit_test(test_offline_lines),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
