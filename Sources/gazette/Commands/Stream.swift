import ArgumentParser
import Foundation
import GazetteCore

extension Gazette {
    struct Stream: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Tag JSON lines from stdin; write one JSON line of tags per article to stdout.",
            discussion: """
                Each input line is an object with `text` (required), `id`, `title`, `date` and any \
                other fields, which are passed through under "extra". Each output line, in input \
                order, has id, content_hash (SHA-256 of the input line, as `gazette tag` computes it), \
                title, date, topics [{label, score}] and mentions [{key, name, type, start, end, \
                surface}]. A bad line gives {"id", "line", "error"} on stdout and a message on stderr, \
                and the stream goes on. Records are written as soon as every earlier line is done. \
                Exits 0 even when lines failed (their error records say so); 1 when stdin or stdout \
                fails. Use it as a mapper for Hadoop Streaming or Spark's RDD.pipe(); store the \
                output with `gazette load`.
                """
        )

        @Option(name: .long, help: ArgumentHelp("The pipeline configuration (default: ./Pipeline.yaml, else the one installed with gazette).", valueName: "path"))
        var config: String?

        @Option(name: .long, help: ArgumentHelp("Articles processed at once (default: the config's jobs, else one per core).", valueName: "n"))
        var jobs: Int?

        func validate() throws {
            if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1 (got \(jobs)).") }
        }

        func run() async throws {
            let settings = try PipelineSettings.load(from: ConfigLocator.locate(explicit: config))
            let pipeline = try StageRegistry.makePipeline(settings)
            // A closed stdout must end the run with an error, not kill it silently.
            signal(SIGPIPE, SIG_IGN)
            let streamRun = StreamRun(pipeline: pipeline, jobs: jobs ?? settings.effectiveJobs)
            do {
                _ = try await streamRun.run(input: STDIN_FILENO) { record in
                    if let error = record.error { Terminal.standardError.write("stdin: \(error)\n") }
                    try Self.writeAll(Array((record.json + "\n").utf8), to: STDOUT_FILENO)
                }
            } catch {
                Terminal.standardError.write("gazette stream: \(error)\n")
                throw ExitCode(1)
            }
        }

        /// One write(2) per record: the record leaves the process at once, pipe or not.
        static func writeAll(_ bytes: [UInt8], to descriptor: Int32) throws {
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
                if written < 0 {
                    if errno == EINTR { continue }
                    throw StreamRun.StreamError(message: "writing to stdout failed: \(String(cString: strerror(errno)))")
                }
                offset += written
            }
        }
    }
}
