// Starting boxes through a small exec'd helper (`arbiter-box-init`) instead of clones of the supervisor: no page
// table of a large supervisor (a trainer holding gigabytes) is copied and no copy-on-write fault follows. The
// helper is a server, exec'd once (vfork+exec) and kept: each box is a request over a SOCK_SEQPACKET socket (the
// serialized config, the box's pipes attached); the server joins the box's cgroup, clones the init into its new
// namespaces and answers with the init's pid and pidfd. So a box costs a clone of a small process, not an exec
// (loading the helper's shared libraries took 3-25 ms a box). As root, it also keeps a pool of empty network
// namespaces (netns.c).
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char helper_path[4096];
static pthread_mutex_t helper_lock = PTHREAD_MUTEX_INITIALIZER;

void csb_set_init_helper(const char *path) {
    pthread_mutex_lock(&helper_lock);
    snprintf(helper_path, sizeof helper_path, "%s", path ? path : "");
    pthread_mutex_unlock(&helper_lock);
}

int csb_init_helper(char *out, size_t cap) {
    pthread_mutex_lock(&helper_lock);
    snprintf(out, cap, "%s", helper_path);
    pthread_mutex_unlock(&helper_lock);
    return out[0] != 0;
}

// MARK: - serialization (u32/u64 native order: writer and reader are the same build on the same machine)

struct wbuf { unsigned char *p; size_t len, cap; int failed; };

static void put(struct wbuf *w, const void *data, size_t n) {
    if (w->failed) return;
    if (w->len + n > w->cap) {
        size_t cap = (w->cap ? w->cap * 2 : 4096) + n;
        unsigned char *grown = realloc(w->p, cap);
        if (!grown) { w->failed = 1; return; }
        w->p = grown;
        w->cap = cap;
    }
    memcpy(w->p + w->len, data, n);
    w->len += n;
}

static void put_u64(struct wbuf *w, uint64_t v) { put(w, &v, sizeof v); }
static void put_str(struct wbuf *w, const char *s) {
    uint64_t n = s ? strlen(s) : 0;
    put_u64(w, n);
    put(w, s, n);
}

static const uint64_t kMagic = 0x6172626974657233ull;  // "arbiter3"

static int serialize(const csb_config *c, int flags, int root_mode, int has_stdin, const struct csb_cgroup *cg,
                     struct wbuf *w) {
    put_u64(w, kMagic);
    put_u64(w, (uint64_t)root_mode);
    // The v1 cgroup the helper joins itself (empty strings: none, the supervisor attaches the init by pid).
    put_str(w, cg ? cg->memory : "");
    put_str(w, cg ? cg->pids : "");
    put_str(w, cg ? cg->cpu : "");
    put_u64(w, (uint64_t)has_stdin);
    put_u64(w, (uint64_t)(unsigned)flags);
    put_str(w, c->executable);
    put_u64(w, c->argc);
    for (size_t i = 0; i < c->argc; i++) put_str(w, c->argv[i]);
    put_u64(w, c->envc);
    for (size_t i = 0; i < c->envc; i++) put_str(w, c->envp[i]);
    put_u64(w, c->nmounts);
    for (size_t i = 0; i < c->nmounts; i++) {
        put_str(w, c->mounts[i].source);
        put_str(w, c->mounts[i].target);
        put_u64(w, (uint64_t)c->mounts[i].flags);
    }
    uint64_t nums[] = {c->work_bytes, c->tmp_bytes, c->shm_bytes, c->cpu_seconds, c->as_bytes, c->fsize_bytes,
                       c->nofile, c->nproc, c->stack_bytes, c->options};
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++) put_u64(w, nums[i]);
    uint64_t flen = c->filter ? c->filter->len : 0;
    put_u64(w, flen);
    if (flen) put(w, c->filter->code, flen * sizeof(struct sock_filter));
    return w->failed ? -1 : 0;
}

// MARK: - deserialization (from one received message)

struct rbuf { const unsigned char *p; size_t left; int failed; };

static void take(struct rbuf *r, void *out, size_t n) {
    if (r->failed || r->left < n) { r->failed = 1; memset(out, 0, n); return; }
    memcpy(out, r->p, n);
    r->p += n;
    r->left -= n;
}

static uint64_t get_u64(struct rbuf *r) {
    uint64_t v;
    take(r, &v, sizeof v);
    return v;
}

