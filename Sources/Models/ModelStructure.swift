import Numerics

/// What a fitted model learned, in a form two versions can be compared by (`diff`): the
/// coefficients of the linear kinds, and one line about the structure of every kind.
extension Model {
    /// The named coefficients of a linear kind, "(Intercept)" first when it has one (NaN where
    /// R would say NA); for a classifier with several modelled classes, one set per class named
    /// `class:term`. nil for kinds without coefficients.
    public var namedCoefficients: [(term: String, value: Double)]? {
        switch state {
        case let linear as LinearRegression.Learned:
            return Array(zip(linear.terms, linear.coefficients))
        case let penalised as PenalisedLinearState:
            return [("(Intercept)", penalised.intercept)] + zip(terms, penalised.coefficients).map { ($0, $1) }
        case let descent as GradientDescentState:
            return [("(Intercept)", descent.intercept)] + zip(terms, descent.coefficients).map { ($0, $1) }
        case let logistic as LogisticState:
            let perClass = logistic.coefficients.count > 1
            return zip(logistic.modelledClasses, logistic.coefficients).flatMap { modelled, coefficients in
                zip(logistic.terms, zip(coefficients, logistic.aliased)).map { term, value in
                    let name = perClass ? "\(schema.classes[modelled]):\(term)" : term
                    return (name, value.1 ? Double.nan : value.0)
                }
            }
        default:
            return nil
        }
    }

    /// One line about what was learned: "11 coefficients (2 zero)", "a tree of 23 leaves,
    /// depth 5", "100 trees, 2,345 leaves", "3 clusters", "2 components".
    public var structureLine: String {
        func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        func leaves(_ n: Int) -> String { n == 1 ? "1 leaf" : "\(n) leaves" }
        if let coefficients = namedCoefficients {
            let zero = coefficients.filter { $0.value == 0 }.count
            let aliased = coefficients.filter { $0.value.isNaN }.count
            let notes = [zero > 0 ? "\(zero) zero" : nil, aliased > 0 ? "\(aliased) NA" : nil].compactMap { $0 }
            return count(coefficients.count, "coefficient") + (notes.isEmpty ? "" : " (\(notes.joined(separator: ", ")))")
        }
        switch state {
        case let tree as TreeState:
            return "a tree of \(leaves(tree.tree.leafCount)), depth \(tree.tree.depth)"
        case let forest as ForestState:
            let depth = forest.forest.trees.map(\.depth).max() ?? 0
            return "\(count(forest.forest.trees.count, "tree")), \(leaves(forest.forest.trees.reduce(0) { $0 + $1.leafCount })), depth up to \(depth)"
        case let boost as BoostState:
            let leafCount = boost.model.trees.reduce(0) { total, tree in total + tree.feature.filter { $0 < 0 }.count }
            return "\(count(boost.model.rounds, "round")) of \(count(boost.model.treesPerRound, "tree")), \(leaves(leafCount))"
        case let kmeans as KMeansState:
            return count(kmeans.model.clusterCount, "cluster")
        case let pca as PCAState:
            return count(pca.model.components.count / max(pca.model.featureCount, 1), "component")
        case let neighbours as NearestNeighboursState:
            let rows = neighbours.classifier?.neighbours.trainingRows ?? neighbours.regressor?.neighbours.trainingRows ?? 0
            return "\(count(rows, "training row")) kept"
        default:
            return "\(kind): \(count(schema.features.count, "feature"))"
        }
    }
}
