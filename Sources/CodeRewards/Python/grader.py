# Grader: a long-lived process in its own box, holding the tests; candidates run in other boxes and are reached
# only through `Proxy` objects that send a call over a pipe and rebuild the answer from plain data. Every
# comparison happens here, on builtins; every test framework (unittest, pytest) runs here; this process decides
# what passed. No candidate code runs in this process, so none can patch an assert helper, a report or a module.
#
# Protocol on fd 0 (a unix socket to the supervisor): a job is a 4-byte big-endian length, then that many bytes of
# JSON spec, sent with two file descriptors attached (SCM_RIGHTS): the write end of the candidate's stdin and the
# read end of its stdout. Each job runs in a forked child (tests of one job cannot disturb the next), which
# writes one JSON line with the report back on the socket.
#
# Spec: {"kind": "assert"|"unittest"|"pytest"|"call", "test": source (not for call), "entry_point", "prompt",
# "fn" and "cases" (call), "atol", "rtol", "tolerance", "case_timeout_s"}. Report: {"passed", "total",
# "failure", "tests": [{"name", "passed", "message"}…], "grader_error"?}. Zero tests run is never a pass.
#
# Values (both directions): tagged JSON; see `dec` and driver.py's `enc`. Messages to the candidate are Python
# literals written with ascii() (the driver reads them with eval and no builtins): every code point travels as
# itself, lone surrogates and non-BMP characters included.
import ast, builtins, gc, importlib, json, math, os, select, socket, struct, sys, time, types

