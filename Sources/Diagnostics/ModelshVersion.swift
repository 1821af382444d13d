/// The version of modelsh, printed by `--version` and written into every file it saves.
public enum ModelshVersion {
    public static let current = "0.1.0"
}
