// The box side, between clone and execve. Everything here runs in a child of a multi-threaded process, so it calls
// only syscalls and async-signal-safe libc (no malloc, no stdio). Each step has a name; the first failing step is
// reported to the supervisor over the CLOEXEC message pipe and the child exits.
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <string.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

// Fixed fd numbers in the child after `pin_fds`.
enum { FD_MSG = 3, FD_CTL = 4, FD_IN = 5, FD_OUT = 6, FD_ERR = 7, FD_FIRST_FREE = 8 };

static const struct csb_config *cfg;
static int root_mode;
static const csb_program_hook *program_hook;

void csb_set_program_hook(const csb_program_hook *hook) { program_hook = hook; }

// glibc's setresuid/setgroups broadcast to every thread the parent had (SIGSETXID) and its fork() takes the
// parent's atfork locks: in a raw clone of a multi-threaded process both can deadlock. Raw syscalls only.
static int raw_setgroups0(void) { return (int)syscall(SYS_setgroups, 0, NULL); }
static int raw_setresgid(gid_t g) { return (int)syscall(SYS_setresgid, g, g, g); }
static int raw_setresuid(uid_t u) { return (int)syscall(SYS_setresuid, u, u, u); }
static pid_t raw_fork(void) { return (pid_t)syscall(SYS_clone, SIGCHLD, NULL, NULL, NULL, NULL); }

// MARK: - async-signal-safe helpers

static size_t slen(const char *s) { size_t n = 0; while (s[n]) n++; return n; }

/// dst = a + b (truncated to cap-1).
static void join(char *dst, size_t cap, const char *a, const char *b) {
    size_t n = 0;
    for (const char *p = a; *p && n + 1 < cap; p++) dst[n++] = *p;
    for (const char *p = b; p && *p && n + 1 < cap; p++) dst[n++] = *p;
    dst[n] = 0;
}

static void copy(char *dst, size_t cap, const char *src) { join(dst, cap, src, NULL); }

/// Writes the decimal form of `v` after `prefix` into dst.
static void join_u64(char *dst, size_t cap, const char *prefix, unsigned long long v) {
    char digits[24];
    int i = 23;
    digits[i] = 0;
    do { digits[--i] = (char)('0' + v % 10); v /= 10; } while (v && i > 0);
    join(dst, cap, prefix, digits + i);
}

static void send_msg(const struct csb_msg *m) {
    ssize_t r;
    do r = write(FD_MSG, m, sizeof *m); while (r < 0 && errno == EINTR);
}

__attribute__((noreturn)) static void fail(const char *step, int err, const char *detail) {
    struct csb_msg m;
    memset(&m, 0, sizeof m);
    m.kind = CSB_MSG_ERROR;
    copy(m.error.step, sizeof m.error.step, step);
    m.error.err = err;
    copy(m.error.detail, sizeof m.error.detail, detail ? detail : "");
    send_msg(&m);
    _exit(127);
}

#define CHECK(call, step, detail) do { if ((call) != 0) fail(step, errno, detail); } while (0)

/// mkdir -p for an absolute path (components created with 0755).
static int mkdirs(const char *path) {
    char buf[4096];
    copy(buf, sizeof buf, path);
    for (size_t i = 1; buf[i]; i++) {
        if (buf[i] != '/') continue;
        buf[i] = 0;
        if (mkdir(buf, 0755) != 0 && errno != EEXIST) return -1;
        buf[i] = '/';
    }
    if (mkdir(buf, 0755) != 0 && errno != EEXIST) return -1;
    return 0;
}

static int parent_dirs(const char *path) {
    char buf[4096];
    copy(buf, sizeof buf, path);
    size_t n = slen(buf);
    while (n > 1 && buf[n - 1] != '/') n--;
    if (n <= 1) return 0;
    buf[n - 1] = 0;
    return mkdirs(buf);
}

/// Moves the five fds the child needs to fixed numbers and closes every other inherited fd (other boxes' pipes
/// of a concurrent supervisor thread included).
static void pin_fds(int msg, int ctl, int in, int out, int err) {
    int src[5] = {msg, ctl, in, out, err}, tmp[5];
    for (int i = 0; i < 5; i++) {
        tmp[i] = src[i] < 0 ? src[i] : fcntl(src[i], F_DUPFD_CLOEXEC, 64);
        if (src[i] >= 0 && tmp[i] < 0) _exit(126);
    }
    for (int i = 0; i < 5; i++) {
        if (tmp[i] < 0) {
            close(FD_MSG + i);  // unused slot (stdin from /dev/null): must not keep an inherited fd
            continue;
        }
        if (dup3(tmp[i], FD_MSG + i, O_CLOEXEC) < 0) _exit(126);
    }
    syscall(SYS_close_range, FD_FIRST_FREE, ~0U, 0);
}

