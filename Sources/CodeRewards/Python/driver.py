# Candidate-side driver: runs in the candidate's box, next to solution.py. Loads the solution, then answers one
# call per request line with the result as plain data (tagged JSON of builtins only). It never sees a test or an
# expected output, and its answers are compared by a grader outside this process, so exit codes, printed markers
# or objects with a custom __eq__ cannot pass a test. It imports nothing beyond the interpreter's start-up
# modules, to start fast: `posix` (built in) instead of `os` (a module to find and load, ~1.7 ms). The supervisor
# usually ships it compiled (marshal, by the box's own interpreter) behind a two-line bootstrap.
import builtins, posix, sys, time

_PIPE_IN = open(posix.dup(0), "r", encoding="utf-8", errors="surrogatepass")
_PIPE_OUT = open(posix.dup(1), "w", encoding="utf-8", errors="surrogatepass")
_null = posix.open("/dev/null", posix.O_RDONLY)
posix.dup2(_null, 0)
posix.dup2(2, 1)  # the candidate's prints go to stderr, never into the protocol
sys.stdin = open(0, "r")
sys.stdout = open(1, "w", buffering=1)
_INF = float("inf")


class Unsupported(Exception):
    pass




def _str(s):
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif o < 0x20 or 0xD800 <= o <= 0xDFFF:
            out.append("\\u%04x" % o)
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _flat(items):
    """The elements of a list or tuple of only strs, only ints or only floats, encoded at C speed (a large answer is
    mostly such rows); None when another type, an escape, a big int or a non-finite float needs `enc`."""
    if not items:
        return None
    types = set(map(type, items))
    if len(types) != 1:
        return None
    t = types.pop()
    if t is str:
        joined = "".join(items)
        if joined.isprintable() and '"' not in joined and "\\" not in joined:
            return '"' + '", "'.join(items) + '"'
    elif t is int:
        if -(2**53) < min(items) and max(items) < 2**53:
            return ", ".join(map(str, items))
    elif t is float:
        if all(-_INF < x < _INF for x in items):
            return ", ".join(map(repr, items))
    return None


def _type_name(t):
    return "%s.%s" % (type.__dict__["__module__"].__get__(t), type.__dict__["__qualname__"].__get__(t))


def enc(v, depth=0):
    """Tagged JSON text of a value: plain data as itself, anything else as {"__opaque__": type name} (the
    grader's stand-in knows only that name and that it is not None)."""
    if depth > 200:
        raise Unsupported("nesting deeper than 200")
    t = type(v)
    if v is None:
        return "null"
    if t is bool:
        return "true" if v else "false"
    if t is str:
        if any("\ud800" <= c <= "\udfff" for c in v):  # lone surrogates: code points, exactly
            return '{"__str__": [%s]}' % ", ".join(str(ord(c)) for c in v)
        return _str(v)
    if t is int:
        return str(v) if -(2**53) < v < 2**53 else '{"__int__": "%s"}' % hex(v)  # hex: no 4300-digit limit
    if t is float:
        return repr(v) if -_INF < v < _INF else '{"__float__": "%r"}' % v
    d = depth + 1
    if t is list:
        return "[" + (_flat(v) or ", ".join(enc(x, d) for x in v)) + "]"
    if t is tuple or (issubclass(t, tuple) and hasattr(t, "_fields")):
        items = tuple(tuple.__iter__(v))
        return '{"__tuple__": [' + (_flat(items) or ", ".join(enc(x, d) for x in items)) + "]}"
    if t is dict or (issubclass(t, dict) and t.__module__ == "collections"):  # Counter, OrderedDict, defaultdict
        return '{"__dict__": [' + ", ".join("[%s, %s]" % (enc(k, d), enc(x, d)) for k, x in dict.items(v)) + "]}"
    if t is set or t is frozenset:
        tag = "__set__" if t is set else "__frozenset__"
        return '{"%s": [' % tag + ", ".join(enc(x, d) for x in v) + "]}"
    if t is bytes:
        return '{"__bytes__": "%s"}' % v.hex()
    if t is complex:
        return '{"__complex__": [%s, %s]}' % (enc(v.real, d), enc(v.imag, d))
    numeric = _numpy_data(v, d)
    if numeric is not None:
        return numeric
    if not _IN_CHILD[0]:  # kept here, known to the grader by its handle (in a forked child it would die with it)
        _HANDLES.append(v)
        return '{"__handle__": [%d, %s]}' % (len(_HANDLES) - 1, _str(_type_name(t)))
    return '{"__opaque__": %s}' % _str(_type_name(t))


