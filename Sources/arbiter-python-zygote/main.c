// arbiter-python-zygote: a box server (CSandbox/helper.c) that holds a warm CPython, for profiles that name it in
// `zygote` (Sandboxes/python.conf). It starts the interpreter once, configured as `python3 -s -S -B -P` is with
// PYTHONHASHSEED=0 (no user site, no site, no .pyc writes, no script dir on sys.path, hashing with seed 0),
// imports the modules candidates use most, freezes the GC, and then serves box requests exactly like
// arbiter-box-init: every box is built by the same named steps in csb_child_main. Only the last step differs.
// When the command is this interpreter with exactly `-s -S -B -P <script>`, the C.UTF-8 locale and PYTHONHASHSEED=0
// (and no other PYTHON* variable but PYTHONDONTWRITEBYTECODE) in the environment, the
// program's process (already in its namespaces, unprivileged, rlimited, under seccomp, every fd above 2 closed)
// runs the script in its copy-on-write copy of the warm interpreter instead of exec'ing a new one. That saves the
// interpreter's start (10-12 ms of CPU) and the preloaded imports on every run. Any other command is exec'd.
//
// What a script sees that a fresh `python3 -s -S -B -P` would not:
//   - the preloaded modules are already in sys.modules (importing them is free);
//   - nothing of hashing: every run hashes with seed 0, as the fresh interpreter does with PYTHONHASHSEED=0 (a
//     forked interpreter keeps the hash secret it started with, so the zygote starts with that seed; `-I` would
//     ignore PYTHONHASHSEED, which is why the profile passes -I's parts -s -P instead, its environment being the
//     profile's alone anyway); `random` is reseeded in each run (its at-fork hook);
//   - /proc/self/exe is this file, /proc/self/cmdline is `arbiter-python-zygote` and /proc/self/environ is
//     empty (sys.argv, sys.orig_argv and os.environ are the run's), and the resident set reported includes the
//     shared warm pages.
// No untrusted code ever runs in this process or before the fork: it runs only in a box's program process.
#include "csandbox.h"
#include <Python.h>

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/// Imported once, before serving: the standard modules HumanEval and MBPP solutions import most (typing alone
/// costs ~13 ms of CPU in a fresh interpreter). Heavier ones (decimal, hashlib) would enlarge every fork's page
/// tables for few users.
static const char *const kPreload[] = {
    "typing", "math", "cmath", "re", "collections", "itertools", "functools", "operator", "heapq", "bisect",
    "string", "copy", "random", "array", "datetime",
};

/// The interpreter this process embeds, as a resolved host path (`<base_prefix>/bin/python3.N`); "" = unknown
/// (then every command is exec'd).
static char interpreter[PATH_MAX];
/// Signal dispositions right after the interpreter started (SIGPIPE, SIGXFSZ ignored; SIGINT raising
/// KeyboardInterrupt): the box resets every signal before its program starts, and a fresh python3 would set
/// these again.
static struct sigaction started[65];

/// The locale a run gets: LC_ALL, else LC_CTYPE, else LANG (POSIX precedence for LC_CTYPE).
static const char *ctype_locale(char *const envp[]) {
    const char *all = NULL, *ctype = NULL, *lang = NULL;
    for (char *const *e = envp; *e; e++) {
        if (!strncmp(*e, "LC_ALL=", 7)) all = *e + 7;
        else if (!strncmp(*e, "LC_CTYPE=", 9)) ctype = *e + 9;
        else if (!strncmp(*e, "LANG=", 5)) lang = *e + 5;
    }
    return all && *all ? all : ctype && *ctype ? ctype : lang ? lang : "";
}

/// True when the environment sets PYTHONHASHSEED=0 and no other PYTHON* variable than PYTHONDONTWRITEBYTECODE
/// (which -B implies): what the warm interpreter was configured with.
static int python_environment_matches(char *const envp[]) {
    int seed = 0;
    for (char *const *e = envp; *e; e++) {
        if (strncmp(*e, "PYTHON", 6) != 0) continue;
        if (!strcmp(*e, "PYTHONHASHSEED=0") && !seed) seed = 1;
        else if (strncmp(*e, "PYTHONDONTWRITEBYTECODE=", 24) != 0) return 0;
    }
    return seed;
}

