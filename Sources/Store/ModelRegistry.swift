import Diagnostics
import Models

/// Every version of one model name, and the aliases that point at them.
public struct RegisteredModel: Sendable, Equatable {
    /// By increasing number; deleted versions are gone, retired ones stay.
    public internal(set) var versions: [ModelVersion]
    /// Alias → version number (`production` → 2). An alias names one version; setting it again
    /// moves it, as MLflow's aliases do.
    public internal(set) var aliases: [String: Int]
    /// The highest number ever given, so a deleted version's number is never reused.
    public internal(set) var lastNumber: Int

    public init(versions: [ModelVersion] = [], aliases: [String: Int] = [:], lastNumber: Int = 0) {
        self.versions = versions
        self.aliases = aliases
        self.lastNumber = lastNumber
    }

    /// What the bare name means: the latest version that is not retired.
    public var current: ModelVersion? { versions.last { !$0.retired } }

    public func version(_ number: Int) -> ModelVersion? { versions.first { $0.number == number } }

    /// The aliases of version `number`, sorted.
    public func aliases(of number: Int) -> [String] { aliases.filter { $0.value == number }.map(\.key).sorted() }
}

/// The model registry: every model name with all its versions, in the order the names were
/// made. A value type, kept in the session state, so a failed command leaves it as it was.
public struct ModelRegistry: Sendable, Equatable {
    public private(set) var names: [String] = []
    private var models: [String: RegisteredModel] = [:]

    public init() {}

    public subscript(name: String) -> RegisteredModel? { models[name] }

    public func contains(_ name: String) -> Bool { models[name] != nil }

    public func version(_ id: ModelVersionID) -> ModelVersion? { models[id.name]?.version(id.version) }

    /// Every version of every name, names in order, versions by number.
    public var allVersions: [(name: String, version: ModelVersion)] {
        names.flatMap { name in models[name]!.versions.map { (name, $0) } }
    }

    // MARK: - Resolving references

    /// The version `name@selector` means: the latest not retired without a selector, else the
    /// numbered version or the alias. The name must be registered.
    public func resolve(_ name: String, selector: String? = nil) throws -> ModelVersionID {
        guard let entry = models[name] else { throw ModelshError.usage("no model '\(name)'") }
        let listing = "versions: " + entry.versions.map { "\(name)@\($0.number)" }.joined(separator: ", ")
        guard let selector else {
            guard let current = entry.current else {
                throw ModelshError.usage("every version of '\(name)' is retired (\(listing)); name one, as \(name)@\(entry.versions.last?.number ?? 1)")
            }
            return ModelVersionID(name: name, version: current.number)
        }
        if let number = Int(selector) {
            guard entry.version(number) != nil else {
                let what = (1 ... max(entry.lastNumber, 1)).contains(number) ? "was deleted" : "does not exist"
                throw ModelshError.usage("\(name)@\(selector) \(what) (\(listing))")
            }
            return ModelVersionID(name: name, version: number)
        }
        guard let number = entry.aliases[selector] else {
            let known = entry.aliases.keys.sorted()
            let aliases = known.isEmpty ? "it has no aliases" : "aliases: " + known.joined(separator: ", ")
            throw ModelshError.usage("'\(name)' has no alias '\(selector)'" + EditDistance.didYouMean(selector, among: known) + " (\(aliases))")
        }
        return ModelVersionID(name: name, version: number)
    }

    // MARK: - Changes

    /// Adds `model` as the next version of `name` (registering the name if new).
    @discardableResult
    public mutating func add(_ model: Model, as name: String, origin: VersionOrigin) -> ModelVersionID {
        if models[name] == nil { names.append(name) }
        var entry = models[name] ?? RegisteredModel()
        entry.lastNumber += 1
        entry.versions.append(ModelVersion(number: entry.lastNumber, model: model, origin: origin))
        models[name] = entry
        return ModelVersionID(name: name, version: entry.lastNumber)
    }

    /// Points `alias` at `id`, moving it from another version of the same name if it was there.
    /// Returns the version it moved from, if any.
    @discardableResult
    public mutating func setAlias(_ alias: String, to id: ModelVersionID) throws -> Int? {
        try requireVersion(id)
        guard Identifier.isValid(alias) else {
            throw ModelshError.usage("an alias is a name (production, champion), not '\(alias)'")
        }
        return models[id.name]!.aliases.updateValue(id.version, forKey: alias)
    }

    /// Removes `alias` from `name`.
    public mutating func removeAlias(_ alias: String, from name: String) throws {
        _ = try resolve(name, selector: alias)
        models[name]!.aliases[alias] = nil
    }

    /// Marks a version retired or not: a retired version stays for lineage, but the bare name
    /// no longer means it.
    public mutating func setRetired(_ retired: Bool, _ id: ModelVersionID) throws {
        let index = try requireVersion(id)
        models[id.name]!.versions[index].retired = retired
    }

    /// Removes one version and the aliases pointing at it; deleting the only version left
    /// removes the name too (as `drop` does). Returns whether the name went.
    @discardableResult
    public mutating func delete(_ id: ModelVersionID) throws -> Bool {
        let index = try requireVersion(id)
        models[id.name]!.versions.remove(at: index)
        models[id.name]!.aliases = models[id.name]!.aliases.filter { $0.value != id.version }
        guard models[id.name]!.versions.isEmpty else { return false }
        drop(id.name)
        return true
    }

    /// Removes the name with every version.
    public mutating func drop(_ name: String) {
        models[name] = nil
        names.removeAll { $0 == name }
    }

    public mutating func appendEvaluation(_ record: EvaluationRecord, to id: ModelVersionID) throws {
        let index = try requireVersion(id)
        models[id.name]!.versions[index].evaluations.append(record)
    }

    public mutating func appendMonitoring(_ record: MonitoringRecord, to id: ModelVersionID) throws {
        let index = try requireVersion(id)
        models[id.name]!.versions[index].monitoring.append(record)
    }

    @discardableResult
    private func requireVersion(_ id: ModelVersionID) throws -> Int {
        guard let index = models[id.name]?.versions.firstIndex(where: { $0.number == id.version }) else {
            throw ModelshError.usage("no model version \(id)")
        }
        return index
    }

    /// Puts back a name as a file held it (the workspace reader's way in; it validates first).
    mutating func restore(_ entry: RegisteredModel, as name: String) {
        if models[name] == nil { names.append(name) }
        models[name] = entry
    }
}
