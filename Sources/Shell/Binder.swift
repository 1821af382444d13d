import Diagnostics
import Language
import Models
import Store
import Tabular

/// Binds a parsed command to the command table and the session: picks the form, checks every
/// argument's kind, resolves dataset, model and column names. Everything a user can get wrong
/// by name is caught here, before anything runs, with a location and a suggestion.
struct Binder {
    let table: CommandTable
    let variables: Variables

    func bind(_ syntax: CommandSyntax) throws -> Invocation {
        var spec: CommandSpec!
        try locating(at: syntax.verbLocation) { spec = try table.requireCommand(named: syntax.verb) }
        let positionals = syntax.arguments.compactMap { argument -> LocatedValue? in
            if case .positional(let value) = argument { return value }
            return nil
        }
        // Forms alike in keywords are told apart by a quoted path (`fit KIND "file.csv"`).
        let matching = spec.forms.filter { matchesKeywords($0, positionals) }
        guard let form = matching.first(where: { pathsAreQuoted($0, positionals) }) ?? matching.first else {
            throw noMatchingForm(spec, positionals, syntax: syntax)
        }

        var values: [String: LocatedValue] = [:]
        var resolved: [String: Variable] = [:]
        try bindSlots(form, positionals, spec: spec, syntax: syntax, values: &values, resolved: &resolved)
        var definitions: [ColumnDefinition] = []
        let modelOptions = try bindOptions(form, syntax, spec: spec, values: &values, resolved: resolved, definitions: &definitions)
        try checkOutputs(form.outputs, syntax, spec: spec)
        return Invocation(spec: spec, form: form, syntax: syntax, values: values, resolved: resolved,
                          versions: try modelVersions(form, values), modelOptions: modelOptions, outputs: syntax.outputs,
                          conditions: try bindConditions(form, values, resolved), definitions: definitions)
    }

    private func matchesKeywords(_ form: CommandForm, _ positionals: [LocatedValue]) -> Bool {
        for (index, slot) in form.slots.enumerated() {
            guard slot.word != nil else { continue }
            if index >= positionals.count, index + 1 < form.slots.count, slot.isOptionalPairKeyword(before: form.slots[index + 1]) { continue }
            guard index < positionals.count, case .word(let given) = positionals[index].value, slot.accepts(given) else { return false }
        }
        return true
    }

    /// Whether the quoted strings given are where `form` takes paths, and only there.
    private func pathsAreQuoted(_ form: CommandForm, _ positionals: [LocatedValue]) -> Bool {
        zip(form.slots, positionals).allSatisfy { slot, value in
            let isString = if case .string = value.value { true } else { false }
            switch slot {
            case .value(_, .path, _): return isString
            case .value(_, .dataset, _): return !isString
            default: return true
            }
        }
    }

    /// Why no form fits: an unknown subcommand (with a suggestion), else the usage of the
    /// forms that were meant (those of the subcommand given, or all).
    private func noMatchingForm(_ spec: CommandSpec, _ positionals: [LocatedValue], syntax: CommandSyntax) -> ModelshError {
        let location = positionals.first?.location ?? syntax.verbLocation
        var usages = spec.usageLines
        let subcommands = spec.forms.compactMap { form -> String? in
            if case .subcommand(let word, _)? = form.slots.first { return word }
            return nil
        }
        // With nothing given, "needs one of" only when every form starts with a subcommand:
        // `monitor` alone is also `monitor MODEL on DATA`, so it gets every form's usage.
        let given = positionals.first.map { Invocation.text(of: $0.value) }
        if given == nil, !subcommands.isEmpty, subcommands.count == spec.forms.count {
            return ModelshError.usage("\(spec.name) needs one of \(subcommands.joined(separator: ", "))", at: location)
        }
        if !subcommands.isEmpty, let given {
            guard spec.forms.contains(where: { $0.slots.first?.accepts(given) ?? false }) else {
                return ModelshError.usage(EditDistance.unknown("\(spec.name) kind", given, among: subcommands,
                                                               listing: "kinds: " + subcommands.joined(separator: ", ")), at: location)
            }
            usages = zip(spec.forms, usages).filter { $0.0.slots.first?.accepts(given) ?? false }.map(\.1)
        }
        if let hint = listWithoutCommas(spec, positionals) { return ModelshError.usage(hint, at: location) }
        return ModelshError.usage("\(spec.name) is written \(usages.map { "'\($0)'" }.joined(separator: " or "))", at: location)
    }

