# Numeric kernels: types, fp16, dequantization, fast-vs-scalar kernels,
# matmul across thread counts, thread pool.
cs_add_test(test_kernels unit/test_kernels.c LIBS cs_kernels)
