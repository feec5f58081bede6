/*
 * gguf.h: reading GGUF model files (llama.cpp's format, versions 2 and 3).
 *
 * A GGUF file is a header (magic "GGUF", version, tensor and key/value
 * counts), typed metadata key/values, tensor infos (name, dims, ggml type,
 * offset), padding to `general.alignment` (default 32) and the tensor data.
 * This module parses and validates all of it and hands out read-only
 * pointers into the file's bytes; weights are never copied.
 *
 * Three sources:
 *   cs_gguf_open_file()   natively mmap()s the file read-only (WASM: reads it
 *                         into memory, there is no real mmap there);
 *   cs_gguf_open_buffer() uses a caller-supplied buffer, which must stay
 *                         valid and unchanged until cs_gguf_free();
 *   cs_gguf_stream_*()    accepts the file as a sequence of chunks (the
 *                         browser streams it): the header is parsed as soon
 *                         as enough bytes have arrived, then the chunks are
 *                         copied into one buffer of the exact file size and
 *                         each tensor is reported complete once its bytes
 *                         are in.
 *
 * Validation: magic, version, counts (bounded by the bytes that could hold
 * them), string lengths, duplicate keys and tensor names, nested arrays,
 * dims (1..4 of them, each >= 1, product without overflow, rows a whole
 * number of blocks), known tensor types, alignment (a power of two), offsets
 * (aligned, no overlap with the end of file) and sizes against the file
 * length.  Any failure returns CS_ERR_FORMAT (CS_ERR_IO for an unreadable
 * file, CS_ERR_NOMEM on allocation failure) and, if `why` is non-NULL, sets
 * *why to a static English reason ("tensor data beyond end of file"), which
 * never contains file content.  No input can cause a crash or an
 * out-of-bounds read (fuzzed by fuzz/fuzz_gguf.c).
 *
 * Byte order: GGUF is little-endian; so are x86-64, ARM64 and WASM.
 *
 * Ownership: a cs_gguf owns its parsed metadata and (for files and streams)
 * its bytes; every pointer it hands out (keys, strings, tensor infos, tensor
 * data) lives until cs_gguf_free().  Strings in string arrays are NOT
 * NUL-terminated (cs_gguf_str has a length); keys, tensor names and scalar
 * string values are.
 *
 * Thread-safety: a loaded cs_gguf is immutable, so any number of threads may
 * read it at once.  A cs_gguf_stream is used by one thread at a time.
 */
#ifndef CS_GGUF_H
#define CS_GGUF_H

#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------------- types */

/* Metadata value types, with their GGUF ids. */
typedef enum {
    CS_GGUF_U8 = 0,
    CS_GGUF_I8 = 1,
    CS_GGUF_U16 = 2,
    CS_GGUF_I16 = 3,
    CS_GGUF_U32 = 4,
    CS_GGUF_I32 = 5,
    CS_GGUF_F32 = 6,
    CS_GGUF_BOOL = 7,
    CS_GGUF_STRING = 8,
    CS_GGUF_ARRAY = 9,
    CS_GGUF_U64 = 10,
    CS_GGUF_I64 = 11,
    CS_GGUF_F64 = 12
} cs_gguf_vtype;

/* Tensor (ggml) types the loader knows the block layout of, with ggml's ids.
 * Knowing the layout is what lets the loader check sizes; whether the
 * kernels can compute with a type is the model's business. */
typedef enum {
    CS_GGML_TYPE_F32 = 0,
    CS_GGML_TYPE_F16 = 1,
    CS_GGML_TYPE_Q4_0 = 2,
    CS_GGML_TYPE_Q4_1 = 3,
    CS_GGML_TYPE_Q5_0 = 6,
    CS_GGML_TYPE_Q5_1 = 7,
    CS_GGML_TYPE_Q8_0 = 8,
    CS_GGML_TYPE_Q8_1 = 9,
    CS_GGML_TYPE_Q2_K = 10,
    CS_GGML_TYPE_Q3_K = 11,
    CS_GGML_TYPE_Q4_K = 12,
    CS_GGML_TYPE_Q5_K = 13,
    CS_GGML_TYPE_Q6_K = 14,
    CS_GGML_TYPE_Q8_K = 15,
    CS_GGML_TYPE_BF16 = 30
} cs_ggml_type;

/* Elements per block and bytes per block of a tensor type; returns 0 and
 * leaves the outputs alone for a type the loader does not know. */
int cs_ggml_type_layout(uint32_t type, uint32_t *block_elems, uint32_t *block_bytes);
/* "Q4_K", "F32", ...; "unknown" for other ids.  Static string. */
const char *cs_ggml_type_name(uint32_t type);

#define CS_GGUF_MAX_DIMS 4

typedef struct {
    const char *name;        /* NUL-terminated, e.g. "blk.0.attn_q.weight" */
    uint32_t type;           /* cs_ggml_type */
    uint32_t n_dims;         /* 1..CS_GGUF_MAX_DIMS */
    uint64_t ne[CS_GGUF_MAX_DIMS]; /* dims, ne[0] = row length (contiguous);
                                      dims beyond n_dims are 1 */
    uint64_t n_elements;     /* product of ne */
    uint64_t offset;         /* from the start of the data section */
    uint64_t size;           /* bytes: n_elements / block_elems * block_bytes */
    /* The tensor's bytes, aligned to general.alignment relative to the file
     * start (so absolutely aligned for files and streams; for a caller
     * buffer, as aligned as the buffer is).  NULL while a stream has not
     * yet received them. */
    const void *data;
} cs_gguf_tensor;

typedef struct {
    const char *ptr;         /* NOT NUL-terminated */
    uint64_t len;
} cs_gguf_str;

