import COpenBLAS

/// Process-wide memory tuning for programs that run the engine.
public enum Allocator {
    /// Keeps freed large blocks in the heap instead of returning them to the system.
    ///
    /// Training and sampling allocate and free many multi-megabyte tensors per step; by default glibc serves
    /// each from a fresh mmap, so every step pays page faults to zero them again. Call once at program start
    /// (it changes glibc's M_MMAP_THRESHOLD and M_TRIM_THRESHOLD for the whole process). No-op elsewhere.
    public static func keepFreedMemory() {
        #if os(Linux)
            _ = mallopt(M_MMAP_THRESHOLD, 1 << 30)
            _ = mallopt(M_TRIM_THRESHOLD, 1 << 30)
        #endif
    }
}
