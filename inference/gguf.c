/*
 * gguf.c: GGUF parsing and validation (see gguf.h).
 *
 * One parser serves all three sources: it reads from a byte range that may
 * be shorter than the file (a stream still arriving), and then says "need
 * more" instead of "truncated".  Every read goes through the cursor, which
 * checks the remaining length first; every count is checked against the
 * bytes that could hold it before anything is allocated.
 */
#include "gguf.h"
#include "cs_err.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifndef __EMSCRIPTEN__
#include <sys/mman.h>
#endif

#define GGUF_MAGIC "GGUF"
#define GGUF_DEFAULT_ALIGNMENT 32u
#define MAX_KV ((uint64_t)1 << 20)
#define MAX_TENSORS ((uint64_t)1 << 20)
#define MAX_ARRAY ((uint64_t)1 << 28)
#define MAX_NAME 255u
#define MAX_KEY 65535u
/* A streamed header larger than this is refused rather than buffered
 * forever (real headers with a 150k-token vocabulary are ~10 MiB). */
#define MAX_STREAM_HEADER ((uint64_t)256 << 20)
#define NEED_MORE 1 /* internal: the parse ran out of bytes of a stream */

/* ---------------------------------------------------------------- types */

static const struct {
    uint32_t id;
    const char *name;
    uint32_t block_elems, block_bytes;
} type_table[] = {
    {CS_GGML_TYPE_F32, "F32", 1, 4},       {CS_GGML_TYPE_F16, "F16", 1, 2},
    {CS_GGML_TYPE_Q4_0, "Q4_0", 32, 18},   {CS_GGML_TYPE_Q4_1, "Q4_1", 32, 20},
    {CS_GGML_TYPE_Q5_0, "Q5_0", 32, 22},   {CS_GGML_TYPE_Q5_1, "Q5_1", 32, 24},
    {CS_GGML_TYPE_Q8_0, "Q8_0", 32, 34},   {CS_GGML_TYPE_Q8_1, "Q8_1", 32, 36},
    {CS_GGML_TYPE_Q2_K, "Q2_K", 256, 84},  {CS_GGML_TYPE_Q3_K, "Q3_K", 256, 110},
    {CS_GGML_TYPE_Q4_K, "Q4_K", 256, 144}, {CS_GGML_TYPE_Q5_K, "Q5_K", 256, 176},
    {CS_GGML_TYPE_Q6_K, "Q6_K", 256, 210}, {CS_GGML_TYPE_Q8_K, "Q8_K", 256, 292},
    {CS_GGML_TYPE_BF16, "BF16", 1, 2},
};

int cs_ggml_type_layout(uint32_t type, uint32_t *block_elems, uint32_t *block_bytes)
{
    for (size_t i = 0; i < sizeof type_table / sizeof *type_table; i++)
        if (type_table[i].id == type) {
            if (block_elems) *block_elems = type_table[i].block_elems;
            if (block_bytes) *block_bytes = type_table[i].block_bytes;
            return 1;
        }
    return 0;
}

const char *cs_ggml_type_name(uint32_t type)
{
    for (size_t i = 0; i < sizeof type_table / sizeof *type_table; i++)
        if (type_table[i].id == type) return type_table[i].name;
    return "unknown";
}

static uint32_t vtype_size(uint32_t t)
{
    switch (t) {
    case CS_GGUF_U8: case CS_GGUF_I8: case CS_GGUF_BOOL: return 1;
    case CS_GGUF_U16: case CS_GGUF_I16: return 2;
    case CS_GGUF_U32: case CS_GGUF_I32: case CS_GGUF_F32: return 4;
    case CS_GGUF_U64: case CS_GGUF_I64: case CS_GGUF_F64: return 8;
    default: return 0; /* string, array, unknown */
    }
}

/* ---------------------------------------------------------------- model */

typedef struct {
    char *key;
    uint32_t type;       /* cs_gguf_vtype */
    uint32_t elem;       /* element type of an array */
    uint64_t n;          /* array length */
    const uint8_t *raw;  /* scalar value or first array element, in the file */
    char *str;           /* scalar string, NUL-terminated copy */
    cs_gguf_str *strs;   /* string array items, pointing into the file */
} kv_t;

struct cs_gguf {
    const uint8_t *base;  /* file bytes */
    uint64_t file_size;
    void *owned;          /* malloc'd bytes (streams, WASM files) */
    void *map;            /* mmap'd bytes */
    size_t map_len;
    uint32_t version, alignment;
    uint64_t data_offset;
    uint64_t data_end;    /* end of the last tensor's bytes, from file start */
    uint64_t need;        /* a stream's header needs at least this many bytes */
    size_t n_kv;
    kv_t *kv;
    size_t n_tensors;
    cs_gguf_tensor *tensors;
};

static void clear_parsed(cs_gguf *g)
{
    for (size_t i = 0; i < g->n_kv; i++) {
        free(g->kv[i].key);
        free(g->kv[i].str);
        free(g->kv[i].strs);
    }
    free(g->kv);
    for (size_t i = 0; i < g->n_tensors; i++)
        free((char *)g->tensors[i].name);
    free(g->tensors);
    g->kv = NULL;
    g->tensors = NULL;
    g->n_kv = g->n_tensors = 0;
}

