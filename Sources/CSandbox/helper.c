// Starting a box through a small exec'd helper (`arbiter-box-init`) instead of a clone of the supervisor: the
// supervisor is vfork-suspended until the helper's execve, so no page table of a large supervisor (a trainer
// holding gigabytes) is copied and no copy-on-write fault follows. The config travels over a pipe; the helper
// clones the box (its init) itself, reports the init's pid, and waits for it.
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static const uint64_t kMagic = 0x6172626974657232ull;  // "arbiter2"

static int serialize(const csb_config *c, int flags, int root_mode, int has_stdin, const struct csb_cgroup *cg,
                     struct wbuf *w) {
    put_u64(w, kMagic);
    put_u64(w, (uint64_t)root_mode);
    // The v1 cgroup the helper joins itself (empty strings: none, the supervisor attaches the init by pid).
    put_str(w, cg ? cg->memory : "");
    put_str(w, cg ? cg->pids : "");
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

static int read_all(int fd, void *buf, size_t n) {
    unsigned char *p = buf;
    while (n) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

static int get_u64(int fd, uint64_t *v) { return read_all(fd, v, sizeof *v); }

static char *get_str(int fd) {
    uint64_t n;
    if (get_u64(fd, &n) || n > (1u << 24)) return NULL;
    char *s = malloc(n + 1);
    if (!s || read_all(fd, s, n)) { free(s); return NULL; }
    s[n] = 0;
    return s;
}

// MARK: - helper side

enum { HELPER_MSG = 3, HELPER_CTL = 4, HELPER_IN = 5, HELPER_OUT = 6, HELPER_ERR = 7, HELPER_CONFIG = 8 };

/// Moves this (single-threaded) helper into the box's v1 cgroup by writing "0" to `tasks`: the kernel skips the
/// global threadgroup lock (and its RCU grace period, ~1 ms and more under load) when a task moves itself, which
/// writing another process's pid to `cgroup.procs` always takes. The box's init, cloned next, is born inside.
static int join_cgroup(const char *dir, csb_error *err) {
    char path[640];
    snprintf(path, sizeof path, "%s/tasks", dir);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    ssize_t n = fd < 0 ? -1 : write(fd, "0", 1);
    int saved = errno;
    if (fd >= 0) close(fd);
    if (n == 1) return 0;
    csb_set_error(err, "write(tasks)", saved, "join the box's cgroup %s", dir);
    return -1;
}

static void report_error(const csb_error *e) {
    struct csb_msg m;
    memset(&m, 0, sizeof m);
    m.kind = CSB_MSG_ERROR;
    m.error = *e;
    ssize_t w = write(HELPER_MSG, &m, sizeof m);
    (void)w;
}

int csb_init_main(void) {
    int fd = HELPER_CONFIG;
    uint64_t magic, root_mode, has_stdin, flags, n;
    if (get_u64(fd, &magic) || magic != kMagic || get_u64(fd, &root_mode)) {
        csb_error e;
        csb_set_error(&e, "arbiter-box-init", EPROTO, "the helper is from another build than the supervisor "
                      "(rebuild arbiter-box-init with it)");
        report_error(&e);
        return 120;
    }
    char *cg_memory = get_str(fd), *cg_pids = get_str(fd);
    if (!cg_memory || !cg_pids || get_u64(fd, &has_stdin) || get_u64(fd, &flags))
        return 120;
    csb_error cg_err;
    if ((cg_memory[0] && join_cgroup(cg_memory, &cg_err) != 0) || (cg_pids[0] && join_cgroup(cg_pids, &cg_err) != 0)) {
        report_error(&cg_err);
        return 123;
    }
    csb_config *c = csb_config_new();
    char *s = get_str(fd);
    if (!s) return 121;
    csb_config_set_executable(c, s);
    free(s);
    if (get_u64(fd, &n)) return 121;
    for (uint64_t i = 0; i < n; i++) {
        if (!(s = get_str(fd))) return 121;
        csb_config_add_arg(c, s);
        free(s);
    }
    if (get_u64(fd, &n)) return 121;
    for (uint64_t i = 0; i < n; i++) {
        if (!(s = get_str(fd))) return 121;
        csb_config_add_env(c, s);
        free(s);
    }
    if (get_u64(fd, &n)) return 121;
    for (uint64_t i = 0; i < n; i++) {
        char *src = get_str(fd), *dst = get_str(fd);
        uint64_t flags;
        if (!src || !dst || get_u64(fd, &flags)) return 121;
        csb_config_add_mount(c, src, dst, (int)flags);
        free(src);
        free(dst);
    }
    uint64_t v[10];
    for (int i = 0; i < 10; i++)
        if (get_u64(fd, &v[i])) return 121;
    csb_config_set_tmpfs(c, v[0], v[1], v[2]);
    csb_config_set_rlimits(c, v[3], v[4], v[5], v[6], v[7], v[8]);
    csb_config_set_options(c, (unsigned)v[9]);
    uint64_t flen;
    if (get_u64(fd, &flen) || flen > 65535) return 121;
    if (flen) {
        csb_filter *f = calloc(1, sizeof *f);
        if (!f) return 121;
        f->code = malloc(flen * sizeof(struct sock_filter));
        f->len = (unsigned short)flen;
        if (!f->code || read_all(fd, f->code, flen * sizeof(struct sock_filter))) return 121;
        csb_config_set_filter(c, f);
    }
    close(fd);
    // This small process (not the supervisor) clones the box, so the clone copies almost nothing.
    pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)flags | SIGCHLD, NULL, NULL, NULL, NULL);
    if (pid == 0)
        csb_child_main(c, HELPER_MSG, HELPER_CTL, has_stdin ? HELPER_IN : -1, HELPER_OUT, HELPER_ERR,
                       (int)root_mode);
    struct csb_msg m;
    memset(&m, 0, sizeof m);
    if (pid < 0) {
        m.kind = CSB_MSG_ERROR;
        csb_set_error(&m.error, "clone(CLONE_NEWUSER|NEWNS|NEWPID|NEWNET|NEWIPC|NEWUTS)", errno,
                      "cannot create namespaces (user namespaces disabled? see /proc/sys/user/max_user_namespaces)");
        ssize_t w = write(HELPER_MSG, &m, sizeof m);
        (void)w;
        return 122;
    }
    if (cg_memory[0]) {
        // In the box's cgroup but never the OOM killer's choice (the init, cloned before this, keeps its score).
        int adj = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
        if (adj >= 0) {
            ssize_t w = write(adj, "-1000", 5);
            (void)w;
            close(adj);
        }
    }
    m.kind = CSB_MSG_PID;
    m.status = pid;
    ssize_t w = write(HELPER_MSG, &m, sizeof m);
    (void)w;
    // Only the box may hold the box's pipes: EOF must mean that the box has gone.
    for (int i = HELPER_MSG; i <= HELPER_ERR; i++) close(i);
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
    return 0;
}

