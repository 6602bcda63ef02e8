/* The exit guard (src/app/exitguard.c): a process that allowed it and armed
 * it is ended with the allowed exit code once the time is up, not before;
 * a second arm can bring the time forward, not put it off; without the allowance (code that
 * runs the app inside another program) arming does nothing. Each case runs
 * in a child: this program started again with "child ALLOW MS [MS2]", which
 * arms and then waits far longer than any guard. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/app/exitguard.h"

#define GUARD_CODE 7
#define CHILD_SLEEP_MS 30000
#define CHILD_LEFT_CODE 99

static int child(int argc, char **argv)
{
    if (atoi(argv[2]))
        exitguard_allow(GUARD_CODE);
    exitguard_arm((DWORD)atoi(argv[3]));
    if (argc > 4)
        exitguard_arm((DWORD)atoi(argv[4]));
    Sleep(CHILD_SLEEP_MS);
    return CHILD_LEFT_CODE;
}

typedef struct outcome {
    BOOL ended;     /* within wait_ms */
    DWORD code;
    ULONGLONG after_ms;
} outcome;

static outcome run_child(const char *args, DWORD wait_ms)
{
    char self[MAX_PATH], cmd[MAX_PATH + 64];
    STARTUPINFOA si = {.cb = sizeof(si)};
    PROCESS_INFORMATION pi;
    outcome o = {0};
    ULONGLONG t0;
    assert_true(GetModuleFileNameA(NULL, self, sizeof(self)) > 0);
    snprintf(cmd, sizeof(cmd), "\"%s\" child %s", self, args);
    t0 = GetTickCount64();
    assert_true(CreateProcessA(NULL, cmd, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi));
    o.ended = WaitForSingleObject(pi.hProcess, wait_ms) == WAIT_OBJECT_0;
    o.after_ms = GetTickCount64() - t0;
    if (!o.ended) {
        TerminateProcess(pi.hProcess, 1);
        WaitForSingleObject(pi.hProcess, 5000);
    }
    GetExitCodeProcess(pi.hProcess, &o.code);
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    return o;
}

static void test_allowed_guard_ends_the_process_when_the_time_is_up(void **state)
{
    outcome o = run_child("1 400", 10000);
    (void)state;
    assert_true(o.ended);
    assert_int_equal(o.code, GUARD_CODE);
    assert_true(o.after_ms >= 400);
}

static void test_a_second_later_arm_does_not_put_it_off(void **state)
{
    outcome o = run_child("1 300 60000", 10000);
    (void)state;
    assert_true(o.ended);
    assert_int_equal(o.code, GUARD_CODE);
}

static void test_a_second_earlier_arm_brings_the_time_forward(void **state)
{
    outcome o = run_child("1 60000 300", 10000);
    (void)state;
    assert_true(o.ended);
    assert_int_equal(o.code, GUARD_CODE);
    assert_true(o.after_ms >= 300);
}

static void test_without_the_allowance_arming_does_nothing(void **state)
{
    outcome o = run_child("0 100", 1500);
    (void)state;
    assert_false(o.ended);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_allowed_guard_ends_the_process_when_the_time_is_up),
        cmocka_unit_test(test_a_second_later_arm_does_not_put_it_off),
        cmocka_unit_test(test_a_second_earlier_arm_brings_the_time_forward),
        cmocka_unit_test(test_without_the_allowance_arming_does_nothing),
    };
    if (argc >= 4 && !strcmp(argv[1], "child"))
        return child(argc, argv);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
