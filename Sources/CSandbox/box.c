// The supervisor side of a box: clone into new namespaces, write the id maps, attach the cgroup, exchange files
// through /proc/<init>/root/work without following symlinks, and supervise the program with poll().
#include "internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <poll.h>
#include <pthread.h>
#include <spawn.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const int kNamespaces = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC |
                               CLONE_NEWUTS;

static uint64_t now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void close_fd(int *fd) {
    if (*fd >= 0) close(*fd);
    *fd = -1;
}

static int write_proc(pid_t pid, const char *name, const char *text, csb_error *err) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, name);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
        csb_set_error(err, "open(id map)", errno, "%s", path);
        return -1;
    }
    ssize_t n = write(fd, text, strlen(text));
    int saved = errno;
    close(fd);
    if (n != (ssize_t)strlen(text)) {
        csb_set_error(err, "write(id map)", saved, "%s <- %s", path, text);
        return -1;
    }
    return 0;
}

static uint32_t outside_id(pid_t pid, int program) { return CSB_OUTSIDE_BASE + 2u * (uint32_t)pid + (uint32_t)program; }

static int write_maps(pid_t pid, int root_mode, csb_error *err) {
    char map[128];
    if (root_mode) {
        snprintf(map, sizeof map, "0 %u 1\n%d %u 1\n", outside_id(pid, 0), CSB_INSIDE_ID, outside_id(pid, 1));
        if (write_proc(pid, "uid_map", map, err) != 0) return -1;
        return write_proc(pid, "gid_map", map, err);
    }
    snprintf(map, sizeof map, "%d %d 1\n", CSB_INSIDE_ID, (int)geteuid());
    if (write_proc(pid, "uid_map", map, err) != 0) return -1;
    if (write_proc(pid, "setgroups", "deny", err) != 0) return -1;
    snprintf(map, sizeof map, "%d %d 1\n", CSB_INSIDE_ID, (int)getegid());
    return write_proc(pid, "gid_map", map, err);
}

/// Reads one message, waiting at most `timeout_ms` (-1: forever). Returns 1, 0 on EOF, -1 on timeout or error.
static int read_msg(int fd, struct csb_msg *m, int timeout_ms) {
    struct pollfd p = {fd, POLLIN, 0};
    int r;
    do r = poll(&p, 1, timeout_ms); while (r < 0 && errno == EINTR);
    if (r <= 0) return -1;
    ssize_t n;
    do n = read(fd, m, sizeof *m); while (n < 0 && errno == EINTR);
    if (n == 0) return 0;
    return n == (ssize_t)sizeof *m ? 1 : -1;
}


static pthread_once_t sigpipe_once = PTHREAD_ONCE_INIT;
/// Writing to a pipe whose box has gone must be an EPIPE error, not a SIGPIPE that kills the supervisor.
static void ignore_sigpipe(void) { signal(SIGPIPE, SIG_IGN); }

