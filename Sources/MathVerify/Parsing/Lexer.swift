/// Turns folded answer bytes into tokens. Presentation-only LaTeX (`\left`, `\!`, `$`, `\displaystyle`...) is dropped
/// here; thousands separators (`1,234`, `1{,}234`, `11,\! 111`) are joined when `joinThousands` is true.
struct Lexer {
    private let bytes: [UInt8]
    private var i = 0
    private let budget: Budget
    private let joinThousands: Bool
    private let decimalComma: Bool
    private var allowThousands = false

    init(_ bytes: [UInt8], budget: Budget, joinThousands: Bool, decimalComma: Bool = false) {
        self.bytes = bytes
        self.budget = budget
        self.joinThousands = joinThousands
        self.decimalComma = decimalComma
    }

    /// Commands that only change presentation.
    private static let ignored: Set<String> = [
        "left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "Biggl",
        "Biggr", "displaystyle", "textstyle", "scriptstyle", ",", "!", ";", ":", " ", "quad", "qquad", "limits",
        "nonumber", "hline", "$", "boxed", "fbox", "middle", "enspace", "thinspace", "medspace", "thickspace",
        "negthinspace", "mathit", "mathsf", "mathnormal", "rm", "bf", "it", "noindent", "centering", "underline",
        "bm", "boldsymbol", "mathcal", "ensuremath", "cr", "newline",
    ]
    /// Commands whose braced argument is read as text.
    private static let textCommands: Set<String> = [
        "text", "textbf", "textit", "textrm", "textsf", "texttt", "mbox", "mathrm", "mathbf", "emph", "textup",
        "textnormal", "hbox", "operatorname",
    ]
    private static let aliases: [String: String] = [
        "dfrac": "frac", "tfrac": "frac", "cfrac": "frac", "dbinom": "binom", "tbinom": "binom", "leq": "le",
        "leqslant": "le", "geq": "ge", "geqslant": "ge", "neq": "ne", "circ": "degree", "lbrace": "{", "rbrace": "}",
        "arcsec": "asec", "arccsc": "acsc", "arccot": "acot", "arcsin": "asin", "arccos": "acos", "arctan": "atan",
        "varpi": "pi", "infin": "infty", "to": "rightarrow", "Rightarrow": "rightarrow", "implies": "rightarrow",
    ]

