import Diagnostics

extension Column {
    /// This categorical column with `first` as its first levels, in that order, and the others
    /// after them as they were: R's `relevel(f, ref = …)` for one level, `factor(f, levels = …)`
    /// for all. Each row keeps its value; only the order of the levels changes, which is what
    /// chooses the reference level of treatment contrasts and the order of classes.
    public func reorderingLevels(first: [String]) throws -> Column {
        guard case .categories(let codes, let levels) = storage else {
            throw ModelshError.usage("column '\(TerminalText.escaped(name))' is \(type.rawValue); only a categorical column has levels to order")
        }
        var position: [String: Int] = [:]
        for (index, level) in levels.enumerated() { position[level] = index }
        var chosen = Set<String>()
        for level in first {
            guard position[level] != nil else {
                throw ModelshError.usage("column '\(TerminalText.escaped(name))' has no level '\(TerminalText.escaped(level))'"
                                         + EditDistance.didYouMean(level, among: levels)
                                         + " (levels: \(levels.map(TerminalText.escaped).joined(separator: ", ")))")
            }
            guard chosen.insert(level).inserted else {
                throw ModelshError.usage("level '\(TerminalText.escaped(level))' is given twice")
            }
        }
        let order = first.map { position[$0]! } + levels.indices.filter { !chosen.contains(levels[$0]) }
        var newCode = [Int32](repeating: -1, count: levels.count)
        for (newPosition, oldCode) in order.enumerated() { newCode[oldCode] = Int32(newPosition) }
        return Column(name: name, type: type, storage: .categories(codes: codes.map { $0 < 0 ? -1 : newCode[Int($0)] },
                                                                   levels: order.map { levels[$0] }),
                      missing: missing)
    }
}
