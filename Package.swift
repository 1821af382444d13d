// swift-tools-version:6.0
// modelsh — a native shell for model management. Modules stack as in the README's
// architecture section; imports only point down (Shell never imports LineEditor).
import PackageDescription

let package = Package(
    name: "modelsh",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "modelsh", targets: ["modelsh"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // The runtime of the committed ONNX messages (Sources/ONNXFormat); the plugin never runs in the build.
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        // C shims: system libraries, and fixed-argument wrappers for libedit's variadic API.
        .systemLibrary(name: "CLapack", path: "Sources/CLapack"),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        // zlib (zlib1g-dev), for CSV and JSON files compressed with gzip.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "CInterrupt", path: "Sources/CInterrupt"),
        // Files read through a mapping of their pages, guarded against their being cut shorter meanwhile.
        .target(name: "CMappedFile", path: "Sources/CMappedFile"),
        // Hot loops of the extended-precision least-squares refinement, with an FMA variant
        // chosen at run time (Swift code is built for a baseline CPU).
        // libmvec: glibc's vector exp and log (part of libc6-dev), for the IRLS rows.
        .target(name: "CKernels", path: "Sources/CKernels", linkerSettings: [.linkedLibrary("mvec"), .linkedLibrary("m")]),
        .target(name: "CEditLine", dependencies: ["CInterrupt"], path: "Sources/CEditLine", linkerSettings: [.linkedLibrary("edit")]),

        .target(name: "Diagnostics", dependencies: ["CInterrupt"]),
        .target(name: "Numerics", dependencies: ["CLapack", "CKernels", "Diagnostics"]),
        .target(name: "Tabular", dependencies: ["Numerics", "CKernels", "CMappedFile", "CZlib", "Diagnostics"]),
        .target(name: "Models", dependencies: ["Tabular", "Numerics", "Diagnostics"]),
        // ONNX's messages, generated from onnx-ml.proto: a target of its own, so the large
        // generated file is compiled once, not with every change to Store.
        .target(name: "ONNXFormat", dependencies: [.product(name: "SwiftProtobuf", package: "swift-protobuf")]),
        .target(name: "Store", dependencies: ["Models", "Tabular", "Numerics", "Diagnostics", "CSQLite", "ONNXFormat"]),
        .target(name: "Language", dependencies: ["Diagnostics"]),
        .target(name: "Plotting", dependencies: ["Numerics", "Diagnostics"]),
        .target(name: "Shell", dependencies: ["Language", "Store", "Models", "Tabular", "Plotting", "Numerics", "Diagnostics"]),
        .target(name: "LineEditor", dependencies: ["CEditLine", "Diagnostics"]),
        .executableTarget(name: "modelsh", dependencies: [
            "Shell", "Store", "Tabular", "LineEditor", "Language", "Diagnostics",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "DiagnosticsTests", dependencies: ["Diagnostics"]),
        .testTarget(name: "NumericsTests", dependencies: ["Numerics", "CKernels"]),
        .testTarget(name: "TabularTests", dependencies: ["Tabular", "CKernels", "CZlib", "Numerics", "Diagnostics"]),
        .testTarget(name: "ModelsTests", dependencies: ["Models", "Tabular"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Models", "Tabular", "ONNXFormat"]),
        .testTarget(name: "LanguageTests", dependencies: ["Language"]),
        .testTarget(name: "PlottingTests", dependencies: ["Plotting", "Numerics"]),
        .testTarget(name: "ShellTests", dependencies: ["Shell", "Store", "Language", "Plotting", "Diagnostics"]),
        .testTarget(name: "LineEditorTests", dependencies: ["LineEditor", "Diagnostics"]),
    ]
)

// libFuzzer targets (Fuzz/, `make fuzz`), only when MODELSH_FUZZ is set, so an ordinary build
// never compiles them; scripts/fuzz.sh builds them with -sanitize=fuzzer,address.
if Context.environment["MODELSH_FUZZ"] != nil {
    package.targets.append(.target(name: "FuzzSupport", path: "Fuzz/Sources/FuzzSupport"))
    let fuzzed: [(name: String, module: Target.Dependency)] = [
        ("FuzzCSV", "Tabular"), ("FuzzJSONData", "Tabular"), ("FuzzParser", "Language"),
        ("FuzzModelJSON", "Store"), ("FuzzWorkspace", "Store"),
    ]
    for (name, module) in fuzzed {
        package.targets.append(.executableTarget(name: name, dependencies: [module, "FuzzSupport"],
                                                 path: "Fuzz/Sources/\(name)"))
    }
}