static char *get_str(struct rbuf *r) {
    uint64_t n = get_u64(r);
    if (r->failed || n > r->left) { r->failed = 1; return NULL; }
    char *s = malloc(n + 1);
    if (!s) { r->failed = 1; return NULL; }
    take(r, s, n);
    s[n] = 0;
    return s;
}

/// One box request as the server reads it.
struct request {
    uint64_t root_mode, has_stdin, flags;
    char *cg_memory, *cg_pids, *cg_cpu;
    csb_config *config;
};

static void request_free(struct request *q) {
    free(q->cg_memory);
    free(q->cg_pids);
    free(q->cg_cpu);
    if (q->config) {
        csb_filter *f = (csb_filter *)q->config->filter;
        if (f) { free(f->code); free(f); }
        csb_config_free(q->config);
    }
    memset(q, 0, sizeof *q);
}

static int parse_request(const unsigned char *data, size_t len, struct request *q) {
    struct rbuf r = {data, len, 0};
    memset(q, 0, sizeof *q);
    if (get_u64(&r) != kMagic) return -1;
    q->root_mode = get_u64(&r);
    q->cg_memory = get_str(&r);
    q->cg_pids = get_str(&r);
    q->cg_cpu = get_str(&r);
    q->has_stdin = get_u64(&r);
    q->flags = get_u64(&r);
    csb_config *c = q->config = csb_config_new();
    if (!c || r.failed) return -1;
    char *s = get_str(&r);
    if (!s) return -1;
    csb_config_set_executable(c, s);
    free(s);
    for (uint64_t i = 0, n = get_u64(&r); i < n && !r.failed; i++) {
        if (!(s = get_str(&r))) return -1;
        csb_config_add_arg(c, s);
        free(s);
    }
    for (uint64_t i = 0, n = get_u64(&r); i < n && !r.failed; i++) {
        if (!(s = get_str(&r))) return -1;
        csb_config_add_env(c, s);
        free(s);
    }
    for (uint64_t i = 0, n = get_u64(&r); i < n && !r.failed; i++) {
        char *src = get_str(&r), *dst = get_str(&r);
        uint64_t flags = get_u64(&r);
        if (src && dst && !r.failed) csb_config_add_mount(c, src, dst, (int)flags);
        free(src);
        free(dst);
    }
    uint64_t v[10];
    for (int i = 0; i < 10; i++) v[i] = get_u64(&r);
    csb_config_set_tmpfs(c, v[0], v[1], v[2]);
    csb_config_set_rlimits(c, v[3], v[4], v[5], v[6], v[7], v[8]);
    csb_config_set_options(c, (unsigned)v[9]);
    uint64_t flen = get_u64(&r);
    if (r.failed || flen > 65535) return -1;
    if (flen) {
        csb_filter *f = calloc(1, sizeof *f);
        if (!f) return -1;
        f->code = malloc(flen * sizeof(struct sock_filter));
        f->len = (unsigned short)flen;
        csb_config_set_filter(c, f);
        if (!f->code) return -1;
        take(&r, f->code, flen * sizeof(struct sock_filter));
    }
    return r.failed ? -1 : 0;
}

// MARK: - messages with descriptors (SCM_RIGHTS)

ssize_t csb_sendmsg_fds(int sock, const void *data, size_t len, const int *fds, int nfds) {
    if (nfds < 0 || nfds > 8) {
        errno = EINVAL;
        return -1;
    }
    struct iovec iov = {(void *)data, len};
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    char control[CMSG_SPACE(sizeof(int) * 8)];
    memset(control, 0, sizeof control);
    if (nfds > 0) {
        msg.msg_control = control;
        msg.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
        struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
        memcpy(CMSG_DATA(cm), fds, sizeof(int) * (size_t)nfds);
    }
    ssize_t n;
    do n = sendmsg(sock, &msg, MSG_NOSIGNAL); while (n < 0 && errno == EINTR);
    return n;
}

