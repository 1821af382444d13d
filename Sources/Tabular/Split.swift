import Diagnostics
import Numerics

/// Train/test splits that come out the same on every machine for a given seed.
///
/// Rules (they fix which rows a seed picks, so they may never change):
/// - The test part has ceil(testFraction × n) rows, as scikit-learn's `train_test_split`.
/// - Plain split: `Xoshiro256StarStar(seed)` shuffles the row indices 0..<n (Fisher–Yates from
///   the last index down); the first test-size indices of the shuffle are the test rows.
/// - Stratified split: the strata are the distinct values of the stratify column, in ascending
///   order (level order for a categorical column). Stratum k of n_k rows gets
///   floor(testSize × n_k / n) test rows. With one generator: first each stratum's row indices
///   (ascending) are shuffled, stratum by stratum in that order; then a permutation of the
///   strata (`permutation(of:)`) gives their tie order. The rows still owed to reach the test
///   size go one each to the strata with the largest remainders (testSize × n_k mod n), ties
///   broken by that random order, so small strata are not always the first ones; each stratum's
///   test rows are the first of its shuffled rows.
/// - Both parts keep the rows in their original order, so a split of sorted data stays sorted.
///
/// Errors name the option at fault (`argument` "test" or "stratify"), for the shell's caret.
public enum Split {
    public static func trainTest(_ data: Dataset, testFraction: Double, seed: UInt64, stratify: String? = nil) throws -> (train: Dataset, test: Dataset) {
        guard testFraction > 0, testFraction < 1 else {
            throw ModelshError.usage("test fraction must be between 0 and 1 (exclusive), got \(NumberFormat.shortest(testFraction))",
                                     argument: "test")
        }
        let n = data.rowCount
        guard n > 0 else { throw ModelshError.data("dataset has no rows to split") }
        let testSize = Int((testFraction * Double(n)).rounded(.up))
        guard testSize < n else {
            throw ModelshError.data("a test fraction of \(NumberFormat.shortest(testFraction)) of \(n) row\(n == 1 ? "" : "s") leaves no rows for training",
                                    argument: "test")
        }
        var generator = Xoshiro256StarStar(seed: seed)
        let testRows: [Int]
        if let stratify {
            let strata: [[Int]]
            do {
                strata = try Self.strata(of: data.requireColumn(stratify))
            } catch var error as ModelshError {
                error.argument = error.argument ?? "stratify"
                throw error
            }
            testRows = stratifiedTestRows(strata: strata, rowCount: n, testSize: testSize, generator: &generator)
        } else {
            testRows = Array(generator.permutation(of: n).prefix(testSize))
        }
        var isTest = [Bool](repeating: false, count: n)
        for row in testRows { isTest[row] = true }
        return data.partitioned(by: isTest)
    }

    /// The test rows per stratum, allocated by largest remainder (see the type's documentation).
    static func stratifiedTestRows(strata: [[Int]], rowCount: Int, testSize: Int, generator: inout Xoshiro256StarStar) -> [Int] {
        // testSize × n_k needs 128 bits beyond 3 billion rows.
        let shares = strata.map { rowCount.dividingFullWidth(testSize.multipliedFullWidth(by: $0.count)) }
        var quotas = shares.map(\.quotient)
        let owed = testSize - quotas.reduce(0, +)
        let shuffled = strata.map { stratum -> [Int] in
            var rows = stratum
            generator.shuffle(&rows)
            return rows
        }
        var tieRank = [Int](repeating: 0, count: strata.count)
        for (position, k) in generator.permutation(of: strata.count).enumerated() { tieRank[k] = position }
        let byRemainder = strata.indices.sorted { a, b in
            let remainderA = shares[a].remainder, remainderB = shares[b].remainder
            if remainderA != remainderB { return remainderA > remainderB }
            return tieRank[a] < tieRank[b]
        }
        for k in byRemainder.prefix(owed) { quotas[k] += 1 }
        return strata.indices.flatMap { shuffled[$0].prefix(quotas[$0]) }
    }

    /// The fold (0..<count) of each of `rowCount` rows for k-fold cross-validation, the same on
    /// every machine for a seed. Rules (fixed, as the split's): plain folds shuffle 0..<n with
    /// `Xoshiro256StarStar(seed)`'s `permutation(of:)` and deal the shuffled rows to folds
    /// 0, 1, …, k−1, 0, 1, … in turn. Stratified folds (`strata`: row groups, in class order)
    /// shuffle each stratum's rows with one generator, stratum by stratum, and deal them in
    /// turn with one counter running across the strata, so every fold gets ⌊n_c/k⌋ or ⌈n_c/k⌉
    /// of each class and the fold sizes differ by at most one.
    public static func folds(rowCount: Int, count: Int, seed: UInt64, strata: [[Int]]? = nil) throws -> [Int] {
        guard count >= 2 else {
            throw ModelshError.usage("folds must be at least 2, not \(count)", argument: "folds")
        }
        guard count <= rowCount else {
            throw ModelshError.data("\(count) folds need at least \(count) rows; the data has \(rowCount)", argument: "folds")
        }
        var generator = Xoshiro256StarStar(seed: seed)
        let order: [Int]
        if let strata {
            order = strata.flatMap { stratum in
                generator.permutation(of: stratum.count).map { stratum[$0] }
            }
        } else {
            order = generator.permutation(of: rowCount)
        }
        var fold = [Int](repeating: 0, count: rowCount)
        for (position, row) in order.enumerated() { fold[row] = position % count }
        return fold
    }

    /// Row indices grouped by the column's value, groups in ascending value (or level) order. A
    /// numeric column of whole numbers (class codes written `1.0`, as pandas writes integers once
    /// a column held a missing value) is grouped as an integer one.
    static func strata(of column: Column) throws -> [[Int]] {
        guard column.type != .text, column.type != .numeric || column.holdsWholeNumbers else {
            throw ModelshError.usage("cannot stratify on \(column.type.rawValue) column '\(column.name)': use a categorical, integer or boolean column, or whole numbers")
        }
        // A NaN not marked missing comes only from a hand-edited workspace; it is missing all the same.
        var isMissing = column.isMissing
        if let numbers = column.numbers { isMissing = { column.isMissing($0) || numbers[$0].isNaN } }
        let missingRows = (0..<column.count).filter(isMissing)
        if let first = missingRows.first {
            throw ModelshError.data("cannot stratify on column '\(column.name)': it has \(missingRows.count) missing value\(missingRows.count == 1 ? "" : "s") (first in row \(first + 1))")
        }
        switch column.storage {
        case .categories(let codes, let levels):
            var groups = [[Int]](repeating: [], count: levels.count)
            for (row, code) in codes.enumerated() { groups[Int(code)].append(row) }
            return groups.filter { !$0.isEmpty }
        case .numbers(let values):
            return Dictionary(grouping: values.indices, by: { values[$0] }).sorted { $0.key < $1.key }.map(\.value)
        case .strings:
            return []  // excluded by the type check above
        }
    }
}
