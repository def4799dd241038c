import Testing

@testable import MathVerify

@Suite("Escaped LaTeX repair")
struct EscapedLatexTests {
    private func repaired(_ s: String) -> String {
        EscapedLatex.repair(Array(s.utf8)).map { String(decoding: $0, as: UTF8.self) } ?? s
    }

    @Test func doubledBackslashesBeforeCommandsAreHalved() {
        #expect(repaired("\\\\left( \\\\frac{1}{2} \\\\right)") == "\\left( \\frac{1}{2} \\right)")
        #expect(repaired("-2 \\\\le x \\\\leq 7") == "-2 \\le x \\leq 7")
    }

    @Test func rowBreaksAndUnknownNamesStay() {
        let matrix = "\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}"
        #expect(EscapedLatex.repair(Array(matrix.utf8)) == nil)
        #expect(repaired("a \\\\xyz") == "a \\\\xyz")
        #expect(repaired("1 \\\\\\frac{1}{2}") == "1 \\\\\\frac{1}{2}")  // a row break followed by \frac
    }

    @Test func controlCharactersFromJSONEscapesBecomeCommands() {
        #expect(repaired("\u{09}ext{13}") == "\\text{13}")
        #expect(repaired("\u{0C}rac{1}{3}") == "\\frac{1}{3}")
        #expect(repaired("\u{08}oxed{5}") == "\\boxed{5}")
        #expect(repaired("\\left(1\u{0D}ight)") == "\\left(1\\right)")
        #expect(repaired("x \u{0A}eq 3") == "x \\neq 3")
    }

    @Test func realLineBreaksAndTabsStay() {
        for text in ["first line\nsecond line", "a\tb", "x = 1\nu = 2", "total:\t12"] {
            #expect(EscapedLatex.repair(Array(text.utf8)) == nil, "\(text)")
        }
        #expect(EscapedLatex.repair(Array("plain text without escapes".utf8)) == nil)
    }
}
