import GazetteCore

/// One colour per entity type, shared by the terminal, the HTML page and the network picture, so a
/// person is the same blue everywhere. Hues from the Tableau 10 palette (distinct for most forms of
/// colour blindness when paired with the legend's labels).
extension EntityType {
    /// Strong colour: node fill, mark underline, legend swatch.
    var color: String {
        switch self {
        case .person: "#1f77b4"
        case .place: "#2ca02c"
        case .treaty: "#9467bd"
        case .organization: "#ff7f0e"
        }
    }

    /// Light background for highlighted text.
    var tint: String {
        switch self {
        case .person: "#d6e6f5"
        case .place: "#d5f0d2"
        case .treaty: "#e8def4"
        case .organization: "#ffe3c8"
        }
    }

    var rgb: (red: Int, green: Int, blue: Int) {
        let hex = Int(color.dropFirst(), radix: 16)!
        return (hex >> 16 & 0xFF, hex >> 8 & 0xFF, hex & 0xFF)
    }

    /// ANSI SGR colour for the terminal.
    var ansi: String {
        switch self {
        case .person: "\u{1B}[1;34m"
        case .place: "\u{1B}[1;32m"
        case .treaty: "\u{1B}[1;35m"
        case .organization: "\u{1B}[1;33m"
        }
    }

    /// Plural heading: "People", "Places"…
    var heading: String {
        switch self {
        case .person: "People"
        case .place: "Places"
        case .treaty: "Treaties"
        case .organization: "Organizations"
        }
    }
}
