import Diagnostics
import Foundation
@testable import Tabular
import XCTest

/// Bad files a session transcript cannot make (sessions/bad-files.msh has the rest): no read
/// permission, a 100 MB single line; and bytes found by fuzzing (Fuzz/).
final class BadInputFileTests: FileTestCase {
    func testUnreadableFileIsNoInput() throws {
        // root reads any file, whatever its mode.
        try XCTSkipIf(geteuid() == 0, "running as root, which may read a file of mode 000")
        let path = directory.appendingPathComponent("secret.csv").path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data("x\n1\n".utf8), attributes: [.posixPermissions: 0o000]))
        assertError(try CSVReader.read(path: path), .noInput, "\(path): cannot open (Permission denied)")
    }

    /// A 100 MB line with no line break (a binary file, or a CSV file that is one record) is
    /// refused after its first 16 MiB, not read whole into memory.
    func testHundredMegabyteLineIsRefusedEarly() throws {
        let path = directory.appendingPathComponent("long.csv").path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(repeating: UInt8(ascii: "a"), count: 100_000_000)))
        assertError(try CSVReader.read(path: path), .data, "\(path):1: the first record is longer than 16 MiB (is this a CSV file?)")
    }

    func testOverlongColumnNameIsRefused() {
        let name = String(repeating: "n", count: CSVReader.longestName + 1)
        assertError(try readCSV("x,\(name)\n1,2\n"), .data, "t.csv:1: the name of column 2 is 1001 bytes long (at most 1000; is this a CSV file?)")
    }

    func testNULByteIsRefusedWithItsLine() {
        assertError(try readCSV("x,y\n1,2\n3\u{0}5,6\n"), .data, "t.csv:3: a NUL byte in column 'x' (is it a binary file, or text in UTF-16?)")
    }
}
