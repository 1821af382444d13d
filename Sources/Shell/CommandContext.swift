import Diagnostics
import Models
import Store
import Tabular

/// What the shell remembers between commands. A value type: a command works on a copy and
/// the session keeps it only if the command succeeds, so a failed command changes nothing.
public struct SessionState: Sendable, Equatable {
    public var variables = Variables()
    public var settings = Settings()
    public init() {}
}

/// What a handler works with: its own copy of the session state, a way to print, and the
/// session for the few commands that act on the session itself (`run`, `history`, `open`).
public final class CommandContext {
    public var state: SessionState
    let session: Session

    init(state: SessionState, session: Session) {
        self.state = state
        self.session = session
    }

    public func emit(_ report: Report) { emit(ReportRenderer.render(report)) }

    public func emit(_ text: String) { session.print(text) }

    /// Binds a new dataset or model to the name after `as` number `index`.
    func define(output index: Int, of invocation: Invocation, as value: Variable) throws {
        let (name, location) = invocation.output(index)
        try state.variables.set(name, value, at: location)
    }
}
