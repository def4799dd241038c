import CodeRewards
import RewardKit
import Testing

/// Code extraction and test-spec parsing.
@Suite struct ParsingTests {
    struct Extraction: Sendable, CustomTestStringConvertible {
        var id: String
        var text: String
        var expected: String?
        var testDescription: String { id }
    }

    static let extractions: [Extraction] = [
        Extraction(
            id: "last python block", text: "a\n```python\nx = 1\n```\nb\n```python\nx = 2\n```\n", expected: "x = 2"),
        Extraction(id: "untagged block", text: "```\nprint(1)\n```", expected: "print(1)"),
        Extraction(id: "tagged beats untagged", text: "```python\nA\n```\n```\nB\n```", expected: "A"),
        Extraction(id: "other language ignored", text: "```cpp\nint x;\n```", expected: nil),
        Extraction(id: "alias py", text: "```py\nok\n```", expected: "ok"),
        Extraction(id: "no fence: whole text", text: "    return x\n", expected: "    return x\n"),
        Extraction(id: "unclosed block", text: "```python\ndef f():\n    pass", expected: "def f():\n    pass"),
        Extraction(id: "longer fence", text: "````python\n```\ninner\n```\n````", expected: "```\ninner\n```"),
        Extraction(id: "empty text", text: "  \n", expected: nil),
        Extraction(
            id: "fence inside a tag", text: "<think>x</think><answer>```python\nok = 1\n```</answer>",
            expected: "ok = 1\n"),
    ]

    @Test(arguments: extractions)
    func extracts(_ e: Extraction) {
        let got = CodeExtractor().extract(from: e.text, names: ["python", "py", "python3"])?.code
        #expect(got == e.expected)
    }

    @Test func firstBlockWhenAsked() {
        let text = "```python\nA\n```\n```python\nB\n```"
        #expect(CodeExtractor(pick: .first).extract(from: text, names: ["python"])?.code == "A")
        #expect(CodeExtractor(wholeTextFallback: false).extract(from: "x = 1", names: ["python"]) == nil)
    }

    struct BadTests: Sendable, CustomTestStringConvertible {
        var id: String
        var tests: JSON
        var message: String
        var testDescription: String { id }
    }

    static let badTests: [BadTests] = [
        BadTests(id: "no kind", tests: ["code": "assert 1"], message: "kind"),
        BadTests(id: "unknown kind", tests: ["kind": "fuzz"], message: "fuzz"),
        BadTests(id: "call without cases", tests: ["kind": "call", "fn": "f"], message: "cases"),
        BadTests(
            id: "call input not a list", tests: ["kind": "call", "fn": "f", "cases": [["input": 1, "output": 1]]],
            message: "input"),
        BadTests(id: "stdio without stdout", tests: ["kind": "stdio", "cases": [["stdin": ""]]], message: "stdout"),
        BadTests(id: "assert without code", tests: ["kind": "assert"], message: "code"),
        BadTests(id: "unittest without code", tests: ["kind": "unittest"], message: "code"),
        BadTests(id: "pytest code not a string", tests: ["kind": "pytest", "code": 3], message: "code"),
    ]

    @Test(arguments: badTests)
    func rejects(_ b: BadTests) {
        #expect {
            try CodeTests(json: b.tests)
        } throws: { error in
            "\(error)".contains(b.message)
        }
    }

    @Test func readsPublishedRows() throws {
        let humaneval = Sample(
            prompt: "def f():\n", completion: .text("    return 1\n"),
            fields: JSONObject([("test", "def check(candidate):\n    assert candidate() == 1\n"), ("entry_point", "f")])
        )
        #expect(
            try CodeTests(sample: humaneval)
                == .asserts(
                    code: "def check(candidate):\n    assert candidate() == 1\n",
                    entryPoint: "f", setup: nil, prompt: "def f():\n"))
        let mbpp = Sample(
            completion: .text("x"),
            fields: JSONObject([("test_list", ["assert f(1) == 1", "assert f(2) == 2"]), ("test_setup_code", "")]))
        #expect(
            try CodeTests(sample: mbpp)
                == .asserts(code: "assert f(1) == 1\nassert f(2) == 2", entryPoint: nil, setup: nil, prompt: nil))
        #expect(throws: CodeRewardsError.self) { try CodeTests(sample: Sample(completion: .text("x"))) }
    }

    @Test func recipesAreRegistered() throws {
        let book = RecipeBook(registry: .withCode, recipes: RecipeBook.builtin + RecipeBook.codeRecipes)
        #expect(book.names.contains("code") && book.names.contains("code-r1"))
        #expect(throws: Never.self) { try book.reward(named: "code-r1") }
    }
}