// MARK: - supervisor side

struct exec_args {
    const char *path;
    int fds[6];  // msg, ctl, in (or -1), out, err, config
};

/// Runs on its own small stack in the supervisor's memory (CLONE_VM) while the supervisor is suspended
/// (CLONE_VFORK): put the fds at 3..8 without CLOEXEC and exec the helper.
static int exec_child(void *arg) {
    struct exec_args *a = arg;
    int tmp[6];
    for (int i = 0; i < 6; i++) tmp[i] = a->fds[i] < 0 ? -1 : fcntl(a->fds[i], F_DUPFD_CLOEXEC, 64);
    for (int i = 0; i < 6; i++) {
        if (tmp[i] < 0) continue;
        if (dup2(tmp[i], HELPER_MSG + i) < 0) _exit(126);
    }
    // The helper outlives this call: it must hold nothing of the supervisor's (another thread's pipe to a
    // subprocess, the test runner's stdout), or readers there never see EOF.
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null < 0) _exit(126);
    dup2(null, 0);
    dup2(null, 1);
    dup2(null, 2);
    syscall(SYS_close_range, HELPER_CONFIG + 1, ~0U, 0);
    char *argv[] = {"arbiter-box-init", NULL};
    char *envp[] = {NULL};
    execve(a->path, argv, envp);
    _exit(127);
}

pid_t csb_clone_helper(const csb_config *c, int flags, int root_mode, const struct csb_cgroup *cg, int msg_w,
                       int ctl_r, int in, int out, int err_fd, csb_error *err) {
    char path[4096];
    if (!csb_init_helper(path, sizeof path)) {
        errno = ENOENT;
        return 0;  // no helper: the caller clones in-process
    }
    struct wbuf w = {0};
    if (serialize(c, flags, root_mode, in >= 0, cg, &w) != 0 || w.len > 60000) {
        free(w.p);
        csb_set_error(err, "serialize(config)", ENOMEM, "config of %zu bytes (max 60000)", w.len);
        return -1;
    }
    int cfg[2];
    if (pipe2(cfg, O_CLOEXEC) != 0) {
        free(w.p);
        csb_set_error(err, "pipe2", errno, "config pipe");
        return -1;
    }
    ssize_t wrote = write(cfg[1], w.p, w.len);  // fits in the pipe buffer (64 KiB)
    free(w.p);
    close(cfg[1]);
    if (wrote != (ssize_t)w.len) {
        close(cfg[0]);
        csb_set_error(err, "write(config pipe)", errno, "config");
        return -1;
    }
    struct exec_args a = {path, {msg_w, ctl_r, in, out, err_fd, cfg[0]}};
    enum { STACK = 64 * 1024 };
    char *stack = malloc(STACK);
    if (!stack) {
        close(cfg[0]);
        csb_set_error(err, "malloc", ENOMEM, "helper stack");
        return -1;
    }
    pid_t pid = clone(exec_child, stack + STACK, CLONE_VM | CLONE_VFORK | SIGCHLD, &a);
    int saved = errno;
    free(stack);
    close(cfg[0]);
    if (pid < 0) {
        csb_set_error(err, "clone(CLONE_VM|CLONE_VFORK)", saved, "start %s", path);
        return -1;
    }
    return pid;
}
