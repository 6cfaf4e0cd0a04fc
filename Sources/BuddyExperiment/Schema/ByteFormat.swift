/// Byte counts as the experiment files write them (`4KiB`, `128MiB`, `1536MiB`, `1GiB`).
///
/// The largest binary unit that divides the value exactly, so what a report prints can be pasted
/// back into an experiment file and means the same thing.
public enum ByteFormat {
    public static func string(_ bytes: Int) -> String {
        let units = ["TiB", "GiB", "MiB", "KiB"]
        for (i, unit) in units.enumerated() {
            let shift = 40 - 10 * i
            if bytes != 0, bytes % (1 << shift) == 0 { return "\(bytes >> shift)\(unit)" }
        }
        return "\(bytes)B"
    }

    /// Bytes in MiB, with up to three decimals when not whole (`0.5MiB` for a 512 KiB zone).
    public static func mebibytes(_ bytes: Int) -> String {
        let whole = bytes >> 20
        let rest = bytes & ((1 << 20) - 1)
        if rest == 0 { return "\(whole)MiB" }
        let thousandths = (rest * 1000 + (1 << 19)) >> 20
        if thousandths >= 1000 { return "\(whole + 1)MiB" }
        var fraction = String(thousandths)
        while fraction.count < 3 { fraction = "0" + fraction }
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return fraction.isEmpty ? "\(whole)MiB" : "\(whole).\(fraction)MiB"
    }
}
