import Diagnostics
import Foundation

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
    /// Each term as the indices of its columns in `variables`, ascending, a column repeated as
    /// often as its power (`wt^2:hp` is [wt, wt, hp]).
    public let terms: [[Int]]

    /// The terms of `items` (each a column name, `a^2`, `a:b` or `a*b`). `isColumn` tells a
    /// column whose own name holds ':', '*' or '^' (quoted in features=) from a term.
    public static func parse(_ items: [String], isColumn: (String) -> Bool) throws -> ModelTerms {
        let written = try items.map { item in try isColumn(item) ? [[Factor(name: item, power: 1)]] : expanded(item) }
        var unique: [[Factor]] = []
        for term in written.joined() where !unique.contains(where: { Set($0) == Set(term) }) { unique.append(term) }
        // A stable sort by degree (the columns a term joins; a power is one column, as R's
        // I(x^2) is one variable), as R's terms() with keep.order = FALSE.
        let ordered = unique.enumerated().sorted { ($0.element.count, $0.offset) < ($1.element.count, $1.offset) }.map(\.element)
        var variables: [String] = []
        for factor in ordered.joined() where !variables.contains(factor.name) { variables.append(factor.name) }
        // Labels join names with ':' and '^', so such a name would not read back as one column.
        if ordered.contains(where: { $0.count > 1 || $0[0].power > 1 }),
           let name = variables.first(where: { $0.contains(":") || $0.contains("*") || $0.contains("^") }) {
            throw ModelshError.usage("column '\(name)' has ':', '*' or '^' in its name, which write interactions and powers; derive a copy under another name to use it in such terms", argument: "features")
        }
        return ModelTerms(variables: variables, terms: ordered.map { term in
            term.flatMap { factor in [Int](repeating: variables.firstIndex(of: factor.name)!, count: factor.power) }.sorted()
        })
    }

    /// Whether every term is one column to the first power, in order: the model is then its
    /// main effects, as a plain list of features makes it.
    public var isPlain: Bool { terms == variables.indices.map { [$0] } }

    /// The terms as written in features= (`wt`, `wt^2`, `wt:hp`): parsed again, they give these terms.
    public var labels: [String] { terms.map { label(of: $0) } }

    public func label(of term: [Int]) -> String {
        Self.factors(term).map { variables[$0.column] + ($0.power > 1 ? "^\($0.power)" : "") }.joined(separator: ":")
    }

    /// A term's factors: each column with its power (`wt^2:hp` is (wt, 2), (hp, 1)).
    static func factors(_ term: [Int]) -> [(column: Int, power: Int)] {
        var factors: [(column: Int, power: Int)] = []
        for column in term {
            if factors.last?.column == column { factors[factors.count - 1].power += 1 } else { factors.append((column, 1)) }
        }
        return factors
    }

    /// Whether `outer` holds every factor of `inner` (R's containment, a power being a
    /// variable of its own: `wt^2` does not contain `wt`).
    static func contains(_ outer: [Int], _ inner: [Int]) -> Bool {
        let factors = Self.factors(outer)
        return Self.factors(inner).allSatisfy { factor in factors.contains { $0 == factor } }
    }

    /// One column to a power, as written in a term.
    private struct Factor: Hashable {
        let name: String
        let power: Int
    }

    /// Each term an item `a`, `a^2`, `a:b` or `a*b:c` makes, as its factors (each column once).
    private static func expanded(_ item: String) throws -> [[Factor]] {
        func notATerm() -> ModelshError {
            ModelshError.usage("'\(item)' is not a term: a term is a column, a power a^2, a:b (their interaction) or a*b (a, b and a:b)", argument: "features")
        }
        // `*` joins factors; `:` binds tighter, so `a*b:c` is a + b:c + a:b:c, as in R.
        let crossed = try item.split(separator: "*", omittingEmptySubsequences: false).map { part in
            try part.split(separator: ":", omittingEmptySubsequences: false).map { written -> Factor in
                let text = written.trimmingSpaces
                guard let caret = text.firstIndex(of: "^") else {
                    guard !text.isEmpty else { throw notATerm() }
                    return Factor(name: text, power: 1)
                }
                let name = String(text[..<caret]), exponent = text[text.index(after: caret)...].trimmingSpaces
                guard !name.isEmpty, let power = Int(exponent), (2 ... PreprocessingSettings.maximumDegree).contains(power) else {
                    throw ModelshError.usage("'\(text)' is not a power of a column: write a^2 up to a^\(PreprocessingSettings.maximumDegree)", argument: "features")
                }
                return Factor(name: name.trimmingCharacters(in: .whitespaces), power: power)
            }
        }
        guard crossed.count <= maximumFactors else {
            throw ModelshError.usage("'\(item)' crosses \(crossed.count) terms, more than \(maximumFactors); list the interactions wanted with ':'", argument: "features")
        }
        // Every non-empty subset of the crossed parts, each the union of their factors.
        return try (1 ..< 1 << crossed.count).map { subset in
            var factors: [Factor] = []
            for (k, part) in crossed.enumerated() where subset & (1 << k) != 0 {
                for factor in part where !factors.contains(factor) {
                    guard !factors.contains(where: { $0.name == factor.name }) else {
                        throw ModelshError.usage("'\(item)' multiplies '\(factor.name)' by a power of itself; write the power wanted, as \(factor.name)^3", argument: "features")
                    }
                    factors.append(factor)
                }
            }
            return factors
        }
    }

    /// `a*b*…` crosses at most this many factors (2^k − 1 terms).
    static let maximumFactors = 8

    /// Whether `term` may join `current` in a stepwise search that keeps R's marginality, as
    /// add1 and step do: every term within it of one factor fewer that is also a candidate is
    /// in `current` already.
    func canAdd(_ term: [Int], to current: [[Int]]) -> Bool {
        let factors = Self.factors(term)
        return factors.count == 1 || factors.indices.allSatisfy { k in
            let margin = factors.indices.filter { $0 != k }.flatMap { [Int](repeating: factors[$0].column, count: factors[$0].power) }
            return !terms.contains(margin) || current.contains(margin)
        }
    }

    /// Whether `term` may leave `current` keeping R's marginality (drop1): no other term of
    /// `current` contains it.
    static func canDrop(_ term: [Int], from current: [[Int]]) -> Bool {
        !current.contains { $0 != term && contains($0, term) }
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
