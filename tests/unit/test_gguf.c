/* test_gguf.c: the GGUF loader on hand-built files (valid, each kind of
 * corruption, every truncation, streamed in chunks) and on the shared test
 * models when ../shared is present. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cs_err.h"
#include "gguf.h"
#include "gguf_builder.h"

/* ---------------------------------------------------------------- builder */

enum corruption {
    OK_FILE, BAD_MAGIC, BAD_VERSION, VERSION_1, HUGE_KV_COUNT, HUGE_TENSOR_COUNT,
    KEY_TOO_LONG, STRING_TOO_LONG, UNKNOWN_VTYPE, NESTED_ARRAY, ARRAY_TOO_LONG,
    DUP_KEY, DUP_TENSOR, FIVE_DIMS, ZERO_DIM, DIM_OVERFLOW, UNKNOWN_TYPE,
    PARTIAL_BLOCK, MISALIGNED_OFFSET, OFFSET_BEYOND, OVERLAP, BAD_ALIGNMENT,
    ALIGNMENT_NOT_U32, NUL_IN_NAME, EMPTY_NAME, SHORT_DATA, N_CORRUPTIONS
};

/* A file with every metadata type and three tensors:
 *   a: F32 [4, 2] = 0..7, b: Q8_0 [32, 2] (68 bytes), c: F16 [8] */
static void build(cs_buf *b, enum corruption k)
{
    const uint32_t align = 64;
    gb_header(b, k == BAD_VERSION ? 4 : k == VERSION_1 ? 1 : 3,
              k == HUGE_TENSOR_COUNT ? (1ull << 40) : 3, k == HUGE_KV_COUNT ? (1ull << 40) : 18);
    if (k == BAD_MAGIC) b->data[0] = 'X';
    gb_kv_str(b, "general.architecture", "llama");
    if (k == ALIGNMENT_NOT_U32) { gb_key(b, "general.alignment", 10); gb_u64(b, align); }
    else gb_kv_u32(b, "general.alignment", k == BAD_ALIGNMENT ? 48 : align);
    gb_key(b, "t.u8", 0); gb_u8(b, 200);
    gb_key(b, "t.i8", 1); gb_u8(b, 0xFF); /* -1 */
    gb_key(b, "t.u16", 2); gb_u8(b, 0x34); gb_u8(b, 0x12);
    gb_key(b, "t.i16", 3); gb_u8(b, 0xFE); gb_u8(b, 0xFF); /* -2 */
    gb_kv_u32(b, k == DUP_KEY ? "t.u8" : "t.u32", 4000000000u);
    gb_key(b, "t.i32", 5); gb_u32(b, (uint32_t)-7);
    gb_key(b, "t.f32", 6); gb_f32(b, 1.5f);
    gb_key(b, "t.bool", 7); gb_u8(b, 1);
    gb_key(b, "t.u64", 10); gb_u64(b, 1ull << 40);
    gb_key(b, "t.i64", 11); gb_u64(b, (uint64_t)-3);
    double d = 0.25;
    gb_key(b, "t.f64", 12); gb_raw(b, &d, 8);
    if (k == KEY_TOO_LONG) { gb_u64(b, 1ull << 20); gb_u32(b, 4); gb_u32(b, 0); }
    else if (k == STRING_TOO_LONG) { gb_key(b, "t.str", 8); gb_u64(b, 1ull << 40); gb_raw(b, "x", 1); }
    else if (k == UNKNOWN_VTYPE) { gb_key(b, "t.str", 13); gb_u32(b, 0); }
    else gb_kv_str(b, "t.str", "h\xC3\xA9llo");
    gb_key(b, "t.astr", 9);
    gb_u32(b, k == NESTED_ARRAY ? 9 : 8);
    gb_u64(b, k == ARRAY_TOO_LONG ? (1ull << 27) : 3);
    gb_str(b, "a"); gb_str(b, ""); gb_str(b, "<|im_start|>");
    gb_key(b, "t.af32", 9); gb_u32(b, 6); gb_u64(b, 2); gb_f32(b, -1.0f); gb_f32(b, 2.5f);
    gb_key(b, "t.ai32", 9); gb_u32(b, 5); gb_u64(b, 3); gb_u32(b, 1); gb_u32(b, (uint32_t)-2); gb_u32(b, 3);
    gb_key(b, "t.au8", 9); gb_u32(b, 0); gb_u64(b, 0);

    uint64_t ne_a[] = {4, 2}, ne_b[] = {32, 2}, ne_c[] = {8}, ne5[] = {1, 1, 1, 1, 1};
    if (k == FIVE_DIMS) gb_tensor(b, "a", 5, ne5, 0, 0);
    else if (k == ZERO_DIM) gb_tensor(b, "a", 2, (uint64_t[]){4, 0}, 0, 0);
    else if (k == DIM_OVERFLOW) gb_tensor(b, "a", 2, (uint64_t[]){1ull << 32, 1ull << 32}, 0, 0);
    else if (k == NUL_IN_NAME) { gb_u64(b, 2); gb_raw(b, "a\0", 2); gb_u32(b, 2); gb_u64(b, 4); gb_u64(b, 2); gb_u32(b, 0); gb_u64(b, 0); }
    else if (k == EMPTY_NAME) gb_tensor(b, "", 2, ne_a, 0, 0);
    else gb_tensor(b, "a", 2, ne_a, 0, 0);
    if (k == PARTIAL_BLOCK) gb_tensor(b, "b", 2, (uint64_t[]){16, 4}, 8, 64);
    else gb_tensor(b, k == DUP_TENSOR ? "a" : "b", 2, ne_b, k == UNKNOWN_TYPE ? 99 : 8,
                   k == MISALIGNED_OFFSET ? 72 : k == OVERLAP ? 0 : 64);
    gb_tensor(b, "c", 1, ne_c, 1, k == OFFSET_BEYOND ? 1024 : 192);
    gb_pad(b, align);
    size_t data = b->len;
    for (int i = 0; i < 8; i++) gb_f32(b, (float)i);
    gb_pad(b, align);
    for (int i = 0; i < 68; i++) gb_u8(b, (uint8_t)i);
    while (b->len < data + 192) gb_u8(b, 0);
    for (int i = 0; i < 8; i++) { gb_u8(b, 0); gb_u8(b, 0x3C); } /* f16 1.0 */
    if (k == SHORT_DATA) b->len -= 1;
}