_SOCK = socket.socket(fileno=os.dup(0))
os.dup2(os.open("/dev/null", os.O_RDONLY), 0)
os.dup2(2, 1)  # prints of the test code go to stderr
sys.stdout = open(1, "w", buffering=1)
os.environ["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
_PIPE_IN = None  # fd of the candidate's stdout
_PIPE_OUT = None  # fd of the candidate's stdin
_BUFFER = bytearray()
_STATE = {"calls": 0, "gone": None, "case_timeout": None}


class CandidateGone(Exception):
    pass


class CandidateError(Exception):
    pass


class CallTimeLimit(CandidateError):
    """The driver stopped a call at the case's time limit."""


class CandidateTimedOut(CandidateGone):
    """The candidate's box sent no answer within the case's limit and its slack."""


class Opaque:
    """A candidate result that is not plain data: known only by its type name (from the driver's report) and by
    not being None. Any other use raises, so the test that uses it fails with this reason; none of the
    candidate's methods is ever called."""
    __slots__ = ("type_name",)

    def __init__(self, type_name):
        object.__setattr__(self, "type_name", type_name)

    def _reason(self):
        return ("the candidate returned a %s, which is not plain data: a test may only check that it is not None or "
                "its type name" % self.type_name)

    def _refuse(self, *args, **kwargs):
        raise TypeError(self._reason())

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __hash__ = __bool__ = __len__ = __iter__ = _refuse
    __contains__ = __getitem__ = __call__ = __add__ = __int__ = __float__ = __index__ = _refuse

    def __getattr__(self, name):
        self._refuse()

    def __repr__(self):
        return "<%s from the candidate, not plain data>" % self.type_name


def named_after(cls, type_name, *args):
    """An instance of `cls` (Opaque or Remote) whose class is named after the candidate's type, so
    `type(x).__name__` tells it."""
    short = str(type_name).rsplit(".", 1)[-1] or "object"
    return type(short, (cls,), {"__slots__": (), "__module__": "candidate"})(*args, str(type_name))


class Ref:
    """A value that lives in the candidate's namespace (MBPP setup objects), passed by name."""
    def __init__(self, name):
        self.name = name


def enc(v):
    t = type(v)
    if v is None or t is bool:
        return v
    if t is str:
        return v if not any(0xD800 <= ord(c) <= 0xDFFF for c in v) else {"__str__": [ord(c) for c in v]}
    if t is int:
        return v if -(2**53) < v < 2**53 else {"__int__": hex(v)}
    if t is float:
        return {"__float__": v.hex()}  # exact, and a float stays a float (3.0 is not 3)
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
        return {"__complex__": [enc(v.real), enc(v.imag)]}
    if isinstance(v, Ref):
        return {"__ref__": v.name}
    np = sys.modules.get("numpy")
    if np is not None and isinstance(v, (np.ndarray, np.generic)) and v.dtype.kind in "biufc":
        if isinstance(v, np.ndarray):
            return {"__ndarray__": [v.dtype.str, list(v.shape), enc(v.tolist())]}
        return {"__npscalar__": [v.dtype.str, enc(v.item())]}
    if isinstance(v, Remote):
        return {"__handle__": v.handle}
    if isinstance(v, Opaque):
        raise TypeError("a %s the candidate returned cannot be sent back to it" % v.type_name)
    raise TypeError("cannot send a %s to the candidate" % t.__name__)


_TRUSTED = {"on": False}  # decoding the job's own spec (its decimal integers may exceed Python's 4300 digits)


def number(x):
    """A number from its text: 0x hex (ints of any size, and float.hex), else decimal. Python's limit on decimal
    integer text (4300 digits, against quadratic parsing) holds for the candidate's answers; answers use hex."""
    if isinstance(x, (int, float)) and not isinstance(x, bool):
        return x
    if isinstance(x, str):
        if x.startswith(("0x", "-0x", "+0x")) or "p" in x:
            return float.fromhex(x) if ("." in x or "p" in x) else int(x, 16)
        if any(c in x for c in ".eEinfa"):
            return float(x)
        if not _TRUSTED["on"]:
            return int(x)
        old = sys.get_int_max_str_digits()
        sys.set_int_max_str_digits(0)
        try:
            return int(x)
        finally:
            sys.set_int_max_str_digits(old)
    raise ValueError("bad number %r" % (x,))


def shown(v, n):
    """repr(v), at most n characters (an integer too long for Python's str() is described instead)."""
    try:
        return repr(v)[:n]
    except ValueError:
        return "<an integer too long to print>"


_TAGS = {
    "__tuple__": lambda x: tuple(dec(y) for y in x),
    "__list__": lambda x: [dec(y) for y in x],
    "__dict__": lambda x: {dec(k): dec(y) for k, y in x},
    "__set__": lambda x: set(dec(y) for y in x),
    "__frozenset__": lambda x: frozenset(dec(y) for y in x),
    "__bytes__": lambda x: bytes.fromhex(x),
    "__complex__": lambda x: complex(dec(x[0]), dec(x[1])),
    "__float__": lambda x: float(number(x)),
    "__int__": lambda x: int(number(x)),
    "__str__": lambda x: "".join(chr(c) for c in x),
    "__opaque__": lambda x: named_after(Opaque, x),
    "__handle__": lambda x: named_after(Remote, x[1], x[0]),
    "__ndarray__": lambda x: numpy_value("__ndarray__", x),
    "__npscalar__": lambda x: numpy_value("__npscalar__", x),
}


def numpy_value(tag, x):
    """A numpy array or number the candidate returned, rebuilt from its dtype, shape and values with the grader's
    own numpy (nested lists, or the plain number, where numpy cannot be imported)."""
    try:
        import numpy as np
    except ImportError:
        return dec(x[-1])
    dtype = np.dtype(x[0])
    if dtype.kind not in "biufc":
        raise ValueError("bad dtype in an answer")
    if tag == "__npscalar__":
        return dtype.type(dec(x[1]))
    return np.array(dec(x[2]), dtype=dtype).reshape([int(n) for n in x[1]])


def dec(v):
    """A value from tagged JSON: a one-key object with a known tag is that type; any other object is a dict with
    string keys (test inputs), a list a list."""
    if isinstance(v, list):
        return [dec(x) for x in v]
    if isinstance(v, dict):
        if len(v) == 1:
            (tag, x), = v.items()
            if tag in _TAGS:
                return _TAGS[tag](x)
        return {k: dec(x) for k, x in v.items()}
    if v is None or type(v) in (bool, int, float, str):
        return v
    raise ValueError("bad value in an answer")


def recv(deadline):
    """One line from the candidate, waiting until `deadline` (time.monotonic) at most."""
    global _BUFFER
    scanned = 0  # the buffer before this holds no newline (a large answer is scanned once, not per chunk)
    while _BUFFER.find(b"\n", scanned) < 0:
        scanned = len(_BUFFER)
        wait = None if deadline is None else deadline - time.monotonic()
        if wait is not None and wait <= 0:
            raise CandidateTimedOut("no answer within the case's time limit of %gs" % _STATE["case_timeout"])
        ready, _, _ = select.select([_PIPE_IN], [], [], wait)
        if not ready:
            continue
        chunk = os.read(_PIPE_IN, 1 << 16)
        if not chunk:
            raise CandidateGone("the candidate's process ended")
        _BUFFER += chunk
    line, _, rest = bytes(_BUFFER).partition(b"\n")
    _BUFFER = bytearray(rest)
    return json.loads(line.decode("utf-8", "replace"))


def send(obj):
    data = (ascii(obj) + "\n").encode()
    try:
        while data:
            data = data[os.write(_PIPE_OUT, data):]
    except OSError:
        raise CandidateGone("the candidate's process ended")


def request(msg):
    """Sends one request to the candidate's driver and returns its answer as a grader value, or raises the call's
    exception (a builtin one as itself, any other as CandidateError)."""
    if _STATE["gone"]:
        raise CandidateGone(_STATE["gone"])
    limit = _STATE["case_timeout"]
    if limit:
        msg["timeout"] = limit
    _STATE["calls"] += 1
    try:
        send(msg)
        # The driver stops a call at its limit and then gives sending the answer max(10 s, 4 x limit); this
        # deadline (with slack) covers a driver that does neither.
        reply = recv(None if not limit else time.monotonic() + limit + max(10.0, 4 * limit) + 1.0)
    except CandidateGone as e:
        _STATE["gone"] = str(e)
        raise
    if "ok" in reply:
        return dec(reply["ok"])
    name = str(reply.get("exc", "Exception"))
    if name == "TimeLimit":
        raise CallTimeLimit("the call exceeded the case's time limit of %gs" % limit)
    exc = getattr(builtins, name, None)
    if isinstance(exc, type) and issubclass(exc, Exception) and exc.__module__ == "builtins":
        raise exc(reply.get("msg", ""))
    raise CandidateError("%s: %s" % (name, reply.get("msg", "")))


def arguments(msg, args, kwargs):
    msg["args"] = [enc(a) for a in args]
    if kwargs:
        msg["kwargs"] = [[k, enc(v)] for k, v in kwargs.items()]
    return msg


class Proxy:
    """Stands for a candidate function: a call is answered by the candidate's box, as plain data."""
    def __init__(self, name):
        self.name = name
        self.__name__ = name

    def __call__(self, *args, **kwargs):
        return request(arguments({"call": self.name}, args, kwargs))


class Remote(Opaque):
    """An object that lives in the candidate's box (an instance of the solution's class, a bound method, a
    generator...), known here by a handle: reading an attribute or calling it is a request the candidate's box
    answers (plain data, or another Remote), so `Solution().two_sum(...)` and `ListNode(1, ListNode(2))` work.
    As an Opaque, it is never compared, hashed, iterated or tested for truth here: those would run the candidate's
    methods on the grader's side of a verdict (an always-equal `__eq__`), so they raise and the test fails."""
    __slots__ = ("handle",)

    def __init__(self, handle, type_name):
        Opaque.__init__(self, type_name)
        object.__setattr__(self, "handle", int(handle))

    def _reason(self):
        return ("a %s lives in the candidate's box: a test may call its methods and read its attributes, not "
                "compare, hash, iterate or test it" % self.type_name)

    __setattr__ = Opaque._refuse

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)  # protocol probes (copy, numpy, pickle) stay on this side
        return request({"handle": self.handle, "attr": str(name)})

    def __call__(self, *args, **kwargs):
        return request(arguments({"handle": self.handle}, args, kwargs))

    def __repr__(self):
        return "<%s in the candidate's box>" % self.type_name


