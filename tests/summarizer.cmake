# The summarizer (issue 6): ROUGE, the extractive summarizer, the
# faithfulness check, prompts, the pipeline and its output formats.
cs_add_test(test_rouge unit/test_rouge.c LIBS cs_app)
cs_add_test(test_extractive unit/test_extractive.c LIBS cs_app)
cs_add_test(test_faithful unit/test_faithful.c LIBS cs_app)
cs_add_test(test_pipeline unit/test_pipeline.c ${PROJECT_SOURCE_DIR}/app/cs_fileio.c LIBS cs_app)
cs_add_cli_test(cli_summarize cli/test_summarize.sh)
cs_add_cli_test(cli_batch cli/test_batch.sh)
cs_add_cli_test(cli_eval_summary cli/test_eval_summary.sh)