/* The file in a malloc'd block of exactly its size, so ASan sees any read
 * past the end. */
static uint8_t *exact_copy(const cs_buf *b, size_t n)
{
    uint8_t *p = malloc(n ? n : 1);
    memcpy(p, b->data, n);
    return p;
}

static void check_valid(const cs_gguf *g)
{
    cr_assert_eq(cs_gguf_version(g), 3);
    cr_assert_eq(cs_gguf_alignment(g), 64);
    cr_assert_eq(cs_gguf_data_offset(g) % 64, 0);
    cr_assert_eq(cs_gguf_n_kv(g), 18);
    const char *s;
    cr_assert_eq(cs_gguf_get_str(g, "general.architecture", &s), CS_OK);
    cr_assert_str_eq(s, "llama");
    cr_assert_eq(cs_gguf_get_str(g, "t.str", &s), CS_OK);
    cr_assert_str_eq(s, "h\xC3\xA9llo");
    uint32_t u;
    int32_t i;
    uint64_t u64;
    float f;
    int bl;
    cr_assert_eq(cs_gguf_get_u32(g, "t.u8", &u), CS_OK); cr_assert_eq(u, 200);
    cr_assert_eq(cs_gguf_get_u32(g, "t.u16", &u), CS_OK); cr_assert_eq(u, 0x1234);
    cr_assert_eq(cs_gguf_get_u32(g, "t.u32", &u), CS_OK); cr_assert_eq(u, 4000000000u);
    cr_assert_eq(cs_gguf_get_i32(g, "t.i8", &i), CS_OK); cr_assert_eq(i, -1);
    cr_assert_eq(cs_gguf_get_i32(g, "t.i16", &i), CS_OK); cr_assert_eq(i, -2);
    cr_assert_eq(cs_gguf_get_i32(g, "t.i32", &i), CS_OK); cr_assert_eq(i, -7);
    cr_assert_eq(cs_gguf_get_i32(g, "t.i64", &i), CS_OK); cr_assert_eq(i, -3);
    cr_assert_eq(cs_gguf_get_u64(g, "t.u64", &u64), CS_OK); cr_assert_eq(u64, 1ull << 40);
    /* values that do not fit, and wrong types */
    cr_assert_eq(cs_gguf_get_i32(g, "t.u32", &i), CS_ERR_FORMAT);
    cr_assert_eq(cs_gguf_get_u32(g, "t.i32", &u), CS_ERR_FORMAT);
    cr_assert_eq(cs_gguf_get_u32(g, "t.u64", &u), CS_ERR_FORMAT);
    cr_assert_eq(cs_gguf_get_u32(g, "t.str", &u), CS_ERR_FORMAT);
    cr_assert_eq(cs_gguf_get_u32(g, "t.f32", &u), CS_ERR_FORMAT);
    cr_assert_eq(cs_gguf_get_str(g, "t.u8", &s), CS_ERR_FORMAT);
    cr_assert_eq(cs_gguf_get_bool(g, "t.u8", &bl), CS_ERR_FORMAT);
    cr_assert_eq(cs_gguf_get_u32(g, "no.such.key", &u), CS_ERR_NOT_FOUND);
    cr_assert_eq(cs_gguf_get_f32(g, "t.f32", &f), CS_OK); cr_assert_float_eq(f, 1.5f, 0);
    cr_assert_eq(cs_gguf_get_f32(g, "t.f64", &f), CS_OK); cr_assert_float_eq(f, 0.25f, 0);
    cr_assert_eq(cs_gguf_get_f32(g, "t.u8", &f), CS_ERR_FORMAT);
    cr_assert_eq(cs_gguf_get_bool(g, "t.bool", &bl), CS_OK); cr_assert_eq(bl, 1);

    cr_assert_eq(cs_gguf_find_key(g, "t.bool"), 9);
    cr_assert_eq(cs_gguf_find_key(g, "nope"), -1);
    cr_assert_str_eq(cs_gguf_kv_key(g, 9), "t.bool");
    cr_assert_eq(cs_gguf_kv_type(g, 9), CS_GGUF_BOOL);
    cr_assert_null(cs_gguf_kv_key(g, 18));

    cs_gguf_vtype et;
    uint64_t n;
    const cs_gguf_str *items;
    cr_assert_eq(cs_gguf_get_arr_info(g, "t.astr", &et, &n), CS_OK);
    cr_assert_eq(et, CS_GGUF_STRING); cr_assert_eq(n, 3);
    cr_assert_eq(cs_gguf_get_arr_str(g, "t.astr", &items, &n), CS_OK);
    cr_assert_eq(items[0].len, 1); cr_assert_eq(items[0].ptr[0], 'a');
    cr_assert_eq(items[1].len, 0);
    cr_assert_eq(items[2].len, 12); cr_assert_eq(memcmp(items[2].ptr, "<|im_start|>", 12), 0);
    cr_assert_eq(cs_gguf_get_arr_str(g, "t.af32", &items, &n), CS_ERR_FORMAT);
    cr_assert_eq(cs_gguf_get_arr_info(g, "t.u8", &et, &n), CS_ERR_FORMAT);
    float *fv;
    int32_t *iv;
    cr_assert_eq(cs_gguf_get_arr_f32(g, "t.af32", &fv, &n), CS_OK);
    cr_assert_eq(n, 2); cr_assert_float_eq(fv[0], -1.0f, 0); cr_assert_float_eq(fv[1], 2.5f, 0);
    free(fv);
    cr_assert_eq(cs_gguf_get_arr_i32(g, "t.ai32", &iv, &n), CS_OK);
    cr_assert_eq(n, 3); cr_assert_eq(iv[0], 1); cr_assert_eq(iv[1], -2); cr_assert_eq(iv[2], 3);
    free(iv);
    cr_assert_eq(cs_gguf_get_arr_i32(g, "t.af32", &iv, &n), CS_ERR_FORMAT);
    cr_assert_eq(cs_gguf_get_arr_f32(g, "t.ai32", &fv, &n), CS_ERR_FORMAT);
    cr_assert_eq(cs_gguf_get_arr_i32(g, "t.au8", &iv, &n), CS_OK);
    cr_assert_eq(n, 0);
    free(iv);

    cr_assert_eq(cs_gguf_n_tensors(g), 3);
    const cs_gguf_tensor *a = cs_gguf_find_tensor(g, "a"), *b = cs_gguf_find_tensor(g, "b"),
                         *c = cs_gguf_find_tensor(g, "c");
    cr_assert(a && b && c);
    cr_assert_null(cs_gguf_find_tensor(g, "d"));
    cr_assert_eq(cs_gguf_tensor_at(g, 1), b);
    cr_assert_null(cs_gguf_tensor_at(g, 3));
    cr_assert_eq(a->type, CS_GGML_TYPE_F32);
    cr_assert_eq(a->n_dims, 2); cr_assert_eq(a->ne[0], 4); cr_assert_eq(a->ne[1], 2);
    cr_assert_eq(a->ne[2], 1); cr_assert_eq(a->n_elements, 8); cr_assert_eq(a->size, 32);
    float av[8];
    memcpy(av, a->data, sizeof av);
    for (int k = 0; k < 8; k++) cr_assert_float_eq(av[k], (float)k, 0);
    cr_assert_eq(b->type, CS_GGML_TYPE_Q8_0); cr_assert_eq(b->size, 68);
    cr_assert_eq(((const uint8_t *)b->data)[67], 67);
    cr_assert_eq(c->size, 16); cr_assert_eq(((const uint8_t *)c->data)[15], 0x3C);
}

