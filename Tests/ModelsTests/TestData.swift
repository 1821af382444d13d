import Diagnostics
import Foundation
import Tabular
import XCTest

/// Test fixtures: the sample CSVs read by a deliberately tiny parser (no quoting; a column is
/// numeric when every non-empty field parses as a number, otherwise categorical), so these
/// tests do not depend on the real CSV reader.
enum TestData {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("sessions/data")

    static func csv(_ name: String) throws -> Dataset {
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        let lines = text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0], rows = lines.dropFirst()
        let columns = header.indices.map { j -> Column in
            let fields = rows.map { $0[j] }
            let numbers = fields.map { $0.isEmpty ? Double.nan : Double($0) }
            if numbers.allSatisfy({ $0 != nil }) { return Column.numeric(header[j], numbers.map { $0! }) }
            return Column.categorical(header[j], fields.map { $0.isEmpty ? nil : $0 })
        }
        return try Dataset(columns: columns)
    }

    /// iris without its row-number column.
    static func iris() throws -> Dataset {
        let data = try csv("iris.csv")
        return try Dataset(columns: data.columns.filter { $0.name != "rownames" })
    }
}

/// Asserts |actual − expected| ≤ tolerance · |expected| (or ≤ tolerance when expected is 0).
func assertRelative(_ actual: Double, _ expected: Double, _ tolerance: Double,
                    _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    let scale = expected == 0 ? 1 : abs(expected)
    let error = abs(actual - expected) / scale
    XCTAssert(error <= tolerance, "\(actual) vs \(expected): relative error \(error) > \(tolerance) \(message)", file: file, line: line)
}

/// Asserts `body` throws a ModelshError of `category` whose message contains every fragment
/// and, when `argument` is given, that names that argument as the one at fault.
func assertThrows<T>(_ category: ModelshError.Category, containing fragments: [String], argument: String? = nil,
                     file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T) {
    do {
        _ = try body()
        XCTFail("expected a \(category) error", file: file, line: line)
    } catch let error as ModelshError {
        XCTAssertEqual(error.category, category, error.message, file: file, line: line)
        if let argument { XCTAssertEqual(error.argument, argument, error.message, file: file, line: line) }
        for fragment in fragments {
            XCTAssert(error.message.contains(fragment), "'\(error.message)' lacks '\(fragment)'", file: file, line: line)
        }
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
    }
}