typedef struct cs_gguf cs_gguf;

/* ---------------------------------------------------------------- loading */

int cs_gguf_open_file(const char *path, cs_gguf **out, const char **why);
int cs_gguf_open_buffer(const void *data, size_t len, cs_gguf **out, const char **why);
void cs_gguf_free(cs_gguf *g);

/* ---------------------------------------------------------------- header */

uint32_t cs_gguf_version(const cs_gguf *g);
uint32_t cs_gguf_alignment(const cs_gguf *g);
uint64_t cs_gguf_data_offset(const cs_gguf *g); /* start of tensor data */
uint64_t cs_gguf_file_size(const cs_gguf *g);   /* expected/actual bytes */

/* ---------------------------------------------------------------- metadata */

size_t cs_gguf_n_kv(const cs_gguf *g);
const char *cs_gguf_kv_key(const cs_gguf *g, size_t i);
cs_gguf_vtype cs_gguf_kv_type(const cs_gguf *g, size_t i);
/* Index of `key`, or -1. */
long cs_gguf_find_key(const cs_gguf *g, const char *key);

/* Typed getters: CS_OK, CS_ERR_NOT_FOUND (no such key) or CS_ERR_FORMAT
 * (the value has another type or does not fit).  Integer getters accept any
 * integer type whose value fits; f32 accepts F32 and F64; bool only BOOL. */
int cs_gguf_get_u32(const cs_gguf *g, const char *key, uint32_t *out);
int cs_gguf_get_i32(const cs_gguf *g, const char *key, int32_t *out);
int cs_gguf_get_u64(const cs_gguf *g, const char *key, uint64_t *out);
int cs_gguf_get_f32(const cs_gguf *g, const char *key, float *out);
int cs_gguf_get_bool(const cs_gguf *g, const char *key, int *out);
/* NUL-terminated, owned by g. */
int cs_gguf_get_str(const cs_gguf *g, const char *key, const char **out);

/* Arrays.  Element type and count of an array value. */
int cs_gguf_get_arr_info(const cs_gguf *g, const char *key, cs_gguf_vtype *elem, uint64_t *n);
/* Array of strings: *items (owned by g) has *n entries. */
int cs_gguf_get_arr_str(const cs_gguf *g, const char *key, const cs_gguf_str **items, uint64_t *n);
/* Numeric arrays converted to a malloc'd copy (caller frees).  f32 accepts
 * F32/F64 elements; i32 any integer elements that fit in int32. */
int cs_gguf_get_arr_f32(const cs_gguf *g, const char *key, float **out, uint64_t *n);
int cs_gguf_get_arr_i32(const cs_gguf *g, const char *key, int32_t **out, uint64_t *n);

/* ---------------------------------------------------------------- tensors */

size_t cs_gguf_n_tensors(const cs_gguf *g);
const cs_gguf_tensor *cs_gguf_tensor_at(const cs_gguf *g, size_t i);
/* NULL if absent. */
const cs_gguf_tensor *cs_gguf_find_tensor(const cs_gguf *g, const char *name);

/* The model's quantization as llama.cpp names it: general.file_type when
 * the file records it ("Q4_K_M", "F16"), else the type holding most of the
 * 2-D weight bytes ("Q5_0"), else "unknown".  A static string; for the
 * audit log's model-loaded event and reports. */
const char *cs_gguf_quant_name(const cs_gguf *g);

/* ---------------------------------------------------------------- streaming */

typedef struct cs_gguf_stream cs_gguf_stream;

/* total_len: the file's size if known (e.g. Content-Length), else 0; a known
 * size is validated against the header.  NULL on allocation failure. */
cs_gguf_stream *cs_gguf_stream_new(uint64_t total_len);
/* Append the next chunk.  CS_OK (also while the header is incomplete),
 * CS_ERR_FORMAT with *why for a corrupt header or a file longer/shorter than
 * announced, CS_ERR_NOMEM.  After an error the stream only accepts free. */
int cs_gguf_stream_feed(cs_gguf_stream *s, const void *chunk, size_t n, const char **why);
/* Zero-copy feeding once the header is parsed (what a browser wants: it
 * can write each network chunk straight into WASM memory): the address the
 * next bytes go to and how many still fit (NULL and 0 before the header is
 * parsed, after finish, or once all bytes are in).  Write k <= *room bytes
 * there, then cs_gguf_stream_commit(s, k): CS_OK, or CS_ERR_INVALID if k
 * exceeds the room. */
void *cs_gguf_stream_tail(cs_gguf_stream *s, size_t *room);
int cs_gguf_stream_commit(cs_gguf_stream *s, size_t k, const char **why);
/* The parsed file once the header has arrived, else NULL.  Tensor `data`
 * pointers are NULL until that tensor's bytes are complete.  Owned by s. */
const cs_gguf *cs_gguf_stream_gguf(const cs_gguf_stream *s);
/* Bytes received so far, and the expected total (0 until the header is
 * parsed, unless given to cs_gguf_stream_new). */
uint64_t cs_gguf_stream_received(const cs_gguf_stream *s);
uint64_t cs_gguf_stream_expected(const cs_gguf_stream *s);
/* Number of tensors whose bytes are all in. */
size_t cs_gguf_stream_n_ready(const cs_gguf_stream *s);
/* End of input: on CS_OK *out is the complete cs_gguf (caller frees with
 * cs_gguf_free) and the stream is emptied; CS_ERR_FORMAT if truncated. */
int cs_gguf_stream_finish(cs_gguf_stream *s, cs_gguf **out, const char **why);
void cs_gguf_stream_free(cs_gguf_stream *s);

#endif
