package commands

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gcscope/gcscope/debugger"
	"github.com/gcscope/gcscope/engine/runtime"
)

// Show prints an event as the CLI shows it.
func (c *Console) Show(ev debugger.Event) {
	switch ev := ev.(type) {
	case *debugger.Output:
		c.printf("%s", ev.Text)
		if !strings.HasSuffix(ev.Text, "\n") {
			c.printf("\n")
		}
	case *debugger.Exited:
		c.exited = true
		switch {
		case ev.Killed:
			c.printf("Program killed.\n")
		case ev.Err != nil:
			var trap *runtime.Trap
			if errors.As(ev.Err, &trap) {
				c.printf("Program ended with a trap: %s\n", trap.Msg)
			} else {
				c.printf("Program ended: %s\n", firstLine(ev.Err.Error()))
			}
		default:
			var rs []string
			for _, v := range ev.Results {
				rs = append(rs, c.S.Format(v))
			}
			if len(rs) == 0 {
				c.printf("Program exited normally.\n")
			} else {
				c.printf("Program exited normally, returning %s.\n", strings.Join(rs, ", "))
			}
		}
	case *debugger.Stopped:
		c.exited = false
		c.showStop(ev)
	}
}

// maxTrapFrames is how many frames a trap's stop shows.
const maxTrapFrames = 8

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

func (c *Console) showStop(ev *debugger.Stopped) {
	if c.lastThread != 0 && ev.Thread != c.lastThread {
		c.printf("[Switching to thread %d]\n", ev.Thread)
	}
	c.lastThread = ev.Thread
	if ev.Err != nil {
		c.printf("Error in %v\n", ev.Err)
	}
	fi, ferr := c.S.CurrentFrame()
	where := ev.Place.String()
	if ferr == nil {
		where = frameText(fi)
	}
	switch ev.Reason {
	case debugger.ReasonEntry:
		c.printf("Stopped at entry: %s\n", where)
	case debugger.ReasonBreakpoint:
		if ev.Breakpoint != 0 {
			kind := "Breakpoint"
			if ev.Temporary {
				kind = "Temporary breakpoint"
			}
			c.printf("%s %d, %s\n", kind, ev.Breakpoint, where)
		} else {
			c.printf("Stopped: %s\n", where)
		}
	case debugger.ReasonPause:
		c.printf("Paused: %s\n", where)
	case debugger.ReasonTrap:
		var trap *runtime.Trap
		if errors.As(ev.Trap, &trap) {
			c.printf("Trap: %s\n", trap.Msg)
		} else {
			c.printf("Stopped: %s\n", firstLine(ev.Trap.Error()))
		}
		if bt, err := c.S.Backtrace(); err == nil {
			for i, f := range bt {
				if i == maxTrapFrames && len(bt) > maxTrapFrames+1 {
					c.printf("(%d more frames: backtrace lists them)\n", len(bt)-i)
					break
				}
				c.printf("%s\n", backtraceLine(f))
			}
		}
		c.printf("(the program cannot go on: inspect it, then continue to end it or restart)\n")
		return
	default:
		c.printf("%s\n", where)
	}
	if ev.Returned != nil {
		var rs []string
		for _, v := range ev.Returned {
			rs = append(rs, c.S.Format(v))
		}
		c.printf("Value returned: %s\n", strings.Join(rs, ", "))
	}
	c.showCurrentLine()
}

// showCurrentLine prints the current instruction's line of code.
func (c *Console) showCurrentLine() {
	l, err := c.S.List("", 0)
	if err != nil {
		return
	}
	for _, line := range l.Lines {
		c.printf("%5d\t%s\n", line.Line, line.Text)
	}
}

// frameText is "$fib ($n=2) +0x0 @0x2e at fib.wat:13:33".
func frameText(f debugger.FrameInfo) string {
	var args []string
	for _, a := range f.Args {
		args = append(args, a.Name+"="+a.Text)
	}
	p := f.Place
	s := fmt.Sprintf("%s (%s)", p.Name, strings.Join(args, ", "))
	if p.Host {
		return s + " <host>"
	}
	s += fmt.Sprintf(" +0x%x @0x%x", p.Rel, p.Offset)
	if p.Pos.IsValid() {
		s += fmt.Sprintf(" at %s:%d:%d", p.File, p.Pos.Line, p.Pos.Col)
	}
	return s
}

func backtraceLine(f debugger.FrameInfo) string {
	return fmt.Sprintf("#%-2d %s", f.Index, frameText(f))
}
