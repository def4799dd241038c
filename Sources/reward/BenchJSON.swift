import ArgumentParser
import Foundation
import RewardKit

/// `reward bench json`: parse time of one JSON object with n keys (`{"k0":0,"k1":1,…}`), the shape that took
/// quadratic time before objects indexed their keys.
struct BenchJSON: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "json", abstract: "JSON parse time of objects with many keys (median thread CPU time).")

    @Option(help: "Key counts, comma-separated.")
    var sizes = "10000,40000,1000000"

    @Option(help: "Parses per size (the median is printed).")
    var repetitions = 3

    func run() throws {
        let counts = sizes.split(separator: ",").compactMap { Int($0) }
        guard !counts.isEmpty, counts.allSatisfy({ $0 > 0 }), repetitions >= 1 else {
            throw ValidationError("--sizes needs positive counts and --repetitions at least 1")
        }
        print("| keys | bytes | median CPU s | µs per key |")
        print("| ---: | ---: | ---: | ---: |")
        for n in counts {
            let bytes = Array(("{" + (0..<n).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + "}").utf8)
            var times: [Double] = []
            for _ in 0..<repetitions {
                let start = Self.threadCPU()
                let value = try bytes.withUnsafeBufferPointer { b throws(JSONParseError) in
                    try JSONParser.parse(bytes: b)
                }
                times.append(Self.threadCPU() - start)
                guard value.objectValue?.count == n else { throw ValidationError("parsed the wrong number of keys") }
            }
            let median = times.sorted()[times.count / 2]
            print(
                "| \(n) | \(bytes.count) | \(String(format: "%.4f", median)) | "
                    + "\(String(format: "%.3f", median / Double(n) * 1e6)) |")
        }
    }

    static func threadCPU() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
