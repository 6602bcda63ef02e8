/* The core texts in the app's STRINGTABLEs (res/strings_en.rc, strings_de.rc):
 * every of_text_id present in English and German at IDS_CORE_BASE + id, each
 * a template core/format will use (of_format_template_ok), the English ones
 * identical to the tests' table, the German ones with the same placeholders.
 *
 * The Makefile links tests/win programs with every app object but main.o,
 * not with the compiled resources, so this test has no resources of its own.
 * It reads them from the shipped program instead, build/ofnotify.exe, found
 * relative to this test (build/win/wintests/), loaded as a data file: nothing
 * of it runs. OFNOTIFY_EXE overrides the path. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <windows.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "../../res/resource.h"
#include "ofnotify/conflicts.h"
#include "ofnotify/format.h"
#include "ofnotify/record.h"
#include "support/buildfiles.h"
#include "support/rcstrings.h"
#include "support/strings_en.h"

#define PATH_CAP 32768
#define TEXT_CAP 1024 /* bytes of UTF-8; no core text comes near it */

static const LANGID lang_en = MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US);
static const LANGID lang_de = MAKELANGID(LANG_GERMAN, SUBLANG_GERMAN);

/* One language's core texts, as UTF-8, loaded once for all tests. */
typedef struct table {
    int present[OF_TEXT_COUNT];
    char text[OF_TEXT_COUNT][TEXT_CAP];
} table;

typedef struct loaded {
    HMODULE exe;
    table en, de;
} loaded;

/* ---- finding and reading the resources -------------------------------------- */

static int load_table(HMODULE exe, LANGID lang, table *t)
{
    for (int id = 0; id < OF_TEXT_COUNT; id++) {
        const WCHAR *w;
        int len = rc_string(exe, IDS_CORE_BASE + (UINT)id, lang, &w);
        if (len < 0)
            return -1;
        if (len == 0)
            continue;
        int n = WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, w, len, t->text[id], TEXT_CAP - 1, NULL, NULL);
        if (n <= 0)
            return -1; /* invalid UTF-16 or longer than TEXT_CAP */
        t->text[id][n] = 0;
        t->present[id] = 1;
    }
    return 0;
}

static int group_setup(void **state)
{
    WCHAR *path = malloc(PATH_CAP * sizeof(WCHAR));
    loaded *l = calloc(1, sizeof(*l));
    if (!path || !l)
        goto fail;
    l->exe = shipped_exe_load(path, PATH_CAP);
    if (!l->exe) {
        print_error("cannot load %ls (error %lu): build it first (make)\n", path, GetLastError());
        goto fail;
    }
    if (load_table(l->exe, lang_en, &l->en) != 0 || load_table(l->exe, lang_de, &l->de) != 0) {
        print_error("malformed string resources in %ls\n", path);
        goto fail;
    }
    free(path);
    *state = l;
    return 0;
fail:
    if (l && l->exe)
        FreeLibrary(l->exe);
    free(l);
    free(path);
    return -1;
}

static int group_teardown(void **state)
{
    loaded *l = *state;
    /* cmocka calls this after a failed setup too, with no state */
    if (l) {
        FreeLibrary(l->exe);
        free(l);
    }
    return 0;
}

/* ---- the checks ----------------------------------------------------------------- */

static void check_table(const table *t, const char *lang)
{
    for (int id = 0; id < OF_TEXT_COUNT; id++) {
        if (!t->present[id])
            fail_msg("%s: no text for of_text_id %d (resource %d)", lang, id, IDS_CORE_BASE + id);
        if (!of_format_template_ok((of_text_id)id, t->text[id]))
            fail_msg("%s: of_text_id %d: template \"%s\" would not be used", lang, id, t->text[id]);
    }
}

static void test_english_complete_and_valid(void **state)
{
    check_table(&((loaded *)*state)->en, "English");
}

static void test_german_complete_and_valid(void **state)
{
    check_table(&((loaded *)*state)->de, "German");
}

/* The English resources are the texts the unit tests check sentences against. */
static void test_english_matches_the_test_table(void **state)
{
    const table *en = &((loaded *)*state)->en;
    for (int id = 0; id < OF_TEXT_COUNT; id++) {
        const char *want = of_test_strings_en_get(NULL, (of_text_id)id);
        assert_non_null(want);
        if (strcmp(en->text[id], want) != 0)
            fail_msg("of_text_id %d: resource \"%s\", strings_en.c \"%s\"", id, en->text[id], want);
    }
}