int csb_box_start(const csb_config *c, csb_box **out, csb_error *err) {
    *out = NULL;
    if (!c->executable || c->argc == 0) {
        csb_set_error(err, "config", EINVAL, "no executable/argv");
        return -1;
    }
    pthread_once(&sigpipe_once, ignore_sigpipe);
    csb_box *b = calloc(1, sizeof *b);
    if (!b) {
        csb_set_error(err, "calloc", ENOMEM, "box");
        return -1;
    }
    b->pid = b->child = -1;
    b->pidfd = -1;
    b->msg_fd = b->ctl_fd = b->stdin_fd = b->stdout_fd = b->stderr_fd = b->work_fd = -1;
    b->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (b->wake_fd < 0) {
        csb_set_error(err, "eventfd", errno, "box wake-up");
        free(b);
        return -1;
    }
    int root_mode = geteuid() == 0;
    int msg[2] = {-1, -1}, ctl[2] = {-1, -1}, in[2] = {-1, -1}, outp[2] = {-1, -1}, errp[2] = {-1, -1};
    int child_in = c->stdin_fd, child_out = c->stdout_fd, child_err = c->stderr_fd;

    if (c->memory_bytes || c->pids_max) {
        if (csb_cgroup_create(&b->cg, c->memory_bytes, c->pids_max, c->cpu_millicores, err) != 0) {
            if (!(c->options & CSB_ALLOW_NO_CGROUP)) goto fail;
            memset(&b->cg, 0, sizeof b->cg);  // explicitly allowed: limits hold per process only
        }
    }
    if (pipe2(msg, O_CLOEXEC) || pipe2(ctl, O_CLOEXEC) || (c->stdin_fd == -1 && pipe2(in, O_CLOEXEC)) ||
        (c->stdout_fd == -1 && pipe2(outp, O_CLOEXEC)) || (c->stderr_fd == -1 && pipe2(errp, O_CLOEXEC))) {
        csb_set_error(err, "pipe2", errno, "box pipes");
        goto fail;
    }
    if (c->stdin_fd == -1) child_in = in[0];
    if (c->stdout_fd == -1) child_out = outp[1];
    if (c->stderr_fd == -1) child_err = errp[1];

    const struct csb_cgroup *joined = b->cg.active && !b->cg.v2 ? &b->cg : NULL;
    pid_t pid = -1;
    int helper = csb_clone_helper(c, kNamespaces, root_mode, joined, msg[1], ctl[0], child_in < 0 ? -1 : child_in,
                                  child_out, child_err, &pid, &b->pidfd, err);
    if (helper < 0) goto fail;
    if (helper == 0) {
        pid = (pid_t)syscall(SYS_clone, kNamespaces | SIGCHLD, NULL, NULL, NULL, NULL);
        if (pid < 0) {
            csb_set_error(err, "clone(CLONE_NEWUSER|NEWNS|NEWPID|NEWNET|NEWIPC|NEWUTS)", errno,
                          "cannot create namespaces (user namespaces disabled? see /proc/sys/user/max_user_namespaces)");
            goto fail;
        }
        if (pid == 0) csb_child_main(c, msg[1], ctl[0], child_in, child_out, child_err, root_mode);
        b->child = pid;
    }
    b->pid = pid;
    if (b->pidfd < 0) b->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (b->pidfd < 0) {
        csb_set_error(err, "pidfd_open", errno, "box init %d", (int)pid);
        goto fail;
    }
    close(msg[1]); close(ctl[0]); close(in[0]); close(outp[1]); close(errp[1]);
    msg[1] = ctl[0] = in[0] = outp[1] = errp[1] = -1;
    b->msg_fd = msg[0];
    b->ctl_fd = ctl[1];
    b->stdin_fd = in[1];
    b->stdout_fd = outp[0];
    b->stderr_fd = errp[0];
    if (b->stdin_fd >= 0) fcntl(b->stdin_fd, F_SETFL, O_NONBLOCK);
    if (b->stdout_fd >= 0) fcntl(b->stdout_fd, F_SETFL, O_NONBLOCK);
    if (b->stderr_fd >= 0) fcntl(b->stderr_fd, F_SETFL, O_NONBLOCK);

    if (write_maps(pid, root_mode, err) != 0) goto fail;
    if (write(b->ctl_fd, "g", 1) != 1) {
        csb_set_error(err, "write(ctl)", errno, "release the box");
        goto fail;
    }
    // Attaching to a v1 memory cgroup waits for an RCU grace period (milliseconds): do it while the box builds its
    // file system. The program itself starts only after this function returns.
    if (b->cg.active && (helper == 0 || b->cg.v2) && csb_cgroup_attach(&b->cg, pid, err) != 0) goto fail;
    struct csb_msg m;
    int r = read_msg(b->msg_fd, &m, 10000);
    if (r != 1 || m.kind != CSB_MSG_READY) {
        if (r == 1 && m.kind == CSB_MSG_ERROR) *err = m.error;
        else csb_set_error(err, "box set-up", 0, r == 0 ? "the box died during set-up" : "no answer in 10 s");
        goto fail;
    }
    char work[64];
    snprintf(work, sizeof work, "/proc/%d/root/work", (int)pid);
    b->work_fd = open(work, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (b->work_fd < 0) {
        csb_set_error(err, "open(/proc/pid/root/work)", errno, "%s", work);
        goto fail;
    }
    *out = b;
    return 0;
fail:
    close_fd(&msg[0]); close_fd(&msg[1]); close_fd(&ctl[0]); close_fd(&ctl[1]);
    close_fd(&in[0]); close_fd(&in[1]); close_fd(&outp[0]); close_fd(&outp[1]); close_fd(&errp[0]);
    close_fd(&errp[1]);
    b->msg_fd = b->ctl_fd = b->stdin_fd = b->stdout_fd = b->stderr_fd = -1;
    csb_box_destroy(b);
    return -1;
}

// MARK: - files

/// Accepts "a", "a/b.txt"; rejects "", absolute paths, "." and ".." components, empty components.
static int valid_relative(const char *rel) {
    if (!rel || !*rel || rel[0] == '/' || strlen(rel) > 1024) return 0;
    const char *p = rel;
    while (*p) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.')) return 0;
        p += n;
        if (*p == '/') p++;
        if (e && !*p) return 0;  // trailing slash
    }
    return 1;
}

