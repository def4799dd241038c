import Foundation
import Testing

@testable import RewardKit

/// Objects parse in linear time, and the parser's limits hold.
@Suite struct JSONScaleTests {
    static func object(keys n: Int) -> [UInt8] {
        Array(("{" + (0..<n).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + "}").utf8)
    }

    /// CPU seconds of this thread (wall time would count the other builds and tests sharing the machine).
    static func threadCPU() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    /// The smallest of `runs` parses' CPU times, checking that every key came through.
    static func parseSeconds(_ bytes: [UInt8], keys n: Int, runs: Int) throws -> Double {
        var best = Double.infinity
        for _ in 0..<runs {
            let start = threadCPU()
            let v = try bytes.withUnsafeBufferPointer { b throws(JSONParseError) in try JSONParser.parse(bytes: b) }
            best = min(best, threadCPU() - start)
            // Checked by throwing, not by #expect: this runs on a thread outside the test's task.
            guard let o = v.objectValue, o.count == n, o["k\(n - 1)"] == .int(Int64(n - 1)), o["k0"] == .int(0) else {
                throw JSONParseError(message: "the object of \(n) keys did not come through whole", offset: 0)
            }
        }
        return best
    }

    /// Four times the keys takes about four times as long (a quadratic parse would take sixteen; the old one took
    /// 4.1 s for 40,000 keys and would take about 40 minutes for a million). CPU time, so that other work on the
    /// machine does not count. The bound is generous because tests run unoptimized (a debug build parses 1M keys in
    /// about 2.5 s of CPU, a release build in about 0.4 s: `reward bench json`).
    /// The parses run on a thread of their own: seconds of synchronous work on a thread of Swift's cooperative
    /// pool (one per core) would hold up every other test running in parallel.
    @Test func aMillionKeysParseInLinearTime() async throws {
        let n = 250_000
        let (small, large) = try await withCheckedThrowingContinuation { c in
            Thread {
                c.resume(
                    with: Result {
                        (
                            try Self.parseSeconds(Self.object(keys: n), keys: n, runs: 2),
                            try Self.parseSeconds(Self.object(keys: 4 * n), keys: 4 * n, runs: 1)
                        )
                    })
            }.start()
        }
        #expect(large / small < 8, "250k keys: \(small) s, 1M keys: \(large) s")
        #expect(large < 6, "1M keys: \(large) s of CPU")
    }

    @Test func repeatedKeysInABigObjectKeepTheFirstPlaceAndTheLastValue() throws {
        var pairs = (0..<40).map { "\"k\($0)\":\($0)" }
        pairs.append("\"k3\":\"again\"")
        let o = try #require(try JSONParser.parse("{" + pairs.joined(separator: ",") + "}").objectValue)
        #expect(o.count == 40)
        #expect(o.keys[3] == "k3" && o["k3"] == "again")
        #expect(o.keys.last == "k39")
    }

    @Test func aBigObjectStaysConsistentThroughSetsAndRemovals() {
        var o = JSONObject((0..<30).map { ("k\($0)", JSON.int(Int64($0))) })
        o["k5"] = nil
        o["k29"] = nil
        o["new"] = "x"
        o["k6"] = "six"
        #expect(o.count == 29)
        #expect(o["k5"] == nil && o["k29"] == nil && o["new"] == "x" && o["k6"] == "six" && o["k28"] == .int(28))
        #expect(o.keys.first == "k0" && o.keys.last == "new" && o.keys[5] == "k6")
        for k in o.keys where k != "k0" { o[k] = nil }
        #expect(o.keys == ["k0"] && o["k0"] == .int(0) && o["k6"] == nil)
        #expect(o == JSONObject([("k0", 0)]))
    }

    @Test func theDepthLimitIsNamed() {
        let text = String(repeating: "[", count: 11) + String(repeating: "]", count: 11)
        #expect(throws: Never.self) { try JSONParser.parse(text) }
        let limits = JSONParser.Limits(maxDepth: 10)
        let error = #expect(throws: JSONParseError.self) {
            try Array(text.utf8).withUnsafeBufferPointer { b throws(JSONParseError) in
                try JSONParser.parse(bytes: b, limits: limits)
            }
        }
        #expect(error?.exceededLimit == .depth)
        #expect(error?.message == "nesting deeper than 10 (the depth limit)")
    }

    @Test func theMemberLimitCountsEveryLevel() throws {
        let text = #"{"a":[1,2,{"b":3}],"c":4}"#  // members: a, 1, 2, {…}, b, c = 6
        let bytes = Array(text.utf8)
        func parse(_ maxMembers: Int) throws(JSONParseError) -> JSON {
            try bytes.withUnsafeBufferPointer { b throws(JSONParseError) in
                try JSONParser.parse(bytes: b, limits: .init(maxMembers: maxMembers))
            }
        }
        #expect(try parse(6).objectValue?.count == 2)
        let error = #expect(throws: JSONParseError.self) { try parse(5) }
        #expect(error?.exceededLimit == .members)
        #expect(error?.message.contains("more than 5 array elements and object members") == true)
        let syntax = #expect(throws: JSONParseError.self) { try JSONParser.parse("{\"a\":}") }
        #expect(syntax?.exceededLimit == nil)
    }
}
