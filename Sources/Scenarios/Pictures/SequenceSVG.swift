/// A `SequenceDiagram` drawn as a standalone SVG: no script, no external font
/// or stylesheet, so it opens in any browser and embeds in any page or issue.
public enum SequenceSVG {
    // Monospace text makes widths predictable without measuring fonts.
    static let charWidth = 7.2
    static let lineHeight = 15.0
    static let fontSize = 12
    static let gutter = 64.0
    static let margin = 16.0
    static let headerHeight = 34.0
    static let minimumGap = 140.0
    /// Labels are wrapped at this many characters.
    static let wrapAt = 64

    public static func render(_ diagram: SequenceDiagram) -> String {
        let lines = diagram.linesWithLegend()
        let layout = Layout(lines: lines)
        var body = ""
        var y = margin + headerHeight + 18
        var lastStep = -1
        for line in lines {
            if line.step != lastStep, line.step > 0 {
                body += text("step \(line.step)", x: margin, y: y + 11, anchor: "start", color: "#6e7781", size: 11)
                body += "<line x1=\"\(f(margin))\" y1=\"\(f(y - 4))\" x2=\"\(f(layout.width - margin))\" y2=\"\(f(y - 4))\" stroke=\"#eaeef2\"/>\n"
                lastStep = line.step
            }
            let color = Self.color(line.tone)
            switch line.kind {
            case .message(let from, let to, let arrow):
                let wrapped = wrap(line.text, width: wrapAt)
                let x1 = layout.x(from), x2 = layout.x(to)
                for (index, piece) in wrapped.enumerated() {
                    body += text(piece, x: (x1 + x2) / 2, y: y + 11 + Double(index) * lineHeight, anchor: "middle", color: color)
                }
                y += Double(wrapped.count) * lineHeight + 4
                if from == to {
                    body += "<path d=\"M\(f(x1)) \(f(y)) h30 v14 h-30\" fill=\"none\" stroke=\"\(color)\" marker-end=\"url(#head)\"/>\n"
                    y += 24
                } else {
                    let dash = arrow == .call ? "" : " stroke-dasharray=\"6 4\""
                    let end = arrow == .lost ? x2 + (x2 > x1 ? -14 : 14) : x2 + (x2 > x1 ? -2 : 2)
                    let marker = arrow == .lost ? "" : " marker-end=\"url(#\(arrow == .call ? "head" : "open"))\""
                    body += "<line x1=\"\(f(x1))\" y1=\"\(f(y))\" x2=\"\(f(end))\" y2=\"\(f(y))\" stroke=\"\(color)\" stroke-width=\"1.5\"\(dash)\(marker)/>\n"
                    if arrow == .lost {
                        body += text("✕", x: end + (x2 > x1 ? 6 : -6), y: y + 5, anchor: "middle", color: color, size: 14)
                    }
                    y += 14
                }
            case .note(let from, let to):
                let left = layout.x(from), right = layout.x(to)
                let spanning = from != to
                let boxWidth = spanning ? right - left + 60 : singleNoteWidth(line.text)
                let chars = max(Int((boxWidth - 16) / charWidth), 10)
                let wrapped = wrap(line.text, width: chars)
                let height = Double(wrapped.count) * lineHeight + 8
                let boxX = (left + right) / 2 - boxWidth / 2
                let (fill, stroke) = noteColors(line.tone)
                body += "<rect x=\"\(f(boxX))\" y=\"\(f(y))\" width=\"\(f(boxWidth))\" height=\"\(f(height))\" rx=\"3\" fill=\"\(fill)\" stroke=\"\(stroke)\"/>\n"
                for (index, piece) in wrapped.enumerated() {
                    body += text(piece, x: (left + right) / 2, y: y + 15 + Double(index) * lineHeight, anchor: "middle", color: color)
                }
                y += height + 8
            }
        }
        y += 10
        let height = y + headerHeight + margin
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(layout.width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(layout.width)) \(f(height))\" font-family=\"ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace\" font-size=\"\(fontSize)\">\n"
        svg += "<title>\(Reporter.xmlEscape(diagram.title))</title>\n"
        svg += "<defs><marker id=\"head\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0 0 L10 5 L0 10 z\" fill=\"context-stroke\"/></marker>"
        svg += "<marker id=\"open\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0 0 L10 5 L0 10\" fill=\"none\" stroke=\"context-stroke\" stroke-width=\"1.5\"/></marker></defs>\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        for participant in SequenceDiagram.Participant.allCases {
            let x = layout.x(participant)
            svg += "<line x1=\"\(f(x))\" y1=\"\(f(margin + headerHeight))\" x2=\"\(f(x))\" y2=\"\(f(y))\" stroke=\"#afb8c1\" stroke-dasharray=\"3 3\"/>\n"
            svg += header(participant, x: x, y: margin)
            svg += header(participant, x: x, y: y)
        }
        svg += body
        svg += "</svg>\n"
        return svg
    }

    // MARK: - Layout

    /// Where each lifeline stands: gaps wide enough for the labels between them.
    struct Layout {
        var gaps: [Double]
        var width: Double

        init(lines: [SequenceDiagram.Line]) {
            let count = SequenceDiagram.Participant.allCases.count
            gaps = Array(repeating: SequenceSVG.minimumGap, count: count - 1)
            var edge = 60.0  // room for notes over the first and last lifelines
            for line in lines {
                switch line.kind {
                case .message(let from, let to, _) where from != to:
                    let (a, b) = (min(from, to).rawValue, max(from, to).rawValue)
                    let longest = SequenceSVG.wrap(line.text, width: SequenceSVG.wrapAt).map(\.count).max() ?? 0
                    let needed = Double(longest) * SequenceSVG.charWidth + 24
                    let have = gaps[a..<b].reduce(0, +)
                    if have < needed {
                        let extra = (needed - have) / Double(b - a)
                        for index in a..<b { gaps[index] += extra }
                    }
                case .note(let from, let to) where from == to:
                    let half = SequenceSVG.singleNoteWidth(line.text) / 2
                    if from.rawValue == 0 || from.rawValue == count - 1 { edge = max(edge, half) }
                default: break
                }
            }
            edgeRoom = edge
            width = SequenceSVG.gutter + edge * 2 + gaps.reduce(0, +) + SequenceSVG.margin
        }

        /// Room left of the first lifeline and right of the last, for the notes over them.
        var edgeRoom: Double

        func x(_ participant: SequenceDiagram.Participant) -> Double {
            SequenceSVG.gutter + edgeRoom + gaps[0..<participant.rawValue].reduce(0, +)
        }
    }

    /// A note over one lifeline: as wide as its text, up to a wrapped line, plus padding.
    static func singleNoteWidth(_ text: String) -> Double { min(Double(wrapAt), Double(text.count)) * charWidth + 16 }

    /// Splits at spaces into lines of at most `width` characters (a longer word is cut).
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            var word = Substring(word)
            while word.count > width {
                if !current.isEmpty { lines.append(current); current = "" }
                lines.append(String(word.prefix(width)))
                word = word.dropFirst(width)
            }
            if current.isEmpty {
                current = String(word)
            } else if current.count + 1 + word.count <= width {
                current += " " + word
            } else {
                lines.append(current)
                current = String(word)
            }
        }
        if !current.isEmpty || lines.isEmpty { lines.append(current) }
        return lines
    }

    // MARK: - Pieces

    static func header(_ participant: SequenceDiagram.Participant, x: Double, y: Double) -> String {
        let width = max(Double(participant.title.count) * charWidth + 24, 90)
        return "<rect x=\"\(f(x - width / 2))\" y=\"\(f(y))\" width=\"\(f(width))\" height=\"\(f(headerHeight - 6))\" rx=\"4\" fill=\"#f6f8fa\" stroke=\"#57606a\"/>\n"
            + text(participant.title, x: x, y: y + 18, anchor: "middle", color: "#24292f", bold: true)
    }

    static func text(_ content: String, x: Double, y: Double, anchor: String, color: String, size: Int? = nil, bold: Bool = false) -> String {
        let sizeAttribute = size.map { " font-size=\"\($0)\"" } ?? ""
        let weight = bold ? " font-weight=\"bold\"" : ""
        return "<text x=\"\(f(x))\" y=\"\(f(y))\" text-anchor=\"\(anchor)\" fill=\"\(color)\"\(sizeAttribute)\(weight) xml:space=\"preserve\">\(Reporter.xmlEscape(content))</text>\n"
    }

    static func color(_ tone: SequenceDiagram.Tone) -> String {
        switch tone {
        case .plain, .narration: "#24292f"
        case .pass, .success: "#1a7f37"
        case .fail, .error: "#cf222e"
        case .rule: "#8250df"
        case .time: "#57606a"
        case .warning: "#9a6700"
        }
    }

    static func noteColors(_ tone: SequenceDiagram.Tone) -> (fill: String, stroke: String) {
        switch tone {
        case .narration: ("#fff8c5", "#d4a72c")
        case .pass, .success: ("#dafbe1", "#4ac26b")
        case .fail, .error: ("#ffebe9", "#ff8182")
        case .rule: ("#fbefff", "#c297ff")
        case .warning: ("#fff1e5", "#fb8f44")
        case .plain, .time: ("#f6f8fa", "#d0d7de")
        }
    }

    /// A coordinate with at most one decimal.
    static func f(_ value: Double) -> String {
        let tenths = (value * 10).rounded()
        return tenths.truncatingRemainder(dividingBy: 10) == 0 ? String(Int(tenths / 10)) : String(tenths / 10)
    }
}