// MARK: - set-up steps (init, inside root)

static void step_identity(void) {
    if (!root_mode) return;  // unprivileged supervisor: the single mapping already makes us uid 1000
    CHECK(raw_setgroups0(), "setgroups(0)", "drop supplementary groups");
    CHECK(raw_setresgid(0), "setresgid(0)", "become the namespace's root group");
    CHECK(raw_setresuid(0), "setresuid(0)", "become the namespace's root");
}

static void mount_tmpfs(const char *target, uint64_t bytes, const char *mode, unsigned long flags,
                        const char *step) {
    char opts[128], num[48];
    join_u64(num, sizeof num, "size=", (unsigned long long)(bytes ? bytes : 1));
    join(opts, sizeof opts, num, ",mode=");
    char opts2[160], opts3[200];
    join(opts2, sizeof opts2, opts, mode);
    join(opts3, sizeof opts3, opts2, ",nr_inodes=16384");  // inodes cost kernel memory: cap their number too
    if (mkdirs(target) != 0) fail(step, errno, target);
    CHECK(mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV | flags, opts3), step, target);
}

static unsigned long locked_flags(const char *path) {
    struct statvfs sv;
    unsigned long f = 0;
    if (statvfs(path, &sv) != 0) return 0;
    if (sv.f_flag & ST_NOSUID) f |= MS_NOSUID;
    if (sv.f_flag & ST_NODEV) f |= MS_NODEV;
    if (sv.f_flag & ST_NOEXEC) f |= MS_NOEXEC;
    if (sv.f_flag & ST_NOATIME) f |= MS_NOATIME;
    if (sv.f_flag & ST_NODIRATIME) f |= MS_NODIRATIME;
    if (sv.f_flag & ST_RELATIME) f |= MS_RELATIME;
    return f;
}

/// Bind-mounts host `source` at `target` under the new root: read-only, nosuid; a symlink is recreated as is.
static void bind_mount(const char *source, const char *target, int readonly, int optional) {
    char dst[4096];
    join(dst, sizeof dst, CSB_NEWROOT, target);
    struct stat st;
    if (lstat(source, &st) != 0) {
        if (optional && errno == ENOENT) return;
        fail("lstat(mount source)", errno, source);
    }
    if (S_ISLNK(st.st_mode)) {
        char link[4096];
        ssize_t n = readlink(source, link, sizeof link - 1);
        if (n < 0) fail("readlink(mount source)", errno, source);
        link[n] = 0;
        if (parent_dirs(dst) != 0) fail("mkdir(mount target)", errno, dst);
        if (symlink(link, dst) != 0 && errno != EEXIST) fail("symlink(mount target)", errno, dst);
        return;
    }
    if (S_ISDIR(st.st_mode)) {
        if (mkdirs(dst) != 0) fail("mkdir(mount target)", errno, dst);
    } else {
        if (parent_dirs(dst) != 0) fail("mkdir(mount target)", errno, dst);
        int fd = open(dst, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0 && errno != EEXIST) fail("open(mount target)", errno, dst);
        if (fd >= 0) close(fd);
    }
    CHECK(mount(source, dst, NULL, MS_BIND | MS_REC, NULL), "mount(MS_BIND)", source);
    if (!readonly) return;
    unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | locked_flags(dst);
    CHECK(mount(NULL, dst, NULL, flags, NULL), "mount(MS_REMOUNT|MS_RDONLY)", source);
}

// /proc entries that show the host rather than the box, as container runtimes mask them (runc's default
// maskedPaths and readonlyPaths, plus what leaks kernel addresses when kptr_restrict is 0: kallsyms, modules).
static const char *const kMaskedFiles[] = {
    "kallsyms", "kcore", "keys", "key-users", "latency_stats", "timer_list", "timer_stats", "sched_debug",
    "sysrq-trigger", "modules", "iomem", "ioports", "vmallocinfo", "kpagecount", "kpageflags", "kpagecgroup",
    "slabinfo", "config.gz", "pagetypeinfo", "buddyinfo", "zoneinfo", "softirqs", "interrupts", "lock_stat",
};
static const char *const kMaskedDirs[] = {"acpi", "asound", "scsi", "driver", "irq", "bus", "fs", "tty", "sysvipc"};
static const char *const kReadOnly[] = {"sys"};

