import Foundation

/// A byte-level BPE tokenizer read from a HuggingFace `tokenizer.json` (the scheme of GPT-2, Qwen2 and
/// Llama 3; tokenizers/src/models/bpe/model.rs and pre_tokenizers/byte_level.rs).
///
/// Encoding: split out added tokens; NFC-normalise if the file says so; split the rest with the
/// pre-tokenizer's regex (GPT-2's when none is given); map each piece's bytes through `ByteLevelAlphabet`;
/// then repeatedly merge the adjacent pair of lowest merge rank. Decoding reverses the byte map.
public struct BPETokenizer: Tokenizer {
    struct Pair: Hashable { let a: String, b: String }

    /// GPT-2's pre-tokenisation pattern (tokenizers ByteLevel `use_regex`).
    static let gpt2Pattern = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#

    let vocab: [String: Int32]
    let idToToken: [Int32: String]
    let ranks: [Pair: Int]
    let added: [(content: String, id: Int32)]
    let addedIDs: [Int32: String]
    /// Nil when the pre-tokenizer does not split (ByteLevel with use_regex false and no Split).
    let splitter: NSRegularExpression?
    let addPrefixSpace: Bool
    let nfc: Bool
    let ignoreMerges: Bool

    public var vocabularySize: Int { Int(max(idToToken.keys.max() ?? -1, addedIDs.keys.max() ?? -1)) + 1 }

    /// Reads `tokenizer.json` at `url`.
    public init(contentsOf url: URL) throws {
        guard let data = try? Data(contentsOf: url) else { throw TinyLMError("cannot read \(url.path)") }
        try self.init(json: data, origin: url.path)
    }

    /// Parses the JSON text of a `tokenizer.json`; `origin` names it in errors.
    public init(json data: Data, origin: String = "tokenizer.json") throws {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let model = root["model"] as? [String: Any]
        else { throw TinyLMError("\(origin) is not a tokenizer.json object with a model") }
        guard (model["type"] as? String) == "BPE" else {
            throw TinyLMError("\(origin): model type \(model["type"] ?? "none") is not BPE")
        }
        guard let vocabJSON = model["vocab"] as? [String: NSNumber] else {
            throw TinyLMError("\(origin): no model.vocab")
        }
        vocab = vocabJSON.mapValues { Int32($0.intValue) }
        idToToken = Dictionary(vocab.map { ($0.value, $0.key) }, uniquingKeysWith: { a, _ in a })
        var ranks: [Pair: Int] = [:]
        for (rank, m) in ((model["merges"] as? [Any]) ?? []).enumerated() {
            let parts: [String]
            if let s = m as? String {
                parts = s.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            } else {
                parts = (m as? [String]) ?? []
            }
            guard parts.count == 2 else { throw TinyLMError("\(origin): merge \(rank) \(m) is not a pair") }
            if ranks[Pair(a: parts[0], b: parts[1])] == nil { ranks[Pair(a: parts[0], b: parts[1])] = rank }
        }
        self.ranks = ranks
        ignoreMerges = (model["ignore_merges"] as? Bool) ?? false
        var added: [(String, Int32)] = []
        for t in (root["added_tokens"] as? [[String: Any]]) ?? [] {
            if let c = t["content"] as? String, let id = (t["id"] as? NSNumber)?.int32Value { added.append((c, id)) }
        }
        self.added = added.sorted { $0.0.count > $1.0.count }  // longest first
        addedIDs = Dictionary(added.map { ($0.1, $0.0) }, uniquingKeysWith: { a, _ in a })

        // Pre-tokenizer: a Split with a regex, a ByteLevel (regex and prefix space), or a Sequence of them.
        var pattern: String?
        var useByteLevelRegex = true
        var prefix = false
        func visit(_ p: [String: Any]) {
            switch p["type"] as? String {
            case "Sequence": for sub in (p["pretokenizers"] as? [[String: Any]]) ?? [] { visit(sub) }
            case "Split": if let r = (p["pattern"] as? [String: Any])?["Regex"] as? String { pattern = r }
            case "ByteLevel":
                useByteLevelRegex = (p["use_regex"] as? Bool) ?? true
                prefix = (p["add_prefix_space"] as? Bool) ?? false
            default: break
            }
        }
        if let p = root["pre_tokenizer"] as? [String: Any] { visit(p) }
        // Without a Split regex, ByteLevel's own GPT-2 regex applies unless it has use_regex false.
        if let chosen = pattern ?? (useByteLevelRegex ? Self.gpt2Pattern : nil) {
            do { splitter = try NSRegularExpression(pattern: chosen) } catch {
                throw TinyLMError("\(origin): pre-tokenizer regex does not compile: \(chosen)")
            }
        } else {
            splitter = nil
        }
        addPrefixSpace = prefix
        var usesNFC = false
        if let n = root["normalizer"] as? [String: Any] {
            let types =
                [n["type"] as? String] + ((n["normalizers"] as? [[String: Any]]) ?? []).map { $0["type"] as? String }
            usesNFC = types.contains("NFC")
        }
        nfc = usesNFC
    }

