#if !KEYTRAIL_LIBFUZZER
import Foundation
import TrailFuzzing

/// A fuzzer without libFuzzer: runs the seed inputs, then random mutations of them for a while. Used where the
/// toolchain has no libFuzzer, and to replay inputs (`keytrail-fuzz TARGET FILE…`).
///
///     keytrail-fuzz TARGET --seconds 60 --corpus DIR…   mutate the corpus for 60 seconds
///     keytrail-fuzz TARGET FILE…                          run each file once (regression)
///
/// An input that crashes the process is written to `crash-TARGET-<pid>.bin` in the current folder first.
@main
struct PlainDriver {
    static func main() {
        var arguments = Array(CommandLine.arguments.dropFirst())
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else {
            let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
            FileHandle.standardError.write(
                Data("usage: keytrail-fuzz \(names) [--seconds N] [--corpus DIR]… [FILE…]\n".utf8))
            exit(2)
        }
        arguments.removeFirst()
        var seconds = 0.0
        var corpus: [[UInt8]] = []
        var files: [String] = []
        while let argument = arguments.first {
            arguments.removeFirst()
            switch argument {
            case "--seconds": seconds = Double(arguments.removeFirst()) ?? 0
            case "--corpus": corpus += Self.inputs(in: arguments.removeFirst())
            default: files.append(argument)
            }
        }
        CrashKeeper.install(label: name)
        for file in files {
            let bytes = [UInt8](FileManager.default.contents(atPath: file) ?? Data())
            CrashKeeper.hold(bytes)
            target.run(bytes)
        }
        for input in corpus {
            CrashKeeper.hold(input)
            target.run(input)
        }
        var mutator = Mutator(seed: UInt64(Date().timeIntervalSince1970 * 1000), corpus: corpus.isEmpty ? [[]] : corpus)
        let deadline = Date().addingTimeInterval(seconds)
        var runs = 0
        while seconds > 0 && Date() < deadline {
            for _ in 0..<64 {
                let input = mutator.next()
                CrashKeeper.hold(input)
                target.run(input)
                runs += 1
            }
        }
        print("keytrail-fuzz \(name): \(files.count + corpus.count) inputs replayed, \(runs) mutations run, no crash")
    }

    /// Every regular file under `folder`.
    static func inputs(in folder: String) -> [[UInt8]] {
        let names = (try? FileManager.default.subpathsOfDirectory(atPath: folder).sorted()) ?? []
        return names.compactMap { FileManager.default.contents(atPath: folder + "/" + $0).map { [UInt8]($0) } }
    }
}
#endif
