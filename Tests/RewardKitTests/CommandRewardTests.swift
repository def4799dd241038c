import Foundation
import Testing

@testable import RewardKit

@Suite struct CommandRewardTests {
    static let plugin = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/plugin.py").path

    func s(_ c: String, id: Int = 0) -> Sample {
        Sample(completion: .text(c), reference: "R", fields: JSONObject([("id", .int(Int64(id)))]))
    }

    @Test func scoresThroughALongLivedProcess() async {
        let r = CommandReward(argv: ["python3", Self.plugin], timeout: 10)
        let scores = await r.score([s("abc", id: 1), s("hello", id: 2), s("number")])
        #expect(scores[0].value == 3)
        #expect(scores[0].reason == "ref=R id=1")
        #expect(scores[1].value == 5)
        #expect(scores[2].value == 0.25)
        #expect(scores[0].components["pid"] == scores[1].components["pid"], "one process answers both")
    }

    @Test func crashesTimeoutsAndGarbageBecomeErrorsAndTheProcessRestarts() async {
        // A generous timeout for everything but the hang, so that a slow interpreter start on a loaded machine
        // is not mistaken for a hang.
        let r = CommandReward(argv: ["python3", Self.plugin], timeout: 30, workers: 1)
        let first = await r.score([s("abc")])
        let crash = await r.score([s("crash")])
        let afterCrash = await r.score([s("abcd")])
        let bad = await r.score([s("bad"), s("err")])
        let short = CommandReward(argv: ["python3", Self.plugin], timeout: 1.5, workers: 1)
        _ = await short.score([s("warm up")])
        let hang = await short.score([s("hang")])
        let afterHang = await r.score([s("ab")])
        #expect(first[0].value == 3)
        #expect(crash[0].error?.contains("exit") == true || crash[0].error?.contains("closed") == true, "\(crash[0])")
        #expect(afterCrash[0].value == 4)
        #expect(afterCrash[0].components["pid"] != first[0].components["pid"], "a new process after the crash")
        #expect(hang[0].error?.contains("no answer within 1.5 s") == true, "\(hang[0])")
        #expect(afterHang[0].value == 2)
        #expect(bad[0].error?.contains("invalid JSON") == true)
        #expect(bad[1].error == "command: cannot judge")
    }

    @Test func concurrentWorkersEachAnswerOneAtATime() async {
        let r = CommandReward(argv: ["python3", Self.plugin], timeout: 10, workers: 3)
        let batch = (0..<60).map { s(String(repeating: "x", count: $0), id: $0) }
        let scores = await r.score(batch)
        #expect(scores.map(\.value) == (0..<60).map(Double.init))
        #expect(Set(scores.compactMap { $0.components["pid"] }).count <= 3)
    }

    @Test func aMissingProgramIsAnErrorPerSample() async {
        let r = CommandReward(argv: ["/nonexistent/plugin"], timeout: 2)
        let scores = await r.score([s("a"), s("b")])
        #expect(scores.allSatisfy { $0.isError })
    }
}