# Objects the grader holds handles to (a Remote there), by index; they live as long as the job.
_HANDLES = []
_IN_CHILD = [False]


def _numpy_data(v, depth):
    """numpy's numbers and numeric arrays (bool, int, uint, float, complex), which a solution that imported numpy
    returns: their dtype, shape and values as plain data, so the grader rebuilds them with its own numpy (no
    candidate object ever reaches it). None for anything else."""
    np = sys.modules.get("numpy")
    if np is None:
        return None
    try:
        if isinstance(v, np.ndarray) and v.dtype.kind in "biufc":
            return '{"__ndarray__": [%s, [%s], %s]}' % (
                _str(v.dtype.str), ", ".join(str(int(n)) for n in v.shape), enc(v.tolist(), depth))
        if isinstance(v, np.generic) and v.dtype.kind in "biufc":
            return '{"__npscalar__": [%s, %s]}' % (_str(v.dtype.str), enc(v.item(), depth))
    except Unsupported:
        raise
    except Exception:
        return None
    return None


_JSON = {"__builtins__": {}, "true": True, "false": False, "null": None}


def dec(v, ns):
    if isinstance(v, list):
        return [dec(x, ns) for x in v]
    if isinstance(v, dict):
        (tag, x), = v.items()
        if tag == "__tuple__": return tuple(dec(y, ns) for y in x)
        if tag == "__dict__": return {dec(k, ns): dec(y, ns) for k, y in x}
        if tag == "__set__": return set(dec(y, ns) for y in x)
        if tag == "__frozenset__": return frozenset(dec(y, ns) for y in x)
        if tag == "__bytes__": return bytes.fromhex(x)
        if tag == "__complex__": return complex(dec(x[0], ns), dec(x[1], ns))
        if tag == "__float__": return float.fromhex(x) if x[:3].lstrip("+-")[:2] == "0x" else float(x)
        if tag == "__int__": return int(x, 16) if "x" in x else int(x)
        if tag == "__str__": return "".join(chr(c) for c in x)
        if tag == "__list__": return [dec(y, ns) for y in x]
        if tag == "__ref__": return ns[x]
        if tag == "__handle__": return _HANDLES[x]
        if tag == "__ndarray__" or tag == "__npscalar__": return _numpy_value(tag, x, ns)
        raise ValueError("bad tag " + tag)
    return v


def _numpy_value(tag, x, ns):
    """A numpy array or number the grader sent (the test's own inputs), as numpy; nested lists or the plain number
    where numpy cannot be imported."""
    try:
        import numpy as np
    except ImportError:
        return dec(x[-1], ns)
    if tag == "__npscalar__":
        return np.dtype(x[0]).type(dec(x[1], ns))
    return np.array(dec(x[2], ns), dtype=np.dtype(x[0])).reshape(x[1])


def answer(fn, args, kwargs):
    """The reply to one call: its result as tagged JSON, or the exception's name and message."""
    try:
        result = fn(*args, **kwargs)
    except BaseException as e:
        return '{"exc": %s, "msg": %s}' % (_str(type(e).__name__), _str(str(e)[:300]))
    try:
        return '{"ok": %s}' % enc(result)
    except BaseException as e:
        return '{"exc": "UnsupportedResult", "msg": %s}' % _str(str(e)[:300])


def _raise(e):
    raise e


