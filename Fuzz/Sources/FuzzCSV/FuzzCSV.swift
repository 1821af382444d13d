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

/// The kernel reads records only from windows of 4 KiB on, and the reader splits a block into
/// pieces only when it is larger still, which inputs of the fuzzer's lengths seldom reach: the
/// input's lines after its first, repeated past 16 KiB, must give the same columns, types and
/// values with the kernel, and in small blocks of pieces, as field by field in one piece, or the
/// same error.
private func kernelReadsAsFieldByField(_ bytes: [UInt8]) {
    guard let headerEnd = bytes.firstIndex(of: UInt8(ascii: "\n")), headerEnd + 1 < bytes.count else { return }
    var body = Array(bytes[(headerEnd + 1)...])
    if body.last != UInt8(ascii: "\n") { body.append(UInt8(ascii: "\n")) }
    var tiled = Array(bytes[...headerEnd])
    while tiled.count < 16 << 10 { tiled += body }
    let fieldByField = outcome(tiled, CSVReadingPlan(readsRecordRuns: false))
    // With the kernel; and in small blocks read in pieces on every core (pieces start where a
    // record seems to, perhaps inside a quoted field, and are joined), with the kernel.
    for (plan, what) in [(CSVReadingPlan(), "the kernel"), (CSVReadingPlan(blockSize: 4 << 10, minimumPieceSize: 512), "small blocks in pieces")] {
        let read = outcome(tiled, plan)
        if read != fieldByField {
            fatalError("\(what) read differently:\n\(read.prefix(2000))\n--- field by field:\n\(fieldByField.prefix(2000))")
        }
    }
}

/// What reading `bytes` gives, as text: each column's name and type, then the dataset as CSV
/// (which writes every value so that it reads back the same), or the error.
private func outcome(_ bytes: [UInt8], _ plan: CSVReadingPlan) -> String {
    do {
        let data = try CSVReader.read(bytes: bytes, sourceName: "fuzz.csv", options: CSVOptions(), plan: plan)
        return data.columns.map { "\($0.name): \($0.type)" }.joined(separator: ", ") + "\n" + String(decoding: DataWriter.csv(data), as: UTF8.self)
    } catch {
        return "error: \(error)"
    }
}
