import Diagnostics
import Numerics
import Tabular

/// What a streamed fit learns from the whole file before it solves (`TrainingFrame`), gathered
/// block by block with memory independent of the rows (`StreamScanner`) — the task and classes,
/// each categorical feature's levels in the rows used (sorted by their UTF-8 bytes, as `load`
/// sorts them), which columns are free text (more distinct values than `load` allows a
/// categorical column), row counts, a fingerprint, and a sample of at most `sampleLimit` rows
/// spread evenly over the file, for the training profile.
struct StreamScan {
    let schema: TrainingSchema
    let task: ModelTask
    let rowsRead: Int
    let rowsUsed: Int
    /// Classification: the used rows of the second class (for the null deviance).
    private(set) var secondClassRows = 0
    /// The combined fingerprints of the blocks' target and feature columns.
    let fingerprint: String
    /// Sampled rows of the target and feature columns, and those of them the fit uses.
    let sample: Dataset
    let usedSample: Dataset

    /// At most twice this many rows are sampled.
    static let sampleLimit = 10_000
    /// A text column with more distinct values than this is free text whatever the file's size.
    static let levelLimit = 1_000_000

    /// What the blocks added to `scanner` so far make of the file.
    init(_ scanner: StreamScanner) throws {
        let (request, kind, columnNames, targetName) = (scanner.request, scanner.kind, scanner.columnNames, scanner.columnNames[0])
        var tallies = scanner.tallies
        let (rowsRead, rowsUsed) = (scanner.rowsRead, scanner.rowsUsed)
        self.rowsRead = rowsRead
        self.rowsUsed = rowsUsed
        let sampler = scanner.sampler
        fingerprint = scanner.fingerprint ?? ""
        guard rowsRead > 0 else { throw ModelshError.data("'\(request.path)' has no rows") }
        let targetTally = tallies[0]
        guard targetTally.nonMissing > 0 else {
            throw ModelshError.data("target '\(targetName)' has no values: \(rowsRead == 1 ? "its one row is" : "all \(rowsRead) rows are") missing", argument: "target")
        }
        // Default features leave out free text, as in memory; named ones may not be free text.
        let isText = tallies.map { $0.isText }
        if request.features == nil {
            tallies = [targetTally] + tallies.dropFirst().filter { !$0.isText }
        } else if let index = isText.indices.dropFirst().first(where: { isText[$0] }) {
            var error = TrainingFrame.freeTextFeature(columnNames[index], kind: kind.name)
            error.argument = "features"
            throw error
        }
        guard rowsUsed > 0 else {
            throw ModelshError.data("no complete rows: \(rowsRead == 1 ? "the one row" : "each of the \(rowsRead) rows") misses the target or a feature")
        }
        let requested = request.options["task"].flatMap(ModelTask.init)
        let task = try blaming(requested == nil ? "target" : "task") {
            try TrainingFrame.task(for: targetTally.representative, kind: kind.name, tasks: kind.tasks, requested: requested)
        }
        self.task = task
        let features = try tallies.dropFirst().map { try $0.featureSchema() }
        switch task {
        case .classification:
            let classes = try blaming("target") { try TrainingFrame.classes(of: targetTally.representative) }
            schema = TrainingSchema(target: FeatureSchema(name: targetName, type: targetTally.type, levels: classes), features: features)
            secondClassRows = targetTally.count(ofClass: classes[1])
        default:
            schema = TrainingSchema(target: FeatureSchema(name: targetName, type: targetTally.type), features: features)
        }
        let kept = [0] + tallies.dropFirst().compactMap { tally in columnNames.firstIndex(of: tally.name) }
        let types = columnNames.map { name in tallies.first { $0.name == name }?.type ?? .text }
        let sampled = try sampler.dataset(names: columnNames, types: types).selectingColumns(kept)
        sample = sampled
        usedSample = sampled.selecting(rows: (0 ..< sampled.rowCount).filter { row in sampled.columns.allSatisfy { !$0.isMissing(row) } })
    }
}

/// The scan's pass: each block's rows added to what is known of the target and feature columns.
struct StreamScanner {
    let request: StreamedFitRequest
    let kind: ModelKind
    /// The target, then the candidate features.
    let columnNames: [String]
    fileprivate private(set) var tallies: [ColumnTally]
    fileprivate private(set) var sampler: RowSampler
    private(set) var fingerprint: String?
    private(set) var rowsRead = 0
    private(set) var rowsUsed = 0

