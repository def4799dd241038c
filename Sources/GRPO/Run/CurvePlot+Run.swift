import RewardKit

extension CurvePlot {
    /// (step, value) of `key` in metric lines, skipping lines without it.
    public static func points(_ lines: [JSONObject], _ key: String) -> [(x: Double, y: Double)] {
        lines.compactMap { line in
            guard let x = line[MetricKeys.step]?.doubleValue, let y = line[key]?.doubleValue else { return nil }
            return (x, y)
        }
    }

    /// The panels of one training run's `curves.svg`, from its metric lines (`metrics.jsonl`): reward and accuracy
    /// overlaid in one panel (with a note when they are the same curve, as under an accuracy-only recipe), the
    /// reward's spread within groups, entropy, KL (with a note when β = 0 turns it off), filtered groups and
    /// response length; with a watched reward model (`grpo train --rm`), its scores on correct and wrong rollouts
    /// and its accuracy on each step's fresh pairs; for a run with a critic (PPO) also the value loss with its clip fraction, the explained
    /// variance, and the mean values against the mean returns (verl's `critic/…` names).
    public static func trainingRun(_ lines: [JSONObject], beta: Double, title: String) -> CurvePlot {
        func points(_ key: String) -> [(x: Double, y: Double)] { CurvePlot.points(lines, key) }
        let reward = points(MetricKeys.rewardMean)
        let accuracy = points(MetricKeys.accuracy)
        let same =
            !reward.isEmpty && reward.count == accuracy.count
            && zip(reward, accuracy).allSatisfy { $0.y == $1.y }
        var series: [Series] = [
            Series(
                title: "reward/mean and accuracy",
                curves: [(MetricKeys.rewardMean, reward), (MetricKeys.accuracy, accuracy)],
                note: same ? "one curve: the reward is the accuracy (accuracy-only recipe)" : nil),
            Series(title: "reward/std (within groups)", points: points(MetricKeys.rewardStd)),
            Series(title: MetricKeys.entropy, points: points(MetricKeys.entropy)),
            Series(
                title: MetricKeys.kl, points: points(MetricKeys.kl),
                note: beta == 0 ? "KL off (β = 0): not computed, drawn as 0" : "β = \(beta)"),
            Series(title: MetricKeys.groupsFiltered, points: points(MetricKeys.groupsFiltered)),
            Series(title: "response_length (tokens)", points: points(MetricKeys.responseLength)),
        ]
        if !points("rm/score_mean").isEmpty {
            series.append(
                Series(
                    title: "reward model score",
                    curves: ["rm/score_mean", "rm/score_correct", "rm/score_wrong"].map { ($0, points($0)) },
                    note: "on the step's rollouts; correct and wrong as the verifier labels them"))
            series.append(
                Series(
                    title: "rm/fresh_accuracy", points: points("rm/fresh_accuracy"),
                    note: "pairwise accuracy on the step's verifier-labelled pairs, before any update on them"))
        }
        if !points(MetricKeys.vfLoss).isEmpty {
            series += [
                Series(
                    title: "critic: value loss and clip fraction",
                    curves: [
                        (MetricKeys.vfLoss, points(MetricKeys.vfLoss)),
                        (MetricKeys.vfClipFraction, points(MetricKeys.vfClipFraction)),
                    ]),
                Series(title: MetricKeys.vfExplainedVariance, points: points(MetricKeys.vfExplainedVariance)),
                Series(
                    title: "critic: values and returns (means)",
                    curves: [
                        (MetricKeys.valuesMean, points(MetricKeys.valuesMean)),
                        (MetricKeys.returnsMean, points(MetricKeys.returnsMean)),
                        (MetricKeys.advantagesMean, points(MetricKeys.advantagesMean)),
                    ]),
            ]
        }
        return CurvePlot(title: title, series: series)
    }
}
