import Diagnostics
import Numerics
import Tabular

/// k-means clustering (scikit-learn's KMeans: greedy k-means++ seeding, Lloyd iterations, the
/// best of restarts= runs by inertia), on the standardised design by default.
public enum KMeansModel: Learner {
    public static let name = "kmeans"
    public static let summary = "k-means clustering (k=, k-means++, restarts=); predict assigns each row its cluster"
    public static let tasks: [ModelTask] = [.clustering]
    public static let preprocessing: [CommonOption] = [.impute, .scale, .poly]
    public static let options = [
        ModelOptionSpec(name: "k", help: "how many clusters (default 8, as scikit-learn)"),
        ModelOptionSpec(name: "restarts", help: "independent k-means++ runs, the best kept (default 1, scikit-learn's n_init='auto')"),
        ModelOptionSpec(name: "max_iter", help: "Lloyd iterations per run at most (default 300)"),
        ModelOptionSpec(name: "tol", help: "stop when centres move less than tol times the mean feature variance (default 1e-4)"),
        ModelOptionSpec(name: "seed", help: "random seed for the seeding (default 42)"),
    ]

    public typealias Parameters = KMeansOptions

    public static func parameters(_ options: [String: String]) throws -> KMeansOptions {
        let values = OptionValues(options)
        return KMeansOptions(clusterCount: try values.integer("k", default: 8, in: 1 ... 100_000, "a whole number ≥ 1"),
                             restarts: try values.integer("restarts", default: 1, in: 1 ... 10_000, "a whole number ≥ 1"),
                             maximumIterations: try values.integer("max_iter", default: 300, in: 1 ... 1_000_000, "a whole number ≥ 1"),
                             tolerance: try values.number("tol", default: 1e-4, in: 0 ... 1, "a number from 0 to 1"),
                             seed: UInt64(try values.integer("seed", default: 42, in: 0 ... Int.max, "a whole number ≥ 0")))
    }

    public static func encoding(_ parameters: KMeansOptions) -> CategoricalEncoding { .indicators }
    /// Distances need features on one scale.
    public static func defaultScale(_ parameters: KMeansOptions) -> ScaleMethod { .standard }

    public static func fit(_ problem: TrainingProblem, _ parameters: KMeansOptions) throws -> KMeansState {
        guard parameters.clusterCount <= problem.design.rows else {
            let rows = problem.design.rows
            throw ModelshError.usage("k=\(parameters.clusterCount) is more than the \(rows) row\(rows == 1 ? "" : "s")", argument: "k")
        }
        return KMeansState(model: try KMeans.fit(problem.design, options: parameters, progress: problem.progress).model)
    }
}

extension KMeansOptions: ModelParameters {}

public struct KMeansState: LearnedState {
    public let model: KMeans

    public func predict(_ inputs: ModelInputs) throws -> RawPrediction {
        let labels = try model.predict(inputs.design)
        let centres = model.centres, x = inputs.design
        let distances = labels.enumerated().map { row, label in
            (0 ..< x.columns).reduce(0.0) { sum, j in
                let d = x[row, j] - centres[label, j]
                return sum + d * d
            }
        }
        return .clusters(labels, squaredDistances: distances, count: model.clusterCount)
    }

    public func summary(of model: Model, options: SummaryOptions) -> Report {
        var report = Report()
        let kmeans = self.model
        report.add("k-means: \(kmeans.clusterCount) clusters, inertia \(NumberFormat.significant(kmeans.inertia)) after \(kmeans.iterations) iterations\(kmeans.converged ? "" : " (did not converge)")")
        let terms = model.terms.map(TerminalText.escaped)
        var table = TextTable(headers: ["cluster", "size"] + terms, alignments: Array(repeating: .right, count: terms.count + 2))
        let centres = kmeans.centres
        for c in 0 ..< kmeans.clusterCount {
            table.append(["\(c + 1)", "\(kmeans.sizes[c])"] + terms.indices.map { NumberFormat.significant(centres[c, $0], digits: 4) })
        }
        report.add("Centres (in the \(model.preprocessing.settings.scale == .none ? "design's" : "\(model.preprocessing.settings.scale.rawValue)-scaled") units):")
        report.add(table)
        return report
    }

    public var warnings: [String] {
        var warnings = model.converged ? [] : ["k-means stopped after \(model.iterations) iterations without converging (raise max_iter=)"]
        // As scikit-learn's ConvergenceWarning: with fewer distinct rows than clusters some stay empty.
        let empty = model.sizes.filter { $0 == 0 }.count
        if empty > 0 {
            warnings.append("\(empty) of the \(model.clusterCount) clusters \(empty == 1 ? "is" : "are") empty: the rows used have fewer distinct points than k=\(model.clusterCount)")
        }
        return warnings
    }

    public func check(in model: Model) throws {
        try require(model.task == .clustering, "a k-means model clusters")
        try engineCheck { try self.model.validate(featureCount: model.preprocessing.terms.count) }
        let rows = model.training.rowsUsed
        try require(self.model.sizes.allSatisfy { $0 <= rows } && self.model.sizes.reduce(0, +) == rows, "the cluster sizes do not add up to the rows used")
    }
}

/// Principal components (scikit-learn's PCA: centred, by SVD; signs as svd_flip), keeping k=
/// components or as many as explain variance= of the variance.
public enum PCAModel: Learner {
    public static let name = "pca"
    public static let summary = "principal components (k= or variance=); predict or transform gives the component scores"
    public static let tasks: [ModelTask] = [.components]
    public static let preprocessing: [CommonOption] = [.impute, .scale, .poly]
    public static let options = [
        ModelOptionSpec(name: "k", help: "how many components to keep (default: all)"),
        ModelOptionSpec(name: "variance", help: "keep the fewest components explaining more than this share of the variance, e.g. 0.95"),
    ]

