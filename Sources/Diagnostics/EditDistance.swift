import Foundation

/// Suggestions for misspelt names, from the Damerau–Levenshtein (optimal string alignment)
/// distance, compared case-insensitively so `bmi` finds `BMI`.
public enum EditDistance {
    public static func distance(_ a: String, _ b: String) -> Int {
        let s = Array(a.lowercased()), t = Array(b.lowercased())
        if s.isEmpty { return t.count }
        if t.isEmpty { return s.count }
        var previous2 = [Int](repeating: 0, count: t.count + 1)
        var previous = Array(0...t.count)
        var current = [Int](repeating: 0, count: t.count + 1)
        for i in 1...s.count {
            current[0] = i
            for j in 1...t.count {
                let cost = s[i - 1] == t[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, s[i - 1] == t[j - 2], s[i - 2] == t[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[t.count]
    }

    /// The closest candidate within a distance that grows with the name's length, or nil. One
    /// that would need every character of the name changed is a guess, offered only when no
    /// other candidate is as close (`n` suggests the one model `m`; `9` among levels 4, 5, …
    /// suggests none). An exact case-insensitive match wins outright, and so does one that
    /// differs only by spaces around it (a CSV header ` a , b` keeps them, as pandas does: `a`
    /// finds ` a `).
    public static func suggestion(for name: String, among candidates: some Collection<String>) -> String? {
        let trimmed = name.trimmingCharacters(in: .whitespaces).lowercased()
        if let padded = candidates.first(where: { $0.trimmingCharacters(in: .whitespaces).lowercased() == trimmed }) {
            return padded
        }
        let limit = max(1, min(3, name.count / 3 + 1))
        var best: (name: String, distance: Int)?, tied = false
        for candidate in candidates {
            let d = distance(name, candidate)
            guard d <= limit, best == nil || d <= best!.distance else { continue }
            tied = best?.distance == d
            if !tied { best = (candidate, d) }
        }
        guard let best, !(tied && best.distance >= name.count) else { return nil }
        return best.name
    }

    /// "; did you mean 'X'?" or the empty string, ready to append to a message. A name that
    /// must be typed quoted is shown quoted, so the suggestion can be typed as shown.
    public static func didYouMean(_ name: String, among candidates: some Collection<String>) -> String {
        guard let match = suggestion(for: name, among: candidates) else { return "" }
        return "; did you mean \(Identifier.quoted(match))?"
    }

    /// The one message for a name that is not there, e.g. "unknown column 'bmi' in dataset 'd';
    /// did you mean 'BMI'?", with `listing` (every kind there is, say) in parentheses when given.
    public static func unknown(_ what: String, _ name: String, in place: String? = nil, among candidates: [String],
                               listing: String? = nil) -> String {
        "unknown \(what) \(Identifier.quoted(name))" + (place.map { " in \($0)" } ?? "")
            + didYouMean(name, among: candidates) + (listing.map { " (\($0))" } ?? "")
    }
}
