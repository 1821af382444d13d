import Foundation
import Store
import FuzzSupport

@_cdecl("FuzzWorkspace_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzOne)
}

/// Any input may be refused with an error; none may crash, hang or leak.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    // The workspace opener reads a file (SQLite), so each input is written to one first.
    FileManager.default.createFile(atPath: workspacePath, contents: Data(bytes))
    _ = try? Workspace.open(path: workspacePath)
    return 0
}

/// One file per fuzzing process, so `-jobs`/`-workers` runs do not share it.
private let workspacePath = FileManager.default.temporaryDirectory
    .appendingPathComponent("modelsh-fuzz-\(ProcessInfo.processInfo.processIdentifier).msw").path