static int open_beneath(int dirfd, const char *rel, int flags, unsigned mode) {
    struct open_how how;
    memset(&how, 0, sizeof how);
    how.flags = (uint64_t)(flags | O_CLOEXEC | O_NOFOLLOW);
    how.mode = (flags & O_CREAT) ? mode : 0;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;
    return (int)syscall(SYS_openat2, dirfd, rel, &how, sizeof how);
}

/// Creates the file (and parents) as the program's outside uid: a tmpfs mounted in the box's user namespace cannot
/// hold inodes owned by ids unmapped there (host root), so the supervisor thread switches its fsuid (per thread).
static int write_file_as_owner(csb_box *b, const char *rel, const void *data, size_t len, unsigned mode,
                               csb_error *err) {
    char prefix[1100];
    snprintf(prefix, sizeof prefix, "%s", rel);
    for (char *s = strchr(prefix, '/'); s; s = strchr(s + 1, '/')) {
        *s = 0;
        int d = open_beneath(b->work_fd, prefix, O_PATH | O_DIRECTORY, 0);
        if (d >= 0) {
            close(d);
        } else if (mkdirat(b->work_fd, prefix, 0755) != 0) {
            csb_set_error(err, "mkdirat", errno, "%s", prefix);
            return -1;
        }
        *s = '/';
    }
    int fd = open_beneath(b->work_fd, rel, O_WRONLY | O_CREAT | O_TRUNC, mode & 0777);
    if (fd < 0) {
        csb_set_error(err, "openat2(work file)", errno, "%s", rel);
        return -1;
    }
    const unsigned char *p = data;
    size_t left = len;
    while (left) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            csb_set_error(err, "write(work file)", errno, "%s (work tmpfs full?)", rel);
            close(fd);
            return -1;
        }
        p += n;
        left -= (size_t)n;
    }
    fchmod(fd, mode & 0777);
    close(fd);
    return 0;
}

int csb_box_write_file(csb_box *b, const char *rel, const void *data, size_t len, unsigned mode, csb_error *err) {
    if (!valid_relative(rel)) {
        csb_set_error(err, "write_file", EINVAL, "bad relative path '%s' (no absolute paths, '.' or '..')",
                      rel ? rel : "(null)");
        return -1;
    }
    int root = geteuid() == 0;
    if (root) {
        syscall(SYS_setfsgid, outside_id(b->pid, 1));
        syscall(SYS_setfsuid, outside_id(b->pid, 1));
    }
    int rc = write_file_as_owner(b, rel, data, len, mode, err);
    if (root) {
        syscall(SYS_setfsuid, 0);
        syscall(SYS_setfsgid, 0);
    }
    return rc;
}

