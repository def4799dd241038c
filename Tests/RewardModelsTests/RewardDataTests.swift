import Foundation
import RewardKit
import RewardModels
import Testing

@Suite("Reward data files")
struct RewardDataTests {
    static func parse(_ lines: [String]) throws -> (data: RewardData, skipped: Int) {
        try RewardData.parse(lines.map { try JSONParser.parse($0) }, source: "test.jsonl")
    }

    /// TRL's forms: explicit prompt, implicit prompt, chat messages; an optional margin.
    @Test func readsPreferencesInTheFormsTRLReads() throws {
        let (data, skipped) = try Self.parse([
            #"{"prompt": "2+2=", "chosen": "4", "rejected": "5", "margin": 1.5}"#,
            #"{"chosen": "Q: hi A: hello", "rejected": "Q: hi A: go away"}"#,
            #"{"chosen": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}], "#
                + #""rejected": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "no"}]}"#,
        ])
        #expect(skipped == 0)
        guard case .pairs(let p) = data else {
            Issue.record("expected pairs")
            return
        }
        #expect(p[0] == PreferencePair(prompt: "2+2=", chosen: "4", rejected: "5", margin: 1.5))
        #expect(p[1] == PreferencePair(prompt: "", chosen: "Q: hi A: hello", rejected: "Q: hi A: go away"))
        #expect(p[2].chosen == "hi\nhello" && p[2].rejected == "hi\nno")
    }

    /// Outcome labels: `label` 0/1 or a score, `reward` standing in (rollouts.jsonl), null rewards skipped.
    @Test func readsOutcomesAndRollouts() throws {
        let (data, skipped) = try Self.parse([
            #"{"prompt": "p", "completion": "a", "label": 1}"#,
            #"{"prompt": "p", "completion": "b", "label": false}"#,
            #"{"step": 3, "prompt": "q", "completion": "c", "reward": 0.25, "advantage": 0.1}"#,
            #"{"prompt": "q", "completion": "d", "reward": null}"#,
        ])
        #expect(skipped == 1)
        guard case .outcomes(let o) = data else {
            Issue.record("expected outcomes")
            return
        }
        #expect(o.map(\.label) == [1, 0, 0.25])
        #expect(OutcomeExample.pairs(o) == [PreferencePair(prompt: "p", chosen: "a", rejected: "b")])
    }

    /// Errors name the record and the field.
    @Test func badRecordsAreNamed() {
        #expect { try Self.parse([#"{"chosen": "a", "rejected": "b"}"#, #"{"chosen": "a"}"#]) } throws: {
            "\($0)".contains("record 2") && "\($0)".contains("\"rejected\"")
        }
        #expect { try Self.parse([#"{"prompt": "p", "completion": "a", "label": "yes"}"#]) } throws: {
            "\($0)".contains("record 1") && "\($0)".contains("label")
        }
        #expect { try Self.parse([#"{"prompt": "p", "chosen": 3, "rejected": "b"}"#]) } throws: {
            "\($0)".contains("\"chosen\" must be a string")
        }
        #expect { try Self.parse([]) } throws: { "\($0)".contains("no records") }
    }
}
