import BuddyResults
import Foundation
import Testing

/// `ResultStore.write(batch:)`: what `write(_:)` guarantees per record (published complete by
/// `link`, never over another file, identical twins found, differing reruns numbered), for a
/// whole experiment's records with two file-system syncs (issue 25).
@Suite("ResultStore: batch writes")
struct ResultStoreBatchWriteTests {
    /// Every record lands where `write(_:)` would put it, in the batch's order of results; a
    /// second batch of the same records finds them (created false); a batch holding a rerun
    /// with another timing numbers it `seed-<n>.1.json`. No temporary file is left.
    @Test func aBatchStoresEachRecordAsASingleWriteWould() throws {
        let root = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = ResultStore(root: root)
        let records = [
            Fixtures.record(commit: Fixtures.commit(4), seed: 1),
            Fixtures.record(commit: Fixtures.commit(4), seed: 2),
            Fixtures.record(commit: Fixtures.commit(4), variant: "linux-6.1", seed: 1),
            Fixtures.record(commit: nil, variant: "minchan-2012", seed: 7),
        ]
        let first = store.write(batch: records).map { try? $0.get() }
        #expect(first.allSatisfy { $0?.created == true && $0?.sequence == 0 })
        let sha12 = String(Fixtures.experimentSHA.prefix(12)), commit12 = String(Fixtures.commit(4).prefix(12))
        #expect(first.map { $0?.path } == [
            "\(root)/neighbour-unmovable/\(sha12)/\(commit12)/linux-5.18/seed-1.json",
            "\(root)/neighbour-unmovable/\(sha12)/\(commit12)/linux-5.18/seed-2.json",
            "\(root)/neighbour-unmovable/\(sha12)/\(commit12)/linux-6.1/seed-1.json",
            "\(root)/neighbour-unmovable/\(sha12)/norev/minchan-2012/seed-7.json",
        ])
        let stored = store.records().records
        #expect(stored.count == 4 && records.allSatisfy { stored.contains($0) })

        let again = store.write(batch: records).map { try? $0.get() }
        #expect(again.allSatisfy { $0?.created == false })
        #expect(again.map { $0?.path } == first.map { $0?.path })

        let rerun = Fixtures.record(commit: Fixtures.commit(4), seed: 2, timing: 9.5)
        let third = store.write(batch: [rerun, records[0]]).map { try? $0.get() }
        #expect(third[0]?.created == true && third[0]?.sequence == 1 && third[0]?.path.hasSuffix("/linux-5.18/seed-2.1.json") == true)
        #expect(third[1]?.created == false)
        #expect(store.records().records.count == 5)
        #expect(!Fixtures.files(under: root).contains { $0.contains(".tmp-") }, "no temporary files left")
    }

    /// One record whose directory cannot be made (a file stands where its variant directory
    /// goes) fails alone, with the path named; the others are stored.
    @Test func oneFailingRecordDoesNotStopTheOthers() throws {
        let root = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = ResultStore(root: root)
        let blocked = Fixtures.record(commit: Fixtures.commit(5), variant: "linux-6.12", seed: 1)
        let dir = store.directory(for: blocked)
        try FileManager.default.createDirectory(atPath: (dir as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: dir, contents: Data("not a directory".utf8)))
        let ok = Fixtures.record(commit: Fixtures.commit(5), seed: 1)
        let results = store.write(batch: [ok, blocked])
        #expect((try? results[0].get())?.created == true)
        guard case .failure(let error) = results[1] else { Issue.record("the blocked record was stored"); return }
        #expect(String(describing: error).contains("linux-6.12"))
        #expect(store.records().records == [ok])
    }

    /// An empty batch touches nothing (not even the root).
    @Test func anEmptyBatchWritesNothing() throws {
        let root = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let store = ResultStore(root: root + "/never")
        #expect(store.write(batch: []).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: root + "/never"))
    }
}
