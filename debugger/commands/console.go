package commands

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/gcscope/gcscope/debugger"
)

// Prompt is the prompt the CLI shows and batch transcripts echo.
const Prompt = "(gcscope) "

// Console runs commands against a session and writes their output.
type Console struct {
	S   *debugger.Session
	Out io.Writer
	// Stable leaves out what varies between runs (GC pause times), for
	// golden transcripts.
	Stable bool
	// Radius is how many lines list and disassemble show either side.
	Radius int
	lastX  xFormat
	// exited is set once the program has exited (a Stopped clears it).
	exited bool
	// lastThread is the thread of the last stop (or selected since).
	lastThread int
}

// ErrQuit is returned by Exec for the quit command.
var ErrQuit = errors.New("quit")

// New returns a console over s writing to out.
func New(s *debugger.Session, out io.Writer) *Console {
	return &Console{S: s, Out: out, Radius: 5, lastX: xFormat{count: 1, format: 'x', size: 4}}
}

func (c *Console) printf(format string, args ...any) { fmt.Fprintf(c.Out, format, args...) }

// split separates a command line into the command word, a /FORMAT suffix
// (x/16xb, print/x) and the rest.
func split(line string) (name, format, rest string) {
	line = strings.TrimSpace(line)
	end := strings.IndexAny(line, " \t/")
	if end < 0 {
		return line, "", ""
	}
	name, rest = line[:end], line[end:]
	if rest[0] == '/' {
		fe := strings.IndexAny(rest, " \t")
		if fe < 0 {
			fe = len(rest)
		}
		format, rest = rest[1:fe], rest[fe:]
	}
	return name, format, strings.TrimSpace(rest)
}

// Exec runs one command line. Empty lines do nothing. It returns ErrQuit
// for quit, and the command's error otherwise (not yet printed).
func (c *Console) Exec(line string) error {
	name, format, rest := split(line)
	if name == "" || strings.HasPrefix(name, "#") {
		return nil
	}
	cmd := Lookup(name)
	if cmd == nil {
		return fmt.Errorf("unknown command %q: try help", name)
	}
	if format != "" && !cmd.formats {
		return fmt.Errorf("%s takes no /FORMAT (usage: %s)", cmd.Name, cmd.Usage)
	}
	if rest != "" && cmd.noArgs {
		return fmt.Errorf("%s takes no arguments (usage: %s)", cmd.Name, cmd.Usage)
	}
	return cmd.run(c, &call{name: name, format: format, args: rest})
}

// call is one invocation: the name used, the /FORMAT and the arguments.
type call struct {
	name, format, args string
}

// Run executes a line and prints its error, if any; it reports whether
// the user asked to quit.
func (c *Console) Run(line string) (quit bool) {
	err := c.Exec(line)
	if errors.Is(err, ErrQuit) {
		return true
	}
	if err != nil {
		c.printf("%v\n", err)
	}
	return false
}

// Wait reads events until the program stops or exits, printing them.
func (c *Console) Wait() {
	for ev := range c.S.Events() {
		c.Show(ev)
		switch ev.(type) {
		case *debugger.Stopped, *debugger.Exited:
			return
		}
	}
}

// Drain prints the events already queued without waiting.
func (c *Console) Drain() {
	for {
		select {
		case ev := <-c.S.Events():
			c.Show(ev)
		default:
			return
		}
	}
}
