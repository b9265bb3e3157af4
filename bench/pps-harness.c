/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench:pps timing harness, written for p4ts (user space; built with the
 * host's cc by scripts/bench-pps.mjs). It runs pinned tc programs with
 * BPF_PROG_TEST_RUN and prints one JSON line per call:
 *
 *   run PROG DATA CTX N
 *       PROG on the frame in file DATA with the __sk_buff in file CTX,
 *       the kernel repeating it N times on the same skb; the mean
 *       duration (see test_run).
 *   main PARSER MAIN DATA CTX N
 *       PARSER once, then MAIN repeated N times on the parser's output
 *       frame and skb->cb (the state the parser left in the header map).
 *   fresh PARSER MAIN DATA CTX N
 *       N times: PARSER once, then MAIN once on a fresh skb; the mean of
 *       MAIN's durations. For a main that does not give the same result
 *       when repeated on its own output (it pushes a header, changes a
 *       field it reads, ...).
 *   single PROG DATA CTX N
 *       N calls of PROG, once each: the floor of `fresh`.
 *
 * The output names the return value, the duration in ns (a decimal for the
 * means), and the frame and skb->cb of the last call in hex, so the bench
 * can check that two programs agree. Pin it to one CPU with taskset.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define FRAME_MAX 65536
#define SKB_CB 48
#define CB_SIZE 20

static int sys_bpf(int cmd, union bpf_attr *attr)
{
	return (int)syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

static int prog_get(const char *path)
{
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.pathname = (uint64_t)(uintptr_t)path;
	fd = sys_bpf(BPF_OBJ_GET, &a);
	if (fd < 0) {
		fprintf(stderr, "pps-harness: cannot open %s: %s\n", path, strerror(errno));
		exit(1);
	}
	return fd;
}

static size_t slurp(const char *path, unsigned char *buf, size_t max)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f) {
		fprintf(stderr, "pps-harness: cannot read %s: %s\n", path, strerror(errno));
		exit(1);
	}
	n = fread(buf, 1, max, f);
	fclose(f);
	return n;
}

struct frame {
	unsigned char data[FRAME_MAX];
	uint32_t len;
	struct __sk_buff ctx;
};

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC_RAW, &t);
	return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

/*
 * One BPF_PROG_TEST_RUN: `in` -> `out`; returns ns per run. The kernel
 * reports a whole number of ns (its total divided by `repeat`, truncated),
 * and on a fast machine a program's cost net of the floor is a few ns, so a
 * truncated figure could move a ratio by a third. For repeat > 1 the call is
 * also timed here: that time over `repeat` is the same figure without the
 * truncation, plus the call's one-off work (the skb, the copies, about a
 * microsecond: a thousandth of a ns over a million repeats) and any time the
 * CPU was given to other tasks, which the kernel's figure leaves out. So the
 * result is the time taken here, kept within [kernel, kernel + 1): exact
 * when nothing else ran, and never further from the kernel's own figure
 * than its truncation. A single run keeps the kernel's figure.
 */
static double test_run(int fd, const struct frame *in, struct frame *out, uint32_t repeat, uint32_t *retval)
{
	union bpf_attr a;
	double t0, t1;

	memset(&a, 0, sizeof(a));
	a.test.prog_fd = fd;
	a.test.data_in = (uint64_t)(uintptr_t)in->data;
	a.test.data_size_in = in->len;
	a.test.data_out = (uint64_t)(uintptr_t)out->data;
	a.test.data_size_out = sizeof(out->data);
	a.test.ctx_in = (uint64_t)(uintptr_t)&in->ctx;
	a.test.ctx_size_in = sizeof(in->ctx);
	a.test.ctx_out = (uint64_t)(uintptr_t)&out->ctx;
	a.test.ctx_size_out = sizeof(out->ctx);
	a.test.repeat = repeat;
	/* A signal or a transient shortage interrupts a run: it is run again (3 tries in all). */
	t0 = now_ns();
	for (int tries = 1; sys_bpf(BPF_PROG_TEST_RUN, &a); tries++, t0 = now_ns()) {
		if ((errno != EINTR && errno != EAGAIN) || tries == 3) {
			fprintf(stderr, "pps-harness: BPF_PROG_TEST_RUN failed: %s\n", strerror(errno));
			exit(1);
		}
		a.test.data_size_out = sizeof(out->data);
		a.test.ctx_size_out = sizeof(out->ctx);
	}
	t1 = now_ns();
	out->len = a.test.data_size_out;
	*retval = a.test.retval;
	if (repeat > 1) {
		double u = (t1 - t0) / repeat, k = a.test.duration;

		return u < k ? k : u > k + 1 ? k + 1 : u;
	}
	return a.test.duration;
}

