import Foundation
import RewardKit

/// Everything `reward serve` can be told, with the defaults a single machine wants.
public struct ServiceConfiguration: Sendable {
    /// Address to bind; loopback by default so that nothing is exposed by accident.
    public var host = "127.0.0.1"
    /// TCP port; 0 picks a free one.
    public var port = 8000
    /// Requests scored at once (each may itself use every core for its batch); by default the machine's cores.
    public var concurrency = MachineSize.current.scoringWorkers
    /// `/run_code` programs run at once (the sandbox pool); they queue apart from scoring requests. By default
    /// sized from the machine (`MachineSize.sandboxSlots`).
    public var sandboxSlots = MachineSize.current.sandboxSlots
    /// Requests that may wait for a slot (per pool); beyond this the service answers 429 with Retry-After.
    public var queueLimit = 64
    /// Seconds a request may take from arrival to answer (waiting included); then 503. A request may ask for less
    /// (header `X-Request-Timeout`, or a `/v1/score` body's `timeout` field), never for more.
    public var requestTimeout = 60.0
    /// Largest request body, in bytes; larger bodies get 413 (from `Content-Length` before a byte is read).
    public var maxBodyBytes = 64 << 20
    /// Deepest nesting of a request's JSON (deeper: 400 naming the limit).
    public var maxJSONDepth = 512
    /// Most array elements and object members in a request's JSON (more: 413 naming the limit).
    public var maxJSONMembers = 1 << 21
    /// Bearer token required on every route but `/healthz` when set.
    public var token: String?
    /// The recipes and terms requests may name.
    public var book = RecipeBook()
    /// Recipe for `/v1/score` requests that name none.
    public var defaultRecipe = "math"
    /// Recipe for OpenRLHF's `/get_reward`, which cannot name one.
    public var openRLHFRecipe = "math"
    /// Texts cut from the end of an OpenRLHF query (its response ends with the tokenizer's end-of-sequence
    /// text, since OpenRLHF decodes with special tokens kept), repeatedly, so that `format` terms see the response.
    public var openRLHFEndTexts = ServiceConfiguration.commonEndTexts
    /// Runs code for `/run_code`; `nil` answers 503 (no sandbox in this build or configuration).
    public var codeExecutor: (any CodeExecutor)?

    /// End-of-sequence (and end-of-turn, padding) texts of common tokenizers: Qwen, Llama 3, Llama 2/Mistral,
    /// DeepSeek, Phi-3, GPT-2.
    public static let commonEndTexts = [
        "<|im_end|>", "<|endoftext|>", "<|eot_id|>", "<|end_of_text|>", "</s>", "<｜end▁of▁sentence｜>", "<|end|>",
        "<pad>", "<|pad|>",
    ]

    public init() {}
}

/// Default slot counts from the machine's cores and memory.
public struct MachineSize: Sendable {
    public var cores: Int
    public var memoryBytes: UInt64

    public static let current = MachineSize(
        cores: ProcessInfo.processInfo.activeProcessorCount, memoryBytes: ProcessInfo.processInfo.physicalMemory)

    /// Scoring requests at once: one per core (at least 2, so that one long batch never blocks the pool).
    public var scoringWorkers: Int { max(2, cores) }

    /// Sandboxed programs at once: four per core (most graded programs wait on I/O or end quickly, and boxes get
    /// CPU shares), at most one per 512 MiB of memory (the profiles' default memory limit), at least 2.
    public var sandboxSlots: Int { max(2, min(4 * cores, Int(memoryBytes / (512 << 20)))) }
}