/// Receives one message (CLOEXEC descriptors, at most `maxfds` kept in `fds`, the rest closed). Sets `*truncated`
/// when the message or its descriptors did not fit.
static ssize_t recv_fds(int sock, void *buf, size_t cap, int *fds, int maxfds, int *nfds, int *truncated) {
    struct iovec iov = {buf, cap};
    char control[CMSG_SPACE(sizeof(int) * 8)];
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    ssize_t n;
    do n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC); while (n < 0 && errno == EINTR);
    *nfds = 0;
    *truncated = n >= 0 && (msg.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0;
    if (n < 0) return n;
    for (struct cmsghdr *cm = CMSG_FIRSTHDR(&msg); cm; cm = CMSG_NXTHDR(&msg, cm)) {
        if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS) continue;
        int count = (int)((cm->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        for (int i = 0; i < count; i++) {
            int fd;
            memcpy(&fd, CMSG_DATA(cm) + (size_t)i * sizeof(int), sizeof fd);
            if (*nfds < maxfds) fds[(*nfds)++] = fd;
            else { close(fd); *truncated = 1; }
        }
    }
    return n;
}

// MARK: - server side (arbiter-box-init)

/// The reply to one request: the init's host pid (its pidfd attached) or the failed step.
struct reply {
    int ok;
    int pid;
    csb_error error;
};

enum { SERVER_SOCKET = 3, MAX_REQUEST = 1 << 17 };

/// Moves this (single-threaded) server into a v1 cgroup by writing "0" to `tasks`: the kernel skips the global
/// threadgroup lock (and its RCU grace period, ~1 ms and much more under load) when a task moves itself, which
/// writing another process's pid to `cgroup.procs` always takes. A box's init, cloned right after, is born inside.
static int join_cgroup(const char *dir, csb_error *err) {
    char path[640];
    snprintf(path, sizeof path, "%s/tasks", dir);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    ssize_t n = fd < 0 ? -1 : write(fd, "0", 1);
    int saved = errno;
    if (fd >= 0) close(fd);
    if (n == 1) return 0;
    csb_set_error(err, "write(tasks)", saved, "join the cgroup %s", dir);
    return -1;
}

static void send_reply(const struct reply *rep, int pidfd) {
    csb_sendmsg_fds(SERVER_SOCKET, rep, sizeof *rep, &pidfd, pidfd >= 0 ? 1 : 0);
}

/// Serves one request: joins the box's cgroup, clones the init into new namespaces, returns to its own cgroup.
static void serve(struct request *q, int *fds, int nfds, const char *own_memory, const char *own_pids,
                  const char *own_cpu) {
    struct reply rep;
    memset(&rep, 0, sizeof rep);
    int expected = q->has_stdin ? 5 : 4;
    if (nfds != expected) {
        csb_set_error(&rep.error, "arbiter-box-init", EPROTO, "request with %d descriptors, expected %d", nfds,
                      expected);
        send_reply(&rep, -1);
        return;
    }
    int msg_w = fds[0], ctl_r = fds[1], in = q->has_stdin ? fds[2] : -1;
    int out = fds[nfds - 2], errfd = fds[nfds - 1];
    if ((q->cg_memory[0] && join_cgroup(q->cg_memory, &rep.error) != 0) ||
        (q->cg_pids[0] && join_cgroup(q->cg_pids, &rep.error) != 0) ||
        (q->cg_cpu && q->cg_cpu[0] && join_cgroup(q->cg_cpu, &rep.error) != 0)) {
        csb_error ignored;
        if (own_memory[0]) join_cgroup(own_memory, &ignored);
        if (own_pids[0]) join_cgroup(own_pids, &ignored);
        send_reply(&rep, -1);
        return;
    }
    int pidfd = -1;
    // As root, the box goes into a pooled empty network namespace instead of a new one (see netns.c).
    unsigned long flags = (unsigned long)q->flags;
    int netns = q->root_mode && (flags & CLONE_NEWNET) ? csb_netns_enter() : -1;
    if (netns >= 0) flags &= ~(unsigned long)CLONE_NEWNET;
    // This small process (not the supervisor) clones the box, so the clone copies almost nothing.
    pid_t pid = (pid_t)syscall(SYS_clone, flags | CLONE_PIDFD | SIGCHLD, NULL, &pidfd, NULL, NULL);
    if (pid == 0) csb_child_main(q->config, msg_w, ctl_r, in, out, errfd, (int)q->root_mode);
    int saved = errno;
    if (netns >= 0 && pid > 0) csb_netns_assign(netns, pid);
    if (netns >= 0 && pid < 0) csb_netns_unused(netns);
    csb_error ignored;
    if (q->cg_memory[0] && own_memory[0]) join_cgroup(own_memory, &ignored);
    if (q->cg_pids[0] && own_pids[0]) join_cgroup(own_pids, &ignored);
    if (q->cg_cpu && q->cg_cpu[0] && own_cpu[0]) join_cgroup(own_cpu, &ignored);
    if (pid < 0) {
        csb_set_error(&rep.error, "clone(CLONE_NEWUSER|NEWNS|NEWPID|NEWNET|NEWIPC|NEWUTS)", saved,
                      "cannot create namespaces (user namespaces disabled? see /proc/sys/user/max_user_namespaces)");
        send_reply(&rep, -1);
        return;
    }
    rep.ok = 1;
    rep.pid = pid;
    send_reply(&rep, pidfd);
    close(pidfd);
}

/// The box server: one process, exec'd once, that clones every box the supervisor asks for (so a box costs a
/// clone of this small process, not an exec). Requests arrive on fd 3 (a SOCK_SEQPACKET socket): the serialized
/// config with the box's pipes attached. Ends when the supervisor closes its end. Its inits are its children; it
/// reaps them (their results travel over the box's own message pipe).
int csb_init_main(void) {
    char own_memory[600] = "", own_pids[600] = "", own_cpu[600] = "";
    csb_cgroup_own_dirs(own_memory, own_pids, sizeof own_memory);
    csb_cgroup_own_cpu_dir(own_cpu, sizeof own_cpu);
    unsigned char *buf = malloc(MAX_REQUEST);
    if (!buf) return 121;
    for (;;) {
        for (pid_t done; (done = waitpid(-1, NULL, WNOHANG)) > 0;) csb_netns_reaped(done);
        struct pollfd p = {SERVER_SOCKET, POLLIN, 0};
        int r = poll(&p, 1, 100);
        if (r < 0 && errno != EINTR) return 122;
        if (r <= 0) continue;
        int fds[8], nfds = 0, truncated = 0;
        ssize_t n = recv_fds(SERVER_SOCKET, buf, MAX_REQUEST, fds, 8, &nfds, &truncated);
        if (n <= 0) break;  // the supervisor has gone
        struct request q;
        memset(&q, 0, sizeof q);
        if (truncated || parse_request(buf, (size_t)n, &q) != 0) {
            struct reply rep;
            memset(&rep, 0, sizeof rep);
            csb_set_error(&rep.error, "arbiter-box-init", EPROTO, "bad request (is the helper from another build "
                          "than the supervisor? rebuild arbiter-box-init with it)");
            send_reply(&rep, -1);
        } else {
            serve(&q, fds, nfds, own_memory, own_pids, own_cpu);
        }
        request_free(&q);
        for (int i = 0; i < nfds; i++) close(fds[i]);
    }
    return 0;
}

// MARK: - supervisor side

/// A box server this process started: the default helper and any server a config names (the Python zygote).
struct server {
    char path[4096];
    int fd;      // our end of its socket
    pid_t pid;   // 0 = slot unused
};
enum { MAX_SERVERS = 4 };
static struct server servers[MAX_SERVERS];

struct exec_args {
    const char *path;
    int sock;
};

/// Runs on its own small stack in the supervisor's memory (CLONE_VM) while the supervisor is suspended
/// (CLONE_VFORK): put the socket at fd 3 without CLOEXEC and exec the server.
static int exec_child(void *arg) {
    struct exec_args *a = arg;
    if (dup2(a->sock, SERVER_SOCKET) < 0) _exit(126);
    // The server outlives this call: it must hold nothing of the supervisor's (another thread's pipe to a
    // subprocess, the test runner's stdout), or readers there never see EOF.
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null < 0) _exit(126);
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    syscall(SYS_close_range, SERVER_SOCKET + 1, ~0U, 0);
    const char *name = strrchr(a->path, '/');
    char *argv[] = {(char *)(name ? name + 1 : a->path), NULL};
    char *envp[] = {NULL};
    execve(a->path, argv, envp);
    _exit(127);
}

