/// Ids 0…255 are the UTF-8 bytes of the text; ids from 256 on are special tokens (by default the ones the
/// built-in tasks use: `<|bos|>`, `<|eos|>`, `<|pad|>`, `<think>`, `</think>`, `<answer>`, `</answer>`).
public struct ByteTokenizer: Tokenizer {
    public static let defaultSpecials = [
        "<|bos|>", "<|eos|>", "<|pad|>", "<think>", "</think>", "<answer>", "</answer>",
    ]
    public let specials: [String]
    private let specialBytes: [[UInt8]]

    public init(specials: [String] = ByteTokenizer.defaultSpecials) {
        self.specials = specials
        specialBytes = specials.map { Array($0.utf8) }
    }

    public var vocabularySize: Int { 256 + specials.count }
    public var bos: Int32 { specialID("<|bos|>") ?? 256 }
    public var eos: Int32 { specialID("<|eos|>") ?? 257 }
    public var pad: Int32 { specialID("<|pad|>") ?? 258 }

    public func specialID(_ token: String) -> Int32? { specials.firstIndex(of: token).map { Int32(256 + $0) } }

    public func encode(_ text: String) -> [Int32] {
        let bytes = Array(text.utf8)
        var ids: [Int32] = []
        ids.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            // Longest special token starting here.
            var best: (id: Int, len: Int)?
            if bytes[i] == UInt8(ascii: "<") {
                for (k, sb) in specialBytes.enumerated()
                where sb.count > (best?.len ?? 0) && i + sb.count <= bytes.count {
                    if bytes[i..<(i + sb.count)].elementsEqual(sb) { best = (k, sb.count) }
                }
            }
            if let best {
                ids.append(Int32(256 + best.id))
                i += best.len
            } else {
                ids.append(Int32(bytes[i]))
                i += 1
            }
        }
        return ids
    }

    public func decode(_ ids: [Int32]) -> String {
        var bytes: [UInt8] = []
        for id in ids {
            if id >= 0 && id < 256 {
                bytes.append(UInt8(id))
            } else if id >= 256 && Int(id) < vocabularySize {
                bytes += specialBytes[Int(id) - 256]
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
