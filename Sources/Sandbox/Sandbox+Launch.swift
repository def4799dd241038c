import CSandbox

extension Sandbox {
    /// Starts `execution` and returns at once; the box runs until its program ends, its wall-clock limit, or
    /// `kill()`. For long-lived helpers (a grader serving many jobs) and programs started ahead of their job.
    /// With `detachStdio`, stdin and stdout are pipes whose other ends the caller takes from the `RunningBox`
    /// (`stdinWrite`, `stdoutRead`) and must close; the execution's `stdin` is then ignored.
    public func launch(_ execution: Execution, detachStdio: Bool = false) async throws -> RunningBox {
        let running = RunningBox()
        let options = self.options
        let started: Void = try await Sandbox.onThread {
            try running.start(execution, options: options, detachStdio: detachStdio)
        }
        _ = started
        return running
    }
}
