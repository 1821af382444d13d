import XCTest

/// Asserts |actual − expected| ≤ tolerance · |expected| (or ≤ tolerance when expected is 0).
func assertRelative(_ actual: Double, _ expected: Double, _ tolerance: Double,
                    _ message: String = "", file: StaticString = #filePath, line: UInt = #line) {
    let scale = expected == 0 ? 1 : abs(expected)
    let error = abs(actual - expected) / scale
    XCTAssert(error <= tolerance, "\(actual) vs \(expected): relative error \(error) > \(tolerance) \(message)", file: file, line: line)
}
