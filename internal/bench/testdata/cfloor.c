// cfloor is the C floor of internal/bench: what a careful C program on
// libmnl pays for an ethtool dump. It enters a network namespace, resolves
// the ethtool family over nlctrl, then reads commands from stdin, one a
// line: "N W" runs the dump W times untimed, then N times timed (W may be
// left out: 0), and answers with one line
//
//	<nanoseconds for the N dumps> <messages of the last dump> <attributes of the last dump> <checksum> <CPU nanoseconds>
//
// The CPU time is the process's user and system time over the N dumps
// (getrusage), which a loaded machine disturbs less than the wall time.
// Every dump walks every attribute of every reply, nests included (by
// NLA_F_NESTED, which ethtool sets on all of them), and reads each scalar,
// so nothing is skipped that a decoder would have to look at. The time is
// taken inside the program around the timed dumps alone, so neither the
// pipe nor process start-up counts. The untimed dumps warm the CPU the
// program woke up on: on a virtual machine the first dump after sleeping
// on stdin can take three times as long.
//
// Usage: cfloor NETNS-PATH linkinfo|linkmodes|features compact|verbose
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/resource.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>

// The kernel sizes dump datagrams by the largest read buffer it has seen,
// up to 32 KiB; a buffer that size gets the fewest datagrams.
#define RECV_SIZE 32768

struct walk {
	uint16_t family;
	uint64_t msgs, attrs, sum;
};

static long long cpu_ns(void) {
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000LL +
	       (long long)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000LL;
}

static void die(const char *what) {
	fprintf(stderr, "cfloor: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int attr_cb(const struct nlattr *a, void *data) {
	struct walk *w = data;
	const void *p = mnl_attr_get_payload(a);
	uint16_t len = mnl_attr_get_payload_len(a);

	w->attrs++;
	if (a->nla_type & NLA_F_NESTED)
		return mnl_attr_parse_nested(a, attr_cb, w);
	switch (len) {
	case 0:
		w->sum += 1;
		break;
	case 1:
		w->sum += *(const uint8_t *)p;
		break;
	case 2:
		w->sum += mnl_attr_get_u16(a);
		break;
	case 4:
		w->sum += mnl_attr_get_u32(a);
		break;
	case 8:
		w->sum += mnl_attr_get_u64(a);
		break;
	default: // strings and binaries: their length and first byte
		w->sum += len + *(const uint8_t *)p;
		break;
	}
	return MNL_CB_OK;
}

static int msg_cb(const struct nlmsghdr *nlh, void *data) {
	struct walk *w = data;
	if (nlh->nlmsg_type != w->family)
		return MNL_CB_OK;
	w->msgs++;
	return mnl_attr_parse(nlh, GENL_HDRLEN, attr_cb, w);
}

static int family_cb(const struct nlattr *a, void *data) {
	if (mnl_attr_get_type(a) == CTRL_ATTR_FAMILY_ID)
		*(uint16_t *)data = mnl_attr_get_u16(a);
	return MNL_CB_OK;
}

static int family_msg_cb(const struct nlmsghdr *nlh, void *data) {
	return mnl_attr_parse(nlh, GENL_HDRLEN, family_cb, data);
}

// run sends one request and feeds every reply to cb until the end.
static void run(struct mnl_socket *nl, char *buf, struct nlmsghdr *nlh, mnl_cb_t cb, void *data) {
	unsigned int portid = mnl_socket_get_portid(nl);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		die("sendto");
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, RECV_SIZE);
		if (n < 0)
			die("recvfrom");
		int r = mnl_cb_run(buf, n, nlh->nlmsg_seq, portid, cb, data);
		if (r == MNL_CB_STOP)
			return;
		if (r < 0)
			die("mnl_cb_run");
	}
}

// dump runs the op's dump once, walking every reply into w.
static void dump(struct mnl_socket *nl, char *buf, char *req, uint16_t family, uint8_t cmd, uint32_t flags,
		 uint32_t seq, struct walk *w) {
	w->msgs = w->attrs = w->sum = 0;
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = cmd;
	g->version = ETHTOOL_GENL_VERSION;
	// Every op's header attribute is 1.
	struct nlattr *hdr = mnl_attr_nest_start(nlh, ETHTOOL_A_LINKINFO_HEADER);
	if (flags)
		mnl_attr_put_u32(nlh, ETHTOOL_A_HEADER_FLAGS, flags);
	mnl_attr_nest_end(nlh, hdr);
	run(nl, buf, nlh, msg_cb, w);
}

int main(int argc, char **argv) {
	if (argc != 4) {
		fprintf(stderr, "usage: cfloor NETNS-PATH linkinfo|linkmodes|features compact|verbose\n");
		return 2;
	}
	uint8_t cmd;
	if (!strcmp(argv[2], "linkinfo"))
		cmd = ETHTOOL_MSG_LINKINFO_GET;
	else if (!strcmp(argv[2], "linkmodes"))
		cmd = ETHTOOL_MSG_LINKMODES_GET;
	else if (!strcmp(argv[2], "features"))
		cmd = ETHTOOL_MSG_FEATURES_GET;
	else {
		fprintf(stderr, "cfloor: unknown op %s\n", argv[2]);
		return 2;
	}
	uint32_t flags = strcmp(argv[3], "compact") ? 0 : ETHTOOL_FLAG_COMPACT_BITSETS;

	int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET) < 0)
		die(argv[1]);
	close(fd);

	struct mnl_socket *nl = mnl_socket_open(NETLINK_GENERIC);
	if (!nl)
		die("mnl_socket_open");
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0)
		die("mnl_socket_bind");

	static char buf[RECV_SIZE];
	static char req[512];
	uint32_t seq = (uint32_t)time(NULL);

	// Resolve the family, as every ethtool client does first.
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++seq;
	struct genlmsghdr *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, ETHTOOL_GENL_NAME);
	uint16_t family = 0;
	run(nl, buf, nlh, family_msg_cb, &family);
	if (!family) {
		fprintf(stderr, "cfloor: no ethtool family\n");
		return 1;
	}

	char line[64];
	while (fgets(line, sizeof(line), stdin)) {
		char *end;
		long n = strtol(line, &end, 10);
		long warm = strtol(end, NULL, 10);
		struct walk w = {.family = family};
		for (long i = 0; i < warm; i++) {
			dump(nl, buf, req, family, cmd, flags, ++seq, &w);
		}
		struct timespec t0, t1;
		long long c0 = cpu_ns();
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (long i = 0; i < n; i++) {
			dump(nl, buf, req, family, cmd, flags, ++seq, &w);
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		long long cpu = cpu_ns() - c0;
		long long ns = (long long)(t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec);
		printf("%lld %llu %llu %llu %lld\n", ns, (unsigned long long)w.msgs,
		       (unsigned long long)w.attrs, (unsigned long long)w.sum, cpu);
		fflush(stdout);
	}
	mnl_socket_close(nl);
	return 0;
}
