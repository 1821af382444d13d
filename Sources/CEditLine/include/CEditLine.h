// Fixed-argument wrappers for libedit's variadic calls (el_set, el_get, history), which Swift
// cannot call, and a SIGINT handler that records an interrupt request instead of ending the process.
#ifndef CEDITLINE_H
#define CEDITLINE_H

#include <stdio.h>
#include <histedit.h>
#include "CInterrupt.h"

typedef char *(*cel_prompt_fn)(EditLine *editor);
typedef unsigned char (*cel_command_fn)(EditLine *editor, int key);

// MARK: - Editor

/// An editor on stdin/stdout/stderr, in emacs mode, with libedit's signal handling on (so the
/// terminal is restored on SIGINT, SIGTSTP, SIGTERM… and resized on SIGWINCH), reading keys
/// with a reader that never misses an interrupt request (see the interrupt handler below).
EditLine *cel_editor_open(const char *program_name);
/// el_gets, with the terminal in raw mode before the prompt is drawn: el_gets alone draws it
/// first, and keys typed in between would be echoed twice (by the terminal, then by libedit).
const char *cel_read_line(EditLine *editor, int *count);
int cel_set_prompt(EditLine *editor, cel_prompt_fn prompt);
int cel_set_client_data(EditLine *editor, void *data);
void *cel_client_data(EditLine *editor);
/// Adds `command` as a named editor function and binds `key` (e.g. "^I") to it.
int cel_bind_command(EditLine *editor, const char *name, const char *help, const char *key,
                     cel_command_fn command);
int cel_set_history(EditLine *editor, History *entries);
/// Terminal width as libedit knows it (falls back to 80).
int cel_terminal_columns(EditLine *editor);

// MARK: - History

/// A history keeping at most `size` entries, dropping an entry equal to the one before it.
History *cel_history_open(int size);
int cel_history_load(History *entries, const char *path);
int cel_history_save(History *entries, const char *path);
int cel_history_enter(History *entries, const char *entry);

#endif
