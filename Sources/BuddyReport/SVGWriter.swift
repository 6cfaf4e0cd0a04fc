/// Minimal, deterministic SVG text building for the report's picture files.
///
/// Coordinates are printed with `NumberFormat.fixed` (locale-free, one decimal), and text is
/// XML-escaped, so the same data always gives the same bytes (the files are committed beside the
/// reports and diffed like them).
struct SVGWriter {
    private(set) var body = ""
    let width: Double
    let height: Double

    init(width: Double, height: Double) { self.width = width; self.height = height }

    /// The finished document.
    var document: String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(n(width))\" height=\"\(n(height))\" "
            + "viewBox=\"0 0 \(n(width)) \(n(height))\" font-family=\"sans-serif\" font-size=\"12\">\n"
            + "<rect x=\"0\" y=\"0\" width=\"\(n(width))\" height=\"\(n(height))\" fill=\"#ffffff\"/>\n"
            + body + "</svg>\n"
    }

    mutating func raw(_ text: String) { body += text + "\n" }

    mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String,
                       width w: Double = 1, dash: String = "") {
        body += "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\" "
            + "stroke-width=\"\(n(w))\"" + (dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"") + "/>\n"
    }

    mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String,
                       stroke: String? = nil, opacity: Double? = nil, title: String? = nil) {
        body += "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(w))\" height=\"\(n(h))\" fill=\"\(fill)\""
            + (stroke.map { " stroke=\"\($0)\" stroke-width=\"0.5\"" } ?? "")
            + (opacity.map { " fill-opacity=\"\(NumberFormat.fixed($0, 2))\"" } ?? "")
            + (title.map { "><title>\(Self.escape($0))</title></rect>\n" } ?? "/>\n")
    }

    mutating func polyline(_ points: [(Double, Double)], stroke: String, width w: Double, dash: String) {
        let coords = points.map { n($0.0) + "," + n($0.1) }.joined(separator: " ")
        body += "<polyline points=\"\(coords)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(n(w))\""
            + (dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"") + "/>\n"
    }

    /// A marker of shape `shape` (0 circle, 1 square, 2 triangle, 3 diamond, cycling) at (x, y).
    mutating func marker(_ shape: Int, _ x: Double, _ y: Double, fill: String, title: String? = nil) {
        let r = 3.5
        let t = title.map { "<title>\(Self.escape($0))</title>" } ?? ""
        switch shape % 4 {
        case 0: body += "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(r))\" fill=\"\(fill)\">\(t)</circle>\n"
        case 1: body += "<rect x=\"\(n(x - r))\" y=\"\(n(y - r))\" width=\"\(n(2 * r))\" height=\"\(n(2 * r))\" fill=\"\(fill)\">\(t)</rect>\n"
        case 2: body += "<polygon points=\"\(n(x)),\(n(y - r - 1)) \(n(x - r - 1)),\(n(y + r)) \(n(x + r + 1)),\(n(y + r))\" fill=\"\(fill)\">\(t)</polygon>\n"
        default: body += "<polygon points=\"\(n(x)),\(n(y - r - 1)) \(n(x + r + 1)),\(n(y)) \(n(x)),\(n(y + r + 1)) \(n(x - r - 1)),\(n(y))\" fill=\"\(fill)\">\(t)</polygon>\n"
        }
    }

    enum Anchor: String { case start, middle, end }

    mutating func text(_ x: Double, _ y: Double, _ s: String, anchor: Anchor = .start, size: Int = 12,
                       bold: Bool = false, fill: String = "#000000") {
        body += "<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor.rawValue)\""
            + (size == 12 ? "" : " font-size=\"\(size)\"") + (bold ? " font-weight=\"bold\"" : "")
            + (fill == "#000000" ? "" : " fill=\"\(fill)\"") + ">\(Self.escape(s))</text>\n"
    }

    private func n(_ x: Double) -> String { NumberFormat.fixed(x, 1) }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }
}
