import Diagnostics
import Foundation
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

    public func emit(_ report: Report) {
        emit(ReportRenderer.render(report, style: ReportRenderer.style(state.settings, sink: session.sink)))
    }

    public func emit(_ text: String) { session.print(text) }

    /// Runs `body` with a progress callback for long fits, which the sink may show while it
    /// runs (a terminal does, after half a second) and clears when it ends.
    func withProgress<T>(_ what: String, _ body: (@escaping @Sendable (Int, Int) -> Void) throws -> T) rethrows -> T {
        let reporter = ProgressReporter(sink: session.sink, what: what)
        defer { session.sink.progressEnded() }
        return try body { done, total in reporter.report(done, total) }
    }

    /// As `withProgress`, for work that says with each report what it has done so far (a
    /// streamed fit: its pass and rows).
    func withProgress<T>(_ body: (@escaping @Sendable (_ what: String, _ done: Int, _ total: Int) -> Void) throws -> T) rethrows -> T {
        let reporter = ProgressReporter(sink: session.sink, what: "")
        defer { session.sink.progressEnded() }
        return try body { what, done, total in reporter.report(done, total, as: what) }
    }

    /// Binds a new dataset, or adds a model version, to the name after `as` number `index`.
    func define(output index: Int, of invocation: Invocation, as value: Variable) throws {
        switch value {
        case .dataset(let data):
            let (name, location) = invocation.output(index)
            try state.variables.set(name, data, at: location)
        case .model(let model):
            _ = try defineModel(model, output: index, of: invocation)
        }
    }

    /// Adds `model` as the next version of the name after `as` number `index`, recording the
    /// cell and command that made it, the time, and what it derives from.
    func defineModel(_ model: Model, output index: Int = 0, of invocation: Invocation, parent: ModelVersionID? = nil,
                     grid: [GridOption]? = nil) throws -> ModelVersionID {
        let (name, location) = invocation.output(index)
        let origin = VersionOrigin(created: RegistryTime.wholeSeconds(session.clock()), cell: session.nextCellNumber,
                                   command: invocation.syntax.source, parent: parent, grid: grid)
        return try state.variables.addModel(model, as: name, origin: origin, at: location)
    }

    /// Keeps an evaluation with the version it measured: the data's name and fingerprint, the
    /// metrics, and the time by the session's clock.
    func recordEvaluation(_ evaluation: Evaluation, of id: ModelVersionID, on dataName: String, _ data: Dataset) throws {
        let record = EvaluationRecord(dataset: dataName, fingerprint: data.fingerprint, metrics: evaluation.metrics,
                                      time: RegistryTime.wholeSeconds(session.clock()))
        try state.variables.updateRegistry { try $0.appendEvaluation(record, to: id) }
    }
}

/// Hands progress from the engines' threads to the sink one report at a time.
final class ProgressReporter: @unchecked Sendable {
    private let sink: OutputSink
    private let what: String
    private let lock = NSLock()

    init(sink: OutputSink, what: String) {
        self.sink = sink
        self.what = what
    }

    func report(_ done: Int, _ total: Int, as what: String? = nil) {
        lock.lock()
        defer { lock.unlock() }
        sink.progress(what ?? self.what, done: done, of: total)
    }
}
