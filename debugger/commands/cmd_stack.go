package commands

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gcscope/gcscope/debugger"
)

func init() {
	register(
		&Command{Name: "backtrace", Aliases: []string{"bt", "where"}, Group: "stack",
			Usage: "backtrace [N|all]", Summary: "list the frames (the innermost N; all: every thread's)",
			Help: "Lists the selected thread's frames, innermost (#0) first, with their arguments and\nplaces; with N only the innermost N; bt all lists every thread's frames.\nExamples: bt   bt 3   bt all",
			run:  cmdBacktrace},
		&Command{Name: "frame", Aliases: []string{"f"}, Group: "stack",
			Usage: "frame [N]", Summary: "select frame N, or show the selected one",
			Help: "Selects frame N (0 is the innermost) for locals, print, set and finish.\nExample: frame 2",
			run: func(c *Console, k *call) error {
				if k.args == "" {
					fi, err := c.S.CurrentFrame()
					if err != nil {
						return err
					}
					return c.showFrame(fi)
				}
				n, err := strconv.Atoi(k.args)
				if err != nil {
					return fmt.Errorf("%q is not a frame number (usage: frame [N])", k.args)
				}
				fi, err := c.S.SelectFrame(n)
				if err != nil {
					return err
				}
				return c.showFrame(fi)
			}},
		&Command{Name: "up", Repeats: true, Group: "stack", Usage: "up [N]", Summary: "select the caller's frame (N frames up)",
			Help: "Selects the frame N (default 1) levels out, towards the entry.",
			run:  func(c *Console, k *call) error { return c.move(k, 1) }},
		&Command{Name: "down", Repeats: true, Aliases: []string{"dn"}, Group: "stack", Usage: "down [N]", Summary: "select the callee's frame (N frames down)",
			Help: "Selects the frame N (default 1) levels in, towards the innermost.",
			run:  func(c *Console, k *call) error { return c.move(k, -1) }},
		&Command{Name: "locals", Group: "stack", noArgs: true, Usage: "locals", Summary: "show the selected frame's parameters and locals",
			Help: "Shows every parameter and local of the selected frame with its name, type and value.",
			run:  func(c *Console, k *call) error { return c.showLocals(true, true) }},
		&Command{Name: "args", Group: "stack", noArgs: true, Usage: "args", Summary: "show the selected frame's parameters",
			Help: "Shows the parameters of the selected frame.",
			run:  func(c *Console, k *call) error { return c.showLocals(true, false) }},
		&Command{Name: "stack", Aliases: []string{"operands"}, Group: "stack", noArgs: true, Usage: "stack", Summary: "show the operand stack",
			Help: "Shows the selected frame's operand stack, bottom first, as it is before the current\ninstruction runs.",
			run:  cmdStack},
		&Command{Name: "threads", Group: "stack", noArgs: true, Usage: "threads", Summary: "list threads",
			Help: "Lists the threads with their state, why they stopped and their place; * marks the\nselected one. When the program stops, every thread stops (all-stop).",
			run:  cmdThreads},
		&Command{Name: "thread", Aliases: []string{"tr"}, Group: "stack", Usage: "thread N", Summary: "select thread N",
			Help: "Makes thread N the one frames, locals, print and the stepping commands act on\n(its innermost frame is selected). See also set scheduler-locking.\nthread apply all bt is bt all.",
			run: func(c *Console, k *call) error {
				if k.args == "apply all bt" || k.args == "apply all backtrace" {
					return cmdBacktraceAll(c) // gdb's spelling of bt all
				}
				n, err := strconv.Atoi(k.args)
				if err != nil {
					return fmt.Errorf("usage: thread N (a thread number, see threads)")
				}
				if err := c.S.SelectThread(n); err != nil {
					return err
				}
				c.printf("[Switching to thread %d]\n", n)
				c.lastThread = n
				return nil
			}},
	)
}

func cmdBacktrace(c *Console, k *call) error {
	if k.args == "all" {
		return cmdBacktraceAll(c)
	}
	limit := -1
	if k.args != "" {
		n, err := strconv.Atoi(k.args)
		if err != nil || n < 0 {
			return fmt.Errorf("%q is not a frame count (usage: backtrace [N])", k.args)
		}
		limit = n
	}
	bt, err := c.S.Backtrace()
	if err != nil {
		return err
	}
	cur, _ := c.S.CurrentFrame()
	for i, f := range bt {
		if limit >= 0 && i >= limit {
			c.printf("(%d more frames)\n", len(bt)-i)
			break
		}
		mark := " "
		if f.Index == cur.Index {
			mark = "*"
		}
		c.printf("%s%s\n", mark, backtraceLine(f))
	}
	return nil
}

func (c *Console) showFrame(fi debugger.FrameInfo) error {
	c.printf("%s\n", backtraceLine(fi))
	c.showCurrentLine()
	return nil
}

func (c *Console) move(k *call, dir int) error {
	n := 1
	if k.args != "" {
		var err error
		if n, err = strconv.Atoi(k.args); err != nil || n < 0 {
			return fmt.Errorf("%q is not a frame count (usage: %s [N])", k.args, k.name)
		}
	}
	fi, err := c.S.MoveFrame(n * dir)
	if err != nil {
		return err
	}
	return c.showFrame(fi)
}

func (c *Console) showLocals(params, locals bool) error {
	vars, err := c.S.Locals()
	if err != nil {
		return err
	}
	n := 0
	for _, v := range vars {
		if v.Param && params || !v.Param && locals {
			c.printf("%s: %s = %s\n", v.Name, v.Type, v.Text)
			n++
		}
	}
	if n == 0 {
		if locals {
			c.printf("No locals.\n")
		} else {
			c.printf("No arguments.\n")
		}
	}
	return nil
}

func cmdStack(c *Console, _ *call) error {
	ops, err := c.S.Operands()
	if err != nil {
		return err
	}
	if len(ops) == 0 {
		c.printf("The operand stack is empty.\n")
		return nil
	}
	for _, o := range ops {
		c.printf("%s %s: %s\n", o.Name, o.Type, o.Text)
	}
	return nil
}

func cmdThreads(c *Console, _ *call) error {
	ts := c.S.Threads()
	for _, t := range ts {
		if len(ts) == 1 {
			t.Note = "" // the stop line said why
		}
		mark := " "
		if t.Current {
			mark = "*"
		}
		line := fmt.Sprintf("%s Thread %d %s", mark, t.ID, t.State)
		if t.Note != "" {
			line += " (" + t.Note + ")"
		}
		if t.HasPlace {
			line += " at " + t.Place.String()
		}
		c.printf("%s\n", strings.TrimRight(line, " "))
	}
	return nil
}

func cmdBacktraceAll(c *Console) error {
	all, err := c.S.AllBacktraces()
	if err != nil {
		return err
	}
	for i, t := range all {
		if i > 0 {
			c.printf("\n")
		}
		note := ""
		if t.Thread.Note != "" {
			note = " (" + t.Thread.Note + ")"
		}
		c.printf("Thread %d%s:\n", t.Thread.ID, note)
		for _, f := range t.Frames {
			c.printf(" %s\n", backtraceLine(f))
		}
	}
	return nil
}
