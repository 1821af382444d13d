import Diagnostics
import Numerics
import Tabular

/// A column with a part in a fit other than target or feature, named by the option of its name.
enum ColumnRole: String, CaseIterable {
    /// Case weights (`weight=`).
    case weight
    /// A term added to the linear predictor with coefficient 1 (`offset=`, R's offset()).
    case offset
}

/// The rows and columns a fit uses, as R's model frame: the target and features resolved by
/// name, rows with a missing target dropped, and rows with a missing feature dropped too
/// unless the fit imputes; categorical levels narrowed to those present in the rows used
/// (R's `drop.unused.levels`).
///
/// With no feature list, every column except the target is a feature, except free-text
/// columns, which are skipped (they are names and notes, rarely predictors; a categorical
/// column is what R's factor is). Naming a text column as a feature is an error.
struct TrainingFrame {
    let task: ModelTask
    let schema: TrainingSchema
    /// The used rows of the target and feature columns, in schema order (target first).
    let data: Dataset
    let rowsDropped: Int
    /// Missing feature values that imputation will fill.
    let valuesImputed: Int
    /// Regression: the target's values; classification: each row's class index.
    let target: [Double]
    /// The used rows' case weights (`weight=`), each finite and ≥ 0; nil without weights.
    let weights: [Double]?
    /// The used rows' offsets (`offset=`), each finite; nil without one.
    let offsets: [Double]?
    /// `data` with the weight and offset columns last, when there are any: what the fit's
    /// fingerprint is of, so fits with other weights or offsets on the same rows are told apart.
    let fingerprinted: Dataset

    /// Fits of a classification kind accept an integer target as classes, up to this many.
    static let maximumClasses = 100

