// The only C the terminal layer needs: the wide-character ncurses API, plus
// the macros Swift cannot import, wrapped as functions.
#ifndef CHECKOUT_SIM_NCURSES_SHIM_H
#define CHECKOUT_SIM_NCURSES_SHIM_H

#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
#include <signal.h>
#include <unistd.h>
#include <wchar.h>
#include <ncursesw/curses.h>

static inline int shim_lines(void) { return LINES; }
static inline int shim_cols(void) { return COLS; }
static inline attr_t shim_color_pair(short n) { return (attr_t)COLOR_PAIR(n); }
static inline attr_t shim_a_bold(void) { return A_BOLD; }
static inline attr_t shim_a_reverse(void) { return A_REVERSE; }
static inline attr_t shim_a_dim(void) { return A_DIM; }
static inline attr_t shim_a_normal(void) { return A_NORMAL; }
static inline int shim_key_code_yes(void) { return KEY_CODE_YES; }
static inline WINDOW *shim_stdscr(void) { return stdscr; }

/// Draws a run of wide characters with one attribute.
static inline int shim_draw(int y, int x, const wchar_t *text, int count, attr_t attributes, short pair) {
    attr_set(attributes, pair, NULL);
    return mvaddnwstr(y, x, text, count);
}

// Signals only set a flag; the main loop notices it, restores the terminal and exits.
static volatile sig_atomic_t shim_signal_received = 0;
static inline void shim_signal_handler(int number) { shim_signal_received = number; }
static inline void shim_install_signal_handlers(void) {
    struct sigaction action;
    action.sa_handler = shim_signal_handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    sigaction(SIGINT, &action, NULL);
    sigaction(SIGTERM, &action, NULL);
    sigaction(SIGHUP, &action, NULL);
    // A parent may have left them blocked; we must hear them to restore the terminal.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigaddset(&set, SIGWINCH);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
}
static inline int shim_pending_signal(void) { return shim_signal_received; }

#endif
