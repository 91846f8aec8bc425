import CheckoutCore
import Simulation

/// A piece of text in a reading overlay, at a column of its inside.
struct Span: Equatable {
    var x: Int
    var text: String
    var style: CellStyle = .plain
}

/// The overlays that are read rather than used: help and a request's details.
/// Their text is wrapped, never cut, and scrolls when it is taller than the window.
enum Reading {
    /// What a reading overlay shows: its window, title and rows of text.
    struct Page {
        var window: Rect
        var title: String
        var rows: [[Span]]

        /// Rows that fit inside the window.
        var visibleRows: Int { max(window.height - 2, 1) }
        /// The largest useful scroll offset.
        var maxScroll: Int { max(rows.count - visibleRows, 0) }
    }

    /// The page of a reading overlay on a screen of `width` × `height`.
    static func page(_ kind: ReadingOverlay.Kind, timeline: [TimelineEntry], messages: [LoggedMessage], wire: [WireRow] = [],
                     width: Int, height: Int) -> Page {
        switch kind {
        case .help:
            let window = Overlays.windowRect(gridWidth: width, gridHeight: height, width: width - 4, height: height - 2)
            return Page(window: window, title: "Keys (Esc closes)",
                        rows: helpRows(width: window.width - 2, height: window.height - 2))
        case .requestDetail(let number):
            let window = aboveMessages(width: width, height: height)
            return Page(window: window, title: "Request #\(number) (Esc closes)",
                        rows: detailRows(timeline, number, width: window.width - 2))
        case .wireDetail(let number):
            let window = aboveMessages(width: width, height: height)
            return Page(window: window, title: "Request ⇄\(number) from a real client (Esc closes)",
                        rows: wireDetailRows(wire, number, width: window.width - 2))
        case .messages:
            let window = aboveMessages(width: width, height: height)
            return Page(window: window, title: "Messages: \(messages.count) (Esc closes)", rows: messageRows(messages, width: window.width - 2))
        }
    }

    /// A window that ends above the toast and status rows, so what a key in it did
    /// ("copied request #2") shows below it.
    private static func aboveMessages(width: Int, height: Int) -> Rect {
        let w = max(width - 6, 1)
        return Rect(x: (width - w) / 2, y: 2, width: w, height: max(height - 5, 3))
    }

    static func render(_ overlay: ReadingOverlay, _ screen: Screen, _ grid: inout Grid) {
        let page = page(overlay.kind, timeline: screen.timeline, messages: screen.messages.log, wire: screen.wire?.rows ?? [],
                        width: grid.width, height: grid.height)
        let inner = Overlays.window(&grid, width: page.window.width, height: page.window.height, title: page.title)
        let first = min(max(overlay.scroll, 0), page.maxScroll)
        for (offset, row) in page.rows.dropFirst(first).prefix(page.visibleRows).enumerated() {
            for span in row where span.x < inner.width {
                grid.put(span.text, x: inner.x + span.x, y: inner.y + offset, style: span.style, maxWidth: inner.width - span.x)
            }
        }
        if page.maxScroll > 0 {
            let last = min(first + page.visibleRows, page.rows.count)
            let position = " \(first + 1)–\(last) of \(page.rows.count) · ↑↓ PgUp PgDn "
            let bottom = page.window.y + page.window.height - 1
            let x = page.window.x + max(page.window.width - Grid.width(of: position) - 2, 1)
            grid.put(position, x: x, y: bottom, style: .info, maxWidth: page.window.width - 2)
        }
    }

    // MARK: - Help

    /// Every binding with its whole description: in two columns when they fit
    /// the window that way, else in one column that scrolls.
    static func helpRows(width: Int, height: Int) -> [[Span]] {
        if width >= 90 {
            let columnWidth = width / 2
            let rows = helpColumn(width: columnWidth)
            if rows.count <= 2 * height, let split = columnSplit(rows, height: height) {
                let left = rows[..<split], right = rows[split...]
                return (0..<max(left.count, right.count)).map { index in
                    let leftSpans = index < left.count ? left[left.startIndex + index].spans : []
                    let rightSpans = index < right.count ? right[right.startIndex + index].spans : []
                    return leftSpans + rightSpans.map { Span(x: $0.x + columnWidth, text: $0.text, style: $0.style) }
                }
            }
        }
        return helpColumn(width: width).map(\.spans)
    }

    private struct HelpRow {
        var spans: [Span]
        /// Whether a heading or a key starts here (a column may break before it).
        var startsEntry: Bool
    }

    private static func helpColumn(width: Int) -> [HelpRow] {
        let descriptionX = 12
        var rows: [HelpRow] = []
        for context in KeyContext.allCases {
            rows.append(HelpRow(spans: [Span(x: 1, text: context.rawValue, style: CellStyle(color: .cyan, bold: true))],
                                startsEntry: true))
            for binding in Keymap.bindings where binding.context == context {
                let lines = Format.wrap(binding.description, width: max(width - descriptionX - 1, 8))
                for (index, line) in lines.enumerated() {
                    var spans = [Span(x: descriptionX, text: line)]
                    if index == 0 { spans.insert(Span(x: 2, text: binding.label, style: .bold), at: 0) }
                    rows.append(HelpRow(spans: spans, startsEntry: index == 0))
                }
            }
        }
        return rows
    }

