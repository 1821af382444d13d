import Diagnostics
import Foundation

/// Whole-file reads with errors that name the file as the user wrote it (`ReadableFile`);
/// writes go through `AtomicFile`.
enum FileAccess {
    static func read(_ path: String) throws -> Data {
        try ReadableFile.size(of: path)
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ModelshError.io("\(path): cannot read (\(error.localizedDescription))")
        }
    }

}
