/* ROUGE against hand-computed worked examples (rouge_score conventions). */
#include "rouge.h"
#include "cs_err.h"

#include <criterion/criterion.h>
#include <math.h>

#define EPS 1e-9

static cs_rouge_scores score(const char *cand, const char *ref)
{
    cs_rouge_scores s;
    cr_assert_eq(cs_rouge_score_texts(cand, ref, &s), CS_OK);
    return s;
}

Test(rouge, tokenize_like_rouge_score)
{
    cs_rouge_tokens t;
    cr_assert_eq(cs_rouge_tokenize("Don't STOP-now!! 40mg, caf\xc3\xa9 x", &t), CS_OK);
    const char *want[] = {"don", "t", "stop", "now", "40mg", "caf", "x"};
    cr_assert_eq(t.n, 7);
    for (size_t i = 0; i < t.n; i++) cr_assert_str_eq(t.tok[i], want[i]);
    cs_rouge_tokens_free(&t);
    cr_assert_eq(cs_rouge_tokenize("", &t), CS_OK);
    cr_assert_eq(t.n, 0);
    cs_rouge_tokens_free(&t);
}

/* cand "the cat sat on the mat", ref "the cat is on the mat":
 * unigrams overlap the x2, cat, on, mat = 5 of 6 each side;
 * bigrams "the cat", "on the", "the mat" = 3 of 5; LCS "the cat on the mat" = 5. */
Test(rouge, worked_example_cat)
{
    cs_rouge_scores s = score("the cat sat on the mat", "The cat is on the mat.");
    cr_assert_float_eq(s.rouge1.f1, 5.0 / 6.0, EPS);
    cr_assert_float_eq(s.rouge2.f1, 0.6, EPS);
    cr_assert_float_eq(s.rougeL.f1, 5.0 / 6.0, EPS);
}

/* The rouge_score README example: target "The quick brown fox jumps over
 * the lazy dog" (9 tokens), prediction "The quick brown dog jumps on the
 * log." (8): overlap the x2, quick, brown, dog, jumps = 6 ->
 * P = 6/8, R = 6/9, F = 12/17.  LCS "the quick brown jumps the" = 5 ->
 * F = 10/17.  Bigrams: "the quick", "quick brown" = 2 of 8 / 7 -> F = 4/15. */
Test(rouge, worked_example_fox)
{
    cs_rouge_scores s = score("The quick brown dog jumps on the log.",
                              "The quick brown fox jumps over the lazy dog");
    cr_assert_float_eq(s.rouge1.precision, 6.0 / 8.0, EPS);
    cr_assert_float_eq(s.rouge1.recall, 6.0 / 9.0, EPS);
    cr_assert_float_eq(s.rouge1.f1, 12.0 / 17.0, EPS);
    cr_assert_float_eq(s.rouge2.f1, 4.0 / 15.0, EPS);
    cr_assert_float_eq(s.rougeL.f1, 10.0 / 17.0, EPS);
}

/* Order matters only to ROUGE-2 and ROUGE-L: "a b c d" vs "b a d c". */
Test(rouge, order_and_lcs)
{
    cs_rouge_scores s = score("a b c d", "b a d c");
    cr_assert_float_eq(s.rouge1.f1, 1.0, EPS);
    cr_assert_float_eq(s.rouge2.f1, 0.0, EPS);
    cr_assert_float_eq(s.rougeL.f1, 0.5, EPS);
}

/* Counts are clipped: "the the the the" vs "the cat": overlap 1,
 * P = 1/4, R = 1/2, F = 1/3. */
Test(rouge, clipped_counts)
{
    cs_rouge_scores s = score("the the the the", "the cat");
    cr_assert_float_eq(s.rouge1.precision, 0.25, EPS);
    cr_assert_float_eq(s.rouge1.recall, 0.5, EPS);
    cr_assert_float_eq(s.rouge1.f1, 1.0 / 3.0, EPS);
}

/* rougeL is the whole-text LCS: line breaks do not split it. */
Test(rouge, rougeL_ignores_lines)
{
    cs_rouge_scores s = score("a b\nc", "a b c");
    cr_assert_float_eq(s.rougeL.f1, 1.0, EPS);
}

Test(rouge, empty_inputs_score_zero)
{
    cs_rouge_scores s = score("", "the cat");
    cr_assert_float_eq(s.rouge1.f1, 0.0, EPS);
    cr_assert_float_eq(s.rougeL.f1, 0.0, EPS);
    s = score("--", "");
    cr_assert_float_eq(s.rouge2.f1, 0.0, EPS);
}

Test(rouge, n_and_l_direct)
{
    cs_rouge_tokens a, b;
    cs_rouge_tokenize("x y z", &a);
    cs_rouge_tokenize("x y z", &b);
    cs_rouge_prf p;
    cr_assert_eq(cs_rouge_n(&a, &b, 3, &p), CS_OK);
    cr_assert_float_eq(p.f1, 1.0, EPS);
    cr_assert_eq(cs_rouge_n(&a, &b, 4, &p), CS_OK); /* no 4-grams */
    cr_assert_float_eq(p.f1, 0.0, EPS);
    cr_assert_eq(cs_rouge_n(&a, &b, 0, &p), CS_ERR_INVALID);
    cr_assert_eq(cs_rouge_l(&a, &b, &p), CS_OK);
    cr_assert_float_eq(p.recall, 1.0, EPS);
    cs_rouge_tokens_free(&a);
    cs_rouge_tokens_free(&b);
}