    /// `compare a b on t`: names meant as a form's first list, written without its commas; the
    /// hint that writes them with commas.
    private func listWithoutCommas(_ spec: CommandSpec, _ positionals: [LocatedValue]) -> String? {
        for form in spec.forms {
            guard case .value(let name, .list, _)? = form.slots.first, form.slots.count > 1, case .keyword(let keyword) = form.slots[1],
                  let keywordIndex = positionals.firstIndex(where: { Invocation.text(of: $0.value) == keyword }), keywordIndex > 1,
                  positionals[..<keywordIndex].allSatisfy({ if case .word = $0.value { true } else if case .versioned = $0.value { true } else { false } })
            else { continue }
            let names = positionals[..<keywordIndex].map { Invocation.text(of: $0.value) }.joined(separator: ", ")
            let rest = positionals[keywordIndex...].map { Invocation.text(of: $0.value) }.joined(separator: " ")
            return "\(spec.name) takes its \(name) separated by commas: \(spec.name) \(names) \(rest)"
        }
        return nil
    }

    // MARK: - Positional slots

    private func bindSlots(_ form: CommandForm, _ positionals: [LocatedValue], spec: CommandSpec, syntax: CommandSyntax,
                           values: inout [String: LocatedValue], resolved: inout [String: Variable]) throws {
        for (index, slot) in form.slots.enumerated() {
            guard case .value(let name, let kind, let optional) = slot else { continue }
            guard index < positionals.count else {
                // The value of an optional pair whose keyword was given is not optional.
                if optional, index == 0 || index - 1 >= positionals.count || !form.slots[index - 1].isOptionalPairKeyword(before: slot) { continue }
                throw ModelshError.usage("\(spec.name) needs \(name); usage: \(spec.usageLines[0])", at: endLocation(of: syntax))
            }
            let value = positionals[index]
            try check(value, as: kind, for: name, values: values, resolved: resolved)
            values[name] = value
            if let variable = resolve(value, as: kind) { resolved[name] = variable }
        }
        if positionals.count > form.slots.count {
            let extra = positionals[form.slots.count]
            if case .expression(let expression) = extra.value, case .binary(.equal, let left, _) = expression.kind, case .name(let key) = left.kind {
                throw ModelshError.usage("an option is written \(key)=VALUE, with one '='", at: extra.location)
            }
            throw ModelshError.usage("unexpected argument '\(extra.value.display)'; usage: \(spec.usageLines[0])", at: extra.location)
        }
    }

    /// Where a missing argument should have been: at the last thing written.
    private func endLocation(of syntax: CommandSyntax) -> SourceLocation {
        syntax.arguments.last?.location ?? syntax.verbLocation
    }

    // MARK: - Options