void cs_gguf_free(cs_gguf *g)
{
    if (!g) return;
    clear_parsed(g);
#ifndef __EMSCRIPTEN__
    if (g->map) munmap(g->map, g->map_len);
#endif
    free(g->owned);
    free(g);
}

/* ---------------------------------------------------------------- parser */

typedef struct {
    const uint8_t *p;
    uint64_t avail;   /* bytes present */
    uint64_t pos;
    int more;         /* a stream may still deliver bytes beyond avail */
    uint64_t want;    /* after running out: bytes the failed read needed */
} cursor;

static void want(cursor *c, uint64_t k)
{
    c->want = k > UINT64_MAX - c->pos ? UINT64_MAX : c->pos + k;
}

static int take(cursor *c, void *dst, uint64_t k)
{
    if (k > c->avail - c->pos) {
        want(c, k);
        return 0;
    }
    if (dst) memcpy(dst, c->p + c->pos, k);
    c->pos += k;
    return 1;
}

static int take_u32(cursor *c, uint32_t *v) { return take(c, v, 4); }
static int take_u64(cursor *c, uint64_t *v) { return take(c, v, 8); }

/* Reads a GGUF string: u64 length then bytes.  *s points into the file. */
static int take_str(cursor *c, const uint8_t **s, uint64_t *len)
{
    if (!take_u64(c, len)) return 0;
    *s = c->p + c->pos;
    return take(c, NULL, *len);
}

/* Could `need` more bytes still arrive / exist?  Used to turn a short read
 * into "need more" (stream) or "truncated" (complete file). */
#define SHORT(c) ((c)->more ? NEED_MORE : CS_ERR_FORMAT)

static char *dup_name(const uint8_t *s, uint64_t len)
{
    char *d = malloc(len + 1);
    if (!d) return NULL;
    memcpy(d, s, len);
    d[len] = 0;
    return d;
}

static int fail(const char **why, const char *reason, int rc)
{
    if (why) *why = reason;
    return rc;
}

static int parse_kv(cursor *c, kv_t *kv, const char **why)
{
    const uint8_t *ks;
    uint64_t klen;
    if (!take_str(c, &ks, &klen))
        return c->more ? NEED_MORE : fail(why, "truncated metadata key", CS_ERR_FORMAT);
    if (klen == 0 || klen > MAX_KEY) return fail(why, "metadata key length out of range", CS_ERR_FORMAT);
    if (memchr(ks, 0, klen)) return fail(why, "NUL byte in metadata key", CS_ERR_FORMAT);
    if (!take_u32(c, &kv->type))
        return c->more ? NEED_MORE : fail(why, "truncated metadata value", CS_ERR_FORMAT);
    if (!(kv->key = dup_name(ks, klen))) return CS_ERR_NOMEM;

    uint32_t t = kv->type;
    if (vtype_size(t)) {
        kv->raw = c->p + c->pos;
        if (!take(c, NULL, vtype_size(t)))
            return c->more ? NEED_MORE : fail(why, "truncated metadata value", CS_ERR_FORMAT);
        return CS_OK;
    }
    if (t == CS_GGUF_STRING) {
        const uint8_t *s;
        uint64_t len;
        if (!take_str(c, &s, &len))
            return c->more ? NEED_MORE : fail(why, "truncated metadata string", CS_ERR_FORMAT);
        if (!(kv->str = dup_name(s, len))) return CS_ERR_NOMEM;
        kv->raw = s;
        kv->n = len;
        return CS_OK;
    }
    if (t != CS_GGUF_ARRAY) return fail(why, "unknown metadata value type", CS_ERR_FORMAT);

    if (!take_u32(c, &kv->elem) || !take_u64(c, &kv->n))
        return c->more ? NEED_MORE : fail(why, "truncated metadata array", CS_ERR_FORMAT);
    if (kv->elem == CS_GGUF_ARRAY) return fail(why, "nested metadata arrays are not supported", CS_ERR_FORMAT);
    if (kv->n > MAX_ARRAY) return fail(why, "metadata array too long", CS_ERR_FORMAT);
    kv->raw = c->p + c->pos;
    uint32_t es = vtype_size(kv->elem);
    if (es) {
        if (!take(c, NULL, kv->n * es))
            return c->more ? NEED_MORE : fail(why, "truncated metadata array", CS_ERR_FORMAT);
        return CS_OK;
    }
    if (kv->elem != CS_GGUF_STRING) return fail(why, "unknown metadata array element type", CS_ERR_FORMAT);
    /* Each string takes at least its 8-byte length: bound n before allocating. */
    if (kv->n * 8 > c->avail - c->pos) {
        want(c, kv->n * 8);
        return c->more ? NEED_MORE : fail(why, "truncated metadata array", CS_ERR_FORMAT);
    }
    kv->strs = malloc((kv->n ? kv->n : 1) * sizeof *kv->strs);
    if (!kv->strs) return CS_ERR_NOMEM;
    for (uint64_t i = 0; i < kv->n; i++) {
        const uint8_t *s;
        if (!take_str(c, &s, &kv->strs[i].len))
            return c->more ? NEED_MORE : fail(why, "truncated string in metadata array", CS_ERR_FORMAT);
        kv->strs[i].ptr = (const char *)s;
    }
    return CS_OK;
}

