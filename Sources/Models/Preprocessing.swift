import Diagnostics
import Numerics
import Tabular

/// How missing feature values are handled: rows dropped (R's na.omit, the default), the
/// value filled from the training rows, or, for kinds that route missing values themselves
/// (trees), kept as missing. Mean and median apply to numeric features; a categorical feature
/// is then filled with its most frequent level, as no mean exists.
public enum ImputeMethod: String, Codable, Sendable, CaseIterable {
    case keep, drop, mean, median, mode
}

/// How design columns are rescaled, with figures from the training rows: `standard` to mean 0
/// and standard deviation 1 (population, as scikit-learn's StandardScaler), `minmax` to
/// [0, 1]. A constant column is left unscaled (divided by 1).
public enum ScaleMethod: String, Codable, Sendable, CaseIterable {
    case none, standard, minmax
}

/// How categorical features enter the design. `treatment`: one indicator per level after the
/// first (R's default contrasts; the first level is the reference), which an unpenalised fit
/// needs to stay identifiable. `indicators`: one per level (one-hot), for penalised and
/// distance-based kinds. `native`: not in the design at all; the kind reads the levels.
public enum CategoricalEncoding: String, Codable, Sendable {
    case treatment, indicators, native
}

/// The options every kind may share, parsed and checked. Which of them a kind accepts is its
/// `Learner.preprocessing` list.
public enum CommonOption: String, Sendable, CaseIterable {
    case intercept, impute, scale, poly, task, weight, offset

    /// The option as a kind offers it; `handlesMissing`: the kind routes missing values itself.
    func spec(handlesMissing: Bool) -> ModelOptionSpec {
        switch self {
        case .intercept: ModelOptionSpec(switch: "intercept", help: "fit an intercept term (default yes)")
        case .impute where handlesMissing:
            ModelOptionSpec(name: "impute", help: "missing feature values: keep them for the model to route (default), drop the row, or fill with the training mean, median or mode",
                            values: ImputeMethod.allCases.map(\.rawValue))
        case .impute: ModelOptionSpec(name: "impute", help: "missing feature values: drop the row (default), or fill with the training mean, median or mode",
                                      values: ImputeMethod.allCases.filter { $0 != .keep }.map(\.rawValue))
        case .scale: ModelOptionSpec(name: "scale", help: "rescale features with training figures: standard, minmax or none (default none; standard for knn, sgd and kmeans, which scikit-learn leaves to the user)",
                                     values: ScaleMethod.allCases.map(\.rawValue))
        case .poly: ModelOptionSpec(name: "poly", help: "add polynomial and interaction terms up to this degree (default 1: none)",
                                    values: nil)
        case .task: ModelOptionSpec(name: "task", help: "regression or classification (default: from the target's type)",
                                    values: ModelTask.allCases.map(\.rawValue))
        case .weight: ModelOptionSpec(column: "weight", help: "a column of case weights ≥ 0 (R's lm and glm weights =): each row counts its weight times; a row missing it is dropped")
        case .offset: ModelOptionSpec(column: "offset", help: "a column added to the linear predictor with coefficient 1 (R's offset(), as log exposure for rates): predictions read it too; a row missing it is dropped")
        }
    }
}

/// The preprocessing a fit asked for, before anything is learned from data.
public struct PreprocessingSettings: Codable, Sendable, Equatable {
    public let impute: ImputeMethod
    public let scale: ScaleMethod
    /// The polynomial degree: 1 adds nothing.
    public let degree: Int
    public let hasIntercept: Bool
    public let encoding: CategoricalEncoding

    public init(impute: ImputeMethod = .drop, scale: ScaleMethod = .none, degree: Int = 1, hasIntercept: Bool = true,
                encoding: CategoricalEncoding = .treatment) {
        self.impute = impute
        self.scale = scale
        self.degree = degree
        self.hasIntercept = hasIntercept
        self.encoding = encoding
    }