    private func bindOptions(_ form: CommandForm, _ syntax: CommandSyntax, spec: CommandSpec,
                             values: inout [String: LocatedValue], resolved: [String: Variable],
                             definitions: inout [ColumnDefinition]) throws -> [String: String] {
        let kindOptions = modelKindOptions(form, values)
        var modelOptions: [String: String] = [:]
        var seen = Set<String>()
        var columns = form.columnDefinitionsOf.flatMap { slot in expressionBinding(slot, values, resolved) }
        for argument in syntax.arguments {
            guard case .option(let key, let keyLocation, let value) = argument else { continue }
            if columns != nil, !form.options.contains(where: { $0.name == key }) {
                // A later definition may use (or replace) an earlier one, as in dplyr's mutate.
                let expression = try columns!.bind(try ExpressionSyntax(value))
                columns!.define(key, as: expression.type)
                definitions.append(ColumnDefinition(name: key, location: keyLocation, expression: expression))
                continue
            }
            guard seen.insert(key).inserted else {
                throw ModelshError.usage("option '\(key)' is given twice", at: keyLocation)
            }
            if let option = form.options.first(where: { $0.name == key }) {
                try check(value, as: option.kind, for: key, values: values, resolved: resolved)
                values[key] = option.kind.isTerms ? Self.termWords(value) : value
            } else if kindOptions.contains(key) {
                if case .expression = value.value {
                    throw ModelshError.usage("\(key) must be a single value, found an expression '\(value.value.display)'", at: value.location)
                }
                modelOptions[key] = Invocation.text(of: value.value)
                values[key] = value
            } else {
                let known = form.options.map(\.name) + kindOptions
                let listing = known.isEmpty ? "\(spec.name) takes no options" : "options: " + known.joined(separator: ", ")
                let hint = EditDistance.didYouMean(key, among: known)
                throw ModelshError.usage("unknown option '\(key)' for \(spec.name)\(hint.isEmpty ? " (\(listing))" : hint)", at: keyLocation)
            }
        }
        for option in form.options where option.required && values[option.name] == nil {
            throw ModelshError.usage("\(spec.name) needs \(option.name)=…; usage: \(spec.usageLines[0])", at: endLocation(of: syntax))
        }
        return modelOptions
    }

    /// The columns an expression in a form may read: those of the dataset in `slot`.
    private func expressionBinding(_ slot: String, _ values: [String: LocatedValue], _ resolved: [String: Variable]) -> ExpressionBinding? {
        guard case .dataset(let data)? = resolved[slot], let name = values[slot] else { return nil }
        return ExpressionBinding(data, named: Invocation.text(of: name.value))
    }

    private func bindConditions(_ form: CommandForm, _ values: [String: LocatedValue],
                                _ resolved: [String: Variable]) throws -> [String: ColumnExpression] {
        var conditions: [String: ColumnExpression] = [:]
        for case .value(let name, .condition(let slot), _) in form.slots {
            guard let value = values[name], let binding = expressionBinding(slot, values, resolved) else { continue }
            conditions[name] = try binding.bindCondition(try ExpressionSyntax(value))
        }
        return conditions
    }

    private func modelKindOptions(_ form: CommandForm, _ values: [String: LocatedValue]) -> [String] {
        guard let slot = form.modelKindOptionsFrom, let value = values[slot],
              let kind = ModelCatalogue.kind(named: Invocation.text(of: value.value)) else { return [] }
        return kind.options.map(\.name)
    }

    // MARK: - Outputs

    private func checkOutputs(_ outputs: OutputSpec, _ syntax: CommandSyntax, spec: CommandSpec) throws {
        if outputs.names.isEmpty {
            if let first = syntax.outputs.first {
                throw ModelshError.usage("\(spec.name) does not take 'as NAME'", at: first.location)
            }
            return
        }
        if syntax.outputs.isEmpty, outputs.optional { return }
        guard syntax.outputs.count == outputs.names.count else {
            let wanted = outputs.names.joined(separator: ", ")
            let location = syntax.outputs.first?.location ?? endLocation(of: syntax)
            throw ModelshError.usage("\(spec.name) needs 'as \(wanted)' (\(outputs.names.count) name\(outputs.names.count == 1 ? "" : "s"))", at: location)
        }
        if let location = syntax.outputsWithoutCommas {
            let names = syntax.outputs.map { Invocation.text(of: $0.value) }.joined(separator: ", ")
            throw ModelshError.usage("the names after 'as' are separated by commas: as \(names)", at: location)
        }
        var seen = Set<String>()
        for output in syntax.outputs {
            let name = Invocation.text(of: output.value)
            guard !Identifier.keywords.contains(name) else {
                throw ModelshError.usage("'\(name)' is a keyword of the command language; choose another name", at: output.location)
            }
            try requireDefinableName(name, at: output.location)
            guard seen.insert(name).inserted else {
                throw ModelshError.usage("the name '\(name)' is used twice after 'as'", at: output.location)
            }
            if let existing = variables.kindName(of: name), existing != outputs.kind {
                throw ModelshError.usage("'\(name)' is a \(existing); drop it first or choose another name", at: output.location)
            }
        }
    }