static int parse_tensor_info(cursor *c, cs_gguf_tensor *t, const char **why)
{
    const uint8_t *s;
    uint64_t len;
    if (!take_str(c, &s, &len))
        return c->more ? NEED_MORE : fail(why, "truncated tensor info", CS_ERR_FORMAT);
    if (len == 0 || len > MAX_NAME) return fail(why, "tensor name length out of range", CS_ERR_FORMAT);
    if (memchr(s, 0, len)) return fail(why, "NUL byte in tensor name", CS_ERR_FORMAT);
    if (!take_u32(c, &t->n_dims))
        return c->more ? NEED_MORE : fail(why, "truncated tensor info", CS_ERR_FORMAT);
    if (t->n_dims < 1 || t->n_dims > CS_GGUF_MAX_DIMS)
        return fail(why, "tensor has an unsupported number of dimensions", CS_ERR_FORMAT);
    uint64_t n = 1;
    for (uint32_t d = 0; d < CS_GGUF_MAX_DIMS; d++) t->ne[d] = 1;
    for (uint32_t d = 0; d < t->n_dims; d++) {
        if (!take_u64(c, &t->ne[d]))
            return c->more ? NEED_MORE : fail(why, "truncated tensor info", CS_ERR_FORMAT);
        if (t->ne[d] == 0) return fail(why, "tensor has a zero dimension", CS_ERR_FORMAT);
        if (t->ne[d] > (uint64_t)INT64_MAX / n) return fail(why, "tensor element count overflows", CS_ERR_FORMAT);
        n *= t->ne[d];
    }
    t->n_elements = n;
    if (!take_u32(c, &t->type) || !take_u64(c, &t->offset))
        return c->more ? NEED_MORE : fail(why, "truncated tensor info", CS_ERR_FORMAT);
    uint32_t be, bb;
    if (!cs_ggml_type_layout(t->type, &be, &bb)) return fail(why, "unknown tensor type", CS_ERR_FORMAT);
    if (t->ne[0] % be) return fail(why, "tensor row is not a whole number of blocks", CS_ERR_FORMAT);
    uint64_t blocks = n / be;
    if (blocks > UINT64_MAX / 2 / bb) return fail(why, "tensor byte size overflows", CS_ERR_FORMAT);
    t->size = blocks * bb;
    if (!(t->name = dup_name(s, len))) return CS_ERR_NOMEM;
    return CS_OK;
}

static const kv_t *find_kv(const cs_gguf *g, const char *key)
{
    for (size_t i = 0; i < g->n_kv; i++)
        if (!strcmp(g->kv[i].key, key)) return &g->kv[i];
    return NULL;
}

typedef struct {
    uint64_t offset, size;
} extent;

static int by_offset(const void *a, const void *b)
{
    uint64_t x = ((const extent *)a)->offset, y = ((const extent *)b)->offset;
    return x < y ? -1 : x > y;
}

