import Diagnostics
import Foundation
import LineEditor
import XCTest

/// Piped input, read line by line.
final class PlainLineReaderTests: XCTestCase {
    private func lines(of bytes: [UInt8]) throws -> [LineEvent] {
        let pipe = Pipe()
        let reader = PlainLineReader(descriptor: pipe.fileHandleForReading.fileDescriptor)
        // Written beside the reading: a pipe holds 64 KiB.
        let writer = pipe.fileHandleForWriting
        DispatchQueue.global().async {
            writer.write(Data(bytes))
            writer.closeFile()
        }
        var events: [LineEvent] = []
        while true {
            let event = reader.readLine(prompt: "")
            events.append(event)
            if event == .endOfInput { return events }
        }
    }

    /// LF and CRLF ends stripped, empty lines kept, a last line without an end, bad UTF-8 repaired
    /// as `Swift.readLine` repairs it.
    func testLinesAsSwiftsReadLineGivesThem() throws {
        XCTAssertEqual(try lines(of: Array("a\nb c\r\n\n\r\nlast".utf8)),
                       [.line("a"), .line("b c"), .line(""), .line(""), .line("last"), .endOfInput])
        XCTAssertEqual(try lines(of: Array("x\n".utf8) + [0xFF] + Array("y\n".utf8)), [.line("x"), .line("\u{FFFD}y"), .endOfInput])
        XCTAssertEqual(try lines(of: []), [.endOfInput])
        // Lines longer than a read, across reads.
        let long = String(repeating: "z", count: 200_000)
        XCTAssertEqual(try lines(of: Array("\(long)\nshort\n\(long)".utf8)), [.line(long), .line("short"), .line(long), .endOfInput])
    }

    /// Ctrl-C while waiting for input, taken by whichever thread: `.interrupted`, the request
    /// kept for the caller; to the waiting thread itself too (its wait interrupted).
    func testCtrlCWhileWaitingIsAnInterruption() throws {
        Interruption.installHandler()
        defer { Interruption.clear() }
        let pipe = Pipe()
        let reader = PlainLineReader(descriptor: pipe.fileHandleForReading.fileDescriptor)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { kill(getpid(), SIGINT) }
        XCTAssertEqual(reader.readLine(prompt: ""), .interrupted)
        XCTAssertTrue(Interruption.isRequested)
        Interruption.clear()
        let waiting = pthread_self()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { pthread_kill(waiting, SIGINT) }
        XCTAssertEqual(reader.readLine(prompt: ""), .interrupted)
        XCTAssertTrue(Interruption.isRequested)
        Interruption.clear()
        pipe.fileHandleForWriting.write(Data("after\n".utf8))
        XCTAssertEqual(reader.readLine(prompt: ""), .line("after"), "reading goes on after an interruption")
    }
}
