//go:build ignore

// sgr rewrites a `tmux capture-pane -e` capture (stdin) into the subset of
// SGR that charmbracelet/freeze v0.2.2 draws (stdout). freeze ignores
// reverse video (7), default colours (39, 49) and the 40–47 backgrounds,
// and a lone attribute such as underline drops the colour before it; so
// at every change this prints a reset, then one sequence with the
// attributes and the foreground, then the background, with reverse
// resolved into swapped colours.
//
//	go run screenshots/sgr.go -fg '#E5E7EB' -bg '#171717' <in.ansi >out.ansi
//
// -fg and -bg are the terminal's default colours, the ones reverse video
// swaps in and freeze's window shows.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// colour is an SGR colour as freeze reads it: "5;N" (256-colour palette),
// "2;R;G;B", or "" for the terminal's default.
type colour string

type state struct {
	fg, bg                               colour
	bold, italic, under, strike, reverse bool
}

func hexColour(s string) (colour, error) {
	s = strings.TrimPrefix(s, "#")
	n, err := strconv.ParseUint(s, 16, 32)
	if len(s) != 6 || err != nil {
		return "", fmt.Errorf("%q is not a #RRGGBB colour", s)
	}
	return colour(fmt.Sprintf("2;%d;%d;%d", n>>16, n>>8&0xff, n&0xff)), nil
}

// apply folds one SGR parameter list into st.
func (st *state) apply(params []int) {
	if len(params) == 0 {
		params = []int{0}
	}
	for i := 0; i < len(params); i++ {
		p := params[i]
		switch {
		case p == 0:
			*st = state{}
		case p == 1:
			st.bold = true
		case p == 3:
			st.italic = true
		case p == 4:
			st.under = true
		case p == 7:
			st.reverse = true
		case p == 9:
			st.strike = true
		case p == 22:
			st.bold = false
		case p == 23:
			st.italic = false
		case p == 24:
			st.under = false
		case p == 27:
			st.reverse = false
		case p == 29:
			st.strike = false
		case p >= 30 && p <= 37:
			st.fg = colour(fmt.Sprintf("5;%d", p-30))
		case p >= 90 && p <= 97:
			st.fg = colour(fmt.Sprintf("5;%d", p-90+8))
		case p >= 40 && p <= 47:
			st.bg = colour(fmt.Sprintf("5;%d", p-40))
		case p >= 100 && p <= 107:
			st.bg = colour(fmt.Sprintf("5;%d", p-100+8))
		case p == 39:
			st.fg = ""
		case p == 49:
			st.bg = ""
		case p == 38 || p == 48:
			var c colour
			if i+2 < len(params) && params[i+1] == 5 {
				c = colour(fmt.Sprintf("5;%d", params[i+2]))
				i += 2
			} else if i+4 < len(params) && params[i+1] == 2 {
				c = colour(fmt.Sprintf("2;%d;%d;%d", params[i+2], params[i+3], params[i+4]))
				i += 4
			} else {
				i = len(params)
				continue
			}
			if p == 38 {
				st.fg = c
			} else {
				st.bg = c
			}
		}
	}
}

// emit is st as freeze draws it.
func (st state) emit(defFG, defBG colour) string {
	fg, bg := st.fg, st.bg
	if fg == "" {
		fg = defFG
	}
	if st.reverse {
		if bg == "" {
			bg = defBG
		}
		fg, bg = bg, fg
	}
	var attrs []string
	if st.bold {
		attrs = append(attrs, "1")
	}
	if st.italic {
		attrs = append(attrs, "3")
	}
	if st.under {
		attrs = append(attrs, "4")
	}
	if st.strike {
		attrs = append(attrs, "9")
	}
	attrs = append(attrs, "38;"+string(fg))
	s := "\x1b[0m\x1b[" + strings.Join(attrs, ";") + "m"
	if bg != "" && (st.reverse || st.bg != "") {
		s += "\x1b[48;" + string(bg) + "m"
	}
	return s
}

func rewrite(in io.Reader, out io.Writer, defFG, defBG colour) error {
	r := bufio.NewReader(in)
	w := bufio.NewWriter(out)
	var st state
	dirty := true // the state must be printed before the next text
	for {
		c, _, err := r.ReadRune()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		switch {
		case c == '\x1b':
			next, _, err := r.ReadRune()
			if err != nil {
				break
			}
			if next != '[' {
				// Not a CSI (tmux prints none other): drop the escape.
				continue
			}
			seq, err := r.ReadString('m')
			if err != nil {
				return fmt.Errorf("an unterminated escape sequence")
			}
			var params []int
			for _, f := range strings.FieldsFunc(strings.TrimSuffix(seq, "m"), func(r rune) bool { return r == ';' || r == ':' }) {
				n, err := strconv.Atoi(f)
				if err != nil {
					return fmt.Errorf("escape sequence %q is not SGR", seq)
				}
				params = append(params, n)
			}
			st.apply(params)
			dirty = true
		case c == '\n':
			// freeze starts every line afresh; the state carries over.
			w.WriteRune(c)
			dirty = true
		default:
			if dirty {
				w.WriteString(st.emit(defFG, defBG))
				dirty = false
			}
			w.WriteRune(c)
		}
	}
	w.WriteString("\x1b[0m")
	return w.Flush()
}

func main() {
	fg := flag.String("fg", "#E5E7EB", "the terminal's default foreground, #RRGGBB")
	bg := flag.String("bg", "#171717", "the terminal's default background, #RRGGBB")
	flag.Parse()
	defFG, err := hexColour(*fg)
	if err == nil {
		var defBG colour
		defBG, err = hexColour(*bg)
		if err == nil {
			err = rewrite(os.Stdin, os.Stdout, defFG, defBG)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "sgr:", err)
		os.Exit(1)
	}
}
