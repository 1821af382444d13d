import Diagnostics
import Numerics

extension Column {
    /// This categorical column with `first` as its first levels, in that order, and the others
    /// after them as they were: R's `relevel(f, ref = …)` for one level, `factor(f, levels = …)`
    /// for all. Each row keeps its value; only the order of the levels changes, which is what
    /// chooses the reference level of treatment contrasts and the order of classes.
    /// A column of numbers becomes categorical first, its values the levels in numeric order: R's
    /// `factor(cyl)`, so mtcars' cylinders or ToothGrowth's doses are fitted as categories.
    public func reorderingLevels(first: [String]) throws -> Column {
        guard case .categories(let codes, let levels) = (type.isNumeric && type != .boolean ? categorised() : self).storage else {
            throw ModelshError.usage("column '\(TerminalText.escaped(name))' is \(type.rawValue); only a categorical column or one of numbers has levels to order")
        }
        var position: [String: Int] = [:]
        for (index, level) in levels.enumerated() { position[level] = index }
        var chosen = Set<String>()
        for level in first {
            guard position[level] != nil else {
                throw ModelshError.usage("column '\(TerminalText.escaped(name))' has no level '\(TerminalText.escaped(level))'"
                                         + EditDistance.didYouMean(level, among: levels)
                                         + " (levels: \(TerminalText.listing(levels.map(TerminalText.escaped))))")
            }
            guard chosen.insert(level).inserted else {
                throw ModelshError.usage("level '\(TerminalText.escaped(level))' is given twice")
            }
        }
        let order = first.map { position[$0]! } + levels.indices.filter { !chosen.contains(levels[$0]) }
        var newCode = [Int32](repeating: -1, count: levels.count)
        for (newPosition, oldCode) in order.enumerated() { newCode[oldCode] = Int32(newPosition) }
        return Column(name: name, type: .categorical, storage: .categories(codes: codes.map { $0 < 0 ? -1 : newCode[Int($0)] },
                                                                   levels: order.map { levels[$0] }),
                      missing: missing)
    }

    /// This column of numbers as a categorical one: a level per distinct value, in numeric order,
    /// written as `show` writes the value.
    private func categorised() -> Column {
        guard case .numbers(let values) = storage else { return self }
        let distinct = Set((0 ..< count).lazy.filter { !self.missing[$0] }.map { values[$0] }).sorted()
        var code: [Double: Int] = [:]
        for (index, value) in distinct.enumerated() { code[value] = index }
        let levels = distinct.map { NumberFormat.shortest($0) }
        return Column.categorical(name, codes: (0 ..< count).map { missing[$0] ? -1 : code[values[$0]]! }, levels: levels)
    }
}
