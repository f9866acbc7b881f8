import Foundation

/// The layouts `gazette train` and `gazette eval topics` read.
public enum TopicDataFormat: String, Sendable, CaseIterable {
    /// One folder per label holding one document per file (the BBC layout).
    case folders
    /// JSON lines: `{"text": …, "labels": [..]}` (or `"label": "…"`; an optional `"title"` is
    /// prepended to the text).
    case jsonl
    /// Reuters-21578 SGML files (`reut2-*.sgm`); the ModApte split via `LEWISSPLIT`.
    case reuters

    /// `jsonl` for a `.jsonl`/`.json` file, `reuters` for a `.sgm` file or a folder of them,
    /// otherwise `folders`.
    public static func guess(for url: URL) -> TopicDataFormat {
        let ext = url.pathExtension.lowercased()
        if ext == "jsonl" || ext == "json" { return .jsonl }
        if ext == "sgm" { return .reuters }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return names.contains { $0.hasSuffix(".sgm") } ? .reuters : .folders
    }
}

/// Which part of a corpus to read.
public enum TopicDataPart: String, Sendable, CaseIterable {
    case train, test, all
}

/// Loads labelled documents for training and evaluation.
public enum TopicCorpus {
    /// - Parameters:
    ///   - split: for `folders`, a TSV `path<TAB>label<TAB>train|test` with paths relative to the
    ///     TSV's folder (e.g. `bbc-split.tsv`); only files listed for `part` are read. Reuters
    ///     uses its own `LEWISSPLIT` attribute instead.
    ///   - keepUnlabelled: Reuters only: also keep `TOPICS="YES"` documents that have no topic (the
    ///     full ModApte training set of 9,603), as negatives for every label.
    public static func load(
        _ url: URL, format: TopicDataFormat, part: TopicDataPart = .all, split: URL? = nil,
        keepUnlabelled: Bool = false
    ) throws -> [TopicExample] {
        switch format {
        case .folders: return try loadFolders(url, part: part, split: split)
        case .jsonl: return try loadJSONLines(url)
        case .reuters:
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
                throw TopicDataError(file: url.path, reason: "no such file or folder")
            }
            let files: [URL]
            if isDirectory.boolValue {
                let names = try contents(of: url).filter { $0.hasSuffix(".sgm") }.sorted()
                files = names.map { url.appendingPathComponent($0) }
            } else {
                files = [url]
            }
            guard !files.isEmpty else { throw TopicDataError(file: url.path, reason: "no .sgm files") }
            return try files.flatMap { try loadReuters($0, part: part, keepUnlabelled: keepUnlabelled) }
        }
    }

    static func contents(of url: URL) throws -> [String] {
        do { return try FileManager.default.contentsOfDirectory(atPath: url.path) } catch {
            throw TopicDataError(file: url.path, reason: "cannot list the folder: \(error.localizedDescription)")
        }
    }

    static func read(_ url: URL) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw TopicDataError(file: url.path, reason: "cannot read the file")
        }
        return [UInt8](data)
    }

    /// UTF-8, or Latin-1 when the bytes are not valid UTF-8 (one BBC file is Latin-1).
    static func decode(_ bytes: [UInt8]) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }

    // MARK: Folder of folders

    static func loadFolders(_ root: URL, part: TopicDataPart, split: URL?) throws -> [TopicExample] {
        let root = root.standardizedFileURL
        var examples: [TopicExample] = []
        for label in try contents(of: root).sorted() where !label.hasPrefix(".") {
            let folder = root.appendingPathComponent(label)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            for name in try contents(of: folder).sorted() where !name.hasPrefix(".") {
                let file = folder.appendingPathComponent(name)
                examples.append(TopicExample(id: file.path, text: decode(try read(file)), labels: [label]))
            }
        }
        guard !examples.isEmpty else { throw TopicDataError(file: root.path, reason: "no label folders with documents") }
        guard let split else {
            guard part == .all else {
                throw TopicDataError(file: root.path, reason: "--part \(part.rawValue) needs a split file for a folder of folders")
            }
            return examples
        }
        let base = split.deletingLastPathComponent().standardizedFileURL.path
        var wanted: [String: String] = [:]
        let text = decode(try read(split))
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.isEmpty {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3 else {
                throw TopicDataError(file: split.path, line: number + 1, reason: "expected path<TAB>label<TAB>train|test")
            }
            if part == .all || fields[2] == part.rawValue {
                wanted[base + "/" + String(fields[0])] = String(fields[1])
            }
        }
        let selected = examples.filter { wanted[$0.id] != nil }
        for example in selected where wanted[example.id] != example.labels[0] {
            throw TopicDataError(file: split.path, reason: "\(example.id) is labelled \(wanted[example.id]!) but lies in folder \(example.labels[0])")
        }
        guard selected.count == wanted.count else {
            throw TopicDataError(
                file: split.path,
                reason: "\(wanted.count - selected.count) listed files are not under \(root.path)")
        }
        return selected
    }

    // MARK: JSON lines

    static func loadJSONLines(_ url: URL) throws -> [TopicExample] {
        let bytes = try read(url)
        var examples: [TopicExample] = []
        var lineNumber = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) { continue }
            let object: Any
            do { object = try JSONSerialization.jsonObject(with: Data(line)) } catch {
                throw TopicDataError(file: url.path, line: lineNumber, reason: "not valid JSON")
            }
            guard let record = object as? [String: Any], let body = record["text"] as? String else {
                throw TopicDataError(file: url.path, line: lineNumber, reason: "expected an object with a \"text\" string")
            }
            var labels: [String]
            if let many = record["labels"] as? [String] {
                labels = many
            } else if let one = (record["labels"] as? String) ?? (record["label"] as? String) {
                labels = [one]
            } else {
                throw TopicDataError(file: url.path, line: lineNumber, reason: "expected \"labels\" (a list of strings) or \"label\"")
            }
            labels = Array(Set(labels)).sorted()
            let title = record["title"] as? String
            let id = (record["id"] as? String) ?? "\(url.path)#L\(lineNumber)"
            examples.append(TopicExample(id: id, text: title.map { $0 + "\n" + body } ?? body, labels: labels))
        }
        return examples
    }

    // MARK: Reuters-21578

    /// Documents with `TOPICS="YES"` and at least one topic, from the `LEWISSPLIT` part asked for
    /// (ModApte). Text is the title, dateline and body. Files are Latin-1; scanned as bytes, and
    /// only the pieces kept are turned into strings.
    static func loadReuters(_ url: URL, part: TopicDataPart, keepUnlabelled: Bool = false) throws -> [TopicExample] {
        let bytes = try read(url)
        var examples: [TopicExample] = []
        var searchStart = 0
        while let open = find("<REUTERS", in: bytes, from: searchStart, to: bytes.count) {
            guard let close = find("</REUTERS>", in: bytes, from: open, to: bytes.count) else {
                throw TopicDataError(file: url.path, reason: "unterminated <REUTERS> element")
            }
            searchStart = close + 10
            guard let tagEnd = find(">", in: bytes, from: open, to: close) else { continue }
            let tag = latin1(bytes[open..<tagEnd])
            guard attribute("TOPICS", in: tag[...]) == "YES" else { continue }
            let split = attribute("LEWISSPLIT", in: tag[...])
            switch part {
            case .train where split != "TRAIN", .test where split != "TEST": continue
            default: break
            }
            let topics = element("TOPICS", in: bytes, from: tagEnd, to: close).map { dValues(latin1($0)[...]) } ?? []
            guard !topics.isEmpty || keepUnlabelled else { continue }
            let body = element("TEXT", in: bytes, from: tagEnd, to: close).map { unescape(stripTags(latin1($0)[...])) } ?? ""
            let id = attribute("NEWID", in: tag[...]).map { "reuters:\($0)" } ?? "\(url.path)#\(examples.count)"
            examples.append(TopicExample(id: id, text: body, labels: Array(Set(topics)).sorted()))
        }
        return examples
    }

    static func latin1(_ bytes: ArraySlice<UInt8>) -> String {
        String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }

    /// Index of the first occurrence of `needle` in `bytes[from..<to]`.
    static func find(_ needle: String, in bytes: [UInt8], from: Int, to: Int) -> Int? {
        let needle = Array(needle.utf8)
        guard let first = needle.first, to - from >= needle.count else { return nil }
        return bytes.withUnsafeBufferPointer { haystack -> Int? in
            var index = from
            let last = to - needle.count
            while index <= last {
                if haystack[index] == first {
                    var matched = 1
                    while matched < needle.count && haystack[index + matched] == needle[matched] { matched += 1 }
                    if matched == needle.count { return index }
                }
                index += 1
            }
            return nil
        }
    }

    /// The content of the first `<name …>…</name>` element in `bytes[from..<to]`.
    static func element(_ name: String, in bytes: [UInt8], from: Int, to: Int) -> ArraySlice<UInt8>? {
        guard let open = find("<" + name, in: bytes, from: from, to: to),
            let contentStart = find(">", in: bytes, from: open, to: to),
            let close = find("</" + name + ">", in: bytes, from: contentStart, to: to)
        else { return nil }
        return bytes[(contentStart + 1)..<close]
    }

    static func attribute(_ name: String, in tag: Substring) -> String? {
        guard let start = tag.range(of: " \(name)=\"") else { return nil }
        guard let end = tag[start.upperBound...].firstIndex(of: "\"") else { return nil }
        return String(tag[start.upperBound..<end])
    }

    static func dValues(_ content: Substring) -> [String] {
        content.components(separatedBy: "<D>").dropFirst().compactMap { piece in
            piece.components(separatedBy: "</D>").first.map { $0.trimmingCharacters(in: .whitespaces) }
        }.filter { !$0.isEmpty }
    }

    static func stripTags(_ content: Substring) -> String {
        var output = ""
        output.reserveCapacity(content.utf8.count)
        var inTag = false
        for character in content {
            if character == "<" { inTag = true; output.append(" ") } else if character == ">" && inTag { inTag = false } else if !inTag { output.append(character) }
        }
        return output
    }

    /// `&lt;` `&gt;` `&amp;` and numeric references; control-code references (`&#2;`, `&#3;`) become spaces.
    static func unescape(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var output = ""
        var rest = Substring(text)
        while let ampersand = rest.firstIndex(of: "&") {
            output += rest[..<ampersand]
            let after = rest[ampersand...]
            if let semicolon = after.prefix(8).firstIndex(of: ";") {
                let entity = after[after.index(after: ampersand)..<semicolon]
                var replacement: String?
                switch entity {
                case "lt": replacement = "<"
                case "gt": replacement = ">"
                case "amp": replacement = "&"
                case "quot": replacement = "\""
                default:
                    if entity.hasPrefix("#"), let code = UInt32(entity.dropFirst()), let scalar = Unicode.Scalar(code) {
                        replacement = code < 32 ? " " : String(Character(scalar))
                    }
                }
                if let replacement {
                    output += replacement
                    rest = after[after.index(after: semicolon)...]
                    continue
                }
            }
            output += "&"
            rest = after.dropFirst()
        }
        output += rest
        return output
    }
}
