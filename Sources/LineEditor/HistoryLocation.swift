@preconcurrency import Glibc

public enum HistoryLocation {
    /// `$XDG_STATE_HOME/modelsh/history`, else `~/.local/state/modelsh/history`, creating the
    /// directory (mode 0700: history can hold paths and names worth keeping private).
    /// Nil when neither variable names a directory, or the directory cannot be created.
    public static func defaultPath(environment: [String: String]) -> String? {
        stateDirectory(environment: environment).map { $0 + "/history" }
    }

    /// `$XDG_STATE_HOME/modelsh`, else `~/.local/state/modelsh`, created (mode 0700) if need be:
    /// where the history and the journals of unsaved sessions live.
    public static func stateDirectory(environment: [String: String]) -> String? {
        let stateHome: String
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            stateHome = xdg
        } else if let home = environment["HOME"], !home.isEmpty {
            stateHome = home + "/.local/state"
        } else {
            return nil
        }
        let directory = stateHome + "/modelsh"
        return makeDirectories(directory) ? directory : nil
    }

    /// `mkdir -p`.
    private static func makeDirectories(_ path: String) -> Bool {
        var prefix = ""
        for component in path.split(separator: "/") {
            prefix += "/" + component
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST { return false }
        }
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFDIR
    }
}
