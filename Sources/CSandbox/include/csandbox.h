/// CSandbox: the only code of Arbiter that runs between fork and exec.
///
/// A box is a process tree in new user, pid, mount, net, ipc and uts namespaces, on a read-only view of chosen host
/// paths with size-capped tmpfs for `/work`, `/tmp` and `/dev/shm`, with rlimits, `PR_SET_NO_NEW_PRIVS`, a
/// default-deny seccomp filter and (as root) a memory+pids cgroup. Set-up is an ordered list of named steps
/// (nsjail's `containProc` style); a failing step reports its name, the syscall and `errno` over a CLOEXEC pipe.
///
/// Life cycle: `csb_box_start` (namespaces and file system ready, program not started) → `csb_box_write_file`*
/// → `csb_box_run` (exec, supervise, wait) → `csb_box_read_file`* → `csb_box_destroy` (kill, reap, clean up).
/// All functions are thread-safe for distinct boxes; a box is used by one thread at a time.
#ifndef CSANDBOX_H
#define CSANDBOX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/// What went wrong, for the caller's error message: `step` names the set-up step ("mount(/work tmpfs)"),
/// `err` is the errno (0 when not a syscall failure) and `detail` says more.
typedef struct csb_error {
    char step[96];
    int err;
    char detail[256];
} csb_error;

/// A seccomp filter compiled to BPF once and shared read-only by any number of boxes.
typedef struct csb_filter csb_filter;

/// Seccomp actions for syscalls not on the allow-list.
enum csb_deny_action {
    CSB_DENY_KILL = 0,   ///< SECCOMP_RET_KILL_PROCESS: the program dies with SIGSYS (verdict "blocked syscall").
    CSB_DENY_ERRNO = 1,  ///< SECCOMP_RET_ERRNO(EPERM): the call fails and the program goes on.
};

/// Creates an empty filter whose default action is `deny`. Non-native ABIs (i386, x32) always kill the process.
csb_filter *csb_filter_new(int deny, csb_error *err);
/// Allows the syscall named `name` (libseccomp's names, e.g. "openat"). Returns -1 (and fills `err`) when the name
/// is unknown or is one that no profile may allow (io_uring_*, ptrace, bpf, unshare, mount, ...).
int csb_filter_allow(csb_filter *f, const char *name, csb_error *err);
/// Makes `name` fail with `errno_value` instead of being denied (used for clone3 → ENOSYS so libc falls back to
/// clone, whose flags the filter can inspect).
int csb_filter_errno(csb_filter *f, const char *name, int errno_value, csb_error *err);
/// Compiles the filter to BPF; after this the filter is immutable and may be shared between threads.
int csb_filter_finish(csb_filter *f, csb_error *err);
/// Number of BPF instructions of a finished filter.
void csb_filter_free(csb_filter *f);
/// 1 when `name` is on the built-in list of syscalls no profile may allow.
int csb_syscall_forbidden(const char *name);

/// How a box is built. Strings are copied; the filter is borrowed and must outlive every box started with it.
typedef struct csb_config csb_config;

/// Mount flags for `csb_config_add_mount`.
enum csb_mount_flags {
    CSB_MOUNT_OPTIONAL = 1,  ///< Skip silently when the host path does not exist.
};

/// Option bits for `csb_config_set_options`.
enum csb_options {
    /// Run even when the machine cannot provide a cgroup (no root, no controller): limits then hold per process
    /// (rlimits) instead of for the whole tree. Without it, `csb_box_start` fails.
    CSB_ALLOW_NO_CGROUP = 1,
    /// Do not mount a fresh /proc in the box.
    CSB_NO_PROC = 2,
};

