import CheckoutCore
import Simulation

/// The rows between the panels and the footer: the toast, the spinner and the status
/// line, and in presenter mode the narration (whole, wrapped at word boundaries) and
/// the latest verdict on a row of its own.
extension View {
    /// The fewest rows the panels need (cart 7, payment 6, key 3): a narration longer
    /// than what is left scrolls rather than squeezing them.
    static let smallestBody = 16

    /// Rows below the body: two for toast and status; in a demo also the caption's rows
    /// and the verdict's.
    static func messageRows(_ model: Screen, width: Int, height: Int) -> Int {
        guard model.presenting else { return 2 }
        return captionRows(model.messages.narrations + [model.messages.caption].compactMap { $0 }, width: width, height: height) + 2
    }

    /// As many rows as the longest narration needs at this width, within what the panels leave.
    static func captionRows(_ narrations: [String], width: Int, height: Int) -> Int {
        let room = max(height - 4 - smallestBody, 1)
        var longest = 1
        for text in narrations {
            longest = max(longest, captionLines(text, width: width).count)
            if longest >= room { return room }
        }
        return longest
    }

    /// The caption as shown: quoted and wrapped, escaped (a scenario file is untrusted text).
    static func captionLines(_ caption: String, width: Int) -> [String] {
        // Line breaks stay breaks; everything else untrusted is escaped before wrapping.
        let paragraphs = caption.split(separator: "\n", omittingEmptySubsequences: false).map { UntrustedText.escaped(String($0)) }
        return Format.wrap("“\(paragraphs.joined(separator: "\n"))”", width: max(width - 2, 1))
    }

    /// How far the caption scrolls: its wrapped rows beyond the caption area (0 when it fits).
    public static func captionOverflow(_ caption: String?, narrations: [String], width: Int, height: Int) -> Int {
        guard let caption else { return 0 }
        let rows = captionRows(narrations + [caption], width: width, height: height)
        let lines = captionLines(caption, width: width)
        return lines.count > rows ? scrolledLines(caption, width: width).count - rows : 0
    }

    /// A caption that scrolls leaves the right edge to its ▲ / ▼ marks.
    private static func scrolledLines(_ caption: String, width: Int) -> [String] {
        captionLines(caption, width: width - 8)
    }

    /// `✓ expectations met (step 3)` or the failures, for the verdict row and the message log.
    static func verdictText(_ failures: [String], step: Int) -> String {
        (failures.isEmpty ? "✓ expectations met" : "✗ " + failures.joined(separator: "; ")) + " (step \(step))"
    }

    static func messagesArea(_ model: Screen, _ grid: inout Grid, y: Int) {
        let sim = model.messages
        var row = y
        if model.presenting {
            let rows = captionRows(sim.narrations + [sim.caption].compactMap { $0 }, width: grid.width, height: grid.height)
            // The verdict right under the caption's text; the rows reserved for longer narrations stay below.
            let used = sim.caption.map { self.caption($0, scroll: sim.captionScroll, rows: rows, &grid, y: row) } ?? 0
            if let verdict = sim.verdict {
                let ok = verdict.failures.isEmpty
                let style: CellStyle = !sim.verdictIsCurrent ? .dim : ok ? .success : .error
                message(verdictText(verdict.failures, step: verdict.step), &grid, y: row + used, style: style)
            }
            row += rows + 1
        }
        if let toast = sim.toast {
            let (symbol, style): (String, CellStyle) = switch toast.kind {
            case .error: ("✗", .error)
            case .success: ("✓", .success)
            case .info: ("ℹ", .info)
            }
            message("\(symbol) \(toast.message)", &grid, y: row, style: style)
        } else if sim.inFlight > 0 {
            let frame = spinner[sim.spinnerFrame % spinner.count]
            grid.put("\(frame) \(sim.inFlight) request\(sim.inFlight == 1 ? "" : "s") in flight…", x: 1, y: row, style: .info)
        } else if let status = sim.status, !model.presenting {
            message("· \(status)", &grid, y: row, style: .dim)
        }
        if !model.presenting, sim.toast != nil || sim.inFlight > 0, let status = sim.status {
            message("· \(status)", &grid, y: row + 1, style: .dim)
        }
    }

    /// The narration in `rows` rows from `scroll`; when it needs more, ▲ / ▼ PgUp / PgDn at the right edge say so.
    /// Returns the rows it took.
    @discardableResult
    private static func caption(_ caption: String, scroll: Int, rows: Int, _ grid: inout Grid, y: Int) -> Int {
        let style = CellStyle(color: .magenta, bold: true)
        var lines = captionLines(caption, width: grid.width)
        guard lines.count > rows else {
            for (offset, line) in lines.enumerated() { grid.put(line, x: 1, y: y + offset, style: style) }
            return lines.count
        }
        lines = scrolledLines(caption, width: grid.width)
        let first = max(0, min(scroll, lines.count - rows))
        for (offset, line) in lines.dropFirst(first).prefix(rows).enumerated() {
            grid.put(line, x: 1, y: y + offset, style: style, maxWidth: grid.width - 10)
        }
        if first > 0 { grid.put("▲ PgUp", x: grid.width - 7, y: y, style: .info) }
        if first + rows < lines.count { grid.put("▼ PgDn", x: grid.width - 7, y: y + rows - 1, style: .info) }
        return rows
    }
}