/// Hides `kMaskedFiles` behind /dev/null and `kMaskedDirs` behind an empty read-only tmpfs, and makes
/// `kReadOnly` read-only (entries this kernel lacks are skipped).
static void mask_proc(const char *proc) {
    char path[4096];
    struct stat st;
    for (size_t i = 0; i < sizeof kMaskedFiles / sizeof *kMaskedFiles; i++) {
        join(path, sizeof path, proc, kMaskedFiles[i]);
        if (lstat(path, &st) != 0) continue;
        CHECK(mount("/dev/null", path, NULL, MS_BIND, NULL), "mount(mask /proc file)", path);
    }
    for (size_t i = 0; i < sizeof kMaskedDirs / sizeof *kMaskedDirs; i++) {
        join(path, sizeof path, proc, kMaskedDirs[i]);
        if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode)) continue;
        CHECK(mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k,nr_inodes=1"),
              "mount(mask /proc dir)", path);
    }
    for (size_t i = 0; i < sizeof kReadOnly / sizeof *kReadOnly; i++) {
        join(path, sizeof path, proc, kReadOnly[i]);
        if (lstat(path, &st) != 0) continue;
        CHECK(mount(path, path, NULL, MS_BIND | MS_REC, NULL), "mount(/proc read-only bind)", path);
        CHECK(mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL),
              "mount(/proc read-only)", path);
    }
}

static void step_filesystem(void) {
    CHECK(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), "mount(/, MS_PRIVATE)", "stop mount propagation");
    mount_tmpfs(CSB_NEWROOT, 16u << 20, "0755", 0, "mount(new root tmpfs)");
    for (size_t i = 0; i < cfg->nmounts; i++)
        bind_mount(cfg->mounts[i].source, cfg->mounts[i].target, 1, cfg->mounts[i].flags & CSB_MOUNT_OPTIONAL);

    char path[4096];
    const char *mode = root_mode ? "0755,uid=1000,gid=1000" : "0755";
    join(path, sizeof path, CSB_NEWROOT, "/work");
    mount_tmpfs(path, cfg->work_bytes, mode, 0, "mount(/work tmpfs)");
    join(path, sizeof path, CSB_NEWROOT, "/tmp");
    mount_tmpfs(path, cfg->tmp_bytes, "1777", 0, "mount(/tmp tmpfs)");

    join(path, sizeof path, CSB_NEWROOT, "/dev");
    mount_tmpfs(path, 64u << 10, "0755", MS_NOEXEC, "mount(/dev tmpfs)");
    static const char *const devices[] = {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom"};
    for (size_t i = 0; i < sizeof devices / sizeof *devices; i++) bind_mount(devices[i], devices[i], 0, 0);
    static const char *const links[][2] = {
        {"/proc/self/fd", "/dev/fd"}, {"/proc/self/fd/0", "/dev/stdin"},
        {"/proc/self/fd/1", "/dev/stdout"}, {"/proc/self/fd/2", "/dev/stderr"},
    };
    for (size_t i = 0; i < sizeof links / sizeof *links; i++) {
        join(path, sizeof path, CSB_NEWROOT, links[i][1]);
        CHECK(symlink(links[i][0], path), "symlink(/dev)", links[i][1]);
    }
    join(path, sizeof path, CSB_NEWROOT, "/dev/shm");
    mount_tmpfs(path, cfg->shm_bytes, "1777", MS_NOEXEC, "mount(/dev/shm tmpfs)");

    if (!(cfg->options & CSB_NO_PROC)) {
        join(path, sizeof path, CSB_NEWROOT, "/proc");
        if (mkdirs(path) != 0) fail("mkdir(/proc)", errno, path);
        // hidepid=2: the program sees only its own uid's processes, not the init (whose command line is the
        // supervisor's).
        CHECK(mount("proc", path, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=2"), "mount(proc)", path);
        join(path, sizeof path, CSB_NEWROOT, "/proc/");
        mask_proc(path);
    }

    CHECK(chdir(CSB_NEWROOT), "chdir(new root)", CSB_NEWROOT);
    CHECK((int)syscall(SYS_pivot_root, ".", "."), "pivot_root", CSB_NEWROOT);
    CHECK(umount2(".", MNT_DETACH), "umount2(old root)", "detach the host's root");
    CHECK(chdir("/"), "chdir(/)", "after pivot_root");
    CHECK(mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL),
          "mount(/, MS_RDONLY)", "read-only root");
    CHECK(chdir("/work"), "chdir(/work)", "work dir");
}

static void step_hostname(void) {
    CHECK(sethostname("box", 3), "sethostname", "box");
    CHECK(setdomainname("box", 3), "setdomainname", "box");
}

/// Loopback up in the box's own network namespace (which has no other interface: nothing outside is reachable),
/// so a program may serve on 127.0.0.1 and connect to itself. A pooled namespace (netns.c) comes with it up
/// already: the box, which holds no capability over that namespace, only checks.
static void step_loopback(void) {
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0) fail("socket(AF_INET)", errno, "loopback");
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    copy(ifr.ifr_name, sizeof ifr.ifr_name, "lo");
    if (ioctl(s, SIOCGIFFLAGS, &ifr) != 0) fail("ioctl(SIOCGIFFLAGS)", errno, "lo");
    if (!(ifr.ifr_flags & IFF_UP)) {
        ifr.ifr_flags |= IFF_UP;
        if (ioctl(s, SIOCSIFFLAGS, &ifr) != 0) fail("ioctl(SIOCSIFFLAGS)", errno, "lo up");
    }
    close(s);
}

