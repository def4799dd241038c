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
    /// The expected ids below are what HuggingFace `tokenizers` 0.23.3 returns for the same file.
    static func smallTokenizerJSON(preTokenizer: [String: Any] = gpt2PreTokenizer) -> Data {
        // bytes_to_unicode: printable bytes are themselves, others shift to U+0100…; space (0x20) is "Ġ".
        var vocab: [String: Int] = [:]
        var next = 256
        for b in 0..<256 {
            let printable = (33...126).contains(b) || (161...172).contains(b) || (174...255).contains(b)
            let scalar =
                printable
                ? b
                : {
                    defer { next += 1 }
                    return next
                }()
            vocab[String(Character(Unicode.Scalar(UInt32(scalar))!))] = b
        }
        let merges = ["h e", "l l", "he ll", "hell o", "Ġ w", "Ġw o"]
        for (i, m) in merges.enumerated() { vocab[m.replacingOccurrences(of: " ", with: "")] = 256 + i }
        let json: [String: Any] = [
            "version": "1.0",
            "added_tokens": [["id": 262, "content": "<|endoftext|>", "special": true]],
            "normalizer": ["type": "NFC"],
            "pre_tokenizer": preTokenizer,
            "decoder": ["type": "ByteLevel"],
            "model": ["type": "BPE", "vocab": vocab, "merges": merges],
        ]
        return try! JSONSerialization.data(withJSONObject: json)
    }

    static var gpt2PreTokenizer: [String: Any] { ["type": "ByteLevel", "add_prefix_space": false, "use_regex": true] }

    /// Qwen2's pre-tokenizer: a Split on its regex, then ByteLevel without GPT-2's regex.
    static var qwen2PreTokenizer: [String: Any] {
        [
            "type": "Sequence",
            "pretokenizers": [
                [
                    "type": "Split", "behavior": "Isolated", "invert": false,
                    "pattern": [
                        "Regex":
                            #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#
                    ],
                ],
                ["type": "ByteLevel", "add_prefix_space": false, "use_regex": false],
            ],
        ]
    }

    @Test(arguments: [
        BPECase(text: "hello wow", ids: [259, 261, 119]),
        BPECase(text: "x=123!\n\nhello", ids: [120, 61, 49, 50, 51, 33, 10, 10, 259]),
        BPECase(text: "IT'S  (hello)", ids: [73, 84, 39, 83, 32, 32, 40, 259, 41]),
    ])
    func bpeWithQwen2SplitRegex(_ c: BPECase) throws {
        let t = try BPETokenizer(json: Self.smallTokenizerJSON(preTokenizer: Self.qwen2PreTokenizer))
        #expect(t.encode(c.text) == c.ids)
        #expect(t.decode(c.ids) == c.text)
    }

    struct BPECase: Sendable, CustomTestStringConvertible {
        let text: String, ids: [Int32]
        var testDescription: String { text }
    }

    @Test(arguments: [
        BPECase(text: "hello", ids: [259]),  // h e → he; l l → ll; he ll → hell; hell o → hello
        BPECase(text: "help", ids: [256, 108, 112]),  // he, l, p: no merge for (he, l) or (l, p)
        BPECase(text: "hello wow", ids: [259, 261, 119]),  // " wow" → Ġwo + w
        BPECase(text: "hi<|endoftext|>hello", ids: [104, 105, 262, 259]),
        BPECase(text: "a  b", ids: [97, 32, 32, 98]),  // pieces "a", " ", " b" (\s+(?!\S) leaves one space)
        BPECase(text: "é!", ids: [0xC3, 0xA9, 33]),
    ])
    func bpeEncodesLikeHuggingFace(_ c: BPECase) throws {
        let t = try BPETokenizer(json: Self.smallTokenizerJSON())
        let ids = t.encode(c.text)
        #expect(ids == c.ids, "\(c.text) → \(ids)")
        #expect(t.decode(ids) == c.text)
        #expect(t.specialID("<|endoftext|>") == 262 && t.vocabularySize == 263)
    }

    @Test func malformedTokenizerJSONThrows() {
        #expect(throws: TinyLMError.self) { try BPETokenizer(json: Data("{}".utf8)) }
        #expect(throws: TinyLMError.self) {
            try BPETokenizer(json: Data(#"{"model": {"type": "Unigram", "vocab": []}}"#.utf8))
        }
    }
}
