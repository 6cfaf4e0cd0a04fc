import BuddyCore

/// Handles in a command list: a driver handle is the allocating command's index in the batch
/// (protocol 2; protocol 1: the index among successful allocating commands), so dropping commands
/// renumbers them. `KernelShrink` keeps, for each `free H`, the allocating command it frees (by
/// position in the original list) and renumbers per candidate.
public struct KernelShrink {
    /// The original commands.
    public let commands: [OracleCommand]
    /// For each command: the index of the command whose handle it frees (nil: not a free or
    /// a free of an unknown handle).
    let frees: [Int?]
    /// For each command: whether it issued a handle in the original run (from side A's log).
    let issued: [Bool]
    /// Protocol 2 numbering (a handle is its command's index) rather than protocol 1's.
    let handlePerCommand: Bool

    /// `log`: side A's log of `commands` (which allocating commands succeeded).
    public init(commands: [OracleCommand], log: OracleLog) {
        self.commands = commands
        var issued = Array(repeating: false, count: commands.count)
        var owner: [Int: Int] = [:]
        var frees: [Int?] = Array(repeating: nil, count: commands.count)
        for i in commands.indices {
            if case let .free(h) = commands[i] { frees[i] = owner[h] }
            if i < log.steps.count, let h = log.steps[i].result.handle { issued[i] = true; owner[h] = i }
        }
        self.frees = frees
        self.issued = issued
        self.handlePerCommand = log.protocolVersion >= 2
    }

    /// The commands at `keep` (sorted indices of `commands`), a free kept only with its
    /// allocation and renumbered to the handle that allocation gets when the same allocating
    /// commands succeed as in the original run.
    public func candidate(_ keep: [Int]) -> [OracleCommand] {
        let kept = Set(keep)
        var handle: [Int: Int] = [:], next = 0, out: [OracleCommand] = []
        for i in keep {
            if case .free = commands[i] {
                guard let owner = frees[i], kept.contains(owner), let h = handle[owner] else { continue }
                out.append(.free(handle: h))
                continue
            }
            out.append(commands[i])
            if issued[i] { handle[i] = handlePerCommand ? out.count - 1 : next; next += 1 }
        }
        return out
    }

    /// ddmin (Zeller) over the command indices: a 1-minimal subset on which `differs` holds,
    /// within `budget` tests. `differs` must hold on the whole list.
    public static func ddmin(count: Int, budget: Int, differs: ([Int]) throws -> Bool) rethrows -> (keep: [Int], tests: Int, exhausted: Bool) {
        var current = Array(0..<count), n = 2, tests = 0
        func attempt(_ c: [Int]) throws -> Bool? {
            guard tests < budget else { return nil }
            tests += 1
            return try differs(c)
        }
        search: while current.count >= 2 {
            let chunk = (current.count + n - 1) / n
            let parts = stride(from: 0, to: current.count, by: chunk).map { Array(current[$0..<min($0 + chunk, current.count)]) }
            for part in parts {
                guard let hit = try attempt(part) else { return (current, tests, true) }
                if hit { current = part; n = 2; continue search }
            }
            // With two parts the complements are the parts themselves, already tried.
            if parts.count > 2 {
                for part in parts {
                    let complement = current.filter { !part.contains($0) }
                    guard let hit = try attempt(complement) else { return (current, tests, true) }
                    if hit { current = complement; n = max(n - 1, 2); continue search }
                }
            }
            if n >= current.count { break }
            n = min(n * 2, current.count)
        }
        return (current, tests, false)
    }
}
