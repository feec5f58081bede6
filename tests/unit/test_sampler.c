/* test_sampler.c: greedy, temperature, top-k/top-p/min-p, repetition
 * penalty and seeding of the token sampler. */
#include <criterion/criterion.h>
#include <math.h>

#include "cs_err.h"
#include "sampler.h"

/* temperature t with every truncation and the penalty off */
static cs_sampler_params plain(uint64_t seed, float t)
{
    cs_sampler_params p = cs_sampler_default_params(seed);
    p.temperature = t;
    p.top_k = 0;
    p.top_p = 1.0f;
    p.min_p = 0.0f;
    p.repeat_penalty = 1.0f;
    return p;
}

static cs_sampler *make(cs_sampler_params p, int n)
{
    cs_sampler *s;
    cr_assert_eq(cs_sampler_new(&p, n, &s), CS_OK);
    return s;
}

Test(sampler, argmax_first_on_ties)
{
    float x[] = {1, 3, 2, 3};
    cr_expect_eq(cs_argmax(x, 4), 1);
    cr_expect_eq(cs_argmax(x, 0), -1);
}

Test(sampler, greedy_picks_the_largest_logit)
{
    float logits[] = {0.1f, -2.0f, 5.0f, 4.9f, 0.0f};
    cs_sampler *s = make(cs_sampler_greedy_params(), 5);
    for (int i = 0; i < 5; i++) cr_expect_eq(cs_sampler_sample(s, logits), 2);
    cs_sampler_free(s);
}

Test(sampler, rejects_bad_parameters)
{
    cs_sampler *s = (cs_sampler *)1;
    cs_sampler_params p = cs_sampler_default_params(1);
    p.top_p = 0.0f;
    cr_expect_eq(cs_sampler_new(&p, 10, &s), CS_ERR_INVALID);
    cr_expect_null(s);
    p = cs_sampler_default_params(1);
    p.top_k = -1;
    cr_expect_eq(cs_sampler_new(&p, 10, &s), CS_ERR_INVALID);
    p = cs_sampler_default_params(1);
    cr_expect_eq(cs_sampler_new(&p, 0, &s), CS_ERR_INVALID);
}

/* Draws a sequence of n tokens from 64 equal-ish logits. */
static void draw(uint64_t seed, int *out, int n)
{
    float logits[64];
    for (int i = 0; i < 64; i++) logits[i] = (float)(i % 7) * 0.1f;
    cs_sampler_params p = plain(seed, 1.0f);
    cs_sampler *s = make(p, 64);
    for (int i = 0; i < n; i++) out[i] = cs_sampler_sample(s, logits);
    cs_sampler_free(s);
}

Test(sampler, same_seed_same_tokens_other_seed_other_tokens)
{
    int a[50], b[50], c[50];
    draw(42, a, 50);
    draw(42, b, 50);
    draw(43, c, 50);
    cr_expect_arr_eq(a, b, sizeof a);
    int differ = 0;
    for (int i = 0; i < 50; i++) differ += a[i] != c[i];
    cr_expect_gt(differ, 10, "seeds 42 and 43 should give different draws");
}

Test(sampler, reset_replays_the_sequence)
{
    float logits[] = {0, 0, 0, 0, 0, 0, 0, 0};
    cs_sampler_params p = cs_sampler_default_params(7);
    p.min_p = 0.0f;
    p.repeat_penalty = 1.0f;
    cs_sampler *s = make(p, 8);
    int first[20];
    for (int i = 0; i < 20; i++) first[i] = cs_sampler_sample(s, logits);
    cs_sampler_reset(s);
    for (int i = 0; i < 20; i++) cr_expect_eq(cs_sampler_sample(s, logits), first[i]);
    cs_sampler_free(s);
}

Test(sampler, temperature_one_follows_the_softmax)
{
    /* p(1) = 0.75, p(0) = 0.25 */
    float logits[] = {logf(0.25f), logf(0.75f)};
    cs_sampler_params p = plain(1234, 1.0f);
    cs_sampler *s = make(p, 2);
    int ones = 0, n = 20000;
    for (int i = 0; i < n; i++) ones += cs_sampler_sample(s, logits) == 1;
    double f = (double)ones / n;  /* sd = sqrt(.75*.25/20000) = 0.003 */
    cr_expect(fabs(f - 0.75) < 0.015, "frequency %f", f);
    cs_sampler_free(s);
}

