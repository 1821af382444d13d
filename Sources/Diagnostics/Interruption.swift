import CInterrupt

/// Ctrl-C as a request to stop the running command. The interactive shell installs the handler;
/// long-running work (reading a file, a factorisation, a nested script) calls `check()` every so
/// often and so stops with an "interrupted" error, which the session treats like any failed
/// command: nothing it did is kept. A second Ctrl-C before the first is noticed ends the process,
/// for work that never checks.
public enum Interruption {
    public static func installHandler() {
        _ = msh_install_interrupt_handler()
    }

    public static var isRequested: Bool { msh_interrupt_requested() != 0 }

    public static func clear() {
        msh_clear_interrupt()
    }

    /// Sets the request again, for work that took it (`check()`) while other work running beside
    /// it must stop too.
    public static func request() {
        msh_request_interrupt()
    }

    /// Waits until `descriptor` can be read (or is at its end, or the wait fails, which the read
    /// then reports) and returns true, or returns false at Ctrl-C (`msh_wait_for_input`).
    public static func waitForInput(on descriptor: Int32) -> Bool {
        msh_wait_for_input(descriptor) != 0
    }

    /// Throws `ModelshError` (`.interrupted`) when Ctrl-C was pressed, clearing the request.
    public static func check() throws {
        guard isRequested else { return }
        clear()
        throw ModelshError(.interrupted, "interrupted")
    }
}
