# The transformer, its small ops, the sampler and generation (infer-model).
cs_add_test(test_ops unit/test_ops.c LIBS cs_inference)
cs_add_test(test_sampler unit/test_sampler.c LIBS cs_inference)
cs_add_test(test_model_golden unit/test_model_golden.c LIBS cs_inference cs_dep_cjson)
cs_add_cli_test(cli_generate cli/test_generate.sh)
cs_add_test(test_model unit/test_model.c LIBS cs_inference)
