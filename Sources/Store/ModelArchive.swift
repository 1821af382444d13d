import Diagnostics
import Foundation
import Models

/// A fitted model as a JSON file: data only, versioned, written to diff well in git.
///
/// ```json
/// {
///   "checksum" : "3f1c…",
///   "createdBy" : "modelsh 0.1.0",
///   "format" : "modelsh-model",
///   "formatVersion" : 3,
///   "model" : { … },
///   "name" : "m"
/// }
/// ```
/// `model` is `Model`'s Codable form. Keys are sorted and the text is indented, so two
/// versions of a model differ only in the lines that changed. Numbers are written in the
/// shortest form that reads back to the same bits. JSON has no NaN or infinities, so they are
/// written as the strings "NaN", "Infinity" and "-Infinity" (NaN marks, e.g., a coefficient
/// left out as aliased, as R's NA does); NaN payload bits are not kept.
///
/// `checksum` is XXH64 (`Checksum`) of the file as this build writes it without the checksum
/// line, computed over the values read: reindenting the file keeps it valid, changing any value
/// (a coefficient, a size, a name) makes opening it fail. It catches damage and careless edits,
/// not forgery (anyone can recompute it); deleting the line accepts an edit, as files from
/// before checksums (same format version, no such field) open unchecked. The checks on every
/// model's sizes and invariants run either way.
///
/// Readers refuse a `formatVersion` newer than `formatVersion`, so a file from a newer build
/// gives a clear message instead of a half-understood model, and one older than
/// `oldestReadable` (format 1 predates stored preprocessing and hyper-parameters).
public enum ModelArchive {
    public static let format = "modelsh-model"
    /// 3: arrays longer than `packedArrayInlineLimit` may be packed (a tree's nodes, k nearest
    /// neighbours' training rows); 2 wrote every number in JSON.
    public static let formatVersion = 3
    public static let oldestReadable = 2

    /// The archive as UTF-8 JSON, ending with a newline.
    public static func encode(_ model: Model, name: String) throws -> Data {
        let envelope = Envelope(format: format, formatVersion: formatVersion, createdBy: modelshCreatedBy,
                                name: name, model: model)
        let unsummed: Data
        do {
            unsummed = try jsonEncoder().encode(envelope)
        } catch {
            throw ModelshError(.software, "cannot encode model '\(name)' (\(error))")
        }
        // The checksum is of this text. With sorted keys its own field comes first, so it is
        // written as the first line after the opening brace, exactly where the encoder would put
        // it: the model is encoded once, not again with the checksum (a large forest's
        // encoding is most of the time a save takes).
        let opening = Data("{\n".utf8)
        guard unsummed.starts(with: opening) else {
            throw ModelshError(.software, "cannot encode model '\(name)' (the encoder did not open an object)")
        }
        let checksumLine = Data("  \"checksum\" : \"\(unsummed.withUnsafeBytes { Checksum.hex(of: $0) })\",\n".utf8)
        return opening + checksumLine + unsummed.dropFirst(opening.count) + Data("\n".utf8)
    }

