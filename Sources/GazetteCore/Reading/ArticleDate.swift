import Foundation

/// Finds an article's publication date and returns it as ISO 8601 `yyyy-MM-dd`.
///
/// Sources give dates in many shapes: ISO timestamps in JSON and HTML metadata, and datelines in plain
/// text ("LONDON, March 3, 2005 (Reuters) -", "3 March 2005"). Only well-formed calendar dates are
/// accepted, so a number that merely looks like a year is never taken for a date.
public enum ArticleDate {
    private static let months: [String: Int] = [
        "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
        "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
        "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
    ]

    /// Parses a date value from metadata (JSON field, `<meta content>`, `<time datetime>`).
    public static func parse(_ value: String) -> String? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let match = trimmed.prefixMatch(of: /(\d{4})[-\/.](\d{1,2})[-\/.](\d{1,2})/) {
            return iso(year: Int(match.1)!, month: Int(match.2)!, day: Int(match.3)!)
        }
        if let match = trimmed.prefixMatch(of: /(\d{4})(\d{2})(\d{2})(?:\D|$)/) {
            return iso(year: Int(match.1)!, month: Int(match.2)!, day: Int(match.3)!)
        }
        return findInText(trimmed, limit: 80)
    }

    /// Looks for a written date near the start of a text (a dateline).
    public static func findInText(_ text: String, limit: Int = 400) -> String? {
        let head = String(text.prefix(limit))
        // "March 3, 2005", "Mar. 3 2005"
        if let match = head.firstMatch(of: /\b([A-Za-z]{3,9})\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})\b/),
           let month = months[match.1.lowercased()],
           let date = iso(year: Int(match.3)!, month: month, day: Int(match.2)!) {
            return date
        }
        // "3 March 2005"
        if let match = head.firstMatch(of: /\b(\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]{3,9})\.?,? (\d{4})\b/),
           let month = months[match.2.lowercased()],
           let date = iso(year: Int(match.3)!, month: month, day: Int(match.1)!) {
            return date
        }
        if let match = head.firstMatch(of: /\b(\d{4})-(\d{2})-(\d{2})\b/) {
            return iso(year: Int(match.1)!, month: Int(match.2)!, day: Int(match.3)!)
        }
        return nil
    }

    static func iso(year: Int, month: Int, day: Int) -> String? {
        guard (1000...2999).contains(year), (1...12).contains(month) else { return nil }
        let daysInMonth = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...daysInMonth[month - 1]).contains(day) else { return nil }
        return "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }

    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }
}
