/// English number words: `zero` … `nineteen`, tens, `hundred`, `thousand`, `million`, `billion`
/// ("two hundred fifty-three", "one thousand and five").
enum NumberWords {
    private static let units: [String: Int] = [
        "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
        "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
        "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
        "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    ]
    private static let scales: [String: Int] = ["thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000]

    static func isNumberWord(_ w: String) -> Bool {
        let l = w.lowercased()
        return units[l] != nil || scales[l] != nil || l == "hundred"
    }

    /// The value of a sequence of words (already split on spaces and hyphens); nil if one is not a number word.
    static func value(of words: [String]) -> Int? {
        var total = 0
        var current = 0
        var sawNumber = false
        for raw in words {
            let w = raw.lowercased()
            if w == "and" && sawNumber { continue }
            if let u = units[w] {
                current += u
            } else if w == "hundred" {
                current = max(current, 1) * 100
            } else if let s = scales[w] {
                total += max(current, 1) * s
                current = 0
            } else {
                return nil
            }
            sawNumber = true
        }
        return sawNumber ? total + current : nil
    }
}
