import RewardKit

/// Per-sample settings of how a sample's tests are run and compared, read from its `tests` object (or, for
/// HumanEval/MBPP rows, the row's own fields of the same names).
public struct CodeTestOptions: Sendable, Hashable {
    /// Absolute tolerance for floats in `call` results, nested in containers (EvalPlus's per-problem `atol`):
    /// |out − exp| ≤ atol + rtol·|exp|, as `numpy.allclose` (which EvalPlus uses). Nil: exact `==`.
    public var atol: Double?
    /// Relative tolerance; 1e-7 (numpy's default, as EvalPlus) when only `atol` is given.
    public var rtol: Double?
    /// Wall-clock limit of each call of the candidate, seconds (`case_time_limit_s`): a slower call fails its
    /// case, the other cases still run. Nil: only the sample's limit applies.
    public var caseTimeLimitS: Double?
    /// Wall-clock (and CPU) limit of the whole sample, seconds (`time_limit_s`); may exceed the profile's default
    /// up to the grader's maximum. Nil: the profile's limit.
    public var timeLimitS: Double?
    /// Report every case's result, not only the first 200 (`/v1/run_tests`, whose client sent every case).
    public var reportsEveryCase = false

    public init(atol: Double? = nil, rtol: Double? = nil, caseTimeLimitS: Double? = nil, timeLimitS: Double? = nil) {
        self.atol = atol
        self.rtol = rtol
        self.caseTimeLimitS = caseTimeLimitS
        self.timeLimitS = timeLimitS
    }

    /// Reads the options of `sample`: its `tests` object first, then its fields.
    public init(sample: Sample) throws {
        let source = sample.tests?.objectValue ?? sample.fields
        func seconds(_ key: String, allowZero: Bool) throws -> Double? {
            guard let value = source[key], value != .null else { return nil }
            guard let d = value.doubleValue, d.isFinite, allowZero ? d >= 0 : d > 0 else {
                throw CodeRewardsError(
                    "\(key): expected a \(allowZero ? "non-negative" : "positive") number, got "
                        + value.jsonText.prefix(40))
            }
            return d
        }
        self.init(
            atol: try seconds("atol", allowZero: true), rtol: try seconds("rtol", allowZero: true),
            caseTimeLimitS: try seconds("case_time_limit_s", allowZero: false),
            timeLimitS: try seconds("time_limit_s", allowZero: false))
    }
}