    // MARK: - Values

    private func check(_ value: LocatedValue, as kind: ValueKind, for name: String,
                       values: [String: LocatedValue], resolved: [String: Variable]) throws {
        func fail(_ expected: String) -> ModelshError {
            ModelshError.usage("\(name) must be \(expected), found \(value.value.kindName) '\(value.value.display)'", at: value.location)
        }
        switch kind {
        case .model:
            _ = try modelVersion(value, for: name)
        case .dataset, .variable, .newName, .modelKind, .command, .helpSubject, .setting:
            if case .versioned(let model, _) = value.value, kind == .variable {
                throw ModelshError.usage("\(name) are whole names: drop \(model) removes every version; delete \(value.value.display) removes one", at: value.location)
            }
            guard case .word(let word) = value.value else { throw fail("a name") }
            try checkName(word, kind: kind, at: value.location)
        case .path:
            guard case .string(let path) = value.value else { throw fail("a quoted path, like \"data/file.csv\"") }
            guard !path.isEmpty else { throw ModelshError.usage("\(name) is an empty path", at: value.location) }
        case .column(let slot):
            // Quoted too: CSV headers need not be identifiers ("my x", "y-val").
            guard let column = columnName(value.value) else {
                // R's formulas take log(y); here a model's columns are data, made first by derive.
                guard case .expression = value.value else { throw notAColumn(value, for: name, expected: "a column name") }
                throw ModelshError.usage("\(name) must be a column name, found an expression '\(value.value.display)': quote a name that is not one word (\"\(value.value.display)\"), or make the expression a column first (derive DATA NEWNAME = \(value.value.display))", at: value.location)
            }
            try checkColumn(column, ofSlot: slot, values: values, resolved: resolved, at: value.location)
        case .columns(let slot):
            for item in Self.items(of: value) {
                guard let column = columnName(item.value) else { throw notAColumn(item, for: name, expected: "column names") }
                try checkColumn(column, ofSlot: slot, values: values, resolved: resolved, at: item.location)
            }
        case .terms(let slot):
            for item in Self.items(of: value) {
                // A word `a:b` is the column of that name when the data has one, else an interaction.
                if let column = columnName(item.value), isColumn(column, ofSlot: slot, resolved: resolved) { continue }
                guard let columns = termColumns(item.value) else {
                    var error = notAColumn(item, for: name, expected: "columns, their powers (a^2) or interactions (a:b, a*b)")
                    if case .expression = item.value { error.message += "; an expression is made a column first (derive DATA NEWNAME = \(item.value.display))" }
                    throw error
                }
                for column in columns { try checkColumn(column, ofSlot: slot, values: values, resolved: resolved, at: item.location) }
            }
        case .number:
            guard case .number = value.value else { throw fail("a number") }
        case .duration:
            switch value.value {
            case .duration, .number: break
            default: throw fail("a duration (500ms, 60s, 2m, 1h; a bare number is seconds)")
            }
        case .integer(let minimum, let maximum):
            guard case .number(let number, _) = value.value, number == number.rounded(), number >= Double(minimum) else {
                throw fail("a whole number ≥ \(minimum)")
            }
            guard number <= Double(maximum) else { throw fail("a whole number at most \(maximum)") }
        case .cells:
            func isCellNumber(_ x: Double) -> Bool { x == x.rounded() && x >= 1 && x <= Double(Int32.max) }
            switch value.value {
            case .number(let number, _) where isCellNumber(number): break
            case .range(let first, let last, _) where isCellNumber(first) && isCellNumber(last):
                guard first <= last else { throw fail("a range from the lower cell to the higher one") }
            default: throw fail("a cell number or a range of them, like 3 or 2..5")
            }
        case .choice(let choices):
            let text = Invocation.text(of: value.value)
            guard choices.contains(text) else {
                // Written as they are typed: `thousands=","`, not a bare comma in a list of them.
                throw ModelshError.usage("\(name) must be one of \(choices.map(Identifier.written).joined(separator: ", ")), found \(Identifier.written(text))"
                                         + EditDistance.didYouMean(text, among: choices), at: value.location)
            }
        case .switch:
            guard Switch.value(Invocation.text(of: value.value)) != nil else {
                throw ModelshError.usage("\(name) is a switch: \(Switch.spellings), found '\(value.value.display)'", at: value.location)
            }
        case .text, .settingValue:
            switch value.value {
            case .list, .expression: throw fail("a single value")
            default: break
            }
        case .condition:
            _ = try ExpressionSyntax(value)
        case .list(let element):
            if case .list(let items) = value.value {
                for item in items { try check(item, as: element, for: name, values: values, resolved: resolved) }
            } else {
                try check(value, as: element, for: name, values: values, resolved: resolved)
            }
        }
    }

