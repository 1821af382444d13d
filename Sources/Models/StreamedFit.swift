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
    /// Told after each block how far the fit has read.
    public let progress: (@Sendable (StreamedFitProgress) -> Void)?

    public init(path: String, csv: CSVOptions = CSVOptions(), kind: String, target: String?, features: [String]?,
                options: [String: String], chunkRows: Int? = nil, blockSize: Int = 16 << 20,
                progress: (@Sendable (StreamedFitProgress) -> Void)? = nil) {
        self.progress = progress
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

/// How far a streamed fit has read: its pass over the file (1 the first) and the rows and bytes
/// of the file read in that pass.
public struct StreamedFitProgress: Sendable, Equatable {
    public let pass: Int
    public let rows: Int
    public let bytes: Int
    public let fileSize: Int
}

/// Fits linear, ridge and logistic models on a CSV file in chunks, with memory for one block of
/// the file and a (p+1) × (p+1) triangle, however many rows the file has.
///
/// The scan (`StreamScan`) fixes what the in-memory fit learns from all rows before it solves:
/// the target's task and classes, the levels of categorical features in the rows used, which
/// columns are free text, the row counts, and a bounded sample for the training profile. Least
/// squares folds each chunk's design into the factor of [X y] (`ScatterFactor`, TSQR:
/// a QR per chunk, never XᵀX) — the factor `update` keeps, so the model is an ordinary one that
/// saves, predicts, summarises and updates — and logistic regression runs R's IRLS with one pass
/// over the file per iteration (`StreamedBinaryIRLS`); the scan's pass makes the first fold or
/// IRLS pass too (see `fitCountingPasses`). Coefficients, standard errors and deviances equal
/// the in-memory fit's to rounding.
///
/// Limits, each refused by name: rows with a missing value are dropped (impute=drop), features
/// are not rescaled (scale=none: the design's means would need a pass of their own), and
/// logistic is binary and unpenalised. A linear model's summary has no residual quantiles (as
/// after `update`): they would need every residual.
public enum StreamedFit {
    public static let kinds = [LinearRegression.name, RidgeRegression.name, LogisticModel.name]

    public static func fit(_ request: StreamedFitRequest) throws -> Model {
        try fitCountingPasses(request).model
    }

    /// The fit, and how many times it read the file.
    static func fitCountingPasses(_ request: StreamedFitRequest) throws -> (model: Model, passes: Int) {
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
        for (option, what) in [("weight", "case weights"), ("offset", "offset")] where options[option] != nil {
            throw ModelshError.usage("a streamed fit takes no \(what) yet; load the file to fit with \(option)=", argument: option)
        }
        if let logistic = parameters as? LogisticModel.Parameters, logistic.penalty != .none {
            throw ModelshError.usage("a streamed logistic fit is unpenalised (R's glm); load the file for penalty=", argument: "penalty")
        }
        let stream = try CSVStream(path: request.path, options: request.csv, blockSize: request.blockSize, readsAhead: true)
        var scanner = try StreamScanner(names: stream.names, request: request, kind: kind)
        // The scan's pass folds the rows too, with the plan the first block makes: the whole
        // file's plan unless a later block brings a level, a class or a type the first did not
        // have, and then (only) the fold is made again in a pass of its own. So a file is
        // usually read once for least squares, and once per iteration for logistic regression.
        var guess: (plan: StreamedPlan, pass: StreamedPass)?
        var guessError: (any Error)?
        while let chunk = try stream.next() {
            defer { report(stream, to: request) }
            try scanner.add(chunk)
            if chunk.firstRow == 0 {
                guess = (try? StreamScan(scanner)).flatMap { scan in
                    (try? StreamedPlan(scan: scan, kind: kind, settings: settings, parameters: parameters, chunkRows: request.chunkRows))
                        .map { ($0, StreamedPass(plan: $0)) }
                }
            }
            guard guess != nil, guessError == nil else { continue }
            do {
                try guess!.plan.chunks(of: chunk) { x, y in try guess!.pass.add(x, y) }
            } catch let error as ModelshError where error.category == .interrupted {
                throw error
            } catch {
                guessError = error
            }
        }
        let scan = try StreamScan(scanner)
        let plan = try StreamedPlan(scan: scan, kind: kind, settings: settings, parameters: parameters, chunkRows: request.chunkRows)
        var pass: StreamedPass
        if let guess, guess.plan.matches(plan) {
            if let guessError { throw guessError }
            pass = guess.pass
        } else {
            pass = StreamedPass(plan: plan)
            try passOver(stream, plan, request) { x, y in try pass.add(x, y) }
        }

        let state: any LearnedState
        switch pass {
        case .leastSquares(let factor, _):
            guard let factor else { throw ModelshError.data("'\(request.path)' has no complete rows") }
            if let ridge = parameters as? RidgeRegression.Parameters {
                state = try RidgeRegression.state(from: factor, alpha: ridge.alpha)
            } else {
                state = try LinearRegression.learned(from: factor, hasIntercept: plan.hasIntercept,
                                                     terms: (plan.hasIntercept ? ["(Intercept)"] : []) + plan.termNames)
            }
        case .logistic(var irls):
            irls.nullMean = plan.nullMean  // a guessed plan's was the first block's
            try irls.endPass()
            while !irls.isFinished {
                irls.beginPass()
                try passOver(stream, plan, request) { x, y in try irls.add(x, y) }
                try irls.endPass()
            }
            state = logisticState(irls, scan: scan, hasIntercept: plan.hasIntercept, terms: plan.termNames)
        }
        let info = TrainingInfo(datasetName: "\"\(request.path)\"", rowsUsed: scan.rowsUsed, rowsDropped: scan.rowsRead - scan.rowsUsed,
                                valuesImputed: 0, fingerprint: scan.fingerprint, options: options)
        var model = Model(kind: kind.name, task: scan.task, schema: scan.schema, preprocessing: plan.preprocessing,
                          parameters: parameters, state: state, training: info)
        let dataProfile = try clearingInterruption { try TrainingDataProfile(schema: scan.schema, source: scan.sample) }
        try model.checkAndProfile(data: dataProfile, used: scan.usedSample)
        return (model, stream.passes)
    }

    /// A pass over the whole file after the first: each block's used rows as designs.
    private static func passOver(_ stream: CSVStream, _ plan: StreamedPlan, _ request: StreamedFitRequest,
                             _ body: (Matrix, [Double]) throws -> Void) throws {
        try stream.rewind()
        while let chunk = try stream.next() {
            try plan.chunks(of: chunk, body)
            report(stream, to: request)
        }
    }

    private static func report(_ stream: CSVStream, to request: StreamedFitRequest) {
        request.progress?(StreamedFitProgress(pass: stream.passes, rows: stream.rowsRead, bytes: stream.bytesRead, fileSize: stream.fileSize))
    }

    private static func logisticState(_ irls: StreamedBinaryIRLS, scan: StreamScan, hasIntercept: Bool, terms: [String]) -> LogisticState {
        let fit = irls.result(hasIntercept: hasIntercept)
        return LogisticState(terms: (hasIntercept ? ["(Intercept)"] : []) + terms, modelledClasses: [1],
                             coefficients: [fit.coefficients.map { $0.isNaN ? 0 : $0 }], aliased: fit.aliased,
                             standardErrors: [fit.standardErrors.map { $0.isFinite ? $0 : 0 }],
                             deviance: fit.deviance, nullDeviance: fit.nullDeviance, nullDegreesOfFreedom: fit.nullDegreesOfFreedom,
                             residualDegreesOfFreedom: fit.residualDegreesOfFreedom, aic: fit.aic, iterations: fit.iterations,
                             converged: fit.converged, fitWarnings: fit.warnings.map(\.rawValue), observations: scan.rowsUsed)
    }
}

/// How a streamed fit turns the file's rows into designs: what the scan found and what follows
/// from it (the preprocessing and the design's columns).
struct StreamedPlan {
    let scan: StreamScan
    let preprocessing: Preprocessing
    let termNames: [String]
    let hasIntercept: Bool
    let isLogistic: Bool
    /// Whether the design has a column of ones (ridge centres instead).
    let onesColumn: Bool
    /// Whether the factor is of the centred [X y] (ridge with an intercept).
    let centred: Bool
    let chunkRows: Int?

    /// A chunk's design takes at most this many bytes (many indicator columns make few rows).
    static let chunkBytes = 64 << 20

    init(scan: StreamScan, kind: ModelKind, settings: PreprocessingSettings, parameters: any ModelParameters, chunkRows: Int?) throws {
        isLogistic = parameters is LogisticModel.Parameters
        if isLogistic, scan.schema.classes.count != 2 {
            throw ModelshError.usage("a streamed logistic fit takes two classes, not \(scan.schema.classes.count); load the file for a multinomial fit", argument: "target")
        }
        let base = Preprocessing.baseColumns(scan.schema, settings: settings)
        let terms = try Preprocessing.polynomialTerms(base, degree: settings.degree)
        preprocessing = Preprocessing(settings: settings, fills: [], terms: terms, centres: [], scales: [])
        termNames = preprocessing.termNames(scan.schema)
        hasIntercept = settings.hasIntercept
        // The triangle and its solve take a few (p+1)² doubles: bounded by set memory, as a design is.
        let width = Double(terms.count + 2)
        guard width * width * 8 * 4 <= Double(MemoryLimit.bytes) else {
            throw ModelshError.data("the features make \(terms.count) design columns, too many for a streamed fit within set memory (\(NumberFormat.bytes(MemoryLimit.bytes))); drop features or merge levels", argument: "features")
        }
        let isRidge = parameters is RidgeRegression.Parameters
        if isLogistic, !hasIntercept, terms.isEmpty {
            throw ModelshError.usage("a logistic model without an intercept needs at least one feature", argument: "intercept")
        }
        if !isLogistic, !isRidge, !hasIntercept, terms.isEmpty {
            throw ModelshError.usage("a linear model without an intercept needs at least one feature", argument: "intercept")
        }
        onesColumn = isRidge ? false : hasIntercept
        centred = isRidge && hasIntercept
        self.scan = scan
        self.chunkRows = chunkRows
    }

    /// Logistic regression's null deviance is measured at ȳ with an intercept, at ½ without.
    var nullMean: Double { hasIntercept ? Double(scan.secondClassRows) / Double(scan.rowsUsed) : 0.5 }

    /// Whether `other` makes the same designs (its scan may have read more rows).
    func matches(_ other: StreamedPlan) -> Bool {
        scan.schema == other.scan.schema && scan.task == other.scan.task && preprocessing == other.preprocessing
            && (isLogistic, onesColumn, centred) == (other.isLogistic, other.onesColumn, other.centred)
    }

    /// A block's used rows as a design (prepared as `predict` prepares rows) and a target, in
    /// chunks of at most `chunkRows` rows.
    func chunks(of chunk: CSVChunk, _ body: (Matrix, [Double]) throws -> Void) throws {
        let schema = scan.schema
        let labels = schema.classes.isEmpty ? nil : ClassLabels(schema.classes)
        let width = preprocessing.terms.count + (onesColumn ? 1 : 0)
        let size = max(1, min(chunkRows ?? .max, Self.chunkBytes / (8 * max(width, 1))))
        let data = chunk.data
        let targetColumn = try FeatureInput.column(schema.target!.name, in: data)
        let target = try labels.map { try $0.numberedIndices(of: targetColumn) } ?? (targetColumn.numbers ?? [])
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

/// What a pass over the designs builds: the factor of [X y] over every used row, or a pass of
/// logistic regression's IRLS.
enum StreamedPass {
    case leastSquares(ScatterFactor?, centred: Bool)
    case logistic(StreamedBinaryIRLS)

    init(plan: StreamedPlan) {
        guard plan.isLogistic else {
            self = .leastSquares(nil, centred: plan.centred)
            return
        }
        let columns = plan.termNames.count + (plan.hasIntercept ? 1 : 0)
        var irls = StreamedBinaryIRLS(columns: columns, nullMean: plan.nullMean)
        irls.beginPass()
        self = .logistic(irls)
    }

    mutating func add(_ x: Matrix, _ y: [Double]) throws {
        switch self {
        case .leastSquares(let factor, let centred):
            self = .leastSquares(try factor?.adding(x, y) ?? ScatterFactor(x, y, centred: centred), centred: centred)
        case .logistic(var irls):
            try irls.add(x, y)
            self = .logistic(irls)
        }
    }
}
