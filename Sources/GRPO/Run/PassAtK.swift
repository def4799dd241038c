/// The unbiased pass@k estimator of Chen et al. 2021 ("Evaluating Large Language Models Trained on Code",
/// eq. 1 and the numerically stable form of their Figure 3): with n samples of which c are correct,
/// pass@k = 1 − C(n−c, k) / C(n, k) = 1 − Π_{i=n−c+1}^{n} (1 − k / i).
public enum PassAtK {
    /// pass@k for one problem. Throws unless 0 ≤ c ≤ n and 1 ≤ k ≤ n.
    public static func estimate(n: Int, c: Int, k: Int) throws(GRPOError) -> Double {
        guard n >= 1, (0...n).contains(c) else { throw GRPOError("pass@k needs 0 ≤ c ≤ n, n ≥ 1; got n \(n), c \(c)") }
        guard (1...n).contains(k) else { throw GRPOError("pass@k needs 1 ≤ k ≤ n = \(n); got k \(k)") }
        if n - c < k { return 1 }
        var fail = 1.0
        for i in (n - c + 1)...max(n - c + 1, n) where c > 0 { fail *= 1 - Double(k) / Double(i) }
        return 1 - fail
    }

    /// The mean of `estimate` over problems, each given as (n, c).
    public static func mean(_ counts: [(n: Int, c: Int)], k: Int) throws(GRPOError) -> Double {
        guard !counts.isEmpty else { throw GRPOError("pass@k of an empty task set") }
        var sum = 0.0
        for (n, c) in counts { sum += try estimate(n: n, c: c, k: k) }
        return sum / Double(counts.count)
    }
}
