/* test_inference_oom.c: allocation-failure injection for the GGUF loader,
 * the tokenizer and chat templates.  malloc/calloc/realloc/aligned_alloc
 * of our code are wrapped at link time (-Wl,--wrap, see
 * tests/inference-gguf.cmake); each test first counts the allocations of a
 * successful run, then fails each one in turn: every call must return
 * CS_OK or CS_ERR_NOMEM, never crash, and leak nothing (ASan build). */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "chat.h"
#include "cs_err.h"
#include "gguf.h"
#include "gguf_builder.h"
#include "tokenizer.h"

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t k);
void *__real_realloc(void *p, size_t n);
void *__real_aligned_alloc(size_t a, size_t n);

static long fail_at = -1, n_allocs;

static int should_fail(void) { return fail_at >= 0 && n_allocs++ == fail_at; }
void *__wrap_malloc(size_t n) { return should_fail() ? NULL : __real_malloc(n); }
void *__wrap_calloc(size_t n, size_t k) { return should_fail() ? NULL : __real_calloc(n, k); }
void *__wrap_realloc(void *p, size_t n) { return should_fail() ? NULL : __real_realloc(p, n); }
void *__wrap_aligned_alloc(size_t a, size_t n) { return should_fail() ? NULL : __real_aligned_alloc(a, n); }

static cs_buf vocab_file(int spm)
{
    static const char *extra[] = {"th", "the", "\xC4\xA0" "the"};
    static const char *merges[] = {"t h", "th e", "\xC4\xA0 the"};
    cs_buf b = {0};
    gb_byte_vocab(&b, spm, spm ? "default" : "smollm", extra, spm ? 2 : 3, merges, 3);
    return b;
}

/* One complete use: load (buffer or stream), tokenize, decode, render a
 * chat.  Returns the first error, or CS_OK. */
static int scenario(const cs_buf *file, int stream)
{
    static const char text[] = "<|im_start|>user\nthe 12 th\xC3\xA9 \xF0\x9F\xA9\xBA<|im_end|>";
    cs_gguf *g = NULL;
    const char *why;
    int rc;
    if (stream) {
        cs_gguf_stream *s = cs_gguf_stream_new(0);
        if (!s) return CS_ERR_NOMEM;
        rc = CS_OK;
        for (size_t off = 0; off < file->len && rc == CS_OK; off += 700)
            rc = cs_gguf_stream_feed(s, file->data + off, file->len - off < 700 ? file->len - off : 700, &why);
        if (rc == CS_OK) rc = cs_gguf_stream_finish(s, &g, &why);
        cs_gguf_stream_free(s);
    } else {
        rc = cs_gguf_open_buffer(file->data, file->len, &g, &why);
    }
    if (rc != CS_OK) return rc;
    cs_tokenizer *t;
    rc = cs_tokenizer_load(g, &t, &why);
    cs_chat_template ct;
    if (rc == CS_OK) rc = cs_chat_template_for_family(CS_CHAT_CHATML, &ct);
    cs_gguf_free(g);
    if (rc != CS_OK) {
        if (t) cs_tokenizer_free(t);
        return rc;
    }
    int32_t *ids = NULL;
    size_t n;
    char *s = NULL;
    size_t len;
    cs_chat_msg m = {"user", "hi"};
    rc = cs_tokenize(t, text, sizeof text - 1, CS_TOK_PARSE_SPECIAL | CS_TOK_ADD_SPECIAL, &ids, &n);
    if (rc == CS_OK) rc = cs_detokenize(t, ids, n, CS_DETOK_SPECIAL, &s, &len);
    free(s);
    s = NULL;
    if (rc == CS_OK) rc = cs_chat_render(&ct, &m, 1, 1, &s);
    free(s);
    free(ids);
    cs_chat_template_free(&ct);
    cs_tokenizer_free(t);
    return rc;
}

static void fail_each_allocation(int spm, int stream)
{
    cs_buf file = vocab_file(spm);
    fail_at = -1;
    cr_assert_eq(scenario(&file, stream), CS_OK);
    n_allocs = 0;
    fail_at = 1L << 40; /* count only */
    cr_assert_eq(scenario(&file, stream), CS_OK);
    long total = n_allocs;
    cr_assert_gt(total, 10);
    cr_log_info("%s%s: %ld allocations, each failed in turn", spm ? "spm" : "bpe", stream ? " streamed" : "", total);
    for (long k = 0; k < total; k++) {
        n_allocs = 0;
        fail_at = k;
        int rc = scenario(&file, stream);
        fail_at = -1;
        cr_assert(rc == CS_OK || rc == CS_ERR_NOMEM, "allocation %ld of %ld failed: rc %d", k, total, rc);
    }
    fail_at = -1;
    cs_buf_free(&file);
}

Test(oom, bpe_from_buffer) { fail_each_allocation(0, 0); }
Test(oom, spm_from_buffer) { fail_each_allocation(1, 0); }
Test(oom, bpe_streamed) { fail_each_allocation(0, 1); }