// MARK: - program steps (forked by init, ends in execve)

static void set_limit(int resource, uint64_t soft, uint64_t hard, const char *step) {
    struct rlimit rl = {soft, hard};
    CHECK(setrlimit(resource, &rl), step, "setrlimit");
}

static rlim_t or_infinity(uint64_t v) { return v ? (rlim_t)v : RLIM_INFINITY; }

static void step_rlimits(void) {
    if (cfg->cpu_seconds) set_limit(RLIMIT_CPU, cfg->cpu_seconds, cfg->cpu_seconds + 1, "setrlimit(RLIMIT_CPU)");
    set_limit(RLIMIT_AS, or_infinity(cfg->as_bytes), or_infinity(cfg->as_bytes), "setrlimit(RLIMIT_AS)");
    set_limit(RLIMIT_FSIZE, or_infinity(cfg->fsize_bytes), or_infinity(cfg->fsize_bytes), "setrlimit(RLIMIT_FSIZE)");
    set_limit(RLIMIT_NOFILE, cfg->nofile, cfg->nofile, "setrlimit(RLIMIT_NOFILE)");
    set_limit(RLIMIT_NPROC, cfg->nproc, cfg->nproc, "setrlimit(RLIMIT_NPROC)");
    set_limit(RLIMIT_STACK, or_infinity(cfg->stack_bytes), or_infinity(cfg->stack_bytes), "setrlimit(RLIMIT_STACK)");
    set_limit(RLIMIT_CORE, 0, 0, "setrlimit(RLIMIT_CORE)");
    set_limit(RLIMIT_MEMLOCK, 0, 0, "setrlimit(RLIMIT_MEMLOCK)");
    set_limit(RLIMIT_MSGQUEUE, 0, 0, "setrlimit(RLIMIT_MSGQUEUE)");
}

static void step_drop_identity(void) {
    if (root_mode) {
        CHECK(raw_setresgid(CSB_INSIDE_ID), "setresgid(1000)", "program group");
        CHECK(raw_setresuid(CSB_INSIDE_ID), "setresuid(1000)", "program user");
    }
    // Same uid as init in unprivileged mode, so drop every capability explicitly (in root mode setresuid did).
    for (int cap = 0; cap <= 63; cap++) {
        if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL && errno != EPERM)
            fail("prctl(PR_CAPBSET_DROP)", errno, "bounding set");
    }
    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    memset(d, 0, sizeof d);
    CHECK((int)syscall(SYS_capset, &h, d), "capset(0)", "drop all capabilities");
}

static void step_stdio(void) {
    int in = FD_IN;
    if (fcntl(FD_IN, F_GETFD) < 0) {
        in = open("/dev/null", O_RDONLY | O_CLOEXEC);
        if (in < 0) fail("open(/dev/null)", errno, "stdin");
    }
    if (dup2(in, 0) < 0) fail("dup2(stdin)", errno, "stdin");
    if (dup2(FD_OUT, 1) < 0) fail("dup2(stdout)", errno, "stdout");
    if (dup2(FD_ERR, 2) < 0) fail("dup2(stderr)", errno, "stderr");
    // Every fd above 2 closes at execve (the message pipe stays usable until then to report a failure).
    CHECK((int)syscall(SYS_close_range, 3, ~0U, 4 /* CLOSE_RANGE_CLOEXEC */), "close_range(3..)", "close fds");
}

