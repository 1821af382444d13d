import Diagnostics
import Numerics
import Tabular

/// What `fit KIND "file.csv"` needs: the file instead of a dataset.
public struct StreamedFitRequest: Sendable {
    public let path: String
    public let csv: CSVOptions
    public let kind: String
    public let target: String?
    public let features: [String]?
    public let options: [String: String]
    /// Rows folded at a time (nil: a block of the file at a time); tests use a few, to put chunk
    /// boundaries everywhere.
    public let chunkRows: Int?
    /// Bytes of the file read at a time.
    public let blockSize: Int

    public init(path: String, csv: CSVOptions = CSVOptions(), kind: String, target: String?, features: [String]?,
                options: [String: String], chunkRows: Int? = nil, blockSize: Int = 16 << 20) {
        self.path = path
        self.csv = csv
        self.kind = kind
        self.target = target
        self.features = features
        self.options = options
        self.chunkRows = chunkRows
        self.blockSize = blockSize
    }
}

/// Fits linear, ridge and logistic models on a CSV file in chunks, with memory for one block of
/// the file and a (p+1) × (p+1) triangle, however many rows the file has.
///
/// A first pass (`StreamScan`) fixes what the in-memory fit learns from all rows before it
/// solves: the target's task and classes, the levels of categorical features in the rows used,
/// which columns are free text, the row counts, and a bounded sample for the training profile.
/// Then least squares folds each chunk's design into the factor of [X y] (`ScatterFactor`, TSQR:
/// a QR per chunk, never XᵀX) — the factor `update` keeps, so the model is an ordinary one that
/// saves, predicts, summarises and updates — and logistic regression runs R's IRLS with one pass
/// over the file per iteration (`StreamedBinaryIRLS`). Coefficients, standard errors and
/// deviances equal the in-memory fit's to rounding.
///
/// Limits, each refused by name: rows with a missing value are dropped (impute=drop), features
/// are not rescaled (scale=none: the design's means would need a pass of their own), and
/// logistic is binary and unpenalised. A linear model's summary has no residual quantiles (as
/// after `update`): they would need every residual.
public enum StreamedFit {
    public static let kinds = [LinearRegression.name, RidgeRegression.name, LogisticModel.name]

    public static func fit(_ request: StreamedFitRequest) throws -> Model {
        let kind = try ModelCatalogue.requireKind(named: request.kind)
        guard kinds.contains(kind.name) else {
            throw ModelshError.usage("a fit from a file streams linear, ridge and logistic models, not '\(kind.name)'; load the file and fit the dataset")
        }
        let options = try kind.normalisedOptions(request.options)
        let parameters = try kind.parametersFromOptions(options)
        let settings = try kind.settingsFromOptions(options)
        guard settings.impute == .drop else {
            throw ModelshError.usage("a streamed fit drops rows with a missing value (impute=drop); load the file to impute", argument: "impute")
        }
        guard settings.scale == .none else {
            throw ModelshError.usage("a streamed fit does not rescale (scale=none); load the file to rescale", argument: "scale")
        }
        if let logistic = parameters as? LogisticModel.Parameters, logistic.penalty != .none {
            throw ModelshError.usage("a streamed logistic fit is unpenalised (R's glm); load the file for penalty=", argument: "penalty")
        }
        let stream = try CSVStream(path: request.path, options: request.csv, blockSize: request.blockSize)
        let scan = try StreamScan(stream, request: request, kind: kind)
        if kind.name == LogisticModel.name, scan.schema.classes.count != 2 {
            throw ModelshError.usage("a streamed logistic fit takes two classes, not \(scan.schema.classes.count); load the file for a multinomial fit", argument: "target")
        }
        let base = Preprocessing.baseColumns(scan.schema, settings: settings)
        let terms = try Preprocessing.polynomialTerms(base, degree: settings.degree)
        let preprocessing = Preprocessing(settings: settings, fills: [], terms: terms, centres: [], scales: [])
        let termNames = preprocessing.termNames(scan.schema)
        let hasIntercept = settings.hasIntercept
        // The triangle and its solve take a few (p+1)² doubles: bounded by set memory, as a design is.
        let width = Double(terms.count + 2)
        guard width * width * 8 * 4 <= Double(MemoryLimit.bytes) else {
            throw ModelshError.data("the features make \(terms.count) design columns, too many for a streamed fit within set memory (\(NumberFormat.bytes(MemoryLimit.bytes))); drop features or merge levels", argument: "features")
        }
        let chunks = StreamedChunks(stream: stream, scan: scan, preprocessing: preprocessing, chunkRows: request.chunkRows)

        let state: any LearnedState
        switch parameters {
        case let ridge as RidgeRegression.Parameters:
            state = try RidgeRegression.state(from: try chunks.factor(onesColumn: false, centred: hasIntercept), alpha: ridge.alpha)
        case is LogisticModel.Parameters:
            state = try logisticState(chunks, scan: scan, hasIntercept: hasIntercept, terms: termNames)
        default:
            guard hasIntercept || !terms.isEmpty else {
                throw ModelshError.usage("a linear model without an intercept needs at least one feature", argument: "intercept")
            }
            state = try LinearRegression.learned(from: try chunks.factor(onesColumn: hasIntercept, centred: false), hasIntercept: hasIntercept,
                                                 terms: (hasIntercept ? ["(Intercept)"] : []) + termNames)
        }
        let info = TrainingInfo(datasetName: "\"\(request.path)\"", rowsUsed: scan.rowsUsed, rowsDropped: scan.rowsRead - scan.rowsUsed,
                                valuesImputed: 0, fingerprint: scan.fingerprint, options: options)
        var model = Model(kind: kind.name, task: scan.task, schema: scan.schema, preprocessing: preprocessing,
                          parameters: parameters, state: state, training: info)
        try model.checkAndProfile(data: TrainingDataProfile(schema: scan.schema, source: scan.sample), used: scan.usedSample)
        return model
    }

