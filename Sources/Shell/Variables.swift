import Diagnostics
import Models
import Store
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

/// The session's datasets and models in creation order (so `vars` and saved workspaces list
/// them the way the user made them). Models live in the registry, every version of each name.
/// A value type: copying it is how a failed command is undone.
public struct Variables: Sendable, Equatable {
    public private(set) var names: [String] = []
    private var datasets: [String: Dataset] = [:]
    public private(set) var registry = ModelRegistry()

    public init() {}

    /// "dataset" or "model", or nil when nothing has the name.
    public func kindName(of name: String) -> String? {
        datasets[name] != nil ? "dataset" : registry.contains(name) ? "model" : nil
    }

    public var datasetNames: [String] { names.filter { datasets[$0] != nil } }
    public var modelNames: [String] { names.filter(registry.contains) }

    /// Binds a dataset to `name`; rebinding keeps the name's place but may not change its kind.
    public mutating func set(_ name: String, _ data: Dataset, at location: SourceLocation? = nil) throws {
        try requireKind("dataset", for: name, at: location)
        if datasets[name] == nil { names.append(name) }
        datasets[name] = data
    }

    /// Adds `model` as the next version of `name`.
    @discardableResult
    public mutating func addModel(_ model: Model, as name: String, origin: VersionOrigin, at location: SourceLocation? = nil) throws -> ModelVersionID {
        try requireKind("model", for: name, at: location)
        if !registry.contains(name) { names.append(name) }
        return registry.add(model, as: name, origin: origin)
    }

    /// Changes the registry (aliases, retiring, deleting, evaluations); a name whose last
    /// version is deleted leaves the namespace too.
    public mutating func updateRegistry<T>(_ change: (inout ModelRegistry) throws -> T) rethrows -> T {
        let result = try change(&registry)
        names.removeAll { datasets[$0] == nil && !registry.contains($0) }
        return result
    }

    /// Replaces every model with `registry` (opening a workspace), after the datasets.
    public mutating func restore(_ registry: ModelRegistry) throws {
        for name in registry.names { try requireKind("model", for: name) }
        self.registry = registry
        names = names.filter { datasets[$0] != nil } + registry.names
    }

    /// Removes a dataset, or a model with all its versions.
    public mutating func remove(_ name: String) {
        datasets[name] = nil
        registry.drop(name)
        names.removeAll { $0 == name }
    }

    public func dataset(_ name: String) -> Dataset? { datasets[name] }

    /// What the bare name means: the latest version that is not retired.
    public func model(_ name: String) -> Model? { registry[name]?.current?.model }

    private func requireKind(_ kind: String, for name: String, at location: SourceLocation? = nil) throws {
        if let existing = kindName(of: name), existing != kind {
            throw ModelshError.usage("'\(name)' is a \(existing); drop it first or choose another name", at: location)
        }
    }
}
