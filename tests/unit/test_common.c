/* test_common.c: result codes, byte buffers and text decoding. */
#include <criterion/criterion.h>
#include <string.h>

#include "cs_buf.h"
#include "cs_err.h"
#include "cs_text.h"

Test(err, every_code_has_a_message)
{
    for (int e = 0; e >= CS_ERR_TAMPERED; e--)
        cr_expect_str_neq(cs_strerror(e), "unknown error", "code %d", e);
    cr_expect_str_eq(cs_strerror(12345), "unknown error");
}

Test(buf, append_printf_take)
{
    cs_buf b = {0};
    cr_assert_eq(cs_buf_puts(&b, "ab"), CS_OK);
    cr_assert_eq(cs_buf_putc(&b, 'c'), CS_OK);
    cr_assert_eq(cs_buf_printf(&b, "%d-%s", 42, "x"), CS_OK);
    cr_assert_eq(cs_buf_put_utf8(&b, 0xE9), CS_OK);
    cr_assert_eq(cs_buf_put_utf8(&b, 0x1F600), CS_OK);
    cr_assert_eq(cs_buf_put_utf8(&b, 0xD800), CS_OK); /* surrogate -> U+FFFD */
    cr_assert_str_eq(b.data, "abc42-x\xC3\xA9\xF0\x9F\x98\x80\xEF\xBF\xBD");
    char *s = cs_buf_take(&b);
    cr_assert_null(b.data);
    free(s);
    s = cs_buf_take(&b); /* empty buffer yields "" */
    cr_assert_str_eq(s, "");
    free(s);
    cs_buf_clear(&b);
    cs_buf_free(&b);
}

Test(text, utf8_plain_and_bom)
{
    cs_decoded d;
    cr_assert_eq(cs_text_decode((const uint8_t *)"caf\xC3\xA9\n", 6, &d), CS_OK);
    cr_expect_eq(d.encoding, CS_ENC_UTF8);
    cr_expect_str_eq(d.text, "caf\xC3\xA9\n");
    cr_expect_eq(cs_decoded_src_offset(&d, 3), 3);
    cs_decoded_free(&d);
    cr_assert_eq(cs_text_decode((const uint8_t *)"\xEF\xBB\xBFok", 5, &d), CS_OK);
    cr_expect_eq(d.encoding, CS_ENC_UTF8_BOM);
    cr_expect_str_eq(d.text, "ok");
    cr_expect_eq(cs_decoded_src_offset(&d, 1), 4);
    cr_expect_str_eq(cs_encoding_name(d.encoding), "utf-8-bom");
    cs_decoded_free(&d);
}

Test(text, utf16_le_be_with_offsets)
{
    const uint8_t le[] = {0xFF, 0xFE, 'H', 0, 0xE9, 0, '\n', 0, 0x3D, 0xD8, 0x00, 0xDE};
    cs_decoded d;
    cr_assert_eq(cs_text_decode(le, sizeof le, &d), CS_OK);
    cr_expect_eq(d.encoding, CS_ENC_UTF16LE);
    cr_expect_str_eq(d.text, "H\xC3\xA9\n\xF0\x9F\x98\x80");
    cr_expect_eq(cs_decoded_src_offset(&d, 1), 4); /* é starts at source byte 4 */
    cr_expect_eq(cs_decoded_src_offset(&d, d.len), sizeof le);
    cs_decoded_free(&d);
    const uint8_t be[] = {0xFE, 0xFF, 0, 'O', 0, 'K'};
    cr_assert_eq(cs_text_decode(be, sizeof be, &d), CS_OK);
    cr_expect_eq(d.encoding, CS_ENC_UTF16BE);
    cr_expect_str_eq(d.text, "OK");
    cs_decoded_free(&d);
    const uint8_t odd[] = {0xFF, 0xFE, 'H', 0, 'i'};
    cr_expect_eq(cs_text_decode(odd, sizeof odd, &d), CS_ERR_ENCODING);
    const uint8_t lone[] = {0xFF, 0xFE, 0x00, 0xDC};
    cr_expect_eq(cs_text_decode(lone, sizeof lone, &d), CS_ERR_ENCODING);
}

