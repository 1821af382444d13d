import Diagnostics
import Numerics

/// A model value that breaks an invariant the code relies on, said plainly, e.g. "linear state
/// has 3 estimates for 4 terms". A model file can be edited by anyone, so decoding checks
/// every such invariant and refuses the file rather than letting `predict` or `summary` trap.
struct Inconsistency: Error {
    let message: String
}

func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw Inconsistency(message: message()) }
}

extension Decoder {
    /// Runs `check`, turning an inconsistency into the decoding error for this value, which
    /// the Store reports as "damaged model file (field 'model': …)".
    func requireConsistent(_ check: () throws -> Void) throws {
        do {
            try check()
        } catch let problem as Inconsistency {
            throw DecodingError.dataCorrupted(.init(codingPath: codingPath, debugDescription: problem.message))
        }
    }
}

// MARK: - Model

extension Model {
    /// Checks what ties the parts together: the kind names the state, the schema is one a fit
    /// could make, the options are the kind's, and the state fits the schema.
    func check() throws {
        try require(kind == state.kind, "kind '\(kind)' does not match its \(state.kind) state")
        try schema.check()
        try training.check()
        if let spec = ModelCatalogue.kind(named: kind) {
            do {
                _ = try spec.normalisedOptions(training.options)
            } catch let error as ModelshError {
                throw Inconsistency(message: error.message)
            }
        }
        switch state {
        case .linear(let learned): try learned.check(schema: schema, training: training)
        }
    }
}

extension ModelState {
    /// The catalogue name of the kind that learned this state.
    var kind: String {
        switch self {
        case .linear: LinearRegression.kind.name
        }
    }
}

extension TrainingSchema {
    /// The features are distinct, none is the target, and each is one a fit could make. What
    /// the target may be depends on the kind.
    func check() throws {
        var seen = Set<String>()
        for feature in features {
            try require(seen.insert(feature.name).inserted, "feature '\(feature.name)' is listed twice")
            try require(feature.name != target.name, "feature '\(feature.name)' is also the target")
            try feature.check()
        }
    }
}

extension FeatureSchema {
    /// A numeric, integer or boolean feature has no levels; a categorical one has two or more
    /// distinct levels, as a fit makes it.
    func check() throws {
        try require(!name.isEmpty && !TerminalText.containsControlCharacters(name), "a feature name is empty or holds control characters")
        try require(type != .text, "feature '\(name)' is text; a model cannot use text")
        guard let levels else {
            try require(type != .categorical, "categorical feature '\(name)' has no levels")
            return
        }
        try require(type == .categorical, "\(type.rawValue) feature '\(name)' has levels")
        try require(levels.count >= 2, "categorical feature '\(name)' has \(levels.count) level\(levels.count == 1 ? "" : "s"), needs two or more")
        try require(Set(levels).count == levels.count, "categorical feature '\(name)' repeats a level")
    }
}

extension TrainingInfo {
    func check() throws {
        try require(rowsUsed > 0, "training used \(rowsUsed) rows")
        try require(rowsDropped >= 0, "training dropped \(rowsDropped) rows")
    }
}

// MARK: - Linear state

extension LinearRegression.Learned {
    /// What the state must satisfy on its own: one estimate and flag per term, a rank that
    /// counts the terms not aliased, a rank × rank covariance, enough observations, and
    /// finite numbers wherever they are used.
    func check() throws {
        let p = terms.count
        try require(p > 0, "linear state has no terms")
        try require(estimates.count == p, "linear state has \(estimates.count) estimates for \(p) terms")
        try require(aliased.count == p, "linear state has \(aliased.count) aliased flags for \(p) terms")
        let kept = aliased.filter { !$0 }.count
        try require(rank == kept, "linear state has rank \(rank) but \(kept) terms not aliased")
        try require(unscaledCovariance.count == rank * rank,
                    "linear state has \(unscaledCovariance.count) covariance entries for rank \(rank) (needs \(rank * rank))")
        try require(observations > 0, "linear state has \(observations) observations")
        try require(observations >= rank, "linear state has \(observations) observations for rank \(rank)")
        for (term, (estimate, isAliased)) in zip(terms, zip(estimates, aliased)) where !isAliased {
            try require(estimate.isFinite, "estimate of '\(term)' is \(NumberFormat.shortest(estimate))")
        }
        try require(unscaledCovariance.allSatisfy(\.isFinite), "linear state has a non-finite covariance entry")
        try require(residualSumOfSquares.isFinite && residualSumOfSquares >= 0,
                    "residual sum of squares is \(NumberFormat.shortest(residualSumOfSquares))")
        try require(modelSumOfSquares.isFinite && modelSumOfSquares >= 0,
                    "model sum of squares is \(NumberFormat.shortest(modelSumOfSquares))")
        try require(residualQuantiles.count == 5, "linear state has \(residualQuantiles.count) residual quantiles, needs 5")
        try require(residualQuantiles.allSatisfy(\.isFinite), "a residual quantile is not finite")
        try require(zip(residualQuantiles, residualQuantiles.dropFirst()).allSatisfy { $0 <= $1 }, "the residual quantiles are not in order")
        try require((0 ..< rank).allSatisfy { unscaledCovariance[$0 * rank + $0] >= 0 }, "a variance in the covariance is negative")
    }

    /// What ties the state to the model around it: a numeric target, one term per design
    /// column, the training rows counted alike, and the intercept option saying what was fitted.
    func check(schema: TrainingSchema, training: TrainingInfo) throws {
        try require(schema.target.type.isNumeric && schema.target.levels == nil,
                    "target '\(schema.target.name)' is \(schema.target.type.rawValue); a linear model's target is numeric")
        let encoder = FeatureEncoder(schema: schema, hasIntercept: hasIntercept)
        try require(terms.count == encoder.designColumns, "linear state has \(terms.count) terms for \(encoder.designColumns) design columns")
        let expected = (hasIntercept ? ["(Intercept)"] : []) + encoder.columnNames
        if let index = terms.indices.first(where: { terms[$0] != expected[$0] }) {
            throw Inconsistency(message: "term \(index + 1) is '\(TerminalText.escaped(terms[index]))' where the schema makes '\(TerminalText.escaped(expected[index]))'")
        }
        try require(observations == training.rowsUsed, "linear state has \(observations) observations but training used \(training.rowsUsed) rows")
        if let option = training.options["intercept"] {
            try require(Switch.value(option) == hasIntercept, "option intercept=\(option) but hasIntercept is \(hasIntercept)")
        }
    }
}