    public struct Parameters: ModelParameters {
        public let keeping: PCAComponentCount
    }

    public static func parameters(_ options: [String: String]) throws -> Parameters {
        let values = OptionValues(options)
        if options["k"] != nil, options["variance"] != nil {
            throw ModelshError.usage("give k= or variance=, not both", argument: "variance")
        }
        if options["k"] != nil { return Parameters(keeping: .count(try values.integer("k", default: 1, in: 1 ... 1_000_000, "a whole number ≥ 1"))) }
        if options["variance"] != nil {
            return Parameters(keeping: .varianceRatio(try values.number("variance", default: 1, in: Double.leastNonzeroMagnitude ... 1, "a share in (0, 1]")))
        }
        return Parameters(keeping: .all)
    }

    public static func encoding(_ parameters: Parameters) -> CategoricalEncoding { .indicators }

    public static func fit(_ problem: TrainingProblem, _ parameters: Parameters) throws -> PCAState {
        if case .count(let k) = parameters.keeping, k > min(problem.design.rows, problem.design.columns) {
            let components = min(problem.design.rows, problem.design.columns)
            throw ModelshError.usage("k=\(k) is more than the \(components) component\(components == 1 ? "" : "s") the data has", argument: "k")
        }
        return PCAState(model: try PCA(fitting: problem.design, keeping: parameters.keeping))
    }
}


public struct PCAState: LearnedState {
    public let model: PCA

    public func predict(_ inputs: ModelInputs) throws -> RawPrediction {
        let scores = try model.transform(inputs.design)
        let back = try model.inverseTransform(scores)
        let x = inputs.design
        let errors = (0 ..< x.rows).map { row in
            (0 ..< x.columns).reduce(0.0) { sum, j in
                let d = x[row, j] - back[row, j]
                return sum + d * d
            }
        }
        return .components(scores, squaredErrors: errors)
    }

    public func summary(of model: Model, options: SummaryOptions) -> Report {
        var report = Report()
        let pca = self.model
        var variance = TextTable(headers: ["component", "sd", "variance share", "cumulative"], alignments: [.left, .right, .right, .right])
        var cumulative = 0.0
        for c in 0 ..< pca.componentCount {
            cumulative += pca.explainedVarianceRatio[c]
            variance.append(["PC\(c + 1)", NumberFormat.significant(pca.explainedVariance[c].squareRoot(), digits: 4),
                             NumberFormat.significant(pca.explainedVarianceRatio[c], digits: 4), NumberFormat.significant(cumulative, digits: 4)])
        }
        report.add("Principal components: \(pca.componentCount) of \(pca.featureCount) (variance with n − 1)")
        report.add(variance)
        if model.preprocessing.settings.scale == .standard {
            // StandardScaler's population sd, then variance with n − 1 (scikit-learn's pipeline); R's prcomp scales by the sample sd.
            let n = Double(model.training.rowsUsed)
            report.add("(scale=standard divides by the population sd, as scikit-learn's StandardScaler: these sds are √(n/(n−1)) = "
                       + "\(NumberFormat.significant((n / (n - 1)).squareRoot(), digits: 5)) times R's prcomp(scale. = TRUE); shares are the same, loadings up to sign)")
        }
        let shown = min(pca.componentCount, 6)
        var loadings = TextTable(headers: ["term"] + (0 ..< shown).map { "PC\($0 + 1)" }, alignments: [.left] + Array(repeating: .right, count: shown))
        let matrix = pca.componentMatrix
        for (j, term) in model.terms.enumerated() {
            loadings.append([TerminalText.escaped(term)] + (0 ..< shown).map { NumberFormat.significant(matrix[$0, j], digits: 4) })
        }
        report.add("Loadings\(shown < pca.componentCount ? " (first \(shown) components)" : ""):")
        report.add(loadings)
        return report
    }

    public func check(in model: Model) throws {
        try require(model.task == .components, "a PCA model gives components")
        try engineCheck { try self.model.validate(featureCount: model.preprocessing.terms.count) }
    }
}
