/*
 * threadpool.c: persistent workers claiming the parts of a job (see
 * threadpool.h).
 *
 * `ctl` packs the job generation (32 bits), its number of parts (16) and
 * the next unclaimed part (16) into one atomic word, so a claim is a single
 * compare-and-swap that fails if the job changed.  A worker reads the job's
 * fn/arg only after a successful claim: the job cannot finish, and so
 * cannot be replaced, while one of its parts is claimed but not done.
 * Idle workers spin on `ctl` for SPIN_NS and then sleep on a condition
 * variable; the caller only takes the mutex when someone sleeps.
 */
#include "threadpool.h"

#include <stdlib.h>
#include <string.h>

#include "cs_err.h"

#if defined(CS_NO_THREADS) || (defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__))
#define CS_THREADS 0
#else
#define CS_THREADS 1
#endif

#if CS_THREADS
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define cpu_relax() _mm_pause()
#else
#define cpu_relax() ((void)0)
#endif
#endif

#define MAX_THREADS 64
#define MAX_PARTS 65535
/* How long an idle worker spins before sleeping. */
#define SPIN_NS 200000L

struct cs_threadpool {
    int n;
    void *scratch;
    size_t scratch_size;
#if CS_THREADS
    pthread_t threads[MAX_THREADS];
    int started;
    cs_job_fn fn;
    void *arg;
    _Atomic uint64_t ctl; /* generation << 32 | parts << 16 | next part */
    atomic_int done;      /* parts of the current job finished */
    atomic_int sleepers;
    atomic_int stop;
    pthread_mutex_t mu;
    pthread_cond_t cv;
#endif
};

#if CS_THREADS
#define CTL_GEN(c) ((uint32_t)((c) >> 32))
#define CTL_PARTS(c) ((int)(((c) >> 16) & 0xffff))
#define CTL_NEXT(c) ((int)((c)&0xffff))

static long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

/* Claims and runs parts of job generation `gen` until none are left. */
static void work(cs_threadpool *tp, uint32_t gen)
{
    uint64_t c = atomic_load_explicit(&tp->ctl, memory_order_acquire);
    while (CTL_GEN(c) == gen && CTL_NEXT(c) < CTL_PARTS(c)) {
        if (!atomic_compare_exchange_weak_explicit(&tp->ctl, &c, c + 1, memory_order_acq_rel,
                                                   memory_order_acquire))
            continue; /* c was reloaded */
        tp->fn(tp->arg, CTL_NEXT(c), CTL_PARTS(c));
        atomic_fetch_add_explicit(&tp->done, 1, memory_order_release);
        c = atomic_load_explicit(&tp->ctl, memory_order_acquire);
    }
}

/* Waits until the generation differs from `seen` or the pool stops. */
static uint32_t wait_job(cs_threadpool *tp, uint32_t seen)
{
    long start = now_ns();
    for (int i = 0;; i++) {
        uint32_t g = CTL_GEN(atomic_load_explicit(&tp->ctl, memory_order_acquire));
        if (g != seen || atomic_load(&tp->stop))
            return g;
        cpu_relax();
        if ((i & 255) == 255 && now_ns() - start > SPIN_NS)
            break;
    }
    pthread_mutex_lock(&tp->mu);
    atomic_fetch_add(&tp->sleepers, 1);
    uint32_t g;
    while ((g = CTL_GEN(atomic_load(&tp->ctl))) == seen && !atomic_load(&tp->stop))
        pthread_cond_wait(&tp->cv, &tp->mu);
    atomic_fetch_sub(&tp->sleepers, 1);
    pthread_mutex_unlock(&tp->mu);
    return g;
}

static void *worker_main(void *p)
{
    cs_threadpool *tp = p;
    uint32_t seen = 0;
    for (;;) {
        seen = wait_job(tp, seen);
        if (atomic_load(&tp->stop))
            break;
        work(tp, seen);
    }
    return NULL;
}
#endif

