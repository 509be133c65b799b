/*
 * A delayed link for the failover harness (tests/container/failover-lib.sh, fo_delay): the
 * stand-in for `tc qdisc add ... netem delay`, which this kernel lacks.
 *
 * Why this and not the tc ways: the kernel has no netem, and also no fq, no clsact/ingress qdisc
 * and no tc classifiers at all (only pfifo, bfifo, htb, tbf), so neither netem nor an fq qdisc
 * with a tc BPF program setting earliest departure times can be attached; nftables has no queue
 * expression (NFT_QUEUE is not built). What it has is AF_PACKET and TUN/TAP, which give the same
 * thing as netem in userspace: every Ethernet frame of one host's link, in both directions,
 * held DELAY_MS and then passed on in order. Unlike a TCP relay it keeps the addresses, delays
 * the TCP handshake, ACKs, ARP and the traffic between hosts as well as etcd's, and needs no
 * change of the endpoints the runner is given.
 *
 *   delay-wire run IFACE TAP DELAY_MS
 *       in the bridge's namespace: IFACE is the host's veth end taken off the bridge; TAP is
 *       created here (it vanishes when this process ends) and put on the bridge by the caller.
 *       Frames read from IFACE (AF_PACKET) are written to TAP DELAY_MS later, and the reverse.
 *       Prints "ready" on stdout once both ends are open. At most 4096 frames wait in each
 *       direction (netem's default limit is 1000); more are dropped and counted on stderr.
 *   delay-wire offload off|on IFACE
 *       in IFACE's namespace: checksum, TSO, GSO and GRO offloads off (or on again). Frames must
 *       reach the packet socket whole: with offloads a veth passes 64 KiB GSO frames with
 *       unfinished checksums, which a TAP cannot carry.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/if.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <linux/sockios.h>
#include <net/ethernet.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define SLOTS 4096
#define FRAME 2048

struct slot {
    int64_t due;
    int len;
    unsigned char data[FRAME];
};

struct queue {
    struct slot *slots;
    unsigned head, tail; /* head: next out; tail: next in */
    long dropped;
};

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int ethtool_set(int fd, const char *ifname, uint32_t cmd, uint32_t value)
{
    struct ethtool_value ev = {.cmd = cmd, .data = value};
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
    ifr.ifr_data = (char *)&ev;
    return ioctl(fd, SIOCETHTOOL, &ifr);
}

static int offload(const char *mode, const char *ifname)
{
    uint32_t on = strcmp(mode, "on") == 0;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        perror("delay-wire: socket");
        return 1;
    }
    /* Checksum last when turning on (TSO needs it), first when turning off. */
    static const uint32_t off_order[] = {ETHTOOL_SGRO, ETHTOOL_SGSO, ETHTOOL_STSO, ETHTOOL_STXCSUM};
    static const uint32_t on_order[] = {ETHTOOL_STXCSUM, ETHTOOL_STSO, ETHTOOL_SGSO, ETHTOOL_SGRO};
    const uint32_t *order = on ? on_order : off_order;
    int rc = 0;
    for (int i = 0; i < 4; i++)
        if (ethtool_set(fd, ifname, order[i], on) != 0 && errno != EOPNOTSUPP) {
            fprintf(stderr, "delay-wire: ethtool 0x%x on %s: %s\n", order[i], ifname, strerror(errno));
            rc = 1;
        }
    close(fd);
    return rc;
}

static int open_packet(const char *ifname)
{
    int fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, htons(ETH_P_ALL));
    if (fd < 0) {
        perror("delay-wire: AF_PACKET socket");
        return -1;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
    if (ioctl(fd, SIOCGIFINDEX, &ifr) != 0) {
        fprintf(stderr, "delay-wire: no interface %s: %s\n", ifname, strerror(errno));
        return -1;
    }
    int index = ifr.ifr_ifindex;
    struct sockaddr_ll sll;
    memset(&sll, 0, sizeof sll);
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETH_P_ALL);
    sll.sll_ifindex = index;
    if (bind(fd, (struct sockaddr *)&sll, sizeof sll) != 0) {
        perror("delay-wire: bind");
        return -1;
    }
    /* What this socket sends would otherwise come back to it as "outgoing". */
    int one = 1;
    if (setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one) != 0) {
        perror("delay-wire: PACKET_IGNORE_OUTGOING");
        return -1;
    }
    struct packet_mreq mr;
    memset(&mr, 0, sizeof mr);
    mr.mr_ifindex = index;
    mr.mr_type = PACKET_MR_PROMISC;
    if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr) != 0) {
        perror("delay-wire: promiscuous");
        return -1;
    }
    return fd;
}

