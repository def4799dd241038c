import CSandbox
import Foundation
import Synchronization

/// A compiled seccomp filter (BPF), immutable once built and shared by every box of the same allow-list.
final class SeccompFilter: @unchecked Sendable {
    let pointer: OpaquePointer

    private init(pointer: OpaquePointer) { self.pointer = pointer }
    deinit { csb_filter_free(pointer) }

    struct Key: Hashable {
        var allow: [String]
        var enosys: [String]
        var deny: Profile.DenyAction
    }

    private static let cache = Mutex<[Key: SeccompFilter]>([:])

    /// The filter for a profile's allow-list, built once per process.
    static func filter(for profile: Profile) throws -> SeccompFilter {
        let key = Key(allow: profile.syscalls, enosys: profile.enosys, deny: profile.denyAction)
        return try cache.withLock { cache in
            if let cached = cache[key] { return cached }
            let built = try build(key)
            cache[key] = built
            return built
        }
    }

    private static func build(_ key: Key) throws -> SeccompFilter {
        var error = csb_error()
        guard
            let f = csb_filter_new(
                key.deny == .kill ? Int32(CSB_DENY_KILL.rawValue) : Int32(CSB_DENY_ERRNO.rawValue),
                &error)
        else {
            throw SandboxError(error, kind: .setup)
        }
        let filter = SeccompFilter(pointer: f)
        for name in key.allow where csb_filter_allow(f, name, &error) != 0 {
            throw SandboxError(error, kind: .profile)
        }
        for name in key.enosys where csb_filter_errno(f, name, ENOSYS, &error) != 0 {
            throw SandboxError(error, kind: .profile)
        }
        if csb_filter_finish(f, &error) != 0 { throw SandboxError(error, kind: .setup) }
        return filter
    }
}

extension SandboxError {
    /// Converts CSandbox's error record.
    init(_ e: csb_error, kind: Kind) {
        var copy = e
        let step = withUnsafeBytes(of: &copy.step) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        let detail = withUnsafeBytes(of: &copy.detail) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
        self.init(kind, step: step, errno: e.err, detail: detail)
    }
}
