// Memory, pids and cpu cgroup of one box (v1: separate controller hierarchies; v2: one unified directory).
// Only the supervisor (host root) touches cgroupfs; the box is attached by pid before it starts.
//
// CPU: each box is one scheduling group with the default weight (v1 cpu.shares 1024, v2 cpu.weight 100), so
// boxes share the CPU as equals however many threads or processes each runs (a box spinning on every core or
// fork-bombing gets one box's share, not one share per thread), and a quota (v1 cfs_quota_us, v2 cpu.max) caps a
// box at its cores' worth. The cpu controller is optional: without it boxes run without these two.
#include "internal.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static atomic_uint cgroup_counter;

// Idle cgroups kept for reuse: mkdir+rmdir of a memory cgroup costs about a millisecond, a reuse a few writes.
// Counters that cannot be reset (oom_kill, pids max events) are read as a baseline when a cgroup is handed out.
enum { POOL_SIZE = 32 };
static struct csb_cgroup pool[POOL_SIZE];
static int pool_count;
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static int pool_cleanup_registered;

static void remove_dir(const char *dir);
static void pool_cleanup(void);

void csb_cleanup(void) { pool_cleanup(); }

static void pool_cleanup(void) {
    pthread_mutex_lock(&pool_lock);
    for (int i = 0; i < pool_count; i++) {
        remove_dir(pool[i].memory);
        if (!pool[i].v2) remove_dir(pool[i].pids);
        if (pool[i].cpu[0]) remove_dir(pool[i].cpu);
    }
    pool_count = 0;
    pthread_mutex_unlock(&pool_lock);
}

static int write_file(const char *dir, const char *name, const char *value) {
    char path[640];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = write(fd, value, strlen(value));
    int saved = errno;
    close(fd);
    errno = saved;
    return n == (ssize_t)strlen(value) ? 0 : -1;
}

static ssize_t read_file(const char *dir, const char *name, char *buf, size_t cap) {
    char path[640];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, cap - 1);
    close(fd);
    if (n < 0) return -1;
    buf[n] = 0;
    return n;
}

/// The cgroup path of this process for `controller` ("memory", "pids"; "" for the v2 line "0::").
static int own_path(const char *controller, char *out, size_t cap) {
    char buf[4096];
    int fd = open("/proc/self/cgroup", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return -1;
    buf[n] = 0;
    char *save = NULL;
    for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *c1 = strchr(line, ':');
        if (!c1) continue;
        char *c2 = strchr(c1 + 1, ':');
        if (!c2) continue;
        *c2 = 0;
        const char *list = c1 + 1;
        int match = 0;
        if (controller[0] == 0) {
            match = list[0] == 0;
        } else {
            char copy[256];
            snprintf(copy, sizeof copy, "%s", list);
            for (char *s = copy, *tok; (tok = strsep(&s, ","));)
                if (strcmp(tok, controller) == 0) match = 1;
        }
        if (match) {
            snprintf(out, cap, "%s", strcmp(c2 + 1, "/") == 0 ? "" : c2 + 1);
            return 0;
        }
    }
    return -1;
}

void csb_cgroup_own_dirs(char *memory, char *pids, size_t cap) {
    char own[256];
    memory[0] = pids[0] = 0;
    if (own_path("memory", own, sizeof own) == 0) snprintf(memory, cap, "/sys/fs/cgroup/memory%s", own);
    if (own_path("pids", own, sizeof own) == 0) snprintf(pids, cap, "/sys/fs/cgroup/pids%s", own);
}

static int exists(const char *path);

void csb_cgroup_own_cpu_dir(char *cpu, size_t cap) {
    char own[256];
    cpu[0] = 0;
    if (exists("/sys/fs/cgroup/cpu/cpu.shares") && own_path("cpu", own, sizeof own) == 0)
        snprintf(cpu, cap, "/sys/fs/cgroup/cpu%s", own);
}

static int exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

int csb_cgroup_available(int *v2, char *why, size_t whylen) {
    *v2 = 0;
    if (geteuid() != 0) {
        snprintf(why, whylen, "needs root (euid %d)", (int)geteuid());
        return 0;
    }
    if (exists("/sys/fs/cgroup/memory/memory.limit_in_bytes") && exists("/sys/fs/cgroup/pids/cgroup.procs"))
        return 1;
    if (exists("/sys/fs/cgroup/cgroup.controllers")) {
        char ctl[256] = "";
        read_file("/sys/fs/cgroup", "cgroup.controllers", ctl, sizeof ctl);
        if (strstr(ctl, "memory") && strstr(ctl, "pids")) {
            *v2 = 1;
            return 1;
        }
        snprintf(why, whylen, "v2: memory/pids controllers not available (have: %s)", ctl);
        return 0;
    }
    snprintf(why, whylen, "neither v1 memory+pids nor v2 mounted under /sys/fs/cgroup");
    return 0;
}

