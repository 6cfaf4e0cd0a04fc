import BuddyYAML

/// Parses `text` that must contain a document.
func document(_ text: String, file: String = "t.yaml") throws -> YAMLNode {
    guard let node = try YAML.parse(string: text, file: file) else {
        throw TestFailure("no document in \(text.debugDescription)")
    }
    return node
}

/// The parse error for `bytes`, or nil if they parse.
func parseError(_ bytes: [UInt8], limits: YAMLLimits = .default) -> YAMLError? {
    do {
        _ = try YAML.parse(bytes: bytes, file: "t.yaml", limits: limits)
        return nil
    } catch {
        return error
    }
}

/// The parse error for `text`, or nil if it parses.
func parseError(_ text: String) -> YAMLError? {
    parseError(Array(text.utf8))
}

/// The decode error thrown by `body`, or nil if it succeeds.
func decodeError<T>(_ body: () throws -> T) -> YAMLDecodeError? {
    do {
        _ = try body()
        return nil
    } catch let error as YAMLDecodeError {
        return error
    } catch {
        return YAMLDecodeError(file: "?", line: 0, column: 0, message: "unexpected \(error)")
    }
}

/// A reader for file `t.yaml`.
let reader = NodeReader(file: "t.yaml")

/// The root scalar (or collection) of a one-line document, e.g. `node("64MiB")`.
func node(_ text: String) throws -> YAMLNode {
    try document(text)
}

/// The message of the decode error `body` throws, or a marker when it does not throw.
func message<T>(_ body: () throws -> T) -> String {
    decodeError(body)?.message ?? "<no error>"
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The message of the decode error `read` throws for the document `text`.
func failure<T>(_ text: String, _ read: (YAMLNode) throws -> T) throws -> String {
    let value = try node(text)
    return message { try read(value) }
}
