/// "Did you mean …?" support: Levenshtein distance and nearest-candidate search.
///
/// An unknown key is almost always a typo of a valid one (`pagblock_order`), and naming the
/// intended key turns a lookup in the schema reference into a one-character fix.
public enum EditDistance {
    /// The Levenshtein distance (insertions, deletions, substitutions) between two strings,
    /// counted in Unicode scalars. Two rows of O(min) memory; keys are short.
    public static func levenshtein(_ a: String, _ b: String) -> Int {
        let source = Array(a.unicodeScalars)
        let target = Array(b.unicodeScalars)
        if source.isEmpty { return target.count }
        if target.isEmpty { return source.count }
        var previous = Array(0...target.count)
        var current = [Int](repeating: 0, count: target.count + 1)
        for i in 1...source.count {
            current[0] = i
            for j in 1...target.count {
                let substitution = previous[j - 1] + (source[i - 1] == target[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[target.count]
    }

    /// The candidate closest to `word`, if it is close enough to be a plausible typo.
    ///
    /// "Close enough" is at most `maxDistance` edits and at most half the longer word, so a
    /// short unrelated key (`x` vs `seeds`) gets the list of valid keys instead of a silly guess.
    /// Ties go to the earlier candidate, which keeps the suggestion deterministic.
    public static func nearest(to word: String, in candidates: [String], maxDistance: Int = 3) -> String? {
        var best: (candidate: String, distance: Int)?
        for candidate in candidates where candidate != word {
            let distance = levenshtein(word, candidate)
            let longer = max(word.unicodeScalars.count, candidate.unicodeScalars.count)
            guard distance <= maxDistance, distance * 2 <= longer else { continue }
            if best == nil || distance < (best?.distance ?? Int.max) {
                best = (candidate, distance)
            }
        }
        return best?.candidate
    }
}