static int pool_take(struct csb_cgroup *cg) {
    pthread_mutex_lock(&pool_lock);
    int got = pool_count > 0;
    if (got) *cg = pool[--pool_count];
    pthread_mutex_unlock(&pool_lock);
    return got;
}

/// Removes empty `arbiter-<pid>-<n>` cgroups of processes that no longer exist (left by a crash or a fast exit).
static void sweep_stale(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        int pid;
        if (sscanf(e->d_name, "arbiter-%d-", &pid) != 1 || pid == getpid()) continue;
        if (kill(pid, 0) == 0 || errno != ESRCH) continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        rmdir(path);
    }
    closedir(d);
}

static pthread_once_t sweep_once = PTHREAD_ONCE_INIT;
static void sweep_all(void) {
    char own[256], dir[512];
    if (own_path("memory", own, sizeof own) == 0) {
        snprintf(dir, sizeof dir, "/sys/fs/cgroup/memory%s", own);
        sweep_stale(dir);
    }
    if (own_path("pids", own, sizeof own) == 0) {
        snprintf(dir, sizeof dir, "/sys/fs/cgroup/pids%s", own);
        sweep_stale(dir);
    }
    if (own_path("cpu", own, sizeof own) == 0) {
        snprintf(dir, sizeof dir, "/sys/fs/cgroup/cpu%s", own);
        sweep_stale(dir);
    }
    if (own_path("", own, sizeof own) == 0) {
        snprintf(dir, sizeof dir, "/sys/fs/cgroup%s", own);
        sweep_stale(dir);
    }
}

static void baseline(struct csb_cgroup *cg) {
    int oom = 0, pids = 0;
    uint64_t peak = 0;
    cg->base_oom = cg->base_pids = 0;
    csb_cgroup_stats(cg, &oom, &pids, &peak);
    cg->base_oom = oom;
    cg->base_pids = pids;
}

static int set_limits(struct csb_cgroup *cg, uint64_t memory_bytes, uint64_t pids_max, uint32_t cpu_millicores,
                      csb_error *err);

int csb_cgroup_create(struct csb_cgroup *cg, uint64_t memory_bytes, uint64_t pids_max, uint32_t cpu_millicores,
                      csb_error *err) {
    memset(cg, 0, sizeof *cg);
    pthread_once(&sweep_once, sweep_all);
    if (pool_take(cg)) {
        if (set_limits(cg, memory_bytes, pids_max, cpu_millicores, err) != 0) {
            csb_cgroup_remove(cg);
            return -1;
        }
        if (!cg->v2) write_file(cg->memory, "memory.max_usage_in_bytes", "0");
        baseline(cg);
        return 0;
    }
    char why[256] = "";
    int v2 = 0;
    if (!csb_cgroup_available(&v2, why, sizeof why)) {
        csb_set_error(err, "cgroup", 0, "%s", why);
        return -1;
    }
    unsigned n = atomic_fetch_add(&cgroup_counter, 1);
    char name[64], own[256];
    snprintf(name, sizeof name, "arbiter-%d-%u", (int)getpid(), n);
    cg->v2 = v2;
    if (v2) {
        if (own_path("", own, sizeof own) != 0) {
            csb_set_error(err, "cgroup(v2)", errno, "cannot find own cgroup in /proc/self/cgroup");
            return -1;
        }
        char parent[512];
        snprintf(parent, sizeof parent, "/sys/fs/cgroup%s", own);
        char ctl[256] = "";
        read_file(parent, "cgroup.subtree_control", ctl, sizeof ctl);
        char have[256] = "";
        read_file("/sys/fs/cgroup", "cgroup.controllers", have, sizeof have);
        if (strstr(have, "cpu") && !strstr(ctl, "cpu ") && strcmp(ctl, "cpu") != 0)
            write_file(parent, "cgroup.subtree_control", "+cpu");  // optional: fails with realtime tasks
        if ((!strstr(ctl, "memory") || !strstr(ctl, "pids")) &&
            write_file(parent, "cgroup.subtree_control", "+memory +pids") != 0) {
            csb_set_error(err, "write(cgroup.subtree_control)", errno,
                          "cannot enable memory+pids below %s (a v2 cgroup with processes cannot delegate; run the "
                          "supervisor in a leaf cgroup)", parent);
            return -1;
        }
        snprintf(cg->memory, sizeof cg->memory, "%s/%s", parent, name);
        if (mkdir(cg->memory, 0700) != 0) {
            csb_set_error(err, "mkdir(cgroup)", errno, "%s", cg->memory);
            return -1;
        }
        cg->active = 1;
        if (set_limits(cg, memory_bytes, pids_max, cpu_millicores, err) != 0) goto fail;
        return 0;
    }
    if (own_path("memory", own, sizeof own) != 0) {
        csb_set_error(err, "cgroup(v1 memory)", errno, "cannot find own memory cgroup in /proc/self/cgroup");
        return -1;
    }
    snprintf(cg->memory, sizeof cg->memory, "/sys/fs/cgroup/memory%s/%s", own, name);
    if (own_path("pids", own, sizeof own) != 0) own[0] = 0;
    snprintf(cg->pids, sizeof cg->pids, "/sys/fs/cgroup/pids%s/%s", own, name);
    if (mkdir(cg->memory, 0700) != 0) {
        csb_set_error(err, "mkdir(memory cgroup)", errno, "%s", cg->memory);
        return -1;
    }
    if (mkdir(cg->pids, 0700) != 0) {
        csb_set_error(err, "mkdir(pids cgroup)", errno, "%s", cg->pids);
        rmdir(cg->memory);
        return -1;
    }
    if (exists("/sys/fs/cgroup/cpu/cpu.shares") && own_path("cpu", own, sizeof own) == 0) {
        snprintf(cg->cpu, sizeof cg->cpu, "/sys/fs/cgroup/cpu%s/%s", own, name);
        if (mkdir(cg->cpu, 0700) != 0) {
            csb_set_error(err, "mkdir(cpu cgroup)", errno, "%s", cg->cpu);
            rmdir(cg->memory);
            rmdir(cg->pids);
            return -1;
        }
    }
    cg->active = 1;
    if (set_limits(cg, memory_bytes, pids_max, cpu_millicores, err) != 0) goto fail;
    return 0;
fail:
    csb_cgroup_remove(cg);
    return -1;
}

