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

/// A state's observation count against the rows its model was trained on (`what` names the
/// state in the message): equal, or with case weights at most that, since rows of weight 0
/// are no observations.
func requireObservations(_ observations: Int, of what: String, in model: Model) throws {
    let rows = model.training.rowsUsed
    try require(model.training.options["weight"] != nil ? observations <= rows : observations == rows,
                "\(what) has \(observations) observations but training used \(rows) rows")
}

/// Runs an engine's own validation, its error becoming the model's inconsistency.
func engineCheck(_ validate: () throws -> Void) throws {
    do {
        try validate()
    } catch let error as ModelshError {
        throw Inconsistency(message: error.message)
    }
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
    /// Checks what ties the parts together: the kind exists and its options give these
    /// parameters, the task fits the target, the schema is one a fit could make, the
    /// preprocessing fits the schema, and the state fits all of it.
    func check() throws {
        guard let spec = ModelCatalogue.kind(named: kind) else {
            throw Inconsistency(message: "unknown model kind '\(kind)'")
        }
        try require(spec.tasks.contains(task), "'\(kind)' does not do \(task.rawValue)")
        try schema.check()
        if let target = schema.target {
            try require(task.hasTarget, "a \(task.rawValue) model has a target")
            try target.check(as: task)
        } else {
            try require(!task.hasTarget, "a \(task.rawValue) model without a target")
        }
        try training.check()
        do {
            let options = try spec.normalisedOptions(training.options)
            try require(options == training.options, "the options are not written as a fit writes them")
            try require(try spec.parametersFromOptions(options).isEqual(to: parameters), "the parameters do not match the options")
            try require(try spec.settingsFromOptions(options) == preprocessing.settings, "the preprocessing settings do not match the options")
        } catch let error as ModelshError {
            throw Inconsistency(message: error.message)
        }
        try preprocessing.check(schema)
        try state.check(in: self)
        try profile?.check(in: self)
    }
}

extension FeatureSchema {
    /// A regression target is a number; a classification target lists two or more distinct classes.
    func check(as task: ModelTask) throws {
        switch task {
        case .regression:
            try require(type.isNumeric && levels == nil, "target '\(name)' is \(type.rawValue); a regression target is numeric")
        case .classification:
            let classes = levels ?? []
            try require(classes.count >= 2, "target '\(name)' has \(classes.count) classes; a classifier needs two or more")
            try require(Set(classes).count == classes.count, "target '\(name)' repeats a class")
        case .clustering, .components:
            throw Inconsistency(message: "a \(task.rawValue) model has a target")
        }
    }
}

extension Preprocessing {
    /// One fill per feature (a valid level for a categorical one), every term a product of
    /// base columns a fit could make, and a finite, positive scale per design column.
    func check(_ schema: TrainingSchema) throws {
        try require((1 ... PreprocessingSettings.maximumDegree).contains(settings.degree), "polynomial degree \(settings.degree) is out of range")
        if !settings.imputes {
            try require(fills.isEmpty, "fill values given but missing values are not filled")
        } else {
            try require(fills.count == schema.features.count, "\(fills.count) fill values for \(schema.features.count) features")
            for (fill, feature) in zip(fills, schema.features) {
                try require(fill.isFinite, "the fill for '\(feature.name)' is not finite")
                if let levels = feature.levels {
                    try require(fill == fill.rounded() && fill >= 0 && fill < Double(levels.count), "the fill for '\(feature.name)' is not one of its levels")
                }
            }
        }
        let expected: [[Int]]
        do {
            expected = try Self.designTerms(schema, base: Self.baseColumns(schema, settings: settings), settings: settings)
        } catch let error as ModelshError {
            throw Inconsistency(message: error.message)
        }
        try require(terms == expected, "the design terms are not those the features and degree make")
        if settings.scale == .none {
            try require(centres.isEmpty && scales.isEmpty, "scaling figures given without scaling")
        } else {
            try require(centres.count == terms.count && scales.count == terms.count, "\(scales.count) scales for \(terms.count) design columns")
            try require(centres.allSatisfy(\.isFinite) && scales.allSatisfy { $0.isFinite && $0 > 0 }, "a centre or scale is not a finite positive number")
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
            try require(feature.name != target?.name, "feature '\(feature.name)' is also the target")
            try feature.check()
        }
        guard let terms else { return }
        try require(!terms.isEmpty, "the model's terms are empty")
        for term in terms {
            try require(!term.isEmpty && term.allSatisfy(features.indices.contains), "a term names a feature the schema does not have")
            try require(zip(term, term.dropFirst()).allSatisfy { $0 <= $1 }, "a term's features are not in order")
            for factor in ModelTerms.factors(term) where factor.power > 1 {
                let feature = features[factor.column]
                try require(feature.levels == nil && feature.type != .boolean && factor.power <= PreprocessingSettings.maximumDegree,
                            "a term raises '\(feature.name)' to a power it cannot take")
            }
        }
        try require(Set(terms).count == terms.count, "a term is listed twice")
        try require(zip(terms, terms.dropFirst()).allSatisfy { ModelTerms.factors($0).count <= ModelTerms.factors($1).count }, "the terms are not in order of degree")
        try require(Set(terms.joined()).count == features.count, "a feature is in no term")
        let reread = try? ModelTerms.parse(termLabels, isColumn: { _ in false })
        try require(reread?.isPlain == false && reread?.variables == features.map(\.name) && reread?.terms == terms,
                    "the terms are not those their labels make")
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
        try require(valuesImputed >= 0, "training imputed \(valuesImputed) values")
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
        try require(logWeightSum?.isFinite ?? true, "the weights' log sum is \(NumberFormat.shortest(logWeightSum ?? 0))")
        try require(residualQuantiles.count == 5 || (residualQuantiles.isEmpty && factor != nil),
                    "linear state has \(residualQuantiles.count) residual quantiles, needs 5")
        try require(factor.map { $0.isConsistent && !$0.centred && $0.columns == p && $0.count == observations } ?? true,
                    "linear state's factor does not match its terms and observations")
        try require(residualQuantiles.allSatisfy(\.isFinite), "a residual quantile is not finite")
        try require(zip(residualQuantiles, residualQuantiles.dropFirst()).allSatisfy { $0 <= $1 }, "the residual quantiles are not in order")
        try require((0 ..< rank).allSatisfy { unscaledCovariance[$0 * rank + $0] >= 0 }, "a variance in the covariance is negative")
    }

    /// What ties the state to the model around it: a regression model, one term per design
    /// column, the training rows counted alike, and the intercept as the preprocessing says.
    public func check(in model: Model) throws {
        try check()
        try require(model.task == .regression, "a linear model does regression")
        try require(hasIntercept == model.preprocessing.settings.hasIntercept, "hasIntercept is \(hasIntercept) but the preprocessing says otherwise")
        let expected = (hasIntercept ? ["(Intercept)"] : []) + model.terms
        try require(terms.count == expected.count, "linear state has \(terms.count) terms for \(expected.count) design columns")
        if let index = terms.indices.first(where: { terms[$0] != expected[$0] }) {
            throw Inconsistency(message: "term \(index + 1) is '\(TerminalText.escaped(terms[index]))' where the schema makes '\(TerminalText.escaped(expected[index]))'")
        }
        let weighted = model.training.options["weight"] != nil
        try require(weighted == (logWeightSum != nil), weighted ? "a weighted linear state lacks its weights' log sum" : "an unweighted linear state has a weights' log sum")
        try requireObservations(observations, of: "linear state", in: model)
    }
}
