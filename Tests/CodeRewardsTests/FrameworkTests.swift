import CodeRewards
import RewardKit
import Sandbox
import Testing

/// `unittest` and `pytest` tests run in the trusted grader against the candidate's functions behind the
/// plain-data boundary: honest solutions pass with per-test results, wrong ones fail, and no candidate code can
/// reach the framework, its assert helpers, its reports or its modules.
@Suite(.serialized) struct FrameworkTests {
    static let unittestCode = """
        import unittest
        class TestAdd(unittest.TestCase):
            def test_small(self):
                self.assertEqual(add(2, 3), 5)
            def test_negative(self):
                self.assertEqual(add(-1, 1), 0)
            def test_type(self):
                with self.assertRaises(TypeError):
                    add(1, None)
        """
    static let pytestCode = """
        import pytest
        from solution import add
        @pytest.mark.parametrize("a, b, c", [(2, 3, 5), (-1, 1, 0), (10, 5, 15)])
        def test_add(a, b, c):
            assert add(a, b) == c
        def test_type():
            with pytest.raises(TypeError):
                add(1, None)
        """
    static let honest = "def add(a, b):\n    return a + b\n"
    static let wrong = "def add(a, b):\n    return a - b\n"

    static func tests(_ kind: String) -> JSON {
        [
            "kind": .string(kind == "assert-unittest" || kind == "assert-pytest" ? "assert" : kind),
            "code": .string(kind.hasSuffix("unittest") ? unittestCode : pytestCode),
        ]
    }

    /// Each style, also sent as `assert` (recognised and run as its framework, never as asserts that define tests
    /// and run none).
    @Test(arguments: ["unittest", "pytest", "assert-unittest", "assert-pytest"])
    func honestPassesWrongFails(kind: String) async throws {
        let grader = try Fixtures.sharedGrader()
        let good = try await grader.grade(Fixtures.sample(code: Self.honest, tests: Self.tests(kind)))
        #expect(good.allPassed && good.verdict == .ok, "\(good)")
        #expect(good.total == (kind.hasSuffix("unittest") ? 3 : 4))
        #expect(good.results.count == good.total && good.results.allSatisfy(\.passed))
        let bad = try await grader.grade(Fixtures.sample(code: Self.wrong, tests: Self.tests(kind)))
        #expect(!bad.allPassed && bad.verdict == .wrongAnswer, "\(bad)")
        #expect(bad.passed == 1, "\(bad.results)")  // only the TypeError test
        let names = bad.results.map(\.name)
        #expect(names.contains { $0.contains(kind.hasSuffix("unittest") ? "test_small" : "test_add[2-3-5]") })
        #expect(bad.results.contains { !$0.passed && $0.message?.contains("5") == true }, "\(bad.results)")
    }

    typealias Trick = GraderTrickTests.Trick