int csb_box_read_file(csb_box *b, const char *rel, size_t cap, unsigned char **data, size_t *len, csb_error *err) {
    *data = NULL;
    *len = 0;
    if (!valid_relative(rel)) {
        csb_set_error(err, "read_file", EINVAL, "bad relative path '%s'", rel ? rel : "(null)");
        return -1;
    }
    int fd = open_beneath(b->work_fd, rel, O_RDONLY | O_NONBLOCK, 0);
    if (fd < 0) {
        csb_set_error(err, "openat2(work file)", errno, "%s%s", rel, errno == ELOOP ? " is a symlink" : "");
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        csb_set_error(err, "fstat(work file)", errno, "%s is not a regular file", rel);
        close(fd);
        return -1;
    }
    if ((size_t)st.st_size > cap) {
        csb_set_error(err, "read_file", EFBIG, "%s has %lld bytes, cap %zu", rel, (long long)st.st_size, cap);
        close(fd);
        return -1;
    }
    unsigned char *buf = malloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (buf && got < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        got += (size_t)n;
    }
    close(fd);
    if (!buf) {
        csb_set_error(err, "malloc", ENOMEM, "%s", rel);
        return -1;
    }
    *data = buf;
    *len = got;
    return 0;
}

// MARK: - supervision

struct sink {
    int *fd;
    unsigned char *buf;
    size_t len, cap;
    int overflow;
};

/// Reads what is available; returns 1 while open, 0 at EOF.
static int drain(struct sink *s) {
    unsigned char chunk[65536];
    for (;;) {
        ssize_t n = read(*s->fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return 1;  // EAGAIN
        if (n == 0) {
            close_fd(s->fd);
            return 0;
        }
        size_t keep = (size_t)n;
        if (s->len + keep > s->cap) {
            keep = s->cap - s->len;
            s->overflow = 1;
        }
        if (keep) {
            unsigned char *grown = realloc(s->buf, s->len + keep);
            if (!grown) return 1;
            memcpy(grown + s->len, chunk, keep);
            s->buf = grown;
            s->len += keep;
        }
        if (s->overflow) return 1;
    }
}

static ssize_t read_text(const char *path, char *buf, size_t cap) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, buf, cap - 1) : -1;
    if (fd >= 0) close(fd);
    buf[n > 0 ? n : 0] = 0;
    return n;
}

// Adds the CPU time (user, system) and the largest peak resident set of `pid` (unless `self` is 0) and of its
// descendants, read from /proc: utime/stime in clock ticks, VmHWM in kB, children of every thread. The box is
// about to be killed, so its init will not report the tree's rusage: a killed run's `cpu_time_s` and
// `max_rss_bytes` come from here.
static void add_tree_usage(pid_t pid, int self, int depth, csb_outcome *o) {
    char path[128], buf[4096];
    if (self && read_text((snprintf(path, sizeof path, "/proc/%d/stat", (int)pid), path), buf, sizeof buf) > 0) {
        char *end = strrchr(buf, ')');  // the command name may hold spaces and parentheses
        unsigned long long utime = 0, stime = 0;
        // After ") ": state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime stime.
        if (end && sscanf(end + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime, &stime) == 2) {
            unsigned long long hz = (unsigned long long)sysconf(_SC_CLK_TCK);
            o->user_us += utime * 1000000u / hz;
            o->sys_us += stime * 1000000u / hz;
        }
        unsigned long long kb = 0;
        char *hwm = read_text((snprintf(path, sizeof path, "/proc/%d/status", (int)pid), path), buf, sizeof buf) > 0
                        ? strstr(buf, "VmHWM:") : NULL;
        if (hwm && sscanf(hwm + 6, "%llu", &kb) == 1 && kb > o->max_rss_kb) o->max_rss_kb = kb;
    }
    if (depth > 16) return;  // a deeper chain is a fork bomb; its first levels carry the usage
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    DIR *tasks = opendir(path);
    if (!tasks) return;
    for (struct dirent *t; (t = readdir(tasks)) != NULL;) {
        if (t->d_name[0] == '.') continue;
        snprintf(path, sizeof path, "/proc/%d/task/%s/children", (int)pid, t->d_name);
        if (read_text(path, buf, sizeof buf) <= 0) continue;
        char *save = NULL;
        for (char *c = strtok_r(buf, " \n", &save); c; c = strtok_r(NULL, " \n", &save)) {
            add_tree_usage((pid_t)atoi(c), 1, depth + 1, o);
        }
    }
    closedir(tasks);
}

