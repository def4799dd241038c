// Private structures of CSandbox, shared by its .c files.
#ifndef CSANDBOX_INTERNAL_H
#define CSANDBOX_INTERNAL_H

#define _GNU_SOURCE 1
#include "csandbox.h"
#include <linux/filter.h>
#include <stdarg.h>
#include <sys/types.h>

/// Inside uid/gid of the program; init runs as inside 0.
#define CSB_INSIDE_ID 1000
/// Outside uid/gid for the box: base + 2*init pid (inside 0) and +1 (inside 1000): unique per live box, so
/// RLIMIT_NPROC and signal permissions never mix two boxes, and never a real user of the host.
#define CSB_OUTSIDE_BASE 0x40000000u
/// Where the new root is assembled, in the child's private mount namespace (hidden from the host).
#define CSB_NEWROOT "/mnt"

struct csb_filter {
    void *ctx;                  // scmp_filter_ctx until finished
    struct sock_filter *code;   // compiled BPF
    unsigned short len;
};

struct csb_mount {
    char *source, *target;
    int flags;
};

struct csb_config {
    char *executable;
    char **argv; size_t argc;
    char **envp; size_t envc;
    struct csb_mount *mounts; size_t nmounts;
    uint64_t work_bytes, tmp_bytes, shm_bytes;
    uint64_t cpu_seconds, as_bytes, fsize_bytes, nofile, nproc, stack_bytes;
    uint64_t memory_bytes, pids_max;
    uint32_t cpu_millicores;  // CPU quota of the box's cgroup, thousandths of a core; 0 = none
    const csb_filter *filter;
    unsigned options;
    int stdin_fd, stdout_fd, stderr_fd;
    char *server;               // box server executable for this box, NULL = the default helper
};

/// Messages from the box to the supervisor (fixed size, one atomic pipe write each).
enum csb_msg_kind { CSB_MSG_READY = 1, CSB_MSG_ERROR = 2, CSB_MSG_EXITED = 3, CSB_MSG_PID = 4 };
struct csb_msg {
    int kind;
    int status;             // wait status of the program (EXITED)
    uint64_t user_us, sys_us, max_rss_kb;
    csb_error error;        // ERROR
};

struct csb_cgroup {
    int active;
    int v2;
    char memory[512];       // v1: memory controller dir; v2: the single dir
    char pids[512];         // v1 only
    char cpu[512];          // v1 only; "" when the cpu controller is not mounted
    int base_oom, base_pids;  // event counters when handed to this box (reused cgroups keep counting)
};

struct csb_box {
    pid_t pid;              // host pid of the box's init
    pid_t child;            // our direct child: the init, or the helper that waits for it
    int pidfd;              // pidfd of the init: signals never reach a recycled pid
    int msg_fd;             // box → supervisor messages
    int ctl_fd;             // supervisor → box: 'g' starts the program; EOF ends the box
    int stdin_fd, stdout_fd, stderr_fd;  // supervisor ends of managed pipes, or -1
    int work_fd;            // O_PATH fd of /work inside the box (via /proc/pid/root)
    int wake_fd;            // eventfd: wakes csb_box_run when the deadline moves
    _Atomic uint64_t deadline_us, restart_us;  // CLOCK_MONOTONIC µs; restart = when the wall clock was reset
    int reaped;
    struct csb_cgroup cg;
};

void csb_set_error(csb_error *e, const char *step, int err, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

int csb_cgroup_create(struct csb_cgroup *cg, uint64_t memory_bytes, uint64_t pids_max, uint32_t cpu_millicores,
                      csb_error *err);
int csb_cgroup_attach(struct csb_cgroup *cg, pid_t pid, csb_error *err);
/// Reads the OOM-kill count, pids.max hits and memory peak.
void csb_cgroup_stats(struct csb_cgroup *cg, int *oom_kills, int *pids_hits, uint64_t *peak);
/// The same counted since this box got the cgroup.
void csb_cgroup_box_stats(struct csb_cgroup *cg, int *oom_kills, int *pids_hits, uint64_t *peak);
/// Returns an empty cgroup to the pool of this process (or removes it when the pool is full).
void csb_cgroup_release(struct csb_cgroup *cg);
void csb_cgroup_remove(struct csb_cgroup *cg);
int csb_cgroup_available(int *v2, char *why, size_t whylen);
/// This process's v1 memory and pids cgroup directories ("" when unknown), `cap` bytes each.
void csb_cgroup_own_dirs(char *memory, char *pids, size_t cap);
/// This process's v1 cpu cgroup directory ("" when the cpu controller is not mounted).
void csb_cgroup_own_cpu_dir(char *cpu, size_t cap);

/// The child side: runs every set-up step and then supervises the program as the pid namespace's init.
/// Never returns. `fds`: msg write end, ctl read end, stdin, stdout, stderr for the program.
__attribute__((noreturn)) void csb_child_main(const struct csb_config *c, int msg_fd, int ctl_fd,
                                              int in_fd, int out_fd, int err_fd, int root_mode);

/// Clones the box through the helper's box server when a helper is set: returns 1 with the init's host `pid` and a
/// `pidfd` for it (the init is the server's child, not ours); 0 when no helper is set (clone in-process then); -1 on
/// failure (with `err`). With `cg` (a v1 cgroup), the server joins it before cloning, so the init is born inside
/// and nobody attaches it by pid.
int csb_clone_helper(const struct csb_config *c, int flags, int root_mode, const struct csb_cgroup *cg, int msg_w,
                     int ctl_r, int in, int out, int err_fd, pid_t *pid, int *pidfd, csb_error *err);
int csb_init_helper(char *out, size_t cap);

/// Pooled network namespaces of the root box server (netns.c). `enter` moves the server into a clean pooled (or
/// new) namespace and returns its id (clone the box without CLONE_NEWNET then), or -1 (use CLONE_NEWNET);
/// `assign` records the box's init using it, `unused` returns it when the clone failed, `reaped` when that init
/// has been reaped (it is reused only if nothing of the box is left in it).
int csb_netns_enter(void);
void csb_netns_assign(int id, pid_t pid);
void csb_netns_unused(int id);
void csb_netns_reaped(pid_t pid);
/// One sendmsg of `data` with `nfds` (at most 8) descriptors attached (SCM_RIGHTS), MSG_NOSIGNAL, EINTR retried.
ssize_t csb_sendmsg_fds(int sock, const void *data, size_t len, const int *fds, int nfds);

#endif
