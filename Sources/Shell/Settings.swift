import Diagnostics
import Numerics

/// Session settings changed with `set NAME VALUE` and kept in the workspace. One table of
/// settings, from which `set`'s help, completion and errors come, as for commands.
public struct Settings: Sendable, Equatable {
    /// Whether a script stops at its first failing command.
    public var bail = true
    /// Relative tolerance for numbers when `check` compares outputs.
    public var tolerance = 1e-9

    public init() {}

    public struct Entry: Sendable {
        public let name: String
        public let values: String
        public let help: String
        let apply: @Sendable (inout Settings, String) throws -> Void
        let current: @Sendable (Settings) -> String
    }

    public static let entries: [Entry] = [
        Entry(name: "bail", values: "on|off",
              help: "stop a script at its first error (on, the default) or report and go on (off)",
              apply: { settings, text in settings.bail = try parseSwitch(text, name: "bail") },
              current: { $0.bail ? "on" : "off" }),
        Entry(name: "tolerance", values: "NUMBER",
              help: "relative tolerance for numbers when `modelsh check` compares outputs (default 1e-9)",
              apply: { settings, text in
                  guard let value = Double(text), value >= 0, value < 1 else {
                      throw ModelshError.usage("tolerance must be a number in [0, 1), found '\(text)'")
                  }
                  settings.tolerance = value
              },
              current: { NumberFormat.significant($0.tolerance) }),
    ]

    public static func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    /// Applies `value` to the setting `name`; errors name the setting and suggest one if misspelt.
    public mutating func set(_ name: String, to value: String) throws {
        guard let entry = Settings.entry(named: name) else {
            throw ModelshError.usage("unknown setting '\(name)'" + EditDistance.didYouMean(name, among: Settings.entries.map(\.name)))
        }
        try entry.apply(&self, value)
    }

    public func value(of name: String) -> String? { Settings.entry(named: name)?.current(self) }

    /// The settings as text pairs, as the workspace stores them.
    public var stored: [String: String] {
        Dictionary(uniqueKeysWithValues: Settings.entries.map { ($0.name, $0.current(self)) })
    }

    /// Settings from stored pairs; unknown names (from a newer modelsh) are ignored.
    public init(stored: [String: String]) throws {
        self.init()
        for (name, value) in stored where Settings.entry(named: name) != nil {
            try set(name, to: value)
        }
    }

    private static func parseSwitch(_ text: String, name: String) throws -> Bool {
        switch text.lowercased() {
        case "on", "yes", "true": return true
        case "off", "no", "false": return false
        default: throw ModelshError.usage("\(name) is 'on' or 'off', found '\(text)'")
        }
    }
}
