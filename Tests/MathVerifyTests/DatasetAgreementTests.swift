import Foundation
import MathVerify
import Testing

/// Real golds: every GSM8K test gold against a correct boxed completion, every MATH-500 gold against itself and
/// against its own worked solution (whose last `\boxed{}` is the same answer).
@Suite("Dataset agreement")
struct DatasetAgreementTests {
    @Test func gsm8kGoldAgainstBoxedCompletion() throws {
        let records = try Datasets.records("gsm8k_test.jsonl.gz")
        #expect(records.count == 1319)
        var agree = 0
        var failures: [String] = []
        for r in records {
            let gold = r["answer"] as! String
            let number = gold.split(separator: "#").last!.trimmingCharacters(in: .whitespaces)
            let v = MathVerify.verify(
                gold: gold, prediction: "Let me think step by step. The answer is \\boxed{\(number)}.")
            if v.isEquivalent { agree += 1 } else { failures.append(v.description) }
            // A wrong number must not pass.
            let wrong = MathVerify.verify(gold: gold, prediction: "The answer is \\boxed{\(number)1}.")
            #expect(!wrong.isEquivalent, "\(wrong)")
        }
        #expect(agree == records.count, "\(agree)/\(records.count); first failures: \(failures.prefix(5))")
    }

    @Test func math500GoldAgainstItselfAndItsSolution() throws {
        let records = try Datasets.records("math500_test.jsonl.gz")
        #expect(records.count == 500)
        var selfAgree = 0
        var solutionAgree = 0
        var failures: [String] = []
        for r in records {
            let answer = r["answer"] as! String
            let solution = r["solution"] as! String
            if MathVerify.verify(gold: answer, prediction: "\\boxed{\(answer)}").isEquivalent { selfAgree += 1 }
            let v = MathVerify.verify(gold: answer, prediction: solution)
            if v.isEquivalent { solutionAgree += 1 } else { failures.append(v.description) }
        }
        #expect(selfAgree == records.count)
        #expect(solutionAgree == records.count, "\(solutionAgree)/500; failures: \(failures.prefix(10))")
    }
}
