import Foundation
import Testing

/// The kernel-format printer of these tests reproduces a real kernel's files, so it can be
/// trusted as the reference for the simulator's dumps.
@Suite struct KernelProcFormatTests {
    @Test func reprintsRealBuddyinfo() throws {
        let text = try fixture("buddyinfo-6.18-x86_64.txt")
        let lines = KernelProcFormat.buddyinfo(text)
        #expect(lines.count == 3)
        for (line, kernel) in lines { #expect(line == kernel) }
    }

    @Test func reprintsRealPagetypeinfo() throws {
        let text = try fixture("pagetypeinfo-6.18-x86_64.txt")
        let lines = KernelProcFormat.pagetypeinfo(text)
        // 3 header lines, the free header, 3 zones × 5 types, a blank, the block header, 3 zones.
        #expect(lines.count == 3 + 1 + 15 + 1 + 1 + 3)
        for (line, kernel) in lines { #expect(line == kernel) }
    }

    /// A line padded differently is caught (the check is not vacuous).
    @Test func catchesWrongPadding() {
        let lines = KernelProcFormat.buddyinfo("Node 0, zone Normal      1      2 \n")
        #expect(lines.count == 1)
        #expect(lines[0].kernel == "Node 0, zone   Normal      1      2 ")
        #expect(lines[0].line != lines[0].kernel)
    }

    private func fixture(_ name: String) throws -> String {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name)
        return try String(contentsOf: url, encoding: .utf8)
    }
}
