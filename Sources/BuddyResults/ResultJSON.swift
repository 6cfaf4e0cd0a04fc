import Foundation

/// The one JSON encoding of buddylab's records and documents.
///
/// Keys are sorted and output is pretty-printed with a trailing newline, so equal values always
/// give byte-identical files: the store compares records byte for byte, and committed baselines
/// diff cleanly. Slashes are not escaped (`experiments/x.yaml`, not `experiments\/x.yaml`).
public enum ResultJSON {
    /// Encodes `value` as pretty, key-sorted JSON ending in a newline.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var data = try encoder.encode(value)
        data.append(UInt8(ascii: "\n"))
        return data
    }

    /// Decodes a `T` from JSON produced by ``encode(_:)`` (or by hand: whitespace is free).
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try JSONDecoder().decode(type, from: data)
    }
}