/// A run's interpreter under another path (Sandboxes/python.conf mounts this same binary at
/// /opt/arbiter/python/bin/python3) with a `._pth` file beside it: as python's getpath does, its lines (absolute,
/// or relative to its directory; no `import` lines) are the whole sys.path and its directory is sys.prefix.
/// Read in `accepts` (in the box), used in `enter`. Empty `pth_dir` = the interpreter's own path and sys.path.
static char pth_dir[PATH_MAX];
static char pth_paths[8192];  // the entries, each NUL-terminated, an empty one last

/// Reads `<executable>._pth` as python would; 0 when it is missing, too large or has an `import` line.
static int read_pth(const char *executable) {
    char file[PATH_MAX + 8];
    if (snprintf(file, sizeof file, "%s._pth", executable) >= (int)sizeof file) return 0;
    FILE *f = fopen(file, "re");
    if (!f) return 0;
    const char *slash = strrchr(executable, '/');
    snprintf(pth_dir, sizeof pth_dir, "%.*s", (int)(slash ? slash - executable : 0), executable);
    char line[PATH_MAX];
    size_t used = 0;
    int ok = 1;
    while (ok && fgets(line, sizeof line, f)) {
        char *hash = strchr(line, '#');
        if (hash) *hash = 0;
        char *b = line, *e = line + strlen(line);
        while (*b == ' ' || *b == '\t') b++;
        while (e > b && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t')) e--;
        *e = 0;
        if (!*b) continue;
        if (!strncmp(b, "import ", 7)) ok = 0;
        int n = b[0] == '/' ? snprintf(pth_paths + used, sizeof pth_paths - used, "%s", b)
                            : snprintf(pth_paths + used, sizeof pth_paths - used, "%s/%s", pth_dir, b);
        if (n < 0 || used + (size_t)n + 2 > sizeof pth_paths) ok = 0;
        else used += (size_t)n + 1;
    }
    fclose(f);
    pth_paths[used] = 0;
    if (!ok) pth_dir[0] = 0;
    return ok;
}

/// True for `<interpreter> -s -S -B -P <script>` in the C.UTF-8 locale with PYTHONHASHSEED=0 (the configuration
/// of the warm interpreter), where `<interpreter>` is this interpreter's path or the same binary elsewhere with a
/// `._pth` beside it.
static int accepts(const char *executable, char *const argv[], char *const envp[]) {
    char resolved[PATH_MAX];
    pth_dir[0] = 0;
    if (!interpreter[0] || !realpath(executable, resolved)) return 0;
    if (strcmp(resolved, interpreter) != 0) {
        struct stat a, b;
        if (stat(resolved, &a) != 0 || stat(interpreter, &b) != 0 || a.st_dev != b.st_dev || a.st_ino != b.st_ino)
            return 0;
        if (!read_pth(resolved)) return 0;
    }
    for (int i = 0; i < 6; i++)
        if (!argv[i]) return 0;
    if (argv[6] || strcmp(argv[1], "-s") || strcmp(argv[2], "-S") || strcmp(argv[3], "-B") || strcmp(argv[4], "-P"))
        return 0;
    if (argv[5][0] == '-' || argv[5][0] == 0) return 0;
    return strcmp(ctype_locale(envp), "C.UTF-8") == 0 && python_environment_matches(envp);
}

/// With a `._pth` (see `pth_dir`): sys.path is its entries and every prefix its directory, as python3 sets them.
static int set_pth_paths(void) {
    if (!pth_dir[0]) return 0;
    PyObject *list = PyList_New(0), *dir = PyUnicode_DecodeFSDefault(pth_dir);
    int rc = list && dir ? 0 : -1;
    for (const char *p = pth_paths; rc == 0 && *p; p += strlen(p) + 1) {
        PyObject *item = PyUnicode_DecodeFSDefault(p);
        rc = item && PyList_Append(list, item) == 0 ? 0 : -1;
        Py_XDECREF(item);
    }
    const char *names[] = {"prefix", "exec_prefix", "base_prefix", "base_exec_prefix"};
    for (int i = 0; rc == 0 && i < 4; i++) rc = PySys_SetObject(names[i], dir);
    if (rc == 0) rc = PySys_SetObject("path", list);
    Py_XDECREF(list);
    Py_XDECREF(dir);
    return rc;
}

/// Makes `os.environ` (the same dict as `posix.environ`) and C's `environ` the run's environment.
static int set_environment(char *const envp[]) {
    extern char **environ;
    environ = (char **)envp;
    PyObject *posix = PyImport_ImportModule("posix");
    PyObject *env = posix ? PyObject_GetAttrString(posix, "environ") : NULL;
    Py_XDECREF(posix);
    if (!env || !PyDict_Check(env)) {
        Py_XDECREF(env);
        return -1;
    }
    PyDict_Clear(env);
    int rc = 0;
    for (char *const *e = envp; *e && rc == 0; e++) {
        const char *eq = strchr(*e, '=');
        if (!eq) continue;
        PyObject *k = PyBytes_FromStringAndSize(*e, eq - *e), *v = PyBytes_FromString(eq + 1);
        // The first of two equal keys wins, as in a fresh interpreter's os.environ.
        PyObject *kept = k && v ? PyDict_SetDefault(env, k, v) : NULL;
        rc = kept ? 0 : -1;
        Py_XDECREF(k);
        Py_XDECREF(v);
    }
    Py_DECREF(env);
    return rc;
}

/// `sys.argv` = [script], `sys.orig_argv` = the whole command line and `sys.executable` = the interpreter's path
/// as given (absolute), as python3 sets them.
static int set_argv(char *const argv[]) {
    PyObject *args = Py_BuildValue("[s]", argv[5]);
    PyObject *orig = Py_BuildValue("[ssssss]", argv[0], argv[1], argv[2], argv[3], argv[4], argv[5]);
    PyObject *exe = PyUnicode_DecodeFSDefault(argv[0]);
    int rc = args && orig && exe && PySys_SetObject("argv", args) == 0 && PySys_SetObject("orig_argv", orig) == 0 &&
                     PySys_SetObject("executable", exe) == 0 && PySys_SetObject("_base_executable", exe) == 0
                 ? 0
                 : -1;
    Py_XDECREF(args);
    Py_XDECREF(orig);
    Py_XDECREF(exe);
    return rc;
}

/// Gives the run a `__main__` module of its own, made after the GC froze the zygote's objects. The frozen one's
/// dict would tie every cycle through the script's globals (a class and its methods) to the permanent generation,
/// so that teardown at exit never freed them and their `__del__` never ran; a fresh interpreter frees them.
static int fresh_main_module(void) {
    PyObject *modules = PyImport_GetModuleDict();                  // borrowed
    PyObject *old = PyDict_GetItemString(modules, "__main__");     // borrowed
    PyObject *main = PyModule_New("__main__");
    PyObject *annotations = PyDict_New();
    int rc = old && main && annotations && PyDict_Update(PyModule_GetDict(main), PyModule_GetDict(old)) == 0 &&
                     PyDict_SetItemString(PyModule_GetDict(main), "__annotations__", annotations) == 0 &&
                     PyDict_SetItemString(modules, "__main__", main) == 0
                 ? 0
                 : -1;
    Py_XDECREF(main);
    Py_XDECREF(annotations);
    return rc;
}

/// Runs the script as `python3 <script>` would in this forked copy of the interpreter, then exits with its code:
/// 0, 1 after an uncaught exception (traceback on stderr), SystemExit's code, 2 when the file cannot be opened,
/// 120 when finalization fails.
static void enter(char *const argv[], char *const envp[]) {
    for (int s = 1; s < 65; s++) sigaction(s, &started[s], NULL);
    PyOS_AfterFork_Child();
    if (set_environment(envp) != 0 || set_argv(argv) != 0 || set_pth_paths() != 0 || fresh_main_module() != 0) {
        PyErr_Print();
        _exit(1);
    }
    // python3 runs (and names in __file__ and tracebacks) the script's absolute path; sys.argv[0] stays as given.
    char script[PATH_MAX], cwd[PATH_MAX];
    if (argv[5][0] == '/' || !getcwd(cwd, sizeof cwd)) snprintf(script, sizeof script, "%s", argv[5]);
    else snprintf(script, sizeof script, "%s/%s", strcmp(cwd, "/") ? cwd : "", argv[5]);
    FILE *fp = fopen(script, "rb");
    if (!fp) {
        fprintf(stderr, "%s: can't open file '%s': [Errno %d] %s\n", argv[0], script, errno, strerror(errno));
        _exit(2);
    }
    int code = PyRun_SimpleFileExFlags(fp, script, 1, NULL) != 0 ? 1 : 0;
    if (Py_FinalizeEx() < 0) code = 120;
    exit(code);
}

static const csb_program_hook kHook = {accepts, enter};

/// Starts the interpreter as `python3 -s -S -B -P` with PYTHONHASHSEED=0, preloads, records its signal
/// dispositions. Returns 0, or -1
/// when the interpreter cannot start (then the server still runs, exec'ing every command).
static int start_interpreter(void) {
    // As a fresh python3 in a box starts: every signal at its default, the C.UTF-8 locale of the profiles.
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    for (int s = 1; s < 65; s++) sigaction(s, &dfl, NULL);
    clearenv();
    setenv("LC_ALL", "C.UTF-8", 1);
    setenv("LANG", "C.UTF-8", 1);

    // The `python3` command's configuration (the environment, cleared above, holds no PYTHON* variable), including
    // its locale set-up (the isolated embedding presets would leave the "C" locale: ascii).
    PyPreConfig pre;
    PyPreConfig_InitPythonConfig(&pre);
    PyStatus status = Py_PreInitialize(&pre);
    if (PyStatus_Exception(status)) return -1;
    PyConfig config;
    PyConfig_InitPythonConfig(&config);
    config.user_site_directory = 0;  // -s
    config.site_import = 0;          // -S
    config.write_bytecode = 0;       // -B
    config.safe_path = 1;            // -P
    config.use_hash_seed = 1;        // PYTHONHASHSEED=0
    config.hash_seed = 0;
    // The python profile's interpreter has a `._pth` beside it, which puts CPython in isolated mode (sys.flags
    // isolated=1, ignore_environment=1; the hash seed above still applies): a warm run shows the same flags.
    config.isolated = 1;
    config.use_environment = 0;
    config.parse_argv = 0;
    status = PyConfig_SetBytesString(&config, &config.program_name, "python3");
    if (!PyStatus_Exception(status)) status = Py_InitializeFromConfig(&config);
    PyConfig_Clear(&config);
    if (PyStatus_Exception(status)) return -1;

    for (size_t i = 0; i < sizeof kPreload / sizeof *kPreload; i++) {
        PyObject *m = PyImport_ImportModule(kPreload[i]);
        if (!m) PyErr_Clear();  // a missing module is imported (and fails) in the run instead
        Py_XDECREF(m);
    }
    // Freeze what is loaded so a run's collections never walk (and copy) the shared pages. (Not through
    // PyRun_SimpleString: that would leave `gc` in __main__, which every run gets as its own.)
    PyObject *gc = PyImport_ImportModule("gc");
    PyObject *collected = gc ? PyObject_CallMethod(gc, "collect", NULL) : NULL;
    PyObject *frozen = collected ? PyObject_CallMethod(gc, "freeze", NULL) : NULL;
    Py_XDECREF(gc);
    Py_XDECREF(collected);
    if (!frozen) return -1;
    Py_DECREF(frozen);
    fflush(stdout);
    fflush(stderr);

    PyObject *prefix = PySys_GetObject("base_prefix");  // borrowed
    const char *p = prefix && PyUnicode_Check(prefix) ? PyUnicode_AsUTF8(prefix) : NULL;
    char path[PATH_MAX];
    if (p && snprintf(path, sizeof path, "%s/bin/python%d.%d", p, PY_MAJOR_VERSION, PY_MINOR_VERSION) <
                 (int)sizeof path &&
        !realpath(path, interpreter))
        interpreter[0] = 0;
    PyErr_Clear();
    for (int s = 1; s < 65; s++) sigaction(s, NULL, &started[s]);
    return 0;
}

int main(void) {
    if (start_interpreter() == 0 && interpreter[0]) csb_set_program_hook(&kHook);
    return csb_init_main();
}