/// The CPU weight and quota (0 = none): v2 in the box's one directory, v1 in its cpu directory (if any).
static int set_cpu(struct csb_cgroup *cg, uint32_t millicores, csb_error *err) {
    char value[64];
    const long period = 100000;  // µs, the kernel's default period
    long quota = millicores ? (long)millicores * period / 1000 : -1;
    if (quota >= 0 && quota < 1000) quota = 1000;  // the kernel's minimum quota is 1 ms
    if (cg->v2) {
        char ctl[256] = "";
        read_file(cg->memory, "cgroup.controllers", ctl, sizeof ctl);
        if (!strstr(ctl, "cpu")) return 0;
        if (quota < 0) snprintf(value, sizeof value, "max %ld", period);
        else snprintf(value, sizeof value, "%ld %ld", quota, period);
        if (write_file(cg->memory, "cpu.weight", "100") != 0 || write_file(cg->memory, "cpu.max", value) != 0) {
            csb_set_error(err, "write(cpu.max)", errno, "%s: %s", cg->memory, value);
            return -1;
        }
        return 0;
    }
    if (!cg->cpu[0]) return 0;
    snprintf(value, sizeof value, "%ld", quota);
    if (write_file(cg->cpu, "cpu.shares", "1024") != 0 || write_file(cg->cpu, "cpu.cfs_period_us", "100000") != 0 ||
        write_file(cg->cpu, "cpu.cfs_quota_us", value) != 0) {
        csb_set_error(err, "write(cpu.cfs_quota_us)", errno, "%s: %s", cg->cpu, value);
        return -1;
    }
    return 0;
}

/// Writes the limits (0 = "max"/unlimited, so a reused cgroup never keeps an old limit).
static int set_limits(struct csb_cgroup *cg, uint64_t memory_bytes, uint64_t pids_max, uint32_t cpu_millicores,
                      csb_error *err) {
    if (set_cpu(cg, cpu_millicores, err) != 0) return -1;
    char mem[32], pids[32];
    if (memory_bytes) snprintf(mem, sizeof mem, "%llu", (unsigned long long)memory_bytes);
    else snprintf(mem, sizeof mem, "%s", cg->v2 ? "max" : "-1");
    if (pids_max) snprintf(pids, sizeof pids, "%llu", (unsigned long long)pids_max);
    else snprintf(pids, sizeof pids, "max");
    if (cg->v2) {
        if (write_file(cg->memory, "memory.max", mem) != 0) {
            csb_set_error(err, "write(memory.max)", errno, "%s", cg->memory);
            return -1;
        }
        write_file(cg->memory, "memory.swap.max", "0");  // absent without swap accounting
        if (write_file(cg->memory, "pids.max", pids) != 0) {
            csb_set_error(err, "write(pids.max)", errno, "%s", cg->memory);
            return -1;
        }
        return 0;
    }
    // v1: memsw (memory+swap) must stay >= memory, so order the two writes by direction.
    char memsw[640];
    snprintf(memsw, sizeof memsw, "%s/memory.memsw.limit_in_bytes", cg->memory);
    int has_memsw = exists(memsw);
    if (has_memsw) write_file(cg->memory, "memory.memsw.limit_in_bytes", "-1");
    if (write_file(cg->memory, "memory.limit_in_bytes", mem) != 0) {
        csb_set_error(err, "write(memory.limit_in_bytes)", errno, "%s", cg->memory);
        return -1;
    }
    if (has_memsw && write_file(cg->memory, "memory.memsw.limit_in_bytes", mem) != 0) {
        csb_set_error(err, "write(memory.memsw.limit_in_bytes)", errno, "%s", cg->memory);
        return -1;
    }
    if (write_file(cg->pids, "pids.max", pids) != 0) {
        csb_set_error(err, "write(pids.max)", errno, "%s", cg->pids);
        return -1;
    }
    return 0;
}

