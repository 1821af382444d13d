import Foundation
import Store
import FuzzSupport

@_cdecl("FuzzModelJSON_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzOne)
}

/// Any input may be refused with an error; none may crash, hang or leak.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    _ = try? ModelArchive.decode(Data(bytes), source: "fuzz.json")
    return 0
}
