// Ctrl-C as a request, not an ending: a SIGINT handler that sets a flag which long-running work
// polls (and, for a terminal reader waiting in poll(), a pipe it writes to). Plain C because a
// signal handler may only touch a volatile sig_atomic_t and async-signal-safe calls.
#ifndef CINTERRUPT_H
#define CINTERRUPT_H

/// Installs the handler (sigaction, no SA_RESTART, so blocking reads return EINTR). A second
/// SIGINT before the request is cleared ends the process, so work that never polls can still
/// be stopped. Returns 0 on success.
int msh_install_interrupt_handler(void);

/// 1 when Ctrl-C was pressed since the last clear.
int msh_interrupt_requested(void);

void msh_clear_interrupt(void);

/// Sets the request as Ctrl-C does (for work that saw and cleared it while other work running
/// beside it still has to see it).
void msh_request_interrupt(void);

/// Waits until `descriptor` can be read (or is at its end): 1; or until Ctrl-C is pressed, seen
/// through the handler's pipe as well as the flag (a blocked read would not see a signal that
/// another thread took): 0; -1 (errno set) when the wait itself fails. Other signals that
/// interrupt the wait (SIGWINCH, SIGCONT) do not end it. The terminal reader and the reader of
/// piped input both wait so.
int msh_wait_for_input(int descriptor);

#endif
