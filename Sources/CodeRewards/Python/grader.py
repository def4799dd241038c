# Grader: a long-lived process in its own box, holding the tests; candidates run in other boxes and are reached
# only through `Proxy` objects that send a call over a pipe and rebuild the answer from plain data. Every
# comparison of an assert happens here, on builtins; this process decides what passed.
#
# Protocol on fd 0 (a unix socket to the supervisor): a job is a 4-byte big-endian length, then that many bytes of
# JSON spec, sent with two file descriptors attached (SCM_RIGHTS): the write end of the candidate's stdin and the
# read end of its stdout. Each job runs in a forked child (tests of one job cannot disturb the next), which
# writes one JSON line with the report back on the socket.
import ast, builtins, gc, importlib, json, math, os, socket, struct, sys

_SOCK = socket.socket(fileno=os.dup(0))
os.dup2(os.open("/dev/null", os.O_RDONLY), 0)
os.dup2(2, 1)  # prints of the test code go to stderr
sys.stdout = open(1, "w", buffering=1)
_PIPE_IN = None
_PIPE_OUT = None


class CandidateGone(Exception):
    pass


class CandidateError(Exception):
    pass


def enc(v):
    t = type(v)
    if v is None or t is bool or t is str:
        return v
    if t is int:
        return v if -(2**53) < v < 2**53 else {"__int__": str(v)}
    if t is float:
        return v if math.isfinite(v) else {"__float__": repr(v)}
    if t is list:
        return [enc(x) for x in v]
    if t is tuple:
        return {"__tuple__": [enc(x) for x in v]}
    if t is dict:
        return {"__dict__": [[enc(k), enc(x)] for k, x in v.items()]}
    if t is set or t is frozenset:
        return {"__set__" if t is set else "__frozenset__": [enc(x) for x in v]}
    if t is bytes:
        return {"__bytes__": v.hex()}
    if t is complex:
        return {"__complex__": [v.real, v.imag]}
    if isinstance(v, Ref):
        return {"__ref__": v.name}
    raise TypeError("cannot send a %s to the candidate" % t.__name__)


def dec(v):
    if isinstance(v, list):
        return [dec(x) for x in v]
    if isinstance(v, dict):
        (tag, x), = v.items()
        if tag == "__tuple__": return tuple(dec(y) for y in x)
        if tag == "__dict__": return {dec(k): dec(y) for k, y in x}
        if tag == "__set__": return set(dec(y) for y in x)
        if tag == "__frozenset__": return frozenset(dec(y) for y in x)
        if tag == "__bytes__": return bytes.fromhex(x)
        if tag == "__complex__": return complex(x[0], x[1])
        if tag == "__float__": return float(x)
        if tag == "__int__": return int(x)
        raise ValueError("bad tag in an answer")
    if v is None or type(v) in (bool, int, float, str):
        return v
    raise ValueError("bad value in an answer")


def recv():
    line = _PIPE_IN.readline()
    if not line:
        raise CandidateGone("the candidate's process ended")
    return json.loads(line)


def send(obj):
    try:
        _PIPE_OUT.write(json.dumps(obj) + "\n")
        _PIPE_OUT.flush()
    except (BrokenPipeError, OSError):
        raise CandidateGone("the candidate's process ended")


class Ref:
    """A value that lives in the candidate's namespace (MBPP setup objects), passed by name."""
    def __init__(self, name):
        self.name = name


class Proxy:
    """Stands for a candidate function: a call is answered by the candidate's box, as plain data."""
    def __init__(self, name):
        self.name = name
        self.__name__ = name

    def __call__(self, *args, **kwargs):
        if kwargs:
            raise TypeError("keyword arguments are not supported by the sandboxed call")
        send({"call": self.name, "args": [enc(a) for a in args]})
        reply = recv()
        if "ok" in reply:
            return dec(reply["ok"])
        name = str(reply.get("exc", "Exception"))
        exc = getattr(builtins, name, None)
        if isinstance(exc, type) and issubclass(exc, Exception) and exc.__module__ == "builtins":
            raise exc(reply.get("msg", ""))
        raise CandidateError("%s: %s" % (name, reply.get("msg", "")))




def contains_assert(node):
    return any(isinstance(n, ast.Assert) for n in ast.walk(node))


def run_units(stmts, ns, filename):
    """Runs statements in order; each statement containing an assert is one test unit. Returns (passed, total,
    first failure). A non-test statement that raises stops the run (the remaining units fail)."""
    units = [s for s in stmts if contains_assert(s)]
    total = len(units)
    passed = 0
    failure = None
    for stmt in stmts:
        code = compile(ast.Module(body=[stmt], type_ignores=[]), filename, "exec")
        if stmt in units:
            try:
                exec(code, ns)
                passed += 1
            except CandidateGone as e:
                failure = failure or "candidate gone: %s" % e
                break
            except BaseException as e:
                failure = failure or "line %d: %s: %s" % (stmt.lineno, type(e).__name__, str(e)[:200])
        else:
            try:
                exec(code, ns)
            except BaseException as e:
                failure = failure or "line %d: %s: %s" % (stmt.lineno, type(e).__name__, str(e)[:200])
                break
    return passed, total, failure