Test(gguf, valid_buffer)
{
    cs_buf b = {0};
    build(&b, OK_FILE);
    uint8_t *p = exact_copy(&b, b.len);
    cs_gguf *g;
    const char *why = NULL;
    cr_assert_eq(cs_gguf_open_buffer(p, b.len, &g, &why), CS_OK, "%s", why);
    check_valid(g);
    cr_assert_eq(cs_gguf_file_size(g), b.len);
    cs_gguf_free(g);
    free(p);
    cs_buf_free(&b);
}

Test(gguf, valid_file_is_mapped)
{
    cs_buf b = {0};
    build(&b, OK_FILE);
    char path[] = "/tmp/test_gguf_XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, b.data, b.len), (ssize_t)b.len);
    close(fd);
    cs_gguf *g;
    const char *why = NULL;
    cr_assert_eq(cs_gguf_open_file(path, &g, &why), CS_OK, "%s", why);
    check_valid(g);
    /* data pointers are absolutely aligned for a mapped file */
    for (size_t i = 0; i < cs_gguf_n_tensors(g); i++)
        cr_assert_eq((uintptr_t)cs_gguf_tensor_at(g, i)->data % 64, 0);
    cs_gguf_free(g);
    unlink(path);
    cr_assert_eq(cs_gguf_open_file(path, &g, &why), CS_ERR_IO);
    cr_assert_null(g);
    cr_assert_eq(cs_gguf_open_file("/tmp", &g, &why), CS_ERR_IO);
    cs_buf_free(&b);
}