    private static func logisticState(_ chunks: StreamedChunks, scan: StreamScan, hasIntercept: Bool, terms: [String]) throws -> LogisticState {
        let columns = terms.count + (hasIntercept ? 1 : 0)
        guard columns > 0 else {
            throw ModelshError.usage("a logistic model without an intercept needs at least one feature", argument: "intercept")
        }
        var irls = StreamedBinaryIRLS(columns: columns, nullMean: hasIntercept ? Double(scan.secondClassRows) / Double(scan.rowsUsed) : 0.5)
        while !irls.isFinished {
            irls.beginPass()
            try chunks.forEach(onesColumn: hasIntercept) { x, y in try irls.add(x, y) }
            try irls.endPass()
        }
        let fit = irls.result(hasIntercept: hasIntercept)
        return LogisticState(terms: (hasIntercept ? ["(Intercept)"] : []) + terms, modelledClasses: [1],
                             coefficients: [fit.coefficients.map { $0.isNaN ? 0 : $0 }], aliased: fit.aliased,
                             standardErrors: [fit.standardErrors.map { $0.isFinite ? $0 : 0 }],
                             deviance: fit.deviance, nullDeviance: fit.nullDeviance, nullDegreesOfFreedom: fit.nullDegreesOfFreedom,
                             residualDegreesOfFreedom: fit.residualDegreesOfFreedom, aic: fit.aic, iterations: fit.iterations,
                             converged: fit.converged, fitWarnings: fit.warnings.map(\.rawValue), observations: scan.rowsUsed)
    }
}

/// The passes over the file after the scan: each block's used rows as a design (prepared as
/// `predict` prepares rows) and a target, in chunks of at most `chunkRows` rows.
struct StreamedChunks {
    let stream: CSVStream
    let scan: StreamScan
    let preprocessing: Preprocessing
    let chunkRows: Int?

    /// A chunk's design takes at most this many bytes (many indicator columns make few rows).
    static let chunkBytes = 64 << 20

    func forEach(onesColumn: Bool, _ body: (Matrix, [Double]) throws -> Void) throws {
        try stream.rewind()
        let schema = scan.schema
        let labels = schema.classes.isEmpty ? nil : ClassLabels(schema.classes)
        let width = preprocessing.terms.count + (onesColumn ? 1 : 0)
        let size = max(1, min(chunkRows ?? .max, Self.chunkBytes / (8 * max(width, 1))))
        while let chunk = try stream.next() {
            let data = chunk.data
            let targetColumn = try FeatureInput.column(schema.target!.name, in: data)
            let target = try labels.map { try $0.indices(of: targetColumn).map(Double.init) } ?? (targetColumn.numbers ?? [])
            for start in stride(from: 0, to: data.rowCount, by: size) {
                let rows = start ..< min(start + size, data.rowCount)
                let inputs = try preprocessing.inputs(data, schema: schema, rows: rows, onesColumn: onesColumn)
                let kept = rows.filter { inputs.usable[$0 - start] && !targetColumn.isMissing($0) }
                guard kept.count < rows.count else {
                    try body(inputs.design, Array(target[rows]))
                    continue
                }
                guard !kept.isEmpty else { continue }
                let design = inputs.design
                var x = Matrix(rows: kept.count, columns: design.columns)
                for j in 0 ..< design.columns {
                    for (i, row) in kept.enumerated() { x.values[j * kept.count + i] = design.values[j * design.rows + row - start] }
                }
                try body(x, kept.map { target[$0] })
            }
        }
    }

    /// The factor of [X y] over every used row (X with a column of ones first when asked).
    func factor(onesColumn: Bool, centred: Bool) throws -> ScatterFactor {
        var factor: ScatterFactor?
        try forEach(onesColumn: onesColumn) { x, y in
            factor = try factor?.adding(x, y) ?? ScatterFactor(x, y, centred: centred)
        }
        guard let factor else { throw ModelshError.data("'\(stream.path)' has no complete rows") }
        return factor
    }
}
