import Crypto
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The compiled gazetteer (entities, candidate tables, phrase matcher) cached on disk, so a run loads it
/// in a fraction of the time parsing the TSVs, normalizing every alias and building the matcher
/// takes.
///
/// **Key.** SHA-256 of: this file's format version, the running executable's identity (path, size,
/// modification time: another build never trusts this one's cache, whatever its code changed),
/// the normalizer settings, the kept entity types, and the name and SHA-256 of every TSV file in
/// load order. Any change to any of them is a different key, hence a rebuild.
///
/// **Where.** `<gazetteer directory>/.cache/gazetteer-<key prefix>.cache` (ignored by git); when that
/// folder cannot be written (an installed, read-only share directory), `$XDG_CACHE_HOME/gazette/`,
/// else `~/.cache/gazette/`. Writes go to a temporary file renamed into place, so concurrent runs
/// never read a half-written cache; the three most recent caches of a folder are kept.
///
/// **Trust.** A cache file is used only if its magic, version, key and checksum of its contents
/// (`checksum`) match and its tables are consistent; anything else (stale, truncated, corrupt, foreign) is
/// ignored and rebuilt, never an error. Failing to write a cache is not an error either.
public enum GazetteerCache {
    /// Bump when the file layout or the meaning of a cached field changes.
    public static let formatVersion: UInt32 = 8
    static let magic: [UInt8] = Array("GZGAZCCH".utf8)
    static let keptCaches = 3

    public enum Source: Sendable, Equatable {
        /// Loaded from this cache file.
        case cache(String)
        /// Built from the TSV files; written to this cache file (nil when no folder was writable).
        case built(writtenTo: String?)
    }

    /// The gazetteer for `settings`, from the cache when a valid one exists, else built from the
    /// TSVs (and cached). Errors are those of the TSVs (unreadable file, bad row), never of the cache.
    ///
    /// `fileHashes` are the TSVs with the hex SHA-256 of their contents, in load order, as the cache
    /// key was made from them: the pipeline fingerprint names the files by the same hashes, and
    /// takes them from here rather than reading and hashing every TSV a second time.
    public static func gazetteer(
        settings: GazetteerSettings, normalizer: TextNormalizer
    ) throws -> (gazetteer: Gazetteer, source: Source, fileHashes: [(file: URL, hash: String)]) {
        let fileHashes = try fileHashes(settings)
        let key = cacheKey(settings: settings, normalizer: normalizer, fileHashes: fileHashes)
        let name = "gazetteer-" + hex(key.prefix(8)) + ".cache"
        for folder in folders(for: settings) {
            let path = folder.appendingPathComponent(name).path
            if let gazetteer = read(path, key: key, normalizer: normalizer) {
                return (gazetteer, .cache(path), fileHashes)
            }
        }
        let gazetteer = try Gazetteer(settings: settings, normalizer: normalizer)
        var written: String?
        if let payload = try? BinaryCoder.encode(gazetteer) {
            for folder in folders(for: settings) {
                if let path = write(payload, key: key, to: folder, name: name) {
                    written = path
                    break
                }
            }
        }
        return (gazetteer, .built(writtenTo: written), fileHashes)
    }

