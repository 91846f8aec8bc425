// The only C the terminal layer needs: the wide-character ncurses API, plus
// the macros Swift cannot import, wrapped as functions.
#ifndef CHECKOUT_SIM_NCURSES_SHIM_H
#define CHECKOUT_SIM_NCURSES_SHIM_H

#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <locale.h>
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


#endif
