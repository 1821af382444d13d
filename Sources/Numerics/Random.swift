/// The seeded random number generator behind every split, fold and bootstrap in modelsh.
///
/// Splits recorded in session transcripts must come out the same on every machine and in every
/// future version, so the algorithm is fixed here in full rather than borrowed from the standard
/// library (whose `shuffled(using:)` and `next(upperBound:)` may change):
///
/// - **Seeding.** The 64-bit seed drives SplitMix64 (Steele, Lea & Flood 2014); its first four
///   outputs are the four state words of xoshiro256**, as Vigna's reference code recommends.
///   SplitMix64 step: `s += 0x9E3779B97F4A7C15; z = s; z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
///   z = (z ^ (z >> 27)) * 0x94D049BB133111EB; return z ^ (z >> 31)` (all arithmetic mod 2^64).
/// - **Stream.** xoshiro256** 1.0 (Blackman & Vigna 2018): `result = rotl(s1 * 5, 7) * 9`, then
///   `t = s1 << 17; s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 45)`.
/// - **Uniform doubles** in [0, 1): `Double(x >> 11) * 0x1p-53`, so every value is a multiple of 2^-53.
/// - **Bounded integers** in 0..<n: Lemire's multiply-and-reject method. Take the 128-bit
///   product `x * n`; its high word is the answer unless its low word is below
///   `(2^64 - n) mod n`, in which case draw a new `x` and repeat. Unbiased, and usually one draw.
/// - **Shuffles**: Fisher–Yates from the last index down: for `i` from `count - 1` to 1, swap
///   element `i` with element `bounded(i + 1)`.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    public init(seed: UInt64) {
        var splitMix = seed
        func nextSplitMix() -> UInt64 {
            splitMix &+= 0x9E37_79B9_7F4A_7C15
            var z = splitMix
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (nextSplitMix(), nextSplitMix(), nextSplitMix(), nextSplitMix())
    }

    /// The next 64 random bits.
    public mutating func nextUInt64() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, by: 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotateLeft(state.3, by: 45)
        return result
    }

    /// `RandomNumberGenerator` conformance; the same stream as `nextUInt64()`.
    public mutating func next() -> UInt64 { nextUInt64() }

    /// A uniform double in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double {
        Double(nextUInt64() >> 11) * 0x1p-53
    }

    /// A uniform integer in `0..<bound` (Lemire's method, see the type's documentation).
    public mutating func bounded(_ bound: UInt64) -> UInt64 {
        precondition(bound > 0, "bound must be positive")
        var product = nextUInt64().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold {
                product = nextUInt64().multipliedFullWidth(by: bound)
            }
        }
        return product.high
    }

    /// Shuffles `elements` in place: Fisher–Yates from the last index down.
    public mutating func shuffle<T>(_ elements: inout [T]) {
        guard elements.count > 1 else { return }
        for i in stride(from: elements.count - 1, to: 0, by: -1) {
            let j = Int(bounded(UInt64(i + 1)))
            elements.swapAt(i, j)
        }
    }

    /// The integers `0..<count` in shuffled order.
    public mutating func permutation(of count: Int) -> [Int] {
        var indices = Array(0..<count)
        shuffle(&indices)
        return indices
    }

    private func rotateLeft(_ x: UInt64, by k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 - k))
    }
}
