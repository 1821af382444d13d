import Diagnostics
import Models
import Numerics
import Tabular

/// Session settings changed with `set NAME VALUE` and kept in the workspace. One table of
/// settings, from which `set`'s help, completion and errors come, as for commands.
public struct Settings: Sendable, Equatable {
    /// Whether a script stops at its first failing command.
    public var bail = true
    /// Relative tolerance for numbers when `check` compares outputs.
    public var tolerance = 1e-9
    /// Whether each command's wall time is printed (on stderr) after it runs.
    public var timer = false
    /// How `plot` draws in the terminal.
    public var plot = PlotCharacters.auto
    /// When `drift` and `monitor` call a shift drift (their psi= and p= options override it).
    public var drift = DriftThresholds.standard
    /// How far the key metric may fall below training's before `monitor history` flags it.
    public var monitorDrop = 0.05

    public enum PlotCharacters: String, Sendable, CaseIterable {
        /// Unicode on a terminal, ASCII anywhere else (so transcripts are the same everywhere).
        case auto, unicode, ascii
    }
    /// How tables print: aligned, CSV, JSON or Markdown.
    public var format = TableFormat.table
    /// Significant digits for numbers (R's `digits`).
    public var digits = 7
    /// The width tables fold to; nil takes the output's own (a terminal's columns, else unlimited).
    public var width: Int?
    /// How many megabytes of earlier states `undo` may keep (0 keeps none).
    public var undoMegabytes = 256
    /// The bytes of data a command may hold: `load` refuses a larger file, a fit a larger design.
    public var memory = MemoryLimit.defaultBytes

    public init() {}

    public struct Entry: Sendable {
        public let name: String
        public let values: String
        public let help: String
        /// Whether the workspace keeps it. Settings that steer the running script (bail,
        /// tolerance) are not kept: opening a workspace must not change how the script that
        /// opened it goes on.
        public let keptInWorkspace: Bool
        let apply: @Sendable (inout Settings, String) throws -> Void
        let current: @Sendable (Settings) -> String
    }

    public static let entries: [Entry] = [
        Entry(name: "bail", values: "on|off",
              help: "stop a script at its first error (on, the default) or report and go on (off)",
              keptInWorkspace: false,
              apply: { settings, text in settings.bail = try parseSwitch(text, name: "bail") },
              current: { $0.bail ? "on" : "off" }),
        Entry(name: "tolerance", values: "NUMBER",
              help: "relative tolerance for numbers when `modelsh check` compares outputs (default 1e-9)",
              keptInWorkspace: false,
              apply: { settings, text in
                  guard let value = Double(text), value >= 0, value < 1 else {
                      throw ModelshError.usage("tolerance must be a number in [0, 1), found '\(text)'")
                  }
                  settings.tolerance = value
              },
              current: { NumberFormat.significant($0.tolerance) }),
        Entry(name: "timer", values: "on|off",
              help: "print each command's wall time on stderr after it runs (off by default, so transcripts stay stable)",
              keptInWorkspace: false,
              apply: { settings, text in settings.timer = try parseSwitch(text, name: "timer") },
              current: { $0.timer ? "on" : "off" }),
        Entry(name: "plot", values: "auto|unicode|ascii",
              help: "how plot draws in the terminal: unicode (braille and blocks), ascii, or auto (unicode on a terminal, ascii elsewhere; the default)",
              keptInWorkspace: false,
              apply: { settings, text in
                  guard let characters = PlotCharacters(rawValue: text) else {
                      throw ModelshError.usage("plot is one of auto, unicode, ascii, found '\(text)'"
                                               + EditDistance.didYouMean(text, among: PlotCharacters.allCases.map(\.rawValue)))
                  }
                  settings.plot = characters
              },
              current: { $0.plot.rawValue }),
        Entry(name: "format", values: TableFormat.allCases.map(\.rawValue).joined(separator: "|"),
              help: "how tables print: aligned columns (table, the default), csv, json (records) or markdown",
              keptInWorkspace: false,
              apply: { settings, text in
                  guard let format = TableFormat(rawValue: text) else {
                      let names = TableFormat.allCases.map(\.rawValue)
                      throw ModelshError.usage("format must be one of \(names.joined(separator: ", ")), found '\(text)'" + EditDistance.didYouMean(text, among: names))
                  }
                  settings.format = format
              },
              current: { $0.format.rawValue }),
        Entry(name: "digits", values: "NUMBER",
              help: "significant digits for numbers, 1 to 17 (default 7); numbers in tables never show more",
              keptInWorkspace: false,
              apply: { settings, text in settings.digits = try parseWhole(text, name: "digits", in: 1...17) },
              current: { String($0.digits) }),
        Entry(name: "width", values: "NUMBER|auto",
              help: "the width wide tables fold to (auto: the terminal's, unlimited when output is not a terminal)",
              keptInWorkspace: false,
              apply: { settings, text in settings.width = text == "auto" ? nil : try parseWhole(text, name: "width", in: 20...10_000) },
              current: { $0.width.map(String.init) ?? "auto" }),
        Entry(name: "undo", values: "MB",
              help: "the memory, in megabytes, undo may keep earlier states in (default 256; 0 turns undo off); at most 100 states are kept",
              keptInWorkspace: false,
              apply: { settings, text in settings.undoMegabytes = try parseWhole(text, name: "undo", in: 0...1_000_000) },
              current: { String($0.undoMegabytes) }),
        Entry(name: "memory", values: "SIZE",
              help: "the memory data may take, e.g. 4GB or 512MB (KB, MB, GB, TB count in 1024s; default half the physical memory): load refuses a larger file and suggests fitting it from the file in chunks; a fit's design may take half",
              keptInWorkspace: false,
              apply: { settings, text in settings.memory = try parseSize(text, name: "memory") },
              current: { NumberFormat.bytes($0.memory) }),
        Entry(name: "drift_psi", values: "NUMBER",
              help: "the PSI from which drift and monitor call a column drifted (default 0.2; half of it is moderate)",
              keptInWorkspace: true,
              apply: { settings, text in settings.drift.psi = try parsePositive(text, name: "drift_psi") },
              current: { NumberFormat.significant($0.drift.psi) }),
        Entry(name: "drift_p", values: "NUMBER",
              help: "the test p-value below which drift and monitor call a column drifted (default 0.01)",
              keptInWorkspace: true,
              apply: { settings, text in settings.drift.p = try parsePositive(text, name: "drift_p", below: 1) },
              current: { NumberFormat.significant($0.drift.p) }),
        Entry(name: "monitor_drop", values: "NUMBER",
              help: "how far the key metric (r2, accuracy) may fall below training's before monitor history flags it (default 0.05)",
              keptInWorkspace: true,
              apply: { settings, text in settings.monitorDrop = try parsePositive(text, name: "monitor_drop") },
              current: { NumberFormat.significant($0.monitorDrop) }),
    ]