static void step_signals(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    for (int s = 1; s < 65; s++) sigaction(s, &sa, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
}

__attribute__((noreturn)) static void run_program(void) {
    // A box server with a program hook (the Python zygote) runs the command in this very process when it can. It
    // is decided before any step, and both ways take every step below.
    int in_process = program_hook && program_hook->accepts(cfg->executable, cfg->argv, cfg->envp);
    step_signals();
    step_stdio();
    step_rlimits();
    step_drop_identity();
    // setresuid made this process non-dumpable; an exec'd program would be dumpable again (it owns its /proc
    // entries). ptrace stays denied by seccomp either way.
    if (in_process) CHECK(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0), "prctl(PR_SET_DUMPABLE)", "as after execve");
    CHECK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "prctl(PR_SET_NO_NEW_PRIVS)", "");
    // What execve would close (every fd above 2 is CLOEXEC by now), except the message pipe, still needed to
    // report a failing seccomp step.
    if (in_process) CHECK((int)syscall(SYS_close_range, FD_MSG + 1, ~0U, 0), "close_range(4..)", "close fds");
    if (cfg->filter) {
        struct sock_fprog prog = {cfg->filter->len, cfg->filter->code};
        CHECK((int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog), "seccomp(SECCOMP_SET_MODE_FILTER)",
              "install the syscall filter");
    }
    if (in_process) {
        close(FD_MSG);
        program_hook->enter(cfg->argv, cfg->envp);
        _exit(127);
    }
    execve(cfg->executable, cfg->argv, cfg->envp);
    fail("execve", errno, cfg->executable);
}

// MARK: - init

static void alarm_handler(int sig) {
    (void)sig;
    kill(-1, SIGKILL);
    _exit(125);
}

__attribute__((noreturn)) void csb_child_main(const struct csb_config *c, int msg_fd, int ctl_fd, int in_fd,
                                              int out_fd, int err_fd, int mode) {
    cfg = c;
    root_mode = mode;
    pin_fds(msg_fd, ctl_fd, in_fd, out_fd, err_fd);
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0) {
        dup2(null, 0); dup2(null, 1); dup2(null, 2);
        if (null > 2) close(null);
    }
    char go;
    ssize_t r;
    do r = read(FD_CTL, &go, 1); while (r < 0 && errno == EINTR);
    if (r != 1) _exit(124);  // the supervisor gave up before the maps were written

    step_identity();
    step_filesystem();
    step_hostname();
    step_loopback();

    struct csb_msg m;
    memset(&m, 0, sizeof m);
    m.kind = CSB_MSG_READY;
    send_msg(&m);
    // The start message: 'g' and the backstop alarm in seconds (u32, native order), chosen per run so that a
    // box started ahead of time (a pool) still gets its run's limit.
    unsigned char start[5];
    size_t got = 0;
    while (got < sizeof start) {
        r = read(FD_CTL, start + got, sizeof start - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) _exit(0);  // destroyed before it ran
        got += (size_t)r;
    }
    uint32_t alarm_s;
    memcpy(&alarm_s, start + 1, sizeof alarm_s);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = alarm_handler;
    sigaction(SIGALRM, &sa, NULL);
    if (alarm_s) alarm(alarm_s);

    pid_t prog = raw_fork();
    if (prog < 0) fail("fork(program)", errno, "init could not start the program");
    if (prog == 0) run_program();
    close(FD_IN); close(FD_OUT); close(FD_ERR);

    int status = 0;
    for (;;) {
        int st;
        pid_t p = waitpid(-1, &st, 0);
        if (p == prog) { status = st; break; }
        if (p < 0 && errno != EINTR) fail("waitpid(program)", errno, "init lost the program");
    }
    // The program is gone: nothing else in the box may outlive it (daemons, stray children).
    kill(-1, SIGKILL);
    while (waitpid(-1, NULL, 0) > 0 || errno == EINTR) {}
    alarm(0);
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    memset(&m, 0, sizeof m);
    m.kind = CSB_MSG_EXITED;
    m.status = status;
    m.user_us = (uint64_t)ru.ru_utime.tv_sec * 1000000u + (uint64_t)ru.ru_utime.tv_usec;
    m.sys_us = (uint64_t)ru.ru_stime.tv_sec * 1000000u + (uint64_t)ru.ru_stime.tv_usec;
    m.max_rss_kb = (uint64_t)ru.ru_maxrss;
    send_msg(&m);
    // Stay alive (and keep the mount namespace) until the supervisor has read the output files.
    do r = read(FD_CTL, &go, 1); while (r != 0 && !(r < 0 && errno != EINTR));
    _exit(0);
}