    /// Whether missing values are filled (rather than dropped or kept).
    public var imputes: Bool { impute != .drop && impute != .keep }

    /// The highest `poly=` accepted: terms grow as p^D, and past this the fit is about the
    /// expansion rather than the data.
    static let maximumDegree = 10

    /// Parses the common options (already normalised), with the kind's defaults.
    static func parse(_ options: [String: String], defaultScale: ScaleMethod, defaultImpute: ImputeMethod,
                      encoding: CategoricalEncoding) throws -> PreprocessingSettings {
        var degree = 1
        if let text = options["poly"] {
            guard let value = Int(text), (1 ... maximumDegree).contains(value) else {
                throw ModelshError.usage("option 'poly' must be a whole number from 1 to \(maximumDegree), not '\(text)'", argument: "poly")
            }
            degree = value
        }
        return PreprocessingSettings(impute: options["impute"].flatMap(ImputeMethod.init) ?? defaultImpute,
                                     scale: options["scale"].flatMap(ScaleMethod.init) ?? defaultScale,
                                     degree: degree,
                                     hasIntercept: options["intercept"] != "false",
                                     encoding: encoding)
    }

    /// As `summary` shows it, e.g. "impute=drop, scale=standard, poly=2, categorical: treatment (first level is the reference)".
    public var description: String {
        let coding = switch encoding {
        case .treatment: "treatment (first level is the reference)"
        case .indicators: "one indicator per level"
        case .native: "used natively"
        }
        return "impute=\(impute.rawValue), scale=\(scale.rawValue), poly=\(degree), categorical: \(coding)"
    }
}

/// One column of the design before polynomial expansion: a numeric feature, or the indicator
/// of one level of a categorical feature.
public struct BaseColumn: Equatable, Sendable {
    public let feature: Int
    /// The level the indicator marks; nil for a numeric feature.
    public let level: Int?
    public let name: String
    /// Holds only 0 and 1 (an indicator or a boolean), so its powers equal it.
    public let isBinary: Bool
}

/// The preprocessing learned from the training rows and stored with the model, so `predict`
/// transforms new data exactly as training data was: fill values, design terms, scaling.
public struct Preprocessing: Codable, Sendable, Equatable {
    public let settings: PreprocessingSettings
    /// Per feature, in schema order: the fill for a missing value (a number, or a level index
    /// for a categorical feature); empty when missing rows are dropped.
    public let fills: [Double]
    /// Each design column as the base columns it multiplies (a repeated index is a power),
    /// in ascending order.
    public let terms: [[Int]]
    /// Per design column: subtract the centre, divide by the scale. Empty without scaling.
    public let centres: [Double]
    public let scales: [Double]

    /// The base columns the schema's features encode to under this encoding. With interaction
    /// terms (`TrainingSchema.terms`) a categorical feature gives every level, and each term
    /// takes the levels R's coding rule gives it (`designTerms`).
    public static func baseColumns(_ schema: TrainingSchema, settings: PreprocessingSettings) -> [BaseColumn] {
        let firstCategorical = schema.features.firstIndex { $0.levels != nil }
        return schema.features.enumerated().flatMap { index, feature -> [BaseColumn] in
            guard let levels = feature.levels else {
                let name = feature.type == .boolean ? feature.name + "TRUE" : feature.name
                return [BaseColumn(feature: index, level: nil, name: name, isBinary: feature.type == .boolean)]
            }
            let dropped: Int
            switch settings.encoding {
            case .native: return []
            case .indicators: dropped = 0
            case .treatment where schema.terms != nil: dropped = 0
            // Without an intercept the first factor keeps every level, as R's model.matrix does:
            // the full set is then identifiable and stands in for the intercept.
            case .treatment: dropped = !settings.hasIntercept && index == firstCategorical ? 0 : 1
            }
            return levels.indices.dropFirst(dropped).map {
                BaseColumn(feature: index, level: $0, name: feature.name + levels[$0], isBinary: true)
            }
        }
    }

