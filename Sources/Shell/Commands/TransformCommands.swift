import Diagnostics
import Tabular

/// Commands that compute new datasets from expressions over a dataset's columns.
enum TransformCommands {
    static let all: [CommandSpec] = [filter, derive, sort, levels]

    private static let expressionHelp = """
    Expressions: numbers, "text", true, false, column names (`my col` in backquotes for one
    that is no name); + - * / % (floored) ^; == != < <= > >=; and, or, not; x in [1, 2],
    x not in ["a"]; x is missing, x is not missing; functions log log2 log10 exp sqrt abs
    floor ceil round(x[, digits]) min(a, b) max(a, b) if(condition, yes, no) lower upper;
    number(text) reads the number in text written with a currency sign, unit or commas
    ("$1,234.50" 1234.5, "12%" 12, "(42)" -42; missing, and counted, where there is none).
    A missing value makes arithmetic and comparisons missing (false and missing is false,
    true or missing is true); x/0, log(0), sqrt(-1) and overflow are missing too, and counted.
    < <= > >= compare numbers, or dates written as ISO 8601 text ("2024-03-01",
    "2024-03-01 14:30", "2024-03-01T14:30+01:00"), in time order (a time with an offset from
    UTC as its instant in UTC): date < "2024-03-01" splits by time, and a value that is not
    such a date is missing.
    """

    static let filter = CommandSpec(
        "filter", category: .data,
        summary: "Keep the rows where a condition is true",
        details: """
        Keeps, in order, the rows of DATA where CONDITION is true; a row where it is false or
        missing goes, and the output says how many went for each reason. Without 'as', DATA
        itself is replaced (undo brings it back).
        """ + "\n\n" + expressionHelp,
        example: "filter iris where Petal.Length > 4 and Species != \"virginica\" as big\nfilter sales where date < \"2024-03-01\" as train",
        changesState: true,
        forms: [CommandForm([.value(name: "DATA", kind: .dataset), .keyword("where"), .value(name: "CONDITION", kind: .condition(of: "DATA"))],
                            outputs: .dataset("NAME", optional: true)) { invocation, context in
            let data = invocation.dataset("DATA")
            let result = data.filtered(by: invocation.condition("CONDITION"))
            let name = try store(result.data, invocation, context)
            context.emit("\(name): \(result.data.rowCount) of \(DatasetDescription.rows(data.rowCount)) (\(result.falseCount) false, \(result.missingCount) missing)")
        }])

    static let derive = CommandSpec(
        "derive", category: .data,
        summary: "Add or replace columns computed from expressions",
        details: """
        Each NAME=EXPRESSION adds the column NAME (or replaces it), in order, so a later one
        may use an earlier one. A result of whole numbers under + - * % is integer, one of
        text is categorical. Without 'as', DATA itself changes (undo brings it back).
        """ + "\n\n" + expressionHelp,
        example: "derive iris ratio = Petal.Length / Petal.Width big = ratio > 3 as iris2",
        changesState: true,
        forms: [CommandForm([.value(name: "DATA", kind: .dataset)], outputs: .dataset("NEWDATA", optional: true),
                            columnDefinitionsOf: "DATA") { invocation, context in
            guard !invocation.definitions.isEmpty else {
                throw ModelshError.usage("derive needs at least one NAME=EXPRESSION; usage: \(invocation.spec.usageLines[0])",
                                         at: invocation.location("DATA"))
            }
            var data = invocation.dataset("DATA")
            var lines: [String] = []
            for definition in invocation.definitions {
                let result = definition.expression.evaluate(on: data, name: definition.name)
                let verb = data.column(named: definition.name) == nil ? "added" : "replaced"
                data = try data.adding(result.column)
                let column = result.column
                var line = "\(verb) \(column.name) (\(column.type.rawValue), \(column.missingCount) missing"
                if result.undefinedCount > 0 {
                    line += ", \(result.undefinedCount) from undefined arithmetic: x/0, log(0), sqrt(-1), overflow"
                }
                if result.noNumberCount > 0 {
                    line += ", \(result.noNumberCount) of text with no number in it"
                }
                lines.append(line + ")")
            }
            let name = try store(data, invocation, context)
            for line in lines { context.emit("\(name): \(line)") }
        }])