    /// Checks the target and the features named in `request` against the file's column `names`.
    init(names: [String], request: StreamedFitRequest, kind: ModelKind) throws {
        guard let targetName = request.target else {
            throw ModelshError.usage("'\(kind.name)' needs target=, the column to predict", argument: "target")
        }
        guard names.contains(targetName) else {
            throw ModelshError.usage(EditDistance.unknown("column", targetName, in: "'\(request.path)'", among: names), argument: "target")
        }
        var candidates: [String]
        if let features = request.features {
            // Read as a loaded fit reads them, so a term (wt:hp, wt^2) is told from an odd column name.
            let terms = try ModelTerms.parse(features) { names.contains($0) }
            if let term = terms.terms.first(where: { $0 != [$0[0]] }) {
                throw ModelshError.usage("'\(terms.label(of: term))' is an interaction or power term; a streamed fit takes plain columns (load the file and fit the dataset, or stream=no)", argument: "features")
            }
            var seen = Set<String>()
            for name in features {
                guard names.contains(name) else {
                    throw ModelshError.usage(EditDistance.unknown("column", name, in: "'\(request.path)'", among: names), argument: "features")
                }
                guard name != targetName else { throw ModelshError.usage("column '\(name)' is the target; it cannot also be a feature", argument: "features") }
                guard seen.insert(name).inserted else { throw ModelshError.usage("feature '\(name)' is listed twice", argument: "features") }
            }
            candidates = features
        } else {
            candidates = names.filter { $0 != targetName }
        }
        self.request = request
        self.kind = kind
        columnNames = [targetName] + candidates
        tallies = columnNames.map { ColumnTally(name: $0) }
        sampler = RowSampler(columns: columnNames.count, limit: StreamScan.sampleLimit)
    }

    mutating func add(_ chunk: CSVChunk) throws {
        let columns = try columnNames.map { try FeatureInput.column($0, in: chunk.data) }
        let n = chunk.data.rowCount
        let used = (0 ..< n).filter { row in columns.allSatisfy { !$0.isMissing(row) } }
        for index in columns.indices {
            try tallies[index].add(columns[index], usedRows: used, chunk: chunk, countsValues: index == 0 && kind.tasks.contains(.classification))
        }
        sampler.add(columns, firstRow: chunk.firstRow)
        let blockPrint = try Dataset(columns: columns).fingerprint
        fingerprint = fingerprint.map { Dataset.fingerprint(combining: $0, blockPrint) } ?? blockPrint
        rowsRead += n
        rowsUsed += used.count
    }
}

extension Dataset {
    /// The columns at `indices`, in that order.
    fileprivate func selectingColumns(_ indices: [Int]) throws -> Dataset {
        try Dataset(columns: indices.map { columns[$0] })
    }
}

