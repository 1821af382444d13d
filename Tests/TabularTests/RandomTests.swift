import Numerics
import XCTest

/// Pins the generator's stream: splits recorded in transcripts depend on it forever.
///
/// Expected values come from an independent Python implementation of the documented algorithm
/// (SplitMix64 seeding, xoshiro256**, Lemire bounded integers, Fisher–Yates from the top) with
/// explicit `& (2**64 - 1)` masking, seed 42.
final class RandomTests: XCTestCase {
    func testRawStreamForSeed42() {
        var generator = Xoshiro256StarStar(seed: 42)
        let expected: [UInt64] = [0x1578_0B2E_0C2E_C716, 0x6104_D986_6D11_3A7E, 0xAE17_5332_39E4_99A1,
                                  0xECB8_AD47_03B3_60A1, 0xFDE6_DC7F_E2EC_5E64]
        XCTAssertEqual((0..<5).map { _ in generator.nextUInt64() }, expected)
    }

    func testSeedZeroIsAValidState() {
        var generator = Xoshiro256StarStar(seed: 0)
        XCTAssertEqual([generator.nextUInt64(), generator.nextUInt64()], [0x99EC_5F36_CB75_F2B4, 0xBF6E_1F78_4956_452A])
    }

    func testUniformForSeed42() {
        var generator = Xoshiro256StarStar(seed: 42)
        XCTAssertEqual((0..<3).map { _ in generator.uniform() }, [0.08386297105988216, 0.3789802506626686, 0.6800434110281394])
    }

    func testBoundedForSeed42() {
        var generator = Xoshiro256StarStar(seed: 42)
        XCTAssertEqual((0..<10).map { _ in generator.bounded(10) }, [0, 3, 6, 9, 9, 7, 7, 8, 7, 5])
        generator = Xoshiro256StarStar(seed: 42)
        XCTAssertEqual((0..<10).map { _ in generator.bounded(3) }, [0, 1, 2, 2, 2, 2, 2, 2, 2, 1])
    }

    func testShuffleForSeed42() {
        var generator = Xoshiro256StarStar(seed: 42)
        XCTAssertEqual(generator.permutation(of: 10), [9, 1, 4, 2, 8, 7, 6, 5, 3, 0])
    }

    func testBoundedStaysInRangeForLargeBounds() {
        var generator = Xoshiro256StarStar(seed: 1)
        let bound = UInt64(1) << 63 + 12345
        for _ in 0..<1000 { XCTAssertLessThan(generator.bounded(bound), bound) }
    }
}
