#if canImport(Glibc)
    import Glibc
#endif

/// Wall-clock seconds of one run of `body`.
func seconds(_ body: () throws -> Void) rethrows -> Double { try timed(body).wall }

/// Wall-clock seconds of one run of `body`, and the CPU seconds the whole process spent meanwhile
/// (their ratio is how many cores the run actually got; other processes may hold the rest).
func timed(_ body: () throws -> Void) rethrows -> (wall: Double, cpu: Double) {
    let c0 = processCPUSeconds()
    let d = try ContinuousClock().measure(body)
    return (Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18, processCPUSeconds() - c0)
}

/// CPU time of this process (all threads), in seconds.
func processCPUSeconds() -> Double {
    #if canImport(Glibc)
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
    #else
        return 0
    #endif
}

/// The middle value (upper middle for an even count); `values` must not be empty.
func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

/// Rows of cells as an aligned text table; the first row is the header.
func table(_ rows: [[String]]) -> String {
    let widths = (0..<(rows.first?.count ?? 0)).map { c in rows.map { $0[c].count }.max() ?? 0 }
    func line(_ r: [String]) -> String {
        zip(r, widths).enumerated().map { i, p in
            i == 0
                ? p.0.padding(toLength: p.1, withPad: " ", startingAt: 0)
                : String(repeating: " ", count: p.1 - p.0.count) + p.0
        }.joined(separator: "  ")
    }
    var out = [line(rows[0]), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
    out += rows.dropFirst().map(line)
    return out.joined(separator: "\n")
}
