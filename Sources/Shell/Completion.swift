import Diagnostics
import Foundation
import Language
import Models
import Store
import Tabular

/// Tab completion, from the command table and the session: command names, keywords, option
/// names, dataset and model names, model kinds, the columns of the dataset named in the
/// command, and file paths inside quotes.
public struct Completion: Equatable, Sendable {
    /// How many characters before the cursor the candidates replace.
    public var replacing: Int
    public var candidates: [String]

    public static func candidates(for textBeforeCursor: String, in session: Session) -> Completion {
        let chunks = Chunks(textBeforeCursor)
        if let partialPath = chunks.openQuote {
            return Completion(replacing: partialPath.count, candidates: paths(startingWith: partialPath))
        }
        let word = chunks.partial
        let candidates = Completer(session: session, chunks: chunks).candidates(for: word)
        // Quotes aside, so `target=y` and `target="y` both find `target="y-val"`.
        let typed = word.filter { $0 != "\"" }
        return Completion(replacing: word.count, candidates: candidates.filter { $0.filter { $0 != "\"" }.hasPrefix(typed) }.sorted())
    }

    /// Files and folders whose path starts with `partial`; folders end with `/`, files with
    /// the closing quote so a unique match completes the argument.
    static func paths(startingWith partial: String) -> [String] {
        let slash = partial.lastIndex(of: "/")
        let directoryPart = slash.map { String(partial[...$0]) } ?? ""
        let namePart = slash.map { String(partial[partial.index(after: $0)...]) } ?? partial
        let directory = directoryPart.isEmpty ? "." : (directoryPart.hasPrefix("~") ? NSString(string: directoryPart).expandingTildeInPath : directoryPart)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        return entries.filter { $0.hasPrefix(namePart) && (namePart.hasPrefix(".") || !$0.hasPrefix(".")) }.sorted().map { entry in
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent(entry), isDirectory: &isDirectory)
            return directoryPart + entry + (isDirectory.boolValue ? "/" : "\"")
        }
    }
}

/// The text before the cursor cut into whitespace-separated chunks, quotes respected.
struct Chunks {
    /// Complete chunks before the word being typed.
    var words: [String] = []
    /// The word being typed (possibly empty).
    var partial = ""
    /// When the cursor is inside an unclosed quote: the text after the quote.
    var openQuote: String?

    /// The option whose `[` list is still open before the word being typed (`features=[a, `).
    var openListKey: String? {
        var depth = 0
        for chunk in words.reversed() {
            depth += chunk.filter { $0 == "]" }.count - chunk.filter { $0 == "[" }.count
            if depth < 0, let equals = chunk.firstIndex(of: "="), chunk[chunk.index(after: equals)...].hasPrefix("[") {
                return String(chunk[..<equals])
            }
            if depth < 0 { return nil }
        }
        return nil
    }

    init(_ text: String) {
        var current = ""
        var quote: Character?
        for c in text {
            if let open = quote {
                current.append(c)
                if c == open { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
                current.append(c)
            } else if c == " " || c == "\t" || c == "\n" {
                // A line-continuing backslash is layout, not a word.
                if !current.isEmpty, current != "\\" { words.append(current) }
                current = ""
            } else {
                current.append(c)
            }
        }
        // An open quote after `key=` is a quoted option value (a column name), not a path.
        if quote != nil, let start = current.firstIndex(where: { $0 == "\"" || $0 == "'" }), !current[..<start].hasSuffix("=") {
            openQuote = String(current[current.index(after: start)...])
            return
        }
        partial = current
    }
}

/// Works out what kind of value belongs at the cursor and lists the candidates.
private struct Completer {
    let session: Session
    let chunks: Chunks

    private var variables: Variables { session.state.variables }

    /// The part of an option's value before the item being typed: up to a list's last ',' or
    /// '[', and for model terms also an interaction's last ':' or '*' (`features=wt:h`).
    private func itemPrefix(_ text: String, key: String, spec: CommandSpec) -> String {
        let joinsTerms = spec.forms.contains { form in form.options.contains { $0.name == key && $0.kind.isTerms } }
        let separators: Set<Character> = joinsTerms ? [",", "[", ":", "*"] : [",", "["]
        return text.lastIndex(where: separators.contains).map { String(text[...$0]) } ?? ""
    }

