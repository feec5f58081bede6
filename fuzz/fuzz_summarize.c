/*
 * fuzz_summarize: arbitrary bytes through the whole pipeline (parse,
 * redact, extractive summary, faithfulness check, all three renderings),
 * through the transcript rewriter directly, and through ROUGE and the
 * faithfulness check with the input split in two.
 */
#include "cs_err.h"
#include "cs_parse.h"
#include "faithful.h"
#include "pipeline.h"
#include "rouge.h"
#include "summary_format.h"
#include "transcript.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct cs_redactor *red;
    static int init;
    if (!init) {
        cs_parse_init();
        cs_pipeline_redactor_new(&red);
        init = 1;
    }
    cs_pipeline_options o = {.allow_unredacted = 1, .redactor = red};
    cs_pipeline_result r;
    if (cs_pipeline_run(data, size, &o, &r) == CS_OK) {
        for (int f = 0; f < 3; f++) free(cs_format_result((cs_output_format)f, &r, CS_STYLE_HANDOFF, "note"));
    }
    cs_pipeline_result_free(&r);

    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    cs_sentence_list l = {0};
    cs_transcript_sentences(text, strlen(text), 0, &l);
    cs_sentence_list_free(&l);

    size_t half = strlen(text) / 2;
    char *second = strdup(text + half);
    text[half] = '\0';
    if (second) {
        cs_rouge_scores sc;
        cs_rouge_score_texts(text, second, &sc);
        cs_flag_list fl = {0};
        cs_faithful_check(text, second, &fl);
        cs_flag_list_free(&fl);
        free(second);
    }
    free(text);
    return 0;
}