    /// Cache folders in the order they are tried.
    static func folders(for settings: GazetteerSettings, environment: [String: String] = ProcessInfo.processInfo.environment) -> [URL] {
        var result = [settings.directory.appendingPathComponent(".cache", isDirectory: true)]
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            result.append(URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("gazette", isDirectory: true))
        } else if let home = environment["HOME"], !home.isEmpty {
            result.append(URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".cache/gazette", isDirectory: true))
        }
        return result
    }

    /// Each TSV of `settings`, in load order, with the hex SHA-256 of its contents.
    static func fileHashes(_ settings: GazetteerSettings) throws -> [(file: URL, hash: String)] {
        try settings.resolvedFiles().map { url in
            guard let hash = ContentHash.hexOfFile(atPath: url.path) else {
                throw GazetteerError(file: url.path, reason: "cannot read file")
            }
            return (url, hash)
        }
    }

    static func cacheKey(settings: GazetteerSettings, normalizer: TextNormalizer) throws -> [UInt8] {
        cacheKey(settings: settings, normalizer: normalizer, fileHashes: try fileHashes(settings))
    }

    static func cacheKey(
        settings: GazetteerSettings, normalizer: TextNormalizer, fileHashes: [(file: URL, hash: String)]
    ) -> [UInt8] {
        var hasher = SHA256()
        func add(_ text: String) {
            hasher.update(data: Array(text.utf8))
            hasher.update(data: [0])
        }
        add("gazette gazetteer cache \(formatVersion)")
        add(executableIdentity())
        add("foldAccents \(normalizer.foldAccents)")
        add("types " + settings.entityTypes.map(\.rawValue).sorted().joined(separator: ","))
        for (url, hash) in fileHashes {
            add(url.lastPathComponent)
            add(hash)
        }
        return Array(hasher.finalize())
    }

    /// Path, size and modification time of the running executable: a rebuilt or different binary
    /// gets its own cache, so a change to the loading code can never meet a cache it did not write.
    static func executableIdentity() -> String {
        #if os(Linux)
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        #else
        let path = Bundle.main.executablePath ?? CommandLine.arguments[0]
        #endif
        var info = stat()
        guard stat(path, &info) == 0 else { return "exe \(path) unknown" }
        #if os(Linux)
        let modified = "\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        #else
        let modified = "\(info.st_mtimespec.tv_sec).\(info.st_mtimespec.tv_nsec)"
        #endif
        return "exe \(path) \(info.st_size) \(modified)"
    }

    // MARK: File

    // Layout: magic (8) · format version (UInt32 LE) · key (32) · payload length (UInt64 LE) ·
    // payload (`BinaryCoder` of the Gazetteer) · `checksum` of the payload (UInt64 LE).
    static let headerSize = 8 + 4 + 32 + 8
    static let trailerSize = 8

    static func read(_ path: String, key: [UInt8], normalizer: TextNormalizer) -> Gazetteer? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return data.withUnsafeBytes { raw -> Gazetteer? in
            guard raw.count >= headerSize + trailerSize,
                  raw.prefix(8).elementsEqual(magic),
                  raw.loadUnaligned(fromByteOffset: 8, as: UInt32.self).littleEndian == formatVersion,
                  raw[12..<44].elementsEqual(key)
            else { return nil }
            let length = raw.loadUnaligned(fromByteOffset: 44, as: UInt64.self).littleEndian
            guard length == UInt64(raw.count - headerSize - trailerSize) else { return nil }
            let payload = UnsafeRawBufferPointer(rebasing: raw[headerSize..<(raw.count - trailerSize)])
            let stored = raw.loadUnaligned(fromByteOffset: raw.count - trailerSize, as: UInt64.self).littleEndian
            guard checksum(payload) == stored else { return nil }
            guard let gazetteer = try? BinaryCoder.decode(Gazetteer.self, from: payload),
                  gazetteer.normalizer == normalizer, isConsistent(gazetteer)
            else { return nil }
            return gazetteer
        }
    }

    /// A 64-bit checksum of `bytes`, to tell a corrupt or truncated cache file from a good one.
    ///
    /// Not a cryptographic hash: the cache sits beside the user's own files and its key already
    /// names everything it was made from; the checksum only has to catch damage. It reads 8-byte
    /// words into four independent lanes (multiply and rotate, each step a bijection of the lane,
    /// so a change confined to one word always changes the result), then folds the lanes, the
    /// length and the tail together. Every run checks the whole ~36 MB cache: SHA-256 took ~25 ms
    /// of each run's start (12% of `gazette tag` on one file), this a few milliseconds.
    /// Changing it changes the file format: bump `formatVersion`.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let prime1: UInt64 = 0x9E37_79B1_85EB_CA87, prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
        @inline(__always) func rotated(_ value: UInt64, _ bits: UInt64) -> UInt64 { value << bits | value >> (64 - bits) }
        @inline(__always) func round(_ lane: UInt64, _ word: UInt64) -> UInt64 {
            rotated(lane &+ word &* prime2, 31) &* prime1
        }
        func word(_ offset: Int) -> UInt64 { bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian }
        var lanes = (prime1 &+ prime2, prime2, UInt64(0), 0 &- prime1)
        var offset = 0
        let count = bytes.count
        while offset + 32 <= count {
            lanes.0 = round(lanes.0, word(offset))
            lanes.1 = round(lanes.1, word(offset + 8))
            lanes.2 = round(lanes.2, word(offset + 16))
            lanes.3 = round(lanes.3, word(offset + 24))
            offset += 32
        }
        var hash = UInt64(count) &* prime1
        for lane in [lanes.0, lanes.1, lanes.2, lanes.3] { hash = round(hash, round(0, lane)) }
        while offset + 8 <= count {
            hash = round(hash, word(offset))
            offset += 8
        }
        while offset < count {
            hash = round(hash, UInt64(bytes[offset]))
            offset += 1
        }
        hash ^= hash >> 33
        hash &*= prime2
        hash ^= hash >> 29
        hash &*= prime1
        return hash ^ hash >> 32
    }

    /// The tables index each other; a decoded gazetteer is used only if every index is in range.
    static func isConsistent(_ gazetteer: Gazetteer) -> Bool {
        let start = gazetteer.candidateStart
        let patterns = start.count - 1
        guard patterns >= 0, start.first == 0, gazetteer.matcher.phraseCount == patterns,
              gazetteer.patternNeedsCapital.count == patterns, gazetteer.patternSignatures.count == patterns,
              Int(start.last!) == gazetteer.candidateEntity.count,
              gazetteer.candidateRule.count == gazetteer.candidateEntity.count
        else { return false }
        for p in 0..<patterns where start[p] > start[p + 1] { return false }
        let entityCount = Int32(gazetteer.entities.count)
        guard gazetteer.candidateEntity.allSatisfy({ $0 >= 0 && $0 < entityCount }) else { return false }
        return true
    }

    /// Writes atomically; returns the path, or nil when the folder cannot be written.
    static func write(_ payload: [UInt8], key: [UInt8], to folder: URL, name: String) -> String? {
        let manager = FileManager.default
        do {
            try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            return nil
        }
        var file: [UInt8] = []
        file.reserveCapacity(headerSize + payload.count + trailerSize)
        file.append(contentsOf: magic)
        withUnsafeBytes(of: formatVersion.littleEndian) { file.append(contentsOf: $0) }
        file.append(contentsOf: key)
        withUnsafeBytes(of: UInt64(payload.count).littleEndian) { file.append(contentsOf: $0) }
        file.append(contentsOf: payload)
        let sum = payload.withUnsafeBytes { checksum($0) }
        withUnsafeBytes(of: sum.littleEndian) { file.append(contentsOf: $0) }
        let target = folder.appendingPathComponent(name)
        let temporary = folder.appendingPathComponent("\(name).\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp")
        do {
            try Data(file).write(to: temporary)
            guard rename(temporary.path, target.path) == 0 else {
                try? manager.removeItem(at: temporary)
                return nil
            }
        } catch {
            try? manager.removeItem(at: temporary)
            return nil
        }
        prune(folder, keeping: target.lastPathComponent)
        return target.path
    }

    /// Keeps the most recent caches of a folder (several builds may share it, e.g. debug and
    /// release) and removes temporary files left by interrupted writes.
    static func prune(_ folder: URL, keeping current: String) {
        let manager = FileManager.default
        guard let names = try? manager.contentsOfDirectory(atPath: folder.path) else { return }
        var caches: [(name: String, modified: Date)] = []
        let now = Date()
        for name in names where name.hasPrefix("gazetteer-") {
            let path = folder.appendingPathComponent(name).path
            let modified = (try? manager.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? .distantPast
            if name.hasSuffix(".tmp") {
                if now.timeIntervalSince(modified) > 3600 { try? manager.removeItem(atPath: path) }
            } else if name.hasSuffix(".cache") && name != current {
                caches.append((name, modified))
            }
        }
        caches.sort { $0.modified > $1.modified }
        for stale in caches.dropFirst(keptCaches - 1) {
            try? manager.removeItem(atPath: folder.appendingPathComponent(stale.name).path)
        }
    }

    static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        bytes.map { String(format: "%02x", $0) }.joined()
    }
}

extension Gazetteer {
    /// Every distinct normalized alias the matcher looks for (for exports and benchmarks).
    public func forEachAlias(_ body: ([UInt8]) throws -> Void) rethrows {
        try matcher.forEachPhrase { _, bytes in try body(Array(bytes)) }
    }
}

extension GazetteerCache {
    /// The gazetteer settings and normalizer a pipeline configuration gives its gazetteer stage;
    /// nil when it has none.
    public static func gazetteerSettings(of settings: PipelineSettings) throws -> (settings: GazetteerSettings, normalizer: TextNormalizer)? {
        guard let entry = settings.stages.first(where: { $0.name == GazetteerStage.name }) else { return nil }
        let gazetteer = try StageRegistry.gazetteer(entry.settings, base: settings.baseDirectory)
        let normalize = try settings.stages.first(where: { $0.name == NormalizeStage.name })
            .map { try StageRegistry.normalize($0.settings) } ?? NormalizeSettings()
        return (gazetteer, TextNormalizer(foldAccents: normalize.foldAccents))
    }
}