    /// Reads an archive; `source` names it in errors (a path, or "w.msw (model 'm')").
    /// `verifyingChecksum` is false where the bytes were checked already (a workspace's
    /// archive has its own checksum), which saves encoding the model again.
    public static func decode(_ data: Data, source: String, verifyingChecksum: Bool = true) throws -> (name: String, model: Model) {
        guard !data.isEmpty else { throw notAnArchive(source, reason: "the file is empty") }
        let decoder = jsonDecoder()
        // The header is checked on its own first: a newer format's model may not decode at all,
        // and its version is then the useful thing to report.
        let header: Header
        do {
            header = try decoder.decode(Header.self, from: data)
        } catch {
            throw notAnArchive(source, reason: headerProblem(error))
        }
        guard let foundFormat = header.format else {
            throw notAnArchive(source, reason: "no \"format\" field")
        }
        guard foundFormat == format else {
            throw notAnArchive(source, reason: "format is \(StoredNames.quoted(foundFormat)), expected '\(format)'")
        }
        if let version = header.formatVersion, version > formatVersion {
            throw ModelshError.data("\(source) was written by a newer modelsh (format \(version); this build reads up to \(formatVersion))")
        }
        if let version = header.formatVersion, (1 ..< oldestReadable).contains(version) {
            throw ModelshError.data("\(source) was written by modelsh 0.1 (model format \(version)); this build reads formats \(oldestReadable) to \(formatVersion): refit the model")
        }

        let envelope: Envelope
        do {
            envelope = try decoder.decode(Envelope.self, from: data)
        } catch let error as ModelshError {
            throw ModelshError(error.category, "\(source): \(error.message)")
        } catch {
            throw ModelshError.data("\(source): damaged model file (\(contentProblem(error)))")
        }
        guard envelope.formatVersion >= 1 else {
            throw ModelshError.data("\(source): damaged model file (format version \(envelope.formatVersion) is not valid)")
        }
        // The shell binds the model under this name, so it must be one the shell can type.
        if let problem = StoredNames.identifierProblem(envelope.name) {
            throw ModelshError.data("\(source): damaged model file (name: \(problem))")
        }
        if verifyingChecksum, let stored = envelope.checksum {
            let computed: String
            do {
                computed = try checksum(of: envelope)
            } catch {
                throw ModelshError(.software, "\(source): cannot encode model '\(envelope.name)' to check it (\(error))")
            }
            guard stored == computed else {
                throw ModelshError.data("\(source): damaged model file (model '\(envelope.name)' does not match its checksum, stored \(StoredNames.quoted(stored)), computed '\(computed)'; if the file was edited on purpose, delete its \"checksum\" line)")
            }
        }
        return (envelope.name, envelope.model)
    }

    /// Writes the archive atomically: `path` keeps its old contents if anything fails.
    public static func save(_ model: Model, name: String, to path: String) throws {
        try AtomicFile.write(encode(model, name: name), to: path)
    }

    public static func load(path: String) throws -> (name: String, model: Model) {
        try decode(FileAccess.read(path), source: path)
    }

    // MARK: - Format

    static func jsonEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }

    static func jsonDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return decoder
    }

    private struct Header: Decodable {
        let format: String?
        let formatVersion: Int?
    }

    private struct Envelope: Codable {
        let format: String
        let formatVersion: Int
        let createdBy: String
        let name: String
        let model: Model
        var checksum: String? = nil
    }

    /// The checksum of the archive's text without its checksum field.
    private static func checksum(of envelope: Envelope) throws -> String {
        var unsummed = envelope
        unsummed.checksum = nil
        return try jsonEncoder().encode(unsummed).withUnsafeBytes { Checksum.hex(of: $0) }
    }

    // MARK: - Errors

    private static func notAnArchive(_ source: String, reason: String) -> ModelshError {
        .data("\(source): not a modelsh model file (\(reason))")
    }

    private static func headerProblem(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "not valid JSON"
        case .typeMismatch(_, let context) where context.codingPath.isEmpty:
            return "not a JSON object"
        default:
            return contentProblem(error)
        }
    }

    /// What is wrong, naming the field by its path, e.g. "missing field 'model.schema'".
    private static func contentProblem(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing field '\(fieldPath(context.codingPath + [key]))'"
        case .valueNotFound(_, let context):
            return "field '\(fieldPath(context.codingPath))' is null"
        case .typeMismatch(_, let context):
            return "field '\(fieldPath(context.codingPath))' has the wrong type"
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return "not valid JSON"
        case .dataCorrupted(let context):
            return "field '\(fieldPath(context.codingPath))': \(choiceProblem(context.debugDescription) ?? context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    /// The standard library's words for a text that is none of an enum's values ("Cannot
    /// initialize ImputeMethod from invalid String value banana") name a Swift type the user
    /// never saw: say what the file holds instead.
    private static func choiceProblem(_ description: String) -> String? {
        guard description.hasPrefix("Cannot initialize "), let value = description.firstRange(of: " from invalid String value ") else { return nil }
        return "'\(description[value.upperBound...])' is not one of its values"
    }

    private static func fieldPath(_ path: [CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }
}

/// Recorded in every file modelsh writes, to explain files that came from other builds.
let modelshCreatedBy = "modelsh \(ModelshVersion.current)"
