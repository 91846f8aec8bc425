// Signal state for the terminal front end. It lives in one C source file so that
// the program has exactly one copy of it: the handler sets it, the main loop reads it.
#ifndef CHECKOUT_SIM_TERMINAL_SIGNALS_H
#define CHECKOUT_SIM_TERMINAL_SIGNALS_H

/// Installs handlers for SIGINT, SIGTERM and SIGHUP that only record the signal,
/// and unblocks them (a parent may have left them blocked).
void terminal_signals_install(void);

/// The last signal that asked us to stop, or 0.
int terminal_signals_pending(void);

#endif
