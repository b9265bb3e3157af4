/* SPDX-License-Identifier: Apache-2.0 */
/* bench:pps: the reference's "pna.h" resolves here; ebpf_kernel.h (this directory) declares it all. */
#include "ebpf_kernel.h"
