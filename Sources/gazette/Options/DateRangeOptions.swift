import ArgumentParser
import GazetteStore

/// `--from` and `--to`: an inclusive range of article dates. `2005`, `2005-03` and `2005-03-14` are
/// accepted; a partial `--from` starts at the first day, a partial `--to` ends at the last.
struct DateRangeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Only articles dated on or after this day (yyyy, yyyy-MM or yyyy-MM-dd).", valueName: "date"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("Only articles dated on or before this day (yyyy, yyyy-MM or yyyy-MM-dd).", valueName: "date"))
    var to: String?

    func validate() throws {
        _ = try range()
    }

    func range() throws -> DateRange {
        let lower = try from.map { try Self.bound($0, option: "--from", end: false) }
        let upper = try to.map { try Self.bound($0, option: "--to", end: true) }
        if let lower, let upper, lower > upper {
            throw ValidationError("--from \(from!) is after --to \(to!).")
        }
        return DateRange(from: lower, to: upper)
    }

    /// The stored `yyyy-MM-dd` text a bound compares with. Articles are compared as text, so the end
    /// of a month is written as day 31 whatever the month (no stored date falls between).
    static func bound(_ text: String, option: String, end: Bool) throws -> String {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let widths = [4, 2, 2]
        guard (1...3).contains(parts.count),
              zip(parts, widths).allSatisfy({ $0.count == $1 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        else {
            throw ValidationError("\(option) '\(text)' is not a date; use yyyy, yyyy-MM or yyyy-MM-dd.")
        }
        let numbers = parts.map { Int($0)! }
        if numbers.count > 1 && !(1...12).contains(numbers[1]) || numbers.count > 2 && !(1...31).contains(numbers[2]) {
            throw ValidationError("\(option) '\(text)' is not a date; month 01–12, day 01–31.")
        }
        var full = parts.map(String.init)
        while full.count < 3 { full.append(end ? (full.count == 1 ? "12" : "31") : "01") }
        return full.joined(separator: "-")
    }
}