/* Which of {1}..{9} a template uses, as bits. */
static unsigned placeholders(const char *s)
{
    unsigned used = 0;
    for (; *s; s++) {
        if (s[0] == '{' && s[1] == '{') {
            s++;
        } else if (s[0] == '{' && s[1] >= '1' && s[1] <= '9' && s[2] == '}') {
            used |= 1u << (s[1] - '0');
            s += 2;
        }
    }
    return used;
}

/* A translation may reorder arguments but must not drop or add one: a
 * dropped {2} would hide the duration or the reason. */
static void test_german_uses_the_same_placeholders(void **state)
{
    const loaded *l = *state;
    for (int id = 0; id < OF_TEXT_COUNT; id++) {
        unsigned en = placeholders(l->en.text[id]), de = placeholders(l->de.text[id]);
        if (en != de)
            fail_msg("of_text_id %d: English \"%s\" and German \"%s\" use different placeholders", id,
                     l->en.text[id], l->de.text[id]);
    }
}

/* The German table is a translation, not a copy of the English one. */
static void test_german_is_translated(void **state)
{
    const loaded *l = *state;
    int same = 0;
    for (int id = 0; id < OF_TEXT_COUNT; id++)
        same += strcmp(l->en.text[id], l->de.text[id]) == 0;
    /* Unit symbols ("{1} s") and separators may be equal; most texts are words. */
    assert_true(same < OF_TEXT_COUNT / 3);
    assert_string_not_equal(l->en.text[OF_TEXT_BALLOON_TITLE_COMPLETED], l->de.text[OF_TEXT_BALLOON_TITLE_COMPLETED]);
}

/* Nothing stale after the last id: a string left at IDS_CORE_BASE +
 * OF_TEXT_COUNT would become the text of the next id added to format.h. */
static void test_no_stale_ids_after_the_last(void **state)
{
    const loaded *l = *state;
    const LANGID langs[] = {lang_en, lang_de};
    for (size_t i = 0; i < ARRAYSIZE(langs); i++) {
        for (UINT id = IDS_CORE_BASE + OF_TEXT_COUNT; id < IDS_CORE_BASE + 1000; id++) {
            const WCHAR *w;
            int len = rc_string(l->exe, id, langs[i], &w);
            if (len != 0)
                fail_msg("resource %u (language 0x%04x) holds a string no of_text_id names", id, langs[i]);
        }
    }
}

/* LoadStringW, which the app itself uses, finds every core text too. */
static void test_loadstring_finds_every_id(void **state)
{
    const loaded *l = *state;
    for (int id = 0; id < OF_TEXT_COUNT; id++) {
        const WCHAR *w = NULL;
        int len = LoadStringW(l->exe, IDS_CORE_BASE + (UINT)id, (LPWSTR)&w, 0);
        if (len <= 0 || !w)
            fail_msg("LoadStringW found no text for of_text_id %d", id);
    }
}

/* ---- whole sentences through core/format ------------------------------------------ */

static const char *get_from(void *ctx, of_text_id id)
{
    const table *t = ctx;
    if ((unsigned)id >= (unsigned)OF_TEXT_COUNT || !t->present[id])
        return NULL;
    return t->text[id];
}

static void test_german_sentences(void **state)
{
    loaded *l = *state;
    of_strings de = {get_from, &l->de};
    of_record r = {0};
    char title[256], body[256], details[256];

    r.status = OF_STATUS_COMPLETED;
    r.flags = 0x00010006; /* SYNCIN | SYNCOUT | BACKGROUND */
    r.begin_flags = r.flags;
    r.duration_ms = 125000;
    assert_int_equal(of_format_balloon(&de, &r, title, sizeof(title), body, sizeof(body)), OF_FORMAT_OK);
    assert_string_equal(title, "Hintergrundsynchronisierung abgeschlossen");
    assert_string_equal(body, "Synchronisierung (Zwei-Wege) in 2 min 5 s abgeschlossen");

    r.status = OF_STATUS_INTERRUPTED;
    r.reason = OF_REASON_SERVICE_LOST;
    r.flags = 0x00000004; /* SYNCOUT */
    assert_int_equal(of_format_balloon(&de, &r, title, sizeof(title), body, sizeof(body)), OF_FORMAT_OK);
    assert_string_equal(title, "Hintergrundsynchronisierung unterbrochen");
    assert_string_equal(body, "Synchronisierung (Zum Server) nicht abgeschlossen: Dienst wurde beendet");

    assert_true(of_format_details(&de, 0x30010006, details, sizeof(details)) < sizeof(details));
    assert_string_equal(details, "Eingehend, Ausgehend, Hintergrund \xC2\xB7 neueste Version behalten");
}

