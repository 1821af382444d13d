import Language
import FuzzSupport

@_cdecl("FuzzParser_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzOne)
}

/// Any input may be refused with an error; none may crash, hang or leak.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    _ = try? Parser.parse(String(decoding: bytes, as: UTF8.self), file: "fuzz.msh")
    return 0
}
