import Language

/// What kind of value an argument takes. The binder checks it before a command runs, and
/// tab completion offers candidates from it.
public indirect enum ValueKind: Sendable, Equatable {
    /// An existing dataset, model, or either.
    case dataset, model, variable
    /// A new name (after `as`, or a column to create).
    case newName
    /// A quoted file path.
    case path
    /// A model kind from the model catalogue.
    case modelKind
    /// A column of the dataset bound to the named slot (for a model slot: its training columns).
    case column(of: String)
    /// One or more columns of the dataset bound to the named slot.
    case columns(of: String)
    /// A model's terms over the columns of the dataset bound to the named slot: columns,
    /// interactions `a:b` and crossings `a*b` (R's formula terms), bound as a list of words.
    case terms(of: String)
    case number
    /// A length of time: `500ms`, `60s`, `2m`, `1h`, or a bare number of seconds.
    case duration
    /// A whole number in `minimum...maximum` (the default maximum, 2^53, is the largest whole
    /// number a Double holds exactly, which is how the lexer reads numbers).
    case integer(minimum: Int, maximum: Int = 1 << 53)
    /// One of a fixed set of words.
    case choice([String])
    /// On or off, spelt as `Switch` allows (yes/no, true/false, on/off).
    case `switch`
    /// Any single character or short text, quoted or bare (`sep=";"`).
    case text
    /// A command name.
    case command
    /// A command name, a topic, or `topics` (for `help`).
    case helpSubject
    /// A setting name (for `set`).
    case setting
    /// A value of the setting named in the given slot (for `set`).
    case settingValue(of: String)
    /// A cell number or a range of them, `N` or `N..M` (`rerun`).
    case cells
    /// A list of values of one kind (`compare m1, m2`).
    case list(ValueKind)
    /// A true/false expression over the columns of the dataset bound to the named slot
    /// (`age > 30 and city == "Oslo"`), type-checked by the binder.
    case condition(of: String)

    var isTerms: Bool {
        if case .terms = self { return true }
        return false
    }
}

/// One position after the verb: a fixed keyword (`on`, `to`, `workspace`) or a value.
/// A keyword followed by an optional value is an optional pair (`[to PATH]`): both or neither.
public enum Slot: Sendable {
    case keyword(String)
    /// A word right after the verb that picks the form (`plot hist …`). Read only in that
    /// place, so unlike a keyword it is no reserved word: a dataset may still be called `hist`.
    /// Aliases are older spellings it still accepts (help and completion show the name only).
    case subcommand(String, aliases: [String] = [])
    case value(name: String, kind: ValueKind, optional: Bool = false)

    var syntax: String {
        switch self {
        case .keyword(let word), .subcommand(let word, _): return word
        case .value(let name, _, let optional): return optional ? "[\(name)]" : name
        }
    }

    /// The fixed word a form needs in this place, if any.
    var word: String? {
        switch self {
        case .keyword(let word), .subcommand(let word, _): return word
        case .value: return nil
        }
    }

    /// Whether `given` is this slot's fixed word or one of its aliases.
    func accepts(_ given: String) -> Bool {
        switch self {
        case .keyword(let word): return given == word
        case .subcommand(let word, let aliases): return given == word || aliases.contains(given)
        case .value: return false
        }
    }

    /// Whether this is the keyword of an optional pair whose value is `next`.
    func isOptionalPairKeyword(before next: Slot) -> Bool {
        if case .keyword = self { return next.isOptionalValue }
        return false
    }

    var isOptionalValue: Bool {
        if case .value(_, _, true) = self { return true }
        return false
    }
}

/// A `key=value` option of a command.
public struct OptionSpec: Sendable {
    public let name: String
    public let kind: ValueKind
    public let help: String
    public let required: Bool

    public init(_ name: String, _ kind: ValueKind, _ help: String, required: Bool = false) {
        self.name = name
        self.kind = kind
        self.help = help
        self.required = required
    }

    /// features= of the commands that fit a model kind on DATA: columns and R's interaction terms.
    static let modelFeatures = OptionSpec("features", .terms(of: "DATA"),
                                          "the columns to predict from, and terms: a:b (the product), a*b (a, b and a:b), a^2 (default: all others)")
}

