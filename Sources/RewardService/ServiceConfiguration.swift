import RewardKit

/// Everything `reward serve` can be told, with the defaults a single machine wants.
public struct ServiceConfiguration: Sendable {
    /// Address to bind; loopback by default so that nothing is exposed by accident.
    public var host = "127.0.0.1"
    /// TCP port; 0 picks a free one.
    public var port = 8000
    /// Requests scored at once (each may itself use every core for its batch).
    public var concurrency = 4
    /// `/run_code` programs run at once (the sandbox pool); they queue apart from scoring requests.
    public var sandboxSlots = 4
    /// Requests that may wait for a slot (per pool); beyond this the service answers 429 with Retry-After.
    public var queueLimit = 64
    /// Seconds a request may take from arrival to answer (waiting included); then 503.
    public var requestTimeout = 60.0
    /// Largest request body, in bytes; larger bodies get 413.
    public var maxBodyBytes = 64 << 20
    /// Bearer token required on every route but `/healthz` when set.
    public var token: String?
    /// The recipes and terms requests may name.
    public var book = RecipeBook()
    /// Recipe for `/v1/score` requests that name none.
    public var defaultRecipe = "math"
    /// Recipe for OpenRLHF's `/get_reward`, which cannot name one.
    public var openRLHFRecipe = "math"
    /// Runs code for `/run_code`; `nil` answers 503 (no sandbox in this build or configuration).
    public var codeExecutor: (any CodeExecutor)?

    public init() {}
}