static void stop_server(struct server *s) {
    if (s->pid <= 0) return;
    close(s->fd);
    kill(s->pid, SIGKILL);
    while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR) {}
    s->pid = 0;
    s->fd = -1;
}

/// The slot of the server for `path`: its running server, else a free slot. When every slot holds another server
/// (helpers switched by tests), the first is stopped, as switching the helper always did.
static struct server *server_slot(const char *path) {
    struct server *free_slot = NULL;
    for (int i = 0; i < MAX_SERVERS; i++) {
        if (servers[i].pid > 0 && strcmp(servers[i].path, path) == 0) return &servers[i];
        if (servers[i].pid <= 0 && !free_slot) free_slot = &servers[i];
    }
    if (!free_slot) {
        stop_server(&servers[0]);
        free_slot = &servers[0];
    }
    return free_slot;
}

/// Starts the server (vfork+exec of `path`) in slot `s`, caller holding helper_lock.
static int start_server(struct server *s, const char *path, csb_error *err) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
        csb_set_error(err, "socketpair", errno, "box server socket");
        return -1;
    }
    struct exec_args a = {path, sv[1]};
    enum { STACK = 64 * 1024 };
    char *stack = malloc(STACK);
    if (!stack) {
        close(sv[0]);
        close(sv[1]);
        csb_set_error(err, "malloc", ENOMEM, "server stack");
        return -1;
    }
    pid_t pid = clone(exec_child, stack + STACK, CLONE_VM | CLONE_VFORK | SIGCHLD, &a);
    int saved = errno;
    free(stack);
    close(sv[1]);
    if (pid < 0) {
        close(sv[0]);
        csb_set_error(err, "clone(CLONE_VM|CLONE_VFORK)", saved, "start %s", path);
        return -1;
    }
    s->fd = sv[0];
    s->pid = pid;
    snprintf(s->path, sizeof s->path, "%s", path);
    return 0;
}

