// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for Gazette's parsers and its gazetteer stage. A separate package so the main build never links
// libFuzzer: build with `Scripts/fuzz.sh` (which passes `-sanitize=fuzzer`), never `swift build` alone.
let targets = ["FuzzTextReader", "FuzzHTMLReader", "FuzzJSONLReader", "FuzzNormalizer", "FuzzTopicModel", "FuzzGazetteerStage"]

let package = Package(
    name: "GazetteFuzz",
    dependencies: [.package(name: "Gazette", path: "..")],
    targets: [.target(name: "FuzzDriver")] + targets.map {
        .executableTarget(name: $0, dependencies: ["FuzzDriver", .product(name: "GazetteCore", package: "Gazette")])
    }
)