    init(_ request: FitRequest, kind: String, tasks: [ModelTask], requestedTask: ModelTask?, impute: ImputeMethod) throws {
        let source = request.data
        let unsupervised = tasks.allSatisfy { !$0.hasTarget }
        guard let targetName = request.target, !unsupervised else {
            if unsupervised, request.target != nil {
                throw ModelshError.usage("'\(kind)' learns without a target; leave out target=", argument: "target")
            }
            guard unsupervised else { throw ModelshError.usage("'\(kind)' needs target=, the column to predict", argument: "target") }
            self = try TrainingFrame(unsupervised: request, kind: kind, task: tasks[0], impute: impute)
            return
        }
        let targetColumn = try blaming("target") { try source.requireColumn(targetName, datasetName: request.datasetName) }
        let roleColumns = try ColumnRole.allCases.compactMap { role in
            try request.options[role.rawValue].map { name in
                try blaming(role.rawValue) { (role, try Self.roleColumn(named: name, as: role, of: request, target: targetColumn.name)) }
            }
        }
        let weightColumn = roleColumns.first { $0.0 == .weight }?.1, offsetColumn = roleColumns.first { $0.0 == .offset }?.1
        if let weightColumn, weightColumn.name == offsetColumn?.name {
            throw ModelshError.usage("column '\(weightColumn.name)' is the weight; it cannot also be the offset", argument: "offset")
        }
        let roles = Dictionary(roleColumns.map { ($0.1.name, $0.0) }, uniquingKeysWith: { first, _ in first })
        let (features, terms) = try blaming("features") { try Self.features(of: request, target: targetColumn.name, roles: roles, kind: kind) }
        guard source.rowCount > 0 else {
            throw ModelshError.data("dataset '\(request.datasetName)' has no rows")
        }
        guard targetColumn.missingCount < source.rowCount else {
            throw ModelshError.data("target '\(targetColumn.name)' has no values: \(source.rowCount == 1 ? "its one row is" : "all \(source.rowCount) rows are") missing", argument: "target")
        }
        task = try blaming(requestedTask == nil ? "target" : "task") {
            try Self.task(for: targetColumn, kind: kind, tasks: tasks, requested: requestedTask)
        }
        let required = (impute == .drop ? [targetColumn] + features : [targetColumn]) + roleColumns.map(\.1)
        // Most data has no missing values: then every row is used and nothing is copied.
        let complete: [Int]? = required.allSatisfy { $0.missingCount == 0 } ? nil
            : (0 ..< source.rowCount).filter { row in required.allSatisfy { !$0.isMissing(row) } }
        guard complete?.isEmpty != true else { throw Self.noCompleteRows(required, rowCount: source.rowCount, what: "the target or a feature", roles: roles) }
        let all = [targetColumn] + features
        let used = try complete.map { try Dataset(columns: all).selecting(rows: $0) } ?? source.columns(named: all.map(\.name))
        try blaming("target") { try Self.requireFinite(used.columns[0], of: used, originalRows: complete) }
        try blaming("features") { try Self.requireFinite(Array(used.columns.dropFirst()), of: used, originalRows: complete) }
        data = used
        let usedWeights = try weightColumn.map { column in
            try blaming("weight") { try Self.checkedWeights(complete.map { column.selecting(rows: $0) } ?? column, originalRows: complete) }
        }
        let usedOffsets = try offsetColumn.map { column in
            try blaming("offset") { try Self.checkedOffsets(complete.map { column.selecting(rows: $0) } ?? column, originalRows: complete) }
        }
        weights = usedWeights?.numbers
        offsets = usedOffsets?.numbers
        let roleValues = [usedWeights, usedOffsets].compactMap { $0 }
        fingerprinted = roleValues.isEmpty ? used : try Dataset(columns: used.columns + roleValues)
        rowsDropped = source.rowCount - used.rowCount
        valuesImputed = impute == .drop || impute == .keep ? 0 : used.columns.dropFirst().reduce(0) { $0 + $1.missingCount }
        let featureSchemas = try blaming("features") { try used.columns.dropFirst().map { try Self.featureSchema($0, originalRows: complete) } }
        let usedTarget = used.columns[0]
        switch task {
        case .regression, .clustering, .components:
            schema = TrainingSchema(target: FeatureSchema(name: targetColumn.name, type: targetColumn.type), features: featureSchemas,
                                    offset: offsetColumn?.name, terms: terms)
            target = usedTarget.numbers ?? []
        case .classification:
            let classes = try blaming("target") { try Self.classes(of: usedTarget) }
            schema = TrainingSchema(target: FeatureSchema(name: targetColumn.name, type: targetColumn.type, levels: classes), features: featureSchemas,
                                    offset: offsetColumn?.name, terms: terms)
            target = try ClassLabels(classes).numberedIndices(of: usedTarget)
        }
    }

    /// A frame without a target (clustering, components): the features' rows, dropped where a
    /// feature is missing unless imputed.
    private init(unsupervised request: FitRequest, kind: String, task: ModelTask, impute: ImputeMethod) throws {
        let source = request.data
        let (features, terms) = try blaming("features") { try Self.features(of: request, target: nil, roles: [:], kind: kind) }
        guard source.rowCount > 0 else { throw ModelshError.data("dataset '\(request.datasetName)' has no rows") }
        guard !features.isEmpty else { throw ModelshError.usage("'\(kind)' needs at least one feature", argument: "features") }
        let required = impute == .drop ? features : []
        let complete: [Int]? = required.allSatisfy { $0.missingCount == 0 } ? nil
            : (0 ..< source.rowCount).filter { row in required.allSatisfy { !$0.isMissing(row) } }
        guard complete?.isEmpty != true else { throw Self.noCompleteRows(required, rowCount: source.rowCount, what: "a feature") }
        let used = try complete.map { try Dataset(columns: features).selecting(rows: $0) } ?? source.columns(named: features.map(\.name))
        try blaming("features") { try Self.requireFinite(used.columns, of: used, originalRows: complete) }
        self.task = task
        data = used
        rowsDropped = source.rowCount - used.rowCount
        valuesImputed = impute == .drop || impute == .keep ? 0 : used.columns.reduce(0) { $0 + $1.missingCount }
        schema = TrainingSchema(target: nil, features: try blaming("features") { try used.columns.map { try Self.featureSchema($0, originalRows: complete) } },
                                terms: terms)
        target = []
        weights = nil
        offsets = nil
        fingerprinted = used
    }