/// One request/reply exchange with a running server; 1 on a reply, 0 when the server has gone, -1 on error.
static int exchange(struct server *s, const struct wbuf *w, const int *fds, int nfds, struct reply *rep,
                    int *pidfd, csb_error *err) {
    *pidfd = -1;
    if (csb_sendmsg_fds(s->fd, w->p, w->len, fds, nfds) < 0) {
        if (errno == EPIPE || errno == ECONNRESET) return 0;
        csb_set_error(err, "sendmsg(box server)", errno, "request");
        return -1;
    }
    struct pollfd p = {s->fd, POLLIN, 0};
    int r;
    do r = poll(&p, 1, 10000); while (r < 0 && errno == EINTR);
    if (r == 0) {
        csb_set_error(err, "arbiter-box-init", ETIMEDOUT, "no answer from the box server %s in 10 s", s->path);
        return -1;
    }
    int got[1], ngot = 0, truncated = 0;
    ssize_t n = recv_fds(s->fd, rep, sizeof *rep, got, 1, &ngot, &truncated);
    if (n == 0 || (n < 0 && errno == ECONNRESET)) return 0;
    if (ngot == 1) *pidfd = got[0];
    if (n != (ssize_t)sizeof *rep || truncated) {
        csb_set_error(err, "recvmsg(box server)", n < 0 ? errno : EPROTO, "reply of %zd bytes", n);
        return -1;
    }
    return 1;
}

int csb_clone_helper(const csb_config *c, int flags, int root_mode, const struct csb_cgroup *cg, int msg_w,
                     int ctl_r, int in, int out, int err_fd, pid_t *pid, int *pidfd, csb_error *err) {
    char path[4096];
    if (c->server) snprintf(path, sizeof path, "%s", c->server);
    else if (!csb_init_helper(path, sizeof path)) {
        errno = ENOENT;
        return 0;  // no helper: the caller clones in-process
    }
    struct wbuf w = {0};
    if (serialize(c, flags, root_mode, in >= 0, cg, &w) != 0 || w.len > MAX_REQUEST) {
        free(w.p);
        csb_set_error(err, "serialize(config)", ENOMEM, "config of %zu bytes (max %d)", w.len, MAX_REQUEST);
        return -1;
    }
    int fds[5], nfds = 0;
    fds[nfds++] = msg_w;
    fds[nfds++] = ctl_r;
    if (in >= 0) fds[nfds++] = in;
    fds[nfds++] = out;
    fds[nfds++] = err_fd;
    struct reply rep;
    int got = -1;
    pthread_mutex_lock(&helper_lock);
    struct server *s = server_slot(path);
    // A server that has died (killed from outside) is replaced once.
    for (int attempt = 0; attempt < 2; attempt++) {
        if (s->pid <= 0 && start_server(s, path, err) != 0) break;
        got = exchange(s, &w, fds, nfds, &rep, pidfd, err);
        if (got != 0) break;
        stop_server(s);
        csb_set_error(err, "arbiter-box-init", EPIPE, "the box server %s ended%s", path,
                      c->server ? " (a profile's `zygote = none` execs the interpreter instead)" : "");
        got = -1;
    }
    pthread_mutex_unlock(&helper_lock);
    free(w.p);
    if (got != 1) return -1;
    if (!rep.ok) {
        *err = rep.error;
        return -1;
    }
    if (*pidfd < 0) {
        csb_set_error(err, "arbiter-box-init", EPROTO, "no pidfd with the box's pid");
        return -1;
    }
    *pid = rep.pid;
    return 1;
}
