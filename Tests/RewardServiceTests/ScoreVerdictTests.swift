import Foundation
import Hummingbird
import HummingbirdTesting
import RewardKit
import Testing

@testable import RewardService

/// `/v1/score` results carry the math check's verdict, and an inline recipe says what `undecided` scores.
@Suite struct ScoreVerdictTests {
    @Test func resultsSayEqualDifferentOrUndecided() async throws {
        try await app(configuration()).test(.router) { client in
            let samples =
                #"[{"completion":"\\boxed{12}","answer":"12"},{"completion":"\\boxed{13}","answer":"12"},"#
                + #"{"completion":"no idea","answer":"12"}]"#
            let body = #"{"recipe":{"reward":{"term":"math","params":{"undecided":0.5}}},"samples":"# + samples + "}"
            try await client.execute(uri: "/v1/score", method: .post, body: ByteBuffer(string: body)) { r in
                #expect(r.status == .ok, "\(String(buffer: r.body))")
                let results = try json(r.body)["results"]!.arrayValue!.map { $0.objectValue! }
                #expect(results.map { $0["verdict"]?.stringValue } == ["equal", "different", "undecided"])
                #expect(results.map { $0["reward"]?.doubleValue } == [1, 0, 0.5])
            }
        }
    }

    @Test func termsWithoutAVerdictSayNone() async throws {
        try await app(configuration()).test(.router) { client in
            let body = #"{"samples":[{"completion":"x is 12","answer":"12"}]}"#
            try await client.execute(uri: "/v1/score", method: .post, body: ByteBuffer(string: body)) { r in
                let results = try json(r.body)["results"]!.arrayValue!.map { $0.objectValue! }
                #expect(results[0]["reward"]?.doubleValue == 1 && results[0]["verdict"] == nil)
            }
        }
    }
}
