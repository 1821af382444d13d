import Diagnostics
import Foundation
import Numerics
import Tabular

/// The check `load` makes before reading a CSV file: its size in memory, estimated from the
/// first block, against `set memory`, so a file too large is refused at once rather than after
/// minutes of reading (or by the kernel's out-of-memory killer).
enum MemoryCheck {
    static func requireLoadable(path: String, options: CSVOptions, limit: Int) throws {
        // Loaded columns take at most a few times the text (a one-digit field becomes 8 bytes):
        // smaller files are not worth the estimate.
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > limit / 5 else { return }
        let estimate = try CSVStream.estimatedLoadedSize(path: path, options: options)
        guard estimate.bytes > limit else { return }
        throw ModelshError.data("'\(path)' would take about \(NumberFormat.bytes(estimate.bytes)) in memory (≈ \(estimate.rows) rows × \(estimate.columns) columns), more than set memory (\(NumberFormat.bytes(limit))); fit it from the file in chunks with fit linear|ridge|logistic \"\(path)\" target=…, or raise set memory")
    }
}
