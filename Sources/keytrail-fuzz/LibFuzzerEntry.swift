#if KEYTRAIL_LIBFUZZER
import TrailFuzzing

#if canImport(Glibc)
import Glibc
#endif

/// The target libFuzzer drives, named by `KEYTRAIL_FUZZ_TARGET` (Scripts/fuzz.sh sets it).
private let selectedTarget: FuzzTarget = {
    guard let name = getenv("KEYTRAIL_FUZZ_TARGET").map({ String(cString: $0) }),
        let target = FuzzTarget(rawValue: name)
    else {
        let names = FuzzTarget.allCases.map(\.rawValue).joined(separator: ", ")
        fatalError("set KEYTRAIL_FUZZ_TARGET to one of: \(names)")
    }
    return target
}()

/// libFuzzer's entry point: one input, any bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    selectedTarget.run(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
private func runLibFuzzer(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// The executable's entry point in a libFuzzer build. SwiftPM links an executable target's `main` to
/// `<module>_main`; with no `@main` type here, this is that function, and it hands control to libFuzzer.
@_cdecl("keytrail_fuzz_main")
public func keytrailFuzzMain(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
) -> CInt {
    var count = argc
    var arguments = argv
    return runLibFuzzer(&count, &arguments) { data, size in fuzzOneInput(data, size) }
}
#endif