Test(gguf, every_corruption_is_a_format_error)
{
    for (int k = OK_FILE + 1; k < N_CORRUPTIONS; k++) {
        cs_buf b = {0};
        build(&b, (enum corruption)k);
        uint8_t *p = exact_copy(&b, b.len);
        cs_gguf *g = (cs_gguf *)1;
        const char *why = NULL;
        int rc = cs_gguf_open_buffer(p, b.len, &g, &why);
        cr_expect_eq(rc, CS_ERR_FORMAT, "corruption %d: rc %d", k, rc);
        cr_expect_null(g, "corruption %d", k);
        cr_expect(why && *why, "corruption %d has a reason", k);
        free(p);
        cs_buf_free(&b);
    }
}

Test(gguf, reasons_name_the_problem)
{
    static const struct { enum corruption k; const char *word; } cases[] = {
        {BAD_MAGIC, "magic"}, {BAD_VERSION, "version"}, {UNKNOWN_TYPE, "type"},
        {OFFSET_BEYOND, "end of file"}, {DUP_KEY, "duplicate"}, {BAD_ALIGNMENT, "alignment"},
        {SHORT_DATA, "end of file"}, {DIM_OVERFLOW, "overflow"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        cs_buf b = {0};
        build(&b, cases[i].k);
        cs_gguf *g;
        const char *why = "";
        cs_gguf_open_buffer(b.data, b.len, &g, &why);
        cr_expect(strstr(why, cases[i].word), "corruption %d: '%s' lacks '%s'", cases[i].k, why, cases[i].word);
        cs_buf_free(&b);
    }
}

Test(gguf, every_truncation_is_a_format_error)
{
    cs_buf b = {0};
    build(&b, OK_FILE);
    for (size_t n = 0; n < b.len; n++) {
        uint8_t *p = exact_copy(&b, n);
        cs_gguf *g;
        const char *why = NULL;
        int rc = cs_gguf_open_buffer(p, n, &g, &why);
        cr_assert_eq(rc, CS_ERR_FORMAT, "truncated at %zu: rc %d", n, rc);
        cr_assert(why != NULL);
        free(p);
    }
    cs_buf_free(&b);
}

Test(gguf, every_single_byte_flip_is_safe)
{
    /* Not every flip is an error (a flipped metadata value is still a
     * file), but none may crash or read out of bounds (ASan). */
    cs_buf b = {0};
    build(&b, OK_FILE);
    uint8_t *p = exact_copy(&b, b.len);
    for (size_t i = 0; i < b.len; i++) {
        for (int bit = 0; bit < 8; bit += 3) {
            p[i] ^= (uint8_t)(1 << bit);
            cs_gguf *g;
            const char *why;
            if (cs_gguf_open_buffer(p, b.len, &g, &why) == CS_OK) cs_gguf_free(g);
            p[i] ^= (uint8_t)(1 << bit);
        }
    }
    free(p);
    cs_buf_free(&b);
}

Test(gguf, type_layouts)
{
    uint32_t be, bb;
    cr_assert(cs_ggml_type_layout(CS_GGML_TYPE_Q4_K, &be, &bb));
    cr_assert_eq(be, 256); cr_assert_eq(bb, 144);
    cr_assert(cs_ggml_type_layout(CS_GGML_TYPE_Q8_0, &be, &bb));
    cr_assert_eq(be, 32); cr_assert_eq(bb, 34);
    cr_assert(cs_ggml_type_layout(CS_GGML_TYPE_Q6_K, &be, &bb));
    cr_assert_eq(bb, 210);
    cr_assert_not(cs_ggml_type_layout(4, &be, &bb)); /* removed Q4_2 */
    cr_assert_str_eq(cs_ggml_type_name(CS_GGML_TYPE_Q5_0), "Q5_0");
    cr_assert_str_eq(cs_ggml_type_name(77), "unknown");
}

/* ---------------------------------------------------------------- streams */

static void stream_in_chunks(size_t chunk, uint64_t announce)
{
    cs_buf b = {0};
    build(&b, OK_FILE);
    cs_gguf_stream *s = cs_gguf_stream_new(announce ? b.len : 0);
    cr_assert_not_null(s);
    const char *why = NULL;
    size_t header_at = 0, last_ready = 0;
    for (size_t off = 0; off < b.len; off += chunk) {
        size_t n = b.len - off < chunk ? b.len - off : chunk;
        uint8_t *p = exact_copy(&b, off + n); /* chunk in its own exact block */
        cr_assert_eq(cs_gguf_stream_feed(s, p + off, n, &why), CS_OK, "%s", why);
        free(p);
        const cs_gguf *g = cs_gguf_stream_gguf(s);
        if (g && !header_at) header_at = off + n;
        if (g) {
            size_t ready = cs_gguf_stream_n_ready(s), with_data = 0;
            cr_assert_geq(ready, last_ready);
            for (size_t i = 0; i < cs_gguf_n_tensors(g); i++) with_data += cs_gguf_tensor_at(g, i)->data != NULL;
            cr_assert_eq(with_data, ready);
            last_ready = ready;
        }
    }
    cr_assert(header_at > 0 && (chunk >= b.len || header_at < b.len), "header parsed before the data arrived (at %zu)", header_at);
    cr_assert_eq(cs_gguf_stream_n_ready(s), 3);
    cr_assert_eq(cs_gguf_stream_received(s), b.len);
    cr_assert_eq(cs_gguf_stream_expected(s), b.len);
    cs_gguf *g;
    cr_assert_eq(cs_gguf_stream_finish(s, &g, &why), CS_OK, "%s", why);
    check_valid(g);
    for (size_t i = 0; i < cs_gguf_n_tensors(g); i++)
        cr_assert_eq((uintptr_t)cs_gguf_tensor_at(g, i)->data % 64, 0);
    cs_gguf_free(g);
    cs_gguf_stream_free(s);
    cs_buf_free(&b);
}

Test(gguf_stream, chunks_of_1_byte) { stream_in_chunks(1, 0); }
Test(gguf_stream, chunks_of_7_bytes_announced) { stream_in_chunks(7, 1); }
Test(gguf_stream, chunks_of_100_bytes) { stream_in_chunks(100, 0); }
Test(gguf_stream, one_chunk) { stream_in_chunks(1 << 20, 1); }

Test(gguf_stream, zero_copy_tail_and_commit)
{
    cs_buf b = {0};
    build(&b, OK_FILE);
    cs_gguf_stream *s = cs_gguf_stream_new(0);
    const char *why = NULL;
    size_t room, off = 0;
    cr_assert_null(cs_gguf_stream_tail(s, &room)); /* no header yet */
    cr_assert_eq(room, 0);
    while (!cs_gguf_stream_gguf(s)) { /* the header by feeding */
        cr_assert_eq(cs_gguf_stream_feed(s, b.data + off, 50, &why), CS_OK, "%s", why);
        off += 50;
    }
    cr_assert_eq(cs_gguf_stream_received(s), off);
    while (off < b.len) { /* the rest written in place, 64 bytes at a time */
        unsigned char *tail = cs_gguf_stream_tail(s, &room);
        cr_assert_not_null(tail);
        cr_assert_eq(room, b.len - off);
        size_t k = room < 64 ? room : 64;
        memcpy(tail, b.data + off, k);
        cr_assert_eq(cs_gguf_stream_commit(s, k, &why), CS_OK);
        off += k;
    }
    cr_assert_null(cs_gguf_stream_tail(s, &room));
    cr_assert_eq(cs_gguf_stream_commit(s, 1, &why), CS_ERR_INVALID);
    cr_assert_eq(cs_gguf_stream_n_ready(s), 3);
    cs_gguf *g;
    cr_assert_eq(cs_gguf_stream_finish(s, &g, &why), CS_OK, "%s", why);
    check_valid(g);
    cs_gguf_free(g);
    cs_gguf_stream_free(s);
    cs_buf_free(&b);
}

Test(gguf_stream, truncated_and_oversized)
{
    cs_buf b = {0};
    build(&b, OK_FILE);
    const char *why = NULL;
    cs_gguf *g;
    for (size_t n = 0; n < b.len; n += 13) { /* cut anywhere: finish fails */
        cs_gguf_stream *s = cs_gguf_stream_new(0);
        cr_assert_eq(cs_gguf_stream_feed(s, b.data, n, &why), CS_OK);
        cr_assert_eq(cs_gguf_stream_finish(s, &g, &why), CS_ERR_FORMAT, "cut at %zu", n);
        cr_assert_null(g);
        cs_gguf_stream_free(s);
    }
    /* more than announced */
    cs_gguf_stream *s = cs_gguf_stream_new(b.len - 1);
    cr_assert_eq(cs_gguf_stream_feed(s, b.data, b.len, &why), CS_ERR_FORMAT);
    cr_assert_eq(cs_gguf_stream_feed(s, b.data, 1, &why), CS_ERR_INVALID); /* failed stays failed */
    cs_gguf_stream_free(s);
    /* a corrupt header fails as soon as it is seen */
    cs_buf bad = {0};
    build(&bad, UNKNOWN_TYPE);
    s = cs_gguf_stream_new(0);
    cr_assert_eq(cs_gguf_stream_feed(s, bad.data, bad.len, &why), CS_ERR_FORMAT);
    cr_assert(strstr(why, "type"));
    cs_gguf_stream_free(s);
    /* a length announced shorter than the tensors need */
    s = cs_gguf_stream_new(b.len - 1);
    cr_assert_eq(cs_gguf_stream_feed(s, b.data, b.len - 1, &why), CS_ERR_FORMAT);
    cs_gguf_stream_free(s);
    /* a string longer than any header: refused at once, not buffered */
    cs_buf huge = {0};
    gb_header(&huge, 3, 0, 1);
    gb_key(&huge, "k", 8);
    gb_u64(&huge, 1ull << 40);
    s = cs_gguf_stream_new(0);
    cr_assert_eq(cs_gguf_stream_feed(s, huge.data, huge.len, &why), CS_ERR_FORMAT);
    cr_assert(strstr(why, "too large"), "%s", why);
    cs_gguf_stream_free(s);
    cs_buf_free(&huge);
    /* trailing padding after the last tensor is accepted and dropped */
    s = cs_gguf_stream_new(0);
    cr_assert_eq(cs_gguf_stream_feed(s, b.data, b.len, &why), CS_OK);
    cr_assert_eq(cs_gguf_stream_feed(s, "\0\0\0\0", 4, &why), CS_OK);
    cr_assert_eq(cs_gguf_stream_finish(s, &g, &why), CS_OK);
    check_valid(g);
    cs_gguf_free(g);
    cs_gguf_stream_free(s);
    cs_buf_free(&bad);
    cs_buf_free(&b);
}

/* ---------------------------------------------------------------- models */

typedef struct {
    const char *file, *arch;
    uint32_t dim, layers, ffn, heads, kv_heads, vocab;
    int qkv_bias;
} model_shape;

static const model_shape shapes[] = {
    {"smollm2-135m-shape-random-q4_k_m.gguf", "llama", 576, 30, 1536, 9, 3, 49152, 0},
    {"tiny-llama-bpe-random-q8_0.gguf", "llama", 256, 4, 768, 8, 2, 49152, 0},
    {"tiny-llama-bpe-random-q4_0.gguf", "llama", 256, 4, 768, 8, 2, 49152, 0},
    {"micro-llama-bpe-random-f16.gguf", "llama", 128, 2, 384, 4, 2, 49152, 0},
    {"tiny-qwen2-bpe-random-q8_0.gguf", "qwen2", 256, 4, 768, 8, 2, 49152, 1},
    {"tiny-llama-spm-random-q4_k_m.gguf", "llama", 256, 4, 768, 8, 4, 32000, 0},
};

static uint32_t meta_u32(const cs_gguf *g, const char *arch, const char *suffix)
{
    char key[128];
    snprintf(key, sizeof key, "%s.%s", arch, suffix);
    uint32_t v = 0;
    cr_assert_eq(cs_gguf_get_u32(g, key, &v), CS_OK, "%s", key);
    return v;
}

static void expect_2d(const cs_gguf *g, const char *name, uint64_t ne0, uint64_t ne1)
{
    const cs_gguf_tensor *t = cs_gguf_find_tensor(g, name);
    cr_assert_not_null(t, "%s missing", name);
    cr_expect_eq(t->ne[0], ne0, "%s ne0 %llu", name, (unsigned long long)t->ne[0]);
    cr_expect_eq(t->ne[1], ne1, "%s ne1 %llu", name, (unsigned long long)t->ne[1]);
}

Test(gguf_models, shared_models_have_the_documented_shapes)
{
    char path[512];
    int seen = 0;
    for (size_t m = 0; m < sizeof shapes / sizeof *shapes; m++) {
        const model_shape *s = &shapes[m];
        snprintf(path, sizeof path, "%s/models/%s", CS_SHARED_DIR, s->file);
        if (access(path, R_OK) != 0) continue;
        seen++;
        cs_gguf *g;
        const char *why = NULL;
        cr_assert_eq(cs_gguf_open_file(path, &g, &why), CS_OK, "%s: %s", s->file, why);
        const char *arch;
        cr_assert_eq(cs_gguf_get_str(g, "general.architecture", &arch), CS_OK);
        cr_expect_str_eq(arch, s->arch, "%s", s->file);
        cr_expect_eq(meta_u32(g, arch, "embedding_length"), s->dim, "%s", s->file);
        cr_expect_eq(meta_u32(g, arch, "block_count"), s->layers, "%s", s->file);
        cr_expect_eq(meta_u32(g, arch, "feed_forward_length"), s->ffn, "%s", s->file);
        cr_expect_eq(meta_u32(g, arch, "attention.head_count"), s->heads, "%s", s->file);
        cr_expect_eq(meta_u32(g, arch, "attention.head_count_kv"), s->kv_heads, "%s", s->file);
        uint32_t hd = s->dim / s->heads, kvd = hd * s->kv_heads;
        expect_2d(g, "token_embd.weight", s->dim, s->vocab);
        char name[64];
        for (uint32_t l = 0; l < s->layers; l++) {
            snprintf(name, sizeof name, "blk.%u.attn_q.weight", l); expect_2d(g, name, s->dim, s->dim);
            snprintf(name, sizeof name, "blk.%u.attn_k.weight", l); expect_2d(g, name, s->dim, kvd);
            snprintf(name, sizeof name, "blk.%u.attn_v.weight", l); expect_2d(g, name, s->dim, kvd);
            snprintf(name, sizeof name, "blk.%u.attn_output.weight", l); expect_2d(g, name, s->dim, s->dim);
            snprintf(name, sizeof name, "blk.%u.ffn_gate.weight", l); expect_2d(g, name, s->dim, s->ffn);
            snprintf(name, sizeof name, "blk.%u.ffn_up.weight", l); expect_2d(g, name, s->dim, s->ffn);
            snprintf(name, sizeof name, "blk.%u.ffn_down.weight", l); expect_2d(g, name, s->ffn, s->dim);
            snprintf(name, sizeof name, "blk.%u.attn_q.bias", l);
            cr_expect_eq(cs_gguf_find_tensor(g, name) != NULL, s->qkv_bias, "%s %s", s->file, name);
        }
        /* every tensor's bytes lie inside the mapped file, aligned */
        uint64_t counts[32] = {0};
        for (size_t i = 0; i < cs_gguf_n_tensors(g); i++) {
            const cs_gguf_tensor *t = cs_gguf_tensor_at(g, i);
            cr_assert_not_null(t->data);
            cr_expect_eq((uintptr_t)t->data % cs_gguf_alignment(g), 0);
            cr_expect_leq(cs_gguf_data_offset(g) + t->offset + t->size, cs_gguf_file_size(g));
            if (t->type < 32) counts[t->type]++;
        }
        /* the quantization named for the audit log: general.file_type when
         * recorded, else the type with most weight bytes */
        const char *quant = cs_gguf_quant_name(g);
        if (strstr(s->file, "q4_k_m")) cr_expect_str_eq(quant, "Q4_K_M");
        else if (strstr(s->file, "q4_0")) cr_expect_str_eq(quant, "Q4_0");
        else if (strstr(s->file, "q8_0")) cr_expect_str_eq(quant, "Q8_0");
        else if (strstr(s->file, "f16")) cr_expect_str_eq(quant, "F16");
        if (!strcmp(s->file, "smollm2-135m-shape-random-q4_k_m.gguf")) {
            /* SOURCE.md: Q5_0 166, Q8_0 15, Q4_K 16, Q6_K 14, F32 the norms */
            cr_expect_eq(counts[CS_GGML_TYPE_Q5_0], 166);
            cr_expect_eq(counts[CS_GGML_TYPE_Q8_0], 15);
            cr_expect_eq(counts[CS_GGML_TYPE_Q4_K], 16);
            cr_expect_eq(counts[CS_GGML_TYPE_Q6_K], 14);
            cr_expect_eq(counts[CS_GGML_TYPE_F32], 2 * s->layers + 1);
        } else if (strstr(s->file, "q4_0")) {
            cr_expect_eq(counts[CS_GGML_TYPE_Q4_0], 28);
            cr_expect_eq(counts[CS_GGML_TYPE_Q6_K], 1);
        } else if (strstr(s->file, "q8_0")) {
            cr_expect_eq(counts[CS_GGML_TYPE_Q8_0] + counts[CS_GGML_TYPE_F32], cs_gguf_n_tensors(g));
            cr_expect_gt(counts[CS_GGML_TYPE_Q8_0], 0);
        } else if (strstr(s->file, "f16")) {
            cr_expect_eq(counts[CS_GGML_TYPE_F16] + counts[CS_GGML_TYPE_F32], cs_gguf_n_tensors(g));
        } else if (strstr(s->file, "spm")) {
            cr_expect_eq(counts[CS_GGML_TYPE_Q4_K] + counts[CS_GGML_TYPE_Q6_K] + counts[CS_GGML_TYPE_F32],
                         cs_gguf_n_tensors(g));
        }
        cs_gguf_free(g);
    }
    if (!seen) cr_skip_test("skip: no models in %s/models", CS_SHARED_DIR);
}

Test(gguf_models, shared_model_streamed_equals_mapped)
{
    char path[512];
    snprintf(path, sizeof path, "%s/models/tiny-llama-spm-random-q4_k_m.gguf", CS_SHARED_DIR);
    FILE *f = fopen(path, "rb");
    if (!f) cr_skip_test("skip: %s absent", path);
    cs_gguf *mapped;
    const char *why = NULL;
    cr_assert_eq(cs_gguf_open_file(path, &mapped, &why), CS_OK);
    cs_gguf_stream *s = cs_gguf_stream_new(0);
    static uint8_t chunk[1 << 16];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        cr_assert_eq(cs_gguf_stream_feed(s, chunk, n, &why), CS_OK, "%s", why);
    fclose(f);
    cs_gguf *g;
    cr_assert_eq(cs_gguf_stream_finish(s, &g, &why), CS_OK, "%s", why);
    cr_assert_eq(cs_gguf_n_tensors(g), cs_gguf_n_tensors(mapped));
    for (size_t i = 0; i < cs_gguf_n_tensors(g); i++) {
        const cs_gguf_tensor *a = cs_gguf_tensor_at(g, i), *b = cs_gguf_tensor_at(mapped, i);
        cr_assert_str_eq(a->name, b->name);
        cr_assert_eq(a->size, b->size);
        cr_assert_eq(memcmp(a->data, b->data, a->size), 0, "%s", a->name);
    }
    cs_gguf_free(g);
    cs_gguf_free(mapped);
    cs_gguf_stream_free(s);
}
