/// How an on/off value is spelt, everywhere it is asked for (`header=`, `intercept=`,
/// `set bail`): true/false, yes/no or on/off, in any case.
public enum Switch {
    public static let spellings = "true or false (also yes/no, on/off)"

    /// True for true/yes/on, false for false/no/off, else nil.
    public static func value(_ text: String) -> Bool? {
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: return nil
        }
    }
}
