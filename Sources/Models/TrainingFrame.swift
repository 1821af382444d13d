import Diagnostics
import Numerics
import Tabular

/// The rows and columns a fit uses, as R's model frame: the target and features resolved by
/// name, rows with a missing target or feature dropped and counted, categorical levels
/// narrowed to those present in the rows used (R's `drop.unused.levels`).
///
/// With no feature list, every column except the target is a feature, except free-text
/// columns, which are skipped (they are names and notes, rarely predictors; a categorical
/// column is what R's factor is). Naming a text column as a feature is an error.
struct TrainingFrame {
    let schema: TrainingSchema
    /// The used rows of the target and feature columns, in schema order (target first).
    let data: Dataset
    let rowsDropped: Int

    init(_ request: FitRequest, kind: String) throws {
        let source = request.data
        let target = try blaming("target") { try source.requireColumn(request.target, datasetName: request.datasetName) }
        guard target.type.isNumeric else {
            throw ModelshError.data("target '\(target.name)' is \(target.type.rawValue); '\(kind)' needs a numeric target", argument: "target")
        }
        let features = try blaming("features") { try Self.features(of: request, excluding: target.name, kind: kind) }
        guard source.rowCount > 0 else {
            throw ModelshError.data("dataset '\(request.datasetName)' has no rows")
        }
        guard target.missingCount < source.rowCount else {
            throw ModelshError.data("target '\(target.name)' has no values: all \(source.rowCount) rows are missing", argument: "target")
        }
        let columns = [target] + features
        let complete = (0 ..< source.rowCount).filter { row in columns.allSatisfy { !$0.isMissing(row) } }
        guard !complete.isEmpty else {
            throw ModelshError.data("no complete rows: each of the \(source.rowCount) rows misses the target or a feature")
        }
        try blaming("target") { try Self.requireFinite(target, rows: complete) }
        for column in features { try blaming("features") { try Self.requireFinite(column, rows: complete) } }

        data = try Dataset(columns: columns).selecting(rows: complete)
        rowsDropped = source.rowCount - complete.count
        schema = TrainingSchema(target: FeatureSchema(name: target.name, type: target.type),
                                features: try blaming("features") { try features.map { try Self.featureSchema($0, rows: complete) } })
    }

    /// The target's values in the rows used.
    func targetValues() throws -> [Double] {
        guard let values = data.columns.first?.numbers else {
            throw ModelshError(.software, "the training frame's first column is not the numeric target")
        }
        return values
    }

    private static func features(of request: FitRequest, excluding target: String, kind: String) throws -> [Column] {
        guard let names = request.features else {
            return request.data.columns.filter { $0.name != target && $0.type != .text }
        }
        var seen = Set<String>()
        return try names.map { name in
            let column = try request.data.requireColumn(name, datasetName: request.datasetName)
            guard name != target else {
                throw ModelshError.usage("column '\(name)' is the target; it cannot also be a feature")
            }
            guard seen.insert(name).inserted else {
                throw ModelshError.usage("feature '\(name)' is listed twice")
            }
            guard column.type != .text else {
                throw ModelshError.usage("column '\(name)' is free text; '\(kind)' cannot use it as a feature (make it categorical)")
            }
            return column
        }
    }

    /// Infinity has no place in least squares (R's lm refuses it too); NaN is already missing.
    private static func requireFinite(_ column: Column, rows: [Int]) throws {
        guard let values = column.numbers else { return }
        if let row = rows.first(where: { !values[$0].isFinite }) {
            throw ModelshError.data("column '\(column.name)' has a non-finite value (\(NumberFormat.shortest(values[row]))) in row \(row + 1)")
        }
    }

    private static func featureSchema(_ column: Column, rows: [Int]) throws -> FeatureSchema {
        guard case .categories(let codes, let levels) = column.storage else {
            return FeatureSchema(name: column.name, type: column.type)
        }
        var present = [Bool](repeating: false, count: levels.count)
        for row in rows {
            let code = Int(codes[row])
            guard levels.indices.contains(code) else {
                throw ModelshError.data("column '\(column.name)' has a category code (\(code)) outside its \(levels.count) levels in row \(row + 1)")
            }
            present[code] = true
        }
        let used = levels.indices.filter { present[$0] }.map { levels[$0] }
        guard used.count >= 2 else {
            throw ModelshError.data("column '\(column.name)' has only one level\(used.first.map { " ('\($0)')" } ?? "") in the rows used; a categorical feature needs two or more")
        }
        return FeatureSchema(name: column.name, type: .categorical, levels: used)
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
