import Foundation
import Testing
import TinyLM

@Suite("Tokenizers")
struct TokenizerTests {
    struct ByteCase: Sendable, CustomTestStringConvertible {
        let text: String, ids: [Int32]
        var testDescription: String { text }
    }

    @Test(arguments: [
        ByteCase(text: "ab", ids: [97, 98]),
        ByteCase(text: "<think>x</think>", ids: [259, 120, 260]),
        ByteCase(text: "<answer>1</answer><|eos|>", ids: [261, 49, 262, 257]),
        ByteCase(text: "<thin", ids: [60, 116, 104, 105, 110]),
        ByteCase(text: "é", ids: [0xC3, 0xA9]),
    ])
    func byteTokenizerEncodesSpecialsAndBytes(_ c: ByteCase) {
        let t = ByteTokenizer()
        #expect(t.encode(c.text) == c.ids)
        #expect(t.decode(c.ids) == c.text)
        #expect(t.vocabularySize == 263 && t.eos == 257 && t.pad == 258)
    }

    /// A hand-made byte-level BPE tokenizer.json: the 256 byte characters, six merges and one added token.
    static func smallTokenizerJSON() -> Data {
        // bytes_to_unicode: printable bytes are themselves, others shift to U+0100…; space (0x20) is "Ġ".
        var vocab: [String: Int] = [:]
        var next = 256
        for b in 0..<256 {
            let printable = (33...126).contains(b) || (161...172).contains(b) || (174...255).contains(b)
            let scalar = printable ? b : { defer { next += 1 }; return next }()
            vocab[String(Character(Unicode.Scalar(UInt32(scalar))!))] = b
        }
        let merges = ["h e", "l l", "he ll", "hell o", "Ġ w", "Ġw o"]
        for (i, m) in merges.enumerated() { vocab[m.replacingOccurrences(of: " ", with: "")] = 256 + i }
        let json: [String: Any] = [
            "version": "1.0",
            "added_tokens": [["id": 300, "content": "<|endoftext|>", "special": true]],
            "normalizer": ["type": "NFC"],
            "pre_tokenizer": ["type": "ByteLevel", "add_prefix_space": false, "use_regex": true],
            "decoder": ["type": "ByteLevel"],
            "model": ["type": "BPE", "vocab": vocab, "merges": merges],
        ]
        return try! JSONSerialization.data(withJSONObject: json)
    }

    struct BPECase: Sendable, CustomTestStringConvertible {
        let text: String, ids: [Int32]
        var testDescription: String { text }
    }

    @Test(arguments: [
        BPECase(text: "hello", ids: [259]),  // h e → he; l l → ll; he ll → hell; hell o → hello
        BPECase(text: "help", ids: [256, 108, 112]),  // he, l, p: no merge for (he, l) or (l, p)
        BPECase(text: "hello wow", ids: [259, 261, 119]),  // " wow" → Ġwo + w
        BPECase(text: "hi<|endoftext|>hello", ids: [104, 105, 300, 259]),
        BPECase(text: "a  b", ids: [97, 32, 32, 98]),  // pieces "a", " ", " b" (\s+(?!\S) leaves one space)
        BPECase(text: "é!", ids: [0xC3, 0xA9, 33]),
    ])
    func bpeEncodesLikeHuggingFace(_ c: BPECase) throws {
        let t = try BPETokenizer(json: Self.smallTokenizerJSON())
        let ids = t.encode(c.text)
        #expect(ids == c.ids, "\(c.text) → \(ids)")
        #expect(t.decode(ids) == c.text)
        #expect(t.specialID("<|endoftext|>") == 300 && t.vocabularySize == 301)
    }

    @Test func malformedTokenizerJSONThrows() {
        #expect(throws: TinyLMError.self) { try BPETokenizer(json: Data("{}".utf8)) }
        #expect(throws: TinyLMError.self) {
            try BPETokenizer(json: Data(#"{"model": {"type": "Unigram", "vocab": []}}"#.utf8))
        }
    }
}
