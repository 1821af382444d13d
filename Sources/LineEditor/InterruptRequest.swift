import CEditLine

/// The process-wide Ctrl-C flag: set by the SIGINT handler, polled by long-running work.
public enum InterruptRequest {
    /// Routes SIGINT to the flag. A second Ctrl-C before the flag is cleared ends the process,
    /// so work that never polls can still be stopped. `EditLineReader` installs it itself.
    public static func installHandler() {
        cel_install_interrupt_handler()
    }

    public static var isPending: Bool { cel_interrupt_requested() != 0 }

    public static func clear() {
        cel_clear_interrupt()
    }
}
