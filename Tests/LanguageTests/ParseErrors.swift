import Diagnostics
import Language

/// The error parsing `source` throws, or nil when it parses (the parser and expression tests share it).
func parseError(_ source: String) -> ModelshError? {
    do {
        _ = try Parser.parse(source)
        return nil
    } catch {
        return error as? ModelshError
    }
}
