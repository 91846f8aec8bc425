import CheckoutCore

extension Reading {
    /// A real client's request (`serve`) in full: who sent it, what it sent, what the
    /// backend answered and what reached the client, the rules that fired, and the
    /// request and reply as JSON (every string from the wire escaped).
    static func wireDetailRows(_ rows: [WireRow], _ number: Int, width: Int) -> [[Span]] {
        guard let row = rows.first(where: { $0.number == number }) else {
            return [[Span(x: 1, text: "This request is no longer in the timeline.", style: .dim)]]
        }
        let heading = CellStyle(color: .cyan, bold: true)
        var lines: [(String, CellStyle)] = [
            ("arrived \(Format.time(row.atMillis)) from \(row.peer)" + (row.client.isEmpty ? "" : " · client \(row.client)")
                + (row.wireProtocol.isEmpty ? "" : " · \(row.wireProtocol)"), .dim),
            ("user agent:   \(row.userAgent)", .dim),
            ("POST \(row.path.isEmpty ? row.method : row.path)", .dim),
        ]
        if row.isValidation { lines.append(("key sent:     \(row.keySent ?? "none (omitted)")", .plain)) }
        lines.append(("outcome:      \(row.outcome)" + (row.errorMessage.map { " — \($0)" } ?? ""), row.ok ? .success : .error))
        if row.isValidation {
            let returned = row.returnedKey ?? row.issuedKey.map { "none (the reply carrying \($0) was lost)" }
            lines.append(("key returned: \(returned ?? "none")", .plain))
        }
        lines.append((row.rules.isEmpty ? "rules fired:  none" : "rules fired:  \(row.rules.joined(separator: ", "))",
                      row.rules.isEmpty ? .dim : .rotation))
        var result = wrapped(lines, width: width)
        result.append([])
        if let response = row.responseJSON {
            let lost = row.ok ? "" : " (what the backend answered; the client did not get it)"
            result.append([Span(x: 1, text: "\(row.method)Response\(lost)", style: heading)])
            result += jsonRows(response, width: width)
        } else {
            result.append([Span(x: 1, text: "Reply: \(row.outcome), no message", style: heading)])
        }
        result.append([])
        result.append([Span(x: 1, text: "\(row.method)Request (proto3 JSON)", style: heading)])
        if let request = row.requestJSON {
            result += jsonRows(request, width: width)
            result.append([])
            result.append([Span(x: 1, text: "As curl (C copies it)", style: heading)])
            result += (curlCommand(row) ?? "").split(separator: "\n").flatMap { line in
                JSONText.wrap(UntrustedText.escaped(String(line)), width: max(width - 1, 8)).map { [Span(x: 1, text: $0)] }
            }
        } else {
            result.append([Span(x: 1, text: "(the body did not decode as this request)", style: .dim)])
        }
        return result
    }

    /// A real client's request as a runnable `curl` command; `nil` when its body did not decode.
    static func curlCommand(_ row: WireRow) -> String? {
        guard let json = row.requestJSON else { return nil }
        let method = RPCMethod(rawValue: row.path) ?? RPCMethod.allCases.first { $0.rawValue.hasSuffix("/" + row.method) } ?? .validateOrderItemsInsert
        return Curl.command(method, json: json)
    }
}