    /// Where the second column starts: at an entry, with both columns no taller
    /// than `height`, as even as possible; nil when no such place exists.
    private static func columnSplit(_ rows: [HelpRow], height: Int) -> Int? {
        let candidates = rows.indices.filter { rows[$0].startsEntry && $0 <= height && rows.count - $0 <= height }
        return candidates.min { abs($0 * 2 - rows.count) < abs($1 * 2 - rows.count) }
    }

    // MARK: - Request detail

    private static func detailRows(_ timeline: [TimelineEntry], _ number: Int, width: Int) -> [[Span]] {
        guard let entry = timeline.first(where: { $0.number == number }) else {
            return [[Span(x: 1, text: "This request is no longer in the timeline.", style: .dim)]]
        }
        let record = entry.record
        let heading = CellStyle(color: .cyan, bold: true)
        let arrival = switch entry.reply {
        case .lost: "reply lost: the client gave up at \(Format.time(entry.answeredAtMillis))"
        case .tooSlow: "reply too slow: the client gave up at \(Format.time(entry.answeredAtMillis))"
        case .response, .serverError: "answered \(Format.time(entry.answeredAtMillis))"
        }
        var lines: [(String, CellStyle)] = [
            ("sent \(Format.time(entry.sentAtMillis)) · \(arrival) · trigger \(record.trigger.rawValue)", .dim),
            ("POST \(RPCMethod.validateOrderItemsInsert.rawValue) · content type application/proto", .dim),
            ("key sent:     \(record.keySent ?? "none (omitted)")", .plain),
            ("result:       \(record.result.rawValue)" + (record.message.map { " — \($0)" } ?? ""), record.result == .ok ? .success : .error),
            ("key returned: \(record.returnedKey ?? "none")", .plain),
            ("client did:   \(record.clientAction)", .bold),
        ]
        if record.result != .ok {
            lines.append((entry.isClientSideError ? "error from:   the client (no server reply it could use)" : "error from:   the server", .error))
        }
        if !entry.firedRules.isEmpty { lines.append(("rules fired:  \(entry.firedRules.joined(separator: ", "))", .rotation)) }
        var rows = wrapped(lines, width: width)
        rows.append([])
        switch entry.reply {
        case .lost:
            rows.append([Span(x: 1, text: "Error (client-side: reply lost, nothing came back)", style: heading)])
        case .tooSlow:
            rows.append([Span(x: 1, text: "Error (client-side: timeout, the reply came too late)", style: heading)])
        case .serverError:
            rows.append([Span(x: 1, text: "Error (from the server)", style: heading)])
        case .response where entry.undecodableBytes != nil:
            rows.append([Span(x: 1, text: "Error (client-side: the reply did not decode)", style: heading)])
        case .response:
            rows.append([Span(x: 1, text: "ValidateOrderItemsInsertResponse", style: heading)])
        }
        rows += jsonRows(record.responseJSON, width: width)
        if let bytes = entry.undecodableBytes {
            rows.append([])
            rows.append([Span(x: 1, text: "Reply bytes (\(bytes.count)), as received", style: heading)])
            rows += wrapped(HexDump.lines(bytes, width: width - 1).map { ($0, .plain) }, width: width)
        }
        rows.append([])
        rows.append([Span(x: 1, text: "ValidateOrderItemsInsertRequest (proto3 JSON)", style: heading)])
        rows += jsonRows(record.requestJSON, width: width)
        rows.append([])
        rows.append([Span(x: 1, text: "As curl (C copies it)", style: heading)])
        rows += curlCommand(record).split(separator: "\n").flatMap { line in
            JSONText.wrap(UntrustedText.escaped(String(line)), width: max(width - 1, 8)).map { [Span(x: 1, text: $0)] }
        }
        return rows
    }

    /// The request as a runnable `curl` command.
    static func curlCommand(_ record: RequestRecord) -> String {
        Curl.command(.validateOrderItemsInsert, json: record.requestJSON)
    }

    /// JSON pretty-printed and wrapped at token boundaries.
    static func jsonRows(_ json: String, width: Int) -> [[Span]] {
        JSONText.pretty(json).split(separator: "\n", omittingEmptySubsequences: false).flatMap { line in
            JSONText.wrap(UntrustedText.escaped(String(line)), width: max(width - 1, 8)).map { [Span(x: 1, text: $0)] }
        }
    }

    /// Line breaks stay breaks; everything else untrusted is escaped before wrapping, so lines keep their width.
    static func wrapped(_ lines: [(String, CellStyle)], width: Int) -> [[Span]] {
        lines.flatMap { text, style in
            text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { line in
                Format.wrap(UntrustedText.escaped(String(line)), width: max(width - 1, 8)).map { [Span(x: 1, text: $0, style: style)] }
            }
        }
    }

    // MARK: - Messages

    /// Every toast, notice and status line in full, oldest first.
    static func messageRows(_ messages: [LoggedMessage], width: Int) -> [[Span]] {
        guard !messages.isEmpty else { return [[Span(x: 1, text: "No messages yet.", style: .dim)]] }
        return wrapped(messages.map { message in
            let (label, style): (String, CellStyle) = switch message.kind {
            case .toast(.error): ("✗", .error)
            case .toast(.success): ("✓", .success)
            case .toast(.info): ("ℹ", .info)
            case .notice: ("!", .rotation)
            case .status: ("·", .plain)
            case .narration: ("“", CellStyle(color: .magenta))
            }
            return ("\(Format.time(message.atMillis)) \(label) \(message.text)", style)
        }, width: width)
    }
}