/// What the scan learns of one column.
fileprivate struct ColumnTally {
    let name: String
    /// Integer until a block holds a non-whole number; boolean; text for categorical or text.
    private(set) var type = ColumnType.numeric
    private var typeFixed = false
    private(set) var nonMissing = 0
    /// Distinct texts among all values, and among the used rows' (up to `levelLimit`).
    private var levels = Set<String>()
    private var usedLevels = Set<String>()
    /// Distinct numbers among the used rows, and how often each occurs (a classification target's
    /// classes; only the first `TrainingFrame.maximumClasses` + 1 are kept).
    private var usedNumbers: [Double: Int] = [:]
    private var usedLevelCounts: [String: Int] = [:]

    init(name: String) { self.name = name }

    var isText: Bool {
        type == .text && (levels.count > StreamScan.levelLimit || levels.count > CSVStream.maximumLevelCount(valueCount: nonMissing))
    }

    /// `countsValues`: count the used rows' distinct numbers (a classification target's classes).
    mutating func add(_ column: Column, usedRows: [Int], chunk: CSVChunk, countsValues: Bool) throws {
        nonMissing += column.count - column.missingCount
        guard column.count > column.missingCount else { return }
        switch column.storage {
        case .numbers(let values):
            // The stream keeps numbers and booleans apart; integer blocks then numeric ones read as numeric.
            if !typeFixed { type = column.type } else if type == .integer, column.type == .numeric { type = .numeric }
            typeFixed = true
            for row in usedRows where !values[row].isFinite {
                throw ModelshError.data("column '\(name)' has a non-finite value (\(NumberFormat.shortest(values[row]))) in row \(chunk.firstRow + row + 1)")
            }
            // Past the most classes a classifier takes, the target is refused anyway.
            for row in usedRows where countsValues && usedNumbers.count <= TrainingFrame.maximumClasses {
                usedNumbers[values[row], default: 0] += 1
            }
        case .categories, .strings:
            type = .text
            typeFixed = true
            for row in 0 ..< column.count where levels.count <= StreamScan.levelLimit {
                if let text = column.text(at: row) { levels.insert(text) }
            }
            for row in usedRows where usedLevels.count <= StreamScan.levelLimit {
                let text = column.text(at: row)!
                usedLevels.insert(text)
                usedLevelCounts[text, default: 0] += 1
            }
        }
    }

    /// The type the whole column would have had on load.
    private var loadedType: ColumnType { type == .text && !isText ? .categorical : type }

    /// The used rows' distinct values as a column of the loaded type: what `TrainingFrame`'s
    /// task and class rules need of the whole column.
    var representative: Column {
        switch loadedType {
        case .categorical:
            let sorted = Self.byteOrder(usedLevels)
            return Column.categorical(name, codes: Array(sorted.indices), levels: sorted)
        case .text:
            return Column(name: name, type: .text, storage: .strings(TextColumn(usedLevels)), missing: MissingMask(count: usedLevels.count))
        default:
            return Column.numeric(name, usedNumbers.keys.sorted(), type: type)
        }
    }

    /// How many used rows hold the class printed `label`.
    func count(ofClass label: String) -> Int {
        if type == .text { return usedLevelCounts[label] ?? 0 }
        let value = label == "true" ? 1 : label == "false" ? 0 : Double(label)
        return value.flatMap { usedNumbers[$0] } ?? 0
    }

    func featureSchema() throws -> FeatureSchema {
        guard type == .text else { return FeatureSchema(name: name, type: type) }
        let used = Self.byteOrder(usedLevels)
        guard used.count >= 2 else {
            throw ModelshError.data("column '\(name)' has only one level\(used.first.map { " ('\($0)')" } ?? "") in the rows used; a categorical feature needs two or more", argument: "features")
        }
        return FeatureSchema(name: name, type: .categorical, levels: used)
    }

    private static func byteOrder(_ texts: Set<String>) -> [String] {
        texts.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }
}

/// Every k-th row of the file, k doubling whenever the sample reaches twice `limit`, so the
/// sample stays between `limit` and twice it and evenly spread, whatever the file's length.
fileprivate struct RowSampler {
    private var numbers: [[Double]]
    private var texts: [[String?]]
    private var stride = 1
    /// Rows sampled: every column holds one value for each.
    private var count = 0
    let limit: Int

    init(columns: Int, limit: Int) {
        numbers = Array(repeating: [], count: columns)
        texts = Array(repeating: [], count: columns)
        self.limit = limit
    }

    mutating func add(_ columns: [Column], firstRow: Int) {
        let n = columns.first?.count ?? 0
        var row = (firstRow + stride - 1) / stride * stride - firstRow
        while row < n {
            for (index, column) in columns.enumerated() {
                if case .numbers(let values) = column.storage, texts[index].isEmpty {
                    numbers[index].append(column.isMissing(row) ? .nan : values[row])
                } else {
                    // A column read as numbers in earlier blocks keeps their printed texts.
                    if texts[index].isEmpty, !numbers[index].isEmpty {
                        texts[index] = numbers[index].map { $0.isNaN ? nil : NumberFormat.shortest($0) }
                        numbers[index] = []
                    }
                    texts[index].append(column.text(at: row))
                }
            }
            count += 1
            if count >= 2 * limit {
                numbers = numbers.map { Self.everyOther($0) }
                texts = texts.map { Self.everyOther($0) }
                count = (count + 1) / 2
                stride *= 2
                row = (firstRow + row + stride) / stride * stride - firstRow
            } else {
                row += stride
            }
        }
    }

    private static func everyOther<T>(_ values: [T]) -> [T] {
        Swift.stride(from: 0, to: values.count, by: 2).map { values[$0] }
    }

    func dataset(names: [String], types: [ColumnType]) throws -> Dataset {
        try Dataset(columns: names.indices.map { index in
            texts[index].isEmpty ? Column.numeric(names[index], numbers[index], type: types[index])
                : Column.categorical(names[index], texts[index])
        })
    }
}
