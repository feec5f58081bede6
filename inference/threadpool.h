/*
 * threadpool.h: a small pool of persistent worker threads for the kernels.
 *
 * What it is for: matmul splits its output rows across the pool.  Workers
 * are created once and wait between jobs, first spinning briefly (a decode
 * step runs hundreds of microsecond-sized jobs back to back, too short for a
 * sleep/wake round trip) and then sleeping on a condition variable, so an
 * idle pool burns no CPU.  A job is cut into parts that threads claim with
 * an atomic counter (no fixed thread-to-part mapping, no barrier waiting on
 * a thread that has not started).  Built without threads (WASM without -pthread,
 * CS_NO_THREADS), the pool always has one thread and jobs run in the caller:
 * the same code path, one thread.
 *
 * Ownership: cs_threadpool_create returns a pool the caller frees with
 * cs_threadpool_free.  Errors: CS_ERR_NOMEM / CS_ERR_INVALID.
 * Thread-safety: one job at a time; cs_threadpool_run must not be called
 * concurrently on the same pool (nor from inside a job).
 */
#ifndef CS_THREADPOOL_H
#define CS_THREADPOOL_H

#include <stddef.h>

typedef struct cs_threadpool cs_threadpool;

/* A job body: called once for each part ith in 0..nth-1. */
typedef void (*cs_job_fn)(void *arg, int ith, int nth);

/* n_threads >= 1 (clamped to 1 without thread support and to 64). The
 * calling thread is thread 0, so n_threads - 1 workers are started. */
int cs_threadpool_create(int n_threads, cs_threadpool **out);
void cs_threadpool_free(cs_threadpool *tp); /* NULL is fine */
/* Threads a job runs on (1 for a NULL pool). */
int cs_threadpool_size(const cs_threadpool *tp);
/* Runs fn(arg, ith, nth) for every ith in 0..nth-1 with nth = the pool's
 * size, and returns when all are done.  A NULL pool runs fn(arg, 0, 1). */
void cs_threadpool_run(cs_threadpool *tp, cs_job_fn fn, void *arg);
/* The same with n_parts parts (1..65535).  Threads claim parts as they come
 * free, so a thread the OS has descheduled (this machine is shared) delays
 * nobody: the others take its parts.  Each part runs exactly once, on some
 * thread; do not assume part ith runs on thread ith. */
void cs_threadpool_run_parts(cs_threadpool *tp, cs_job_fn fn, void *arg, int n_parts);
/* Scratch memory owned by the pool (reused across calls, 64-byte aligned);
 * NULL if allocation fails or tp is NULL.  Valid until the next call. */
void *cs_threadpool_scratch(cs_threadpool *tp, size_t bytes);

#endif
