// buddyfuzz: the fuzz targets of `BuddyFuzz` under libFuzzer.
//
//   make fuzz                      builds with -sanitize=fuzzer and runs every target
//   buddyfuzz TARGET [libFuzzer flags] [CORPUS_DIR...]     (fuzz build)
//   buddyfuzz TARGET FILE...       (plain build: runs each file once and prints the outcome)
//
// The fuzz build defines BUDDYFUZZ: `main` is ours, and libFuzzer's driver is entered through
// LLVMFuzzerRunDriver (so the archive's own `main` is never linked).
import BuddyFuzz
#if canImport(Glibc)
import Glibc
#endif

func complain(_ text: String) { text.withCString { _ = write(2, $0, strlen($0)) } }

let arguments = CommandLine.arguments
guard arguments.count >= 2, let target = FuzzTarget(rawValue: arguments[1]) else {
    let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
    complain("usage: buddyfuzz TARGET [libFuzzer options | files]; targets: \(names)\n")
    exit(2)
}

#if BUDDYFUZZ
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

nonisolated(unsafe) var selected = target
var argv: [UnsafeMutablePointer<CChar>?] = ([arguments[0]] + arguments.dropFirst(2)).map { strdup($0) } + [nil]
var argc = Int32(argv.count - 1)
let status = argv.withUnsafeMutableBufferPointer { buffer -> Int32 in
    var base = buffer.baseAddress
    return LLVMFuzzerRunDriver(&argc, &base) { data, size in
        let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
        _ = selected.run(bytes)
        return 0
    }
}
exit(status)
#else
var accepted = 0, refused = 0
for path in arguments.dropFirst(2) {
    guard let file = fopen(path, "rb") else { complain("buddyfuzz: cannot open \(path)\n"); exit(2) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let n = fread(&chunk, 1, chunk.count, file)
        bytes += chunk[0..<n]
        if n < chunk.count { break }
    }
    fclose(file)
    switch target.run(bytes) {
    case .accepted: accepted += 1; print("\(path): accepted")
    case .refused(let why): refused += 1; print("\(path): refused: \(why)")
    }
}
print("\(accepted) accepted, \(refused) refused")
#endif
