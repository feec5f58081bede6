add_executable(bench_kernels kernels.c)
target_link_libraries(bench_kernels PRIVATE cs_kernels)
