/*
 * Runs a batch of operations against a pipeline loaded by the emulation
 * loader (programs and maps pinned in its private bpffs), in one process:
 * map updates, deletes and lookups by pinned path, and packets through the
 * parser then main with BPF_PROG_TEST_RUN on one CPU (skb->cb carried from
 * one to the other, as targets/emulation/loader.ts does with bpftool).
 *
 * usage: testrun PARSER_PIN MAIN_PIN CPU < ops > results
 * ops, little-endian: 'U' path key value | 'D' path key | 'L' path key |
 * 'P' ifindex data; each of path/key/value/data is a u32 length and bytes.
 * results: per op an i32 status (0 ok, else -errno), then for 'L' a blob
 * (u32 length and bytes, length 0 when absent), for 'P' i32 parser rc,
 * i32 main rc (-1 when not run), the 20-byte cb after the last program and
 * a blob with the packet.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/bpf.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SKB_SIZE 192
#define SKB_IFINDEX 40
#define SKB_CB 48
#define CB_SIZE 20
#define MAX_PKT 65536

static long sys_bpf(int cmd, union bpf_attr *a) { return syscall(__NR_bpf, cmd, a, sizeof(*a)); }

static int obj_get(const char *path) {
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.pathname = (uint64_t)(uintptr_t)path;
	return (int)sys_bpf(BPF_OBJ_GET, &a);
}

static uint8_t *in_buf;
static size_t in_len, in_pos;

static int rd(void *p, size_t n) {
	if (in_pos + n > in_len) return -1;
	memcpy(p, in_buf + in_pos, n);
	in_pos += n;
	return 0;
}
static uint8_t *blob(uint32_t *n) {
	if (rd(n, 4)) return NULL;
	if (in_pos + *n > in_len) return NULL;
	uint8_t *p = in_buf + in_pos;
	in_pos += *n;
	return p;
}
static void wr(const void *p, size_t n) { fwrite(p, 1, n, stdout); }
static void wr32(int32_t v) { wr(&v, 4); }

static int test_run(int fd, const uint8_t *data, uint32_t len, uint8_t *out, uint32_t *outlen, uint8_t *ctx_in, uint8_t *ctx_out, int32_t *rc) {
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = fd;
	a.test.data_in = (uint64_t)(uintptr_t)data;
	a.test.data_size_in = len;
	a.test.data_out = (uint64_t)(uintptr_t)out;
	a.test.data_size_out = MAX_PKT;
	a.test.ctx_in = (uint64_t)(uintptr_t)ctx_in;
	a.test.ctx_size_in = SKB_SIZE;
	a.test.ctx_out = (uint64_t)(uintptr_t)ctx_out;
	a.test.ctx_size_out = SKB_SIZE;
	a.test.repeat = 1;
	if (sys_bpf(BPF_PROG_TEST_RUN, &a)) return -errno;
	*outlen = a.test.data_size_out;
	*rc = (int32_t)a.test.retval;
	return 0;
}

int main(int argc, char **argv) {
	if (argc != 4) return 2;
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(atoi(argv[3]), &set);
	if (sched_setaffinity(0, sizeof(set), &set)) { perror("sched_setaffinity"); return 2; }
	int parser = obj_get(argv[1]), mainp = obj_get(argv[2]);
	if (parser < 0 || mainp < 0) { perror("BPF_OBJ_GET"); return 2; }
	size_t cap = 1 << 20;
	in_buf = malloc(cap);
	for (;;) {
		if (in_len == cap) in_buf = realloc(in_buf, cap *= 2);
		ssize_t r = read(0, in_buf + in_len, cap - in_len);
		if (r <= 0) break;
		in_len += (size_t)r;
	}
	static uint8_t mid[MAX_PKT], out[MAX_PKT], val[MAX_PKT], path[4096];
	uint8_t op;
	while (rd(&op, 1) == 0) {
		if (op == 'U' || op == 'D' || op == 'L') {
			uint32_t pl, kl, vl = 0;
			uint8_t *p = blob(&pl), *k = blob(&kl), *v = op == 'U' ? blob(&vl) : NULL;
			if (!p || !k || (op == 'U' && !v) || pl >= sizeof(path)) return 2;
			memcpy(path, p, pl);
			path[pl] = 0;
			int fd = obj_get((char *)path);
			if (fd < 0) { wr32(-errno); if (op == 'L') wr32(0); continue; }
			union bpf_attr a;
			memset(&a, 0, sizeof(a));
			a.map_fd = fd;
			a.key = (uint64_t)(uintptr_t)k;
			long rc;
			if (op == 'U') { a.value = (uint64_t)(uintptr_t)v; a.flags = BPF_ANY; rc = sys_bpf(BPF_MAP_UPDATE_ELEM, &a); }
			else if (op == 'D') rc = sys_bpf(BPF_MAP_DELETE_ELEM, &a);
			else { a.value = (uint64_t)(uintptr_t)val; rc = sys_bpf(BPF_MAP_LOOKUP_ELEM, &a); }
			int e = rc ? -errno : 0;
			close(fd);
			wr32(e);
			if (op == 'L') {
				if (e) { wr32(0); continue; }
				struct bpf_map_info info;
				union bpf_attr ia;
				memset(&info, 0, sizeof(info));
				memset(&ia, 0, sizeof(ia));
				int fd2 = obj_get((char *)path);
				ia.info.bpf_fd = fd2;
				ia.info.info_len = sizeof(info);
				ia.info.info = (uint64_t)(uintptr_t)&info;
				uint32_t n = sys_bpf(BPF_OBJ_GET_INFO_BY_FD, &ia) ? 0 : info.value_size;
				close(fd2);
				wr32((int32_t)n);
				wr(val, n);
			}
			continue;
		}
		if (op != 'P') return 2;
		uint32_t ifindex, len;
		uint8_t *d;
		if (rd(&ifindex, 4) || !(d = blob(&len))) return 2;
		uint8_t ctx[SKB_SIZE], ctx1[SKB_SIZE], ctx2[SKB_SIZE], ctx3[SKB_SIZE];
		memset(ctx, 0, sizeof(ctx));
		memcpy(ctx + SKB_IFINDEX, &ifindex, 4);
		uint32_t midlen = 0, outlen = 0;
		int32_t prc = 0, mrc = -1;
		int e = test_run(parser, d, len, mid, &midlen, ctx, ctx1, &prc);
		if (e) { wr32(e); continue; }
		if (prc != 3 /* TC_ACT_PIPE */) {
			wr32(0); wr32(prc); wr32(mrc); wr(ctx1 + SKB_CB, CB_SIZE); wr32((int32_t)midlen); wr(mid, midlen);
			continue;
		}
		memset(ctx2, 0, sizeof(ctx2));
		memcpy(ctx2 + SKB_IFINDEX, &ifindex, 4);
		memcpy(ctx2 + SKB_CB, ctx1 + SKB_CB, CB_SIZE);
		e = test_run(mainp, mid, midlen, out, &outlen, ctx2, ctx3, &mrc);
		if (e) { wr32(e); continue; }
		wr32(0); wr32(prc); wr32(mrc); wr(ctx3 + SKB_CB, CB_SIZE); wr32((int32_t)outlen); wr(out, outlen);
	}
	fflush(stdout);
	return 0;
}
