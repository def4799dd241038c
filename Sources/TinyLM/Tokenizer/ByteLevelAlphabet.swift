/// GPT-2's reversible byte → printable character map (`bytes_to_unicode` in openai/gpt-2 encoder.py, used by
/// HuggingFace's ByteLevel pre-tokenizer): printable Latin-1 bytes map to themselves, the other 68 bytes to
/// U+0100 onwards in byte order.
enum ByteLevelAlphabet {
    static let byteToChar: [Character] = {
        var table = [Character](repeating: " ", count: 256)
        var next: UInt32 = 256
        for b in 0..<256 {
            let printable = (33...126).contains(b) || (161...172).contains(b) || (174...255).contains(b)
            if printable {
                table[b] = Character(Unicode.Scalar(UInt32(b))!)
            } else {
                table[b] = Character(Unicode.Scalar(next)!)
                next += 1
            }
        }
        return table
    }()

    static let charToByte: [Character: UInt8] = {
        var map: [Character: UInt8] = [:]
        for (b, c) in byteToChar.enumerated() { map[c] = UInt8(b) }
        return map
    }()

    /// The characters standing for the UTF-8 bytes of `text`.
    static func encode(_ text: Substring) -> [Character] { text.utf8.map { byteToChar[Int($0)] } }
}
