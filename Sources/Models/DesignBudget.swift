import Diagnostics
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Numerics

/// The largest design matrix a fit will build: half of `set memory` (`MemoryLimit`) in doubles
/// (rows × design columns × 8 bytes), since the QR factorisation works on a copy, so a fit at
/// the limit needs about the whole of it.
/// Checked before anything is allocated: one categorical feature with thousands of levels
/// over many rows, or a high `poly=` degree, would otherwise ask for tens of gigabytes. More
/// columns than rows is allowed, as in R (the extra columns are aliased); only the memory is
/// limited.
enum DesignBudget {
    static var limit: Int { MemoryLimit.bytes / 2 }

    /// `intercept`: the kind adds a column of ones.
    static func check(schema: TrainingSchema, base: [BaseColumn], terms: [[Int]], intercept: Bool, rows: Int) throws {
        let columns = terms.count + (intercept ? 1 : 0)
        guard bytes(rows, columns) > Double(limit) else { return }
        let size = "a design of \(rows) rows × \(columns) columns, which would need \(text(bytes(rows, columns))) (the limit is \(text(Double(limit))), half of set memory)"
        // How many design columns each feature takes part in.
        var columnsOf = [Int](repeating: 0, count: schema.features.count)
        for term in terms {
            for feature in Set(term.map { base[$0].feature }) { columnsOf[feature] += 1 }
        }
        if schema.terms != nil {
            throw ModelshError.data("the interaction terms make \(size); drop some, or merge the levels of their categorical features", argument: "features")
        }
        if terms.contains(where: { $0.count > 1 }) {
            throw ModelshError.data("the polynomial terms make \(size); lower poly= or use fewer features", argument: "poly")
        }
        // Name the categorical features with the most levels, as few as bring it under the limit.
        let categorical = schema.features.indices.filter { schema.features[$0].levels != nil }.sorted { columnsOf[$0] > columnsOf[$1] }
        var remaining = columns
        var culprits: [Int] = []
        for index in categorical where bytes(rows, remaining) > Double(limit) {
            remaining -= columnsOf[index]
            culprits.append(index)
        }
        guard !culprits.isEmpty, bytes(rows, remaining) <= Double(limit) else {
            throw ModelshError.data("the features make \(size); fit on fewer rows or features", argument: "features")
        }
        let described = culprits.map { index -> String in
            let feature = schema.features[index]
            return "'\(feature.name)' (\(feature.levels?.count ?? 0) levels, \(columnsOf[index]) indicator columns)"
        }
        if culprits.count == 1 {
            throw ModelshError.data("feature \(described[0]) makes \(size); drop it or merge its levels", argument: "features")
        }
        throw ModelshError.data("features \(described.joined(separator: ", ")) make \(size); drop them or merge their levels", argument: "features")
    }

    private static func bytes(_ rows: Int, _ columns: Int) -> Double {
        Double(rows) * Double(columns) * Double(MemoryLayout<Double>.size)
    }

    private static func text(_ bytes: Double) -> String {
        NumberFormat.bytes(Int(min(bytes, Double(Int.max / 2))))
    }
}

/// The memory a command may fill with data: `set memory`, which the shell binds for each
/// command it runs. The default is half the machine's physical memory (4 GiB where it is not
/// known), leaving room for the rest of the system and for copies a command makes.
public enum MemoryLimit {
    @TaskLocal public static var bytes: Int = defaultBytes

    public static let defaultBytes: Int = {
        let pages = sysconf(Int32(_SC_PHYS_PAGES)), pageSize = sysconf(Int32(_SC_PAGESIZE))
        guard pages > 0, pageSize > 0 else { return 4 << 30 }
        return pages * pageSize / 2
    }()
}
