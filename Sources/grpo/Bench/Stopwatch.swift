/// Median wall-clock seconds of `repeats` runs of `body` after `warmup` unmeasured runs.
func medianSeconds(repeats: Int, warmup: Int = 1, _ body: () throws -> Void) rethrows -> Double {
    for _ in 0..<warmup { try body() }
    let clock = ContinuousClock()
    var times: [Double] = []
    for _ in 0..<max(1, repeats) {
        let d = try clock.measure(body)
        times.append(Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
    }
    times.sort()
    return times[times.count / 2]
}

/// Rows of cells as an aligned text table; the first row is the header.
func table(_ rows: [[String]]) -> String {
    let widths = (0..<(rows.first?.count ?? 0)).map { c in rows.map { $0[c].count }.max() ?? 0 }
    func line(_ r: [String]) -> String {
        zip(r, widths).enumerated().map { i, p in
            i == 0 ? p.0.padding(toLength: p.1, withPad: " ", startingAt: 0)
                : String(repeating: " ", count: p.1 - p.0.count) + p.0
        }.joined(separator: "  ")
    }
    var out = [line(rows[0]), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
    out += rows.dropFirst().map(line)
    return out.joined(separator: "\n")
}
