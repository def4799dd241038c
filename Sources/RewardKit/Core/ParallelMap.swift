import Dispatch
import Foundation

/// Maps a function over an array on all cores, keeping order. Small inputs run inline.
enum ParallelMap {
    /// Below this many elements the map runs on the calling thread.
    static let inlineLimit = 16

    static func map<T: Sendable, R: Sendable>(_ input: [T], _ f: @Sendable (T) -> R) -> [R] {
        if input.count < inlineLimit { return input.map(f) }
        let results = UnsafeMutableBufferPointer<R?>.allocate(capacity: input.count)
        results.initialize(repeating: nil)
        defer { results.deallocate() }
        // Each index is written by exactly one iteration, so the shared buffer is never raced.
        nonisolated(unsafe) let out = results
        let chunks = min(input.count, 4 * ProcessInfo.processInfo.activeProcessorCount)
        DispatchQueue.concurrentPerform(iterations: chunks) { c in
            let lo = c * input.count / chunks
            let hi = (c + 1) * input.count / chunks
            for i in lo..<hi { out[i] = f(input[i]) }
        }
        return results.map { $0! }
    }
}

