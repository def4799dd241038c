import GRPO
import Testing

/// `grpo sft`'s demonstration draws: uniform tasks, the flawed demonstration at the asked rate.
@Suite struct DemonstrationDrawTests {
    static func tasks(_ n: Int) -> [TaskItem] {
        (0..<n).map {
            TaskItem(id: "t\($0)", prompt: "p\($0)", answer: "\($0)", solution: "\($0)", flawedSolution: "x")
        }
    }

    @Test func withoutFlawsTheDrawsAreTheOldUniformIndices() throws {
        let draw = try DemonstrationDraw(tasks: Self.tasks(7))
        var a = SeededRandom(seed: 3)
        var b = SeededRandom(seed: 3)
        for _ in 0..<200 {
            let d = draw.next(&a)
            #expect(d.index == b.int(0...6))
            #expect(!d.flawed)
            #expect(draw.text(d) == "\(d.index)")
        }
    }

    @Test(arguments: [0.25, 0.5, 1.0])
    func flawedDrawsComeAtTheRate(rate: Double) throws {
        let draw = try DemonstrationDraw(tasks: Self.tasks(5), flawedRate: rate)
        var rng = SeededRandom(seed: 9)
        let n = 8000
        var flawed = 0
        for _ in 0..<n {
            let d = draw.next(&rng)
            if d.flawed { flawed += 1 }
            #expect(draw.text(d) == (d.flawed ? "x" : "\(d.index)"))
        }
        // Binomial: 5 standard deviations either side (exact for rate 1).
        let sd = (Double(n) * rate * (1 - rate)).squareRoot()
        #expect(abs(Double(flawed) - Double(n) * rate) <= 5 * sd, "\(flawed) flawed of \(n) at rate \(rate)")
    }

    @Test func badInputNamesTheValueOrTask() {
        #expect(throws: GRPOError.self) { try DemonstrationDraw(tasks: []) }
        #expect { try DemonstrationDraw(tasks: Self.tasks(2), flawedRate: 1.5) } throws: {
            "\($0)".contains("1.5")
        }
        var noFlaw = Self.tasks(3)
        noFlaw[1].flawedSolution = nil
        #expect(throws: Never.self) { try DemonstrationDraw(tasks: noFlaw) }  // rate 0 needs no flawed solutions
        #expect { try DemonstrationDraw(tasks: noFlaw, flawedRate: 0.5) } throws: { "\($0)".contains("t1") }
        var noSolution = Self.tasks(3)
        noSolution[2].solution = nil
        #expect { try DemonstrationDraw(tasks: noSolution) } throws: { "\($0)".contains("t2") }
    }
}