def contains_assert(node):
    return any(isinstance(n, ast.Assert) for n in ast.walk(node))


def brief(e):
    return "%s: %s" % (type(e).__name__, str(e)[:200])


def run_units(stmts, ns, filename, results):
    """Runs statements in order; each statement containing an assert is one test unit. Returns (passed, total,
    first failure). A non-test statement that raises stops the run (the remaining units fail)."""
    units = [s for s in stmts if contains_assert(s)]
    total = len(units)
    start = len(results)
    passed = 0
    failure = None
    for stmt in stmts:
        code = compile(ast.Module(body=[stmt], type_ignores=[]), filename, "exec")
        name = "line %d" % stmt.lineno
        if stmt in units:
            try:
                exec(code, ns)
                passed += 1
                results.append({"name": name, "passed": True, "message": None})
            except CandidateGone as e:
                failure = failure or "candidate gone: %s" % e
                results.append({"name": name, "passed": False, "message": "candidate gone: %s" % e})
                break
            except BaseException as e:
                failure = failure or "%s: %s" % (name, brief(e))
                results.append({"name": name, "passed": False, "message": brief(e)})
        else:
            try:
                exec(code, ns)
            except BaseException as e:
                failure = failure or "%s: %s" % (name, brief(e))
                break
    for stmt in units[len(results) - start:]:  # units a stopped run never reached fail
        results.append({"name": "line %d" % stmt.lineno, "passed": False, "message": "not run: " + failure})
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