def called_names(node):
    return {n.func.id for n in ast.walk(node) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}


def called_in_every_unit(tree, names):
    """The task's function as the tests show it: the solution's names called in every assert. A builtin name is
    proxied only when it is that function and no other name is (MBPP 126 names its function `sum`)."""
    units = [s for s in tree.body if contains_assert(s)]
    if not units:
        return set()
    common = set.intersection(*(called_names(u) for u in units)) & {k for k, v in names.items() if v == "call"}
    plain = {n for n in common if not hasattr(builtins, n)}
    return set() if plain else common


def referenced_names(tree):
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}


def grade(spec):
    """Runs one job's tests against the candidate behind _PIPE_IN/_PIPE_OUT; returns the report."""
    report = {"passed": 0, "total": 1, "failure": None}
    try:
        load = recv()
    except (CandidateGone, ValueError) as e:
        load = {"load": "error", "error": str(e)}
    tree = ast.parse(spec["test"], "tests.py")
    entry = spec.get("entry_point")
    check_fn = next((s for s in tree.body if isinstance(s, ast.FunctionDef) and s.name == "check"), None)
    units_of = check_fn.body if check_fn is not None and entry else tree.body
    if load.get("load") != "ok":
        report["failure"] = "solution failed to load: " + str(load.get("error"))
        report["total"] = max(1, sum(1 for s in units_of if contains_assert(s)))
        return report
    names = load.get("names", {})
    ns = {"__name__": "tests", "__builtins__": builtins}
    if spec.get("prompt"):
        exec(compile(spec["prompt"], "prompt.py", "exec"), ns)  # trusted helpers (HumanEval's poly, encode_*)
    if check_fn is not None and entry:
        # HumanEval: check(candidate) with candidate = the entry point; each top-level statement of check's body
        # holding an assert is one unit.
        if names.get(entry) != "call":
            report["failure"] = "the solution defines no function %r" % entry
            report["total"] = max(1, sum(1 for s in check_fn.body if contains_assert(s)))
            return report
        others = ast.Module(body=[s for s in tree.body if s is not check_fn], type_ignores=[])
        exec(compile(others, "tests.py", "exec"), ns)
        ns["candidate"] = Proxy(entry)
        ns[entry] = ns["candidate"]
        passed, total, failure = run_units(check_fn.body, ns, "tests.py")
    else:
        # MBPP style: top-level asserts naming the solution's functions. Only names the tests use and the
        # solution defines are proxied, and builtins only when one is the task's function itself: a solution
        # cannot replace the `set` or `sorted` the asserts compare with.
        used = referenced_names(tree)
        task_function = called_in_every_unit(tree, names)
        for name in sorted(used):
            if name in ns or name not in names:
                continue
            if hasattr(builtins, name) and name not in task_function:
                continue
            k = names[name]
            if k == "call":
                ns[name] = Proxy(name)
            elif k.startswith("module:"):
                try:
                    ns[name] = importlib.import_module(k[len("module:"):])
                except Exception:
                    pass
            else:
                ns[name] = Ref(name)
        passed, total, failure = run_units(tree.body, ns, "tests.py")
    if total == 0:
        return {"passed": 1 if failure is None else 0, "total": 1, "failure": failure}
    return {"passed": passed, "total": total, "failure": failure}


def recv_exact(n, fds):
    data = b""
    while len(data) < n:
        chunk, got, _, _ = socket.recv_fds(_SOCK, n - len(data), 2)
        if not chunk:
            return None
        fds.extend(got)
        data += chunk
    return data


# Modules tests commonly import, loaded once here so that every job's fork finds them ready.
import collections, copy, fractions, functools, hashlib, heapq, itertools, random, re, string, typing


def serve():
    global _PIPE_IN, _PIPE_OUT
    while True:
        fds = []
        header = recv_exact(4, fds)
        if header is None:
            return
        body = recv_exact(struct.unpack(">I", header)[0], fds)
        if body is None or len(fds) != 2:
            return
        pid = os.fork()
        if pid == 0:
            _PIPE_OUT = os.fdopen(fds[0], "w", encoding="utf-8")
            _PIPE_IN = os.fdopen(fds[1], "r", encoding="utf-8", errors="replace")
            try:
                report = grade(json.loads(body))
            except BaseException as e:
                report = {"passed": 0, "total": 1, "failure": "grader: %s: %s" % (type(e).__name__, str(e)[:300]),
                          "grader_error": True}
            _SOCK.sendall((json.dumps(report) + "\n").encode())
            os._exit(0)
        for fd in fds:
            os.close(fd)
        _, status = os.waitpid(pid, 0)
        if status != 0:
            _SOCK.sendall((json.dumps({"passed": 0, "total": 1, "grader_error": True,
                                       "failure": "grader child ended with status %d" % status}) + "\n").encode())


# Everything loaded so far moves to a permanent generation (Instagram's copy-on-write fix, Python 3.7+): a job's
# collections in the forked child never walk, and so never copy, the warm interpreter's pages (~2 ms CPU per job).
gc.freeze()
serve()
