import Diagnostics
import Foundation
import Numerics
import Store
import Tabular

/// Commands that read, look at and split datasets.
enum DataCommands {
    static let all: [CommandSpec] = [load, write, show, columns, describe, split]

    static let load = CommandSpec(
        "load", category: .data,
        summary: "Read a CSV file into a dataset, or a saved model file",
        details: """
        Reads RFC 4180 CSV: quoted fields, escaped quotes, embedded newlines, CRLF, a UTF-8 BOM,
        Excel's first line sep=; (which sets the separator unless sep= gives one); blank lines are skipped.
        A .tsv or .tab file's fields are separated by tabs unless sep= says otherwise. A file
        compressed with gzip (data.csv.gz) is read as it is decompressed.
        Each column's type is inferred (integer, numeric, boolean, categorical, text); empty
        fields and NA are missing, and so are the texts na= lists (na="-" or na="-","?"). A
        ragged row or an unreadable value is an error naming the line. A file whose name ends
        in .json is read as JSON instead: an array of records or an object of columns, as
        `write` makes them, each value typed as a CSV field would be. decimal="," reads numbers
        written with a decimal comma (1,5), as spreadsheets in European locales save them,
        separated by semicolons (sep=";"); thousands="," reads numbers with their digits
        grouped ("1,234.5"; thousands="." with decimal=",": 1.234,5). With `model`, reads a model saved by
        `save MODEL to "file.json"`.
        """,
        example: "load \"data/iris.csv\" as iris\nload \"data/scores.csv\" sep=\";\" na=\"-\" as scores\nload \"data/passengers.csv\" na=\"-\",\"?\",\"n/a\" as passengers\nload model \"m.json\" as m",
        changesState: true,
        forms: [
            CommandForm([.keyword("model"), .value(name: "PATH", kind: .path)], outputs: .model("NAME")) { invocation, context in
                let path = invocation.text("PATH")!
                let (_, model) = try invocation.at("PATH") { try ModelArchive.load(path: path) }
                let id = try context.defineModel(model, of: invocation)
                context.emit("\(id): \(ModelDescription.line(for: model)) (from \"\(path)\")")
            },
            CommandForm([.value(name: "PATH", kind: .path)], options: csvReadingOptions + [
                OptionSpec("decimal", .choice([".", ","]), "the decimal mark, . (default) or , as European spreadsheets write numbers (1,5) in ;-separated files"),
                OptionSpec("thousands", .choice([",", ".", " ", "'", "_"]), "the separator between groups of three digits, as in \"1,234.5\" (default none)"),
                OptionSpec("encoding", .choice(["utf-8"] + SingleByteEncoding.allCases.map(\.rawValue)),
                           "the file's text encoding: utf-8 (default), cp1252 (Excel's \"CSV\" on Windows) or latin1"),
            ], outputs: .dataset("NAME")) { invocation, context in
                let options = try csvOptions(invocation)
                let path = invocation.text("PATH")!
                let isJSON = readName(path).hasSuffix(".json")
                if isJSON, let option = ["sep", "header", "decimal", "thousands", "encoding"].first(where: invocation.has) {
                    throw ModelshError.usage("\(option)= is for CSV files; a .json file is read as JSON", at: invocation.location(option))
                }
                let data = try invocation.at("PATH") {
                    isJSON ? try JSONDataReader.read(path: path, missingMarkers: options.missingMarkers)
                        : try hintingSeparator(path: path, options: options) {
                            try readCSV(path: path, options: options, encoding: invocation.text("encoding").flatMap(SingleByteEncoding.init), context: context)
                        }
                }
                try context.define(output: 0, of: invocation, as: .dataset(data))
                context.emit("\(invocation.output(0).name): \(DatasetDescription.shape(of: data))")
                if !isJSON, data.columns.count == 1, let hint = SeparatorGuess.hint(path: path, separator: options.separator) {
                    context.emit("warning: one column was read, \(Identifier.quoted(data.columns[0].name)); \(hint)")
                }
                if data.rowCount == 0, data.columnCount > 0 {
                    context.emit("warning: \"\(path)\" has no rows, so no column's type can be inferred: every column is text")
                }
                // Columns of numbers in another writing, read as text, with the options that read them.
                var claimed: [String] = []
                for alternative in options.numberMarks.alternatives(separator: options.separator) where !isJSON {
                    let columns = alternative.marks.columns(in: data).filter { !claimed.contains($0) }
                    guard !columns.isEmpty else { continue }
                    claimed += columns
                    let names = columns.prefix(5).map(Identifier.quoted).joined(separator: ", ") + (columns.count > 5 ? " and \(columns.count - 5) more" : "")
                    context.emit("warning: \(names) \(columns.count == 1 ? "holds numbers" : "hold numbers") \(alternative.writing), read as text: \(alternative.options) reads them as numbers")
                }
                if !isJSON, options.header, let warning = RowIndexColumn.warning(for: data) { context.emit("warning: \(warning)") }
                let others = try Dataset(columns: data.columns.filter { !claimed.contains($0.name) })
                for warning in NumberLikeColumns.warnings(for: others) + PandasMissingTexts.warnings(for: others)
                    + DecoratedNumber.warnings(for: others, named: invocation.output(0).name) { context.emit("warning: \(warning)") }
            },
        ])