    /// The design columns as products of `base` (the schema's base columns): poly='s, or those
    /// of the model's terms when features= named interactions.
    static func designTerms(_ schema: TrainingSchema, base: [BaseColumn], settings: PreprocessingSettings) throws -> [[Int]] {
        guard let modelTerms = schema.terms else { return try polynomialTerms(base, degree: settings.degree) }
        guard settings.degree == 1 else {
            throw ModelshError.usage("poly= and interaction terms (a:b, a*b) do not go together: write the products wanted as terms, or use poly= on plain features", argument: "poly")
        }
        guard settings.encoding != .native else {
            throw ModelshError.usage("interaction terms (a:b, a*b) are columns of a design, which this kind does not use (trees split on the columns themselves and find their interactions; naive Bayes models each column alone): list plain columns", argument: "features")
        }
        // R's coding rule (model.matrix): a factor in a term is coded by contrasts (its first
        // level dropped) when the term without it is in the model before it — the empty term
        // being the intercept — and by every level otherwise; without an intercept, the first
        // factor coded by every level stands in for it.
        var present: Set<[Int]> = settings.hasIntercept ? [[]] : []
        var design: [[Int]] = []
        for term in modelTerms {
            let factors = term.map { feature -> [Int] in
                let columns = base.indices.filter { base[$0].feature == feature }
                guard base[columns[0]].level != nil, settings.encoding == .treatment else { return columns }
                return present.contains(term.filter { $0 != feature }) ? Array(columns.dropFirst()) : columns
            }
            if term.count == 1, base[factors[0][0]].level == 0 { present.insert([]) }
            present.insert(term)
            // Every product of one column per factor, the first factor's varying fastest (R's order).
            var products: [[Int]] = [[]]
            for columns in factors { products = columns.flatMap { column in products.map { $0 + [column] } } }
            design += products
        }
        return design
    }

    /// Every product of at most `degree` base columns, by degree, as scikit-learn's
    /// PolynomialFeatures orders them — except powers of a 0/1 column (they equal the column)
    /// and products of two levels of one feature (always 0), which would only alias.
    /// More terms than `maximumTerms` is an error: the count grows as p^D, and a model file
    /// must not be able to make a reader build millions.
    static func polynomialTerms(_ base: [BaseColumn], degree: Int) throws -> [[Int]] {
        var terms: [[Int]] = base.indices.map { [$0] }
        var frontier = terms
        for _ in 1 ..< max(degree, 1) {
            var next: [[Int]] = []
            for term in frontier {
                guard terms.count + next.count <= maximumTerms else {
                    throw ModelshError.data("poly=\(degree) on \(base.count) design columns makes more than \(maximumTerms) terms; lower poly= or use fewer features", argument: "poly")
                }
                for j in term.last! ..< base.count {
                    let last = base[term.last!]
                    if j == term.last!, last.isBinary { continue }
                    if base[j].level != nil, term.contains(where: { base[$0].feature == base[j].feature && $0 != j }) { continue }
                    next.append(term + [j])
                }
            }
            terms += next
            frontier = next
        }
        return terms
    }

    static let maximumTerms = 100_000

    /// The design column names: `x`, `x^2`, `x:Speciesversicolor`.
    func termNames(_ schema: TrainingSchema) -> [String] {
        let base = Self.baseColumns(schema, settings: settings)
        return terms.map { term in
            var parts: [String] = []
            var index = 0
            while index < term.count {
                var power = 1
                while index + power < term.count, term[index + power] == term[index] { power += 1 }
                parts.append(base[term[index]].name + (power > 1 ? "^\(power)" : ""))
                index += power
            }
            return parts.joined(separator: ":")
        }
    }

