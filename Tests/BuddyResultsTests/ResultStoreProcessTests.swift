import BuddyResults
import Foundation
import Testing

/// Several *processes* writing one store at once. The test binary re-runs itself as the writer:
/// `storeWriterChildProcess` is enabled only in the children (through environment variables), and
/// the parent starts them with `--testing-library swift-testing --filter storeWriterChildProcess`.
@Suite("ResultStore: concurrent processes")
struct ResultStoreProcessTests {
    static let environment = ProcessInfo.processInfo.environment
    static let childRoot = environment["BUDDYLAB_STORE_WRITER_ROOT"]

    /// This test binary (`/proc/self/exe`), when it is a runnable swift-testing bundle.
    static let testBinary: String? = {
        guard let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"),
              path.hasSuffix(".xctest") else { return nil }
        return path
    }()

    static let keys: [(String, UInt64)] = ["alpha", "beta", "gamma", "delta"].flatMap { variant in
        (1...10).map { (variant, UInt64($0)) }
    }

    @Test(.enabled(if: childRoot != nil, "runs only as a child process of concurrentProcessesLoseNothing"))
    func storeWriterChildProcess() throws {
        let root = try #require(Self.childRoot)
        let writer = try #require(Int(Self.environment["BUDDYLAB_STORE_WRITER_INDEX"] ?? ""))
        let go = root + "/.go"
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: go) && Date() < deadline { usleep(1000) }
        let store = ResultStore(root: root + "/store")
        for (variant, seed) in Self.keys {
            try store.write(Fixtures.record(commit: Fixtures.commit(9), variant: variant, seed: seed,
                                            timing: Double(writer % 2), storedAt: "process-\(writer)"))
        }
    }

    /// Four processes, released together, write the same 40 keys; processes 0/2 and 1/3 write
    /// identical records. Every key must end with exactly two files and no temporary file.
    @Test(.enabled(if: childRoot == nil && testBinary != nil, "needs a re-runnable test binary"))
    func concurrentProcessesLoseNothing() throws {
        let root = try Fixtures.scratchDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let binary = try #require(Self.testBinary)

        var children: [(Process, Pipe)] = []
        for writer in 0..<4 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["--testing-library", "swift-testing", "--filter", "storeWriterChildProcess"]
            var environment = Self.environment
            environment["BUDDYLAB_STORE_WRITER_ROOT"] = root
            environment["BUDDYLAB_STORE_WRITER_INDEX"] = String(writer)
            process.environment = environment
            let output = Pipe()
            process.standardOutput = output
            process.standardError = output
            try process.run()
            children.append((process, output))
        }
        #expect(FileManager.default.createFile(atPath: root + "/.go", contents: Data()))
        for (process, output) in children {
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 0, "writer failed:\n\(text)")
            #expect(text.contains("1 test"), "the child ran its writer test:\n\(text)")
        }

        let files = Fixtures.files(under: root + "/store")
        #expect(files.count == 2 * Self.keys.count)
        #expect(!files.contains { $0.contains(".tmp-") })
        let (records, problems) = ResultStore(root: root + "/store").records()
        #expect(problems.isEmpty)
        for (variant, seed) in Self.keys {
            let timings = records.matching(variant: variant).filter { $0.run.seed == seed }
                .compactMap { $0.run.timing?["wall_seconds"] }
            #expect(timings.sorted() == [0, 1], "\(variant)/seed-\(seed): both distinct records landed once")
        }
    }
}
