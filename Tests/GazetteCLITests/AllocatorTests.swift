import Foundation
import Testing

/// The executable's allocator (Package.swift, Sources/CAllocator): on Linux, tcmalloc must serve
/// `malloc`. Losing the whole-archive link, or the export of its `malloc`, would silently bring back
/// the C library's allocator and its cost (docs/benchmarks.md).
@Suite("gazette allocator")
struct AllocatorTests {
    @Test("bench-stages reports the allocator serving malloc, tcmalloc on Linux")
    func tcmallocServesMalloc() throws {
        let dir = try TemporaryDirectory()
        // Only the normalize stage: no gazetteer or model to load.
        let config = try dir.write("Pipeline.yaml", "version: 1\nstages:\n  - normalize: {}\n")
        let run = try GazetteProcess.run(["bench-stages", GazetteProcess.samples.path, "--config", config])
        #expect(run.status == 0, "\(run.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let allocator = try #require(report["allocator"] as? String)
        #expect(report["stage_normalize_mb_per_cpu_s"] is Double)
        #if os(Linux)
        #expect(allocator.hasPrefix("gperftools "), "malloc is served by: \(allocator)")
        #else
        #expect(allocator == "system")
        #endif
    }
}