int cs_threadpool_create(int n_threads, cs_threadpool **out)
{
    *out = NULL;
    if (n_threads < 1)
        return CS_ERR_INVALID;
    cs_threadpool *tp = calloc(1, sizeof *tp);
    if (tp == NULL)
        return CS_ERR_NOMEM;
#if CS_THREADS
    tp->n = n_threads > MAX_THREADS ? MAX_THREADS : n_threads;
    atomic_init(&tp->ctl, 0);
    atomic_init(&tp->done, 0);
    atomic_init(&tp->sleepers, 0);
    atomic_init(&tp->stop, 0);
    pthread_mutex_init(&tp->mu, NULL);
    pthread_cond_init(&tp->cv, NULL);
    for (int i = 1; i < tp->n; i++) {
        if (pthread_create(&tp->threads[i], NULL, worker_main, tp) != 0) {
            cs_threadpool_free(tp); /* stops workers 1..started */
            return CS_ERR_NOMEM;
        }
        tp->started = i;
    }
#else
    (void)n_threads;
    tp->n = 1;
#endif
    *out = tp;
    return CS_OK;
}

void cs_threadpool_free(cs_threadpool *tp)
{
    if (tp == NULL)
        return;
#if CS_THREADS
    pthread_mutex_lock(&tp->mu);
    atomic_store(&tp->stop, 1);
    pthread_cond_broadcast(&tp->cv);
    pthread_mutex_unlock(&tp->mu);
    for (int i = 1; i <= tp->started; i++)
        pthread_join(tp->threads[i], NULL);
    pthread_cond_destroy(&tp->cv);
    pthread_mutex_destroy(&tp->mu);
#endif
    free(tp->scratch);
    free(tp);
}

int cs_threadpool_size(const cs_threadpool *tp)
{
    return tp ? tp->n : 1;
}

void cs_threadpool_run_parts(cs_threadpool *tp, cs_job_fn fn, void *arg, int n_parts)
{
    if (n_parts < 1)
        return;
    if (n_parts > MAX_PARTS)
        n_parts = MAX_PARTS;
    if (tp == NULL || tp->n == 1 || n_parts == 1) {
        for (int i = 0; i < n_parts; i++)
            fn(arg, i, n_parts);
        return;
    }
#if CS_THREADS
    tp->fn = fn;
    tp->arg = arg;
    atomic_store_explicit(&tp->done, 0, memory_order_relaxed);
    uint32_t gen = CTL_GEN(atomic_load(&tp->ctl)) + 1;
    /* seq_cst store then load of sleepers pairs with the worker's increment
     * then load of ctl: one of the two sees the other. */
    atomic_store(&tp->ctl, (uint64_t)gen << 32 | (uint64_t)n_parts << 16);
    if (atomic_load(&tp->sleepers) > 0) {
        pthread_mutex_lock(&tp->mu);
        pthread_cond_broadcast(&tp->cv);
        pthread_mutex_unlock(&tp->mu);
    }
    work(tp, gen);
    /* Only parts already claimed by another thread remain; they are
     * microseconds of work unless that thread was preempted. */
    for (int i = 0; atomic_load_explicit(&tp->done, memory_order_acquire) != n_parts; i++) {
        if (i < 20000)
            cpu_relax();
        else
            sched_yield();
    }
#endif
}

void cs_threadpool_run(cs_threadpool *tp, cs_job_fn fn, void *arg)
{
    cs_threadpool_run_parts(tp, fn, arg, cs_threadpool_size(tp));
}

void *cs_threadpool_scratch(cs_threadpool *tp, size_t bytes)
{
    if (tp == NULL)
        return NULL;
    if (bytes <= tp->scratch_size)
        return tp->scratch;
    size_t size = (bytes + 63) / 64 * 64;
    void *p = aligned_alloc(64, size);
    if (p == NULL)
        return NULL;
    free(tp->scratch);
    tp->scratch = p;
    tp->scratch_size = size;
    return p;
}
