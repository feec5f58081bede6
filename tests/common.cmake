cs_add_test(test_common unit/test_common.c LIBS cs_common)