    /// The three that won in the held-out run, and more. Each is a wrong `add` with a way to fake the report.
    static let tricks: [Trick] = [
        Trick(
            id: "no-op unittest assert helpers",
            code: """
                import unittest
                for name in dir(unittest.TestCase):
                    if name.startswith('assert') or name == 'fail':
                        setattr(unittest.TestCase, name, lambda *a, **k: None)
                def add(a, b):
                    return 0
                """),
        Trick(
            id: "forged pytest report through conftest.py",
            code: """
                import os
                hook = '''
                import pytest
                @pytest.hookimpl(hookwrapper=True)
                def pytest_runtest_makereport(item, call):
                    outcome = yield
                    rep = outcome.get_result()
                    rep.outcome = "passed"
                    rep.longrepr = None
                '''
                for d in ['.', '/tmp', '/work', os.path.dirname(os.path.abspath(__file__))]:
                    try:
                        open(os.path.join(d, 'conftest.py'), 'w').write(hook)
                    except OSError:
                        pass
                def add(a, b):
                    return 0
                """),
        Trick(
            id: "shadowed unittest module",
            code: """
                import sys, types
                fake = types.ModuleType('unittest')
                class TestCase:
                    def __getattr__(self, name):
                        return lambda *a, **k: None
                fake.TestCase = TestCase
                fake.main = lambda *a, **k: None
                sys.modules['unittest'] = fake
                open('unittest.py', 'w').write('class TestCase:\\n    pass\\ndef main(*a, **k):\\n    pass\\n')
                def add(a, b):
                    return 0
                """),
        Trick(
            id: "shadowed pytest module",
            code: """
                import sys, types
                sys.modules['pytest'] = types.ModuleType('pytest')
                open('pytest.py', 'w').write('def main(*a, **k):\\n    return 0\\n')
                def add(a, b):
                    return 0
                """),
        Trick(
            id: "SkipTest raised by the candidate",
            code: """
                import unittest
                def add(a, b):
                    raise unittest.SkipTest('nothing to see')
                """),
        Trick(
            id: "always-equal result",
            code: """
                class E:
                    def __eq__(self, o): return True
                    def __ne__(self, o): return False
                def add(a, b):
                    return E()
                """),
        Trick(
            id: "always-equal int subclass",
            code: "class E(int):\n    def __eq__(self, o): return True\n"
                + "    __hash__ = int.__hash__\ndef add(a, b):\n    return E(0)\n"),
        Trick(id: "exit 0 at import", code: "import os\nprint('OK')\nos._exit(0)\n"),
        Trick(id: "exit 0 in the call", code: "import sys\ndef add(a, b):\n    sys.exit(0)\n"),
        Trick(
            id: "printed reports",
            code: """
                print('Ran 3 tests in 0.001s\\n\\nOK')
                print('4 passed in 0.01s')
                def add(a, b):
                    print('{"passed": 4, "total": 4}')
                    return 0
                """),
        Trick(
            id: "defines its own passing tests",
            code: """
                import unittest
                class TestAdd(unittest.TestCase):
                    def test_small(self):
                        pass
                def test_add():
                    pass
                def add(a, b):
                    return 0
                """),
        Trick(
            id: "patches builtins for the tests",
            code: """
                import builtins
                builtins.AssertionError = type('Never', (Exception,), {})
                builtins.isinstance = lambda *a: True
                def add(a, b):
                    return None
                """),
    ]

    @Test(arguments: tricks)
    func trickScoresZero(_ t: Trick) async throws {
        let grader = try Fixtures.sharedGrader()
        for kind in ["unittest", "pytest"] {
            let grade = try await grader.grade(Fixtures.sample(code: t.code, tests: Self.tests(kind)))
            // At most the TypeError test can pass (a candidate that raises TypeError-free garbage fails it too).
            #expect(!grade.allPassed && grade.passed <= 1 && grade.verdict != .ok, "\(t.id) (\(kind)): \(grade)")
        }
    }

    /// Zero tests run is never a pass: a TestCase without tests, a pytest file without tests, asserts without an
    /// assert, asserts that never call the candidate, a test that only skips, an empty case list.
    @Test(
        arguments: [
            [
                "kind": "unittest",
                "code": "import unittest\nclass T(unittest.TestCase):\n    def helper(self):\n        pass\n",
            ],
            ["kind": "pytest", "code": "from solution import add\ndef helper():\n    assert add(1, 2) == 3\n"],
            ["kind": "assert", "code": "x = add(1, 2)\n"],
            ["kind": "assert", "code": "assert True\nassert 1 + 1 == 2\n"],
            [
                "kind": "unittest",
                "code": .string(
                    "import unittest\nclass T(unittest.TestCase):\n    @unittest.skip('later')\n    def test_a(self):\n"
                        + "        self.assertEqual(add(1, 2), 3)\n"),
            ],
            ["kind": "call", "fn": "add", "cases": []],
            ["kind": "stdio", "cases": []],
        ] as [JSON])
    func zeroTestsIsNotAPass(tests: JSON) async throws {
        let grade = try await Fixtures.sharedGrader().grade(Fixtures.sample(code: Self.honest, tests: tests))
        #expect(grade.passed == 0 && !grade.allPassed && grade.verdict != .ok, "\(tests): \(grade)")
        #expect(grade.reason?.isEmpty == false, "\(grade)")
    }
}
