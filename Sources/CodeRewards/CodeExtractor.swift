import Foundation

/// Finds the program in a completion: the last fenced block (```lang … ```) whose info string names the language
/// (or one of its aliases), else the last fenced block without an info string, else (when `wholeTextFallback`)
/// the whole completion. Blocks of other languages are never taken.
public struct CodeExtractor: Sendable, Hashable {
    public enum Pick: String, Sendable, Hashable {
        case last, first
    }

    public var pick: Pick
    /// Use the whole completion when it has no fenced block (plain-code completions, HumanEval continuations).
    public var wholeTextFallback: Bool

    public init(pick: Pick = .last, wholeTextFallback: Bool = true) {
        self.pick = pick
        self.wholeTextFallback = wholeTextFallback
    }

    /// What was found and how.
    public struct Extracted: Sendable, Hashable {
        public var code: String
        /// True when the code came from a fenced block (a full program), false for the raw completion.
        public var fenced: Bool
    }

    /// The code for `names` (a language and its aliases, compared case-insensitively), or nil.
    public func extract(from text: String, names: [String]) -> Extracted? {
        let wanted = Set(names.map { $0.lowercased() })
        let lineBlocks = CodeExtractor.fencedBlocks(text)
        if let code = choose(lineBlocks, wanted) ?? choose(CodeExtractor.inlineFencedBlocks(text), wanted) {
            return Extracted(code: code, fenced: true)
        }
        if lineBlocks.isEmpty && !text.contains("```") && wholeTextFallback
            && !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        {
            return Extracted(code: text, fenced: false)
        }
        return nil
    }

    /// The last (or first) block tagged with a wanted name, else of the untagged blocks.
    private func choose(_ blocks: [Block], _ wanted: Set<String>) -> String? {
        let tagged = blocks.filter { wanted.contains($0.info.lowercased()) }
        let candidates = tagged.isEmpty ? blocks.filter { $0.info.isEmpty } : tagged
        return (pick == .last ? candidates.last : candidates.first)?.code
    }

    struct Block {
        var info: String
        var code: String
    }

    /// Fences that do not start a line (`<answer>```python` …` ``` `), as open-r1's `extract_code` finds them
    /// (```` ```lang\n(.*?)``` ````, non-greedy): used when no line-level fence exists.
    static func inlineFencedBlocks(_ text: String) -> [Block] {
        var blocks: [Block] = []
        var rest = text[...]
        while let open = rest.range(of: "```") {
            let afterOpen = rest[open.upperBound...]
            guard let newline = afterOpen.firstIndex(of: "\n") else { break }
            let info = afterOpen[..<newline].trimmingCharacters(in: .whitespaces)
            let body = afterOpen[afterOpen.index(after: newline)...]
            guard let close = body.range(of: "```") else {
                blocks.append(Block(info: info, code: String(body)))
                break
            }
            blocks.append(Block(info: info.contains(" ") ? "" : info, code: String(body[..<close.lowerBound])))
            rest = body[close.upperBound...]
        }
        return blocks
    }

    /// Fenced blocks in order: an opening line of three or more backticks (or tildes) with an optional info
    /// string, closed by a line of at least as many of the same character. An unclosed block runs to the end.
    static func fencedBlocks(_ text: String) -> [Block] {
        var blocks: [Block] = []
        var open: (fence: Character, count: Int, info: String, lines: [Substring])? = nil
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.drop { $0 == " " }
            if var current = open {
                let run = trimmed.prefix { $0 == current.fence }
                if run.count >= current.count && trimmed.dropFirst(run.count).allSatisfy({ $0 == " " || $0 == "\r" }) {
                    blocks.append(Block(info: current.info, code: current.lines.joined(separator: "\n")))
                    open = nil
                } else {
                    current.lines.append(line)
                    open = current
                }
                continue
            }
            for fence: Character in ["`", "~"] {
                let run = trimmed.prefix { $0 == fence }
                if run.count >= 3 {
                    let info = trimmed.dropFirst(run.count).trimmingCharacters(in: .whitespaces)
                    let word = info.split(separator: " ").first.map(String.init) ?? ""
                    if fence == "`" && info.contains("`") { break }
                    open = (fence, run.count, word.replacingOccurrences(of: "\r", with: ""), [])
                    break
                }
            }
        }
        if let current = open { blocks.append(Block(info: current.info, code: current.lines.joined(separator: "\n"))) }
        return blocks
    }
}
