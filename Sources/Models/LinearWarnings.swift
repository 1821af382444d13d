/// What `fit` says about a least-squares fit whose design is degenerate, which R's lm accepts
/// silently (aliased terms become NA): collinear features, or more coefficients than rows.
extension LinearRegression.Learned {
    public var warnings: [String] {
        var warnings: [String] = []
        let aliasedTerms = zip(terms, aliased).filter(\.1).map(\.0)
        if !aliasedTerms.isEmpty {
            let plural = aliasedTerms.count == 1 ? "" : "s"
            warnings.append("\(aliasedTerms.count) coefficient\(plural) not defined because of singularities (\(aliasedTerms.joined(separator: ", "))): collinear features, or more coefficients than rows")
        }
        if residualDegreesOfFreedom == 0 {
            warnings.append("no residual degrees of freedom (\(observations) row\(observations == 1 ? "" : "s") for \(rank) coefficient\(rank == 1 ? "" : "s")): the fit is exact, so standard errors and tests are not defined")
        }
        return warnings
    }
}
