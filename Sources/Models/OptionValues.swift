import Diagnostics
import Numerics

/// A kind's own options, read as typed values with errors that name the option at fault.
struct OptionValues {
    let options: [String: String]

    init(_ options: [String: String]) {
        self.options = options
    }

    /// A finite number within `range` (`what` says the range in words, e.g. "at least 0").
    func number(_ name: String, default value: Double, in range: ClosedRange<Double> = -Double.greatestFiniteMagnitude ... Double.greatestFiniteMagnitude,
                _ what: String = "a number") throws -> Double {
        guard let text = options[name] else { return value }
        guard let parsed = Double(text), parsed.isFinite, range.contains(parsed) else {
            throw ModelshError.usage("option '\(name)' must be \(what), not '\(text)'", argument: name)
        }
        return parsed
    }

    /// A whole number within `range`.
    func integer(_ name: String, default value: Int, in range: ClosedRange<Int>, _ what: String) throws -> Int {
        guard let text = options[name] else { return value }
        guard let parsed = Int(text), range.contains(parsed) else {
            throw ModelshError.usage("option '\(name)' must be \(what), not '\(text)'", argument: name)
        }
        return parsed
    }

    /// One of an enumeration's raw values (the spec's `values` list has already checked it).
    func choice<Value: RawRepresentable>(_ name: String, default value: Value) -> Value where Value.RawValue == String {
        options[name].flatMap(Value.init) ?? value
    }

    func flag(_ name: String, default value: Bool) -> Bool {
        options[name].map { $0 == "true" } ?? value
    }
}
