/// 0.25 for each of the four tags that appears exactly once with its newlines.
///
/// open-r1's `tag_count_reward` (src/open_r1/rewards.py): counts of `"<think>\n"`, `"\n</think>\n"`,
/// `"\n<answer>\n"` and `"\n</answer>"` (non-overlapping, as Python's `str.count`).
public struct TagCountReward: SampleReward {
    static let tags = ["<think>\n", "\n</think>\n", "\n<answer>\n", "\n</answer>"]

    public init() {}

    public func score(_ sample: Sample) -> Score {
        let text = sample.completionText
        let value = Self.tags.reduce(0.0) { $0 + (Substrings.count(of: $1, in: text) == 1 ? 0.25 : 0) }
        return Score(value)
    }
}

enum Substrings {
    /// Non-overlapping occurrences of `needle` in `haystack`, scanning left to right (Python's `str.count`).
    static func count(of needle: String, in haystack: String) -> Int {
        let n = Array(needle.utf8)
        let h = Array(haystack.utf8)
        guard !n.isEmpty, h.count >= n.count else { return 0 }
        var count = 0
        var i = 0
        while i <= h.count - n.count {
            if h[i] == n[0] && h[i..<(i + n.count)].elementsEqual(n) {
                count += 1
                i += n.count
            } else {
                i += 1
            }
        }
        return count
    }
}
