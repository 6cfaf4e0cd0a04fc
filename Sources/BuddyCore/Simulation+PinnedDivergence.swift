/// The kind a replayed kernel allocation records when the variant cannot return the pfn the
/// kernel returned (`trace: { mode: pfn }`).
public let pinnedDivergenceKind = "trace-pfn-divergence"

extension Simulation {
    /// A pinned (traced) allocation failed: records why, in kernel terms, as a divergence of the
    /// replay at event `e` — not a fault: the variant did nothing the kernel would crash on, it
    /// merely holds that pfn elsewhere (`RawRun.divergences`).
    ///
    /// Only non-scripted `allocAt` events come from a trace in `pfn` mode (scripted pinned
    /// allocations record an op result instead).
    public func recordPinnedDivergence(_ m: Machine<S>, pfn: Int, order: Int, type: AllocType, at e: Int, _ out: inout RawRun) {
        out.divergences.append((e, pinnedDivergenceKind,
                                "mm_page_alloc pfn \(hex(pfn)) order \(order) \(type.name): " + Self.whyNotFree(m, pfn: pfn, order: order)))
    }

    /// Why `[pfn, pfn + 2^order)` cannot be handed out now, as the engine's state says.
    public static func whyNotFree(_ m: Machine<S>, pfn: Int, order: Int) -> String {
        let last = pfn + (1 << order) - 1
        guard pfn & ((1 << order) - 1) == 0 else { return "pfn not aligned to order \(order)" }
        guard m.pfnValid(pfn), m.pfnValid(last) else { return "outside this machine's RAM" }
        guard m.isOnline(pfn) else { return "memory block \(m.memoryBlock(of: pfn)) is offline" }
        var p = pfn
        while p <= last {
            if let (head, ho) = m.allocatedBlockCovering(p) {
                let info = AllocInfo(raw: m.info[m.index(head)])
                return "pfn \(hex(p)) is in use in this variant (allocated block \(hex(head)) order \(ho) \(info.type.name))"
            }
            if let (head, ho) = m.freeBlockCovering(p) {
                if m.listType(head) == .isolate {
                    return "free block \(hex(head)) order \(ho) is on a MIGRATE_ISOLATE list"
                }
                p = head + (1 << ho)
            } else {
                p += 1
            }
        }
        return "the range is not one free block in this variant"
    }
}
