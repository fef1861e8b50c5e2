// Package iostreams holds the input and output streams of a command, and what
// is known of their terminals, so that tests can set both.
package iostreams

import (
	"bytes"
	"io"
	"os"
	"strconv"

	"github.com/mattn/go-isatty"
	"golang.org/x/term"
)

// IOStreams are the streams a command reads and writes. Nothing in the CLI
// writes to os.Stdout or os.Stderr directly.
type IOStreams struct {
	In     io.Reader
	Out    io.Writer
	ErrOut io.Writer

	stdoutTTY bool
	stderrTTY bool
	stdinTTY  bool
	// width is standard output's terminal width, 0 when unknown or not a
	// terminal.
	width func() int
	// Getenv reads the environment (NO_COLOR, CLICOLOR_FORCE).
	Getenv func(string) string
}

// System returns the streams of the process.
func System() *IOStreams {
	tty := func(f *os.File) bool { return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()) }
	return &IOStreams{
		In: os.Stdin, Out: os.Stdout, ErrOut: os.Stderr,
		stdinTTY: tty(os.Stdin), stdoutTTY: tty(os.Stdout), stderrTTY: tty(os.Stderr),
		Getenv: os.Getenv,
		width: func() int {
			w, _, err := term.GetSize(int(os.Stdout.Fd()))
			if err != nil {
				return 0
			}
			return w
		},
	}
}

// Test returns streams backed by buffers, none of them a terminal, and an
// empty environment.
func Test() (ios *IOStreams, in, out, errOut *bytes.Buffer) {
	in, out, errOut = &bytes.Buffer{}, &bytes.Buffer{}, &bytes.Buffer{}
	return &IOStreams{In: in, Out: out, ErrOut: errOut, Getenv: func(string) string { return "" }}, in, out, errOut
}

// IsStdoutTTY reports whether standard output is a terminal.
func (s *IOStreams) IsStdoutTTY() bool { return s.stdoutTTY }

// IsStderrTTY reports whether standard error is a terminal; progress bars
// are drawn only then.
func (s *IOStreams) IsStderrTTY() bool { return s.stderrTTY }

// IsStdinTTY reports whether standard input is a terminal.
func (s *IOStreams) IsStdinTTY() bool { return s.stdinTTY }

// SetTTY sets what the streams claim about terminals (for tests).
func (s *IOStreams) SetTTY(stdin, stdout, stderr bool) {
	s.stdinTTY, s.stdoutTTY, s.stderrTTY = stdin, stdout, stderr
}

// TerminalWidth is standard output's width in columns when it is a
// terminal (COLUMNS, when set, overrides what the terminal says), and 0
// otherwise.
func (s *IOStreams) TerminalWidth() int {
	if !s.stdoutTTY {
		return 0
	}
	if n, err := strconv.Atoi(s.Getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	if s.width != nil {
		return s.width()
	}
	return 0
}

// SetTerminalWidth sets what TerminalWidth measures (for tests).
func (s *IOStreams) SetTerminalWidth(n int) { s.width = func() int { return n } }

// ColorEnabled decides colour for standard output from the mode given by
// --color ("auto", "always", "never"), the environment and the terminal:
// NO_COLOR (any value) turns it off, CLICOLOR_FORCE (not "0") turns it on,
// and otherwise colour follows whether stdout is a terminal.
func (s *IOStreams) ColorEnabled(mode string) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	if s.Getenv("NO_COLOR") != "" {
		return false
	}
	if v := s.Getenv("CLICOLOR_FORCE"); v != "" && v != "0" {
		return true
	}
	return s.stdoutTTY
}
