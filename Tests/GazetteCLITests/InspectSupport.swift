import Foundation
import GazetteCore
import GazetteStore

/// The sample articles tagged once for all inspect tests (tagging is the slow part of a debug run).
enum SampleStore {
    private static let directory: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("gazette-cli-samples-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        // Removed when the test process ends (no test owns it).
        atexit { try? FileManager.default.removeItem(at: SampleStore.directory) }
        return url
    }()

    static let path: String = {
        let db = directory.appendingPathComponent("samples.sqlite").path
        let tag = try! GazetteProcess.run(["tag", GazetteProcess.samples.path, "--db", db])
        precondition(tag.status == 0, "tagging the samples failed: \(tag.stderr)")
        return db
    }()
}

/// Strings that break naive HTML, XML, CSV, DOT and JSON writers.
enum Hostile {
    static let title = "<script>alert(\"x\")</script> & ]]> 'q' <!-- -->"
    static let name = "Evil \"Corp\" <b>&amp;</b> ]]> O'Neil, Inc\\"
    static let entity = EntityRef(key: "org:evil<&>\"'", name: name, type: .organization)
    static let friend = EntityRef(key: "person:friend", name: "=SUM(A1) Friend, \"the\" <i>", type: .person)

    /// A store written directly (not by tagging), so titles and entity names can be anything.
    static func store(in directory: TemporaryDirectory) throws -> String {
        let path = directory.file("hostile.sqlite")
        let store = try TagStore(path: path)
        let run = try store.beginRun(configHash: "c", pipelineVersion: "test")
        let text = "\(title)\n\nThe \(name) hired \(friend.name) today. </article><script>bad()</script> \(name) again."
        let scalars = Array(text.unicodeScalars)
        var mentions: [Mention] = []
        for entity in [entity, friend] {
            let needle = Array(entity.name.unicodeScalars)
            var index = 0
            while index + needle.count <= scalars.count {
                if Array(scalars[index..<index + needle.count]) == needle {
                    mentions.append(Mention(entity: entity, start: index, end: index + needle.count, surface: entity.name))
                    index += needle.count
                } else { index += 1 }
            }
        }
        mentions.sort { $0.start < $1.start }
        let article = Article(key: "/hostile/a<b>.txt", path: "/hostile/a<b>.txt", title: title, date: "2020-02-02",
                              text: text, contentHash: "h", byteSize: text.utf8.count)
        var document = ArticleDocument(article: article)
        document.mentions = mentions
        document.topics = [TopicScore(label: "<politics>", score: 0.75)]
        try store.save([document], pipelineHash: "p", runID: run, keepText: true)
        return path
    }
}

/// External programs the richer checks use; each test that needs one is skipped when it is missing.
enum Tools {
    static func find(_ name: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        return paths.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static let python: String? = find("python3")
    static let chromium: String? = find("chromium") ?? find("chromium-browser")
    static let hasNetworkX: Bool = {
        guard let python else { return false }
        return (try? run(python, ["-c", "import networkx"]).status) == 0
    }()

    /// Where test runs leave the pictures a person can look at.
    static let screenshots: URL = {
        let url = URL(fileURLWithPath: "/tmp/gazette-screenshots", isDirectory: true)
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    static func run(_ executable: String, _ arguments: [String], stdin: String? = nil) throws -> GazetteProcess.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return GazetteProcess.Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                                     stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs a Python snippet with `python3 -c`; arguments follow as `sys.argv[1:]`.
    static func python(_ script: String, _ arguments: [String]) throws -> GazetteProcess.Result {
        try run(python!, ["-c", script] + arguments)
    }

    /// Renders a file in headless chromium and returns the PNG path.
    static func screenshot(of file: String, to png: URL, width: Int = 1000, height: Int = 1300) throws -> GazetteProcess.Result {
        try? FileManager.default.removeItem(at: png)
        return try run(chromium!, [
            "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
            "--disable-dev-shm-usage", "--user-data-dir=\(FileManager.default.temporaryDirectory.path)/gazette-chromium-\(UUID().uuidString)",
            "--window-size=\(width),\(height)", "--screenshot=\(png.path)", URL(fileURLWithPath: file).absoluteString,
        ])
    }

    /// Pixel statistics of a PNG, decoded with Python's zlib (8-bit RGB/RGBA, non-interlaced, as
    /// chromium writes): the share of pixels that differ from the most common colour, and how many
    /// pixels are within 6 of each wanted colour.
    static let pngStatistics = """
        import sys, zlib, struct, collections
        data = open(sys.argv[1], 'rb').read()
        assert data[:8] == b'\\x89PNG\\r\\n\\x1a\\n', 'not a PNG'
        pos, idat, width = 8, b'', 0
        while pos < len(data):
            length, kind = struct.unpack('>I4s', data[pos:pos + 8]); body = data[pos + 8:pos + 8 + length]
            if kind == b'IHDR': width, height, depth, ctype, _, _, interlace = struct.unpack('>IIBBBBB', body)
            if kind == b'IDAT': idat += body
            pos += 12 + length
        assert depth == 8 and ctype in (2, 6) and interlace == 0, (depth, ctype, interlace)
        bpp = 3 if ctype == 2 else 4
        raw = zlib.decompress(idat); stride = width * bpp; prev = bytearray(stride); pixels = collections.Counter()
        for y in range(height):
            f = raw[y * (stride + 1)]; line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0; b = prev[i]; c = prev[i - bpp] if i >= bpp else 0
                if f == 1: line[i] = (line[i] + a) & 255
                elif f == 2: line[i] = (line[i] + b) & 255
                elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
                elif f == 4:
                    p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                    line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
            prev = line
            for x in range(0, stride, bpp): pixels[bytes(line[x:x + 3])] += 1
        total = sum(pixels.values()); background, most = pixels.most_common(1)[0]
        print('ink', (total - most) / total)
        for wanted in sys.argv[2:]:
            r, g, b = int(wanted[1:3], 16), int(wanted[3:5], 16), int(wanted[5:7], 16)
            near = sum(n for c, n in pixels.items() if abs(c[0] - r) <= 6 and abs(c[1] - g) <= 6 and abs(c[2] - b) <= 6)
            print(wanted, near)
        """

    static func pixelReport(_ png: URL, colors: [String]) throws -> [String: Double] {
        let result = try python(pngStatistics, [png.path] + colors)
        precondition(result.status == 0, result.stderr)
        var report: [String: Double] = [:]
        for line in result.stdout.split(separator: "\n") {
            let parts = line.split(separator: " ")
            if parts.count == 2 { report[String(parts[0])] = Double(parts[1]) }
        }
        return report
    }
}
