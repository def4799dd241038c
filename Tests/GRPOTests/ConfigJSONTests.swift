import RewardKit
import Testing

@testable import GRPO

@Suite struct ConfigJSONTests {
    @Test(arguments: GRPOConfig.presetNames)
    func everyFieldRoundTrips(preset: String) throws {
        var c = try #require(GRPOConfig.preset(named: preset))
        c.delta = 1.7
        c.iterations = 3
        c.maskTruncated = true
        let text = JSON.object(c.json).jsonText
        #expect(try GRPOConfig(json: JSONParser.parse(text).objectValue!) == c)
        #expect(Set(c.json.keys).isSubset(of: Set(GRPOConfig.jsonKeys)))
        #expect(c.json.count == GRPOConfig.jsonKeys.count - 3, "all but preset, epsilon and loss_type")
    }

    @Test func numericGroupIdsCompareLikePython() throws {
        let b = try LossBatch(
            json: JSONParser.parse(
                #"{"logp": [[-1], [-1]], "mask": [[1], [1]], "rewards": [1, 0], "group_ids": [1, 1.0]}"#))
        #expect(b.groups.count == 1)
    }
}
