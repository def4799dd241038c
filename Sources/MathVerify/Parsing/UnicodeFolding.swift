/// Maps the Unicode a model or a dataset may write to the ASCII/LaTeX the lexer reads: unicode minus and dashes,
/// fullwidth digits and letters, `×`, `÷`, `·`, `π`, `√`, `∞`, `°`, `±`, `≤`, `≥`, `≠`, `∪`, `∈`, vulgar fractions,
/// superscript digits, and the many Unicode spaces. Other non-ASCII characters pass through as UTF-8.
enum UnicodeFolding {
    /// Returns the folded UTF-8 bytes of `text`.
    static func fold<S: StringProtocol>(_ text: S) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count)
        // Fast path: plain ASCII needs no work.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            out.append(contentsOf: text.utf8)
            return out
        }
        var superscript = [UInt8]()
        func flushSuperscript() {
            if superscript.isEmpty { return }
            out.append(contentsOf: Array("^{".utf8) + superscript + [UInt8(ascii: "}")])
            superscript.removeAll()
        }
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if let s = superscriptValue(v) {
                superscript.append(s)
                continue
            }
            flushSuperscript()
            if v < 0x80 {
                out.append(UInt8(v))
            } else if v >= 0xFF01 && v <= 0xFF5E {
                out.append(UInt8(v - 0xFEE0))  // fullwidth ASCII
            } else if let r = replacement(v) {
                out.append(contentsOf: r.utf8)
            } else {
                out.append(contentsOf: String(scalar).utf8)
            }
        }
        flushSuperscript()
        return out
    }

    private static func superscriptValue(_ v: UInt32) -> UInt8? {
        switch v {
        case 0x2070: return UInt8(ascii: "0")
        case 0x00B9: return UInt8(ascii: "1")
        case 0x00B2: return UInt8(ascii: "2")
        case 0x00B3: return UInt8(ascii: "3")
        case 0x2074...0x2079: return UInt8(ascii: "4") + UInt8(v - 0x2074)
        case 0x207B: return UInt8(ascii: "-")
        case 0x207A: return UInt8(ascii: "+")
        default: return nil
        }
    }

    private static func replacement(_ v: UInt32) -> String? {
        switch v {
        case 0x2212, 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0xFE63: return "-"
        case 0x00D7, 0x2715, 0x2A09: return "\\times "
        case 0x00B7, 0x22C5, 0x2219: return "\\cdot "
        case 0x00F7: return "\\div "
        case 0x03C0: return "\\pi "
        case 0x221E: return "\\infty "
        case 0x221A: return "\\sqrt "
        case 0x00B0, 0x2218: return "^\\circ "
        case 0x00B1: return "\\pm "
        case 0x2213: return "\\mp "
        case 0x2264, 0x2A7D: return "\\le "
        case 0x2265, 0x2A7E: return "\\ge "
        case 0x2260: return "\\ne "
        case 0x222A: return "\\cup "
        case 0x2208: return "\\in "
        case 0x2248: return "\\approx "
        case 0x00BD: return "(1/2)"
        case 0x2153: return "(1/3)"
        case 0x2154: return "(2/3)"
        case 0x00BC: return "(1/4)"
        case 0x00BE: return "(3/4)"
        case 0x2032: return "'"
        case 0x00A0, 0x2002...0x200B, 0x202F, 0x205F, 0x3000: return " "
        case 0x3001, 0xFF64: return ","
        case 0x3002: return "."
        case 0x2018, 0x2019: return "'"
        case 0x201C, 0x201D: return "\""
        case 0x20AC, 0x00A3, 0x00A5: return " "  // currency signs: dropped like `$`
        default: return nil
        }
    }
}