// The usage of the program's tree: init's descendants (init itself is the box's server, not the program).
static void sample_tree_usage(csb_box *b, csb_outcome *o) { add_tree_usage(b->pid, 0, 0, o); }

static void kill_box(csb_box *b) {
    // The pid namespace's init: the kernel kills the rest. Through its pidfd, so a recycled pid is never hit.
    if (b->pidfd >= 0) syscall(SYS_pidfd_send_signal, b->pidfd, SIGKILL, NULL, 0);
    else if (b->child > 0 && b->child == b->pid && !b->reaped) kill(b->pid, SIGKILL);
}

int csb_box_run(csb_box *b, const csb_run_params *p, csb_outcome *o, csb_error *err) {
    memset(o, 0, sizeof *o);
    uint64_t start = now_us();
    // The wall limit runs from now, unless csb_box_set_deadline came first: a launched box's run starts on its
    // own thread, which a loaded machine may schedule after the caller has already set the job's deadline, and
    // that deadline must not be overwritten by the box's (longer) idle limit.
    uint64_t unset = 0;
    if (atomic_compare_exchange_strong(&b->deadline_us, &unset, start + p->wall_ms * 1000u))
        atomic_store(&b->restart_us, start);
    // Start the program; its init keeps an alarm of twice the wall limit + 10 s in case this process dies.
    unsigned char go[5] = {'g'};
    uint64_t alarm_s = p->wall_ms / 1000u * 2u + 10u;
    uint32_t alarm32 = alarm_s > 86400u * 30u ? 86400u * 30u : (uint32_t)alarm_s;
    memcpy(go + 1, &alarm32, sizeof alarm32);
    if (write(b->ctl_fd, go, sizeof go) != (ssize_t)sizeof go) {
        csb_set_error(err, "write(ctl)", errno, "start the program");
        return -1;
    }
    struct sink out = {&b->stdout_fd, NULL, 0, p->stdout_cap, 0};
    struct sink errs = {&b->stderr_fd, NULL, 0, p->stderr_cap, 0};
    const unsigned char *in = p->stdin_data;
    size_t in_left = in ? p->stdin_len : 0;
    if (b->stdin_fd >= 0 && in_left == 0) close_fd(&b->stdin_fd);
    int exited = 0, killed = 0;
    uint64_t drain_deadline = 0;

    for (;;) {
        struct pollfd fds[5];
        int n = 0, i_msg = -1, i_out = -1, i_err = -1, i_in = -1;
        if (b->msg_fd >= 0) { i_msg = n; fds[n++] = (struct pollfd){b->msg_fd, POLLIN, 0}; }
        if (b->stdout_fd >= 0) { i_out = n; fds[n++] = (struct pollfd){b->stdout_fd, POLLIN, 0}; }
        if (b->stderr_fd >= 0) { i_err = n; fds[n++] = (struct pollfd){b->stderr_fd, POLLIN, 0}; }
        if (b->stdin_fd >= 0) { i_in = n; fds[n++] = (struct pollfd){b->stdin_fd, POLLOUT, 0}; }
        int i_wake = n;
        fds[n++] = (struct pollfd){b->wake_fd, POLLIN, 0};
        uint64_t deadline = atomic_load(&b->deadline_us);
        int streams_open = b->stdout_fd >= 0 || b->stderr_fd >= 0;
        if ((exited || killed) && !streams_open) break;
        if (n == 1) break;  // only the wake-up fd left
        uint64_t t = now_us();
        uint64_t until = (exited || killed) ? drain_deadline : deadline;
        if (t >= until) {
            if (exited || killed) break;  // a stream stays open after the end: give up on it
            o->timed_out = 1;
            sample_tree_usage(b, o);
            kill_box(b);
            killed = 1;
            drain_deadline = t + 1000000u;
            continue;
        }
        int timeout = (int)((until - t + 999) / 1000);
        int r = poll(fds, (nfds_t)n, timeout);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            csb_set_error(err, "poll", errno, "supervising the box");
            kill_box(b);
            return -1;
        }
        if (fds[i_wake].revents) {
            uint64_t v;
            while (read(b->wake_fd, &v, sizeof v) > 0) {}
        }
        if (i_in >= 0 && fds[i_in].revents) {
            if (fds[i_in].revents & (POLLERR | POLLHUP)) {
                in_left = 0;
            } else {
                ssize_t w = write(b->stdin_fd, in, in_left);
                if (w > 0) { in += w; in_left -= (size_t)w; }
                else if (w < 0 && errno != EAGAIN && errno != EINTR) in_left = 0;  // EPIPE: program stopped reading
            }
            if (in_left == 0) close_fd(&b->stdin_fd);
        }
        if (i_out >= 0 && fds[i_out].revents) {
            drain(&out);
            if (out.overflow && !killed && !exited) {
                o->output_exceeded = 1;
                sample_tree_usage(b, o);
                kill_box(b);
                killed = 1;
                drain_deadline = now_us() + 1000000u;
            }
            if (out.overflow) close_fd(&b->stdout_fd);
        }
        if (i_err >= 0 && fds[i_err].revents) drain(&errs);
        if (i_msg >= 0 && fds[i_msg].revents) {
            struct csb_msg m;
            int got = read_msg(b->msg_fd, &m, 0);
            if (got == 1 && m.kind == CSB_MSG_ERROR) {
                o->exec_failed = 1;
                o->setup_error = m.error;
            } else if (got == 1 && m.kind == CSB_MSG_EXITED) {
                exited = 1;
                drain_deadline = now_us() + 1000000u;
                o->user_us = m.user_us;
                o->sys_us = m.sys_us;
                o->max_rss_kb = m.max_rss_kb;
                if (WIFEXITED(m.status)) { o->exited = 1; o->exit_code = WEXITSTATUS(m.status); }
                if (WIFSIGNALED(m.status)) { o->signaled = 1; o->signal = WTERMSIG(m.status); }
            } else if (got <= 0) {
                close_fd(&b->msg_fd);  // init died: killed by us, by the OOM killer or by its alarm
                if (!exited && !killed) {
                    killed = 1;
                    drain_deadline = now_us() + 1000000u;
                }
            }
        }
    }
    o->wall_us = now_us() - atomic_load(&b->restart_us);
    if (!o->exited && !o->signaled) {  // no report from init: the tree was killed from outside
        o->signaled = 1;
        o->signal = SIGKILL;
    }
    int oom = 0, pids = 0;
    csb_cgroup_box_stats(&b->cg, &oom, &pids, &o->memory_peak);
    o->oom_killed = oom > 0;
    o->stderr_truncated = errs.overflow;
    o->out = out.buf;
    o->out_len = out.len;
    o->errbuf = errs.buf;
    o->err_len = errs.len;
    return 0;
}

