/*
 * ops_f16_dump.c: prints the bits of the f16 attention products
 * (cs_op_dot_f16, cs_op_dot_f16_vec, cs_op_weighted_sum_f16[_vec]) for
 * pseudo-random halves, including subnormals, zeros and the largest half (and
 * one infinity), and
 * lengths that are not multiples of the lane counts.  Built twice: natively
 * (scalar path forced, tests/ops_f16.cmake) and for WASM (SIMD128 path,
 * tests/wasm/ops_f16.cmake); tests/wasm/ops_f16.sh requires identical output.
 */
#include "ops.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint32_t rng = 12345;
static uint16_t next_half(void)
{
    rng = rng * 1664525u + 1013904223u;
    uint32_t r = rng >> 8;
    switch (r % 64) {
    case 0: return 0x7bff;                          /* the largest half */
    case 1: return (uint16_t)(r & 0x83ff);          /* subnormal or zero */
    case 2: return 0x8000;                          /* -0 */
    default: return (uint16_t)((r & 0xbfff) % 0xbc00); /* finite, |x| < 2: no inf - inf in sums */
    }
}

static uint32_t bits(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    return u;
}

int main(void)
{
    cs_ops_force_scalar(1); /* natively: the scalar reference; WASM: no-op */
    static uint16_t a[1000], b[1000], v[1000 * 72];
    static float lanes[64 * 72], out[72];
    for (int i = 0; i < 1000; i++) { a[i] = next_half(); b[i] = next_half(); }
    for (int i = 0; i < 1000 * 72; i++) v[i] = next_half();
    const uint16_t inf = 0x7c00, one = 0x3c00; /* no NaN: its bits may differ */
    printf("inf %08x %08x\n", bits(cs_op_dot_f16(&inf, &one, 1)), bits(cs_op_dot_f16_vec(&inf, &one, 1)));
    const int lens[] = {1, 3, 15, 16, 17, 63, 64, 65, 100, 128, 257, 999};
    for (size_t k = 0; k < sizeof lens / sizeof *lens; k++) {
        int n = lens[k];
        printf("dot %d %08x %08x\n", n, bits(cs_op_dot_f16(a, b, n)), bits(cs_op_dot_f16_vec(a, b, n)));
        for (int dim = 62; dim <= 64; dim += 2) {
            cs_op_weighted_sum_f16(out, b, v, n, 72, dim, lanes);
            printf("wsum %d %d", n, dim);
            for (int d = 0; d < dim; d++) printf(" %08x", bits(out[d]));
            cs_op_weighted_sum_f16_vec(out, b, v, n, (n + 31) & ~31, 72, dim, lanes);
            printf("\nwsum_vec %d %d", n, dim);
            for (int d = 0; d < dim; d++) printf(" %08x", bits(out[d]));
            printf("\n");
        }
    }
    return 0;
}
