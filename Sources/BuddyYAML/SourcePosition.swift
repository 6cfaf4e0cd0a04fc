/// Converts a byte offset into the 1-based line and column a user would see.
///
/// libyaml's reader errors (invalid UTF-8, control characters) set only `problem_offset`, a byte
/// offset into the input, and leave `problem_mark` at 0:0 (toolchain-notes §2, pitfall 5). To
/// report them like every other error we count lines and columns ourselves, using libyaml's
/// own rules so the numbers agree with its marks: columns count code points (bytes that are not
/// UTF-8 continuation bytes), and `\n`, `\r`, `\r\n`, NEL, LS and PS each end a line.
enum SourcePosition {
    static func mark(ofByteOffset offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> YAMLMark {
        let end = min(max(offset, 0), bytes.count)
        var line = 1
        var column = 1
        var index = 0
        while index < end {
            let byte = bytes[index]
            let breakLength = lineBreakLength(at: index, in: bytes)
            if breakLength > 0 {
                line += 1
                column = 1
                index += breakLength
                continue
            }
            if byte & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return YAMLMark(line: line, column: column)
    }

    /// Number of bytes of the line break starting at `index`, or 0 if none starts there.
    private static func lineBreakLength(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        func byte(_ i: Int) -> UInt8? { i < bytes.count ? bytes[i] : nil }
        switch bytes[index] {
        case 0x0A:
            return 1
        case 0x0D:
            return byte(index + 1) == 0x0A ? 2 : 1
        case 0xC2 where byte(index + 1) == 0x85:
            return 2  // NEL
        case 0xE2 where byte(index + 1) == 0x80 && (byte(index + 2) == 0xA8 || byte(index + 2) == 0xA9):
            return 3  // LS, PS
        default:
            return 0
        }
    }
}
