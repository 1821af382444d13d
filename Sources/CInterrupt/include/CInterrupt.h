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

/// Becomes readable when an interrupt is requested (the self-pipe trick); -1 before the
/// handler is installed.
int msh_interrupt_fd(void);

/// Empties the pipe of bytes left from requests already cleared.
void msh_drain_interrupt_fd(void);

#endif