csb_config *csb_config_new(void);
void csb_config_free(csb_config *c);
/// Program path (inside the box) and argv (argv[0] included).
void csb_config_set_executable(csb_config *c, const char *path);
void csb_config_add_arg(csb_config *c, const char *arg);
/// One "KEY=VALUE" entry of the program's environment (nothing is inherited).
void csb_config_add_env(csb_config *c, const char *entry);
/// Bind-mounts host path `source` read-only at `target` inside the box (symlinks are recreated, not followed).
void csb_config_add_mount(csb_config *c, const char *source, const char *target, int flags);
/// Sizes in bytes of the tmpfs for /work, /tmp and /dev/shm.
void csb_config_set_tmpfs(csb_config *c, uint64_t work_bytes, uint64_t tmp_bytes, uint64_t shm_bytes);
/// rlimits: CPU seconds, address space, file size, open files, processes, stack (bytes). 0 = unlimited, except
/// `nofile` and `nproc` where 0 is kept as 0. RLIMIT_CORE is always 0.
void csb_config_set_rlimits(csb_config *c, uint64_t cpu_seconds, uint64_t as_bytes, uint64_t fsize_bytes,
                            uint64_t nofile, uint64_t nproc, uint64_t stack_bytes);
/// Cgroup limits for the whole tree: memory in bytes (swap excluded) and process count. 0 = no cgroup.
void csb_config_set_cgroup(csb_config *c, uint64_t memory_bytes, uint64_t pids_max);
void csb_config_set_filter(csb_config *c, const csb_filter *f);
void csb_config_set_options(csb_config *c, unsigned options);
/// The box server that builds this box: the path of an executable serving like `arbiter-box-init` (e.g.
/// `arbiter-python-zygote`), started once per path and kept. NULL or "" = the default helper (`csb_set_init_helper`).
void csb_config_set_server(csb_config *c, const char *path);
/// Standard streams: an fd of the caller to dup into the box, or -1 for "managed" (stdin: a pipe fed by
/// `csb_box_run`; stdout/stderr: pipes drained by `csb_box_run`), or -2 for /dev/null (stdin only).
void csb_config_set_stdio(csb_config *c, int stdin_fd, int stdout_fd, int stderr_fd);

typedef struct csb_box csb_box;

/// Creates the namespaces and file system and stops before the program starts. On failure returns -1 and
/// fills `err` (the step that failed, its errno); nothing is left behind.
int csb_box_start(const csb_config *c, csb_box **out, csb_error *err);
/// Host pid of the box's init (for tests and diagnostics).
/// Writes a regular file at relative path `rel` under /work (parents created), before `csb_box_run`.
/// `rel` must not be absolute nor contain "." or ".." components; nothing is followed through symlinks.
int csb_box_write_file(csb_box *b, const char *rel, const void *data, size_t len, unsigned mode, csb_error *err);

typedef struct csb_run_params {
    const void *stdin_data;  ///< bytes for a managed stdin (closed after), may be NULL
    size_t stdin_len;
    uint64_t wall_ms;        ///< wall-clock limit; the whole tree is killed at the deadline
    size_t stdout_cap;       ///< bytes of stdout kept; more kills the box (output limit)
    size_t stderr_cap;       ///< bytes of stderr kept; more is dropped (flagged), the box runs on
} csb_run_params;

typedef struct csb_outcome {
    int exited;             ///< 1: exit code in `exit_code`
    int exit_code;
    int signaled;           ///< 1: killed by signal `signal`
    int signal;
    int timed_out;          ///< killed at the wall-clock deadline
    int output_exceeded;    ///< stdout went past its cap (the box was killed)
    int stderr_truncated;
    int oom_killed;         ///< the cgroup's OOM killer killed a process of the tree
    int exec_failed;        ///< the program never started (see `setup_error`)
    csb_error setup_error;  ///< filled when a step after `csb_box_start` failed (exec, rlimit, seccomp...)
    uint64_t wall_us, user_us, sys_us;  ///< wall time; CPU of the whole tree (reaped by init)
    uint64_t max_rss_kb;    ///< largest resident set of one process of the tree
    uint64_t memory_peak;   ///< cgroup memory high-water mark in bytes (0 without cgroup)
    unsigned char *out; size_t out_len;  ///< malloc'ed; freed by csb_outcome_free
    unsigned char *errbuf; size_t err_len;
} csb_outcome;

