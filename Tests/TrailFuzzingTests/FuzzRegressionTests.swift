import Foundation
import Testing
import TrailFuzzing
import TrailIngest
import TrailTestSupport

/// Every input a fuzzer once crashed keytrail with (kept in `Tests/Fixtures/fuzz/<target>/`), replayed through the
/// same target code `Scripts/fuzz.sh` runs, plus hand-written hostile inputs for each target. A target checks its own
/// invariants with `precondition`, so a regression crashes this test process: that is the failure to look for.
@Suite("fuzz targets replay their corpus of past crashes and hostile inputs")
struct FuzzRegressionTests {
    @Test("every kept input of every target", arguments: FuzzTarget.allCases)
    func keptInputs(target: FuzzTarget) throws {
        let folder = Fixtures.folder + "/fuzz/" + target.rawValue
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted()
        for name in names {
            target.run(Fixtures.read(folder + "/" + name))
        }
        #expect(!names.isEmpty, "keep at least the README-described inputs in \(folder)")
    }

    @Test("each target survives the seeds it is fuzzed from", arguments: FuzzTarget.allCases)
    func seeds(target: FuzzTarget) throws {
        let inputs: [[UInt8]]
        switch target {
        case .scanner, .gzip:
            inputs = LogSource(paths: [Fixtures.realData]).discover().files.map { Fixtures.read($0.displayPath) }
        case .inventory:
            inputs = [Fixtures.read(Fixtures.sampleLogs + "/credential-report.csv")]
        case .sigma:
            inputs = try FileManager.default.contentsOfDirectory(atPath: Fixtures.sigmaRules)
                .filter { $0.hasSuffix(".yml") }.map { Fixtures.read(Fixtures.sigmaRules + "/" + $0) }
        }
        #expect(inputs.count >= 1)
        for input in inputs { target.run(input) }
    }
}
