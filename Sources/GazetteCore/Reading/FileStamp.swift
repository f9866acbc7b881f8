import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a file's metadata says of its bytes: its size, the times of its last write and of its last
/// status change (nanoseconds since 1970), and its inode. A whole-file article is stored with the
/// stamp its file had when it was read (`Article.fileStamp`); a later run that finds the same
/// stamp knows the bytes are those it hashed, and skips the file without reading it. Reading and
/// hashing every file was all of an unchanged re-run's work: 102 MB took 0.6 s from the page
/// cache, and 4 s from disk, where a re-run over an archive larger than memory reads.
///
/// Why these fields: a write changes the size or the write time; a rewrite that keeps both (a
/// tool restoring the write time, `touch -d`) still changes the status-change time, which no
/// program can set; a file replaced by another (an editor's save by rename) has another inode.
///
/// **Racy stamps.** File times move in ticks (a few milliseconds on Linux, two seconds on FAT),
/// so a file written again within the tick of the write before, after it was read, would keep its
/// stamp. A stamp is therefore kept only when the file's last change lies at least `settle`
/// before it was read (`settled(now:settle:)`); a file changed more recently is read and hashed
/// on the next run, which stamps it then. (The same rule as git's "racily clean" index entries.)
public struct FileStamp: Sendable, Hashable {
    public var size: Int64
    public var modified: Int64
    public var changed: Int64
    public var inode: UInt64

    public init(size: Int64, modified: Int64, changed: Int64, inode: UInt64) {
        self.size = size
        self.modified = modified
        self.changed = changed
        self.inode = inode
    }

    init(_ info: stat) {
        #if canImport(Darwin)
        let modified = info.st_mtimespec, changed = info.st_ctimespec
        #else
        let modified = info.st_mtim, changed = info.st_ctim
        #endif
        self.init(
            size: Int64(info.st_size),
            modified: Int64(modified.tv_sec) &* 1_000_000_000 &+ Int64(modified.tv_nsec),
            changed: Int64(changed.tv_sec) &* 1_000_000_000 &+ Int64(changed.tv_nsec),
            inode: UInt64(info.st_ino))
    }

    /// The stamp of the file at `path` now (following symbolic links, as reading does); nil when
    /// it cannot be stat'ed or is not a regular file.
    public static func of(path: String) -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return FileStamp(info)
    }

    /// Whether a write happened between two stamps of one open file: the size or the write time
    /// moved (what the readers check to refuse a file written while they read it; a change of
    /// its status alone, such as its permissions, is not a write).
    func sizeOrWriteTimeDiffer(from other: FileStamp) -> Bool {
        size != other.size || modified != other.modified
    }

    /// How long before it is read a file's last change must lie for its stamp to be kept.
    public static let settle: Duration = .seconds(2)

    /// The current time as stamps count it (nanoseconds since 1970, the file system's clock).
    public static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) &* 1_000_000_000 &+ Int64(time.tv_nsec)
    }

    /// Whether the file's last write and status change both lie at least `settle` before `now`
    /// (a time in the future, as a skewed clock gives, is never settled).
    public func settled(now: Int64, settle: Duration = FileStamp.settle) -> Bool {
        let (seconds, attoseconds) = settle.components
        let margin = seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000
        return max(modified, changed) <= now &- margin
    }

    /// As stored: four decimal numbers separated by spaces (size, write time, change time, inode).
    public var text: String { "\(size) \(modified) \(changed) \(inode)" }

    /// The stamp a stored text holds; nil for anything else (a stamp of another format is then
    /// not trusted, and the file is read).
    ///
    /// Read byte by byte: it runs for every file of a re-run, and cutting the text with `split`
    /// and parsing each piece was 12% of an unchanged re-run's samples.
    public init?(text: String) {
        // Four fields: the first three signed (a time before 1970 is negative), the inode not.
        var stamp = FileStamp(size: 0, modified: 0, changed: 0, inode: 0)
        var field = 0
        var value: UInt64 = 0, digits = 0, negative = false
        func endField() -> Bool {
            guard digits > 0, field < 4 else { return false }
            if field == 3 {
                guard !negative else { return false }
                stamp.inode = value
            } else {
                guard value <= UInt64(Int64.max) else { return false }
                let number = negative ? -Int64(value) : Int64(value)
                switch field {
                case 0: stamp.size = number
                case 1: stamp.modified = number
                default: stamp.changed = number
                }
            }
            field += 1
            value = 0
            digits = 0
            negative = false
            return true
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (times10, overflow) = value.multipliedReportingOverflow(by: 10)
                let (sum, carry) = times10.addingReportingOverflow(UInt64(byte &- UInt8(ascii: "0")))
                guard !overflow, !carry else { return nil }
                value = sum
                digits += 1
            case UInt8(ascii: "-") where digits == 0 && !negative:
                negative = true
            case UInt8(ascii: " "):
                guard endField() else { return nil }
            default:
                return nil
            }
        }
        guard endField(), field == 4 else { return nil }
        self = stamp
    }
}