    public static func entry(named name: String) -> Entry? { entries.first { $0.name == name } }

    /// The setting called `name`, or the one message for an unknown setting.
    public static func requireEntry(named name: String) throws -> Entry {
        if let entry = entry(named: name) { return entry }
        let names = entries.map(\.name)
        throw ModelshError.usage(EditDistance.unknown("setting", name, among: names, listing: "settings: " + names.joined(separator: ", ")))
    }

    /// Applies `value` to the setting `name`; errors name the setting and suggest one if misspelt.
    public mutating func set(_ name: String, to value: String) throws {
        try Settings.requireEntry(named: name).apply(&self, value)
    }

    public func value(of name: String) -> String? { Settings.entry(named: name)?.current(self) }

    /// The settings a workspace keeps, as text pairs.
    public var stored: [String: String] {
        Dictionary(uniqueKeysWithValues: Settings.entries.filter(\.keptInWorkspace).map { ($0.name, $0.current(self)) })
    }

    /// These settings with a workspace's kept ones applied; names this build does not know or
    /// does not keep in workspaces (from a newer or older modelsh) are ignored.
    public func restoring(_ stored: [String: String]) throws -> Settings {
        var settings = self
        for (name, value) in stored.sorted(by: { $0.key < $1.key }) where Settings.entry(named: name)?.keptInWorkspace == true {
            try settings.set(name, to: value)
        }
        return settings
    }

    private static func parseWhole(_ text: String, name: String, in range: ClosedRange<Int>) throws -> Int {
        guard let value = Int(text), range.contains(value) else {
            throw ModelshError.usage("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound), found '\(text)'")
        }
        return value
    }

    /// A number above 0 (and below `below`, if given), for thresholds.
    /// A size such as `4GB`, `4G`, `4GiB`, `512MB` or `1e9` (bytes): units count in 1024s.
    static func parseSize(_ text: String, name: String) throws -> Int {
        let units: [(String, Double)] = [("TIB", 0x1p40), ("GIB", 0x1p30), ("MIB", 0x1p20), ("KIB", 0x1p10), ("TB", 0x1p40), ("GB", 0x1p30),
                                         ("MB", 0x1p20), ("KB", 0x1p10), ("T", 0x1p40), ("G", 0x1p30), ("M", 0x1p20), ("K", 0x1p10), ("B", 1)]
        let upper = text.uppercased()
        let (number, scale) = units.first { upper.hasSuffix($0.0) }.map { (String(upper.dropLast($0.0.count)), $0.1) } ?? (upper, 1)
        guard let value = Double(number.filter { $0 != " " }), value.isFinite, value * scale >= 0x1p10, value * scale <= 0x1p50 else {
            throw ModelshError.usage("\(name) must be a size from 1KB to 1024TB, like 4GB or 512MB, found '\(text)'")
        }
        return Int(value * scale)
    }

    static func parsePositive(_ text: String, name: String, below: Double? = nil) throws -> Double {
        guard let value = Double(text), value > 0, value.isFinite, value < (below ?? .infinity) else {
            throw ModelshError.usage("\(name) must be a number above 0\(below.map { " and below \(NumberFormat.shortest($0))" } ?? ""), found '\(text)'")
        }
        return value
    }

    private static func parseSwitch(_ text: String, name: String) throws -> Bool {
        guard let on = Switch.value(text) else {
            throw ModelshError.usage("\(name) is a switch: on or off (also true/false, yes/no), found '\(text)'")
        }
        return on
    }
}
