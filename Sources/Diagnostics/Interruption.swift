import CInterrupt
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// Waits until `descriptor` can be read (or is at its end) and returns true, or returns false
    /// at Ctrl-C. A blocked read would not see Ctrl-C when another thread took the signal, so
    /// the handler's pipe is waited for beside the descriptor (as the terminal reader does).
    public static func waitForInput(on descriptor: Int32) -> Bool {
        while true {
            if isRequested { return false }
            var waits = [pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0),
                         pollfd(fd: msh_interrupt_fd(), events: Int16(POLLIN), revents: 0)]
            if poll(&waits, 2, -1) < 0 {
                if errno == EINTR { continue }
                return true  // the read says what is wrong
            }
            if waits[1].revents & Int16(POLLIN) != 0 {
                if !isRequested { msh_drain_interrupt_fd() }  // left from a cleared request
                continue
            }
            return true
        }
    }

    /// Throws `ModelshError` (`.interrupted`) when Ctrl-C was pressed, clearing the request.
    public static func check() throws {
        guard isRequested else { return }
        clear()
        throw ModelshError(.interrupted, "interrupted")
    }
}
