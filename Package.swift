// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Gazette",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "gazette", targets: ["gazette"]),
        .library(name: "GazetteCore", targets: ["GazetteCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // C shim over the system ICU: Swift only sees ICU's versioned symbol names on Debian,
        // so the few calls we need are wrapped here with stable names, UTF-8 in and out.
        .target(
            name: "CICU",
            linkerSettings: [.linkedLibrary("icuuc"), .linkedLibrary("icudata")]
        ),
        .systemLibrary(
            name: "CSQLite3",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // zlib, for gzip-compressed JSON-lines files (`feed.jsonl.gz`: JSONLinesFeed).
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // One `static inline` prefetch hint for the matcher's table probes (Swift has no intrinsic).
        .target(name: "CPrefetch"),
        // Page-cache calls Swift's Glibc module does not expose (`preadv2` with `RWF_NOWAIT`), for
        // reading ahead of the files a tag run reads from disk (`FileReadAhead`).
        .target(name: "CFileCache"),
        // The alias matcher: Swift, built once and shared read-only.
        .target(name: "PhraseMatcher", dependencies: ["CPrefetch"], exclude: ["DESIGN.md"]),
        .target(
            name: "GazetteCore",
            dependencies: [
                "CFileCache",
                "CICU",
                "CPrefetch",
                "CZlib",
                "PhraseMatcher",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(name: "GazetteStore", dependencies: ["GazetteCore", "CSQLite3"]),
        // The executable's memory allocator: tcmalloc's minimal build from Debian's
        // libgoogle-perftools-dev (Scripts/setup.sh), linked statically and whole so that its
        // `malloc` serves the whole process (the binary needs no tcmalloc where it runs). Why, and
        // how it is checked: Sources/CAllocator/CAllocator.c. Only the executable links it: the
        // library leaves the choice of allocator to whoever embeds it.
        .target(
            name: "CAllocator",
            linkerSettings: [
                .unsafeFlags(
                    ["-Xlinker", "--whole-archive", "-Xlinker", "-l:libtcmalloc_minimal.a",
                     "-Xlinker", "--no-whole-archive", "-lstdc++"],
                    .when(platforms: [.linux])),
            ]
        ),
        .executableTarget(
            name: "gazette",
            dependencies: [
                "CAllocator",
                "GazetteCore",
                "GazetteStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "PhraseMatcherTests", dependencies: ["PhraseMatcher", "TestSupport"]),
        // Helpers shared by the test targets (test targets cannot import each other).
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "GazetteCoreTests", dependencies: ["GazetteCore", "CFileCache", "CICU", "CZlib", "TestSupport"]),
        .testTarget(name: "GazetteStoreTests", dependencies: ["GazetteStore", "GazetteCore"]),
        .testTarget(name: "GazetteCLITests", dependencies: ["GazetteCore", "GazetteStore", "CZlib", "TestSupport"]),
    ]
)
