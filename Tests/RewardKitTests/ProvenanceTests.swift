import Testing

@testable import RewardKit

@Suite struct ProvenanceTests {
    /// FIPS 180-2 Appendix B.1–B.3 (and the empty message).
    @Test func sha256MatchesTheStandardsExamples() {
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hex([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            SHA256.hex([UInt8](repeating: 0x61, count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func theRecipeHashFollowsTheRewardNodeOnly() throws {
        let a = Recipe(name: "a", description: "x", node: ["term": "math"])
        let renamed = Recipe(name: "b", description: "y", node: ["term": "math"])
        let changed = Recipe(name: "a", description: "x", node: ["term": "math", "params": ["mode": "strict"]])
        #expect(GraderIdentity(recipe: a).recipeSHA256 == GraderIdentity(recipe: renamed).recipeSHA256)
        #expect(GraderIdentity(recipe: a).recipeSHA256 != GraderIdentity(recipe: changed).recipeSHA256)
        #expect(GraderIdentity(recipe: a).recipeSHA256 == SHA256.hex(Array(#"{"term":"math"}"#.utf8)))
        let identity = GraderIdentity(recipe: a)
        #expect(GraderIdentity(json: identity.json) == identity)
        #expect(identity.json.objectValue?["arbiter"] == .string(GraderIdentity.arbiterVersion))
        #expect(GraderIdentity(json: ["arbiter": "1"]) == nil)
    }
}
