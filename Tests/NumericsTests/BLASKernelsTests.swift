import CKernels
import Foundation
@testable import Numerics
import XCTest

/// The shell runs the OpenBLAS kernels of its CPU's class of vector instructions, whatever model
/// OpenBLAS takes the CPU for, so that results round alike on machines of one class.
final class BLASKernelsTests: XCTestCase {
    func testKernelsAreThoseOfTheCPUsVectorInstructions() {
        BLASThreads.chooseKernels()
        let running = BLASThreads.runningKernels.lowercased()
        if let chosen = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] {
            // Set by the user (or by make test, to the shell's choice): respected.
            XCTAssertEqual(running, chosen.lowercased())
            return
        }
        switch msh_cpu_vector_class() {
        case 2: XCTAssertEqual(running, "skylakex")
        case 1: XCTAssertEqual(running, "haswell")
        default: break
        }
    }
}
