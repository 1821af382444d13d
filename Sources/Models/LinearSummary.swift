import Numerics
import Tabular

/// The content of R's `summary(lm)` for a linear model, as a Report (after the call): residual
/// quantiles, the coefficient table with significance stars, residual standard error,
/// R², adjusted R², the F test, then (beyond R's summary) log-likelihood, AIC and BIC. Numbers are formatted with
/// NumberFormat (7 significant digits, 4 for t values, R's p-value form), so the text is
/// the same on every machine. Unlike R, residuals are always shown as quantiles.
struct LinearSummary {
    let learned: LinearRegression.Learned
    var robust: RobustCovariance? = nil

    func report() -> Report {
        let inference = learned.inference(robust: robust)
        var report = Report()
        if learned.residualQuantiles.isEmpty {
            report.add("Residuals: not kept (an updated or streamed fit does not store every row's residual)")
        } else {
            report.add(learned.logWeightSum == nil ? "Residuals:" : "Weighted residuals:")
            report.add(TextTable(headers: ["Min", "1Q", "Median", "3Q", "Max"], alignments: Array(repeating: .right, count: 5),
                                 rows: [learned.residualQuantiles.map { NumberFormat.significant($0) }]))
        }
        let aliasedCount = learned.aliased.filter { $0 }.count
        report.add(RobustCovariance.coefficientsHeading(aliasedCount: aliasedCount, robust: robust))
        report.add(coefficientTable(inference.coefficients))
        report.add("Residual standard error: \(NumberFormat.significant(inference.residualStandardError)) on \(inference.residualDegreesOfFreedom) degrees of freedom")
        if let r2 = inference.rSquared, let adjusted = inference.adjustedRSquared, let f = inference.fTest {
            // Without an intercept R measures R² about 0, not the mean; evaluate's r2 (scikit-learn's) is about the mean.
            let about = learned.hasIntercept ? "" : " (about 0, as R's without an intercept; evaluate's r2 is about the mean)"
            report.add("Multiple R-squared: \(NumberFormat.significant(r2)), Adjusted R-squared: \(NumberFormat.significant(adjusted))\(about)")
            if let robust, f.statistic.isNaN {
                report.add("Wald F-statistic (\(robust.label)): not defined, the robust covariance of the \(f.numeratorDegreesOfFreedom) coefficients tested being singular (as with fewer clusters than coefficients)")
            } else {
                report.add("\(robust.map { "Wald F-statistic (\($0.label))" } ?? "F-statistic"): \(NumberFormat.significant(f.statistic)) on \(f.numeratorDegreesOfFreedom) and \(f.denominatorDegreesOfFreedom) DF, p-value: \(NumberFormat.pValue(f.pValue))")
            }
        }
        report.add("Log-likelihood: \(NumberFormat.significant(inference.logLikelihood)) (df=\(inference.parameterCount)), AIC: \(NumberFormat.significant(inference.aic)), BIC: \(NumberFormat.significant(inference.bic))")
        return report
    }

    private func coefficientTable(_ coefficients: [LinearInference.Coefficient]) -> TextTable {
        var table = TextTable(headers: ["", "Estimate", "Std. Error", "t value", "Pr(>|t|)", ""],
                              alignments: [.left, .right, .right, .right, .right, .left],
                              footer: "Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1")
        for c in coefficients {
            if c.aliased {
                table.append([c.term, "NA", "NA", "NA", "NA", ""])
            } else {
                table.append([c.term, NumberFormat.significant(c.estimate), NumberFormat.significant(c.standardError),
                              NumberFormat.significant(c.tValue, digits: 4), NumberFormat.pValue(c.pValue), Self.stars(c.pValue)])
            }
        }
        return table
    }

    /// R's significance codes.
    static func stars(_ p: Double) -> String {
        switch p {
        case ..<0.001: return "***"
        case ..<0.01: return "**"
        case ..<0.05: return "*"
        case ..<0.1: return "."
        default: return ""
        }
    }
}
