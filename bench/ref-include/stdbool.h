/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench:pps: <stdbool.h> for the reference's C, written for p4ts. The
 * reference's headers include it; a clang without its resource headers
 * (the clang-wasm npm package's, first on PATH under `npm test` when it is
 * installed, as on CI) has none, and the build failed there.
 */
#ifndef P4TS_BENCH_STDBOOL_H
#define P4TS_BENCH_STDBOOL_H
#define bool _Bool
#define true 1
#define false 0
#define __bool_true_false_are_defined 1
#endif
