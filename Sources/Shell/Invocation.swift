import Diagnostics
import Language
import Models
import Store
import Tabular

/// A command bound to one of its forms, with every name already checked against the session:
/// what a handler receives. Accessors are non-throwing where the binder guarantees the value.
public struct Invocation: Sendable {
    public let spec: CommandSpec
    public let form: CommandForm
    public let syntax: CommandSyntax
    let values: [String: LocatedValue]
    let resolved: [String: Variable]
    /// The model version each model slot (or list of models) names, resolved by the binder.
    let versions: [String: [ModelVersionID]]
    /// Options that belong to the model kind (`fit … alpha=0.1`), passed on as text.
    public let modelOptions: [String: String]
    public let outputs: [LocatedValue]
    /// The conditions the binder bound and type-checked, by slot.
    let conditions: [String: ColumnExpression]
    /// `NAME = EXPRESSION` arguments of a form that takes them, in order, bound and type-checked.
    let definitions: [ColumnDefinition]

    public func location(_ name: String) -> SourceLocation {
        values[name]?.location ?? syntax.verbLocation
    }

    public func has(_ name: String) -> Bool { values[name] != nil }

    public func condition(_ name: String) -> ColumnExpression {
        guard let condition = conditions[name] else { preconditionFailure("slot '\(name)' is not a bound condition") }
        return condition
    }

    public func dataset(_ name: String) -> Dataset {
        guard case .dataset(let data)? = resolved[name] else { preconditionFailure("slot '\(name)' is not a bound dataset") }
        return data
    }

    public func model(_ name: String) -> Model {
        guard case .model(let model)? = resolved[name] else { preconditionFailure("slot '\(name)' is not a bound model") }
        return model
    }

    /// The version a model slot names (`m` is its latest version not retired).
    public func modelVersion(_ name: String) -> ModelVersionID {
        guard let id = versions[name]?.first else { preconditionFailure("slot '\(name)' is not a bound model") }
        return id
    }

    /// The versions a list-of-models slot names, in order.
    public func modelVersions(_ name: String) -> [ModelVersionID] { versions[name] ?? [] }

    /// The bound name of a dataset or model slot, as the user wrote it.
    public func name(_ name: String) -> String? {
        guard let value = values[name] else { return nil }
        return Invocation.text(of: value.value)
    }

    /// A slot or option as text: words and strings as written, numbers as spelt, lists joined by commas.
    public func text(_ name: String) -> String? {
        values[name].map { Invocation.text(of: $0.value) }
    }

    public func number(_ name: String) -> Double? {
        if case .number(let value, _)? = values[name]?.value { return value }
        return nil
    }

    /// A `.duration` argument in seconds (a bare number is seconds); nil when not given.
    public func seconds(_ name: String) -> Double? {
        switch values[name]?.value {
        case .duration(let seconds, _)?, .number(let seconds, _)?: return seconds
        default: return nil
        }
    }

    /// A list of numbers (a single number counts as a list of one); nil when not given.
    public func numbers(_ name: String) -> [Double]? {
        guard let value = values[name]?.value else { return nil }
        let items: [Value]
        if case .list(let list) = value { items = list.map(\.value) } else { items = [value] }
        return items.compactMap { if case .number(let number, _) = $0 { number } else { nil } }
    }

    /// A switch option's value; nil when not given (the binder has checked the spelling).
    public func switchValue(_ name: String) -> Bool? {
        text(name).flatMap(Switch.value)
    }

    public func integer(_ name: String) -> Int? { number(name).map { Int($0) } }

    /// A `.cells` argument as the range it names (a single number N is N...N).
    public func cellRange(_ name: String) -> ClosedRange<Int>? {
        switch values[name]?.value {
        case .number(let value, _)?: return Int(value)...Int(value)
        case .range(let first, let last, _)?: return Int(first)...Int(last)
        default: return nil
        }
    }

    /// A list of names (a single name counts as a list of one).
    public func words(_ name: String) -> [String]? {
        guard let value = values[name]?.value else { return nil }
        if case .list(let items) = value { return items.map { Invocation.text(of: $0.value) } }
        return [Invocation.text(of: value)]
    }

    public func output(_ index: Int) -> (name: String, location: SourceLocation) {
        let value = outputs[index]
        return (Invocation.text(of: value.value), value.location)
    }

    /// Runs `body`, pointing any error it throws without a location at the argument the error
    /// names (`ModelshError.argument`), if this command has it, else at the argument `name`.
    public func at<T>(_ name: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as ModelshError {
            let named = error.argument.flatMap { values[$0]?.location }
            throw error.located(at: named ?? location(name))
        }
    }

    static func text(of value: Value) -> String {
        switch value {
        case .word(let text), .string(let text): return text
        case .versioned: return value.display
        case .number(_, let text), .duration(_, let text), .range(_, _, let text): return text
        case .list(let items): return items.map { text(of: $0.value) }.joined(separator: ",")
        case .expression(let expression): return expression.text
        }
    }
}

/// One `NAME = EXPRESSION` of `derive`: the new column's name, where it was written, and its
/// bound expression.
struct ColumnDefinition: Sendable {
    let name: String
    let location: SourceLocation
    let expression: ColumnExpression
}