static int cmp_strp(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Duplicate keys or tensor names make lookups ambiguous: refuse them.
 * Sorting pointers and comparing neighbours keeps this O(n log n). */
static int names_unique(const cs_gguf *g, const char **why)
{
    size_t n = g->n_tensors > g->n_kv ? g->n_tensors : g->n_kv;
    if (n < 2) return CS_OK;
    const char **v = malloc(n * sizeof *v);
    if (!v) return CS_ERR_NOMEM;
    int rc = CS_OK;
    for (int pass = 0; pass < 2 && rc == CS_OK; pass++) {
        size_t m = pass ? g->n_tensors : g->n_kv;
        for (size_t i = 0; i < m; i++) v[i] = pass ? g->tensors[i].name : g->kv[i].key;
        qsort(v, m, sizeof *v, cmp_strp);
        for (size_t i = 1; i < m; i++)
            if (!strcmp(v[i - 1], v[i])) {
                rc = fail(why, pass ? "duplicate tensor name" : "duplicate metadata key", CS_ERR_FORMAT);
                break;
            }
    }
    free(v);
    return rc;
}

/* Doubles a zero-filled array's capacity (at most `limit` elements). */
static int grow(void **arr, size_t *cap, uint64_t limit, size_t elem)
{
    size_t n = *cap ? *cap * 2 : 64;
    if (n > limit) n = (size_t)limit;
    char *p = realloc(*arr, n * elem);
    if (!p) return CS_ERR_NOMEM;
    memset(p + *cap * elem, 0, (n - *cap) * elem);
    *arr = p;
    *cap = n;
    return CS_OK;
}

/* Parses bytes p[0..avail) of a file of file_len bytes (UINT64_MAX while a
 * stream's length is unknown).  more: bytes beyond avail may still come.
 * Returns CS_OK, NEED_MORE or an error; on anything but CS_OK the parsed
 * parts are released. */
static int parse(cs_gguf *g, const uint8_t *p, uint64_t avail, uint64_t file_len, int more,
                 const char **why)
{
    cursor c = {p, avail, 0, more, 0};
    g->need = 0;
    int rc;
    char magic[4];
    uint64_t n_tensors, n_kv;
    if (!take(&c, magic, 4)) { rc = SHORT(&c); if (rc != NEED_MORE) fail(why, "file too short for a GGUF header", rc); goto out; }
    if (memcmp(magic, GGUF_MAGIC, 4)) { rc = fail(why, "not a GGUF file (bad magic)", CS_ERR_FORMAT); goto out; }
    if (!take_u32(&c, &g->version) || !take_u64(&c, &n_tensors) || !take_u64(&c, &n_kv)) {
        rc = SHORT(&c);
        if (rc != NEED_MORE) fail(why, "file too short for a GGUF header", rc);
        goto out;
    }
    if (g->version != 2 && g->version != 3) {
        rc = fail(why, g->version == 1 ? "GGUF version 1 is not supported"
                                       : "unsupported GGUF version (or big-endian file)", CS_ERR_FORMAT);
        goto out;
    }
    if (n_kv > MAX_KV) { rc = fail(why, "too many metadata entries", CS_ERR_FORMAT); goto out; }
    if (n_tensors > MAX_TENSORS) { rc = fail(why, "too many tensors", CS_ERR_FORMAT); goto out; }
    /* smallest key/value: 8+1 key, 4 type, 1 value; smallest tensor info:
     * 8+1 name, 4 dims, 8 dim, 4 type, 8 offset */
    if (file_len != UINT64_MAX && (n_kv * 14 + n_tensors * 33 > file_len - c.pos)) {
        rc = fail(why, "counts in header exceed the file size", CS_ERR_FORMAT);
        goto out;
    }
    /* Arrays grow as entries parse, so a count that the bytes do not back
     * (a stream's length is unknown) costs no memory up front. */
    size_t cap_kv = 0, cap_t = 0;
    for (uint64_t i = 0; i < n_kv; i++) {
        if (i == cap_kv && (rc = grow((void **)&g->kv, &cap_kv, n_kv, sizeof *g->kv)) != CS_OK) goto out;
        g->n_kv = i + 1;
        if ((rc = parse_kv(&c, &g->kv[i], why)) != CS_OK) goto out;
    }
    for (uint64_t i = 0; i < n_tensors; i++) {
        if (i == cap_t && (rc = grow((void **)&g->tensors, &cap_t, n_tensors, sizeof *g->tensors)) != CS_OK) goto out;
        g->n_tensors = i + 1;
        if ((rc = parse_tensor_info(&c, &g->tensors[i], why)) != CS_OK) goto out;
    }
    if ((rc = names_unique(g, why)) != CS_OK) goto out;

    g->alignment = GGUF_DEFAULT_ALIGNMENT;
    const kv_t *al = find_kv(g, "general.alignment");
    if (al) {
        if (al->type != CS_GGUF_U32) { rc = fail(why, "general.alignment is not a u32", CS_ERR_FORMAT); goto out; }
        memcpy(&g->alignment, al->raw, 4);
        if (g->alignment == 0 || (g->alignment & (g->alignment - 1)) || g->alignment > (1u << 20)) {
            rc = fail(why, "general.alignment is not a power of two", CS_ERR_FORMAT);
            goto out;
        }
    }
    g->data_offset = (c.pos + g->alignment - 1) & ~(uint64_t)(g->alignment - 1);

    /* Tensor data: aligned, inside the file, not overlapping each other. */
    uint64_t end = 0;
    if (g->n_tensors) {
        extent *ext = malloc(g->n_tensors * sizeof *ext);
        if (!ext) { rc = CS_ERR_NOMEM; goto out; }
        for (size_t i = 0; i < g->n_tensors; i++) ext[i] = (extent){g->tensors[i].offset, g->tensors[i].size};
        qsort(ext, g->n_tensors, sizeof *ext, by_offset);
        for (size_t i = 0; i < g->n_tensors && rc == CS_OK; i++) {
            if (ext[i].offset % g->alignment) rc = fail(why, "tensor data offset is not aligned", CS_ERR_FORMAT);
            else if (ext[i].offset < end) rc = fail(why, "tensor data overlaps another tensor", CS_ERR_FORMAT);
            else if (ext[i].offset > UINT64_MAX / 4 || ext[i].size > UINT64_MAX / 4)
                rc = fail(why, "tensor data offset out of range", CS_ERR_FORMAT);
            else end = ext[i].offset + ext[i].size;
        }
        free(ext);
        if (rc != CS_OK) goto out;
        if (g->data_offset > UINT64_MAX / 4 || (file_len != UINT64_MAX && (g->data_offset > file_len || end > file_len - g->data_offset))) {
            rc = fail(why, "tensor data beyond end of file", CS_ERR_FORMAT);
            goto out;
        }
    }
    g->data_end = g->n_tensors ? g->data_offset + end : c.pos;
    for (size_t i = 0; i < g->n_tensors; i++) {
        cs_gguf_tensor *t = &g->tensors[i];
        t->data = g->data_offset + t->offset + t->size <= avail ? p + g->data_offset + t->offset : NULL;
    }
    g->base = p;
    g->file_size = file_len;
    return CS_OK;
out:
    clear_parsed(g);
    if (rc == NEED_MORE) {
        g->need = c.want;
        if (c.want > MAX_STREAM_HEADER) rc = fail(why, "GGUF header too large", CS_ERR_FORMAT);
    }
    return rc;
}

/* ---------------------------------------------------------------- sources */

int cs_gguf_open_buffer(const void *data, size_t len, cs_gguf **out, const char **why)
{
    *out = NULL;
    if (!data && len) return fail(why, "no buffer", CS_ERR_INVALID);
    cs_gguf *g = calloc(1, sizeof *g);
    if (!g) return CS_ERR_NOMEM;
    int rc = parse(g, data ? data : (const void *)"", len, len, 0, why);
    if (rc != CS_OK) { cs_gguf_free(g); return rc; }
    *out = g;
    return CS_OK;
}

int cs_gguf_open_file(const char *path, cs_gguf **out, const char **why)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fail(why, "cannot open file", CS_ERR_IO);
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return fail(why, "not a regular file", CS_ERR_IO);
    }
    if (st.st_size < 24) {
        close(fd);
        return fail(why, "file too short for a GGUF header", CS_ERR_FORMAT);
    }
    if ((uint64_t)st.st_size > SIZE_MAX / 2) {
        close(fd);
        return fail(why, "file too large for this build", CS_ERR_TOO_LARGE);
    }
    size_t len = (size_t)st.st_size;
    cs_gguf *g = calloc(1, sizeof *g);
    if (!g) { close(fd); return CS_ERR_NOMEM; }
