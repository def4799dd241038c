/// Repairs LaTeX that went through one JSON (or Python string) escaping too many or too few (gap G):
/// `\\left(` and `\\le` written with a doubled backslash become `\left(` and `\le`, and a command whose backslash
/// and first letter were read as a control character (`\text` → TAB `ext`, `\frac` → form feed `rac`, `\boxed` →
/// backspace `oxed`, `\right` → carriage return `ight`, `\neq` → line feed `eq`) gets them back.
///
/// Only names of known commands are repaired, so `\\` before other letters stays a matrix row break and a real line
/// break before ordinary words stays a line break.
enum EscapedLatex {
    /// Command names read after a doubled backslash or rebuilt after a control character.
    static let commands: Set<String> = [
        "frac", "dfrac", "tfrac", "cfrac", "sqrt", "left", "right", "le", "leq", "ge", "geq", "ne", "neq", "lt", "gt",
        "text", "textbf", "textit", "textrm", "mathrm", "mathbf", "mbox", "operatorname", "boxed", "fbox", "begin",
        "end", "cdot", "times", "div", "pi", "infty", "pm", "mp", "in", "cup", "cap", "approx", "quad", "qquad",
        "alpha", "beta", "gamma", "delta", "theta", "lambda", "mu", "nu", "rho", "sigma", "tau", "phi", "omega",
        "sin", "cos", "tan", "cot", "sec", "csc", "log", "ln", "exp", "circ", "overline", "hat", "vec", "bar",
        "binom", "dbinom", "emptyset", "varnothing", "lfloor", "rfloor", "lceil", "rceil", "langle", "rangle",
        "dots", "ldots", "cdots", "mathbb", "prime", "neg", "not", "notin", "subset", "subseteq", "to", "ast",
        "displaystyle", "angle", "triangle", "parallel", "perp", "sim", "equiv", "cong", "mid", "vert", "lvert",
        "rvert", "big", "Big", "bigl", "bigr", "Bigl", "Bigr", "nabla", "partial", "sum", "prod", "int", "lim",
    ]

    /// The letter a JSON escape turned into a control character: `\b` `\f` `\n` `\r` `\t`.
    private static func escapedLetter(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x08: return UInt8(ascii: "b")
        case 0x0C: return UInt8(ascii: "f")
        case 0x0A: return UInt8(ascii: "n")
        case 0x0D: return UInt8(ascii: "r")
        case 0x09: return UInt8(ascii: "t")
        default: return nil
        }
    }

    /// A name of at most 16 ASCII letters packed into two integers, so lookups allocate nothing.
    private struct PackedName: Hashable {
        var low: UInt64 = 0
        var high: UInt64 = 0
        var count = 0

        mutating func append(_ b: UInt8) {
            if count < 8 { low |= UInt64(b) << (8 * count) } else { high |= UInt64(b) << (8 * (count - 8)) }
            count += 1
        }
    }

    private static let packedCommands: Set<PackedName> = Set(
        commands.map { name in
            var p = PackedName()
            for b in name.utf8 { p.append(b) }
            return p
        })

    /// True when `letter` (if given) followed by `bytes[range]` spells a known command.
    private static func isCommand(_ letter: UInt8?, _ bytes: [UInt8], _ range: Range<Int>) -> Bool {
        let length = range.count + (letter == nil ? 0 : 1)
        guard length >= 2 && length <= 12 else { return false }
        var name = PackedName()
        if let letter { name.append(letter) }
        for i in range { name.append(bytes[i]) }
        return packedCommands.contains(name)
    }

    /// The repaired text, or nil when there is nothing to repair (the common case, found in one pass).
    static func repair(_ bytes: [UInt8]) -> [UInt8]? {
        var out: [UInt8]?
        var copied = 0  // bytes[..<copied] are in `out`
        var i = 0
        let n = bytes.count
        while i < n {
            // Most bytes are neither a backslash nor a control character: skip them in a tight loop.
            i = bytes.withUnsafeBufferPointer { buffer in
                var k = i
                while k < n && buffer[k] != UInt8(ascii: "\\") && buffer[k] >= 0x0E { k += 1 }
                return k
            }
            guard i < n else { break }
            let b = bytes[i]
            let isDoubled =
                b == UInt8(ascii: "\\") && i + 2 < n && bytes[i + 1] == UInt8(ascii: "\\")
                && (i == 0 || bytes[i - 1] != UInt8(ascii: "\\")) && ByteSearch.isLetter(bytes[i + 2])
            let letter = b < 0x0E ? escapedLetter(b) : nil
            guard isDoubled || (letter != nil && i + 1 < n && ByteSearch.isLetter(bytes[i + 1])) else {
                i += 1
                continue
            }
            // The letters of the would-be command.
            let nameStart = isDoubled ? i + 2 : i + 1
            var j = nameStart
            while j < n && ByteSearch.isLetter(bytes[j]) && j - nameStart < 16 { j += 1 }
            // A rebuilt name has at least three letters: a line break before `u` is not `\nu`.
            guard isDoubled || j - nameStart >= 2, isCommand(letter, bytes, nameStart..<j) else {
                i += 1
                continue
            }
            if out == nil {
                out = []
                out!.reserveCapacity(n)
            }
            out!.append(contentsOf: bytes[copied..<i])
            out!.append(UInt8(ascii: "\\"))
            if let letter { out!.append(letter) }
            copied = nameStart
            i = j
        }
        guard var repaired = out else { return nil }
        repaired.append(contentsOf: bytes[copied...])
        return repaired
    }
}
