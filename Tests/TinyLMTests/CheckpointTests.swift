import Foundation
import Tensor
import Testing
import TinyLM

@Suite("HuggingFace checkpoints")
struct CheckpointTests {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test(arguments: Tiny.variants)
    func saveLoadRoundTripKeepsLogits(_ v: Tiny.Variant) throws {
        let dir = try Tiny.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let m = try Tiny.model(v.config)
        try Checkpoint.save(m, to: dir)
        let back = try Checkpoint.load(from: dir)
        #expect(back.config == m.config)
        let seq = [Tiny.ids(6, vocab: v.config.vocab_size, seed: 3)]
        #expect(try back.logProbs(of: seq) == m.logProbs(of: seq))
        let file = try SafeTensors.read(dir.appendingPathComponent("model.safetensors"))
        #expect(Set(file.tensors.keys) == Set(m.namedParameters.map(\.0)))
        #expect(file.metadata["format"] == "pt")
    }

    /// Logits of a random checkpoint equal an independent float64 numpy forward pass
    /// (Reference/llama_reference.py) within 1e-4 relative (max |Δ| / max |reference|).
    @Test(arguments: Tiny.variants)
    func logitsMatchTheNumpyReference(_ v: Tiny.Variant) throws {
        let dir = try Tiny.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let m = try Tiny.model(v.config, std: 0.4)
        try Checkpoint.save(m, to: dir)
        let ids = Tiny.ids(11, vocab: v.config.vocab_size, seed: 21)
        let script = Self.repoRoot.appendingPathComponent("Tests/TinyLMTests/Reference/llama_reference.py")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", script.path, dir.path, ids.map(String.init).joined(separator: ",")]
        let out = Pipe()
        let err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "numpy reference failed (python3 with numpy is required): \(errText)")
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let ref = try #require(json["logits"] as? [[Double]]).flatMap { $0 }
        let ours = Tensor.withoutGrad {
            m.forward(tokens: ids, batch: 1, positions: (0..<ids.count).map { Int32($0) }).values
        }
        try #require(ours.count == ref.count)
        let scale = ref.map { Swift.abs($0) }.max()!
        let diff = zip(ours, ref).map { Swift.abs(Double($0) - $1) }.max()!
        print("numpy reference \(v.id): max |Δ| / max |ref| = \(diff / scale) (max |ref| \(scale))")
        #expect(diff / scale < 1e-4)
    }

    @Test func halfPrecisionCheckpointsLoad() throws {
        let dir = try Tiny.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = Tiny.variants[2].config
        let m = try Tiny.model(c)
        try Checkpoint.save(m, to: dir)
        // Rewrite model.safetensors in BF16 (truncated), as many published Qwen2 checkpoints are stored.
        let header = m.namedParameters.reduce(into: (parts: [String](), offset: 0)) { acc, np in
            let bytes = np.1.count * 2
            acc.parts.append(
                "\"\(np.0)\":{\"dtype\":\"BF16\",\"shape\":\(np.1.shape),\"data_offsets\":[\(acc.offset),\(acc.offset + bytes)]}"
            )
            acc.offset += bytes
        }
        let json = Array("{\(header.parts.joined(separator: ","))}".utf8)
        var data = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: json)
        for (_, t) in m.namedParameters {
            for x in t.values {
                withUnsafeBytes(of: UInt16(x.bitPattern >> 16).littleEndian) { data.append(contentsOf: $0) }
            }
        }
        try data.write(to: dir.appendingPathComponent("model.safetensors"))
        let back = try Checkpoint.load(from: dir)
        for ((name, a), (_, b)) in zip(m.namedParameters, back.namedParameters) {
            let ok = zip(a.values, b.values).allSatisfy { Swift.abs($0 - $1) <= Swift.abs($0) * 0x1p-7 }
            #expect(ok, "\(name) differs beyond bf16 rounding")
        }
    }

    /// Checkpoints split into shards with model.safetensors.index.json (as transformers saves large models).
    @Test func shardedCheckpointsLoad() throws {
        let dir = try Tiny.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let m = try Tiny.model(Tiny.variants[1].config)
        try Checkpoint.save(m, to: dir)
        try FileManager.default.removeItem(at: dir.appendingPathComponent("model.safetensors"))
        let params = m.namedParameters
        let half = params.count / 2
        let shards = [
            ("model-00001-of-00002.safetensors", Array(params[..<half])),
            ("model-00002-of-00002.safetensors", Array(params[half...])),
        ]
        var map: [String: String] = [:]
        for (file, part) in shards {
            try SafeTensors.write(part, metadata: ["format": "pt"], to: dir.appendingPathComponent(file))
            for (name, _) in part { map[name] = file }
        }
        let index = try JSONSerialization.data(withJSONObject: ["metadata": [:], "weight_map": map])
        try index.write(to: dir.appendingPathComponent("model.safetensors.index.json"))
        let back = try Checkpoint.load(from: dir)
        let seq = [Tiny.ids(5, vocab: m.config.vocab_size, seed: 2)]
        #expect(try back.logProbs(of: seq) == m.logProbs(of: seq))
    }

    @Test func missingOrMisShapedTensorsAreNamed() throws {
        let dir = try Tiny.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let m = try Tiny.model(Tiny.variants[0].config)
        try SafeTensors.write(Array(m.namedParameters.dropLast()), to: dir.appendingPathComponent("model.safetensors"))
        try JSONEncoder().encode(m.config).write(to: dir.appendingPathComponent("config.json"))
        #expect { try Checkpoint.load(from: dir) } throws: { "\($0)".contains("lm_head.weight") }
        var big = m.config
        big.hidden_size = 18
        try JSONEncoder().encode(big).write(to: dir.appendingPathComponent("config.json"))
        #expect { try Checkpoint.load(from: dir) } throws: { "\($0)".contains("shape") }
        try Data("{\"vocab_size\": 3}".utf8).write(to: dir.appendingPathComponent("config.json"))
        #expect(throws: TinyLMError.self) { try Checkpoint.load(from: dir) }
    }

    /// Training 4 steps equals training 2, saving model and AdamW state, loading both, and training 2 more.
    @Test func optimizerStateGivesExactResume() throws {
        let dir = try Tiny.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = Tiny.variants[1].config
        let batch = try TokenBatch([
            Tiny.ids(6, vocab: c.vocab_size, seed: 1), Tiny.ids(6, vocab: c.vocab_size, seed: 2),
        ])
        func step(_ m: LlamaModel, _ opt: AdamW) throws {
            opt.zeroGrad()
            (try m.tokenLogProbs(batch).logprobs.mean() * -1).backward()
            GradClip.clipGlobalNorm(m.parameters, maxNorm: 1)
            opt.update(lr: 1e-2)
        }
        let cfg = AdamW.Config(weightDecay: 0.1)
        let straight = try Tiny.model(c)
        let o1 = AdamW(parameters: straight.parameters, config: cfg)
        for _ in 0..<4 { try step(straight, o1) }

        let first = try Tiny.model(c)
        let o2 = AdamW(parameters: first.parameters, config: cfg)
        for _ in 0..<2 { try step(first, o2) }
        try Checkpoint.save(first, to: dir)
        let names = first.namedParameters.map(\.0)
        try o2.save(names: names, metadata: ["rng": "7"], to: dir.appendingPathComponent("optimizer.safetensors"))
        let resumed = try Checkpoint.load(from: dir)
        let o3 = AdamW(parameters: resumed.parameters, config: cfg)
        let meta = try o3.load(names: names, from: dir.appendingPathComponent("optimizer.safetensors"))
        #expect(meta["rng"] == "7" && o3.step == 2)
        for _ in 0..<2 { try step(resumed, o3) }
        for (a, b) in zip(straight.parameters, resumed.parameters) { #expect(a.values == b.values) }
    }
}
