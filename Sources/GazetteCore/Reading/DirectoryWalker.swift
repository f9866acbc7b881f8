import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lists the input files below a directory, recursively, in a stable (sorted) order.
///
/// Uses POSIX `readdir` (measured 15× faster than `FileManager.enumerator` on 20k files). Symbolic
/// links are followed, but each directory is entered once (by device and inode), so a link loop ends
/// the walk of that branch with an issue instead of recursing forever. Hidden files and folders
/// (starting with `.`) are skipped.
public struct DirectoryWalker: Sendable {
    public var extensions: Set<String>

    public init(extensions: Set<String>) {
        self.extensions = Set(extensions.map { $0.lowercased() })
    }

    public struct Listing: Sendable {
        public var files: [String] = []
        public var issues: [ArticleIssue] = []
    }

    struct DirectoryID: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    /// Every file at once, and the issues met (`files(under:)` gone through to the end).
    public func list(_ root: String) -> Listing {
        var walk = files(under: root)
        var listing = Listing()
        while let file = walk.next() { listing.files.append(file) }
        listing.issues = walk.issues
        return listing
    }

    /// The files below `root` (which may also name a single file), found as they are asked for.
    public func files(under root: String) -> FileWalk {
        FileWalk(root: Self.absolute(root), extensions: extensions)
    }

    /// The files below a directory one at a time, in the order `list` gives: a directory's files by
    /// name, then each subdirectory the same way, by name.
    ///
    /// It holds the entries of the directories it is in (their files not yet given, their
    /// subdirectories not yet entered), not every path found: a tag run over millions of files in
    /// many folders does not keep all their paths (~100 bytes each) in memory. One folder is read
    /// whole to sort it, so a flat folder of a million files is held while it is walked.
    /// Directories are entered when their turn comes; a file is classified by the type `readdir`
    /// gives, so only directories, links and entries of unknown type cost a `stat`.
    public struct FileWalk: IteratorProtocol {
        private let extensions: Set<String>
        private var visited: Set<DirectoryID> = []
        /// Directories begun: the files not yet given, then the subdirectories not yet entered.
        private var pending: [Directory] = []
        private var root: String?
        /// Problems met so far (unreadable entries, link loops), in walk order.
        public private(set) var issues: [ArticleIssue] = []

        private struct Directory {
            var files: [String]
            var nextFile = 0
            var subdirectories: [(path: String, info: stat)]
            var nextSubdirectory = 0
        }

        init(root: String, extensions: Set<String>) {
            self.root = root
            self.extensions = extensions
        }

        public mutating func next() -> String? {
            if let root {
                self.root = nil
                var info = stat()
                guard stat(root, &info) == 0 else {
                    issues.append(ArticleIssue(.error, path: root, message: "cannot read: \(String(cString: strerror(errno)))"))
                    return nil
                }
                if (info.st_mode & S_IFMT) != S_IFDIR { return root }
                enter(root, info: info)
            }
            while let last = pending.indices.last {
                if pending[last].nextFile < pending[last].files.count {
                    defer { pending[last].nextFile += 1 }
                    return pending[last].files[pending[last].nextFile]
                }
                if pending[last].nextSubdirectory < pending[last].subdirectories.count {
                    let (path, info) = pending[last].subdirectories[pending[last].nextSubdirectory]
                    pending[last].nextSubdirectory += 1
                    enter(path, info: info)
                    continue
                }
                pending.removeLast()
            }
            return nil
        }

        /// Reads a directory's entries: its matching files and its subdirectories, each by name.
        private mutating func enter(_ directory: String, info: stat) {
            let id = DirectoryID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
            guard visited.insert(id).inserted else {
                issues.append(ArticleIssue(.warning, path: directory, message: "directory already visited (symbolic link loop?); skipped"))
                return
            }
            guard let handle = opendir(directory) else {
                issues.append(ArticleIssue(.error, path: directory, message: "cannot open directory: \(String(cString: strerror(errno)))"))
                return
            }
            var entries: [(name: String, type: UInt8)] = []
            while let entry = readdir(handle) {
                let name = withUnsafePointer(to: entry.pointee.d_name) {
                    $0.withMemoryRebound(to: CChar.self, capacity: Int(NAME_MAX) + 1) { String(cString: $0) }
                }
                if name.hasPrefix(".") { continue }
                entries.append((name, entry.pointee.d_type))
            }
            closedir(handle)
            entries.sort { $0.name < $1.name }
            var found = Directory(files: [], subdirectories: [])
            for (name, type) in entries {
                let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
                if type == Self.regularFile {
                    if matches(name) { found.files.append(path) }
                    continue
                }
                // Directories (their device and inode tell a loop), links and unknown types.
                var entryInfo = stat()
                guard stat(path, &entryInfo) == 0 else {
                    var linkInfo = stat()
                    if lstat(path, &linkInfo) == 0 && (linkInfo.st_mode & S_IFMT) == S_IFLNK {
                        issues.append(ArticleIssue(.warning, path: path, message: "broken or looping symbolic link; skipped"))
                    } else {
                        issues.append(ArticleIssue(.error, path: path, message: "cannot read: \(String(cString: strerror(errno)))"))
                    }
                    continue
                }
                switch entryInfo.st_mode & S_IFMT {
                case S_IFDIR:
                    found.subdirectories.append((path, entryInfo))
                case S_IFREG:
                    if matches(name) { found.files.append(path) }
                default:
                    continue
                }
            }
            pending.append(found)
        }

        private func matches(_ name: String) -> Bool {
            extensions.contains(articleExtension(of: name))
        }

        /// The `d_type` of a regular file.
        private static let regularFile = UInt8(DT_REG)
    }

    /// An absolute, standardized path (no `.`/`..`, no trailing slash), so that the same file always
    /// gets the same key whatever directory the user ran from.
    public static func absolute(_ path: String) -> String {
        let url = URL(fileURLWithPath: path).standardizedFileURL
        var result = url.path
        if result.count > 1 && result.hasSuffix("/") { result.removeLast() }
        return result
    }
}