Test(text, cp1252_fallback)
{
    /* "caf\xE9 \x93ok\x94" is Windows-1252, not UTF-8 */
    const char *s = "caf\xE9 \x93ok\x94";
    cs_decoded d;
    cr_assert_eq(cs_text_decode((const uint8_t *)s, strlen(s), &d), CS_OK);
    cr_expect_eq(d.encoding, CS_ENC_CP1252);
    cr_expect_str_eq(d.text, "caf\xC3\xA9 \xE2\x80\x9Cok\xE2\x80\x9D");
    cr_expect_eq(cs_decoded_src_offset(&d, 6), 5); /* the opening quote */
    cs_decoded_free(&d);
    /* undefined Windows-1252 byte: not text in any encoding we read */
    cr_expect_eq(cs_text_decode((const uint8_t *)"ab\x81x", 4, &d), CS_ERR_ENCODING);
    /* a UTF-8 BOM followed by invalid UTF-8 is refused, not guessed */
    cr_expect_eq(cs_text_decode((const uint8_t *)"\xEF\xBB\xBF\xE9", 4, &d), CS_ERR_ENCODING);
}

Test(text, binary_and_empty)
{
    cs_decoded d;
    cr_expect_eq(cs_text_decode((const uint8_t *)"", 0, &d), CS_ERR_EMPTY);
    cr_expect_eq(cs_text_decode((const uint8_t *)" \r\n\t", 4, &d), CS_ERR_EMPTY);
    cr_expect_eq(cs_text_decode((const uint8_t *)"a\0b", 3, &d), CS_ERR_BINARY);
    cr_expect_eq(cs_text_decode((const uint8_t *)"%PDF\x01\x02", 6, &d), CS_ERR_BINARY);
}

Test(text, utf8_helpers)
{
    size_t l;
    cr_expect_eq(cs_utf8_decode("\xE2\x82\xAC", 3, &l), 0x20AC);
    cr_expect_eq(l, 3);
    cr_expect_eq(cs_utf8_decode("\xC0\x80", 2, &l), 0xFFFD); /* overlong */
    cr_expect_eq(l, 1);
    cr_expect_eq(cs_utf8_decode("\xE2\x82", 2, &l), 0xFFFD); /* truncated */
    cr_expect_eq(cs_utf8_valid_prefix("ab\xEF\xBF\xBD" "c\xFF", 7), 6);
    cr_expect_eq(cs_utf8_valid_prefix("abc", 3), 3);
}

Test(buf, html_escaped)
{
    cs_buf b = {0};
    cr_assert_eq(cs_buf_put_html_escaped(&b, "a<b>&\"c'd"), CS_OK);
    cr_expect_str_eq(b.data, "a&lt;b&gt;&amp;&quot;c&#39;d");
    cs_buf_clear(&b);
    cr_assert_eq(cs_buf_put_html_escaped(&b, ""), CS_OK);
    cr_expect_eq(b.len, 0);
    cs_buf_free(&b);
}

Test(text, utf8_encode_round_trips)
{
    const unsigned cps[] = {0x41, 0xE9, 0x20AC, 0x1F600, 0x10FFFF};
    const size_t lens[] = {1, 2, 3, 4, 4};
    for (size_t i = 0; i < 5; i++) {
        char b[4];
        size_t n = cs_utf8_encode(cps[i], b), l;
        cr_expect_eq(n, lens[i]);
        cr_expect_eq(cs_utf8_decode(b, n, &l), cps[i]);
        cr_expect_eq(l, n);
    }
    char b[4];
    cr_expect_eq(cs_utf8_encode(0xD800, b), 3, "a surrogate becomes U+FFFD");
    cr_expect(!memcmp(b, "\xEF\xBF\xBD", 3));
    cr_expect_eq(cs_utf8_encode(0x110000, b), 3);
}

Test(text, binary_bytes_refused_each_one)
{
    /* the decoder's byte table agrees with the rule: C0 controls other than
     * tab, LF, FF, CR, and DEL, are binary (a final DOS EOF mark excepted) */
    for (unsigned c = 0; c < 256; c++) {
        uint8_t b[3] = {'a', (uint8_t)c, 'a'};
        cs_decoded d;
        int rc = cs_text_decode(b, 3, &d);
        int binary = (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f') || c == 0x7F;
        cr_expect_eq(rc == CS_ERR_BINARY, binary, "byte 0x%02x", c);
        if (rc == CS_OK) cs_decoded_free(&d);
    }
    cs_decoded d;
    cr_expect_eq(cs_text_decode((const uint8_t *)"ab\x1a", 3, &d), CS_OK, "DOS EOF mark");
    cs_decoded_free(&d);
    cr_expect_eq(cs_text_decode((const uint8_t *)" \n\t ", 4, &d), CS_ERR_EMPTY);
}