    static let write = CommandSpec(
        "write", category: .data,
        summary: "Write a dataset to a CSV, TSV or JSON file",
        details: """
        The file's extension picks the format: .csv (RFC 4180, missing values as NA), .tsv or
        .tab (the same with tabs between fields) or .json (layout=records: an array with one
        object per row, the default; layout=columns: an object with one array per column;
        missing values as null). Numeric columns keep a point
        (2.0) so `load` reads every column back with its type. A dataset with no rows is written
        as columns only (records would be `[]`, with no names). The file is written a block of
        rows at a time and replaced atomically: a failure, or Ctrl-C, leaves the old one as it was.
        """,
        example: "write iris to \"iris.csv\"\nwrite iris to \"iris.json\" layout=columns",
        changesState: false,
        forms: [CommandForm([.value(name: "DATA", kind: .dataset), .keyword("to"), .value(name: "PATH", kind: .path)], options: [
            OptionSpec("layout", .choice(DataWriter.JSONLayout.allCases.map(\.rawValue)), "for .json: records (one object per row, the default) or columns (one array per column)"),
        ]) { invocation, context in
            let data = invocation.dataset("DATA")
            let path = invocation.text("PATH")!
            let text: (DataWriter.Sink) throws -> Void
            let format = path.split(separator: ".").last.map { "." + $0.lowercased() }
            switch format {
            case let name? where name == ".csv" || tabSeparatedExtensions.contains(name):
                guard !invocation.has("layout") else { throw ModelshError.usage("layout= is for .json files", at: invocation.location("layout")) }
                let separator = name == ".csv" ? UInt8(ascii: ",") : UInt8(ascii: "\t")
                text = { try DataWriter.csv(data, separator: separator, to: $0) }
            case ".json"?:
                let layout = invocation.text("layout").flatMap(DataWriter.JSONLayout.init) ?? .records
                // Records of no rows are `[]`, which load could not read back: the names would be lost.
                if layout == .records, data.rowCount == 0, data.columnCount > 0 {
                    throw ModelshError.usage("'\(invocation.name("DATA")!)' has no rows, so as records (`[]`) it would keep no column names; write it with layout=columns",
                                             at: invocation.location(invocation.has("layout") ? "layout" : "PATH"))
                }
                text = { try DataWriter.json(data, layout: layout, to: $0) }
            default:
                throw ModelshError.usage("write picks the format from the file's extension, .csv, .tsv or .json; found \"\(path)\"", at: invocation.location("PATH"))
            }
            // Written a block at a time; Ctrl-C between blocks leaves the old file as it was.
            try invocation.at("PATH") {
                try AtomicFile.write(to: path) { write in
                    try text { block in
                        try Interruption.check()
                        try write(UnsafeRawBufferPointer(block))
                    }
                }
            }
            context.emit("wrote \(invocation.name("DATA")!) to \"\(path)\": \(DatasetDescription.rows(data.rowCount)) × \(data.columnCount) column\(data.columnCount == 1 ? "" : "s")")
        }])

    /// The decimal mark and thousands separator `load`'s options give; they must differ.
    static func numberMarks(_ invocation: Invocation) throws -> NumberMarks {
        let decimal = invocation.text("decimal") == "," ? UInt8(ascii: ",") : UInt8(ascii: ".")
        let thousands = invocation.text("thousands").map { Array($0.utf8)[0] }
        guard thousands != decimal else {
            throw ModelshError.usage("thousands= and decimal= must differ: thousands=\",\" reads 1,234.5; thousands=\".\" decimal=\",\" reads 1.234,5",
                                     at: invocation.location("thousands"))
        }
        return NumberMarks(decimal: decimal, thousands: thousands)
    }

