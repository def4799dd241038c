import Foundation

/// Maps a function over an array on all cores, keeping order. Small inputs run inline.
///
/// Chunks run as child tasks on Swift's cooperative pool rather than on Dispatch worker threads: on Linux,
/// Foundation calls (regular expressions, `trimmingCharacters`) made on `concurrentPerform` threads were seen to
/// keep memory per call (`reward check` grew by ~120 bytes a sample), while the same calls in tasks do not.
enum ParallelMap {
    /// Below this many elements the map runs on the calling task.
    static let inlineLimit = 16

    static func map<T: Sendable, R: Sendable>(_ input: [T], _ f: @escaping @Sendable (T) -> R) async -> [R] {
        if input.count < inlineLimit { return input.map(f) }
        let chunks = min(input.count, 4 * ProcessInfo.processInfo.activeProcessorCount)
        return await withTaskGroup(of: (Int, [R]).self) { group in
            for c in 0..<chunks {
                let lo = c * input.count / chunks
                let hi = (c + 1) * input.count / chunks
                group.addTask { (c, input[lo..<hi].map(f)) }
            }
            var parts = [[R]](repeating: [], count: chunks)
            for await (c, part) in group { parts[c] = part }
            return parts.flatMap { $0 }
        }
    }
}
