// Seccomp filter built with libseccomp: default deny, an allow-list of syscalls by name, argument checks for
// clone (no namespace flags) and socket (unix/inet/inet6 only), non-native ABIs killed.
#include "internal.h"

#include <errno.h>
#include <linux/sched.h>
#include <seccomp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

/// Syscalls no profile may allow, whatever it says: kernel attack surface or escape primitives.
static const char *const forbidden[] = {
    "io_uring_setup", "io_uring_enter", "io_uring_register", "userfaultfd", "unshare", "setns", "mount",
    "umount2", "pivot_root", "chroot", "mount_setattr", "move_mount", "open_tree", "fsopen", "fsconfig", "fsmount",
    "fspick", "ptrace", "process_vm_readv", "process_vm_writev", "process_madvise", "kcmp", "bpf",
    "perf_event_open", "keyctl", "add_key", "request_key", "kexec_load", "kexec_file_load", "init_module",
    "finit_module", "delete_module", "reboot", "swapon", "swapoff", "acct", "settimeofday", "clock_settime",
    "clock_adjtime", "adjtimex", "sethostname", "setdomainname", "open_by_handle_at", "name_to_handle_at",
    "lookup_dcookie", "quotactl", "quotactl_fd", "vhangup", "iopl", "ioperm", "fanotify_init", "syslog",
    "uselib", "personality", "move_pages", "migrate_pages", "mbind", "set_mempolicy",
    "nfsservctl", "pidfd_getfd", "memfd_secret", "landlock_create_ruleset", "create_module", "get_kernel_syms",
    "query_module", "_sysctl", "lsm_set_self_attr",
    NULL,
};

int csb_syscall_forbidden(const char *name) {
    for (const char *const *p = forbidden; *p; p++)
        if (strcmp(*p, name) == 0) return 1;
    return 0;
}

csb_filter *csb_filter_new(int deny, csb_error *err) {
    csb_filter *f = calloc(1, sizeof *f);
    if (!f) {
        csb_set_error(err, "calloc", ENOMEM, "filter");
        return NULL;
    }
    uint32_t action = deny == CSB_DENY_ERRNO ? SCMP_ACT_ERRNO(EPERM) : SCMP_ACT_KILL_PROCESS;
    f->ctx = seccomp_init(action);
    if (!f->ctx) {
        csb_set_error(err, "seccomp_init", 0, "libseccomp could not create a filter");
        free(f);
        return NULL;
    }
    int rc = seccomp_attr_set(f->ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
    if (rc == 0) rc = seccomp_attr_set(f->ctx, SCMP_FLTATR_CTL_NNP, 0);  // the box sets no_new_privs itself
    if (rc != 0) {
        csb_set_error(err, "seccomp_attr_set", -rc, "bad-arch action");
        seccomp_release(f->ctx);
        free(f);
        return NULL;
    }
    return f;
}

static int resolve(const char *name, csb_error *err) {
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) csb_set_error(err, "seccomp_syscall_resolve_name", 0, "unknown syscall '%s'", name);
    return nr;
}

int csb_filter_allow(csb_filter *f, const char *name, csb_error *err) {
    if (!f->ctx) {
        csb_set_error(err, "csb_filter_allow", 0, "filter already finished");
        return -1;
    }
    if (csb_syscall_forbidden(name)) {
        csb_set_error(err, "csb_filter_allow", 0, "syscall '%s' may never be allowed in a box", name);
        return -1;
    }
    int nr = resolve(name, err);
    if (nr == __NR_SCMP_ERROR) return -1;
    int rc;
    if (strcmp(name, "clone") == 0) {
        // clone(flags, ...): threads and processes yes, new namespaces no.
        const uint64_t ns = CLONE_NEWNS | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC |
                            CLONE_NEWUTS | CLONE_NEWCGROUP | 0x00000080 /* CLONE_NEWTIME */;
        rc = seccomp_rule_add(f->ctx, SCMP_ACT_ALLOW, nr, 1, SCMP_A0(SCMP_CMP_MASKED_EQ, ns, 0));
    } else if (strcmp(name, "mknod") == 0 || strcmp(name, "mknodat") == 0) {
        // FIFOs only (os.mkfifo); never device nodes.
        unsigned arg = name[5] == 0 ? 1 : 2;
        rc = seccomp_rule_add(f->ctx, SCMP_ACT_ALLOW, nr, 1, SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, S_IFMT, S_IFIFO));
    } else if (strcmp(name, "socket") == 0 || strcmp(name, "socketpair") == 0) {
        rc = seccomp_rule_add(f->ctx, SCMP_ACT_ALLOW, nr, 1, SCMP_A0(SCMP_CMP_EQ, AF_UNIX));
        if (rc == 0 && name[6] == 0) rc = seccomp_rule_add(f->ctx, SCMP_ACT_ALLOW, nr, 1, SCMP_A0(SCMP_CMP_EQ, AF_INET));
        if (rc == 0 && name[6] == 0) rc = seccomp_rule_add(f->ctx, SCMP_ACT_ALLOW, nr, 1, SCMP_A0(SCMP_CMP_EQ, AF_INET6));
    } else {
        rc = seccomp_rule_add(f->ctx, SCMP_ACT_ALLOW, nr, 0);
    }
    if (rc != 0) {
        csb_set_error(err, "seccomp_rule_add", -rc, "allow '%s'", name);
        return -1;
    }
    return 0;
}

int csb_filter_errno(csb_filter *f, const char *name, int errno_value, csb_error *err) {
    if (!f->ctx) {
        csb_set_error(err, "csb_filter_errno", 0, "filter already finished");
        return -1;
    }
    int nr = resolve(name, err);
    if (nr == __NR_SCMP_ERROR) return -1;
    int rc = seccomp_rule_add(f->ctx, SCMP_ACT_ERRNO((uint32_t)errno_value), nr, 0);
    if (rc != 0) {
        csb_set_error(err, "seccomp_rule_add", -rc, "errno rule for '%s'", name);
        return -1;
    }
    return 0;
}

int csb_filter_finish(csb_filter *f, csb_error *err) {
    if (!f->ctx) return 0;
    // libseccomp 2.5 exports BPF only to an fd: go through a memfd.
    int fd = memfd_create("csb-bpf", MFD_CLOEXEC);
    if (fd < 0) {
        csb_set_error(err, "memfd_create", errno, "for the BPF export");
        return -1;
    }
    int rc = seccomp_export_bpf(f->ctx, fd);
    if (rc != 0) {
        close(fd);
        csb_set_error(err, "seccomp_export_bpf", -rc, "export failed");
        return -1;
    }
    off_t size = lseek(fd, 0, SEEK_END);
    if (size <= 0 || size % (off_t)sizeof(struct sock_filter) != 0 || size / sizeof(struct sock_filter) > 65535) {
        close(fd);
        csb_set_error(err, "seccomp_export_bpf", 0, "unexpected BPF size %lld", (long long)size);
        return -1;
    }
    f->code = malloc((size_t)size);
    if (!f->code || pread(fd, f->code, (size_t)size, 0) != size) {
        close(fd);
        csb_set_error(err, "pread(bpf)", errno, "reading the BPF export");
        return -1;
    }
    close(fd);
    f->len = (unsigned short)(size / sizeof(struct sock_filter));
    seccomp_release(f->ctx);
    f->ctx = NULL;
    return 0;
}


void csb_filter_free(csb_filter *f) {
    if (!f) return;
    if (f->ctx) seccomp_release(f->ctx);
    free(f->code);
    free(f);
}