def candidate_names(tree, names, task_function=frozenset()):
    """Stand-ins for the solution's names the tests use: a Proxy per function, the module for a module, a Ref per
    value. Builtins are never replaced unless one is the task's function itself: a solution cannot replace the
    `set` or `sorted` the tests compare with."""
    out = {}
    for name in sorted(referenced_names(tree)):
        if name not in names or (hasattr(builtins, name) and name not in task_function):
            continue
        k = names[name]
        if k == "call":
            out[name] = Proxy(name)
        elif k.startswith("module:"):
            try:
                out[name] = importlib.import_module(k[len("module:"):])
            except Exception:
                pass
        else:
            out[name] = Ref(name)
    return out


def framework_of(tree):
    """'unittest' when the file defines TestCase classes, 'pytest' when it defines test_ functions, else None."""
    def base_name(b):
        return b.attr if isinstance(b, ast.Attribute) else getattr(b, "id", "")
    for s in tree.body:
        if isinstance(s, ast.FunctionDef) and s.name.startswith("test"):
            return "pytest"
    for s in tree.body:
        if isinstance(s, ast.ClassDef) and any(base_name(b).endswith("TestCase") for b in s.bases):
            return "unittest"
    return None


def solution_module(names):
    """`solution`, as `from solution import f` finds it: every function of the solution as a Proxy."""
    m = types.ModuleType("solution")
    for k, v in names.items():
        if v == "call":
            setattr(m, k, Proxy(k))
    return m


def install_candidate(tree, names):
    """For framework tests: the candidate's names reachable as globals (through builtins: a name the test file
    defines wins) and as the module `solution`."""
    sys.modules["solution"] = solution_module(names)
    for k, v in candidate_names(tree, names).items():
        setattr(builtins, k, v)


def run_unittest(source, ns, results):
    import unittest
    exec(compile(source, "tests.py", "exec"), ns)

    class Collect(unittest.TestResult):
        def record(self, test, ok, message):
            results.append({"name": test.id(), "passed": ok, "message": message})

        def addSuccess(self, test):
            if not any(r["name"] == test.id() and not r["passed"] for r in results):  # failed subtests
                self.record(test, True, None)

        def addFailure(self, test, err):
            self.record(test, False, brief(err[1]))

        def addError(self, test, err):
            self.record(test, False, brief(err[1]))

        def addSkip(self, test, reason):
            self.record(test, False, "skipped: %s" % reason)

        def addExpectedFailure(self, test, err):
            self.record(test, True, None)

        def addUnexpectedSuccess(self, test):
            self.record(test, False, "unexpected success")

        def addSubTest(self, test, subtest, err):
            if err is not None:
                self.record(test, False, "%s: %s" % (subtest._subDescription(), brief(err[1])))

    loader = unittest.TestLoader()
    suite = unittest.TestSuite()
    for obj in list(ns.values()):
        if isinstance(obj, type) and issubclass(obj, unittest.TestCase) and obj.__module__ == "tests":
            suite.addTests(loader.loadTestsFromTestCase(obj))
    suite.run(Collect())


