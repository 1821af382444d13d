import Diagnostics
import XCTest

/// Asserts `body` throws a ModelshError of `category` whose message contains every fragment.
func assertThrows<T>(_ category: ModelshError.Category, containing fragments: [String],
                     file: StaticString = #filePath, line: UInt = #line, _ body: () throws -> T) {
    do {
        _ = try body()
        XCTFail("expected a \(category) error", file: file, line: line)
    } catch let error as ModelshError {
        XCTAssertEqual(error.category, category, error.message, file: file, line: line)
        for fragment in fragments {
            XCTAssert(error.message.contains(fragment), "'\(error.message)' lacks '\(fragment)'", file: file, line: line)
        }
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
    }
}
