import BuddyExperiment
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// How much memory the simulation may use: `--max-memory SIZE`, else what the host has
/// (`MemAvailable` in `/proc/meminfo`, lowered to the address-space limit `ulimit -v` when that
/// is smaller), else `ProcessInfo.physicalMemory`.
///
/// `run` and `validate` refuse an experiment whose single run does not fit (exit 2 at its
/// `machine:` key, `Experiment.checkMemory`), and `run` runs only as many tasks side by side as
/// fit, so `--jobs` cannot multiply a large machine past the budget.
struct MemoryBudget {
    let bytes: Int
    /// Where `bytes` came from, for messages.
    let source: String

    /// The budget for this process. - Throws: `BadInput` for a malformed `--max-memory`.
    static func resolve(maxMemory: String?) throws -> MemoryBudget {
        if let text = maxMemory {
            guard let bytes = parseSize(text), bytes > 0 else {
                throw BadInput("--max-memory: expected a size such as 16GiB, 512MiB or a number of bytes, found '\(text)'")
            }
            return MemoryBudget(bytes: bytes, source: "--max-memory")
        }
        var budget = MemoryBudget(bytes: Int(clamping: ProcessInfo.processInfo.physicalMemory),
                                  source: "physical memory")
        if let available = memAvailable() {
            budget = MemoryBudget(bytes: available, source: "MemAvailable in /proc/meminfo")
        }
        if let limit = addressSpaceLimit(), limit < budget.bytes {
            budget = MemoryBudget(bytes: limit, source: "address-space limit (ulimit -v)")
        }
        return budget
    }

    /// Refuses `experiment` when one run does not fit (`BadInput` carrying the located message).
    func check(_ experiment: Experiment) throws {
        do { try experiment.checkMemory(availableBytes: bytes, source: source) } catch {
            throw BadInput(String(describing: error))
        }
    }

    /// `16GiB`, `512 MiB`, `1TiB`, `4096` (bytes), `2G` is refused (binary units only, as in
    /// experiment files).
    static func parseSize(_ text: String) -> Int? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        let shifts = ["": 0, "B": 0, "KiB": 10, "MiB": 20, "GiB": 30, "TiB": 40]
        guard !digits.isEmpty, let shift = shifts[unit], let value = Int(digits),
              value <= Int.max >> shift else { return nil }
        return value << shift
    }

    /// `MemAvailable` (kB) of `/proc/meminfo`, in bytes; nil where there is no such file.
    static func memAvailable() -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/meminfo", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("MemAvailable:") {
            let fields = line.split(separator: " ")
            guard fields.count >= 2, let kB = Int(fields[1]) else { return nil }
            return kB * 1024
        }
        return nil
    }

    /// The soft `RLIMIT_AS`, nil when unlimited.
    static func addressSpaceLimit() -> Int? {
        #if canImport(Glibc)
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0,
              limit.rlim_cur != rlim_t.max else { return nil }
        return Int(clamping: limit.rlim_cur)
        #else
        return nil
        #endif
    }
}
