import Diagnostics
import Numerics
import Tabular

/// The numbers a model computes with, one column per coefficient (the intercept excluded).
struct EncodedFeatures {
    let matrix: Matrix
    /// False where an input is missing or not finite: such rows get no prediction.
    let usable: [Bool]
}

/// Turns dataset columns into model inputs following a training schema: integer, numeric and
/// boolean (0/1) features as they are; a categorical feature as one 0/1 indicator per level
/// after the first, R's treatment contrasts with the first level as the reference. Without an
/// intercept the first categorical feature keeps every level, as R's model.matrix does: the
/// full set is then identifiable and stands in for the intercept. Levels are matched by name,
/// so the new data's own level order does not matter.
struct FeatureEncoder {
    let schema: TrainingSchema
    let hasIntercept: Bool

    /// The encoded columns' names as R's `lm` names them: `Petal.Width`, `Speciesversicolor`.
    var columnNames: [String] {
        schema.features.enumerated().flatMap { index, feature -> [String] in
            guard let levels = feature.levels else { return [feature.name] }
            return levels.dropFirst(referenceLevels(feature: index)).map { feature.name + $0 }
        }
    }

    /// How many leading levels of the categorical feature at `index` get no indicator: 1 (the
    /// reference), or 0 for the first categorical feature of a model without intercept.
    private func referenceLevels(feature index: Int) -> Int {
        if hasIntercept { return 1 }
        let firstCategorical = schema.features.firstIndex { $0.levels != nil }
        return index == firstCategorical ? 0 : 1
    }

    /// Encodes every row of `data`. Columns the schema does not name are ignored.
    func encode(_ data: Dataset) throws -> EncodedFeatures {
        var columns: [[Double]] = []
        var usable = [Bool](repeating: true, count: data.rowCount)
        for (index, feature) in schema.features.enumerated() {
            let column = try Self.column(feature.name, in: data)
            if let levels = feature.levels {
                columns += try indicators(column, levels: levels, dropping: referenceLevels(feature: index), usable: &usable)
            } else {
                columns.append(try numbers(column, as: feature, usable: &usable))
            }
        }
        return EncodedFeatures(matrix: Matrix(rows: data.rowCount, columns: columns), usable: usable)
    }

    /// The target's values in `data` (NaN where missing), for evaluation.
    static func targetValues(of schema: TrainingSchema, in data: Dataset) throws -> [Double] {
        let column = try column(schema.target.name, in: data)
        guard let values = column.numbers else {
            throw ModelshError.data("target '\(column.name)' is \(column.type.rawValue) here but was numeric in training")
        }
        return values
    }

    private static func column(_ name: String, in data: Dataset) throws -> Column {
        if let column = data.column(named: name) { return column }
        throw ModelshError.usage("column '\(name)' used by the model is not in the data" + EditDistance.didYouMean(name, among: data.columnNames))
    }

    private func numbers(_ column: Column, as feature: FeatureSchema, usable: inout [Bool]) throws -> [Double] {
        guard column.type.isNumeric, let values = column.numbers else {
            throw ModelshError.data("column '\(column.name)' is \(column.type.rawValue) here but was \(feature.type.rawValue) in training")
        }
        for row in values.indices where column.isMissing(row) || !values[row].isFinite { usable[row] = false }
        return values.map { $0.isFinite ? $0 : 0 }
    }

    /// One indicator column per level after the first `dropped`. Text columns are accepted too:
    /// a small file of new cases may well be read as text where training saw categories.
    private func indicators(_ column: Column, levels: [String], dropping dropped: Int, usable: inout [Bool]) throws -> [[Double]] {
        guard column.type == .categorical || column.type == .text else {
            throw ModelshError.data("column '\(column.name)' is \(column.type.rawValue) here but was categorical in training")
        }
        let index = Dictionary(uniqueKeysWithValues: levels.enumerated().map { ($1, $0) })
        var result = [[Double]](repeating: [Double](repeating: 0, count: column.count), count: levels.count - dropped)
        for row in 0 ..< column.count {
            guard let value = column.text(at: row) else { usable[row] = false; continue }
            guard let level = index[value] else {
                throw ModelshError.data("column '\(column.name)' has level '\(value)' not seen in training (levels: \(levels.joined(separator: ", ")))")
            }
            if level >= dropped { result[level - dropped][row] = 1 }
        }
        return result
    }
}