    /// The model term each design column belongs to, as its label (`Type`, `Type:hp`); with
    /// poly=, the feature of the column's first factor.
    func termLabels(_ schema: TrainingSchema) -> [String] {
        let base = Self.baseColumns(schema, settings: settings), modelTerms = schema.modelTerms
        return terms.map { term in
            guard schema.terms != nil else { return schema.features[base[term[0]].feature].name }
            return modelTerms.label(of: term.map { base[$0].feature })
        }
    }

    // MARK: - Learning from the training rows

    /// Learns fills, terms and scaling from `frame` and returns them with the training problem.
    /// `onesColumn`: the design starts with a column of ones (not a term, never scaled).
    /// `design` false: the design has no columns (a kind that reads only the features).
    static func fit(_ frame: TrainingFrame, settings: PreprocessingSettings, onesColumn: Bool, lowParts: Bool, design: Bool = true) throws
        -> (Preprocessing, inputs: ModelInputs) {
        let schema = frame.schema
        let featureColumns = frame.featureColumns
        let fills = !settings.imputes ? [] : try schema.features.indices.map { index in
            try fill(featureColumns[index], as: schema.features[index], method: settings.impute)
        }
        let base = baseColumns(schema, settings: settings)
        let terms = try designTerms(schema, base: base, settings: settings)
        try DesignBudget.check(schema: schema, base: base, terms: terms, intercept: settings.hasIntercept, rows: frame.data.rowCount)
        let unscaled = Preprocessing(settings: settings, fills: fills, terms: terms, centres: [], scales: [])
        let inputs = try unscaled.inputs(frame.data, schema: schema, rows: 0 ..< frame.data.rowCount, onesColumn: onesColumn, lowParts: lowParts,
                                         design: design, offset: false)
        guard settings.scale != .none else { return (unscaled, inputs) }
        let first = onesColumn ? 1 : 0
        let scalings = inputs.designColumns.columns.dropFirst(first).map { scaling($0[...], method: settings.scale) }
        let fitted = Preprocessing(settings: settings, fills: fills, terms: terms, centres: scalings.map(\.centre), scales: scalings.map(\.scale))
        return (fitted, ModelInputs(designColumns: fitted.rescaled(inputs.designColumns, firstColumn: first), features: inputs.features,
                                    usable: inputs.usable, designLowParts: nil))
    }

