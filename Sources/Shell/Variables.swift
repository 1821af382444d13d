import Diagnostics
import Models
import Tabular

/// A named value in the session: a dataset or a fitted model. One namespace for both, so
/// `vars` and `drop` need no qualifier and a name never means two things.
public enum Variable: Sendable, Equatable {
    case dataset(Dataset)
    case model(Model)

    public var kindName: String {
        switch self {
        case .dataset: return "dataset"
        case .model: return "model"
        }
    }
}

/// The session's variables in creation order (so `vars` and saved workspaces list them the
/// way the user made them). A value type: copying it is how a failed command is undone.
public struct Variables: Sendable, Equatable {
    public private(set) var names: [String] = []
    private var values: [String: Variable] = [:]

    public init() {}

    public subscript(name: String) -> Variable? { values[name] }

    public var datasetNames: [String] { names.filter { if case .dataset? = values[$0] { return true } else { return false } } }
    public var modelNames: [String] { names.filter { if case .model? = values[$0] { return true } else { return false } } }

    /// Binds `name`; rebinding keeps the name's place but may not change its kind silently.
    public mutating func set(_ name: String, _ value: Variable, at location: SourceLocation? = nil) throws {
        if let existing = values[name], existing.kindName != value.kindName {
            throw ModelshError.usage("'\(name)' is a \(existing.kindName); drop it first or choose another name", at: location)
        }
        if values[name] == nil { names.append(name) }
        values[name] = value
    }

    public mutating func remove(_ name: String) {
        values[name] = nil
        names.removeAll { $0 == name }
    }

    public func dataset(_ name: String) -> Dataset? {
        if case .dataset(let data)? = values[name] { return data }
        return nil
    }

    public func model(_ name: String) -> Model? {
        if case .model(let model)? = values[name] { return model }
        return nil
    }
}
