import Foundation
import Tensor
import Testing

@Suite("AdamW, clipping, schedules")
struct OptimTests {
    /// Two AdamW steps against the formula of Loshchilov & Hutter (Algorithm 2) evaluated in Double.
    @Test func adamwMatchesTheFormula() {
        let p = Tensor(shape: [3], values: [0.5, -1, 2], requiresGrad: true)
        let cfg = AdamW.Config(beta1: 0.8, beta2: 0.95, eps: 1e-6, weightDecay: 0.1)
        let opt = AdamW(parameters: [p], config: cfg)
        let grads: [[Float]] = [[0.1, -0.2, 0.3], [-0.4, 0.5, 0.05]]
        let lrs: [Float] = [0.01, 0.02]
        var theta = p.values.map(Double.init)
        var m = [0.0, 0, 0]
        var v = [0.0, 0, 0]
        for (t, g) in grads.enumerated() {
            p.zeroGrad()
            (p * Tensor(shape: [3], values: g)).sum().backward()
            opt.update(lr: lrs[t])
            let lr = Double(lrs[t])
            for i in 0..<3 {
                let gi = Double(g[i])
                theta[i] -= lr * 0.1 * theta[i]
                m[i] = 0.8 * m[i] + 0.2 * gi
                v[i] = 0.95 * v[i] + 0.05 * gi * gi
                let mh = m[i] / (1 - pow(0.8, Double(t + 1)))
                let vh = v[i] / (1 - pow(0.95, Double(t + 1)))
                theta[i] -= lr * mh / (vh.squareRoot() + 1e-6)
            }
        }
        #expect(opt.step == 2)
        for i in 0..<3 { #expect(Swift.abs(Double(p.values[i]) - theta[i]) < 1e-6) }
    }

    @Test func clippingScalesToTheMaximumNorm() {
        let a = Tensor(shape: [2], values: [0, 0], requiresGrad: true)
        let b = Tensor(shape: [1], values: [0], requiresGrad: true)
        (a * Tensor(shape: [2], values: [3, 4]) + 0).sum().backward()
        (b * Tensor(shape: [1], values: [12])).sum().backward()
        let norm = GradClip.clipGlobalNorm([a, b], maxNorm: 1.3)
        #expect(Swift.abs(norm - 13) < 1e-5)
        #expect(zip(a.grad!, [0.3, 0.4]).allSatisfy { Swift.abs($0 - Float($1)) < 1e-5 })
        #expect(Swift.abs(b.grad![0] - 1.2) < 1e-5)
        #expect(Swift.abs(GradClip.clipGlobalNorm([a, b], maxNorm: 5) - 1.3) < 1e-5)
        #expect(Swift.abs(b.grad![0] - 1.2) < 1e-5, "below the limit nothing changes")
    }

    struct ScheduleCase: Sendable, CustomTestStringConvertible {
        let decay: LRSchedule.Decay, step: Int, expected: Float
        var testDescription: String { "\(decay) at step \(step)" }
    }

    @Test(arguments: [
        ScheduleCase(decay: .cosine, step: 0, expected: 0),
        ScheduleCase(decay: .cosine, step: 5, expected: 0.5),
        ScheduleCase(decay: .cosine, step: 10, expected: 1),
        ScheduleCase(decay: .cosine, step: 60, expected: 0.55),  // halfway: min + (1 − min)/2 with min 0.1
        ScheduleCase(decay: .cosine, step: 110, expected: 0.1),
        ScheduleCase(decay: .cosine, step: 500, expected: 0.1),
        ScheduleCase(decay: .constant, step: 3, expected: 0.3),
        ScheduleCase(decay: .constant, step: 99, expected: 1),
    ])
    func warmupThenDecay(_ c: ScheduleCase) throws {
        let s = try LRSchedule(peak: 1, warmupSteps: 10, totalSteps: 110, decay: c.decay, minRatio: 0.1)
        #expect(Swift.abs(s.lr(at: c.step) - c.expected) < 1e-6)
    }

    @Test func badSchedulesThrowNamingTheValue() {
        #expect(throws: TensorError.self) { try LRSchedule(peak: -1, totalSteps: 10) }
        #expect(throws: TensorError.self) { try LRSchedule(peak: 1, warmupSteps: 20, totalSteps: 10) }
        do {
            _ = try LRSchedule(peak: 1, warmupSteps: 20, totalSteps: 10)
        } catch {
            #expect("\(error)".contains("20"))
        }
    }
}

@Suite("Random numbers and files")
struct SupportTests {
    @Test func splitMixMatchesTheReferenceValue() {
        var s: UInt64 = 0
        #expect(Xoshiro256.splitMix64(&s) == 0xE220_A839_7B1D_CDAF)  // splitmix64.c, seed 0
    }

    @Test func xoshiroResumesFromSavedState() throws {
        var a = Xoshiro256(seed: 42)
        for _ in 0..<10 { _ = a.next() }
        var b = try Xoshiro256(state: a.state)
        #expect((0..<5).map { _ in a.next() } == (0..<5).map { _ in b.next() })
        #expect(throws: TensorError.self) { try Xoshiro256(state: [0, 0, 0, 0]) }
    }

    @Test func safetensorsRoundTripAndHalfPrecision() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("st-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let a = Tensor(shape: [2, 3], values: [1, -2, 3.5, 0, 1e-8, -7])
        let url = dir.appendingPathComponent("x.safetensors")
        try SafeTensors.write([("a.weight", a), ("b", Tensor(scalar: 4))], metadata: ["step": "3"], to: url)
        let f = try SafeTensors.read(url)
        #expect(f.tensors["a.weight"]?.shape == [2, 3] && f.tensors["a.weight"]?.values == a.values)
        #expect(f.tensors["b"]?.shape == [] && f.metadata["step"] == "3")

        // A hand-made file with F16 [1.0, -2.5, 65504, 2^-24] and BF16 [1.0, -0.15625].
        let json =
            #"{"h":{"dtype":"F16","shape":[4],"data_offsets":[0,8]},"#
            + #""g":{"dtype":"BF16","shape":[2],"data_offsets":[8,12]}}"#
        var bytes = Data()
        withUnsafeBytes(of: UInt64(json.utf8.count).littleEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: Array(json.utf8))
        for h: UInt16 in [0x3C00, 0xC100, 0x7BFF, 0x0001, 0x3F80, 0xBE20] {
            withUnsafeBytes(of: h.littleEndian) { bytes.append(contentsOf: $0) }
        }
        let hurl = dir.appendingPathComponent("h.safetensors")
        try bytes.write(to: hurl)
        let h = try SafeTensors.read(hurl)
        #expect(h.tensors["h"]?.values == [1, -2.5, 65504, 0x1p-24])
        #expect(h.tensors["g"]?.values == [1, -0.15625])
        #expect(h.dtypes["g"] == "BF16")

        try Data([1, 2, 3]).write(to: hurl)
        #expect(throws: TensorError.self) { try SafeTensors.read(hurl) }
        // Headers that lie about shapes or offsets are rejected, never trusted.
        for bad in [
            #"{"x":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#,
            #"{"x":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,4]}}"#,
            #"{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,800]}}"#,
            #"{"x":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#,
        ] {
            var d = Data()
            withUnsafeBytes(of: UInt64(bad.utf8.count).littleEndian) { d.append(contentsOf: $0) }
            d.append(contentsOf: Array(bad.utf8) + Array(repeating: 0, count: 8))
            try d.write(to: hurl)
            #expect(throws: TensorError.self, "\(bad)") { try SafeTensors.read(hurl) }
        }
    }
}