    private static func fill(_ column: Column, as feature: FeatureSchema, method: ImputeMethod) throws -> Double {
        if let levels = feature.levels {
            // The most frequent training level; ties go to the earlier level.
            var counts = [Int](repeating: 0, count: levels.count)
            let index = Dictionary(levels.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
            for row in 0 ..< column.count { if let text = column.text(at: row), let level = index[text] { counts[level] += 1 } }
            return Double(counts.indices.max { counts[$0] < counts[$1] || (counts[$0] == counts[$1] && $0 > $1) } ?? 0)
        }
        guard let values = column.numbers else { return 0 }
        let present = values.indices.filter { !column.isMissing($0) }.map { values[$0] }
        guard !present.isEmpty else {
            throw ModelshError.data("feature '\(column.name)' has no values to \(method.rawValue)-impute from: every training row misses it", argument: "impute")
        }
        switch method {
        case .mean: return present.reduce(0, +) / Double(present.count)
        case .median: return Quantile.type7(unsorted: present, [0.5])[0]
        case .mode, .drop, .keep:
            // The most frequent value; ties go to the smallest.
            let sorted = RadixSort.sorted(present)
            var best = sorted[0], bestCount = 0, start = 0
            while start < sorted.count {
                var end = start
                while end < sorted.count, sorted[end] == sorted[start] { end += 1 }
                if end - start > bestCount { best = sorted[start]; bestCount = end - start }
                start = end
            }
            return best
        }
    }

    private static func scaling(_ values: ArraySlice<Double>, method: ScaleMethod) -> (centre: Double, scale: Double) {
        switch method {
        case .none: return (0, 1)
        case .standard:
            let mean = values.reduce(0, +) / Double(values.count)
            let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
            let sd = variance.squareRoot()
            return (mean, sd > 0 ? sd : 1)
        case .minmax:
            let low = values.min() ?? 0, high = values.max() ?? 0
            return (low, high > low ? high - low : 1)
        }
    }

    /// The design with its term columns, which start at `firstColumn`, scaled.
    private func rescaled(_ design: DesignColumns, firstColumn: Int = 0) -> DesignColumns {
        guard !centres.isEmpty else { return design }
        return DesignColumns(rows: design.rows, columns: design.columns.enumerated().map { j, column in
            guard j >= firstColumn else { return column }
            let centre = centres[j - firstColumn], scale = scales[j - firstColumn]
            return column.map { ($0 - centre) / scale }
        })
    }

    // MARK: - Applying to data

    /// The inputs for `rows` of `data`, prepared as in training. Columns the schema does not
    /// name are ignored; a missing feature column, a column of the wrong type or an unseen
    /// level is an error naming it. An unseen level counts only in a row that is usable
    /// otherwise: a row missing another feature gets no output anyway, and training may well
    /// have dropped the only rows with that level for the same reason (the training data itself
    /// then evaluates).
    /// `lowParts`: also return, for unscaled product terms of numeric features (x², x·z), the
    /// rounding error of each product, formed in double-double (`ColumnProduct`), so a solver
    /// can take the design as the products are exactly (NIST Filip needs it).
    /// `design` false: the features alone, with a design of no columns (`Learner.usesDesign`):
    /// a design of a million rows × 20 is 160 MB that trees would never read.
    /// `offset` false: leave the model's offset column (`TrainingSchema.offset`) unread, as
    /// training does, whose frame holds the offsets apart; otherwise a row missing it, or whose
    /// offset is not finite, is not usable.
    func inputs(_ data: Dataset, schema: TrainingSchema, rows: Range<Int>, onesColumn: Bool = false, lowParts: Bool = false,
                design wantsDesign: Bool = true, offset readsOffset: Bool = true) throws -> ModelInputs {
        var usable = [Bool](repeating: true, count: rows.count)
        let offset = try schema.offset.flatMap { name in readsOffset ? try Self.offsets(name, of: data, rows: rows, usable: &usable) : nil }
        var unseen: [(column: Column, levels: [String], positions: [Int])] = []
        let features = try schema.features.enumerated().map { index, feature in
            // A pass over every row per feature: on millions, Ctrl-C is seen between them.
            try Interruption.check()
            let column = try FeatureInput.column(feature.name, in: data)
            var unseenPositions: [Int] = []
            defer { if !unseenPositions.isEmpty { unseen.append((column, feature.levels ?? [], unseenPositions)) } }
            return try prepare(column, of: data, as: feature, fill: fills.isEmpty ? nil : fills[index],
                               keepMissing: settings.impute == .keep, rows: rows, usable: &usable, unseen: &unseenPositions)
        }
        let firstUnseen = unseen.compactMap { feature in feature.positions.first { usable[$0] }.map { (feature, $0) } }.min { $0.1 < $1.1 }
        if let (feature, position) = firstUnseen {
            let row = rows.lowerBound + position
            throw ModelshError.data("column '\(feature.column.name)' has level '\(feature.column.text(at: row) ?? "")' in row \(row + 1), not seen in training (levels: \(TerminalText.listing(feature.levels)))")
        }
        guard wantsDesign else {
            return ModelInputs(designColumns: DesignColumns(rows: rows.count, columns: []), features: features, usable: usable, designLowParts: nil,
                               offset: offset)
        }
        let base = Self.baseColumns(schema, settings: settings)
        let n = rows.count, terms = terms
        // A term that is one numeric feature is that feature's array, shared (the data's own
        // when every row is used): no copy. Products are made on every core when large.
        let make = { (index: Int) -> [Double] in
            let term = terms[index]
            if term.count == 1, case .numbers(let values) = features[base[term[0]].feature] { return values }
            var column = [Double](repeating: 1, count: n)
            column.withUnsafeMutableBufferPointer { column in
                for factor in term { Self.multiply(column, by: base[factor], features: features) }
            }
            return column
        }
        var columns = n * terms.count >= 1 << 16 ? mapConcurrently(count: terms.count, make) : terms.indices.map(make)
        try Interruption.check()
        let low = lowParts && settings.scale == .none ? productLowParts(&columns, base: base, features: features) : nil
        if onesColumn { columns.insert([Double](repeating: 1, count: n), at: 0) }
        // Each feature's values are finite (one not finite makes its row unusable, with a 0
        // in its place) unless missing values are kept as NaN; a product or a scaled value may
        // overflow.
        let knownFinite = settings.impute != .keep && terms.allSatisfy { $0.count == 1 } && centres.isEmpty
        let design = rescaled(DesignColumns(rows: n, columns: columns, knownFinite: knownFinite), firstColumn: onesColumn ? 1 : 0)
        return ModelInputs(designColumns: design, features: features, usable: usable,
                           designLowParts: low.map { low in Matrix(rows: n, columns: (onesColumn ? [[Double](repeating: 0, count: n)] : []) + low) },
                           offset: offset)
    }

    /// The offsets in column `name` of `data` for `rows` (0 where missing or not finite, and
    /// the row marked not usable).
    private static func offsets(_ name: String, of data: Dataset, rows: Range<Int>, usable: inout [Bool]) throws -> [Double] {
        guard let column = data.column(named: name) else {
            throw ModelshError.data("no column '\(name)', the model's offset: predictions add it to the linear predictor")
        }
        guard let numbers = column.numbers, column.type != .boolean else {
            throw ModelshError.data("column '\(name)' is \(column.type.rawValue); the model's offset is numbers")
        }
        return rows.enumerated().map { position, row in
            let value = numbers[row]
            guard value.isFinite, !column.isMissing(row) else {
                usable[position] = false
                return 0
            }
            return value
        }
    }

    /// Re-forms each term that multiplies two or more numeric values in double-double: the
    /// term's column keeps the nearest double, the returned columns (one per term) the
    /// remainder (nil when no term has one). Indicator factors multiply exactly and are applied
    /// to both parts.
    private func productLowParts(_ columns: inout [[Double]], base: [BaseColumn], features: [PreparedFeature]) -> [[Double]]? {
        var low: [[Double]]?
        for (index, term) in terms.enumerated() {
            let numeric = term.compactMap { factor -> [Double]? in
                if case .numbers(let values) = features[base[factor].feature] { return values }
                return nil
            }
            guard numeric.count >= 2 else { continue }
            var (hi, lo) = ColumnProduct.of(numeric)
            for factor in term where base[factor].level != nil {
                guard case .levels(let levels, _) = features[base[factor].feature] else { continue }
                for i in hi.indices where levels[i] != base[factor].level { (hi[i], lo[i]) = (0, 0) }
            }
            columns[index] = hi
            if low == nil { low = [[Double]](repeating: [Double](repeating: 0, count: hi.count), count: terms.count) }
            low?[index] = lo
        }
        return low
    }

    private static func multiply(_ column: UnsafeMutableBufferPointer<Double>, by base: BaseColumn, features: [PreparedFeature]) {
        switch features[base.feature] {
        case .numbers(let values):
            for i in column.indices { column[i] *= values[i] }
        case .levels(let levels, _):
            for i in column.indices where levels[i] != base.level { column[i] = 0 }
        }
    }

    /// One feature's values for `rows`: numbers (0 where unusable) or level indices (-1 where
    /// unusable), with missing values filled when a fill is given.
    /// `keepMissing`: a missing value stays missing (NaN, or level -1) and the row stays usable.
    /// `unseen`: the positions of values of a level training never saw (left at -1, usable).
    private func prepare(_ column: Column, of data: Dataset, as feature: FeatureSchema, fill: Double?, keepMissing: Bool, rows: Range<Int>,
                         usable: inout [Bool], unseen: inout [Int]) throws -> PreparedFeature {
        if let levels = feature.levels {
            return .levels(try FeatureInput.levelIndices(column, levels: levels, rows: rows, fill: keepMissing ? -1 : fill.map { Int($0) },
                                                         usable: &usable, unseen: &unseen),
                           count: levels.count)
        }
        return .numbers(try FeatureInput.numbers(column, of: data, as: feature, rows: rows, fill: keepMissing ? .nan : fill, usable: &usable))
    }
}

/// Reading a feature's column as training saw it, with the errors that name what differs.
enum FeatureInput {
    static func column(_ name: String, in data: Dataset) throws -> Column {
        if let column = data.column(named: name) { return column }
        throw ModelshError.usage("column '\(name)' used by the model is not in the data" + EditDistance.didYouMean(name, among: data.columnNames))
    }

