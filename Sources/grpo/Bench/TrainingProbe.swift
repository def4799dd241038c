import Tensor
import TinyLM

/// One AdamW step on random tokens: forward, mean token log-prob loss, backward, clipping, update.
struct TrainingProbe {
    let model: LlamaModel
    let optimizer: AdamW
    let batch: TokenBatch
    /// Model FLOPs of one step: 6 per matmul weight per token (embedding lookup excluded, lm_head included)
    /// plus attention: PaLM's 12·L·H·d·T per token (Chowdhery et al. 2022, appendix B) halved, because the
    /// causal blocks skip the masked half of the score matrix.
    let flopsPerStep: Double

    init(_ c: LlamaConfig, batch b: Int, seqLen t: Int) throws {
        model = try LlamaModel(config: c, seed: 1)
        optimizer = AdamW(parameters: model.parameters, config: AdamW.Config(weightDecay: 0.1))
        var rng = Xoshiro256(seed: 2)
        batch = try TokenBatch((0..<b).map { _ in (0..<t).map { _ in Int32(rng.next() % UInt64(c.vocab_size)) } })
        let linear =
            c.parameterCount - c.vocab_size * c.hidden_size * (c.tie_word_embeddings ? 0 : 1)
            - c.hidden_size * (2 * c.num_hidden_layers + 1)
        let attention = 6 * Double(c.num_hidden_layers * c.num_attention_heads * c.head_dim * t)
        flopsPerStep = (6 * Double(linear) + attention) * Double(b * t)
    }

    func step() throws {
        optimizer.zeroGrad()
        let loss = try model.tokenLogProbs(batch).logprobs.mean() * -1
        loss.backward()
        GradClip.clipGlobalNorm(model.parameters, maxNorm: 1)
        optimizer.update(lr: 1e-4)
    }
}