#ifdef __EMSCRIPTEN__
    /* No real mmap in WASM: read the file into (aligned) memory once. */
    void *buf = aligned_alloc(64, (len + 63) & ~(size_t)63);
    size_t got = 0;
    while (buf && got < len) {
        ssize_t r = read(fd, (char *)buf + got, len - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
    }
    close(fd);
    if (!buf) { free(g); return CS_ERR_NOMEM; }
    g->owned = buf;
    if (got != len) { cs_gguf_free(g); return fail(why, "read error", CS_ERR_IO); }
    const void *bytes = buf;
#else
    void *m = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    if (m == MAP_FAILED) { free(g); return fail(why, "cannot map file", CS_ERR_IO); }
    g->map = m;
    g->map_len = len;
    const void *bytes = m;
#endif
    int rc = parse(g, bytes, len, len, 0, why);
    if (rc != CS_OK) { cs_gguf_free(g); return rc; }
    *out = g;
    return CS_OK;
}

/* ---------------------------------------------------------------- streams */

struct cs_gguf_stream {
    uint64_t total;      /* announced length, 0 = unknown */
    uint64_t received;
    int failed;
    uint8_t *head;       /* bytes gathered until the header parses */
    size_t head_cap;
    cs_gguf *g;          /* non-NULL once the header parsed */
    uint64_t expected;   /* bytes kept: total, or the end of tensor data */
    uint64_t next_probe; /* header parse cannot succeed before this many bytes */
    size_t *order;       /* tensor indices by end of data */
    size_t n_ready;
};

cs_gguf_stream *cs_gguf_stream_new(uint64_t total_len)
{
    cs_gguf_stream *s = calloc(1, sizeof *s);
    if (s) s->total = total_len;
    return s;
}

void cs_gguf_stream_free(cs_gguf_stream *s)
{
    if (!s) return;
    free(s->head);
    free(s->order);
    cs_gguf_free(s->g);
    free(s);
}

static uint64_t tensor_end(const cs_gguf *g, size_t i) { return g->data_offset + g->tensors[i].offset + g->tensors[i].size; }

static void mark_ready(cs_gguf_stream *s)
{
    cs_gguf *g = s->g;
    while (s->n_ready < g->n_tensors && tensor_end(g, s->order[s->n_ready]) <= s->received) {
        size_t i = s->order[s->n_ready++];
        g->tensors[i].data = g->base + g->data_offset + g->tensors[i].offset;
    }
}

/* Tensor indices ordered by where their bytes end, so readiness is one
 * moving index.  (end, index) pairs reuse the extent type. */
static int sort_by_end(cs_gguf_stream *s)
{
    cs_gguf *g = s->g;
    size_t n = g->n_tensors;
    extent *e = malloc((n ? n : 1) * sizeof *e);
    s->order = malloc((n ? n : 1) * sizeof *s->order);
    if (!e || !s->order) { free(e); return CS_ERR_NOMEM; }
    for (size_t i = 0; i < n; i++) e[i] = (extent){tensor_end(g, i), i};
    qsort(e, n, sizeof *e, by_offset);
    for (size_t i = 0; i < n; i++) s->order[i] = (size_t)e[i].size;
    free(e);
    return CS_OK;
}

static int stream_fail(cs_gguf_stream *s, const char **why, const char *reason, int rc)
{
    s->failed = 1;
    return fail(why, reason, rc);
}

/* The header has arrived: move to one buffer of the final size and parse
 * again there, so every pointer refers to bytes that stay put. */
static int start_data(cs_gguf_stream *s, uint64_t expected, const char **why)
{
    if (expected > SIZE_MAX / 2) return stream_fail(s, why, "file too large for this build", CS_ERR_TOO_LARGE);
    size_t cap = ((size_t)expected + 63) & ~(size_t)63;
    uint8_t *buf = aligned_alloc(64, cap ? cap : 64);
    if (!buf) return stream_fail(s, why, "out of memory", CS_ERR_NOMEM);
    uint64_t keep = s->received < expected ? s->received : expected;
    memcpy(buf, s->head, keep);
    free(s->head);
    s->head = NULL;
    s->received = keep;
    cs_gguf *g = calloc(1, sizeof *g);
    if (!g) { free(buf); return stream_fail(s, why, "out of memory", CS_ERR_NOMEM); }
    g->owned = buf;
    int rc = parse(g, buf, keep, expected, 0, why);
    if (rc != CS_OK) { cs_gguf_free(g); s->failed = 1; return rc; }
    for (size_t i = 0; i < g->n_tensors; i++) g->tensors[i].data = NULL;
    s->g = g;
    s->expected = expected;
    if ((rc = sort_by_end(s)) != CS_OK) { s->failed = 1; return rc; }
    mark_ready(s);
    return CS_OK;
}

