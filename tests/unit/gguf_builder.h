/*
 * gguf_builder.h: writes tiny GGUF files byte by byte for tests, so each
 * test states exactly which field it corrupts.  Header-only, test use only.
 */
#ifndef GGUF_BUILDER_H
#define GGUF_BUILDER_H

#include "cs_buf.h"

#include <stdint.h>
#include <string.h>

static inline void gb_raw(cs_buf *b, const void *p, size_t n) { cs_buf_append(b, p, n); }
static inline void gb_u8(cs_buf *b, uint8_t v) { gb_raw(b, &v, 1); }
static inline void gb_u32(cs_buf *b, uint32_t v) { gb_raw(b, &v, 4); }
static inline void gb_u64(cs_buf *b, uint64_t v) { gb_raw(b, &v, 8); }
static inline void gb_f32(cs_buf *b, float v) { gb_raw(b, &v, 4); }
static inline void gb_str(cs_buf *b, const char *s)
{
    gb_u64(b, strlen(s));
    gb_raw(b, s, strlen(s));
}
static inline void gb_header(cs_buf *b, uint32_t version, uint64_t n_tensors, uint64_t n_kv)
{
    gb_raw(b, "GGUF", 4);
    gb_u32(b, version);
    gb_u64(b, n_tensors);
    gb_u64(b, n_kv);
}
/* key + type id; the caller writes the value */
static inline void gb_key(cs_buf *b, const char *key, uint32_t type)
{
    gb_str(b, key);
    gb_u32(b, type);
}
static inline void gb_kv_str(cs_buf *b, const char *key, const char *v)
{
    gb_key(b, key, 8);
    gb_str(b, v);
}
static inline void gb_kv_u32(cs_buf *b, const char *key, uint32_t v)
{
    gb_key(b, key, 4);
    gb_u32(b, v);
}
static inline void gb_tensor(cs_buf *b, const char *name, uint32_t n_dims, const uint64_t *ne,
                             uint32_t type, uint64_t offset)
{
    gb_str(b, name);
    gb_u32(b, n_dims);
    for (uint32_t i = 0; i < n_dims; i++) gb_u64(b, ne[i]);
    gb_u32(b, type);
    gb_u64(b, offset);
}
static inline void gb_pad(cs_buf *b, size_t align)
{
    while (b->len % align) gb_u8(b, 0);
}

#endif
