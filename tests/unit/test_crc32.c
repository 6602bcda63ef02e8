/* Tests for core/crc32: known check values, incremental use, the table. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "ofnotify/crc32.h"

/* The definition, one bit at a time: the oracle the table must agree with. */
static uint32_t crc_bitwise(const unsigned char *p, size_t len)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < len; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c & 1u) ? (c >> 1) ^ 0xEDB88320u : c >> 1;
    }
    return c ^ 0xFFFFFFFFu;
}

static void test_check_value(void **state)
{
    (void)state;
    assert_int_equal(of_crc32("123456789", 9), 0xCBF43926u);
}

static void test_known_strings(void **state)
{
    (void)state;
    assert_int_equal(of_crc32("", 0), 0u);
    assert_int_equal(of_crc32("a", 1), 0xE8B7BE43u);
    assert_int_equal(of_crc32("The quick brown fox jumps over the lazy dog", 43), 0x414FA339u);
    /* Four zero bytes: a value that a wrong initial value or final XOR changes. */
    assert_int_equal(of_crc32("\0\0\0\0", 4), 0x2144DF1Cu);
}

static void test_incremental_equals_one_shot(void **state)
{
    (void)state;
    const char *s = "123456789";
    for (size_t split = 0; split <= 9; split++) {
        uint32_t c = of_crc32_update(0, s, split);
        c = of_crc32_update(c, s + split, 9 - split);
        assert_int_equal(c, 0xCBF43926u);
    }
    /* Byte by byte. */
    uint32_t c = 0;
    for (size_t i = 0; i < 9; i++)
        c = of_crc32_update(c, s + i, 1);
    assert_int_equal(c, 0xCBF43926u);
}

static void test_null_and_empty_add_nothing(void **state)
{
    (void)state;
    uint32_t c = of_crc32("1234", 4);
    assert_int_equal(of_crc32_update(c, NULL, 0), c);
    assert_int_equal(of_crc32_update(c, NULL, 100), c);
    assert_int_equal(of_crc32_update(c, "x", 0), c);
    assert_int_equal(of_crc32(NULL, 5), 0u);
}

static void test_table_matches_bitwise_definition(void **state)
{
    (void)state;
    /* Every single byte value exercises every table entry. */
    for (unsigned n = 0; n < 256; n++) {
        unsigned char b = (unsigned char)n;
        assert_int_equal(of_crc32(&b, 1), crc_bitwise(&b, 1));
    }
    /* Longer pseudo-random buffers, all lengths up to 300. */
    unsigned char buf[300];
    uint32_t x = 2463534242u;
    for (size_t i = 0; i < sizeof buf; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buf[i] = (unsigned char)x;
    }
    for (size_t len = 0; len <= sizeof buf; len++)
        assert_int_equal(of_crc32(buf, len), crc_bitwise(buf, len));
}

static void test_detects_single_bit_flips(void **state)
{
    (void)state;
    unsigned char buf[64];
    for (size_t i = 0; i < sizeof buf; i++)
        buf[i] = (unsigned char)(i * 7u + 3u);
    uint32_t good = of_crc32(buf, sizeof buf);
    for (size_t i = 0; i < sizeof buf; i++) {
        for (int bit = 0; bit < 8; bit++) {
            buf[i] ^= (unsigned char)(1u << bit);
            assert_int_not_equal(of_crc32(buf, sizeof buf), good);
            buf[i] ^= (unsigned char)(1u << bit);
        }
    }
    assert_int_equal(of_crc32(buf, sizeof buf), good);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_value),
        cmocka_unit_test(test_known_strings),
        cmocka_unit_test(test_incremental_equals_one_shot),
        cmocka_unit_test(test_null_and_empty_add_nothing),
        cmocka_unit_test(test_table_matches_bitwise_definition),
        cmocka_unit_test(test_detects_single_bit_flips),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