int cs_gguf_stream_feed(cs_gguf_stream *s, const void *chunk, size_t n, const char **why)
{
    if (s->failed) return fail(why, "stream already failed", CS_ERR_INVALID);
    if (n && !chunk) return fail(why, "no chunk", CS_ERR_INVALID);
    if (n == 0) return CS_OK;
    if (s->total && n > s->total - s->received)
        return stream_fail(s, why, "more bytes than the announced file size", CS_ERR_FORMAT);
    if (s->g) {
        uint64_t room = s->expected - s->received;
        size_t k = n < room ? n : (size_t)room; /* extra trailing bytes are padding: dropped */
        memcpy((uint8_t *)s->g->owned + s->received, chunk, k);
        s->received += k;
        mark_ready(s);
        return CS_OK;
    }
    if (n > s->head_cap - s->received) {
        if (s->received + n > MAX_STREAM_HEADER + ((uint64_t)1 << 24))
            return stream_fail(s, why, "GGUF header too large", CS_ERR_FORMAT);
        size_t cap = s->head_cap ? s->head_cap : 1 << 16;
        while (cap < s->received + n) cap *= 2;
        uint8_t *h = realloc(s->head, cap);
        if (!h) return stream_fail(s, why, "out of memory", CS_ERR_NOMEM);
        s->head = h;
        s->head_cap = cap;
    }
    memcpy(s->head + s->received, chunk, n);
    s->received += n;
    /* re-parse only once the bytes the last attempt ran out on are here,
     * so a 10 MiB header costs a few parses, not one per chunk */
    if (s->received < s->next_probe && (!s->total || s->received < s->total)) return CS_OK;

    cs_gguf probe = {0};
    int more = !s->total || s->received < s->total;
    int rc = parse(&probe, s->head, s->received, s->total ? s->total : UINT64_MAX, more, why);
    if (rc == NEED_MORE) { s->next_probe = probe.need; return CS_OK; }
    if (rc != CS_OK) { s->failed = 1; return rc; }
    uint64_t expected = s->total ? s->total : probe.data_end;
    clear_parsed(&probe);
    return start_data(s, expected, why);
}

void *cs_gguf_stream_tail(cs_gguf_stream *s, size_t *room)
{
    if (s->failed || !s->g || s->received >= s->expected) { *room = 0; return NULL; }
    *room = (size_t)(s->expected - s->received);
    return (uint8_t *)s->g->owned + s->received;
}

int cs_gguf_stream_commit(cs_gguf_stream *s, size_t k, const char **why)
{
    size_t room;
    if (!cs_gguf_stream_tail(s, &room) || k > room)
        return k ? fail(why, "commit beyond the stream's room", CS_ERR_INVALID) : CS_OK;
    s->received += k;
    mark_ready(s);
    return CS_OK;
}

const cs_gguf *cs_gguf_stream_gguf(const cs_gguf_stream *s) { return s->g; }
uint64_t cs_gguf_stream_received(const cs_gguf_stream *s) { return s->received; }
uint64_t cs_gguf_stream_expected(const cs_gguf_stream *s) { return s->g ? s->expected : s->total; }
size_t cs_gguf_stream_n_ready(const cs_gguf_stream *s) { return s->n_ready; }

int cs_gguf_stream_finish(cs_gguf_stream *s, cs_gguf **out, const char **why)
{
    *out = NULL;
    if (s->failed) return fail(why, "stream already failed", CS_ERR_INVALID);
    if (!s->g) {
        /* A complete file whose header still "needs more" is truncated. */
        cs_gguf probe = {0};
        int rc = parse(&probe, s->head ? s->head : (const uint8_t *)"", s->received, s->received, 0, why);
        clear_parsed(&probe);
        s->failed = 1;
        return rc == CS_OK ? fail(why, "truncated GGUF file", CS_ERR_FORMAT) : rc;
    }
    if (s->received < s->expected) return stream_fail(s, why, "truncated tensor data", CS_ERR_FORMAT);
    s->g->file_size = s->expected;
    *out = s->g;
    s->g = NULL;
    free(s->order);
    s->order = NULL;
    s->n_ready = 0;
    s->failed = 1; /* emptied */
    return CS_OK;
}

/* ---------------------------------------------------------------- accessors */

uint32_t cs_gguf_version(const cs_gguf *g) { return g->version; }
uint32_t cs_gguf_alignment(const cs_gguf *g) { return g->alignment; }
uint64_t cs_gguf_data_offset(const cs_gguf *g) { return g->data_offset; }
uint64_t cs_gguf_file_size(const cs_gguf *g) { return g->file_size; }
size_t cs_gguf_n_kv(const cs_gguf *g) { return g->n_kv; }
const char *cs_gguf_kv_key(const cs_gguf *g, size_t i) { return i < g->n_kv ? g->kv[i].key : NULL; }
cs_gguf_vtype cs_gguf_kv_type(const cs_gguf *g, size_t i) { return i < g->n_kv ? (cs_gguf_vtype)g->kv[i].type : (cs_gguf_vtype)-1; }

