#include "CInterrupt.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t interrupt_requested = 0;
/// The handler also writes a byte here, so a reader that starts waiting just after the signal
/// still wakes up.
static int interrupt_pipe[2] = {-1, -1};

static void record_interrupt(int signal_number) {
    if (interrupt_requested) {
        signal(signal_number, SIG_DFL);
        raise(signal_number);
        return;
    }
    interrupt_requested = 1;
    int saved_errno = errno;
    if (write(interrupt_pipe[1], "", 1) < 0) {
        // Full or closed: the flag alone still ends the next wait.
    }
    errno = saved_errno;
}

/// Empties the pipe of bytes left from requests already cleared.
static void drain_interrupt_fd(void) {
    if (interrupt_pipe[0] < 0) return;
    char bytes[16];
    while (read(interrupt_pipe[0], bytes, sizeof bytes) > 0) {}
}

int msh_install_interrupt_handler(void) {
    if (interrupt_pipe[0] < 0) {
        if (pipe(interrupt_pipe) != 0) return -1;
        for (int end = 0; end < 2; end++) {
            fcntl(interrupt_pipe[end], F_SETFL, O_NONBLOCK);
            fcntl(interrupt_pipe[end], F_SETFD, FD_CLOEXEC);
        }
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = record_interrupt;
    action.sa_flags = 0;
    sigemptyset(&action.sa_mask);
    return sigaction(SIGINT, &action, NULL);
}

int msh_interrupt_requested(void) { return interrupt_requested; }

void msh_clear_interrupt(void) {
    interrupt_requested = 0;
    drain_interrupt_fd();
}

void msh_request_interrupt(void) {
    interrupt_requested = 1;
    if (interrupt_pipe[1] >= 0 && write(interrupt_pipe[1], "", 1) < 0) {
        // Full: the flag alone still ends the next wait.
    }
}

int msh_wait_for_input(int descriptor) {
    for (;;) {
        if (interrupt_requested) return 0;
        struct pollfd waits[2] = {{descriptor, POLLIN, 0}, {interrupt_pipe[0], POLLIN, 0}};
        if (poll(waits, 2, -1) < 0) {
            if (errno == EINTR) continue;  // SIGWINCH, SIGCONT: their handlers did the work
            return -1;
        }
        if (waits[1].revents & POLLIN) {
            if (!interrupt_requested) drain_interrupt_fd();  // left from a cleared request
            continue;
        }
        return 1;
    }
}