    /// The column `weight=` or `offset=` names: numbers, and not the target.
    private static func roleColumn(named name: String, as role: ColumnRole, of request: FitRequest, target: String) throws -> Column {
        let column = try request.data.requireColumn(name, datasetName: request.datasetName)
        guard name != target else { throw ModelshError.usage("column '\(name)' is the target; it cannot also be the \(role.rawValue)") }
        guard column.numbers != nil, column.type != .boolean else {
            throw ModelshError.data("column '\(name)' is \(column.type.rawValue); \(role == .weight ? "case weights are" : "an offset is") numbers")
        }
        return column
    }

    /// The used rows' offsets (`column`, none missing), each finite; `originalRows` maps them
    /// back to the source's rows for the message.
    private static func checkedOffsets(_ column: Column, originalRows: [Int]?) throws -> Column {
        let values = column.numbers ?? []
        if let row = values.firstIndex(where: { !$0.isFinite }) {
            throw ModelshError.data("column '\(column.name)' has offset \(NumberFormat.shortest(values[row])) in row \((originalRows?[row] ?? row) + 1); an offset is finite (the log of an exposure of 0?)")
        }
        return column
    }

    /// The used rows' weights (`column`, none missing), each finite and ≥ 0 and not all 0, as R's
    /// lm insists; `originalRows` maps them back to the source's rows for the message.
    private static func checkedWeights(_ column: Column, originalRows: [Int]?) throws -> Column {
        let values = column.numbers ?? []
        if let row = values.indices.first(where: { !(values[$0] >= 0) || !values[$0].isFinite }) {
            throw ModelshError.data("column '\(column.name)' has weight \(NumberFormat.shortest(values[row])) in row \((originalRows?[row] ?? row) + 1); case weights are finite and ≥ 0")
        }
        guard values.contains(where: { $0 > 0 }) else {
            throw ModelshError.data("every weight in column '\(column.name)' is 0 in the rows used")
        }
        return column
    }

    /// The error for a free-text column named as a feature (no command turns one into
    /// categories: what it needs is to be left out).
    static func freeTextFeature(_ name: String, kind: String) -> ModelshError {
        ModelshError.usage("column '\(name)' is free text, too varied to be a category; '\(kind)' cannot use it as a feature (leave it out of features=)")
    }

    /// The error when every row misses one of the `required` columns, naming those that hold no
    /// value at all (a trailing comma on every line of a file makes such a column).
    private static func noCompleteRows(_ required: [Column], rowCount: Int, what: String, roles: [String: ColumnRole] = [:]) -> ModelshError {
        if let column = required.first(where: { roles[$0.name] != nil && $0.missingCount == $0.count }) {
            return ModelshError.data("no complete rows: column '\(column.name)', the \(roles[column.name]!.rawValue), has no value in any row", argument: roles[column.name]!.rawValue)
        }
        let empty = required.filter { $0.missingCount == $0.count }.map { "'\($0.name)'" }
        guard !empty.isEmpty else { return ModelshError.data("no complete rows: \(rowCount == 1 ? "the one row" : "each of the \(rowCount) rows") misses \(what)") }
        let columns = empty.count == 1 ? "column \(empty[0]) has" : "columns \(empty.joined(separator: ", ")) have"
        return ModelshError.data("no complete rows: \(columns) no value in any row; leave \(empty.count == 1 ? "it" : "them") out with features=")
    }

    /// The used rows of the feature columns, in schema order.
    var featureColumns: [Column] { Array(data.columns.dropFirst(schema.target == nil ? 0 : 1)) }