    private func checkName(_ word: String, kind: ValueKind, at location: SourceLocation) throws {
        switch kind {
        case .dataset: try requireVariable(word, kind: "dataset", names: variables.datasetNames, at: location)
        case .variable: try requireVariable(word, kind: "name", names: variables.names, at: location)
        case .modelKind: try locating(at: location) { _ = try ModelCatalogue.requireKind(named: word) }
        case .command: try locating(at: location) { _ = try table.requireCommand(named: word) }
        case .helpSubject where HelpText.topicWords(table).contains(word): return
        case .helpSubject where table.command(named: word) == nil:
            // Model kinds and their options are documented by the commands that take them.
            if ModelCatalogue.kind(named: word) != nil || ModelCatalogue.kinds.contains(where: { $0.options.contains { $0.name == word } }) {
                let what = ModelCatalogue.kind(named: word) != nil ? "a model kind" : "a model option"
                throw ModelshError.usage("'\(word)' is \(what): 'help fit' lists the kinds and their options", at: location)
            }
            throw ModelshError.usage(EditDistance.unknown("command or topic", word, among: table.allNames + HelpText.topicWords(table),
                                                          listing: "type 'help' for the list"), at: location)
        case .setting: try locating(at: location) { _ = try Settings.requireEntry(named: word) }
        case .newName: try requireDefinableName(word, at: location)
        default: return
        }
    }

    /// Hyphenated words (`learning-curve`) name commands; a dataset, model or column the shell
    /// makes is named as the store can keep it.
    private func requireDefinableName(_ name: String, at location: SourceLocation) throws {
        guard Identifier.isValid(name) else {
            throw ModelshError.usage("'\(name)' cannot be a name: names are letters, digits, '_' and '.' (no '-'; try '\(String(name.map { $0 == "-" ? "_" : $0 }))')", at: location)
        }
    }

    private func locating(at location: SourceLocation, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as ModelshError {
            throw error.located(at: location)
        }
    }

    private func requireVariable(_ word: String, kind: String, names: [String], at location: SourceLocation) throws {
        guard !names.contains(word) else { return }
        if let other = variables.kindName(of: word) {
            throw ModelshError.usage("'\(word)' is a \(other), not a \(kind)", at: location)
        }
        throw ModelshError.usage(EditDistance.unknown(kind, word, among: names), at: location)
    }

    /// The error for `item`, in place of a column name: one written with an operator or as a
    /// number (`od280/od315`, `2024`, the headers scikit-learn and spreadsheets make) is shown
    /// quoted, which is how such a name is written.
    private func notAColumn(_ item: LocatedValue, for name: String, expected: String) -> ModelshError {
        let quoted: String
        switch item.value {
        case .expression, .number, .range, .duration, .versioned:
            quoted = ": a column name that is not one word is quoted, \"\(item.value.display)\""
        default:
            quoted = ""
        }
        return ModelshError.usage("\(name) must be \(expected), found \(item.value.kindName) '\(item.value.display)'\(quoted)", at: item.location)
    }

    private static func items(of value: LocatedValue) -> [LocatedValue] {
        if case .list(let list) = value.value { return list }
        return [value]
    }