static int open_tap(const char *name)
{
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        perror("delay-wire: /dev/net/tun");
        return -1;
    }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
    if (ioctl(fd, TUNSETIFF, &ifr) != 0) {
        perror("delay-wire: TUNSETIFF");
        return -1;
    }
    return fd;
}

/* Read every frame waiting on fd into q, due delay from now. */
static void take(int fd, struct queue *q, int64_t delay)
{
    for (;;) {
        struct slot *s = &q->slots[q->tail % SLOTS];
        unsigned char scratch[FRAME];
        int full = q->tail - q->head >= SLOTS;
        ssize_t n = read(fd, full ? scratch : s->data, FRAME);
        if (n < 0) {
            if (errno != EAGAIN && errno != EINTR && errno != ENETDOWN)
                perror("delay-wire: read");
            return;
        }
        if (full) {
            q->dropped++;
            if (q->dropped % 1000 == 1)
                fprintf(stderr, "delay-wire: queue full, %ld frames dropped\n", q->dropped);
            continue;
        }
        s->len = (int)n;
        s->due = now_ns() + delay;
        q->tail++;
    }
}

/* Write out every frame of q that is due; returns ns until the next one, or -1. */
static int64_t give(int fd, struct queue *q)
{
    int64_t now = now_ns();
    while (q->head != q->tail) {
        struct slot *s = &q->slots[q->head % SLOTS];
        if (s->due > now)
            return s->due - now;
        /* A frame the other end refuses (link down: a partition on top of the delay) is lost,
         * as on a wire. */
        if (write(fd, s->data, (size_t)s->len) < 0 && errno == EAGAIN)
            return 1000000; /* full: retry in 1 ms, keep the order */
        q->head++;
    }
    return -1;
}

static volatile sig_atomic_t stopping;

static void on_term(int sig)
{
    (void)sig;
    stopping = 1;
}

static int run(const char *ifname, const char *tapname, const char *delay_ms)
{
    int64_t delay = strtoll(delay_ms, NULL, 10) * 1000000LL;
    int pkt = open_packet(ifname);
    int tap = open_tap(tapname);
    if (pkt < 0 || tap < 0)
        return 1;
    struct queue to_tap = {.slots = calloc(SLOTS, sizeof(struct slot))};
    struct queue to_pkt = {.slots = calloc(SLOTS, sizeof(struct slot))};
    if (!to_tap.slots || !to_pkt.slots) {
        fprintf(stderr, "delay-wire: out of memory\n");
        return 1;
    }
    signal(SIGTERM, on_term);
    signal(SIGINT, on_term);
    printf("ready\n");
    fflush(stdout);
    while (!stopping) {
        int64_t a = give(tap, &to_tap), b = give(pkt, &to_pkt);
        int64_t wait = a < 0 ? b : b < 0 ? a : a < b ? a : b;
        struct timespec ts = {.tv_sec = wait / 1000000000LL, .tv_nsec = wait % 1000000000LL};
        struct pollfd fds[2] = {{.fd = pkt, .events = POLLIN}, {.fd = tap, .events = POLLIN}};
        if (ppoll(fds, 2, wait < 0 ? NULL : &ts, NULL) < 0 && errno != EINTR) {
            perror("delay-wire: ppoll");
            return 1;
        }
        if (fds[0].revents & POLLIN)
            take(pkt, &to_tap, delay);
        if (fds[1].revents & POLLIN)
            take(tap, &to_pkt, delay);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && strcmp(argv[1], "run") == 0)
        return run(argv[2], argv[3], argv[4]);
    if (argc == 4 && strcmp(argv[1], "offload") == 0)
        return offload(argv[2], argv[3]);
    fprintf(stderr, "usage: delay-wire run IFACE TAP DELAY_MS | delay-wire offload off|on IFACE\n");
    return 2;
}