    /// Reads a CSV file into memory, after checking that it fits in `set memory`; a file in a
    /// single-byte `encoding` is transcoded whole first.
    static func readCSV(path: String, options: CSVOptions, encoding: SingleByteEncoding? = nil, context: CommandContext) throws -> Dataset {
        try MemoryCheck.requireLoadable(path: path, options: options, limit: context.state.settings.memory)
        if let encoding { return try CSVReader.read(path: path, encoding: encoding, options: options) }
        return try context.withProgress("load \"\(path)\" (MiB)") { progress in
            try CSVReader.read(path: path, options: options) { done, total in progress(done >> 20, total >> 20) }
        }
    }

    /// Runs `body`, which reads the CSV file at `path` with `options`; an error it throws gets
    /// `SeparatorGuess`'s hint when the file's first line suggests another separator (a
    /// tab-separated file read with commas fails on a header "holding a control character").
    static func hintingSeparator<T>(path: String, options: CSVOptions, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch var error as ModelshError {
            if error.category != .interrupted, let hint = SeparatorGuess.hint(path: path, separator: options.separator) {
                error.message += "; \(hint)"
            }
            throw error
        }
    }

    /// The options of every command that reads a CSV file (`csvOptions` reads them).
    static let csvReadingOptions = [
        OptionSpec("sep", .text, "field separator, one character (default , or, for a .tsv or .tab file, a tab)"),
        OptionSpec("header", .switch, "whether the first line names the columns (default yes)"),
        OptionSpec("na", .list(.text), "extra texts that mark a missing value, na=\"-\" or na=\"-\",\"?\" (empty fields and NA always do)"),
    ]

    /// Files whose name says their fields are separated by tabs, unless sep= says otherwise.
    static let tabSeparatedExtensions = [".tsv", ".tab"]

    /// The name by which a file read is judged CSV, TSV or JSON: lowercased, without the `.gz`
    /// of a compressed one (which the reader decompresses by its first bytes, whatever its name).
    static func readName(_ path: String) -> String {
        let name = path.lowercased()
        return name.hasSuffix(".gz") ? String(name.dropLast(3)) : name
    }

    /// The CSV options of a command that reads the file at PATH: those given, the separator of
    /// a .tsv or .tab file a tab.
    static func csvOptions(_ invocation: Invocation) throws -> CSVOptions {
        var options = CSVOptions()
        if let separator = invocation.text("sep") {
            let bytes = Array(separator.utf8)
            guard bytes.count == 1, bytes[0] != UInt8(ascii: "\""), bytes[0] != UInt8(ascii: "\n"), bytes[0] != UInt8(ascii: "\r") else {
                let tab = ["tab", "\\t", "TAB"].contains(separator) ? " (a tab is written sep=\"\\t\")" : ""
                throw ModelshError.usage("sep must be one ASCII character other than a quote or line break, found \(Identifier.written(separator))\(tab)",
                                         at: invocation.location("sep"))
            }
            options.separator = bytes[0]
            options.separatorIsGiven = true
        } else if let path = invocation.text("PATH"), tabSeparatedExtensions.contains(where: readName(path).hasSuffix) {
            options.separator = UInt8(ascii: "\t")
        }
        if let header = invocation.text("header") { options.header = Switch.value(header)! }
        options.missingMarkers += invocation.words("na") ?? []
        options.numberMarks = try numberMarks(invocation)
        return options
    }

    static let show = CommandSpec(
        "show", aliases: ["head"], category: .data,
        summary: "Print the first rows of a dataset",
        details: "Prints the first rows (10 unless rows= says otherwise) of every column, or of the columns= given, in that order; missing values show as NA.",
        example: "show iris rows=5 columns=Species,Petal.Width",
        changesState: false,
        forms: [CommandForm([.value(name: "DATA", kind: .dataset)],
                            options: [OptionSpec("rows", .integer(minimum: 0), "how many rows to print (default 10)"),
                                      OptionSpec("columns", .columns(of: "DATA"), "the columns to print (default: all)")]) { invocation, context in
            context.emit(Preview.report(of: try chosenColumns(invocation), rows: invocation.integer("rows") ?? 10, named: invocation.name("DATA")))
        }])

