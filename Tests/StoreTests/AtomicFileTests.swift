#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Diagnostics
import Foundation
@testable import Store
import XCTest

final class AtomicFileTests: StoreTestCase {
    private func contents(_ path: String) throws -> String {
        String(decoding: try fileBytes(path), as: UTF8.self)
    }

    private func mode(_ path: String) throws -> Int {
        try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    private func fileType(_ path: String) throws -> FileAttributeType? {
        try FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType
    }

    func testWritesANewFileAndReplacesAnOldOne() throws {
        let path = scratchFile("notes.txt")
        try AtomicFile.write(Data("one".utf8), to: path)
        try AtomicFile.write(Data("two".utf8), to: path)
        XCTAssertEqual(try contents(path), "two")
        XCTAssertEqual(try scratchContents(), ["notes.txt"])
    }

    /// A character device like /dev/null. As root the test makes its own in the scratch
    /// directory, so a regression replaces that one and not the system's.
    private func characterDevice() throws -> String {
        guard geteuid() == 0 else { return "/dev/null" }
        let path = scratchFile("null")
        #if os(Linux)
        let device: dev_t = (1 << 8) | 3
        #else
        let device: dev_t = (3 << 24) | 2
        #endif
        guard mknod(path, S_IFCHR | 0o666, device) == 0 else {
            throw XCTSkip("cannot make a device node here (\(String(cString: strerror(errno))))")
        }
        return path
    }

    func testDeviceIsRefusedAndLeftAlone() throws {
        let device = try characterDevice()
        assertModelshError(.io, containing: ["\(device): cannot write (not a regular file)"]) {
            try AtomicFile.write(Data("x".utf8), to: device)
        }
        XCTAssertEqual(try fileType(device), .typeCharacterSpecial)
        assertModelshError(.io, containing: ["\(device): cannot write (not a regular file)"]) {
            try Workspace.save(WorkspaceContents(), to: device)
        }
        XCTAssertEqual(try fileType(device), .typeCharacterSpecial)
    }

    func testFIFOAndDirectoryAreRefusedAndLeftAlone() throws {
        let fifo = scratchFile("pipe")
        XCTAssertEqual(mkfifo(fifo, 0o644), 0)
        let directory = scratchFile("folder")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        for path in [fifo, directory] {
            assertModelshError(.io, containing: ["\(path): cannot write (not a regular file)"]) {
                try AtomicFile.write(Data("x".utf8), to: path)
            }
        }
        XCTAssertNotEqual(try fileType(fifo), .typeRegular)
        XCTAssertEqual(try fileType(directory), .typeDirectory)
        XCTAssertEqual(try scratchContents(), ["folder", "pipe"], "no temporary file is left behind")
    }

    func testSymbolicLinkIsWrittenThroughAndStaysALink() throws {
        let real = scratchFile("real.json")
        try Data("old".utf8).write(to: URL(fileURLWithPath: real))
        let link = scratchFile("link.json")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.json")
        try AtomicFile.write(Data("new".utf8), to: link)
        XCTAssertEqual(try fileType(link), .typeSymbolicLink)
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), "real.json")
        XCTAssertEqual(try contents(real), "new")

        let chain = scratchFile("chain.json")
        try FileManager.default.createSymbolicLink(atPath: chain, withDestinationPath: link)
        try ModelArchive.save(try ModelArchiveTests.fittedModel(), name: "m", to: chain)
        XCTAssertEqual(try fileType(chain), .typeSymbolicLink)
        XCTAssertEqual(try fileType(link), .typeSymbolicLink)
        XCTAssertEqual(try ModelArchive.load(path: real).name, "m")
        XCTAssertEqual(try scratchContents(), ["chain.json", "link.json", "real.json"])
    }

    func testDanglingLinkCreatesItsDestination() throws {
        let link = scratchFile("w.msw")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "saved.msw")
        try Workspace.save(WorkspaceContents(settings: ["k": "v"]), to: link)
        XCTAssertEqual(try fileType(link), .typeSymbolicLink)
        XCTAssertEqual(try Workspace.open(path: scratchFile("saved.msw")).settings, ["k": "v"])
    }

    func testLinkLoopIsAnError() throws {
        let a = scratchFile("a")
        let b = scratchFile("b")
        try FileManager.default.createSymbolicLink(atPath: a, withDestinationPath: "b")
        try FileManager.default.createSymbolicLink(atPath: b, withDestinationPath: "a")
        assertModelshError(.io, containing: ["\(a): cannot write ("]) {
            try AtomicFile.write(Data("x".utf8), to: a)
        }
        XCTAssertEqual(try scratchContents(), ["a", "b"])
    }

    func testPermissionBitsAreKept() throws {
        let script = scratchFile("run.msh")
        try Data("#!/usr/bin/env modelsh\n".utf8).write(to: URL(fileURLWithPath: script))
        XCTAssertEqual(chmod(script, 0o750), 0)
        try AtomicFile.write(Data("#!/usr/bin/env modelsh\nvars\n".utf8), to: script)
        XCTAssertEqual(try mode(script), 0o750)

        let shared = scratchFile("w.msw")
        try Workspace.save(WorkspaceContents(), to: shared)
        XCTAssertEqual(chmod(shared, 0o664), 0)
        try Workspace.save(WorkspaceContents(settings: ["k": "v"]), to: shared)
        XCTAssertEqual(try mode(shared), 0o664)
    }

    /// A user may not replace a file they may not write; root may, and the file stays read-only.
    func testReadOnlyFileIsRefusedUnlessRoot() throws {
        let path = scratchFile("locked.json")
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(chmod(path, 0o444), 0)
        if geteuid() == 0 {
            try AtomicFile.write(Data("new".utf8), to: path)
            XCTAssertEqual(try contents(path), "new")
        } else {
            assertModelshError(.io, containing: ["\(path): cannot write (permission denied)"]) {
                try AtomicFile.write(Data("new".utf8), to: path)
            }
            XCTAssertEqual(try contents(path), "old")
        }
        XCTAssertEqual(try mode(path), 0o444)
        XCTAssertEqual(try scratchContents(), ["locked.json"])
    }
}
