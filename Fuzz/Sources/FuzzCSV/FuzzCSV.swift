@testable import Tabular
import FuzzSupport

@_cdecl("FuzzCSV_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzOne)
}

/// Any input may be refused with an error; none may crash, hang or leak; and the reader's vector
/// kernel must read what it takes as the field-by-field path does (`kernelReadsAsFieldByField`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    _ = try? CSVReader.read(bytes: bytes, sourceName: "fuzz.csv")
    kernelReadsAsFieldByField(bytes)
    return 0
}

/// The kernel reads records only from windows of 4 KiB on, which inputs of the fuzzer's lengths
/// seldom reach: the input's lines after its first, repeated past 16 KiB, must give the same
/// columns, types and values with the kernel as without it, or the same error.
private func kernelReadsAsFieldByField(_ bytes: [UInt8]) {
    guard let headerEnd = bytes.firstIndex(of: UInt8(ascii: "\n")), headerEnd + 1 < bytes.count else { return }
    var body = Array(bytes[(headerEnd + 1)...])
    if body.last != UInt8(ascii: "\n") { body.append(UInt8(ascii: "\n")) }
    var tiled = Array(bytes[...headerEnd])
    while tiled.count < 16 << 10 { tiled += body }
    let withKernel = outcome(tiled, readsRecordRuns: true), fieldByField = outcome(tiled, readsRecordRuns: false)
    if withKernel != fieldByField {
        fatalError("the kernel read differently:\n\(withKernel.prefix(2000))\n--- field by field:\n\(fieldByField.prefix(2000))")
    }
}

/// What reading `bytes` gives, as text: each column's name and type, then the dataset as CSV
/// (which writes every value so that it reads back the same), or the error.
private func outcome(_ bytes: [UInt8], readsRecordRuns: Bool) -> String {
    do {
        let data = try CSVReader.read(bytes: bytes, sourceName: "fuzz.csv", options: CSVOptions(),
                                      plan: CSVReadingPlan(readsRecordRuns: readsRecordRuns))
        return data.columns.map { "\($0.name): \($0.type)" }.joined(separator: ", ") + "\n" + String(decoding: DataWriter.csv(data), as: UTF8.self)
    } catch {
        return "error: \(error)"
    }
}
