import Foundation

/// `--variants a,b,c` read strictly: an empty entry (`a,,b`, a trailing `,`) or an id listed
/// twice is bad input, as `variants:` in YAML refuses a duplicate (issue 12, defect 7).
/// Unknown ids are checked against the registry later (`Experiment.selecting`).
enum VariantList {
    /// The ids in the order written, or nil without the flag.
    static func parse(_ text: String?, flag: String = "--variants") throws -> [String]? {
        guard let text else { return nil }
        var ids: [String] = []
        let items = text.split(separator: ",", omittingEmptySubsequences: false)
        for (position, item) in items.enumerated() {
            let id = item.trimmingCharacters(in: .whitespaces)
            guard !id.isEmpty else {
                throw BadInput("\(flag) '\(text)': entry \(position + 1) of \(items.count) is empty")
            }
            guard !ids.contains(id) else { throw BadInput("\(flag) '\(text)': variant '\(id)' is listed twice") }
            ids.append(id)
        }
        return ids
    }
}
