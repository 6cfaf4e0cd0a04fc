import Foundation

/// `/proc/buddyinfo` and `/proc/pagetypeinfo` as mm/vmstat.c prints them, to check that a dump
/// has the kernel's layout: each line is parsed for its values and printed again with the
/// kernel's own `seq_printf` formats, which must give the line back byte for byte.
///
/// The formats (mm/vmstat.c, v6.18):
///   buddyinfo row       "Node %d, zone %8s " + "%6lu " per order
///   pagetypeinfo        "Page block order: %d\n" "Pages per block:  %lu\n" "\n"
///     free header       "%-43s " "Free pages count per migrate type at order" + "%6d " per order
///     free row          "Node %4d, zone %8s, type %12s " + "%6lu " per order
///     block header      "\n%-23s" "Number of blocks type " + "%12s " per migrate type
///     block row         "Node %d, zone %8s " + "%12lu " per migrate type
/// The fixtures under Fixtures/ are a real 6.18 machine's files; `KernelProcFormatTests` checks
/// that this printer reproduces them before it is trusted with the simulator's dumps.
enum KernelProcFormat {
    /// A pagetypeinfo header or free-count row as the kernel prints it from the values parsed
    /// out of `line`; nil for any other line (block-count rows look like buddyinfo rows and are
    /// told apart by position, see `pagetypeinfo(_:)`).
    static func reprint(_ line: Substring) -> String? {
        let t = line.split(separator: " ")
        if line.hasPrefix("Page block order: ") { return t.count == 4 ? "Page block order: \(t[3])" : nil }
        if line.hasPrefix("Pages per block: ") { return t.count == 4 ? "Pages per block:  \(t[3])" : nil }
        if line.hasPrefix("Free pages count per migrate type at order") {
            let orders = t.dropFirst(8)
            return left("Free pages count per migrate type at order", 43) + " " + orders.map { right($0, 6) + " " }.joined()
        }
        if line.hasPrefix("Number of blocks type") {
            return left("Number of blocks type ", 23) + t.dropFirst(4).map { right($0, 12) + " " }.joined()
        }
        // Free-count row: the zone name carries the comma, then "type NAME".
        guard t.count >= 7, t[0] == "Node", t[1].hasSuffix(","), t[2] == "zone", t[3].hasSuffix(","),
              t[4] == "type" else { return nil }
        return "Node " + right(t[1].dropLast(), 4) + ", zone " + right(t[3].dropLast(), 8) + ", type "
            + right(t[5], 12) + " " + t.dropFirst(6).map { right($0, 6) + " " }.joined()
    }

    /// A buddyinfo row, reprinted.
    static func reprintBuddyinfo(_ line: Substring) -> String? {
        let t = line.split(separator: " ")
        guard t.count >= 5, t[0] == "Node", t[1].hasSuffix(","), t[2] == "zone" else { return nil }
        return "Node \(t[1].dropLast()), zone " + right(t[3], 8) + " " + t.dropFirst(4).map { right($0, 6) + " " }.joined()
    }

    /// A pagetypeinfo block-count row, reprinted.
    static func reprintBlockCount(_ line: Substring) -> String? {
        let t = line.split(separator: " ")
        guard t.count >= 5, t[0] == "Node", t[1].hasSuffix(","), t[2] == "zone", !t[3].hasSuffix(",") else { return nil }
        return "Node \(t[1].dropLast()), zone " + right(t[3], 8) + " " + t.dropFirst(4).map { right($0, 12) + " " }.joined()
    }

    /// Every line of a buddyinfo dump paired with its reprint (nil: not a buddyinfo row).
    static func buddyinfo(_ text: String) -> [(line: String, kernel: String?)] {
        text.split(separator: "\n").map { (String($0), reprintBuddyinfo($0)) }
    }

    /// Every line of a pagetypeinfo dump paired with its reprint; blank lines are kept as they
    /// are (the kernel prints exactly two: after the header and before the block counts).
    static func pagetypeinfo(_ text: String) -> [(line: String, kernel: String?)] {
        var inBlockCounts = false
        return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(text.hasSuffix("\n") ? 1 : 0).map { line in
            if line.isEmpty { return ("", "") }
            if line.hasPrefix("Number of blocks type") { inBlockCounts = true }
            let kernel = reprint(line) ?? (inBlockCounts ? reprintBlockCount(line) : nil)
            return (String(line), kernel)
        }
    }

    private static func right(_ s: Substring, _ width: Int) -> String {
        s.count >= width ? String(s) : String(repeating: " ", count: width - s.count) + s
    }

    private static func left(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }
}
