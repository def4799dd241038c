// Builder for csb_config (strings copied so Swift can pass temporaries) and the shared error helper.
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void csb_set_error(csb_error *e, const char *step, int err, const char *fmt, ...) {
    if (!e) return;
    snprintf(e->step, sizeof e->step, "%s", step);
    e->err = err;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->detail, sizeof e->detail, fmt, ap);
    va_end(ap);
}

static char *dup_or_die(const char *s) {
    char *d = strdup(s ? s : "");
    if (!d) abort();  // out of memory while building a config: nothing sensible to do
    return d;
}

/// Appends to a NULL-terminated string array.
static void push(char ***arr, size_t *n, const char *s) {
    char **grown = realloc(*arr, (*n + 2) * sizeof(char *));
    if (!grown) abort();
    grown[(*n)++] = dup_or_die(s);
    grown[*n] = NULL;
    *arr = grown;
}

csb_config *csb_config_new(void) {
    csb_config *c = calloc(1, sizeof *c);
    if (!c) abort();
    c->argv = calloc(1, sizeof(char *));
    c->envp = calloc(1, sizeof(char *));
    if (!c->argv || !c->envp) abort();
    c->work_bytes = c->tmp_bytes = c->shm_bytes = 64u << 20;
    c->nofile = 64;
    c->nproc = 64;
    c->stdin_fd = -2;
    c->stdout_fd = c->stderr_fd = -1;
    return c;
}

void csb_config_free(csb_config *c) {
    if (!c) return;
    free(c->executable);
    free(c->server);
    for (size_t i = 0; i < c->argc; i++) free(c->argv[i]);
    for (size_t i = 0; i < c->envc; i++) free(c->envp[i]);
    for (size_t i = 0; i < c->nmounts; i++) {
        free(c->mounts[i].source);
        free(c->mounts[i].target);
    }
    free(c->argv);
    free(c->envp);
    free(c->mounts);
    free(c);
}

void csb_config_set_executable(csb_config *c, const char *path) {
    free(c->executable);
    c->executable = dup_or_die(path);
}

void csb_config_set_server(csb_config *c, const char *path) {
    free(c->server);
    c->server = path && *path ? dup_or_die(path) : NULL;
}

void csb_config_add_arg(csb_config *c, const char *arg) { push(&c->argv, &c->argc, arg); }
void csb_config_add_env(csb_config *c, const char *entry) { push(&c->envp, &c->envc, entry); }

void csb_config_add_mount(csb_config *c, const char *source, const char *target, int flags) {
    struct csb_mount *grown = realloc(c->mounts, (c->nmounts + 1) * sizeof *grown);
    if (!grown) abort();
    grown[c->nmounts].source = dup_or_die(source);
    grown[c->nmounts].target = dup_or_die(target);
    grown[c->nmounts].flags = flags;
    c->nmounts++;
    c->mounts = grown;
}

void csb_config_set_tmpfs(csb_config *c, uint64_t work_bytes, uint64_t tmp_bytes, uint64_t shm_bytes) {
    c->work_bytes = work_bytes;
    c->tmp_bytes = tmp_bytes;
    c->shm_bytes = shm_bytes;
}

void csb_config_set_rlimits(csb_config *c, uint64_t cpu_seconds, uint64_t as_bytes, uint64_t fsize_bytes,
                            uint64_t nofile, uint64_t nproc, uint64_t stack_bytes) {
    c->cpu_seconds = cpu_seconds;
    c->as_bytes = as_bytes;
    c->fsize_bytes = fsize_bytes;
    c->nofile = nofile;
    c->nproc = nproc;
    c->stack_bytes = stack_bytes;
}

void csb_config_set_cgroup(csb_config *c, uint64_t memory_bytes, uint64_t pids_max) {
    c->memory_bytes = memory_bytes;
    c->pids_max = pids_max;
}

void csb_config_set_cpu(csb_config *c, uint32_t millicores) {
    c->cpu_millicores = millicores;
}

void csb_config_set_filter(csb_config *c, const csb_filter *f) { c->filter = f; }
void csb_config_set_options(csb_config *c, unsigned options) { c->options = options; }

void csb_config_set_stdio(csb_config *c, int stdin_fd, int stdout_fd, int stderr_fd) {
    c->stdin_fd = stdin_fd;
    c->stdout_fd = stdout_fd;
    c->stderr_fd = stderr_fd;
}