    mutating func tokenize() throws(MathVerifyError) -> [Lexeme] {
        var out = [Lexeme]()
        out.reserveCapacity(bytes.count / 2 + 1)
        var space = false
        while i < bytes.count {
            try budget.tick()
            let b = bytes[i]
            switch b {
            case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "~"):
                space = true
                i += 1
                continue
            case UInt8(ascii: "$"), UInt8(ascii: "\""), UInt8(ascii: "`"):
                i += 1
                continue
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."):
                // Inside a comma list (`99,100,101`) commas separate items, not thousands.
                let listContext =
                    out.count >= 2 && out[out.count - 1].token == .symbol(UInt8(ascii: ","))
                    && { if case .number = out[out.count - 2].token { true } else { false } }()
                allowThousands = joinThousands && !listContext && thousandsRunIsNumber(from: i)
                if b == UInt8(ascii: "."), !(i + 1 < bytes.count && isDigit(bytes[i + 1])) {
                    i += 1  // a sentence's full stop
                    space = true
                    continue
                }
                out.append(Lexeme(token: .number(readNumber()), spaceBefore: space))
            case UInt8(ascii: "\\"):
                if let lexeme = try readCommand(space: space) {
                    out.append(lexeme)
                } else {
                    space = true
                    continue
                }
            case UInt8(ascii: "{"):
                if i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: ","), bytes[i + 2] == UInt8(ascii: "}") {
                    out.append(Lexeme(token: .symbol(UInt8(ascii: ",")), spaceBefore: space))
                    i += 3
                } else {
                    out.append(Lexeme(token: .symbol(b), spaceBefore: space))
                    i += 1
                }
            default:
                if isLetter(b) {
                    let start = i
                    while i < bytes.count && isLetter(bytes[i]) { i += 1 }
                    out.append(
                        Lexeme(token: .word(String(decoding: bytes[start..<i], as: UTF8.self)), spaceBefore: space))
                } else {
                    out.append(Lexeme(token: .symbol(b), spaceBefore: space))
                    i += 1
                }
            }
            space = false
        }
        return out
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
    private func isLetter(_ b: UInt8) -> Bool {
        (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b >= 0x80
    }

    private mutating func readNumber() -> NumberLiteral {
        var digits = [UInt8]()
        var fraction = 0
        var groupLength = 0
        var firstGroup = true
        let start = i
        while i < bytes.count && isDigit(bytes[i]) {
            digits.append(bytes[i])
            groupLength += 1
            i += 1
            // A first group with a leading zero (`0,111`) is never followed by thousands.
            if allowThousands, i < bytes.count, groupLength <= 3, firstGroup || groupLength == 3,
                !(firstGroup && bytes[start] == UInt8(ascii: "0")), let next = thousandsGroupStart(at: i)
            {
                i = next
                firstGroup = false
                groupLength = 0
            }
        }
        if decimalComma, firstGroup, let end = decimalCommaEnd(integerStart: start) {
            i += 1
            while i < end {
                digits.append(bytes[i])
                fraction += 1
                i += 1
            }
            return NumberLiteral(digits: digits, fractionDigits: fraction, exponent: 0)
        }
        if i + 1 < bytes.count, bytes[i] == UInt8(ascii: "."), isDigit(bytes[i + 1]) {
            i += 1
            while i < bytes.count && isDigit(bytes[i]) {
                digits.append(bytes[i])
                fraction += 1
                i += 1
            }
        } else if i < bytes.count, bytes[i] == UInt8(ascii: "."),
            i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\\")
        {
            i += 1  // `0.\overline{3}`: the point belongs to the number
        }
        var exponent = 0
        if i + 1 < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            var j = i + 1
            var negative = false
            if bytes[j] == UInt8(ascii: "+") || bytes[j] == UInt8(ascii: "-") {
                negative = bytes[j] == UInt8(ascii: "-")
                j += 1
            }
            let start = j
            while j < bytes.count && isDigit(bytes[j]) && j - start < 6 { j += 1 }
            if j > start && !(j < bytes.count && isLetter(bytes[j])) {
                exponent = Int(String(decoding: bytes[start..<j], as: UTF8.self)) ?? 0
                if negative { exponent = -exponent }
                i = j
            }
        }
        return NumberLiteral(digits: digits, fractionDigits: fraction, exponent: exponent)
    }

    /// With `i` at a `,` after the integer digits from `integerStart`: the end of the decimal-comma fraction when the
    /// comma reads as one (`1000,99`, `0,111`, `2,74`): a digit right after the comma, not a thousands group (three
    /// digits after one to three digits that do not start with 0), not a dot after it, and no list around it (no
    /// comma before the number or after the fraction).
    private func decimalCommaEnd(integerStart: Int) -> Int? {
        guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: ","), isDigit(bytes[i + 1]) else { return nil }
        var before = integerStart - 1
        while before >= 0 && bytes[before] == 0x20 { before -= 1 }
        if before >= 0 && bytes[before] == UInt8(ascii: ",") { return nil }
        var end = i + 1
        while end < bytes.count && isDigit(bytes[end]) { end += 1 }
        let integerDigits = i - integerStart
        let thousands = end - (i + 1) == 3 && integerDigits <= 3 && bytes[integerStart] != UInt8(ascii: "0")
        if thousands { return nil }
        var after = end
        if after < bytes.count && bytes[after] == UInt8(ascii: ".") && after + 1 < bytes.count
            && isDigit(bytes[after + 1])
        {
            return nil
        }
        while after < bytes.count && bytes[after] == 0x20 { after += 1 }
        if after < bytes.count && bytes[after] == UInt8(ascii: ",") { return nil }
        return end
    }

    /// True when the digits at `start` with their `,ddd` groups read as one number: at most four groups, a first
    /// group of one to three digits, and no further comma item after them (`1,234` yes; `100,101,102,103,104` and
    /// `1,234,5` no).
    private func thousandsRunIsNumber(from start: Int) -> Bool {
        var k = start
        while k < bytes.count && isDigit(bytes[k]) { k += 1 }
        if k - start > 3 { return true }  // no group can follow; nothing to decide
        var groups = 0
        while let next = thousandsGroupStart(at: k) {
            groups += 1
            k = next + 3
        }
        if groups == 0 { return true }
        if groups > 4 { return false }
        // Another comma item right after the groups makes the whole run a list.
        var m = k
        if m < bytes.count && bytes[m] == UInt8(ascii: ",") {
            m += 1
            while m < bytes.count && bytes[m] == 0x20 { m += 1 }
            if m < bytes.count && isDigit(bytes[m]) { return false }
        }
        return true
    }

    /// If a thousands separator followed by exactly three digits starts at `j`, the index of those digits.
    private func thousandsGroupStart(at j: Int) -> Int? {
        var k = j
        if k + 2 < bytes.count, bytes[k] == UInt8(ascii: "{"), bytes[k + 1] == UInt8(ascii: ","),
            bytes[k + 2] == UInt8(ascii: "}")
        {
            k += 3
        } else if k < bytes.count, bytes[k] == UInt8(ascii: ",") {
            k += 1
            // `,\!` and `,\ ` are LaTeX's spacing after a thousands comma.
            if k + 1 < bytes.count, bytes[k] == UInt8(ascii: "\\"), bytes[k + 1] == UInt8(ascii: "!") {
                k += 2
                while k < bytes.count && bytes[k] == 0x20 { k += 1 }
            }
        } else {
            return nil
        }
        guard k + 2 < bytes.count || k + 3 == bytes.count else { return nil }
        guard k + 2 < bytes.count, isDigit(bytes[k]), isDigit(bytes[k + 1]), isDigit(bytes[k + 2]) else { return nil }
        if k + 3 < bytes.count, isDigit(bytes[k + 3]) { return nil }
        return k
    }

    /// Reads `\name`, `\{`, `\\` etc. Returns nil for presentation-only commands.
    private mutating func readCommand(space: Bool) throws(MathVerifyError) -> Lexeme? {
        i += 1
        guard i < bytes.count else { return nil }
        let c = bytes[i]
        if !isLetter(c) || c >= 0x80 {
            i += 1
            switch c {
            case UInt8(ascii: "{"): return Lexeme(token: .setOpen, spaceBefore: space)
            case UInt8(ascii: "}"): return Lexeme(token: .setClose, spaceBefore: space)
            case UInt8(ascii: "\\"): return Lexeme(token: .rowSeparator, spaceBefore: space)
            case UInt8(ascii: "%"): return Lexeme(token: .symbol(c), spaceBefore: space)
            case UInt8(ascii: "|"): return Lexeme(token: .symbol(UInt8(ascii: "|")), spaceBefore: space)
            case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"):
                return nil  // `\(` `\)` `\[` `\]` math delimiters
            default: return nil
            }
        }
        let start = i
        while i < bytes.count && isLetter(bytes[i]) && bytes[i] < 0x80 { i += 1 }
        var name = String(decoding: bytes[start..<i], as: UTF8.self)
        if Lexer.ignored.contains(name) { return nil }
        if let alias = Lexer.aliases[name] { name = alias }
        if Lexer.textCommands.contains(name) {
            skipSpaces()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { return nil }
            let content = try readBraced()
            if name == "operatorname" { return Lexeme(token: .word(content), spaceBefore: space) }
            return Lexeme(token: .text(content), spaceBefore: space)
        }
        switch name {
        case "begin", "end":
            skipSpaces()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else { return nil }
            let env = try readBraced()
            if name == "begin" {
                // `\begin{array}{cc}`: skip the column specification.
                skipSpaces()
                if env == "array", i < bytes.count, bytes[i] == UInt8(ascii: "{") { _ = try readBraced() }
                return Lexeme(token: .beginEnvironment(env), spaceBefore: space)
            }
            return Lexeme(token: .endEnvironment(env), spaceBefore: space)
        case "hspace", "vspace", "phantom", "label", "tag":
            skipSpaces()
            if i < bytes.count, bytes[i] == UInt8(ascii: "{") { _ = try readBraced() }
            return nil
        case "{": return Lexeme(token: .setOpen, spaceBefore: space)
        case "}": return Lexeme(token: .setClose, spaceBefore: space)
        case "cdot", "times", "ast", "cross": return Lexeme(token: .symbol(UInt8(ascii: "*")), spaceBefore: space)
        case "div": return Lexeme(token: .symbol(UInt8(ascii: "/")), spaceBefore: space)
        case "lt": return Lexeme(token: .symbol(UInt8(ascii: "<")), spaceBefore: space)
        case "gt": return Lexeme(token: .symbol(UInt8(ascii: ">")), spaceBefore: space)
        case "vert", "lvert", "rvert", "mid": return Lexeme(token: .symbol(UInt8(ascii: "|")), spaceBefore: space)
        case "langle", "lparen": return Lexeme(token: .symbol(UInt8(ascii: "(")), spaceBefore: space)
        case "rangle", "rparen": return Lexeme(token: .symbol(UInt8(ascii: ")")), spaceBefore: space)
        case "lbrack": return Lexeme(token: .symbol(UInt8(ascii: "[")), spaceBefore: space)
        case "rbrack": return Lexeme(token: .symbol(UInt8(ascii: "]")), spaceBefore: space)
        case "colon": return Lexeme(token: .symbol(UInt8(ascii: ":")), spaceBefore: space)
        case "prime": return Lexeme(token: .symbol(UInt8(ascii: "'")), spaceBefore: space)
        default: return Lexeme(token: .command(name), spaceBefore: space)
        }
    }

    private mutating func skipSpaces() {
        while i < bytes.count && bytes[i] == 0x20 { i += 1 }
    }

    /// Reads `{...}` with nested braces starting at `i`; returns the content (trimmed) and moves past it.
    private mutating func readBraced() throws(MathVerifyError) -> String {
        var depth = 0
        let start = i + 1
        while i < bytes.count {
            try budget.tick()
            if bytes[i] == UInt8(ascii: "\\") {
                i += 2
                continue
            }
            if bytes[i] == UInt8(ascii: "{") { depth += 1 }
            if bytes[i] == UInt8(ascii: "}") {
                depth -= 1
                if depth == 0 {
                    let content = String(decoding: bytes[start..<i], as: UTF8.self)
                    i += 1
                    return content
                }
            }
            i += 1
        }
        throw .syntax(
            message: "unbalanced braces", near: String(decoding: bytes[max(0, start - 1)...].prefix(20), as: UTF8.self))
    }
}