    static let sort = CommandSpec(
        "sort", category: .data,
        summary: "Order a dataset's rows by one or more columns",
        details: """
        Orders the rows by the first column given, ties by the next, and so on; desc reverses
        the order. Numbers sort by value, text by its characters (not by level order); ties
        keep their order and missing values come last, as dplyr's arrange. Without 'as', DATA
        itself is replaced (undo brings it back).
        """,
        example: "sort iris by Species,Sepal.Length desc as ordered",
        changesState: true,
        forms: [CommandForm([.value(name: "DATA", kind: .dataset), .keyword("by"), .value(name: "COLUMNS", kind: .columns(of: "DATA")),
                             .value(name: "asc|desc", kind: .choice(["asc", "desc"]), optional: true)],
                            outputs: .dataset("NAME", optional: true)) { invocation, context in
            let keys = invocation.words("COLUMNS")!
            let descending = invocation.text("asc|desc") == "desc"
            let data = try invocation.at("COLUMNS") { try invocation.dataset("DATA").sorted(by: keys, descending: descending) }
            let name = try store(data, invocation, context)
            context.emit("\(name): \(DatasetDescription.rows(data.rowCount)) by \(keys.joined(separator: ", "))\(descending ? ", descending" : "")")
        }])

    static let levels = CommandSpec(
        "levels", category: .data,
        summary: "Order a column's levels, choosing the reference level (R's relevel), or make numbers categorical (R's factor)",
        details: """
        The levels given in order= come first, in that order, and the others after them as they
        were: order=L makes L the reference level, as R's relevel(f, ref = "L"); every level
        listed is R's factor(f, levels = …). load sorts levels by their bytes, as read.csv does,
        so this gives back a level order the file could not keep (warpbreaks' tension L, M, H; an
        ordered factor's). Values do not change, only the order: treatment contrasts compare
        each level with the first, classes are listed in it, and a binary model's second class
        is the one modelled. A column of numbers becomes categorical, its values the levels in
        numeric order, as R's factor(cyl). Without 'as', DATA itself changes (undo brings it back).
        """,
        example: "levels iris Species order=virginica as iris2",
        changesState: true,
        forms: [CommandForm([.value(name: "DATA", kind: .dataset), .value(name: "COLUMN", kind: .column(of: "DATA"))],
                            options: [OptionSpec("order", .list(.text), "the levels to put first, in this order (quoted when not a name: \"12+ yrs\")",
                                                 required: true)],
                            outputs: .dataset("NAME", optional: true)) { invocation, context in
            let data = invocation.dataset("DATA")
            let column = try invocation.at("COLUMN") { try data.requireColumn(invocation.text("COLUMN")!) }
            let reordered = try invocation.at("order") { try column.reorderingLevels(first: invocation.words("order")!) }
            let name = try store(try data.adding(reordered), invocation, context)
            let listed = (reordered.levels ?? []).map(TerminalText.escaped).joined(separator: ", ")
            let made = column.type == .categorical ? "" : "categorical (was \(column.type.rawValue)), "
            context.emit("\(name): \(TerminalText.escaped(column.name)) \(made)levels \(listed) (the first is the reference)")
        }])

    /// Binds `data` to the name after 'as', or else to the input dataset's own name; returns the name.
    private static func store(_ data: Dataset, _ invocation: Invocation, _ context: CommandContext) throws -> String {
        if !invocation.outputs.isEmpty {
            try context.define(output: 0, of: invocation, as: .dataset(data))
            return invocation.output(0).name
        }
        let name = invocation.name("DATA")!
        try context.state.variables.set(name, data, at: invocation.location("DATA"))
        return name
    }
}