def run_pytest(source, results):
    try:
        import pytest
    except ImportError:
        raise RuntimeError("pytest is not installed in the grader's interpreter (Debian python3-pytest)")
    import tempfile
    d = tempfile.mkdtemp(prefix="tests-")
    with open(os.path.join(d, "pytest.ini"), "w") as f:
        f.write("[pytest]\n")
    path = os.path.join(d, "test_sample.py")
    with open(path, "w", encoding="utf-8") as f:
        f.write(source)

    class Collect:
        def pytest_runtest_logreport(self, report):
            if report.when == "call" or report.outcome != "passed":
                message = None
                if report.outcome != "passed":
                    message = ("skipped: " if report.outcome == "skipped" else "") + str(report.longrepr)[-300:]
                results.append({"name": report.nodeid, "passed": report.outcome == "passed" and
                                report.when == "call", "message": message})

        def pytest_collectreport(self, report):
            if report.outcome == "failed":
                results.append({"name": "collect " + report.nodeid, "passed": False,
                                "message": "collection failed: " + str(report.longrepr)[-300:]})

    try:
        pytest.main([path, "-qq", "--tb=short", "-p", "no:cacheprovider", "-p", "no:stepwise", "--rootdir", d, "-c",
                     os.path.join(d, "pytest.ini")], plugins=[Collect()])
    finally:
        import shutil
        shutil.rmtree(d, ignore_errors=True)  # the grader's /tmp lives as long as the grader


def close(out, exp, atol, rtol):
    """EvalPlus's tolerance (numpy.allclose): |out - exp| <= atol + rtol * |exp|, element by element through
    lists, tuples and dict values; containers must have the same type and length."""
    if isinstance(exp, (int, float)) and not isinstance(exp, bool):
        if not isinstance(out, (int, float)) or isinstance(out, bool):
            return False
        return abs(out - exp) <= atol + rtol * abs(exp)
    if isinstance(exp, (list, tuple)):
        return type(out) is type(exp) and len(out) == len(exp) and all(
            close(o, e, atol, rtol) for o, e in zip(out, exp))
    if isinstance(exp, dict):
        return type(out) is dict and out.keys() == exp.keys() and all(
            close(out[k], exp[k], atol, rtol) for k in exp)
    return out == exp


def legacy_close(out, exp, tol):
    """The recipe-wide tolerance: |out - exp| <= tol * max(1, |exp|)."""
    if isinstance(exp, (int, float)) and not isinstance(exp, bool):
        return isinstance(out, (int, float)) and not isinstance(out, bool) and abs(out - exp) <= tol * max(1, abs(exp))
    if isinstance(exp, (list, tuple)):
        return type(out) is type(exp) and len(out) == len(exp) and all(
            legacy_close(o, e, tol) for o, e in zip(out, exp))
    if isinstance(exp, dict):
        return type(out) is dict and out.keys() == exp.keys() and all(legacy_close(out[k], exp[k], tol) for k in exp)
    return out == exp


def run_calls(spec, results):
    """`call` tests: each case's inputs go to the candidate's function; its result must == the expected value
    (Python's ==, so True == 1 and (1,) != [1]), or be close within the sample's atol/rtol."""
    fn = Proxy(spec["fn"])
    atol, rtol = float(spec.get("atol") or 0), float(spec.get("rtol") or 0)
    if spec.get("atol") is not None and spec.get("rtol") is None:
        rtol = 1e-07  # numpy.allclose's default, as EvalPlus calls it
    tol = float(spec.get("tolerance") or 0)
    for i, case in enumerate(spec["cases"]):
        name = "case %d" % i
        started = time.monotonic()
        try:
            _TRUSTED["on"] = True
            try:
                args, exp = dec(case["input"]), dec(case["output"])
            finally:
                _TRUSTED["on"] = False
            out = fn(*args)
            np = sys.modules.get("numpy")
            if np is not None and isinstance(out, np.ndarray):
                # An array answer: equal to an expected array by shape and values, to expected plain data by its
                # values as nested lists (an element-wise == has no single truth value).
                ok = np.array_equal(out, exp) if isinstance(exp, np.ndarray) else out.tolist() == exp
                if not ok and not isinstance(exp, np.ndarray):
                    out = out.tolist()
            else:
                ok = out == exp
            if not ok and (atol or rtol):
                ok = close(out, exp, atol, rtol)
            if not ok and tol:
                ok = legacy_close(out, exp, tol)
            message = None if ok else "expected %s, got %s" % (shown(exp, 100), shown(out, 160))
            outcome = None if ok else "wrong_answer"
        except BaseException as e:
            ok, message = False, brief(e)
            outcome = "time_limit" if isinstance(e, (CallTimeLimit, CandidateTimedOut)) else "runtime_error"
        results.append({"name": name, "passed": bool(ok), "message": message, "outcome": outcome,
                        "time": round(time.monotonic() - started, 6)})


