import Plotting
import XCTest

final class TicksTests: XCTestCase {
    func testStepsAreOneTwoOrFiveTimesAPowerOfTen() {
        XCTAssertEqual(Ticks.step(span: 10, count: 5), 2)
        XCTAssertEqual(Ticks.step(span: 1, count: 5), 0.2)
        XCTAssertEqual(Ticks.step(span: 7, count: 5), 1)
        XCTAssertEqual(Ticks.step(span: 23, count: 5), 5)
        XCTAssertEqual(Ticks.step(span: 6.5, count: 3), 2)
        XCTAssertEqual(Ticks.step(span: 0.037, count: 4), 0.01)
        XCTAssertEqual(Ticks.step(span: 3400, count: 6), 500)
    }

    func testTicksAreWholeMultiplesInsideTheRange() {
        XCTAssertEqual(Ticks.values(from: 0, to: 10, count: 5), [0, 2, 4, 6, 8, 10])
        XCTAssertEqual(Ticks.values(from: -3.7, to: 12.2, count: 5), [0, 5, 10])
        XCTAssertEqual(Ticks.values(from: 0, to: 1, count: 5), [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1])
        XCTAssertEqual(Ticks.values(from: -1, to: 0, count: 2), [-1, -0.5, 0])
        XCTAssertEqual(Ticks.values(from: 5, to: 5, count: 5), [5])
    }

    func testLabelsShowTheDecimalsTheStepNeeds() {
        XCTAssertEqual(Ticks.labels(Ticks.values(from: 0, to: 1, count: 5)), ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        XCTAssertEqual(Ticks.labels([0, 50, 100]), ["0", "50", "100"])
        XCTAssertEqual(Ticks.labels([-0.05, 0, 0.05]), ["-0.05", "0.00", "0.05"])
        XCTAssertEqual(Ticks.labels([0, 2e6, 4e6]), ["0", "2e+06", "4e+06"])
    }
}