/// Starts the program and supervises it to the end: feeds stdin, drains stdout/stderr with caps, kills the tree
/// at the deadline or on an output overflow, collects the exit status and resource use. Returns -1 only for a
/// supervisor failure (then `err`); a program that failed to start is reported in `out->exec_failed`.
int csb_box_run(csb_box *b, const csb_run_params *p, csb_outcome *out, csb_error *err);
void csb_outcome_free(csb_outcome *o);
/// Moves the wall-clock deadline of a running `csb_box_run` (called from another thread) to `wall_ms` from now,
/// and measures `wall_us` from now on: a box started ahead of time gets its job's limit when the job arrives.
void csb_box_set_deadline(csb_box *b, uint64_t wall_ms);
/// SIGKILLs the box's init (through its pidfd) from any thread: the whole tree dies. Safe after the box ended.
void csb_box_kill(csb_box *b);
/// Writes all of `data` to `fd` (blocking). Returns 0 or -1 with errno.
int csb_write_all(int fd, const void *data, size_t len);
/// Reads regular file `rel` from /work after `csb_box_run` (at most `cap` bytes; more is an error).
/// The returned buffer is malloc'ed (free with `free`).
int csb_box_read_file(csb_box *b, const char *rel, size_t cap, unsigned char **data, size_t *len, csb_error *err);
/// Kills what is left of the tree, reaps it, removes the cgroup, closes every fd. Always safe to call once.
void csb_box_destroy(csb_box *b);

/// close(2).
int csb_close(int fd);
/// socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC). Returns 0 or -1 with errno.
int csb_socketpair(int fds[2]);
/// Sends all of `data` on a unix stream socket, with `nfds` descriptors attached to the first byte (SCM_RIGHTS).
/// Returns 0 or -1 with errno (EPIPE when the peer is gone).
int csb_send_with_fds(int sock, const void *data, size_t len, const int *fds, int nfds);
/// Reads from `fd` until a newline, at most `cap` bytes, waiting at most `timeout_ms` in total. Returns the line's
/// length (newline excluded), -1 with errno on error or EOF (errno 0), -2 on timeout.
long csb_read_line(int fd, char *buf, size_t cap, int timeout_ms);
/// Detaches the supervisor ends of a managed stdin and stdout (the caller owns and closes them; `csb_box_run` no
/// longer feeds or drains them). Either pointer may be NULL. Call before `csb_box_run`.
void csb_box_detach_stdio(csb_box *b, int *stdin_write_fd, int *stdout_read_fd);

/// Runs `path` with `argv` outside any box (stdio on /dev/null) and waits: the baseline of the benchmark.
/// Returns the exit status (wait status) or -1 with errno; `wall_us` gets the spawn-to-reap time.
int csb_run_plain(const char *path, char *const argv[], uint64_t *wall_us);

/// Path of the `arbiter-box-init` helper executable; boxes are then cloned by a box server started from it once
/// (vfork+exec; cheap whatever the size of this process) instead of clones of this process. NULL or "" = clone
/// in-process.
void csb_set_init_helper(const char *path);
/// The helper's entry point: serves box requests on fd 3 (see helper.c) until the supervisor closes its end.
int csb_init_main(void);
/// A box server's replacement for the final execve (arbiter-python-zygote). In the program's process, before any
/// of its steps, `accepts` says whether `enter` can run this command line in this very process; if so, every step
/// is taken as usual (signals reset, stdio, rlimits, identity dropped, no_new_privs, seccomp), every fd above 2 is
/// closed, and `enter` runs instead of execve. `enter` must not return (a return exits with 127). The hook is the
/// server's own code, set before `csb_init_main`; NULL (the default) = always execve.
typedef struct csb_program_hook {
    int (*accepts)(const char *executable, char *const argv[], char *const envp[]);
    void (*enter)(char *const argv[], char *const envp[]);
} csb_program_hook;
void csb_set_program_hook(const csb_program_hook *hook);

/// Removes the idle cgroups this process keeps for reuse (call at exit, after destroying every box).
void csb_cleanup(void);

/// What this machine can provide; each field 1 = available. `detail` lists what is missing and why.
typedef struct csb_probe_report {
    int user_namespaces, seccomp, cgroup, cgroup_v2, root;
    char detail[512];
} csb_probe_report;
void csb_probe(csb_probe_report *r);

#ifdef __cplusplus
}
#endif
#endif
