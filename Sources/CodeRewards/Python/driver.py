# Candidate-side driver: runs in the candidate's box, next to solution.py. Loads the solution, then answers one
# call per request line with the result as plain data (tagged JSON of builtins only). It never sees a test or an
# expected output, and its answers are compared by a grader outside this process, so exit codes, printed markers
# or objects with a custom __eq__ cannot pass a test.
import builtins, collections, json, math, os, sys, types

_PIPE_IN = os.fdopen(os.dup(0), "r", encoding="utf-8", errors="replace")
_PIPE_OUT = os.fdopen(os.dup(1), "w", encoding="utf-8")
_null = os.open("/dev/null", os.O_RDONLY)
os.dup2(_null, 0)
os.dup2(2, 1)  # the candidate's prints go to stderr, never into the protocol
sys.stdin = open(0, "r")
sys.stdout = open(1, "w", buffering=1)


class Unsupported(Exception):
    pass


# Standard-library containers sent as their plain base type (their equality is the base type's).
_AS_DICT = (collections.Counter, collections.OrderedDict, collections.defaultdict)


def enc(v, depth=0):
    if depth > 200:
        raise Unsupported("nesting deeper than 200")
    t = type(v)
    if v is None or t is bool or t is str:
        return v
    if t is int:
        return v if -(2**53) < v < 2**53 else {"__int__": str(v)}
    if t is float:
        return v if math.isfinite(v) else {"__float__": repr(v)}
    if t is list:
        return [enc(x, depth + 1) for x in v]
    if t is tuple:
        return {"__tuple__": [enc(x, depth + 1) for x in v]}
    if t in _AS_DICT:
        t = dict
    if t is not tuple and issubclass(t, tuple) and hasattr(t, "_fields") and t.__eq__ is tuple.__eq__:
        t = tuple  # a namedtuple without its own __eq__
    if t is dict:
        return {"__dict__": [[enc(k, depth + 1), enc(x, depth + 1)] for k, x in v.items()]}
    if t is set or t is frozenset:
        return {"__set__" if t is set else "__frozenset__": [enc(x, depth + 1) for x in v]}
    if t is bytes:
        return {"__bytes__": v.hex()}
    if t is complex:
        return {"__complex__": [enc(v.real), enc(v.imag)]}
    raise Unsupported("a %s is not plain data" % t.__name__)


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
        if tag == "__complex__": return complex(x[0], x[1])
        if tag == "__float__": return float(x)
        if tag == "__int__": return int(x)
        if tag == "__ref__": return ns[x]
        raise ValueError("bad tag " + tag)
    return v


def send(obj):
    _PIPE_OUT.write(json.dumps(obj) + "\n")
    _PIPE_OUT.flush()


def kind(v):
    if isinstance(v, types.ModuleType):
        return "module:" + getattr(v, "__name__", "")
    return "call" if callable(v) else "value"


def main():
    ns = {"__name__": "solution", "__builtins__": builtins}
    try:
        with open("solution.py", encoding="utf-8") as f:
            exec(compile(f.read(), "solution.py", "exec"), ns)
        if os.path.exists("setup.py"):
            with open("setup.py", encoding="utf-8") as f:
                exec(compile(f.read(), "setup.py", "exec"), ns)
    except BaseException as e:
        send({"load": "error", "error": "%s: %s" % (type(e).__name__, str(e)[:300])})
        return
    send({"load": "ok", "names": {k: kind(v) for k, v in list(ns.items()) if not k.startswith("__")}})
    for line in _PIPE_IN:
        try:
            req = json.loads(line)
            fn = ns[req["call"]]
            args = dec(req.get("args", []), ns)
        except BaseException as e:
            send({"exc": "DriverError", "msg": "%s: %s" % (type(e).__name__, str(e)[:300])})
            continue
        try:
            result = fn(*args)
        except BaseException as e:
            send({"exc": type(e).__name__, "msg": str(e)[:300]})
            continue
        try:
            send({"ok": enc(result)})
        except (Unsupported, RecursionError, ValueError) as e:
            send({"exc": "UnsupportedResult", "msg": str(e)[:300]})


main()