    /// The task the target allows among the kind's: a categorical, boolean or text target is
    /// classes (a boolean one a 0/1 quantity to a kind that only regresses); a numeric one is a
    /// quantity; an integer one is a quantity to a kind that can regress, classes to a kind
    /// that only classifies, and so is a numeric one of whole numbers (`1.0`, `2.0`: pandas
    /// writes an integer column so once it has held a missing value, and scikit-learn takes
    /// such labels as classes).
    static func task(for target: Column, kind: String, tasks: [ModelTask], requested: ModelTask?) throws -> ModelTask {
        if let requested {
            guard tasks.contains(requested) else {
                throw ModelshError.usage("'\(kind)' does not do \(requested.rawValue)")
            }
            switch (requested, target.type) {
            case (.regression, .integer), (.regression, .numeric), (.regression, .boolean), (.classification, _): return requested
            default: throw ModelshError.data("target '\(target.name)' is \(target.type.rawValue); regression needs a numeric target")
            }
        }
        switch target.type {
        case .categorical, .text:
            guard tasks.contains(.classification) else {
                // Numbers in another writing (1.234,5) were read as text: the fix is in load.
                if let alternative = NumberMarks().alternatives(separator: nil).first(where: { $0.marks.holdsNumbers(target) }) {
                    throw ModelshError.data("target '\(target.name)' is \(target.type.rawValue), but its values are numbers \(alternative.writing): load … \(alternative.options) reads them as numbers")
                }
                throw ModelshError.data("target '\(target.name)' is \(target.type.rawValue); '\(kind)' needs a numeric target (try a classifier such as logistic)")
            }
            return .classification
        case .boolean:
            return tasks.contains(.classification) ? .classification : .regression
        case .integer:
            return tasks[0]
        case .numeric:
            guard tasks.contains(.regression) else {
                if target.holdsWholeNumbers { return .classification }
                throw ModelshError.data("target '\(target.name)' holds measurements, not whole numbers; '\(kind)' needs classes (a categorical, boolean or integer target)")
            }
            return .regression
        }
    }

    /// The class labels of a classification target, in the order the model indexes them:
    /// a categorical column's level order, false before true, integers in numeric order,
    /// text in code-point order.
    static func classes(of target: Column) throws -> [String] {
        // Most targets miss no value: then no row needs its mask looked up.
        let noneMissing = target.missingCount == 0
        let rows = (0 ..< target.count).lazy.filter { noneMissing || !target.isMissing($0) }
        var ordered: [String]
        switch target.storage {
        case .categories(let codes, let levels):
            var seen = [Bool](repeating: false, count: levels.count)
            for row in rows where levels.indices.contains(Int(codes[row])) { seen[Int(codes[row])] = true }
            ordered = levels.indices.filter { seen[$0] }.map { levels[$0] }
        case .numbers(let values):
            let notWhole = { (row: Int) in
                ModelshError.data("target '\(target.name)' holds \(NumberFormat.shortest(values[row])) in row \(row + 1); classes are categories, booleans or whole numbers, not measurements")
            }
            // One representative row per distinct value, in ascending value order; each is
            // named as the column prints it (false/true, 3). The distinct values are few (at most
            // maximumClasses), so a scan of them per row beats hashing every row, and most rows
            // repeat the value just seen. A value is checked to be whole when first seen.
            var distinct: [(value: Double, row: Int)] = []
            try values.withUnsafeBufferPointer { values in
                var recent = Double.nan
                for row in values.indices where values[row] != recent && (noneMissing || !target.isMissing(row)) {
                    let value = values[row]
                    recent = value
                    guard !distinct.contains(where: { $0.value == value }) else { continue }
                    guard Column.isWholeNumber(value) else { throw notWhole(row) }
                    distinct.append((value, row))
                    guard distinct.count <= maximumClasses else {
                        // A value that is not whole, anywhere, is the more telling error.
                        if let row = rows.first(where: { !Column.isWholeNumber(values[$0]) }) { throw notWhole(row) }
                        throw ModelshError.data("target '\(target.name)' has more than \(maximumClasses) distinct values; a classifier takes at most \(maximumClasses) classes (is it a quantity? use a regression kind)")
                    }
                }
            }
            ordered = distinct.sorted { $0.value < $1.value }.compactMap { target.text(at: $0.row) }
        case .strings(let strings):
            ordered = Set(rows.map { strings[$0] }).sorted()
        }
        guard ordered.count >= 2 else {
            throw ModelshError.data("target '\(target.name)' has only one class\(ordered.first.map { " ('\($0)')" } ?? "") in the rows used; a classifier needs two or more")
        }
        return ordered
    }


