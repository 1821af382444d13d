/// What `fit` says about a least-squares fit whose design is degenerate, which R's lm accepts
/// silently (aliased terms become NA): collinear features, or more coefficients than rows.
extension LinearRegression.Learned {
    public var warnings: [String] {
        var warnings = SingularityWarning.text(terms: terms, aliased: aliased).map { [$0] } ?? []
        if residualDegreesOfFreedom == 0 {
            warnings.append("no residual degrees of freedom (\(observations) row\(observations == 1 ? "" : "s") for \(rank) coefficient\(rank == 1 ? "" : "s")): the fit is exact, so standard errors and tests are not defined")
        }
        return warnings
    }
}

/// What `fit` says when a design's terms are aliased (R reports them only as NA coefficients):
/// shared by the least-squares and logistic fits.
enum SingularityWarning {
    static func text(terms: [String], aliased: [Bool]) -> String? {
        let aliasedTerms = zip(terms, aliased).filter(\.1).map(\.0)
        guard !aliasedTerms.isEmpty else { return nil }
        let plural = aliasedTerms.count == 1 ? "" : "s"
        return "\(aliasedTerms.count) coefficient\(plural) not defined because of singularities (\(aliasedTerms.joined(separator: ", "))): collinear features, or more coefficients than rows"
    }
}