/// What `as …` names: nothing, or so many new datasets or models.
public struct OutputSpec: Sendable {
    public let names: [String]
    public let kind: String
    public let optional: Bool

    public static let none = OutputSpec(names: [], kind: "", optional: true)
    public static func dataset(_ names: String..., optional: Bool = false) -> OutputSpec { OutputSpec(names: names, kind: "dataset", optional: optional) }
    public static func model(_ name: String, optional: Bool = false) -> OutputSpec { OutputSpec(names: [name], kind: "model", optional: optional) }
}

/// One way to write a command, with the handler that runs it. Commands with several shapes
/// (`save MODEL to PATH`, `save workspace PATH`) have one form each; the first form whose
/// keywords match is used.
public struct CommandForm: Sendable {
    public typealias Handler = @Sendable (Invocation, CommandContext) throws -> Void

    public let slots: [Slot]
    public let options: [OptionSpec]
    public let outputs: OutputSpec
    /// When set, the form also accepts the options of the model kind bound to this slot.
    public let modelKindOptionsFrom: String?
    /// When set, the form also takes `NAME = EXPRESSION` arguments, in order: new columns of the
    /// dataset bound to this slot (`derive`).
    public let columnDefinitionsOf: String?
    let handler: Handler

    public init(_ slots: [Slot], options: [OptionSpec] = [], outputs: OutputSpec = .none,
                modelKindOptionsFrom: String? = nil, columnDefinitionsOf: String? = nil, handler: @escaping Handler) {
        self.slots = slots
        self.options = options
        self.outputs = outputs
        self.modelKindOptionsFrom = modelKindOptionsFrom
        self.columnDefinitionsOf = columnDefinitionsOf
        self.handler = handler
    }
}

/// How a command is grouped in `help`: its topic. Topics without commands are not shown.
public enum CommandCategory: String, Sendable, CaseIterable {
    case data = "Data"
    case models = "Models"
    case evaluation = "Evaluation"
    case registry = "Registry"
    case monitoring = "Monitoring"
    case plots = "Plots"
    case workspace = "Files and workspace"
    case session = "Session"

    /// The word `help TOPIC` takes.
    public var topic: String {
        self == .workspace ? "files" : rawValue.lowercased()
    }
}

/// One row of the command table: everything help, completion, binding and running need.
public struct CommandSpec: Sendable {
    public let name: String
    public let aliases: [String]
    public let category: CommandCategory
    public let summary: String
    public let details: String
    public let example: String
    public let forms: [CommandForm]
    /// Whether a successful run changes datasets, models or settings (unsaved changes).
    public let changesState: Bool

    public init(_ name: String, aliases: [String] = [], category: CommandCategory, summary: String,
                details: String, example: String, changesState: Bool, forms: [CommandForm]) {
        self.name = name
        self.aliases = aliases
        self.category = category
        self.summary = summary
        self.details = details
        self.example = example
        self.forms = forms
        self.changesState = changesState
    }

    /// The usage line of each form, e.g. `split DATA [test=…] [seed=…] as TRAIN, TEST`.
    public var usageLines: [String] {
        forms.map { form in
            var parts = [name]
            for (index, slot) in form.slots.enumerated() {
                if index > 0, form.slots[index - 1].isOptionalPairKeyword(before: slot) {
                    parts[parts.count - 1] = "[\(form.slots[index - 1].syntax) \(slot.syntax.dropFirst().dropLast())]"
                } else {
                    parts.append(slot.syntax)
                }
            }
            if form.columnDefinitionsOf != nil { parts.append("NAME=EXPRESSION…") }
            parts += form.options.map { $0.required ? "\($0.name)=…" : "[\($0.name)=…]" }
            if form.modelKindOptionsFrom != nil { parts.append("[KIND OPTIONS…]") }
            if !form.outputs.names.isEmpty {
                let names = "as " + form.outputs.names.joined(separator: ", ")
                parts.append(form.outputs.optional ? "[\(names)]" : names)
            }
            return parts.joined(separator: " ")
        }
    }
}
