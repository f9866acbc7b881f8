/// How many files a tag run has in flight: up to `limit` (`jobs × 4`, so that reading a file
/// overlaps tagging others), of which at most `jsonLinesLimit` (`jobs`) JSON-lines files.
///
/// A file's articles are all read, tagged and held until the file is done, so a JSON-lines file
/// of many articles (up to `input.maxFileBytes`, 64 MiB) holds its text and tags several times
/// over while in flight. Eight such files of 53 MB each (the 407 MB BBC corpus as JSON lines) made a
/// peak RSS of 1,104–1,154 MB with all eight in flight on 2 cores (595–684 MB with two), against
/// 240 MB for the same articles as text files. One such file keeps one core busy, so `jobs` of them
/// keep every core busy.
struct InFlightFiles {
    let limit: Int
    let jsonLinesLimit: Int
    private(set) var count = 0
    private(set) var jsonLines = 0

    init(limit: Int, jsonLinesLimit: Int) {
        self.limit = max(1, limit)
        self.jsonLinesLimit = max(1, jsonLinesLimit)
    }

    func canStart(jsonLines isJSONLines: Bool) -> Bool {
        count < limit && (!isJSONLines || jsonLines < jsonLinesLimit)
    }

    mutating func start(jsonLines isJSONLines: Bool) {
        count += 1
        if isJSONLines { jsonLines += 1 }
    }

    mutating func finish(jsonLines isJSONLines: Bool) {
        count -= 1
        if isJSONLines { jsonLines -= 1 }
    }
}
