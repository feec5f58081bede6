add_executable(bench_audit audit.c)
target_link_libraries(bench_audit PRIVATE cs_compliance)
