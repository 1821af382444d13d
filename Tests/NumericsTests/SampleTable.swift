import Foundation
import Numerics

/// A sample CSV of sessions/data read by a deliberately tiny parser (a header, comma-separated
/// fields, no quoting): Numerics tests cannot use Tabular's reader.
struct SampleTable {
    let header: [String]
    let rows: [[String]]

    init(_ name: String) throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("sessions/data/\(name).csv")
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        header = lines[0].split(separator: ",").map(String.init)
        rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    func strings(_ column: String) -> [String] {
        let j = header.firstIndex(of: column)!
        return rows.map { $0[j] }
    }

    func numbers(_ column: String) -> [Double] {
        strings(column).map { Double($0)! }
    }

    /// A column standardised to mean 0 and standard deviation 1 (divisor n), summing left to
    /// right: the same arithmetic as `standardise` in Tests/References/classify.py, so the
    /// reference and the test see bit-identical features.
    func standardised(_ column: String) -> [Double] {
        let values = numbers(column), n = Double(values.count)
        let mean = values.reduce(0, +) / n
        let sd = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
        return values.map { ($0 - mean) / sd }
    }

    /// The model matrix of the named columns, with a leading column of ones if asked.
    func design(_ columns: [String], intercept: Bool) -> Matrix {
        let ones = intercept ? [[Double](repeating: 1, count: rows.count)] : []
        return Matrix(rows: rows.count, columns: ones + columns.map(numbers))
    }
}