    /// The feature's numbers for `rows` (`column` is one of `data`'s); a missing value takes
    /// `fill`, or 0 with the row marked unusable, as does a value that is not finite.
    static func numbers(_ column: Column, of data: Dataset, as feature: FeatureSchema, rows: Range<Int>, fill: Double?,
                        usable: inout [Bool]) throws -> [Double] {
        guard column.type.isNumeric, let values = column.numbers else {
            throw ModelshError.data("column '\(column.name)' is \(column.type.rawValue) here but was \(feature.type.rawValue) in training")
        }
        if column.missingCount == 0, feature.type != .boolean,
           rows == values.indices ? data.numbersAreFinite(column) : LargeBuffers.allFinite(values[rows]) {
            return rows == values.indices ? values : Array(values[rows])  // all rows: shared, not copied
        }
        var result = [Double](repeating: 0, count: rows.count)
        for (i, row) in rows.enumerated() {
            let value = values[row]
            if column.isMissing(row) {
                if let fill { result[i] = fill } else { usable[i] = false }
            } else if !value.isFinite {
                usable[i] = false
            } else {
                // A boolean's coefficient is a switch (R's bTRUE), not a slope to extrapolate along.
                if feature.type == .boolean, value != 0, value != 1 {
                    throw ModelshError.data("column '\(column.name)' was boolean in training but holds \(NumberFormat.shortest(value)) in row \(row + 1)")
                }
                result[i] = value
            }
        }
        return result
    }