    func candidates(for word: String) -> [String] {
        guard let verb = chunks.words.first else { return session.table.allNames }
        guard let spec = session.table.command(named: verb) else { return [] }
        // `key=partial`, `key=a,b,partial` or `key=[a, partial`: complete the value of that option.
        if let equals = word.firstIndex(of: "=") {
            let key = String(word[..<equals])
            let value = String(word[word.index(after: equals)...])
            let listPrefix = itemPrefix(value, key: key, spec: spec)
            return optionValues(spec, key: key).map { "\(key)=\(listPrefix)\($0)" }
        }
        // A later item of a bracketed list still open: `features=[a, partial`.
        if let key = chunks.openListKey {
            return optionValues(spec, key: key).map { itemPrefix(word, key: key, spec: spec) + $0 }
        }
        if chunks.words.last == "as" { return [] }
        let positionals = chunks.words.dropFirst().filter { !$0.contains("=") }
        if positionals.contains("as") { return [] }
        var candidates: [String] = []
        for form in spec.forms where formFits(form, positionals: Array(positionals)) {
            if let columns = expressionColumns(form, positionals: Array(positionals)) {
                candidates += columns + (form.outputs.names.isEmpty ? [] : ["as"])
                continue
            }
            let next = positionals.count < form.slots.count ? slotCandidates(form.slots[positionals.count], form: form, positionals: Array(positionals)) : []
            candidates += next
            // Optional slots that offer words, or that have been begun, come before options:
            // `set ` lists the settings and `set bail ` its values, not `bail=`. An optional
            // keyword (`plot … [to PATH]`) comes beside them.
            var nextIsKeyword = false
            if positionals.count < form.slots.count, case .keyword = form.slots[positionals.count] { nextIsKeyword = true }
            let slotsOpen = positionals.count < form.slots.count && !nextIsKeyword && (!next.isEmpty || !positionals.isEmpty)
            if positionals.count >= requiredSlots(form), !slotsOpen {
                candidates += form.options.map { "\($0.name)=" }
                if let slot = form.modelKindOptionsFrom, let kindName = value(of: slot, in: form, positionals: Array(positionals)),
                   let kind = ModelCatalogue.kind(named: kindName) {
                    candidates += kind.options.map { "\($0.name)=" }
                }
                if !form.outputs.names.isEmpty { candidates.append("as") }
            }
        }
        return Array(Set(candidates))
    }

    /// Column names anywhere inside a condition (`filter d where x > 1 and `) or after a
    /// `derive` dataset, where every word may start or continue an expression.
    private func expressionColumns(_ form: CommandForm, positionals: [String]) -> [String]? {
        let slot: String
        if let index = form.slots.firstIndex(where: { if case .value(_, .condition, _) = $0 { true } else { false } }),
           positionals.count >= index, case .value(_, .condition(let of), _) = form.slots[index] {
            slot = of
        } else if let of = form.columnDefinitionsOf, positionals.count >= form.slots.count {
            slot = of
        } else {
            return nil
        }
        return values(of: .column(of: slot), typed: (form, positionals))
    }

    /// Whether the words typed so far could be this form: keywords in place, and names where
    /// names belong (so `save workspace ` does not go on as `save MODEL to`).
    private func formFits(_ form: CommandForm, positionals: [String]) -> Bool {
        for (index, slot) in form.slots.enumerated() where index < positionals.count {
            let word = positionals[index]
            switch slot {
            case .keyword, .subcommand: if !slot.accepts(word) { return false }
            case .value(_, .dataset, _): if variables.dataset(word) == nil { return false }
            case .value(_, .model, _), .value(_, .list(.model), _):
                if !variables.registry.contains(String(word.prefix { $0 != "@" && $0 != "," })) { return false }
            case .value(_, .modelKind, _): if ModelCatalogue.kind(named: word) == nil { return false }
            case .value(_, .path, _): if !(word.hasPrefix("\"") || word.hasPrefix("'")) { return false }
            case .value: break
            }
        }
        return true
    }

