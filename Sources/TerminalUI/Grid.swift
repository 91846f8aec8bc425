import CheckoutCore

/// A colour that means something: errors red, success green, rotation yellow.
public enum CellColor: UInt8, Sendable, CaseIterable {
    case `default`, red, green, yellow, blue, magenta, cyan, gray
}

/// How a cell is drawn.
public struct CellStyle: Equatable, Hashable, Sendable {
    public var color: CellColor = .default
    public var bold = false
    public var reverse = false
    public var dim = false

    public init(color: CellColor = .default, bold: Bool = false, reverse: Bool = false, dim: Bool = false) {
        self.color = color
        self.bold = bold
        self.reverse = reverse
        self.dim = dim
    }

    public static let plain = CellStyle()
    public static let bold = CellStyle(bold: true)
    public static let dim = CellStyle(dim: true)
    public static let error = CellStyle(color: .red, bold: true)
    public static let success = CellStyle(color: .green, bold: true)
    public static let rotation = CellStyle(color: .yellow, bold: true)
    public static let info = CellStyle(color: .cyan)
    public static let selected = CellStyle(reverse: true)
}

/// One screen cell: a character (or the right half of a wide one) and its style.
public struct Cell: Equatable, Sendable {
    /// The character; empty for the second cell of a wide character.
    public var symbol: String
    public var style: CellStyle

    public static let blank = Cell(symbol: " ", style: .plain)
}

/// A screen's worth of cells. Views render into it; the terminal layer draws
/// only the cells that differ from the previous frame.
public struct Grid: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(width, 0)
        self.height = max(height, 0)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Each row as text, wide characters once: what golden tests compare.
    public var lines: [String] {
        (0..<height).map { y in
            var line = ""
            for x in 0..<width { line += self[x, y].symbol }
            return line
        }
    }

    /// Writes `text` at (`x`, `y`), clipped to `maxWidth` columns (default: to
    /// the edge). Control and bidi characters are shown escaped: nothing
    /// untrusted reaches the terminal as it is. Returns the columns used.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: CellStyle = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(x + (maxWidth ?? width), width)
        var column = x
        for character in UntrustedText.escaped(text) {
            let w = Self.columns(of: character)
            if w == 0 { continue }
            guard column + w <= limit else {
                // Mark a cut with an ellipsis when there is room for it.
                if column > x, column - 1 < limit, column - 1 >= 0 { self[column - 1, y] = Cell(symbol: "…", style: style) }
                break
            }
            if column >= 0 {
                self[column, y] = Cell(symbol: String(character), style: style)
                if w == 2 { self[column + 1, y] = Cell(symbol: "", style: style) }
            }
            column += w
        }
        return column - x
    }

    /// Fills a rectangle with blanks of `style`.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, style: CellStyle = .plain) {
        for row in max(y, 0)..<min(y + h, height) {
            for column in max(x, 0)..<min(x + w, width) { self[column, row] = Cell(symbol: " ", style: style) }
        }
    }

    /// Draws a box with a title; returns the inner rectangle.
    @discardableResult
    public mutating func box(_ rect: Rect, title: String, focused: Bool = false, titleStyle: CellStyle? = nil) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        let border = focused ? CellStyle(color: .cyan, bold: true) : CellStyle.dim
        let right = rect.x + rect.width - 1, bottom = rect.y + rect.height - 1
        for column in rect.x...right {
            setGlyph(column == rect.x ? "┌" : column == right ? "┐" : "─", x: column, y: rect.y, style: border)
            setGlyph(column == rect.x ? "└" : column == right ? "┘" : "─", x: column, y: bottom, style: border)
        }
        for row in (rect.y + 1)..<bottom {
            setGlyph("│", x: rect.x, y: row, style: border)
            setGlyph("│", x: right, y: row, style: border)
        }
        put(" \(title) ", x: rect.x + 1, y: rect.y, style: titleStyle ?? (focused ? CellStyle(color: .cyan, bold: true) : .bold),
            maxWidth: rect.width - 2)
        return Rect(x: rect.x + 1, y: rect.y + 1, width: rect.width - 2, height: rect.height - 2)
    }

    /// One of our own one-column glyphs (box lines), clipped to the grid: no escaping or width to work out.
    private mutating func setGlyph(_ symbol: String, x: Int, y: Int, style: CellStyle) {
        guard x >= 0, x < width, y >= 0, y < height else { return }
        self[x, y] = Cell(symbol: symbol, style: style)
    }

    /// Columns a character takes: 2 for East Asian wide and emoji, 0 for combining marks.
    public static func columns(of character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        let v = scalar.value
        if v < 0x300 { return 1 }  // Latin and its punctuation: the common case, and no mark below U+0300.
        if scalar.properties.generalCategory == .nonspacingMark || scalar.properties.generalCategory == .enclosingMark { return 0 }
        if (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
            || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
            || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1FAFF).contains(v) || (0x20000...0x3FFFD).contains(v) {
            return 2
        }
        return 1
    }

    /// Display width of a string.
    public static func width(of text: String) -> Int {
        UntrustedText.escaped(text).reduce(0) { $0 + columns(of: $1) }
    }
}

/// A rectangle of cells.
public struct Rect: Equatable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(width, 0)
        self.height = max(height, 0)
    }
}

extension Grid {
    /// The message of a terminal too small for a screen: what is wrong (in red), what it
    /// needs, and the way out, centred.
    mutating func tooSmall(first: String, then needs: String) {
        let lines = [first, needs, "Enlarge the window, or press q to quit."]
        let top = max(0, (height - lines.count) / 2)
        for (row, line) in lines.enumerated() {
            put(line, x: max(0, (width - Grid.width(of: line)) / 2), y: top + row, style: row == 0 ? .error : .plain)
        }
    }
}
