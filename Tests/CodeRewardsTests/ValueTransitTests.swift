import CodeRewards
import RewardKit
import Sandbox
import Testing

/// Values travel unchanged between the grader and the candidate, in both directions and in every Python kind,
/// and compare by Python's `==` (with an optional per-sample atol/rtol, EvalPlus's semantics).
@Suite(.serialized) struct ValueTransitTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var id: String
        /// A Python expression for the value (built in the grader, sent to the candidate and back).
        var python: String
        /// The same value as a `call` test writes it (tagged JSON).
        var json: JSON
        var testDescription: String { id }
    }

    static let table: [Row] = [
        Row(id: "None", python: "None", json: .null),
        Row(id: "bool", python: "True", json: true),
        Row(id: "int", python: "-7", json: -7),
        Row(id: "int beyond 64 bits", python: "2**70 + 1", json: ["__int__": "1180591620717411303425"]),
        Row(
            id: "int over 4300 digits", python: "10**5000 + 3",
            json: ["__int__": .string("1" + String(repeating: "0", count: 4999) + "3")]),
        Row(id: "integral float", python: "3.0", json: .double(3.0)),
        Row(id: "float", python: "0.1", json: .double(0.1)),
        Row(id: "negative zero", python: "-0.0", json: ["__float__": "-0.0"]),
        Row(id: "inf", python: "float('inf')", json: ["__float__": "inf"]),
        Row(id: "-inf", python: "float('-inf')", json: ["__float__": "-inf"]),
        Row(id: "str non-BMP", python: "'a\\U0001f600b'", json: "a\u{1F600}b"),
        Row(id: "str control and quotes", python: "'\\x00\\n\"\\\\\\u2028'", json: "\u{0}\n\"\\\u{2028}"),
        Row(id: "lone surrogate", python: "'x\\ud800y'", json: ["__str__": [120, 55296, 121]]),
        Row(id: "list", python: "[1, [2.0, 'x']]", json: [1, [2.0, "x"]]),
        Row(id: "tuple", python: "(1, (2, 3))", json: ["__tuple__": [1, ["__tuple__": [2, 3]]]]),
        Row(id: "empty tuple", python: "()", json: ["__tuple__": []]),
        Row(id: "set", python: "{3, 1, 2}", json: ["__set__": [1, 2, 3]]),
        Row(id: "frozenset", python: "frozenset({'a'})", json: ["__frozenset__": ["a"]]),
        Row(id: "dict with string keys", python: "{'a': 1, 'b': [None]}", json: ["a": 1, "b": [.null]]),
        Row(
            id: "dict with non-string keys", python: "{1: 'x', (2, 3): 4.0, None: True}",
            json: ["__dict__": [[1, "x"], [["__tuple__": [2, 3]], 4.0], [.null, true]]]),
        Row(id: "bytes", python: "b'\\x00\\xff'", json: ["__bytes__": "00ff"]),
        Row(id: "complex", python: "complex(1.5, -2.0)", json: ["__complex__": [1.5, -2.0]]),
        // Flat lists and tuples of one scalar type take the driver's fast path; these need its fallback.
        Row(
            id: "strs with escapes", python: "['a', 'b\"c', 'd\\\\e', 'f\\n', 'g\\u2028']",
            json: ["a", "b\"c", "d\\e", "f\n", "g\u{2028}"]),
        Row(
            id: "strs, a lone surrogate", python: "('x', 'y\\udfff')",
            json: ["__tuple__": ["x", ["__str__": [121, 57343]]]]),
        Row(id: "ints, one beyond 2**53", python: "[1, 2**53]", json: [1, ["__int__": "9007199254740992"]]),
        Row(
            id: "floats, one infinite", python: "(0.5, float('inf'))", json: ["__tuple__": [0.5, ["__float__": "inf"]]]),
        Row(
            id: "strs", python: "tuple(['Red', 'Green', 'é漢'] * 3)",
            json: ["__tuple__": .array(Array(repeating: ["Red", "Green", "é漢"], count: 3).flatMap { $0 })]),
        Row(id: "ints and a bool", python: "[1, True, 2]", json: [1, true, 2]),
    ]

    /// assert kind: the value built in the grader reaches the candidate and comes back equal, of the same type.
    @Test(arguments: table)
    func roundTripThroughAsserts(_ row: Row) async throws {
        let tests: JSON = [
            "kind": "assert",
            "code": .string(
                """
                v = \(row.python)
                r = echo(v)
                assert type(r) is type(v) and r == v and (type(v) is int or repr(r) == repr(v))
                assert kind(v) == type(v).__name__
                """),
        ]
        let code = "def echo(x):\n    return x\ndef kind(x):\n    return type(x).__name__\n"
        let grade = try await Fixtures.sharedGrader().grade(Fixtures.sample(code: code, tests: tests))
        #expect(grade.allPassed, "\(row.id): \(grade)")
    }

    /// call kind: the JSON value reaches the candidate as that Python value (its type and repr checked there) and
    /// the answer equals the expected value.
    @Test(arguments: table)
    func roundTripThroughCalls(_ row: Row) async throws {
        let code = """
            def check(x):
                v = \(row.python)
                assert type(x) is type(v) and x == v and (type(v) is int or repr(x) == repr(v))
                return x
            """
        let tests: JSON = ["kind": "call", "fn": "check", "cases": [["input": [row.json], "output": row.json]]]
        let grade = try await Fixtures.sharedGrader().grade(Fixtures.sample(code: code, tests: tests))
        #expect(grade.allPassed, "\(row.id): \(grade)")
    }

    /// NaN travels as NaN (and, as in Python, is not equal to itself).
    @Test func nanTravels() async throws {
        let tests: JSON = ["kind": "assert", "code": "import math\nassert math.isnan(echo(float('nan')))\n"]
        let grade = try await Fixtures.sharedGrader().grade(
            Fixtures.sample(code: "def echo(x):\n    return x\n", tests: tests))
        #expect(grade.allPassed, "\(grade)")
    }

    /// Python's `==`: True == 1 and 1 == 1.0 pass; a list is not a tuple, a tuple not a list, 3 is not "3".
    @Test(
        arguments: [
            ("True", .int(1), true), ("1", .double(1.0), true), ("[1, 2]", ["__tuple__": [1, 2]], false),
            ("(1, 2)", [1, 2], false), ("3", "3", false), ("{1, 2}", ["__set__": [2, 1]], true),
            ("{1, 2}", [1, 2], false), ("{'a': 1}", ["a": 1], true),
        ] as [(String, JSON, Bool)])
    func comparisonIsPythonEquality(result: String, expected: JSON, equal: Bool) async throws {
        let tests: JSON = ["kind": "call", "fn": "f", "cases": [["input": [], "output": expected]]]
        let grade = try await Fixtures.sharedGrader().grade(
            Fixtures.sample(
                code: "def f():\n    return \(result)\n",
                tests: tests))
        #expect(grade.allPassed == equal, "\(result) vs \(expected.jsonText): \(grade)")
    }

    /// Per-sample tolerance (EvalPlus: |out − exp| ≤ atol + rtol·|exp|, nested), and none without it.
    @Test(
        arguments: [
            (nil, nil, "1.0 + 1e-9", false), (1e-6, nil, "1.0 + 1e-7", true), (1e-6, nil, "1.0 + 1e-3", false),
            (1e-6, nil, "[1.0 + 1e-7, (2.0 - 1e-7,)]", true), (nil, 1e-3, "1000.5", true), (nil, 1e-3, "1002.0", false),
            (1e-6, nil, "[1.0, (2.0,), 3.0]", false),
        ] as [(Double?, Double?, String, Bool)])
    func tolerance(atol: Double?, rtol: Double?, result: String, passes: Bool) async throws {
        let expected: JSON = result.hasPrefix("[") ? [1.0, ["__tuple__": [2.0]]] : 1000.0
        let output: JSON = result.hasPrefix("1.0") ? .double(1.0) : expected
        var tests = JSONObject([("kind", "call"), ("fn", "f"), ("cases", [["input": [], "output": output]])])
        if let atol { tests["atol"] = .double(atol) }
        if let rtol { tests["rtol"] = .double(rtol) }
        let grade = try await Fixtures.sharedGrader().grade(
            Fixtures.sample(code: "def f():\n    return \(result)\n", tests: .object(tests)))
        #expect(grade.allPassed == passes, "\(result) atol \(atol ?? 0) rtol \(rtol ?? 0): \(grade)")
    }

    /// numpy's numbers and numeric arrays travel as numpy in both directions: dtype, shape (also empty) and values
    /// are rebuilt by the grader's own numpy, so tests written against numpy results pass for a correct solution.
    @Test func numpyValuesTravelAsNumpy() async throws {
        let code = """
            import numpy as np
            def double(x):
                return np.asarray(x) * 2
            def half():
                return np.float64(2.5)
            def seven():
                return np.int64(7)
            def echo(a):
                return a
            """
        let tests: JSON = [
            "kind": "assert",
            "code": """
            import numpy as np
            r = double([1, 2, 3])
            assert isinstance(r, np.ndarray) and r.dtype == np.int64 and r.shape == (3,)
            assert (r == np.array([2, 4, 6])).all()
            assert half() == 2.5 and type(half()) is np.float64
            assert seven() == 7 and type(seven()) is np.int64
            a = np.arange(6, dtype=np.float32).reshape(2, 3)
            assert echo(a).dtype == np.float32 and echo(a).shape == (2, 3) and np.array_equal(echo(a), a)
            assert echo(np.zeros((0, 2))).shape == (0, 2)
            assert type(echo(np.bool_(True))) is np.bool_ and echo(np.uint8(255)) == 255
            assert np.allclose(double([0.25]), [0.5])
            assert (double([1, 2]) == np.array([2, 5])).all()
            """,
        ]
        let grade = try await Fixtures.sharedGrader().grade(Fixtures.sample(code: code, tests: tests))
        #expect(grade.total == 9, "\(grade)")
        #expect(grade.results.map(\.passed) == Array(repeating: true, count: 8) + [false], "\(grade.results)")

        // call kind: an array or numpy number answer equals expected plain data by its values.
        let calls: JSON = [
            "kind": "call", "fn": "double",
            "cases": [
                ["input": [[1, 2]], "output": [2, 4]], ["input": [[1, 2]], "output": [2, 5]],
                ["input": [[[1], [2]]], "output": [[2], [4]]], ["input": [[1]], "output": ["__tuple__": [2]]],
            ],
        ]
        let called = try await Fixtures.sharedGrader().grade(Fixtures.sample(code: code, tests: calls))
        #expect(called.results.map(\.passed) == [true, false, true, false], "\(called.results)")
        let number: JSON = ["kind": "call", "fn": "half", "cases": [["input": [], "output": 2.5]]]
        #expect(try await Fixtures.sharedGrader().grade(Fixtures.sample(code: code, tests: number)).allPassed)
    }

    /// A result that is not plain data stays in the candidate's box and reaches the test as a handle: `is not None`,
    /// its type name, its methods and attributes work (each a request answered by the candidate's box); comparing
    /// it fails that test with a clear reason (the candidate's `__eq__` never decides a verdict), and the other
    /// tests still run.
    @Test func objectsStayInTheCandidatesBox() async throws {
        let code = "import re\ndef m(s):\n    return re.match('a+', s)\n"
        let tests: JSON = [
            "kind": "assert",
            "code": """
            assert m('aa') is not None
            assert m('b') is None
            assert type(m('a')).__name__ == 'Match'
            assert m('aa') == 'aa'
            assert m('a').group(0) == 'a'
            """,
        ]
        let grade = try await Fixtures.sharedGrader().grade(Fixtures.sample(code: code, tests: tests))
        #expect(grade.passed == 4 && grade.total == 5, "\(grade)")
        #expect(grade.results.map(\.passed) == [true, true, true, false, true], "\(grade.results)")
        #expect(grade.reason?.contains("lives in the candidate's box") == true, "\(grade)")
    }

    /// LeetCode-style tests: the solution's own classes are built, linked and passed back to its methods through
    /// handles; an always-equal object still cannot pass a comparison.
    @Test func leetCodeStyleClassesWork() async throws {
        let code = """
            class ListNode:
                def __init__(self, val=0, next=None):
                    self.val = val
                    self.next = next
            class Solution:
                def reverse(self, head):
                    prev = None
                    while head:
                        head.next, prev, head = prev, head, head.next
                    return prev
                def values(self, head):
                    out = []
                    while head:
                        out.append(head.val)
                        head = head.next
                    return out
            class Always:
                def __eq__(self, other):
                    return True
            def cheat():
                return Always()
            """
        let tests: JSON = [
            "kind": "assert",
            "code": """
            s = Solution()
            head = ListNode(1, ListNode(2, ListNode(3)))
            assert s.values(s.reverse(head)) == [3, 2, 1]
            r = Solution().reverse(ListNode(7))
            assert r.val == 7 and r.next is None
            assert cheat() == 5
            """,
        ]
        let grade = try await Fixtures.sharedGrader().grade(Fixtures.sample(code: code, tests: tests))
        #expect(grade.results.map(\.passed) == [true, true, false], "\(grade.results)")
        let unittest: JSON = [
            "kind": "unittest",
            "code": """
            import unittest
            class T(unittest.TestCase):
                def test_reverse(self):
                    s = Solution()
                    self.assertEqual(s.values(s.reverse(ListNode(1, ListNode(2)))), [2, 1])
                def test_cheat(self):
                    self.assertEqual(cheat(), 5)
            """,
        ]
        let framework = try await Fixtures.sharedGrader().grade(Fixtures.sample(code: code, tests: unittest))
        #expect(framework.passed == 1 && framework.total == 2, "\(framework)")
    }
}
