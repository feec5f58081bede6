/*
 * sampler.c: greedy / temperature / top-k / top-p / min-p / repetition
 * penalty sampling with a seeded xorshift RNG.  See sampler.h.
 */
#include "sampler.h"

#include "cs_err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int id;
    float logit;
    float p;
} candidate;

struct cs_sampler {
    cs_sampler_params params;
    int n_vocab;
    uint64_t rng;
    candidate *cand;  /* (n_vocab) scratch */
    int *recent;      /* ring of the last repeat_last_n accepted tokens */
    int n_recent, recent_pos;
};

cs_sampler_params cs_sampler_greedy_params(void)
{
    cs_sampler_params p = {0};
    p.temperature = 0.0f;
    p.top_p = 1.0f;
    p.repeat_penalty = 1.0f;
    return p;
}

cs_sampler_params cs_sampler_default_params(uint64_t seed)
{
    cs_sampler_params p;
    p.temperature = 0.7f;
    p.top_k = 40;
    p.top_p = 0.95f;
    p.min_p = 0.05f;
    p.repeat_penalty = 1.1f;
    p.repeat_last_n = 64;
    p.seed = seed;
    return p;
}

static uint64_t seed_state(uint64_t seed)
{
    /* splitmix64 of the seed, so seeds 0, 1, 2 give unrelated streams and the
     * xorshift state is never zero. */
    uint64_t z = seed + 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return z ? z : 1;
}

/* xorshift64*, uniform in [0, 1) from the top 24 bits. */
static float rng_uniform(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return (float)((x * 0x2545F4914F6CDD1Dull) >> 40) / 16777216.0f;
}

int cs_sampler_new(const cs_sampler_params *p, int n_vocab, cs_sampler **out)
{
    *out = NULL;
    if (!p || n_vocab <= 0 || p->top_k < 0 || p->repeat_last_n < 0 || !(p->top_p > 0.0f) ||
        p->top_p > 1.0f || p->min_p < 0.0f || p->min_p > 1.0f || !(p->repeat_penalty > 0.0f) ||
        isnan(p->temperature))
        return CS_ERR_INVALID;
    cs_sampler *s = calloc(1, sizeof *s);
    if (!s) return CS_ERR_NOMEM;
    s->params = *p;
    s->n_vocab = n_vocab;
    s->cand = malloc((size_t)n_vocab * sizeof *s->cand);
    s->recent = malloc(((size_t)p->repeat_last_n + 1) * sizeof *s->recent);
    if (!s->cand || !s->recent) {
        cs_sampler_free(s);
        return CS_ERR_NOMEM;
    }
    cs_sampler_reset(s);
    *out = s;
    return CS_OK;
}

void cs_sampler_free(cs_sampler *s)
{
    if (!s) return;
    free(s->cand);
    free(s->recent);
    free(s);
}

void cs_sampler_reset(cs_sampler *s)
{
    s->rng = seed_state(s->params.seed);
    s->n_recent = 0;
    s->recent_pos = 0;
}

void cs_sampler_accept(cs_sampler *s, int token)
{
    int cap = s->params.repeat_last_n;
    if (cap == 0) return;
    s->recent[s->recent_pos] = token;
    s->recent_pos = (s->recent_pos + 1) % cap;
    if (s->n_recent < cap) s->n_recent++;
}

int cs_argmax(const float *x, int n)
{
    if (n <= 0) return -1;
    int best = 0;
    for (int i = 1; i < n; i++)
        if (x[i] > x[best]) best = i;
    return best;
}

static int by_logit_desc(const void *a, const void *b)
{
    const candidate *x = a, *y = b;
    if (x->logit != y->logit) return x->logit < y->logit ? 1 : -1;
    return x->id - y->id;  /* stable order for equal logits: same draw everywhere */
}

/* Move the k largest candidates to the front, sorted (a min-heap of size k
 * over the n candidates: O(n log k), much cheaper than sorting the vocab). */
static void keep_top_k(candidate *c, int n, int k)
{
    if (k >= n) {
        qsort(c, (size_t)n, sizeof *c, by_logit_desc);
        return;
    }
    /* heap of the k best so far, smallest (by by_logit_desc order) at the root */
    for (int i = 0; i < n; i++) {
        candidate x = c[i];
        int size = i < k ? i : k;
        if (i < k) {
            int j = size;
            while (j > 0) {
                int parent = (j - 1) / 2;
                if (by_logit_desc(&c[parent], &x) >= 0) break;  /* parent already worse-or-equal */
                c[j] = c[parent];
                j = parent;
            }
            c[j] = x;
            continue;
        }
        if (by_logit_desc(&x, &c[0]) >= 0) continue;  /* not better than the worst kept */
        int j = 0;
        for (;;) {
            int l = 2 * j + 1, r = l + 1, worst = j;
            const candidate *w = &x;
            if (l < k && by_logit_desc(&c[l], w) > 0) { worst = l; w = &c[l]; }
            if (r < k && by_logit_desc(&c[r], w) > 0) { worst = r; w = &c[r]; }
            if (worst == j) break;
            c[j] = c[worst];
            j = worst;
        }
        c[j] = x;
    }
    qsort(c, (size_t)k, sizeof *c, by_logit_desc);
}

int cs_sampler_sample(cs_sampler *s, const float *logits)
{
    const cs_sampler_params *p = &s->params;
    int n = s->n_vocab;
    candidate *c = s->cand;
    for (int i = 0; i < n; i++) {
        c[i].id = i;
        c[i].logit = logits[i];
    }

    if (p->repeat_penalty != 1.0f) {
        for (int r = 0; r < s->n_recent; r++) {
            int id = s->recent[r];
            if (id < 0 || id >= n) continue;
            /* penalise each distinct token once, like llama.cpp */
            int seen = 0;
            for (int q = 0; q < r; q++) seen |= s->recent[q] == id;
            if (seen) continue;
            float *l = &c[id].logit;
            *l = *l > 0.0f ? *l / p->repeat_penalty : *l * p->repeat_penalty;
        }
    }

    if (p->temperature <= 0.0f) {
        int best = 0;
        for (int i = 1; i < n; i++)
            if (c[i].logit > c[best].logit) best = i;
        return c[best].id;
    }

    /* Sorted, possibly truncated candidate list. */
    int k = p->top_k > 0 && p->top_k < n ? p->top_k : n;
    keep_top_k(c, n, k);
    n = k;

    /* Probabilities at temperature 1 for the truncation rules. */
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
        c[i].p = expf(c[i].logit - c[0].logit);
        sum += c[i].p;
    }
    if (p->top_p < 1.0f) {
        double cum = 0.0;
        for (int i = 0; i < n; i++) {
            cum += c[i].p / sum;
            if (cum >= p->top_p) { n = i + 1; break; }
        }
    }
    if (p->min_p > 0.0f) {
        /* c[0].p == 1 is the best token's relative probability */
        int keep = 1;
        while (keep < n && c[keep].p >= p->min_p) keep++;
        n = keep;
    }

    sum = 0.0;
    for (int i = 0; i < n; i++) {
        c[i].p = expf((c[i].logit - c[0].logit) / p->temperature);
        sum += c[i].p;
    }
    double u = rng_uniform(&s->rng) * sum, cum = 0.0;
    for (int i = 0; i < n; i++) {
        cum += c[i].p;
        if (u < cum) return c[i].id;
    }
    return c[n - 1].id;
}
