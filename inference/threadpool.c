/*
 * threadpool.c: persistent workers woken per job (see threadpool.h).
 *
 * A job is published by bumping `generation`; workers spin on it for a short
 * while (decode issues one matmul every few microseconds) and then sleep on
 * a condition variable.  The caller runs its own share as thread 0 and then
 * waits for `pending` to reach zero.
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
#include <time.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define cpu_relax() _mm_pause()
#else
#define cpu_relax() ((void)0)
#endif
#endif

#define MAX_THREADS 64
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
    atomic_uint generation;
    atomic_int pending;
    atomic_int stop;
    pthread_mutex_t mu;
    pthread_cond_t cv;
#endif
};

#if CS_THREADS
typedef struct {
    cs_threadpool *tp;
    int ith;
} worker_arg;

static long now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

/* Waits until the generation differs from `seen` (or stop); returns it. */
static unsigned wait_job(cs_threadpool *tp, unsigned seen)
{
    unsigned g;
    long start = now_ns();
    for (int i = 0;; i++) {
        g = atomic_load_explicit(&tp->generation, memory_order_acquire);
        if (g != seen || atomic_load_explicit(&tp->stop, memory_order_acquire))
            return g;
        cpu_relax();
        if ((i & 255) == 255 && now_ns() - start > SPIN_NS)
            break;
    }
    pthread_mutex_lock(&tp->mu);
    while ((g = atomic_load_explicit(&tp->generation, memory_order_acquire)) == seen &&
           !atomic_load_explicit(&tp->stop, memory_order_acquire))
        pthread_cond_wait(&tp->cv, &tp->mu);
    pthread_mutex_unlock(&tp->mu);
    return g;
}

static void *worker_main(void *p)
{
    worker_arg *wa = p;
    cs_threadpool *tp = wa->tp;
    int ith = wa->ith;
    free(wa);
    unsigned seen = 0;
    for (;;) {
        seen = wait_job(tp, seen);
        if (atomic_load_explicit(&tp->stop, memory_order_acquire))
            break;
        tp->fn(tp->arg, ith, tp->n);
        atomic_fetch_sub_explicit(&tp->pending, 1, memory_order_acq_rel);
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
    atomic_init(&tp->generation, 0);
    atomic_init(&tp->pending, 0);
    atomic_init(&tp->stop, 0);
    pthread_mutex_init(&tp->mu, NULL);
    pthread_cond_init(&tp->cv, NULL);
    for (int i = 1; i < tp->n; i++) {
        worker_arg *wa = malloc(sizeof *wa);
        if (wa == NULL || pthread_create(&tp->threads[i], NULL, worker_main,
                                         (*wa = (worker_arg){tp, i}, wa)) != 0) {
            free(wa);
            tp->n = i; /* workers 1..i-1 exist; stop them */
            cs_threadpool_free(tp);
            return CS_ERR_NOMEM;
        }
        tp->started = i;
    }
#else
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
    atomic_store_explicit(&tp->stop, 1, memory_order_release);
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

void cs_threadpool_run(cs_threadpool *tp, cs_job_fn fn, void *arg)
{
    if (tp == NULL || tp->n == 1) {
        fn(arg, 0, 1);
        return;
    }
#if CS_THREADS
    tp->fn = fn;
    tp->arg = arg;
    atomic_store_explicit(&tp->pending, tp->n - 1, memory_order_relaxed);
    pthread_mutex_lock(&tp->mu);
    atomic_fetch_add_explicit(&tp->generation, 1, memory_order_release);
    pthread_cond_broadcast(&tp->cv);
    pthread_mutex_unlock(&tp->mu);
    fn(arg, 0, tp->n);
    /* Workers normally finish within microseconds; yield if one was
     * preempted so we do not burn its core. */
    for (int i = 0; atomic_load_explicit(&tp->pending, memory_order_acquire) != 0; i++) {
        if (i < 20000)
            cpu_relax();
        else
            sched_yield();
    }
#endif
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