def grade(spec):
    """Runs one job's tests against the candidate behind _PIPE_IN/_PIPE_OUT; returns the report."""
    results = []
    kind = spec.get("kind", "assert")
    _STATE["case_timeout"] = spec.get("case_timeout_s")
    try:
        load = recv(time.monotonic() + float(spec.get("load_timeout_s") or 3600))
    except (CandidateGone, ValueError) as e:
        load = {"load": "error", "error": str(e)}
    tree = ast.parse(spec.get("test") or "", "tests.py")
    entry = spec.get("entry_point")
    check_fn = next((s for s in tree.body if isinstance(s, ast.FunctionDef) and s.name == "check"), None)
    if kind == "assert" and not (check_fn is not None and entry):
        kind = framework_of(tree) or kind  # tests written as TestCase classes or test_ functions are run as such
    units_of = check_fn.body if check_fn is not None and entry else tree.body
    if load.get("load") != "ok":
        total = len(spec.get("cases") or ()) or sum(1 for s in units_of if contains_assert(s))
        return {"passed": 0, "total": max(1, total), "tests": [],
                "failure": "solution failed to load: " + str(load.get("error"))}
    names = load.get("names", {})
    ns = {"__name__": "tests", "__builtins__": builtins}
    if spec.get("prompt"):
        exec(compile(spec["prompt"], "prompt.py", "exec"), ns)  # trusted helpers (HumanEval's poly, encode_*)
    failure = None
    if kind == "call":
        run_calls(spec, results)
    elif kind == "unittest":
        install_candidate(tree, names)
        run_unittest(spec["test"], ns, results)
    elif kind == "pytest":
        install_candidate(tree, names)
        run_pytest(spec["test"], results)
    elif check_fn is not None and entry:
        # HumanEval: check(candidate) with candidate = the entry point; each top-level statement of check's body
        # holding an assert is one unit.
        if names.get(entry) != "call":
            return {"passed": 0, "total": max(1, sum(1 for s in check_fn.body if contains_assert(s))), "tests": [],
                    "failure": "the solution defines no function %r" % entry}
        others = ast.Module(body=[s for s in tree.body if s is not check_fn], type_ignores=[])
        exec(compile(others, "tests.py", "exec"), ns)
        ns["candidate"] = Proxy(entry)
        ns[entry] = ns["candidate"]
        _, _, failure = run_units(check_fn.body, ns, "tests.py", results)
    else:
        # MBPP style: top-level asserts naming the solution's functions.
        ns.update(candidate_names(tree, names, called_in_every_unit(tree, names)))
        _, _, failure = run_units(tree.body, ns, "tests.py", results)
    passed = sum(1 for r in results if r["passed"])
    total = len(results)
    if failure is None:
        failure = next(("%s: %s" % (r["name"], r["message"]) for r in results if not r["passed"]), None)
    if total == 0:
        return {"passed": 0, "total": 1, "tests": [], "failure": failure or "no test ran (%s tests)" % kind}
    if _STATE["calls"] == 0:
        return {"passed": 0, "total": total, "tests": results,
                "failure": "the tests never called the candidate's code"}
    return {"passed": passed, "total": total, "failure": failure, "tests": results if spec.get("all_results") else results[:200]}


def recv_exact(n, fds):
    data = b""
    while len(data) < n:
        chunk, got, _, _ = socket.recv_fds(_SOCK, n - len(data), 2)
        if not chunk:
            return None
        fds.extend(got)
        data += chunk
    return data


# Modules tests commonly import, loaded once here so that every job's fork finds them ready, unittest included.
# pytest (Debian's python3-pytest, outside -S's path) is imported by the jobs that use it (~0.4 s of CPU, which
# every grader's start would pay otherwise).
import collections, copy, fractions, functools, hashlib, heapq, itertools, random, re, string, typing, unittest
sys.path.append("/usr/lib/python3/dist-packages")


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
            _PIPE_OUT, _PIPE_IN = fds
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
