/// Text ↔ token ids.
public protocol Tokenizer: Sendable {
    /// Number of ids (the model's vocab_size must be at least this).
    var vocabularySize: Int { get }
    /// Ids of `text`; special-token strings that occur in it become their single ids.
    func encode(_ text: String) -> [Int32]
    /// Text of `ids` (invalid UTF-8 is replaced by U+FFFD; unknown ids are skipped).
    func decode(_ ids: [Int32]) -> String
    /// The id of a special token such as "<|eos|>", if the vocabulary has it.
    func specialID(_ token: String) -> Int32?
}