    /// Each row's index in `levels`; a missing value takes `fill`, or -1 with the row marked
    /// unusable; a value of another level is -1 with its position appended to `unseen` (the
    /// caller decides whether it is an error). Text columns are accepted too: a small file of
    /// new cases may well be read as text where training saw categories. Levels are matched by
    /// name, so the new data's own level order does not matter.
    static func levelIndices(_ column: Column, levels: [String], rows: Range<Int>, fill: Int?, usable: inout [Bool],
                             unseen: inout [Int]) throws -> [Int] {
        guard column.type == .categorical || column.type == .text else {
            let hint = column.type == .integer || column.type == .numeric ? " (levels DATA \(column.name) order=… makes numbers categorical)" : ""
            throw ModelshError.data("column '\(column.name)' is \(column.type.rawValue) here but was categorical in training\(hint)")
        }
        var index: [String: Int] = [:]
        for (position, level) in levels.enumerated() where index[level] == nil { index[level] = position }
        var result = [Int](repeating: -1, count: rows.count)
        for (i, row) in rows.enumerated() {
            guard let value = column.text(at: row) else {
                if let fill { result[i] = fill } else { usable[i] = false }
                continue
            }
            guard let level = index[value] else {
                unseen.append(i)
                continue
            }
            result[i] = level
        }
        return result
    }
}