    /// The feature columns: those named (the columns of the terms, when features= names
    /// interactions, with the terms over them as indices into the columns: `ModelTerms`), or
    /// every column but the target, the weight and the offset (`roles`) that the kind can use.
    private static func features(of request: FitRequest, target: String?, roles: [String: ColumnRole], kind: String) throws
        -> (columns: [Column], terms: [[Int]]?) {
        guard let items = request.features else {
            return (request.data.columns.filter { $0.name != target && roles[$0.name] == nil && $0.type != .text }, nil)
        }
        var seen = Set<String>()
        for item in items where !seen.insert(item).inserted { throw ModelshError.usage("feature '\(item)' is listed twice") }
        let terms = try ModelTerms.parse(items) { request.data.column(named: $0) != nil }
        let columns = try terms.variables.map { name in
            let column = try request.data.requireColumn(name, datasetName: request.datasetName)
            if name == target || roles[name] != nil {
                throw ModelshError.usage("column '\(name)' is the \(roles[name]?.rawValue ?? "target"); it cannot also be a feature")
            }
            guard column.type != .text else { throw freeTextFeature(name, kind: kind) }
            return column
        }
        // A power of a category or a boolean is the column itself (R's I(f^2) fails on a factor).
        for term in terms.terms {
            for factor in ModelTerms.factors(term) where factor.power > 1 && (columns[factor.column].type == .categorical || columns[factor.column].type == .boolean) {
                throw ModelshError.usage("'\(terms.label(of: term))' raises \(columns[factor.column].type.rawValue) column '\(columns[factor.column].name)' to a power, which leaves it as it is; powers are of numbers")
            }
        }
        return (columns, terms.isPlain ? nil : terms.terms)
    }

    /// `requireFinite` for each column, the first failing one's error; each column is a pass over
    /// every row, so large ones are checked on every core, and Ctrl-C is seen between them.
    private static func requireFinite(_ columns: [Column], of data: Dataset, originalRows: [Int]?) throws {
        let threads = (columns.first?.count ?? 0) * columns.count >= 1 << 20 ? everyCore : 1
        _ = try concurrentMap(columns.count, threads: threads) { index in
            try Interruption.check()
            try requireFinite(columns[index], of: data, originalRows: originalRows)
        }
    }

    /// Infinity has no place in a fit (R's lm refuses it too); NaN is already missing. `column`
    /// (one of `data`'s) holds the used rows; `originalRows` maps them back to the source's row
    /// numbers (nil: the same) for the message.
    private static func requireFinite(_ column: Column, of data: Dataset, originalRows: [Int]?) throws {
        guard let values = column.numbers, !data.numbersAreFinite(column) else { return }
        let noneMissing = column.missingCount == 0
        guard let row = values.indices.first(where: { !values[$0].isFinite && (noneMissing || !column.isMissing($0)) }) else { return }
        throw ModelshError.data("column '\(column.name)' has a non-finite value (\(NumberFormat.shortest(values[row]))) in row \((originalRows?[row] ?? row) + 1)")
    }