long cs_gguf_find_key(const cs_gguf *g, const char *key)
{
    const kv_t *kv = find_kv(g, key);
    return kv ? (long)(kv - g->kv) : -1;
}

/* A scalar of any numeric type, widened. is_int: integer types only. */
typedef struct { int is_int, is_signed; uint64_t u; int64_t i; double f; } num_t;

static int read_num(uint32_t type, const uint8_t *raw, num_t *v)
{
    memset(v, 0, sizeof *v);
    v->is_int = 1;
    switch (type) {
    case CS_GGUF_U8: v->u = raw[0]; break;
    case CS_GGUF_I8: { int8_t x; memcpy(&x, raw, 1); v->i = x; v->is_signed = 1; break; }
    case CS_GGUF_U16: { uint16_t x; memcpy(&x, raw, 2); v->u = x; break; }
    case CS_GGUF_I16: { int16_t x; memcpy(&x, raw, 2); v->i = x; v->is_signed = 1; break; }
    case CS_GGUF_U32: { uint32_t x; memcpy(&x, raw, 4); v->u = x; break; }
    case CS_GGUF_I32: { int32_t x; memcpy(&x, raw, 4); v->i = x; v->is_signed = 1; break; }
    case CS_GGUF_U64: memcpy(&v->u, raw, 8); break;
    case CS_GGUF_I64: memcpy(&v->i, raw, 8); v->is_signed = 1; break;
    case CS_GGUF_F32: { float x; memcpy(&x, raw, 4); v->f = x; v->is_int = 0; break; }
    case CS_GGUF_F64: memcpy(&v->f, raw, 8); v->is_int = 0; break;
    default: return 0;
    }
    if (v->is_int && v->is_signed && v->i >= 0) { v->u = (uint64_t)v->i; v->is_signed = 0; }
    return 1;
}

/* Integer value in [lo, hi]. */
static int num_to_int(const num_t *v, int64_t lo, uint64_t hi, int64_t *out_s, uint64_t *out_u)
{
    if (!v->is_int) return 0;
    if (v->is_signed) { /* negative */
        if (v->i < lo) return 0;
        *out_s = v->i;
        *out_u = 0;
        return 1;
    }
    if (v->u > hi) return 0;
    *out_u = v->u;
    *out_s = v->u <= (uint64_t)INT64_MAX ? (int64_t)v->u : INT64_MAX;
    return 1;
}

static int get_scalar(const cs_gguf *g, const char *key, num_t *v)
{
    const kv_t *kv = find_kv(g, key);
    if (!kv) return CS_ERR_NOT_FOUND;
    return read_num(kv->type, kv->raw, v) ? CS_OK : CS_ERR_FORMAT;
}

/* An integer value within [lo, hi], as signed and unsigned. */
static int get_int(const cs_gguf *g, const char *key, int64_t lo, uint64_t hi, int64_t *s, uint64_t *u)
{
    num_t v;
    int rc = get_scalar(g, key, &v);
    if (rc != CS_OK) return rc;
    return num_to_int(&v, lo, hi, s, u) ? CS_OK : CS_ERR_FORMAT;
}

int cs_gguf_get_u32(const cs_gguf *g, const char *key, uint32_t *out)
{
    int64_t s;
    uint64_t u;
    int rc = get_int(g, key, 0, UINT32_MAX, &s, &u);
    if (rc == CS_OK) *out = (uint32_t)u;
    return rc;
}

int cs_gguf_get_i32(const cs_gguf *g, const char *key, int32_t *out)
{
    int64_t s;
    uint64_t u;
    int rc = get_int(g, key, INT32_MIN, INT32_MAX, &s, &u);
    if (rc == CS_OK) *out = (int32_t)s;
    return rc;
}

int cs_gguf_get_u64(const cs_gguf *g, const char *key, uint64_t *out)
{
    int64_t s;
    uint64_t u;
    int rc = get_int(g, key, 0, UINT64_MAX, &s, &u);
    if (rc == CS_OK) *out = u;
    return rc;
}

int cs_gguf_get_f32(const cs_gguf *g, const char *key, float *out)
{
    num_t v;
    int rc = get_scalar(g, key, &v);
    if (rc != CS_OK) return rc;
    if (v.is_int) return CS_ERR_FORMAT;
    *out = (float)v.f;
    return CS_OK;
}

int cs_gguf_get_bool(const cs_gguf *g, const char *key, int *out)
{
    const kv_t *kv = find_kv(g, key);
    if (!kv) return CS_ERR_NOT_FOUND;
    if (kv->type != CS_GGUF_BOOL) return CS_ERR_FORMAT;
    *out = kv->raw[0] != 0;
    return CS_OK;
}

int cs_gguf_get_str(const cs_gguf *g, const char *key, const char **out)
{
    const kv_t *kv = find_kv(g, key);
    if (!kv) return CS_ERR_NOT_FOUND;
    if (kv->type != CS_GGUF_STRING) return CS_ERR_FORMAT;
    *out = kv->str;
    return CS_OK;
}

