import CodeRewards
import RewardKit
import Sandbox
import Testing

/// Solutions that try to fool the grader instead of solving the task. Every one must score 0.
@Suite struct GraderTrickTests {
    struct Trick: Sendable, CustomTestStringConvertible {
        var id: String
        var code: String
        var testDescription: String { id }
    }

    /// HumanEval-style task: `add(a, b)` checked by `check(candidate)`.
    static let assertTests: JSON = [
        "kind": "assert", "entry_point": "add",
        "code":
            "def check(candidate):\n    assert candidate(2, 3) == 5\n    assert candidate(-1, 1) == 0\n    assert candidate(10, 5) == 15\n",
    ]

    static let tricks: [Trick] = [
        Trick(id: "sys.exit(0) at import", code: "import sys\nsys.exit(0)\ndef add(a, b):\n    return 0\n"),
        Trick(id: "os._exit(0) at import", code: "import os\nos._exit(0)\n"),
        Trick(id: "os._exit(0) in the call", code: "import os\ndef add(a, b):\n    os._exit(0)\n"),
        Trick(id: "SystemExit in the call", code: "def add(a, b):\n    raise SystemExit(0)\n"),
        Trick(
            id: "always-equal object",
            code:
                "class E:\n    def __eq__(self, o): return True\n    def __ne__(self, o): return False\ndef add(a, b):\n    return E()\n"
        ),
        Trick(
            id: "always-equal int subclass",
            code: "class E(int):\n    def __eq__(self, o): return True\ndef add(a, b):\n    return E(0)\n"),
        Trick(
            id: "printed pass markers",
            code: "print('PASSED'); print('{\"ok\": 5}')\ndef add(a, b):\n    print('{\"ok\": 5}')\n    return None\n"),
        Trick(
            id: "patch AssertionError",
            code:
                "import builtins\nbuiltins.AssertionError = type('X', (Exception,), {})\ndef add(a, b):\n    return -99\n"
        ),
        Trick(
            id: "read the tests",
            code:
                "import os\ndef add(a, b):\n    found = []\n    for root in ['/work', '/tmp', '/']:\n        found += os.listdir(root)\n    return str(found)\n"
        ),
        Trick(
            id: "kill everything",
            code: "import os, signal\ndef add(a, b):\n    os.kill(-1, signal.SIGKILL)\n    return -99\n"),
        Trick(id: "hang", code: "def add(a, b):\n    while True:\n        pass\n"),
        Trick(id: "return a generator", code: "def add(a, b):\n    yield a + b\n"),
    ]

    @Test(arguments: tricks)
    func trickScoresZero(_ t: Trick) async throws {
        var grader = try Fixtures.grader()
        grader.wallTimeMs = 2000
        let sample = Fixtures.sample(code: t.code, tests: GraderTrickTests.assertTests)
        let grade = try await grader.grade(sample)
        #expect(grade.passed == 0, "\(t.id): \(grade)")
        #expect(grade.verdict != .ok)
    }

    @Test func honestSolutionPasses() async throws {
        let grade = try await Fixtures.grader().grade(
            Fixtures.sample(code: "def add(a, b):\n    return a + b\n", tests: GraderTrickTests.assertTests))
        #expect(grade.passed == 3 && grade.total == 3 && grade.verdict == .ok, "\(grade)")
    }

    /// MBPP-style tests call the function by name: a solution that redefines a builtin the asserts use does not
    /// change the grader's builtin.
    @Test func shadowingABuiltinDoesNotReachTheGrader() async throws {
        let tests: JSON = [
            "kind": "assert",
            "code": "assert sorted(evens([1, 2, 3, 4])) == sorted([2, 4])\nassert len(evens([1])) == 0\n",
        ]
        let cheat = "def sorted(x):\n    return 0\ndef len(x):\n    return 0\ndef evens(xs):\n    return [1]\n"
        let grade = try await Fixtures.grader().grade(Fixtures.sample(code: cheat, tests: tests))
        #expect(grade.passed == 0, "\(grade)")
        let honest = "def evens(xs):\n    return [x for x in xs if x % 2 == 0]\n"
        #expect(try await Fixtures.grader().grade(Fixtures.sample(code: honest, tests: tests)).allPassed)
    }

    /// HumanEval helpers from the prompt (e.g. `poly`) run in the grader: the solution cannot replace them.
    @Test func promptHelpersStayTrusted() async throws {
        let prompt =
            "def poly(xs, x):\n    return sum(c * x ** i for i, c in enumerate(xs))\n\ndef find_zero(xs):\n    \"\"\"zero of poly\"\"\"\n"
        let tests: JSON = [
            "kind": "assert", "entry_point": "find_zero", "prompt": .string(prompt),
            "code": "def check(candidate):\n    assert abs(poly([-6, 11, -6, 1], candidate([-6, 11, -6, 1]))) < 1e-4\n",
        ]
        let cheat = "def poly(xs, x):\n    return 0\ndef find_zero(xs):\n    return 123.0\n"
        let grade = try await Fixtures.grader().grade(Fixtures.sample(code: cheat, tests: tests))
        #expect(grade.passed == 0, "\(grade)")
    }

    @Test func callTestsCompareOutsideTheBox() async throws {
        let tests: JSON = [
            "kind": "call", "fn": "mul",
            "cases": [
                ["input": [2, 3], "output": 6], ["input": [[1, 2], 2], "output": [1, 2, 1, 2]],
                ["input": [0.5, 3], "output": 1.5],
            ],
        ]
        let honest = try await Fixtures.grader().grade(
            Fixtures.sample(code: "def mul(a, b):\n    return a * b\n", tests: tests))
        #expect(honest.passed == 3 && honest.total == 3 && honest.verdict == .ok, "\(honest)")
        #expect(honest.results.map(\.name) == ["case 0", "case 1", "case 2"])
        for cheat in [
            "import sys\nsys.exit(0)\n", "import os\nos._exit(0)\n",
            "class E:\n    __eq__ = lambda s, o: True\ndef mul(a, b):\n    return E()\n",
            "print('{\"ok\": 6}')\ndef mul(a, b):\n    print('{\"ok\": 6}')\n",
        ] {
            let grade = try await Fixtures.grader().grade(Fixtures.sample(code: cheat, tests: tests))
            #expect(grade.passed == 0, "\(cheat): \(grade)")
        }
    }

    @Test func callTestsCountFractions() async throws {
        let tests: JSON = [
            "kind": "call", "fn": "f",
            "cases": [
                ["input": [1], "output": 1], ["input": [2], "output": 4], ["input": [3], "output": 9],
            ],
        ]
        let grade = try await Fixtures.grader().grade(
            Fixtures.sample(code: "def f(x):\n    return x if x < 3 else 0\n", tests: tests))
        #expect(grade.passed == 1 && grade.total == 3 && grade.verdict == .wrongAnswer, "\(grade)")
    }
}
