import Foundation

/// 1 if the completion has the `<think>…</think><answer>…</answer>` layout, else 0.
///
/// - `strict` is open-r1's `format_reward` (src/open_r1/rewards.py) to the letter:
///   `re.match(r"^<think>\n.*?\n</think>\n<answer>\n.*?\n</answer>$", text, re.DOTALL | re.MULTILINE)`.
///   Note what that published pattern accepts: with MULTILINE, `$` matches at any line end, so text after
///   `</answer>` on later lines still passes. We keep it so that scores equal open-r1's.
/// - `lenient` (ours): the two blocks in order, any white space around and between them, nothing else:
///   `^\s*<think>.*?</think>\s*<answer>.*?</answer>\s*$` over the whole text.
public struct FormatReward: SampleReward {
    public enum Mode: String, Sendable, CaseIterable { case strict, lenient }

    public let mode: Mode
    private let regex: NSRegularExpression

    public init(mode: Mode = .strict) {
        self.mode = mode
        switch mode {
        case .strict:
            regex = try! NSRegularExpression(
                pattern: #"^<think>\n.*?\n</think>\n<answer>\n.*?\n</answer>$"#,
                options: [.dotMatchesLineSeparators, .anchorsMatchLines])
        case .lenient:
            regex = try! NSRegularExpression(
                pattern: #"\A\s*<think>.*?</think>\s*<answer>.*?</answer>\s*\z"#, options: [.dotMatchesLineSeparators])
        }
    }

    public func score(_ sample: Sample) -> Score {
        let text = sample.completionText
        // `.anchored` makes this `re.match`: the match must start at the beginning of the text.
        let found =
            regex.firstMatch(in: text, options: [.anchored], range: NSRange(text.startIndex..., in: text)) != nil
        return Score(found ? 1 : 0, reason: found ? nil : "no \(mode.rawValue) <think>/<answer> layout")
    }
}
