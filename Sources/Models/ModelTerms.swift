import Diagnostics

/// The terms of a model as R's formula makes them from `features=`: a column alone is a main
/// effect, `a:b` the interaction of its columns (their product), `a*b` the columns and every
/// interaction among them (`a + b + a:b`; `a*b*c` goes up to `a:b:c`).
///
/// As R's `terms()`: repeated terms count once, and terms are ordered by how many columns they
/// join (main effects, then two-way interactions, …), each degree in the order written. The
/// columns of a term are named in the order the columns first appear once the terms are so
/// ordered, so `hp:wt, wt` becomes `wt`, `wt:hp` (R keeps the written order, `hp:wt`: the same
/// column under another name): then the labels (`labels`) read back as the same terms with
/// the columns in the same order, which is how a model's fit is repeated.
public struct ModelTerms: Sendable, Equatable {
    /// The columns, in order of first appearance in the ordered terms.
    public let variables: [String]
    /// Each term as the indices of its columns in `variables`, ascending.
    public let terms: [[Int]]

    /// The terms of `items` (each a column name, `a:b` or `a*b`). `isColumn` tells a column
    /// whose own name holds ':' or '*' (quoted in features=) from an interaction.
    public static func parse(_ items: [String], isColumn: (String) -> Bool) throws -> ModelTerms {
        let written = try items.map { item in try isColumn(item) ? [[item]] : expanded(item) }
        var unique: [[String]] = []
        for term in written.joined() where !unique.contains(where: { Set($0) == Set(term) }) { unique.append(term) }
        // A stable sort by degree, as R's terms() with keep.order = FALSE.
        let ordered = unique.enumerated().sorted { ($0.element.count, $0.offset) < ($1.element.count, $1.offset) }.map(\.element)
        var variables: [String] = []
        for name in ordered.joined() where !variables.contains(name) { variables.append(name) }
        // Labels join names with ':', so such a name would not read back as one column.
        if ordered.contains(where: { $0.count > 1 }), let name = variables.first(where: { $0.contains(":") || $0.contains("*") }) {
            throw ModelshError.usage("column '\(name)' has ':' or '*' in its name, which joins the columns of an interaction; derive a copy under another name to use it with interaction terms", argument: "features")
        }
        return ModelTerms(variables: variables, terms: ordered.map { term in term.map { variables.firstIndex(of: $0)! }.sorted() })
    }

    /// Whether a term joins two or more columns: without one, the model is its main effects
    /// in order, as a plain list of features makes it.
    public var hasInteractions: Bool { terms.contains { $0.count > 1 } }

    /// The terms as written in features= (`wt`, `wt:hp`): parsed again, they give these terms.
    public var labels: [String] { terms.map { label(of: $0) } }

    public func label(of term: [Int]) -> String { term.map { variables[$0] }.joined(separator: ":") }

    /// Each term an item `a`, `a:b` or `a*b:c` makes, as the names of its columns (each once).
    private static func expanded(_ item: String) throws -> [[String]] {
        // `*` joins factors; `:` binds tighter, so `a*b:c` is a + b:c + a:b:c, as in R.
        let factors = try item.split(separator: "*", omittingEmptySubsequences: false).map { factor in
            let names = factor.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingSpaces }
            guard !names.contains(where: \.isEmpty) else {
                throw ModelshError.usage("'\(item)' is not a term: a term is a column, a:b (their interaction) or a*b (a, b and a:b)", argument: "features")
            }
            return names
        }
        guard factors.count <= maximumFactors else {
            throw ModelshError.usage("'\(item)' crosses \(factors.count) terms, more than \(maximumFactors); list the interactions wanted with ':'", argument: "features")
        }
        // Every non-empty subset of the factors, each the union of its factors' columns.
        return (1 ..< 1 << factors.count).map { subset in
            var names: [String] = []
            for (k, factor) in factors.enumerated() where subset & (1 << k) != 0 {
                for name in factor where !names.contains(name) { names.append(name) }
            }
            return names
        }
    }

    /// `a*b*…` crosses at most this many factors (2^k − 1 terms).
    static let maximumFactors = 8

    /// Whether `term` may join `current` in a stepwise search that keeps R's marginality, as
    /// add1 and step do: every term within it of one column fewer that is also a candidate is
    /// in `current` already.
    func canAdd(_ term: [Int], to current: [[Int]]) -> Bool {
        term.count == 1 || term.indices.allSatisfy { k in
            var margin = term
            margin.remove(at: k)
            return !terms.contains(margin) || current.contains(margin)
        }
    }

    /// Whether `term` may leave `current` keeping R's marginality (drop1): no other term of
    /// `current` contains it.
    static func canDrop(_ term: [Int], from current: [[Int]]) -> Bool {
        !current.contains { $0 != term && Set(term).isSubset(of: $0) }
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
