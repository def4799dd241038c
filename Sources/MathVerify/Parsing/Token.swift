/// A decimal literal as written: `digits` are the integer and fraction digits together, the last `fractionDigits`
/// of them after the point; `exponent` is a power of ten (`1.5e3`).
struct NumberLiteral: Sendable, Hashable {
    var digits: [UInt8]
    var fractionDigits: Int
    var exponent: Int

    /// The exact value, or nil when the exponent makes it larger than `maxBits` allows.
    func value(maxBits: Int) -> Rational? {
        let n = BigInt(decimalDigits: digits.isEmpty ? [48] : digits) ?? .zero
        let scale = exponent - fractionDigits
        // 10^k has about 3.33 k bits.
        if abs(scale) * 10 / 3 + n.bitWidth > maxBits { return nil }
        if scale >= 0 { return Rational(n * BigInt(10).power(scale)) }
        return Rational(n, BigInt(10).power(-scale))
    }
}

enum Token: Sendable, Hashable {
    case number(NumberLiteral)
    /// A run of letters (ASCII letters or non-ASCII bytes).
    case word(String)
    /// A LaTeX command without its backslash, after aliasing (`dfrac` → `frac`, `leq` → `le`).
    case command(String)
    /// The content of `\text{...}`, `\mbox{...}`, `\mathrm{...}` and the like.
    case text(String)
    /// A single punctuation or operator byte: `+ - * / ^ _ ( ) [ ] { } , ; = < > ! | % & ' :`.
    case symbol(UInt8)
    case setOpen, setClose
    /// `\\`, the row separator of matrices.
    case rowSeparator
    case beginEnvironment(String)
    case endEnvironment(String)
}

/// A token with whether white space preceded it (needed for mixed numbers `2 1/2` and `\frac 59`).
struct Lexeme: Sendable {
    var token: Token
    var spaceBefore: Bool
}