/* The main's input: the parser's output frame, the original skb with the parser's cb. */
static void main_input(struct frame *mid, const struct frame *in)
{
	struct __sk_buff ctx = in->ctx;

	memcpy((char *)&ctx + SKB_CB, (const char *)&mid->ctx + SKB_CB, CB_SIZE);
	mid->ctx = ctx;
}

static void print_hex(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		printf("%02x", p[i]);
}

static void report(uint32_t retval, double ns, const struct frame *out, uint32_t parser_retval)
{
	printf("{\"retval\":%d,\"parserRetval\":%d,\"ns\":%.3f,\"data\":\"", (int32_t)retval, (int32_t)parser_retval, ns);
	print_hex(out->data, out->len);
	printf("\",\"cb\":\"");
	print_hex((const unsigned char *)&out->ctx + SKB_CB, CB_SIZE);
	printf("\"}\n");
}

static struct frame in, mid, out;

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	int two = !strcmp(mode, "main") || !strcmp(mode, "fresh");
	int one = !strcmp(mode, "run") || !strcmp(mode, "single");
	uint32_t n, rv = 0, prv = 0;
	int fd, fd2 = -1;

	if (!(one && argc == 6) && !(two && argc == 7)) {
		fprintf(stderr, "usage: pps-harness run|single PROG DATA CTX N\n"
				"       pps-harness main|fresh PARSER MAIN DATA CTX N\n");
		return 2;
	}
	fd = prog_get(argv[2]);
	if (two)
		fd2 = prog_get(argv[3]);
	in.len = (uint32_t)slurp(argv[two ? 4 : 3], in.data, sizeof(in.data));
	if (slurp(argv[two ? 5 : 4], (unsigned char *)&in.ctx, sizeof(in.ctx)) != sizeof(in.ctx)) {
		fprintf(stderr, "pps-harness: the ctx file must hold a whole struct __sk_buff (%zu bytes)\n", sizeof(in.ctx));
		return 2;
	}
	n = (uint32_t)strtoul(argv[two ? 6 : 5], NULL, 10);
	if (n == 0)
		n = 1;
	if (!strcmp(mode, "run")) {
		double d = test_run(fd, &in, &out, n, &rv);
		report(rv, d, &out, 0);
	} else if (!strcmp(mode, "single")) {
		double sum = 0;
		for (uint32_t i = 0; i < n; i++)
			sum += test_run(fd, &in, &out, 1, &rv);
		report(rv, sum / n, &out, 0);
	} else if (!strcmp(mode, "main")) {
		double d;
		test_run(fd, &in, &mid, 1, &prv);
		main_input(&mid, &in);
		d = test_run(fd2, &mid, &out, n, &rv);
		report(rv, d, &out, prv);
	} else {
		double sum = 0;
		for (uint32_t i = 0; i < n; i++) {
			test_run(fd, &in, &mid, 1, &prv);
			main_input(&mid, &in);
			sum += test_run(fd2, &mid, &out, 1, &rv);
		}
		report(rv, sum / n, &out, prv);
	}
	return 0;
}
