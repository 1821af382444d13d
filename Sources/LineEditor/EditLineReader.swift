@preconcurrency import Glibc
@preconcurrency import CEditLine
import Diagnostics

/// Reads lines from a terminal with libedit: emacs bindings, persistent history, Tab completion.
public final class EditLineReader: LineReading {
    static let historySize: Int32 = 1000

    private let editor: OpaquePointer
    private let history: OpaquePointer
    private let historyFile: String?
    private let completer: (String) -> CompletionResult
    /// The prompt as a C string that stays valid while libedit redraws the line.
    private var promptCString: UnsafeMutablePointer<CChar>?

    /// Sets the character locale (libedit drops non-ASCII input without one), installs the
    /// SIGINT handler of `Interruption`, and loads the history file if there is one.
    /// `completer` receives the text before the cursor. Nil if libedit cannot be initialised.
    public init?(programName: String, historyFile: String?,
                 completer: @escaping (_ textBeforeCursor: String) -> CompletionResult) {
        Self.useUTF8CharacterLocale()
        guard let editor = cel_editor_open(programName) else { return nil }
        guard let history = cel_history_open(Self.historySize) else {
            el_end(editor)
            return nil
        }
        self.editor = editor
        self.history = history
        self.historyFile = historyFile
        self.completer = completer

        cel_set_history(editor, history)
        if let historyFile { cel_history_load(history, historyFile) }
        cel_set_client_data(editor, Unmanaged.passUnretained(self).toOpaque())
        cel_set_prompt(editor) { editor in
            editor.flatMap(EditLineReader.owning)?.promptCString
        }
        cel_bind_command(editor, "complete-word", "Complete the word before the cursor", "^I") { editor, _ in
            editor.flatMap(EditLineReader.owning)?.completeWord() ?? UInt8(CC_ERROR)
        }
        Interruption.installHandler()
    }

    deinit {
        el_end(editor)  // also restores the terminal settings found at start
        history_end(history)
        free(promptCString)
    }

    public func readLine(prompt: String) -> LineEvent {
        free(promptCString)
        promptCString = strdup(prompt)
        Interruption.clear()
        var count: Int32 = 0
        guard let line = cel_read_line(editor, &count) else {
            // libedit leaves the cursor on the abandoned line; the next prompt starts below it.
            fputs("\n", stdout)
            fflush(stdout)
            if Interruption.isRequested {
                Interruption.clear()
                return .interrupted
            }
            return .endOfInput
        }
        var text = String(cString: line)
        if text.last == "\n" { text.removeLast() }
        return .line(text)
    }

    public func addToHistory(_ entry: String) {
        guard entry.contains(where: { !$0.isWhitespace }) else { return }
        cel_history_enter(history, entry)
        if let historyFile { cel_history_save(history, historyFile) }
    }

    // MARK: - Tab completion

    private static func owning(_ editor: OpaquePointer) -> EditLineReader? {
        cel_client_data(editor).map { Unmanaged<EditLineReader>.fromOpaque($0).takeUnretainedValue() }
    }

    /// Runs on Tab inside `el_gets`; returns libedit's CC_* code telling it how to redraw.
    private func completeWord() -> UInt8 {
        let before = textBeforeCursor()
        switch TabCompletion(textBeforeCursor: before, result: completer(before)) {
        case .beep:
            return UInt8(CC_REFRESH_BEEP)
        case .replace(let scalarCount, let text):
            el_deletestr(editor, Int32(scalarCount))
            return el_insertstr(editor, text) == 0 ? UInt8(CC_REFRESH) : UInt8(CC_REFRESH_BEEP)
        case .list(let candidates):
            // One column spare: text reaching the last column makes some terminals wrap early.
            let lines = columnLayout(candidates, width: Int(cel_terminal_columns(editor)) - 1)
            fputs("\n" + lines.joined(separator: "\n") + "\n", stdout)
            fflush(stdout)
            return UInt8(CC_REDISPLAY)
        }
    }

    private func textBeforeCursor() -> String {
        guard let info = el_line(editor)?.pointee, let buffer = info.buffer, let cursor = info.cursor else {
            return ""
        }
        let bytes = UnsafeRawBufferPointer(start: buffer, count: cursor - buffer)
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - Locale

    /// Only LC_CTYPE: the numeric locale must stay "C" so printed numbers never use a decimal comma.
    private static func useUTF8CharacterLocale() {
        setlocale(LC_CTYPE, "")
        if String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8" {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
    }
}