static const kv_t *find_arr(const cs_gguf *g, const char *key, int *rc)
{
    const kv_t *kv = find_kv(g, key);
    *rc = !kv ? CS_ERR_NOT_FOUND : kv->type != CS_GGUF_ARRAY ? CS_ERR_FORMAT : CS_OK;
    return *rc == CS_OK ? kv : NULL;
}

int cs_gguf_get_arr_info(const cs_gguf *g, const char *key, cs_gguf_vtype *elem, uint64_t *n)
{
    int rc;
    const kv_t *kv = find_arr(g, key, &rc);
    if (!kv) return rc;
    if (elem) *elem = (cs_gguf_vtype)kv->elem;
    if (n) *n = kv->n;
    return CS_OK;
}

int cs_gguf_get_arr_str(const cs_gguf *g, const char *key, const cs_gguf_str **items, uint64_t *n)
{
    int rc;
    const kv_t *kv = find_arr(g, key, &rc);
    if (!kv) return rc;
    if (kv->elem != CS_GGUF_STRING) return CS_ERR_FORMAT;
    *items = kv->strs;
    *n = kv->n;
    return CS_OK;
}

int cs_gguf_get_arr_f32(const cs_gguf *g, const char *key, float **out, uint64_t *n)
{
    int rc;
    const kv_t *kv = find_arr(g, key, &rc);
    if (!kv) return rc;
    if (kv->elem != CS_GGUF_F32 && kv->elem != CS_GGUF_F64) return CS_ERR_FORMAT;
    uint32_t es = vtype_size(kv->elem);
    float *v = malloc((kv->n ? kv->n : 1) * sizeof *v);
    if (!v) return CS_ERR_NOMEM;
    for (uint64_t i = 0; i < kv->n; i++) {
        num_t x;
        read_num(kv->elem, kv->raw + i * es, &x);
        v[i] = (float)x.f;
    }
    *out = v;
    *n = kv->n;
    return CS_OK;
}

int cs_gguf_get_arr_i32(const cs_gguf *g, const char *key, int32_t **out, uint64_t *n)
{
    int rc;
    const kv_t *kv = find_arr(g, key, &rc);
    if (!kv) return rc;
    uint32_t es = vtype_size(kv->elem);
    if (!es || kv->elem == CS_GGUF_F32 || kv->elem == CS_GGUF_F64 || kv->elem == CS_GGUF_BOOL) return CS_ERR_FORMAT;
    int32_t *v = malloc((kv->n ? kv->n : 1) * sizeof *v);
    if (!v) return CS_ERR_NOMEM;
    for (uint64_t i = 0; i < kv->n; i++) {
        num_t x;
        int64_t s;
        uint64_t u;
        read_num(kv->elem, kv->raw + i * es, &x);
        if (!num_to_int(&x, INT32_MIN, INT32_MAX, &s, &u)) { free(v); return CS_ERR_FORMAT; }
        v[i] = (int32_t)s;
    }
    *out = v;
    *n = kv->n;
    return CS_OK;
}

/* ---------------------------------------------------------------- tensors */

size_t cs_gguf_n_tensors(const cs_gguf *g) { return g->n_tensors; }
const cs_gguf_tensor *cs_gguf_tensor_at(const cs_gguf *g, size_t i) { return i < g->n_tensors ? &g->tensors[i] : NULL; }

const cs_gguf_tensor *cs_gguf_find_tensor(const cs_gguf *g, const char *name)
{
    for (size_t i = 0; i < g->n_tensors; i++)
        if (!strcmp(g->tensors[i].name, name)) return &g->tensors[i];
    return NULL;
}

/* llama.cpp's llama_ftype values (general.file_type) and their names. */
static const struct {
    uint32_t id;
    const char *name;
} file_types[] = {
    {0, "F32"}, {1, "F16"}, {2, "Q4_0"}, {3, "Q4_1"}, {7, "Q8_0"}, {8, "Q5_0"}, {9, "Q5_1"},
    {10, "Q2_K"}, {11, "Q3_K_S"}, {12, "Q3_K_M"}, {13, "Q3_K_L"}, {14, "Q4_K_S"}, {15, "Q4_K_M"},
    {16, "Q5_K_S"}, {17, "Q5_K_M"}, {18, "Q6_K"}, {32, "BF16"},
};

const char *cs_gguf_quant_name(const cs_gguf *g)
{
    uint32_t ft;
    if (cs_gguf_get_u32(g, "general.file_type", &ft) == CS_OK)
        for (size_t i = 0; i < sizeof file_types / sizeof *file_types; i++)
            if (file_types[i].id == ft) return file_types[i].name;
    uint64_t bytes[64] = {0};
    for (size_t i = 0; i < cs_gguf_n_tensors(g); i++) {
        const cs_gguf_tensor *t = cs_gguf_tensor_at(g, i);
        if (t->n_dims >= 2 && t->type < 64) bytes[t->type] += t->size;
    }
    uint32_t best = 0;
    for (uint32_t k = 1; k < 64; k++) if (bytes[k] > bytes[best]) best = k;
    const char *name = bytes[best] ? cs_ggml_type_name(best) : NULL;
    return name ? name : "unknown";
}
