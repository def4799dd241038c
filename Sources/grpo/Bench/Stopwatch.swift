/// Wall-clock seconds of one run of `body`.
func seconds(_ body: () throws -> Void) rethrows -> Double {
    let d = try ContinuousClock().measure(body)
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}

/// The middle value (upper middle for an even count); `values` must not be empty.
func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

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
