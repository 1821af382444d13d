#include "CEditLine.h"

#include <signal.h>
#include <string.h>

// MARK: - Editor

EditLine *cel_editor_open(const char *program_name) {
    EditLine *editor = el_init(program_name, stdin, stdout, stderr);
    if (editor == NULL) return NULL;
    el_set(editor, EL_EDITOR, "emacs");
    el_set(editor, EL_SIGNAL, 1);
    el_source(editor, NULL);  // the user's ~/.editrc, as every libedit program reads it
    return editor;
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

// MARK: - Interrupt requests

static volatile sig_atomic_t interrupt_requested = 0;

static void record_interrupt(int signal_number) {
    if (interrupt_requested) {
        signal(signal_number, SIG_DFL);
        raise(signal_number);
        return;
    }
    interrupt_requested = 1;
}

int cel_install_interrupt_handler(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = record_interrupt;
    action.sa_flags = 0;
    sigemptyset(&action.sa_mask);
    return sigaction(SIGINT, &action, NULL);
}

int cel_interrupt_requested(void) { return interrupt_requested; }

void cel_clear_interrupt(void) { interrupt_requested = 0; }
