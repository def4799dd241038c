// Pooled empty network namespaces for the box server (arbiter-box-init) when it runs as root.
//
// Creating a network namespace and tearing it down (copy_net_ns, then the cleanup_net worker) was ~12% of a
// box's CPU. So the root server keeps namespaces it made itself (unshare(CLONE_NEWNET), one fd each) and clones a
// box into one of them (setns, then clone without CLONE_NEWNET) instead of a new one each time.
//
// Why no state crosses from one box to the next through a reused namespace:
// - One box at a time: a namespace is handed out again only after the init of the box that had it has been
//   reaped. A pid namespace's init exits only after every other process of the namespace has been reaped
//   (zap_pid_namespace), and boxes cannot leave their pid namespace (seccomp denies unshare/setns, clone takes
//   no namespace flags), so no process of the old box is left and every descriptor it held is closed.
// - No configuration to change: the namespace is owned by the initial user namespace (the server is root there),
//   so a box's root, which is root only in the box's own user namespace, holds no capability over it. Loopback
//   is up (brought up when the namespace is made, so programs can serve on 127.0.0.1 and connect to themselves;
//   the namespace has no other interface, so nothing outside is reachable) and stays up: no address, route,
//   interface, firewall rule or net.* sysctl can be changed, and no raw or packet socket opened, strictly less
//   than in a namespace the box's user namespace owned (where the box's init would hold CAP_NET_ADMIN).
// - What is left is what unprivileged code can do in any namespace: sockets, which close with their process;
//   sockets kept alive in flight (sent over a unix socket and never received) until the unix garbage collector
//   runs; and the protocol counters (/proc/net/snmp: a failed send to an unreachable address counts). Both are
//   checked before reuse: after the box has ended, the server reads the namespace's socket tables and counters
//   (`fingerprint`) and reuses it only if they are exactly as when it was created, else closes it (the kernel
//   frees it) and makes a new one. So a reused namespace is indistinguishable from a fresh one to the next box.
// IPC namespaces are NOT pooled: System V objects outlive their processes.
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

enum { FREE_MAX = 16, LIVE_MAX = 256 };

struct slot {
    int fd;          // open fd of /proc/self/ns/net taken right after creating it
    pid_t pid;       // the init using it (live slots)
    uint64_t print;  // fingerprint when it was created
};

static struct slot free_slots[FREE_MAX], live_slots[LIVE_MAX];
static int nfree, nlive;
static int disabled;  // creating namespaces failed once: every box gets CLONE_NEWNET from then on

/// Files of /proc/self/net that show the namespace's sockets and counters (missing ones, e.g. without IPv6,
/// count as missing each time). Not tcp/tcp6: reading them walks the whole host's TCP hash table (2-4 ms each).
/// A TCP socket outlives its process only once a connection has started (FIN or TIME_WAIT), and every
/// connection sends packets over loopback, which change loopback's packet counters (`dev`) and the Tcp counters
/// (`snmp`): such a namespace is never reused. One kept in flight rides a unix socket, which `unix` shows.
static const char *const kViews[] = {"unix", "udp", "udp6", "raw", "raw6", "packet", "netlink", "snmp", "snmp6",
                                     "netstat", "dev"};

static uint64_t fnv(uint64_t h, const unsigned char *p, size_t n) {
    for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 0x100000001b3ull;
    return h;
}

/// FNV-1a of the contents of `kViews` of the namespace this (single-threaded) process is in.
static uint64_t fingerprint(void) {
    uint64_t h = 0xcbf29ce484222325ull;
    unsigned char buf[16384];
    for (size_t i = 0; i < sizeof kViews / sizeof *kViews; i++) {
        char path[64] = "/proc/self/net/";
        strncat(path, kViews[i], sizeof path - strlen(path) - 1);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        h = fnv(h, (const unsigned char *)path, strlen(path));
        if (fd < 0) {
            h = fnv(h, (const unsigned char *)"-", 1);
            continue;
        }
        ssize_t n;
        while ((n = read(fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
            if (n > 0) h = fnv(h, buf, (size_t)n);
        close(fd);
    }
    return h;
}

/// Brings loopback up in the namespace this process is in.
static int loopback_up(void) {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) return -1;
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    strncpy(ifr.ifr_name, "lo", sizeof ifr.ifr_name - 1);
    int rc = ioctl(s, SIOCGIFFLAGS, &ifr);
    if (rc == 0) {
        ifr.ifr_flags |= IFF_UP;
        rc = ioctl(s, SIOCSIFFLAGS, &ifr);
    }
    close(s);
    return rc;
}

/// A new namespace (the process is in it afterwards) with loopback up, or -1.
static int create(struct slot *s) {
    if (unshare(CLONE_NEWNET) != 0 || loopback_up() != 0) return -1;
    s->fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    if (s->fd < 0) return -1;
    s->pid = 0;
    s->print = fingerprint();
    return 0;
}

int csb_netns_enter(void) {
    if (disabled || nlive == LIVE_MAX || geteuid() != 0) return -1;
    struct slot s;
    if (nfree > 0) {
        s = free_slots[--nfree];
        if (setns(s.fd, CLONE_NEWNET) != 0) {
            close(s.fd);
            return -1;
        }
    } else if (create(&s) != 0) {
        disabled = 1;
        return -1;
    }
    s.pid = 0;
    live_slots[nlive++] = s;
    return s.fd;
}

/// The live slot of `fd` or `pid` (the other 0/-1), or -1.
static int find_live(int fd, pid_t pid) {
    for (int i = 0; i < nlive; i++)
        if ((fd >= 0 && live_slots[i].fd == fd) || (pid > 0 && live_slots[i].pid == pid)) return i;
    return -1;
}

static void take_live(int i, struct slot *out) {
    *out = live_slots[i];
    live_slots[i] = live_slots[--nlive];
}

void csb_netns_assign(int fd, pid_t pid) {
    int i = find_live(fd, -1);
    if (i >= 0) live_slots[i].pid = pid;
}

/// Back to the free list if it is as it was made (and there is room), else closed (the kernel frees it).
static void give_back(struct slot s) {
    if (nfree < FREE_MAX && setns(s.fd, CLONE_NEWNET) == 0 && fingerprint() == s.print) {
        s.pid = 0;
        free_slots[nfree++] = s;
        return;
    }
    close(s.fd);
}

void csb_netns_unused(int fd) {
    int i = find_live(fd, -1);
    if (i < 0) return;
    struct slot s;
    take_live(i, &s);
    give_back(s);
}

void csb_netns_reaped(pid_t pid) {
    int i = find_live(-1, pid);
    if (i < 0) return;
    struct slot s;
    take_live(i, &s);
    give_back(s);
}
