/* The faithfulness check, with hallucinations planted in summaries. */
#include "cs_err.h"
#include "faithful.h"

#include <criterion/criterion.h>
#include <string.h>

static const char *source =
    "Patient admitted 03/02/2025 with heart failure. BNP was 2,140 pg/mL. "
    "Furosemide 40 mg twice daily; spironolactone 12.5 mg daily (new). "
    "Creatinine .8 on March 14th, 2025. History of hypertension and nephropathy.";

static int flagged(const cs_flag_list *l, cs_fact_kind k, const char *text)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->items[i].kind == k && !strcmp(l->items[i].text, text)) return 1;
    return 0;
}

Test(faithful, supported_summary_has_no_flags)
{
    cs_flag_list l = {0};
    const char *sum = "## Plan\n1. Furosemide 40 mg twice daily.\n2. Spironolactone 12.5 mg.\n"
                      "BNP 2140 pg/mL on 03/02/2025; creatinine 0.8? no: .8 on March 14th, 2025.\n"
                      "Heart failure, hypertension, nephropathy.";
    cr_assert_eq(cs_faithful_check(sum, source, &l), CS_OK);
    for (size_t i = 0; i < l.n; i++) cr_log_info("flag %s: %s", cs_fact_kind_name(l.items[i].kind), l.items[i].text);
    /* "0.8" is not written in the source */
    cr_assert_eq(l.n, 1);
    cr_assert(flagged(&l, CS_FACT_NUMBER, "0.8"));
    cr_assert_gt(l.checked, 8);
    cs_flag_list_free(&l);
}

Test(faithful, planted_hallucinations_are_flagged)
{
    cs_flag_list l = {0};
    const char *sum = "Furosemide 80 mg twice daily. Spironolactone 12.5 mcg. Started lisinopril. "
                      "Follow-up 04/01/2025 and on June 3. Diagnosed with pneumonia and gastritis. "
                      "Weight 93 kg. Furosemide 40 mg.";
    cr_assert_eq(cs_faithful_check(sum, source, &l), CS_OK);
    cr_assert(flagged(&l, CS_FACT_DOSE, "80 mg"));
    cr_assert(flagged(&l, CS_FACT_DOSE, "12.5 mcg")); /* right number, wrong unit */
    cr_assert(flagged(&l, CS_FACT_MEDICATION, "lisinopril"));
    cr_assert(flagged(&l, CS_FACT_DATE, "04/01/2025"));
    cr_assert(flagged(&l, CS_FACT_DATE, "June 3"));
    cr_assert(flagged(&l, CS_FACT_DIAGNOSIS, "pneumonia"));
    cr_assert(flagged(&l, CS_FACT_DIAGNOSIS, "gastritis"));
    cr_assert(flagged(&l, CS_FACT_DOSE, "93 kg"));
    cr_assert(!flagged(&l, CS_FACT_DOSE, "40 mg"));
    cr_assert_eq(l.n, 8);
    cs_flag_list_free(&l);
}

Test(faithful, flags_once_and_names)
{
    cs_flag_list l = {0};
    cr_assert_eq(cs_faithful_check("99 mg and 99 mg again", "nothing", &l), CS_OK);
    cr_assert_eq(l.n, 1);
    cs_flag_list_free(&l);
    cr_assert_eq(cs_faithful_check(NULL, "x", &l), CS_ERR_INVALID);
    cr_assert_str_eq(cs_fact_kind_name(CS_FACT_DOSE), "dose");
    cr_assert_str_eq(cs_fact_kind_name(CS_FACT_DIAGNOSIS), "diagnosis");
    cr_assert_str_eq(cs_fact_kind_name(CS_FACT_MEDICATION), "medication");
}