def answer_in_child(fn, args, kwargs, limit):
    """A call under a case time limit: run in a forked child, killed at the limit, so that no call, however it
    spends its time (in C, or catching every signal), can hold up the next case. What a call changes in the
    solution's state stays in its child. The limit is the call's: once it has returned (the child says so with
    one byte), sending its answer gets time of its own (a large answer is slow to encode, not to compute)."""
    import select
    r, w = posix.pipe()
    pid = posix.fork()
    if pid == 0:
        posix.close(r)
        _IN_CHILD[0] = True
        try:
            result = fn(*args, **kwargs)
        except BaseException as e:
            result = e
        posix.write(w, b"=")
        data = answer(lambda: _raise(result) if isinstance(result, BaseException) else result, (), {}).encode(
            "utf-8", "surrogatepass")
        while data:
            data = data[posix.write(w, data):]
        posix._exit(0)
    posix.close(w)
    deadline = time.monotonic() + limit
    chunks = []
    timed_out = returned = ended = False
    while True:
        wait = deadline - time.monotonic()
        if wait <= 0 or not select.select([r], [], [], wait)[0]:
            timed_out = True
            break
        chunk = posix.read(r, 1 << 16)
        if not chunk:
            ended = True
            break
        if not returned:
            returned = True
            deadline = time.monotonic() + max(10.0, 4 * limit)
            chunk = chunk[1:]
        chunks.append(chunk)
    posix.close(r)
    if timed_out:
        posix.kill(pid, 9)
    posix.waitpid(pid, 0)
    if timed_out and not returned:
        return '{"exc": "TimeLimit", "msg": "over %gs"}' % limit
    if timed_out or not ended:
        return '{"exc": "AnswerTooSlow", "msg": "the answer was not sent within %gs"}' % max(10.0, 4 * limit)
    if not returned:
        return '{"exc": "ProcessExit", "msg": "the call ended its process"}'
    return b"".join(chunks).split(b"\n")[0].decode("utf-8", "surrogatepass")


def send(text):
    _PIPE_OUT.write(text + "\n")
    _PIPE_OUT.flush()


def kind(v):
    if type(v) is type(sys):
        return "module:" + str(getattr(v, "__name__", ""))
    return "call" if callable(v) else "value"


def exists(path):
    try:
        posix.stat(path)
        return True
    except OSError:
        return False


def main():
    ns = {"__name__": "solution", "__builtins__": builtins}
    if exists("solution.py"):
        with open("solution.py", encoding="utf-8") as f:
            source = f.read()
        setup = None
        if exists("setup.py"):
            with open("setup.py", encoding="utf-8") as f:
                setup = f.read()
    else:
        # Started ahead of its job: the first line (from the supervisor) carries the solution.
        job = eval(_PIPE_IN.readline() or "{}", _JSON)
        source, setup = job.get("solution", ""), job.get("setup")
        if job.get("cpu_time_s"):  # the job's CPU limit, below the warm box's ceiling
            import resource
            n = int(job["cpu_time_s"])
            resource.setrlimit(resource.RLIMIT_CPU, (n, n + 1))
    try:
        exec(compile(source, "solution.py", "exec"), ns)
        if setup:
            exec(compile(setup, "setup.py", "exec"), ns)
    except BaseException as e:
        send('{"load": "error", "error": %s}' % _str("%s: %s" % (type(e).__name__, str(e)[:300])))
        return
    names = ", ".join("%s: %s" % (_str(k), _str(kind(v))) for k, v in list(ns.items()) if not k.startswith("__"))
    send('{"load": "ok", "names": {%s}}' % names)
    for line in _PIPE_IN:
        try:
            req = eval(line, _JSON)  # requests come from the trusted grader as Python literals (ascii())
            if "handle" not in req:
                fn = ns[req["call"]]
            elif "attr" in req:
                fn = (lambda o, a: lambda: getattr(o, a))(_HANDLES[req["handle"]], req["attr"])
            else:
                fn = _HANDLES[req["handle"]]
            args = dec(req.get("args", []), ns)
            kwargs = {k: dec(x, ns) for k, x in req.get("kwargs", ())}
            limit = req.get("timeout")
        except BaseException as e:
            send('{"exc": "DriverError", "msg": %s}' % _str("%s: %s" % (type(e).__name__, str(e)[:300])))
            continue
        send(answer(fn, args, kwargs) if not limit else answer_in_child(fn, args, kwargs, limit))

main()
