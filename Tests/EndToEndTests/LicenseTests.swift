import Foundation
import Testing

/// Issue 12, defect 9: the repository has a licence, and the README says which licence covers
/// which part (the tool: Apache-2.0; kernel-side code under scripts/oracle/: GPL-2.0, with SPDX
/// headers, which this test checks on every such file present).
@Suite struct LicenseTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    @Test func licenceFileAndReadmeAgree() throws {
        let license = try String(contentsOfFile: Self.root + "/LICENSE", encoding: .utf8)
        #expect(license.contains("Apache License"))
        #expect(license.contains("Version 2.0, January 2004"))
        #expect(license.contains("END OF TERMS AND CONDITIONS"))
        let readme = try String(contentsOfFile: Self.root + "/README.md", encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## Licence\n").dropFirst().first)
        #expect(section.contains("Apache License 2.0 (`LICENSE`)"))
        #expect(section.contains("`scripts/oracle/`"))
        #expect(section.contains("GPL-2.0"))
    }

    /// Kernel-side sources (C, headers, patches, shell) under scripts/oracle/ carry the SPDX
    /// header within their first lines.
    @Test func kernelSideFilesCarrySPDXHeaders() throws {
        let base = Self.root + "/scripts/oracle"
        let walker = try #require(FileManager.default.enumerator(atPath: base), "no \(base)")
        var checked: [String] = []
        while let entry = walker.nextObject() as? String {
            guard [".c", ".h", ".patch", ".sh"].contains(where: entry.hasSuffix) else { continue }
            let text = try String(contentsOfFile: base + "/" + entry, encoding: .utf8)
            let head = text.split(separator: "\n", maxSplits: 5).prefix(5).joined(separator: "\n")
            #expect(head.contains("SPDX-License-Identifier: GPL-2.0"), "\(entry)")
            checked.append(entry)
        }
        // The driver is there (issue 11): a walk that found none would check nothing.
        #expect(checked.contains("buddylab_oracle.c"), "\(checked)")
    }
}
