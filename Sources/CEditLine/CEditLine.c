#include "CEditLine.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

static int read_character(EditLine *editor, wchar_t *character);

// MARK: - Editor

EditLine *cel_editor_open(const char *program_name) {
    EditLine *editor = el_init(program_name, stdin, stdout, stderr);
    if (editor == NULL) return NULL;
    el_set(editor, EL_EDITOR, "emacs");
    el_set(editor, EL_SIGNAL, 1);
    el_set(editor, EL_GETCFN, read_character);
    el_source(editor, NULL);  // the user's ~/.editrc, as every libedit program reads it
    return editor;
}

const char *cel_read_line(EditLine *editor, int *count) {
    el_set(editor, EL_PREP_TERM, 1);
    return el_gets(editor, count);
}

int cel_set_prompt(EditLine *editor, cel_prompt_fn prompt) {
    return el_set(editor, EL_PROMPT, prompt);
}

int cel_set_client_data(EditLine *editor, void *data) {
    return el_set(editor, EL_CLIENTDATA, data);
}

void *cel_client_data(EditLine *editor) {
    void *data = NULL;
    return el_get(editor, EL_CLIENTDATA, &data) == 0 ? data : NULL;
}

int cel_bind_command(EditLine *editor, const char *name, const char *help, const char *key,
                     cel_command_fn command) {
    if (el_set(editor, EL_ADDFN, name, help, command) != 0) return -1;
    return el_set(editor, EL_BIND, key, name, NULL);
}

int cel_set_history(EditLine *editor, History *entries) {
    return el_set(editor, EL_HIST, history, entries);
}

int cel_terminal_columns(EditLine *editor) {
    int columns = 0;
    if (el_get(editor, EL_GETTC, "co", &columns, NULL) != 0 || columns <= 0) return 80;
    return columns;
}

// MARK: - History

History *cel_history_open(int size) {
    History *entries = history_init();
    if (entries == NULL) return NULL;
    HistEvent event;
    history(entries, &event, H_SETSIZE, size);
    history(entries, &event, H_SETUNIQUE, 1);
    return entries;
}

int cel_history_load(History *entries, const char *path) {
    HistEvent event;
    return history(entries, &event, H_LOAD, path);
}

int cel_history_save(History *entries, const char *path) {
    HistEvent event;
    return history(entries, &event, H_SAVE, path);
}

int cel_history_enter(History *entries, const char *entry) {
    HistEvent event;
    return history(entries, &event, H_ENTER, entry);
}

// MARK: - Reading keys

/// Replaces libedit's reader, which loses a SIGINT that arrives while it is not blocked in
/// read() (it then waits for another key): this one waits for the terminal or Ctrl-C
/// (`msh_wait_for_input`), and reports an interrupt as libedit expects, -1 with errno EINTR.
static int read_character(EditLine *editor, wchar_t *character) {
    (void)editor;
    char bytes[MB_LEN_MAX];
    size_t count = 0;
    for (;;) {
        int ready = msh_wait_for_input(STDIN_FILENO);
        if (ready == 0) errno = EINTR;
        if (ready <= 0) return -1;
        ssize_t got = read(STDIN_FILENO, &bytes[count], 1);
        if (got == 0) return 0;
        if (got < 0) {
            if (errno == EINTR || errno == EAGAIN) continue;
            return -1;
        }
        count++;
        mbstate_t state;
        memset(&state, 0, sizeof state);
        size_t length = mbrtowc(character, bytes, count, &state);
        if (length == (size_t)-2 && count < MB_LEN_MAX) continue;  // the rest of a UTF-8 sequence
        if (length == (size_t)-1 || length == (size_t)-2) {
            count = 0;  // not a character in this locale: drop it, as libedit does
            continue;
        }
        return 1;
    }
}