    private func requiredSlots(_ form: CommandForm) -> Int {
        form.slots.indices.filter { index in
            let slot = form.slots[index]
            if slot.isOptionalValue { return false }
            return index + 1 >= form.slots.count || !slot.isOptionalPairKeyword(before: form.slots[index + 1])
        }.count
    }

    private func slotCandidates(_ slot: Slot, form: CommandForm, positionals: [String]) -> [String] {
        switch slot {
        case .keyword(let word), .subcommand(let word, _): return [word]
        case .value(_, let kind, _): return values(of: kind, typed: (form, positionals))
        }
    }

    private func optionValues(_ spec: CommandSpec, key: String) -> [String] {
        let positionals = Array(chunks.words.dropFirst().filter { !$0.contains("=") })
        for form in spec.forms where formFits(form, positionals: positionals) {
            if let option = form.options.first(where: { $0.name == key }) {
                return values(of: option.kind, typed: (form, positionals))
            }
            if let slot = form.modelKindOptionsFrom, let kindName = value(of: slot, in: form, positionals: positionals),
               let option = ModelCatalogue.kind(named: kindName)?.options.first(where: { $0.name == key }) {
                // A column-valued kind option names a column of the data the form's own column options (target=) name.
                if option.namesAColumn, let columns = form.options.first(where: { if case .column = $0.kind { true } else { false } }) {
                    return values(of: columns.kind, typed: (form, positionals))
                }
                return option.values ?? []
            }
        }
        return []
    }

    private func values(of kind: ValueKind, typed: (form: CommandForm, positionals: [String])?) -> [String] {
        switch kind {
        case .dataset: return variables.datasetNames
        // Versions and aliases once an '@' is typed, so a plain Tab lists names only.
        case .model: return chunks.partial.contains("@") ? versionReferences : variables.modelNames
        case .variable: return variables.names
        case .modelKind: return ModelCatalogue.kinds.map(\.name)
        case .command: return session.table.allNames
        case .helpSubject: return session.table.allNames + HelpText.topicWords(session.table)
        case .setting: return Settings.entries.map(\.name)
        case .choice(let choices): return choices
        case .switch: return ["yes", "no"]
        case .list(let element): return values(of: element, typed: typed)
        case .column(let slot), .columns(let slot), .terms(let slot), .condition(let slot):
            guard let (form, positionals) = typed, let name = value(of: slot, in: form, positionals: positionals),
                  let data = variables.dataset(name) else { return [] }
            return data.columnNames.map(Identifier.written)
        case .settingValue(let slot):
            // Fixed spellings such as on|off; a placeholder such as NUMBER offers nothing.
            // The setting is named by a slot (`set NAME VALUE`) or is the option itself (`set NAME=`).
            guard let (form, positionals) = typed, let name = value(of: slot, in: form, positionals: positionals) ?? Settings.entry(named: slot)?.name,
                  let entry = Settings.entry(named: name), entry.values.contains("|") else { return [] }
            return entry.values.split(separator: "|").map(String.init).filter { $0.lowercased() == $0 }  // not NUMBER
        case .newName, .path, .number, .duration, .integer, .text, .cells: return []
        }
    }

    /// `m@1`, `m@2`, `m@production`, … for every model.
    private var versionReferences: [String] {
        let registry = variables.registry
        return registry.names.flatMap { name in
            registry[name]!.versions.map { "\(name)@\($0.number)" } + registry[name]!.aliases.keys.sorted().map { "\(name)@\($0)" }
        }
    }

    /// The word the user typed for the named slot of `form`, if any.
    private func value(of slotName: String, in form: CommandForm, positionals: [String]) -> String? {
        for (index, slot) in form.slots.enumerated() {
            if case .value(let name, _, _) = slot, name == slotName, index < positionals.count { return positionals[index] }
        }
        return nil
    }
}
