import BuddyResults
import Foundation
import Testing

@Suite("ResultStore: concurrent writers")
struct ResultStoreConcurrencyTests {
    /// Eight writers (two stores on one root) race over the same ten keys. Writers w and w+4 write
    /// identical records, the others differ by timing, so every key must end with exactly four files
    /// (four distinct contents), none lost, none overwritten, no temporary file left behind.
    @Test func concurrentWritersLoseNothing() async throws {
        let root = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let writers = 8
        let keys: [(String, UInt64)] = ["linux-5.18", "linux-5.19"].flatMap { variant in (1...5).map { (variant, UInt64($0)) } }

        let outcomes = try await withThrowingTaskGroup(of: [StoreWriteResult].self) { group in
            for writer in 0..<writers {
                group.addTask {
                    let store = ResultStore(root: root)  // an independent handle, as another process would have
                    var results: [StoreWriteResult] = []
                    for (variant, seed) in keys {
                        let record = Fixtures.record(commit: Fixtures.commit(7), variant: variant, seed: seed,
                                                     timing: Double(writer % 4), storedAt: "writer-\(writer)")
                        results.append(try store.write(record))
                    }
                    return results
                }
            }
            var all: [StoreWriteResult] = []
            for try await results in group { all += results }
            return all
        }

        #expect(outcomes.count == writers * keys.count)
        #expect(outcomes.filter(\.created).count == 4 * keys.count)
        let files = Fixtures.files(under: root)
        #expect(files.count == 4 * keys.count)
        #expect(!files.contains { $0.contains(".tmp-") })

        let (records, problems) = ResultStore(root: root).records()
        #expect(problems.isEmpty)
        for (variant, seed) in keys {
            let timings = records.matching(variant: variant).filter { $0.run.seed == seed }
                .compactMap { $0.run.timing?["wall_seconds"] }
            #expect(Set(timings) == [0, 1, 2, 3], "every distinct record of \(variant)/\(seed) landed once")
            #expect(timings.count == 4)
        }
    }
}
