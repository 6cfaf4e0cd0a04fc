import BuddyOracle
import Foundation
import Testing

/// `--kernel-patch FILE` / `SERIES+FILE` (issue 24): the patch's shape is checked before
/// anything runs — every refusal names FILE:LINE — and its SHA-256 (the patched kernel's cache
/// key with the base key) is over the file's bytes.
@Suite struct KernelPatchTests {
    static let tiny = tinyText
    static let tinyText = "--- a/mm/x.c\n+++ b/mm/x.c\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n"

    func parse(_ text: String, path: String = "p.patch") throws(KernelPatch.Problem) -> KernelPatch {
        try KernelPatch.parse(Data(text.utf8), path: path)
    }

    func problem(_ text: String) -> String? {
        do { _ = try parse(text); return nil } catch { return error.message }
    }

    @Test func tinyPatch() throws {
        let p = try parse(Self.tiny, path: "dir/fix-it.patch")
        // sha256sum of the same bytes.
        #expect(p.sha256 == "d408758fafaf5bf332b54d885c63213419920e9e8f91ba093a26aade2a9abf6e")
        #expect(p.files == ["mm/x.c"])
        #expect(p.hunks == 1)
        #expect(p.name == "fix-it")
    }

    /// The bundled examples: one hunk each in mm/page_alloc.c, leading prose ignored (as patch does).
    @Test(arguments: ["move-freelist-head", "watermark-safe-false", "revert-1ebbb21811b7-watermark"]) func bundledExamples(_ name: String) throws {
        let root = try #require(OracleRunner.repositoryRoot(from: URL(fileURLWithPath: #filePath).path))
        let p = try KernelPatch.load(root + "/experiments/patches/\(name).patch")
        #expect(p.name == name)
        #expect(p.files == ["mm/page_alloc.c"])
        #expect(p.hunks == 1)
    }

    @Test func gitStyleTwoFilesTwoHunks() throws {
        let text = """
        diff --git a/mm/a.c b/mm/a.c
        index 1..2 100644
        --- a/mm/a.c
        +++ b/mm/a.c
        @@ -1 +1 @@
        -x
        +y
        @@ -10,3 +10,4 @@ static int f(void)
         a
        +b
         c

        \\ No newline at end of file
        --- /dev/null
        +++ b/mm/new.c
        @@ -0,0 +1 @@
        +int z;

        """
        let p = try parse(text)
        #expect(p.files == ["mm/a.c", "mm/new.c"])
        #expect(p.hunks == 3)
    }

    @Test func sameBytesSameKeyOtherBytesOtherKey() throws {
        let a = try parse(Self.tiny, path: "a.patch"), b = try parse(Self.tiny, path: "elsewhere/b.diff")
        #expect(a.sha256 == b.sha256)
        #expect(b.name == "b")
        let c = try parse(Self.tiny.replacingOccurrences(of: "+c", with: "+d"))
        #expect(c.sha256 != a.sha256)
    }

    @Test func notADiff() {
        #expect(problem("hello\n") == "p.patch:1:1: not a unified diff: no '--- a/FILE' / '+++ b/FILE' / '@@' hunk in it")
        #expect(problem("") == "p.patch:1:1: not a unified diff: no '--- a/FILE' / '+++ b/FILE' / '@@' hunk in it")
    }

    @Test func truncatedHunk() {
        let text = "--- a/mm/x.c\n+++ b/mm/x.c\n@@ -1,3 +1,3 @@\n a\n-b\n+c\n"
        #expect(problem(text) == "p.patch:3:1: hunk of mm/x.c wants 3 old and 3 new lines, the file ends after 2 and 2 (truncated patch?)")
    }

    @Test func badHunkLine() {
        let text = "--- a/mm/x.c\n+++ b/mm/x.c\n@@ -1,2 +1,2 @@\n a\n*b\n+c\n"
        #expect(problem(text)?.hasPrefix("p.patch:5:1: line inside a hunk of mm/x.c starts with neither") == true)
    }

    @Test func malformedHeader() {
        #expect(problem("--- a/mm/x.c\n+++ b/mm/x.c\n@@ -1,x +1 @@\n a\n") == "p.patch:3:1: malformed hunk header '@@ -1,x +1 @@'")
        #expect(problem("--- a/mm/x.c\n+++ b/mm/x.c\nhello\n") == "p.patch:3:1: no hunk ('@@ -L,N +L,N @@') after the header of mm/x.c")
        #expect(problem("@@ -1 +1 @@\n-a\n+b\n") == "p.patch:1:1: hunk without a '--- a/FILE' / '+++ b/FILE' header before it")
    }

    /// -p1 only: a path with nothing to strip, or one leaving the tree, is refused.
    @Test func pathsMustStripOneComponent() {
        #expect(problem("--- x.c\n+++ x.c\n@@ -1 +1 @@\n-a\n+b\n")?.hasPrefix("p.patch:2:1: 'x.c' has no leading directory to strip") == true)
        #expect(problem("--- a/../x.c\n+++ b/../x.c\n@@ -1 +1 @@\n-a\n+b\n") == "p.patch:2:1: 'b/../x.c' is not a path inside the kernel tree")
    }

    @Test func unreadable() {
        #expect(throws: KernelPatch.Problem(message: "--kernel-patch /nonexistent/x.patch: not a readable file")) {
            try KernelPatch.load("/nonexistent/x.patch")
        }
    }

    @Test func targetSpelling() throws {
        let root = try #require(OracleRunner.repositoryRoot(from: URL(fileURLWithPath: #filePath).path))
        let file = root + "/experiments/patches/move-freelist-head.patch"
        let base = try KernelTarget.parse("6.1", flag: "--kernels")
        #expect(base.patch == nil && base.description == "6.1")
        #expect(base.label(version: "6.1.192") == "kernel 6.1.192 (UML)")
        let patched = try KernelTarget.parse("6.12+" + file, flag: "--kernels")
        #expect(patched.series == "6.12" && patched.patch?.path == file)
        #expect(patched.description == "6.12+" + file)
        #expect(patched.label(version: "6.12.118") == "kernel 6.12.118 + move-freelist-head (UML)")
        #expect(throws: KernelPatch.Problem.self) { try KernelTarget.parse("5.4+" + file, flag: "--kernels") }
        #expect(throws: KernelPatch.Problem(message: "--kernels '6.1+': no patch file after '+'")) {
            try KernelTarget.parse("6.1+", flag: "--kernels")
        }
    }
}