/* The same record in English gives the unit tests' sentence. */
static void test_english_sentence(void **state)
{
    loaded *l = *state;
    of_strings en = {get_from, &l->en};
    of_record r = {0};
    char title[256], body[256];
    r.status = OF_STATUS_COMPLETED;
    r.flags = 0x00010006;
    r.begin_flags = r.flags;
    r.duration_ms = 12000;
    assert_int_equal(of_format_balloon(&en, &r, title, sizeof(title), body, sizeof(body)), OF_FORMAT_OK);
    assert_string_equal(title, "Background sync completed");
    assert_string_equal(body, "Two-way, took 12 s");
}

/* The sync conflict texts: every one in both languages with the same
 * inserts, the German ones translated, and the sides of a sync state in
 * English exactly the words core/conflicts uses in logs. */
static void test_conflict_texts(void **state)
{
    static const struct {
        UINT id;
        unsigned inserts;
    } texts[] = {
        {IDS_TIP_CONFLICTS, RC_INSERT(1)},
        {IDS_CONFLICT_BALLOON_TITLE, 0},
        {IDS_CONFLICT_BALLOON_ONE, RC_INSERT(1)},
        {IDS_CONFLICT_BALLOON_MORE, RC_INSERT(1) | RC_INSERT(2)},
        {IDS_CONFLICTS_TAB_SYNCS, 0},
        {IDS_CONFLICTS_TAB, RC_INSERT(1)},
        {IDS_CONFLICTS_COL_FILE, 0},
        {IDS_CONFLICTS_COL_TIME, 0},
        {IDS_CONFLICTS_COL_STATE, 0},
        {IDS_CONFLICT_STATE_JOIN, RC_INSERT(1) | RC_INSERT(2)},
        {IDS_CONFLICT_STATE_SYNCED, 0},
    };
    loaded *l = *state;
    WCHAR en[512], de[512];
    char utf8[512];
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        assert_true(rc_string_copy(l->exe, texts[i].id, lang_en, en, 512) >= 0);
        assert_true(rc_string_copy(l->exe, texts[i].id, lang_de, de, 512) >= 0);
        if (!en[0] || !de[0])
            fail_msg("conflict text %u is missing in %s", texts[i].id, en[0] ? "German" : "English");
        assert_int_equal(rc_inserts(en), texts[i].inserts);
        assert_int_equal(rc_inserts(de), texts[i].inserts);
        if (texts[i].id != IDS_CONFLICT_STATE_JOIN && wcscmp(en, de) == 0)
            fail_msg("conflict text %u is not translated: %ls", texts[i].id, en);
    }
    for (int side = 0; side < 2; side++) {
        int count = side ? OF_CR_COUNT : OF_CL_COUNT;
        for (int k = 1; k < count; k++) {
            UINT id = (side ? IDS_CONFLICT_REMOTE_BASE : IDS_CONFLICT_LOCAL_BASE) + (UINT)k;
            const char *core = side ? of_conflict_remote_words((of_conflict_remote)k)
                                    : of_conflict_local_words((of_conflict_local)k);
            assert_true(rc_string_copy(l->exe, id, lang_en, en, 512) >= 0);
            assert_true(rc_string_copy(l->exe, id, lang_de, de, 512) >= 0);
            WideCharToMultiByte(CP_UTF8, 0, en, -1, utf8, sizeof utf8, NULL, NULL);
            assert_string_equal(utf8, core);
            if (!de[0] || wcscmp(en, de) == 0)
                fail_msg("side text %u is missing or not translated in German", id);
        }
        /* Nothing after the last: a new side needs its text. */
        UINT past = (side ? IDS_CONFLICT_REMOTE_BASE : IDS_CONFLICT_LOCAL_BASE) + (UINT)count;
        assert_int_equal(rc_string_copy(l->exe, past, lang_en, en, 512), 0); /* absent */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_english_complete_and_valid),
        cmocka_unit_test(test_german_complete_and_valid),
        cmocka_unit_test(test_english_matches_the_test_table),
        cmocka_unit_test(test_german_uses_the_same_placeholders),
        cmocka_unit_test(test_german_is_translated),
        cmocka_unit_test(test_no_stale_ids_after_the_last),
        cmocka_unit_test(test_loadstring_finds_every_id),
        cmocka_unit_test(test_german_sentences),
        cmocka_unit_test(test_english_sentence),
        cmocka_unit_test(test_conflict_texts),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