    private static func featureSchema(_ column: Column, originalRows: [Int]?) throws -> FeatureSchema {
        guard case .categories(let codes, let levels) = column.storage else {
            return FeatureSchema(name: column.name, type: column.type)
        }
        var present = [Bool](repeating: false, count: levels.count)
        for (row, code) in codes.enumerated() where !column.isMissing(row) {
            guard levels.indices.contains(Int(code)) else {
                throw ModelshError.data("column '\(column.name)' has a category code (\(code)) outside its \(levels.count) levels in row \((originalRows?[row] ?? row) + 1)")
            }
            present[Int(code)] = true
        }
        let used = levels.indices.filter { present[$0] }.map { levels[$0] }
        guard used.count >= 2 else {
            throw ModelshError.data("column '\(column.name)' has only one level\(used.first.map { " ('\($0)')" } ?? "") in the rows used; a categorical feature needs two or more")
        }
        return FeatureSchema(name: column.name, type: .categorical, levels: used)
    }
}

/// A classification target's labels and the lookup from a value's text to its class index.
struct ClassLabels {
    let labels: [String]
    private let index: [String: Int]

    init(_ labels: [String]) {
        self.labels = labels
        index = Dictionary(labels.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The number each label names when a numeric column holds it (false 0, true 1); NaN,
    /// equal to nothing, for a label that is not a number.
    private var numericValues: [Double] {
        labels.map { label -> Double in label == "true" ? 1 : label == "false" ? 0 : Double(label) ?? .nan }
    }

    /// `indices(of:)` as numbers, the form a fit's target takes. A numeric column that misses
    /// nothing and whose classes are 0, 1, … in order (a 0/1 or false/true target) holds its
    /// own class indices: its array is shared, not remade twice over.
    func numberedIndices(of column: Column) throws -> [Double] {
        if case .numbers(let values) = column.storage, column.missingCount == 0,
           numericValues.enumerated().allSatisfy({ $1 == Double($0) }),
           values.allSatisfy({ $0 >= 0 && $0 < Double(labels.count) && Double(Int($0)) == $0 }) {
            return values
        }
        return try indices(of: column).map(Double.init)
    }

    /// Each row's class index, -1 where the value is missing; a class training never saw is
    /// an error naming it. A categorical column is mapped level by level, not row by row.
    func indices(of column: Column) throws -> [Int] {
        if case .categories(let codes, let levels) = column.storage {
            let classOfLevel = levels.map { index[$0] }
            return try codes.enumerated().map { row, code in
                if column.isMissing(row) { return -1 }
                guard levels.indices.contains(Int(code)), let position = classOfLevel[Int(code)] else {
                    throw ModelshError.data("target '\(column.name)' has class '\(column.text(at: row) ?? "")' in row \(row + 1), not seen in training (classes: \(TerminalText.listing(labels)))")
                }
                return position
            }
        }
        if case .numbers(let values) = column.storage {
            // Labels of numeric classes are the values as printed: whole numbers, false, true.
            // The classes are few, so a scan of their values per row beats hashing every row.
            // NaN (equal to nothing) for a label that is not a number.
            let classValues = numericValues
            let noneMissing = column.missingCount == 0
            var indices = [Int](repeating: -1, count: values.count)
            for row in values.indices where noneMissing || !column.isMissing(row) {
                indices[row] = try classValues.firstIndex(of: values[row]) ?? lookUp(column, row)
            }
            return indices
        }
        return try (0 ..< column.count).map { row in try lookUp(column, row) }
    }

    /// The class of `row` by its printed value.
    private func lookUp(_ column: Column, _ row: Int) throws -> Int {
        guard let text = column.text(at: row) else { return -1 }
        guard let position = index[text] else {
            throw ModelshError.data("target '\(column.name)' has class '\(text)' in row \(row + 1), not seen in training (classes: \(TerminalText.listing(labels)))")
        }
        return position
    }
}

/// Runs `body`, naming `argument` as the one at fault in any error that names none, so the
/// shell's caret points at `target=` or `features=` rather than at the command.
func blaming<T>(_ argument: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch var error as ModelshError {
        if error.argument == nil { error.argument = argument }
        throw error
    }
}