void csb_outcome_free(csb_outcome *o) {
    free(o->out);
    free(o->errbuf);
    o->out = o->errbuf = NULL;
}

void csb_box_destroy(csb_box *b) {
    if (!b) return;
    close_fd(&b->ctl_fd);  // init exits on EOF
    kill_box(b);
    if (b->child > 0 && !b->reaped) {
        while (waitpid(b->child, NULL, __WALL) < 0 && errno == EINTR) {}
        b->reaped = 1;
    } else if (b->child <= 0 && b->pidfd >= 0) {
        // The init is the box server's child: wait until it has exited (the pid namespace, and so the whole tree,
        // is gone by then), so that the cgroup is empty when it is released.
        struct pollfd p = {b->pidfd, POLLIN, 0};
        while (poll(&p, 1, 10000) < 0 && errno == EINTR) {}
    }
    close_fd(&b->pidfd);
    close_fd(&b->msg_fd); close_fd(&b->stdin_fd); close_fd(&b->stdout_fd); close_fd(&b->stderr_fd);
    close_fd(&b->work_fd);
    close_fd(&b->wake_fd);
    csb_cgroup_release(&b->cg);
    free(b);
}

void csb_box_kill(csb_box *b) { kill_box(b); }

void csb_box_set_deadline(csb_box *b, uint64_t wall_ms) {
    uint64_t t = now_us();
    atomic_store(&b->deadline_us, t + wall_ms * 1000u);  // first, so that a run starting now keeps it
    atomic_store(&b->restart_us, t);
    uint64_t one = 1;
    ssize_t r = write(b->wake_fd, &one, sizeof one);
    (void)r;
}