    /// The columns a term names (`a`, `a^2`, `a:b`, `a*b:c`), or nil for what is no term (`log(a)`).
    private func termColumns(_ value: Value) -> [String]? {
        if case .expression(let expression) = value { return Self.termColumns(expression) }
        return columnName(value).map { name in name.split(separator: ":").map(String.init) }
    }

    private static func termColumns(_ expression: ExpressionSyntax) -> [String]? {
        switch expression.kind {
        case .name(let name): return name.split(separator: ":").map(String.init)
        case .binary(.multiply, let left, let right):
            guard let left = termColumns(left), let right = termColumns(right) else { return nil }
            return left + right
        // A power of a column, as R's I(x^2); the model layer checks the exponent.
        case .binary(.power, let base, let exponent):
            guard case .name(let name) = base.kind, case .number = exponent.kind else { return nil }
            return [name]
        default: return nil
        }
    }

    /// A terms value as words, `a*b` written without spaces, so the model layer reads each alike.
    private static func termWords(_ value: LocatedValue) -> LocatedValue {
        func written(_ expression: ExpressionSyntax) -> String {
            switch expression.kind {
            case .binary(.multiply, let left, let right): return written(left) + "*" + written(right)
            case .binary(.power, let base, let exponent): return written(base) + "^" + exponent.text
            case .name(let name): return name
            default: return expression.text
            }
        }
        return LocatedValue(.list(items(of: value).map { item in
            guard case .expression(let expression) = item.value else { return item }
            return LocatedValue(.word(written(expression)), at: item.location)
        }), at: value.location)
    }

    private func isColumn(_ name: String, ofSlot slot: String, resolved: [String: Variable]) -> Bool {
        guard case .dataset(let data)? = resolved[slot] else { return false }
        return data.column(named: name) != nil
    }

    private func columnName(_ value: Value) -> String? {
        switch value {
        case .word(let name), .string(let name): return name
        case .expression(let expression):
            if case .name(let name) = expression.kind { return name }
            return nil
        default: return nil
        }
    }

    private func checkColumn(_ column: String, ofSlot slot: String, values: [String: LocatedValue],
                             resolved: [String: Variable], at location: SourceLocation) throws {
        guard case .dataset(let data)? = resolved[slot] else { return }
        try locating(at: location) { _ = try data.requireColumn(column, datasetName: values[slot].map { Invocation.text(of: $0.value) }) }
    }

    private func resolve(_ value: LocatedValue, as kind: ValueKind) -> Variable? {
        switch (kind, value.value) {
        case (.dataset, .word(let word)): return variables.dataset(word).map(Variable.dataset)
        case (.model, _): return (try? modelVersion(value, for: "")).flatMap { variables.registry.version($0)?.model }.map(Variable.model)
        default: return nil
        }
    }

    // MARK: - Model versions

    /// The version a model argument names: `m` (the latest not retired), `m@2` or `m@production`.
    private func modelVersion(_ value: LocatedValue, for slot: String) throws -> ModelVersionID {
        let (name, selector): (String, String?)
        switch value.value {
        case .word(let word): (name, selector) = (word, nil)
        case .versioned(let word, let version): (name, selector) = (word, version)
        default: throw ModelshError.usage("\(slot) must be a model, found \(value.value.kindName) '\(value.value.display)'", at: value.location)
        }
        try requireVariable(name, kind: "model", names: variables.modelNames, at: value.location)
        var id: ModelVersionID!
        try locating(at: value.location) { id = try variables.registry.resolve(name, selector: selector) }
        return id
    }

    /// The versions named in each model slot (and list of models) of the form.
    private func modelVersions(_ form: CommandForm, _ values: [String: LocatedValue]) throws -> [String: [ModelVersionID]] {
        var versions: [String: [ModelVersionID]] = [:]
        for case .value(let name, let kind, _) in form.slots {
            guard let value = values[name] else { continue }
            switch kind {
            case .model:
                versions[name] = [try modelVersion(value, for: name)]
            case .list(.model):
                let items: [LocatedValue]
                if case .list(let list) = value.value { items = list } else { items = [value] }
                versions[name] = try items.map { try modelVersion($0, for: name) }
            default:
                continue
            }
        }
        return versions
    }
}
