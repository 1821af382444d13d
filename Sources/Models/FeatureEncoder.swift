import Diagnostics
import Numerics
import Tabular

/// A model's design matrix: the intercept's column of ones (when fitted), then one column per
/// encoded feature column.
struct EncodedFeatures {
    let matrix: Matrix
    /// False where an input is missing or not finite: such rows get no prediction.
    let usable: [Bool]
}

/// Turns dataset columns into model inputs following a training schema: integer and numeric
/// features as they are, boolean features as 0/1; a categorical feature as one 0/1 indicator
/// per level after the first, R's treatment contrasts with the first level as the reference.
/// Without an intercept the first categorical feature keeps every level, as R's model.matrix
/// does: the full set is then identifiable and stands in for the intercept. Levels are matched
/// by name, so the new data's own level order does not matter.
struct FeatureEncoder {
    let schema: TrainingSchema
    let hasIntercept: Bool

    /// The encoded columns' names as R's `lm` names them: `Petal.Width`, `Speciesversicolor`,
    /// and `flagTRUE` for a boolean (R's logical) feature.
    var columnNames: [String] {
        schema.features.enumerated().flatMap { index, feature -> [String] in
            guard let levels = feature.levels else { return [feature.type == .boolean ? feature.name + "TRUE" : feature.name] }
            return levels.dropFirst(referenceLevels(feature: index)).map { feature.name + $0 }
        }
    }

    /// How many columns feature `index` encodes to.
    func columnCount(feature index: Int) -> Int {
        guard let levels = schema.features[index].levels else { return 1 }
        return max(0, levels.count - referenceLevels(feature: index))
    }

    /// The design matrix's width: the intercept's column, if any, and every encoded column.
    var designColumns: Int {
        schema.features.indices.reduce(hasIntercept ? 1 : 0) { $0 + columnCount(feature: $1) }
    }

    /// How many leading levels of the categorical feature at `index` get no indicator: 1 (the
    /// reference), or 0 for the first categorical feature of a model without intercept.
    private func referenceLevels(feature index: Int) -> Int {
        if hasIntercept { return 1 }
        let firstCategorical = schema.features.firstIndex { $0.levels != nil }
        return index == firstCategorical ? 0 : 1
    }

    /// The design matrix for every row of `data`, built in place (`designColumns` × rows
    /// doubles, once). Columns the schema does not name are ignored.
    func design(_ data: Dataset) throws -> EncodedFeatures {
        let n = data.rowCount
        var usable = [Bool](repeating: true, count: n)
        var values: [Double] = []
        values.reserveCapacity(n * designColumns)
        if hasIntercept { values.append(contentsOf: repeatElement(1, count: n)) }
        for (index, feature) in schema.features.enumerated() {
            let column = try Self.column(feature.name, in: data)
            guard let levels = feature.levels else {
                values += try numbers(column, as: feature, usable: &usable)
                continue
            }
            let dropped = referenceLevels(feature: index)
            let start = values.count
            values.append(contentsOf: repeatElement(0, count: n * columnCount(feature: index)))
            for (row, level) in try levelIndices(column, levels: levels, usable: &usable).enumerated() where level >= dropped {
                values[start + (level - dropped) * n + row] = 1
            }
        }
        return EncodedFeatures(matrix: Matrix(rows: n, columns: designColumns, values: values), usable: usable)
    }

    /// The design matrix times `coefficients` (one per design column), without building the
    /// matrix: a categorical feature adds its level's coefficient, so memory stays one value
    /// per row however many levels there are. NaN where an input is missing or not finite
    /// (`usable` false).
    func linearPredictor(_ data: Dataset, coefficients: [Double]) throws -> (values: [Double], usable: [Bool]) {
        guard coefficients.count == designColumns else {
            throw ModelshError(.software, "the model has \(coefficients.count) coefficients for \(designColumns) design columns")
        }
        var usable = [Bool](repeating: true, count: data.rowCount)
        var result = [Double](repeating: hasIntercept ? coefficients[0] : 0, count: data.rowCount)
        var offset = hasIntercept ? 1 : 0
        for (index, feature) in schema.features.enumerated() {
            let column = try Self.column(feature.name, in: data)
            if let levels = feature.levels {
                let dropped = referenceLevels(feature: index)
                for (row, level) in try levelIndices(column, levels: levels, usable: &usable).enumerated() where level >= dropped {
                    result[row] += coefficients[offset + level - dropped]
                }
            } else {
                let slope = coefficients[offset], values = try numbers(column, as: feature, usable: &usable)
                if slope != 0 { for row in result.indices { result[row] += slope * values[row] } }
            }
            offset += columnCount(feature: index)
        }
        for row in result.indices where !usable[row] { result[row] = .nan }
        return (result, usable)
    }

    /// The target's values in `data` (NaN where missing), for evaluation.
    static func targetValues(of schema: TrainingSchema, in data: Dataset) throws -> [Double] {
        guard let column = data.column(named: schema.target.name) else {
            throw ModelshError.usage("the data has no column '\(schema.target.name)', the target the model was trained on")
        }
        guard column.type.isNumeric, let values = column.numbers else {
            throw ModelshError.data("target '\(column.name)' is \(column.type.rawValue) here but was \(schema.target.type.rawValue) in training")
        }
        return values
    }

    private static func column(_ name: String, in data: Dataset) throws -> Column {
        if let column = data.column(named: name) { return column }
        throw ModelshError.usage("column '\(name)' used by the model is not in the data" + EditDistance.didYouMean(name, among: data.columnNames))
    }

    /// The feature's numbers, 0 where missing or not finite (and the row marked unusable).
    private func numbers(_ column: Column, as feature: FeatureSchema, usable: inout [Bool]) throws -> [Double] {
        guard column.type.isNumeric, let values = column.numbers else {
            throw ModelshError.data("column '\(column.name)' is \(column.type.rawValue) here but was \(feature.type.rawValue) in training")
        }
        if feature.type == .boolean, let row = values.indices.first(where: { !column.isMissing($0) && values[$0] != 0 && values[$0] != 1 }) {
            // A boolean's coefficient is a switch (R's bTRUE), not a slope to extrapolate along.
            throw ModelshError.data("column '\(column.name)' was boolean in training but holds \(NumberFormat.shortest(values[row])) in row \(row + 1)")
        }
        for row in values.indices where column.isMissing(row) || !values[row].isFinite { usable[row] = false }
        return values.map { $0.isFinite ? $0 : 0 }
    }

    /// Each row's index in `levels`; -1 where the value is missing (and the row marked
    /// unusable). Text columns are accepted too: a small file of new cases may well be read
    /// as text where training saw categories.
    private func levelIndices(_ column: Column, levels: [String], usable: inout [Bool]) throws -> [Int] {
        guard column.type == .categorical || column.type == .text else {
            throw ModelshError.data("column '\(column.name)' is \(column.type.rawValue) here but was categorical in training")
        }
        var index: [String: Int] = [:]
        for (position, level) in levels.enumerated() where index[level] == nil { index[level] = position }
        return try (0 ..< column.count).map { row in
            guard let value = column.text(at: row) else {
                usable[row] = false
                return -1
            }
            guard let level = index[value] else {
                throw ModelshError.data("column '\(column.name)' has level '\(value)' not seen in training (levels: \(Self.listing(levels)))")
            }
            return level
        }
    }

    /// "a, b, c", or the first ten and a count when there are more.
    private static func listing(_ levels: [String]) -> String {
        guard levels.count > 10 else { return levels.joined(separator: ", ") }
        return levels.prefix(10).joined(separator: ", ") + ", … (\(levels.count) in all)"
    }
}