int csb_cgroup_attach(struct csb_cgroup *cg, pid_t pid, csb_error *err) {
    char value[32];
    snprintf(value, sizeof value, "%d", (int)pid);
    if (write_file(cg->memory, "cgroup.procs", value) != 0) {
        csb_set_error(err, "write(cgroup.procs)", errno, "%s", cg->memory);
        return -1;
    }
    if (!cg->v2 && write_file(cg->pids, "cgroup.procs", value) != 0) {
        csb_set_error(err, "write(cgroup.procs)", errno, "%s", cg->pids);
        return -1;
    }
    if (!cg->v2 && cg->cpu[0] && write_file(cg->cpu, "cgroup.procs", value) != 0) {
        csb_set_error(err, "write(cgroup.procs)", errno, "%s", cg->cpu);
        return -1;
    }
    return 0;
}

static long long field(const char *text, const char *key) {
    size_t k = strlen(key);
    for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
        if (strncmp(p, key, k) == 0 && p[k] == ' ') return atoll(p + k + 1);
    return 0;
}

void csb_cgroup_stats(struct csb_cgroup *cg, int *oom_kills, int *pids_hits, uint64_t *peak) {
    char buf[2048];
    *oom_kills = 0;
    *pids_hits = 0;
    *peak = 0;
    if (!cg->active) return;
    if (cg->v2) {
        if (read_file(cg->memory, "memory.events", buf, sizeof buf) > 0) *oom_kills = (int)field(buf, "oom_kill");
        if (read_file(cg->memory, "pids.events", buf, sizeof buf) > 0) *pids_hits = (int)field(buf, "max");
        if (read_file(cg->memory, "memory.peak", buf, sizeof buf) > 0) *peak = strtoull(buf, NULL, 10);
        return;
    }
    if (read_file(cg->memory, "memory.oom_control", buf, sizeof buf) > 0) *oom_kills = (int)field(buf, "oom_kill");
    if (read_file(cg->pids, "pids.events", buf, sizeof buf) > 0) *pids_hits = (int)field(buf, "max");
    if (read_file(cg->memory, "memory.max_usage_in_bytes", buf, sizeof buf) > 0) *peak = strtoull(buf, NULL, 10);
}

void csb_cgroup_box_stats(struct csb_cgroup *cg, int *oom_kills, int *pids_hits, uint64_t *peak) {
    csb_cgroup_stats(cg, oom_kills, pids_hits, peak);
    *oom_kills -= cg->base_oom;
    *pids_hits -= cg->base_pids;
}

static void remove_dir(const char *dir) {
    // The tree is reaped before this runs, but the kernel may need a moment to release the cgroup.
    for (int i = 0; i < 200 && rmdir(dir) != 0 && errno == EBUSY; i++) usleep(1000);
}

void csb_cgroup_release(struct csb_cgroup *cg) {
    if (!cg->active) return;
    pthread_mutex_lock(&pool_lock);
    if (!pool_cleanup_registered) {
        atexit(pool_cleanup);
        pool_cleanup_registered = 1;
    }
    if (pool_count < POOL_SIZE) {
        pool[pool_count++] = *cg;
        cg->active = 0;
    }
    pthread_mutex_unlock(&pool_lock);
    csb_cgroup_remove(cg);
}

void csb_cgroup_remove(struct csb_cgroup *cg) {
    if (!cg->active) return;
    remove_dir(cg->memory);
    if (!cg->v2) remove_dir(cg->pids);
    if (cg->cpu[0]) remove_dir(cg->cpu);
    cg->active = 0;
}