    public func specialID(_ token: String) -> Int32? { added.first { $0.content == token }?.id ?? vocab[token] }

    public func encode(_ text: String) -> [Int32] {
        var ids: [Int32] = []
        var rest = Substring(text)
        while !rest.isEmpty {
            // The earliest added token (longest on ties) splits the text.
            var hit: (range: Range<Substring.Index>, id: Int32)?
            for (content, id) in added where !content.isEmpty {
                if let r = rest.range(of: content), hit == nil || r.lowerBound < hit!.range.lowerBound {
                    hit = (r, id)
                }
            }
            let plainEnd = hit?.range.lowerBound ?? rest.endIndex
            encodePlain(rest[rest.startIndex..<plainEnd], into: &ids)
            guard let hit else { break }
            ids.append(hit.id)
            rest = rest[hit.range.upperBound...]
        }
        return ids
    }

    private func encodePlain(_ piece: Substring, into ids: inout [Int32]) {
        guard !piece.isEmpty else { return }
        var text = String(piece)
        if nfc { text = text.precomposedStringWithCanonicalMapping }
        if addPrefixSpace && !text.hasPrefix(" ") { text = " " + text }
        let pieces: [Substring]
        if let splitter {
            let matches = splitter.matches(in: text, range: NSRange(location: 0, length: (text as NSString).length))
            pieces = matches.compactMap { Range($0.range, in: text).map { text[$0] } }
        } else {
            pieces = [Substring(text)]
        }
        for p in pieces {
            let word = String(ByteLevelAlphabet.encode(p))
            if ignoreMerges, let id = vocab[word] {
                ids.append(id)
                continue
            }
            for symbol in bpe(word) {
                if let id = vocab[symbol] { ids.append(id) }  // every single byte character is in the vocab
            }
        }
    }

    /// The merged symbols of one pre-token.
    func bpe(_ word: String) -> [String] {
        var symbols = word.map { String($0) }
        while symbols.count > 1 {
            var best: (rank: Int, index: Int)?
            for i in 0..<(symbols.count - 1) {
                if let r = ranks[Pair(a: symbols[i], b: symbols[i + 1])], best == nil || r < best!.rank {
                    best = (r, i)
                }
            }
            guard let best else { break }
            let a = symbols[best.index]
            let b = symbols[best.index + 1]
            var merged: [String] = []
            var i = 0
            while i < symbols.count {
                if i + 1 < symbols.count && symbols[i] == a && symbols[i + 1] == b {
                    merged.append(a + b)
                    i += 2
                } else {
                    merged.append(symbols[i])
                    i += 1
                }
            }
            symbols = merged
        }
        return symbols
    }

    public func decode(_ ids: [Int32]) -> String {
        var bytes: [UInt8] = []
        for id in ids {
            if let a = addedIDs[id] {
                bytes += Array(a.utf8)
            } else if let token = idToToken[id] {
                for c in token { if let b = ByteLevelAlphabet.charToByte[c] { bytes.append(b) } }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
