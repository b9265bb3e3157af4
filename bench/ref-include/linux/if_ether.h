/* SPDX-License-Identifier: Apache-2.0 */
/* bench:pps: the reference's generated C includes <linux/if_ether.h> and uses none of it. */