Test(sampler, low_temperature_sharpens)
{
    float logits[] = {1.0f, 1.5f, 0.5f};
    cs_sampler_params p = plain(9, 0.05f);
    cs_sampler *s = make(p, 3);
    for (int i = 0; i < 200; i++) cr_expect_eq(cs_sampler_sample(s, logits), 1);
    cs_sampler_free(s);
}

Test(sampler, top_k_keeps_only_the_k_best)
{
    float logits[100];
    for (int i = 0; i < 100; i++) logits[i] = (float)((i * 37) % 100) * 0.01f;  /* a permutation */
    cs_sampler_params p = plain(5, 5.0f);  /* nearly flat: everything allowed would show up */
    p.top_k = 3;
    cs_sampler *s = make(p, 100);
    int seen[100] = {0};
    for (int i = 0; i < 3000; i++) seen[cs_sampler_sample(s, logits)]++;
    int kinds = 0;
    for (int i = 0; i < 100; i++) {
        if (!seen[i]) continue;
        kinds++;
        cr_expect_geq(logits[i], 0.965f, "token %d (logit %f) is outside the top 3", i, logits[i]);
    }
    cr_expect_eq(kinds, 3);
    cs_sampler_free(s);
}

Test(sampler, top_p_cuts_the_tail)
{
    /* probabilities 0.5, 0.3, 0.15, 0.05: top_p 0.75 keeps the first two (0.5 + 0.3 >= 0.75) */
    float logits[] = {logf(0.5f), logf(0.3f), logf(0.15f), logf(0.05f)};
    cs_sampler_params p = plain(11, 1.0f);
    p.top_p = 0.75f;
    cs_sampler *s = make(p, 4);
    int seen[4] = {0};
    for (int i = 0; i < 4000; i++) seen[cs_sampler_sample(s, logits)]++;
    cr_expect_gt(seen[0], 0);
    cr_expect_gt(seen[1], 0);
    cr_expect_eq(seen[2] + seen[3], 0);
    cs_sampler_free(s);
}

Test(sampler, min_p_drops_unlikely_tokens)
{
    /* relative to the best: 1, 0.6, 0.2 -> min_p 0.5 keeps two */
    float logits[] = {0.0f, logf(0.6f), logf(0.2f)};
    cs_sampler_params p = plain(3, 1.0f);
    p.min_p = 0.5f;
    cs_sampler *s = make(p, 3);
    int seen[3] = {0};
    for (int i = 0; i < 3000; i++) seen[cs_sampler_sample(s, logits)]++;
    cr_expect_gt(seen[0], 0);
    cr_expect_gt(seen[1], 0);
    cr_expect_eq(seen[2], 0);
    cs_sampler_free(s);
}

Test(sampler, repetition_penalty_demotes_recent_tokens)
{
    float logits[] = {2.0f, 1.9f, -1.0f, -1.05f};
    cs_sampler_params p = cs_sampler_greedy_params();
    p.repeat_penalty = 1.2f;  /* 2.0 -> 1.67 < 1.9; -1.0 -> -1.2 < -1.05 */
    p.repeat_last_n = 2;
    cs_sampler *s = make(p, 4);
    cr_expect_eq(cs_sampler_sample(s, logits), 0);
    cs_sampler_accept(s, 0);
    cr_expect_eq(cs_sampler_sample(s, logits), 1);
    /* the window is 2 tokens: after two others, token 0 is forgiven */
    cs_sampler_accept(s, 2);
    cs_sampler_accept(s, 3);
    cr_expect_eq(cs_sampler_sample(s, logits), 0);
    cs_sampler_free(s);

    float neg[] = {-1.0f, -1.05f};
    s = make(p, 2);
    cs_sampler_accept(s, 0);
    cr_expect_eq(cs_sampler_sample(s, neg), 1, "negative logits are multiplied, not divided");
    cs_sampler_free(s);
}