int csb_write_all(int fd, const void *data, size_t len) {
    const char *p = data;
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

int csb_socketpair(int fds[2]) { return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds); }

int csb_send_with_fds(int sock, const void *data, size_t len, const int *fds, int nfds) {
    const char *p = data;
    int first = 1;
    while (len > 0) {
        ssize_t n = csb_sendmsg_fds(sock, p, len, fds, first ? nfds : 0);
        if (n < 0) return -1;
        first = 0;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

long csb_read_line(int fd, char *buf, size_t cap, int timeout_ms) {
    uint64_t deadline = now_us() + (uint64_t)timeout_ms * 1000u;
    size_t len = 0;
    while (len < cap) {
        uint64_t t = now_us();
        if (t >= deadline) return -2;
        struct pollfd pfd = {fd, POLLIN, 0};
        int r = poll(&pfd, 1, (int)((deadline - t + 999) / 1000));
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) return -1;
        if (r == 0) return -2;
        ssize_t n = read(fd, buf + len, 1);  // byte by byte: never consume past the newline
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
        if (n < 0) return -1;
        if (n == 0) { errno = 0; return -1; }
        if (buf[len] == '\n') return (long)len;
        len++;
    }
    errno = EMSGSIZE;
    return -1;
}

void csb_box_detach_stdio(csb_box *b, int *stdin_write_fd, int *stdout_read_fd) {
    // Blocking again: the new owner (another process, possibly) reads and writes them as ordinary pipes.
    if (stdin_write_fd) {
        *stdin_write_fd = b->stdin_fd;
        if (b->stdin_fd >= 0) fcntl(b->stdin_fd, F_SETFL, 0);
        b->stdin_fd = -1;
    }
    if (stdout_read_fd) {
        *stdout_read_fd = b->stdout_fd;
        if (b->stdout_fd >= 0) fcntl(b->stdout_fd, F_SETFL, 0);
        b->stdout_fd = -1;
    }
}
int csb_close(int fd) { return close(fd); }

int csb_run_plain(const char *path, char *const argv[], uint64_t *wall_us) {
    uint64_t start = now_us();
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    char *empty[] = {NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, path, &fa, NULL, argv, empty);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        errno = rc;
        return -1;
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    *wall_us = now_us() - start;
    return status;
}

// MARK: - probe

void csb_probe(csb_probe_report *r) {
    memset(r, 0, sizeof *r);
    r->root = geteuid() == 0;
    size_t used = 0;
#define NOTE(...) used += (size_t)snprintf(r->detail + used, used < sizeof r->detail ? sizeof r->detail - used : 0, __VA_ARGS__)
    pid_t pid = (pid_t)syscall(SYS_clone, kNamespaces | SIGCHLD, NULL, NULL, NULL, NULL);
    if (pid == 0) _exit(0);
    if (pid > 0) {
        int st;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {}
        r->user_namespaces = 1;
    } else {
        NOTE("namespaces: clone failed: %s; ", strerror(errno));
    }
    if (prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0) r->seccomp = 1;
    else NOTE("seccomp: unavailable (%s); ", strerror(errno));
    char why[256] = "";
    r->cgroup = csb_cgroup_available(&r->cgroup_v2, why, sizeof why);
    if (!r->cgroup) NOTE("cgroup: %s; ", why);
#undef NOTE
}
