/// The executable's tokenizer as the training step needs it: a task's prompt as token ids, and a completion's
/// tokens as the text a reward reads.
public protocol PromptCodec {
    /// The prompt tokens of `task` (BOS included where the model uses one).
    func prompt(_ task: TaskItem) -> [Int]
    /// The completion text a reward reads (up to, not including, EOS).
    func text(_ tokens: [Int]) -> String
}