    /// DATA's columns named by columns=, in that order, or all of them.
    static func chosenColumns(_ invocation: Invocation) throws -> Dataset {
        let data = invocation.dataset("DATA")
        guard let names = invocation.words("columns") else { return data }
        return try Dataset(columns: names.map { try data.requireColumn($0) })
    }

    static let columns = CommandSpec(
        "columns", category: .data,
        summary: "List a dataset's columns with their types",
        details: "One row per column: name, type, missing count, and levels or an example value.",
        example: "columns iris",
        changesState: false,
        forms: [CommandForm([.value(name: "DATA", kind: .dataset)]) { invocation, context in
            context.emit(ColumnListing.report(of: invocation.dataset("DATA")))
        }])

    static let describe = CommandSpec(
        "describe", category: .data,
        summary: "Summary statistics of every column",
        details: """
        For numbers: count, missing, mean, standard deviation, minimum, quartiles (R's type 7)
        and maximum. For categories: the levels with their counts. For text: distinct values.
        Every column, or those columns= names (numbers in one table, categories and text in another).
        """,
        example: "describe iris\ndescribe iris columns=Species,Petal.Width",
        changesState: false,
        forms: [CommandForm([.value(name: "DATA", kind: .dataset)],
                            options: [OptionSpec("columns", .columns(of: "DATA"), "the columns to describe (default: all)")]) { invocation, context in
            context.emit(Describe.report(of: try chosenColumns(invocation)))
        }])

    static let split = CommandSpec(
        "split", category: .data,
        summary: "Split a dataset into training and test rows, reproducibly",
        details: """
        Draws test rows with the seeded xoshiro256** generator (see the README), so the same seed
        gives the same split on every machine. test= is the test fraction (default 0.2; the test
        part has ceil(test × rows) rows). stratify= keeps each level's share in both parts.
        Rows keep their original order within each part.
        """,
        example: "split iris test=0.3 seed=7 stratify=Species as train, test",
        changesState: true,
        forms: [CommandForm([.value(name: "DATA", kind: .dataset)], options: [
            OptionSpec("test", .number, "fraction of rows for the test part, in (0, 1) (default 0.2)"),
            OptionSpec("seed", .integer(minimum: 0), "random seed (default 42)"),
            OptionSpec("stratify", .column(of: "DATA"), "a column of classes (categorical, integer, boolean or whole numbers) whose shares both parts keep"),
        ], outputs: .dataset("TRAIN", "TEST")) { invocation, context in
            let data = invocation.dataset("DATA")
            let fraction = invocation.number("test") ?? 0.2
            let seed = UInt64(invocation.integer("seed") ?? 42)
            // The data is at fault here, not test= (where Split's other errors belong).
            guard data.rowCount > 0 else {
                throw ModelshError.data("'\(invocation.name("DATA")!)' has no rows to split", at: invocation.location("DATA"))
            }
            let parts = try invocation.at("test") {
                try Split.trainTest(data, testFraction: fraction, seed: seed, stratify: invocation.text("stratify"))
            }
            try context.define(output: 0, of: invocation, as: .dataset(parts.train))
            try context.define(output: 1, of: invocation, as: .dataset(parts.test))
            let names = (invocation.output(0).name, invocation.output(1).name)
            let how = invocation.text("stratify").map { ", stratified by \($0)" } ?? ""
            context.emit("\(names.0): \(DatasetDescription.rows(parts.train.rowCount)), \(names.1): \(DatasetDescription.rows(parts.test.rowCount)) (seed \(seed)\(how))")
        }])
}

/// One-line descriptions of datasets, shared by the commands that make or list them.
enum DatasetDescription {
    /// "1 row", "150 rows".
    static func rows(_ count: Int) -> String { counted(count, "row") }

    /// "1 feature", "3 features": a count and its noun, plural unless the count is one.
    static func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    /// "150 rows × 6 columns (1 integer, 4 numeric, 1 categorical)".
    static func shape(of data: Dataset) -> String {
        let counts = ColumnType.allCases.compactMap { type -> String? in
            let n = data.columns.filter { $0.type == type }.count
            return n == 0 ? nil : "\(n) \(type.rawValue)"
        }
        let detail = counts.isEmpty ? "" : " (\(counts.joined(separator: ", ")))"
        return "\(rows(data.rowCount)) × \(data.columnCount) column\(data.columnCount == 1 ? "" : "s")\(detail)"
    }
}
