#include "terminal_signals.h"

#include <signal.h>
#include <string.h>

// The one copy. A `static` in a header gave every translation unit its own, so the
// optimised build's handler and main loop could disagree about it.
static volatile sig_atomic_t received = 0;

static void record_signal(int number) { received = number; }

void terminal_signals_install(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = record_signal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: a blocking read returns so the loop sees the flag
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGWINCH);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
}

int terminal_signals_pending(void) { return received; }
