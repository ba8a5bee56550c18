package commands

import (
	"fmt"
)

func init() {
	resume := func(f func(c *Console) error) func(c *Console, k *call) error {
		return func(c *Console, k *call) error {
			if err := f(c); err != nil {
				return err
			}
			c.Wait()
			return nil
		}
	}
	register(
		&Command{Name: "continue", Repeats: true, Aliases: []string{"c", "cont"}, Group: "running", noArgs: true,
			Usage: "continue", Summary: "run until a breakpoint, a trap or the end",
			Help: "Lets the program run until it hits a breakpoint, traps or returns. Ctrl-C pauses it.",
			run:  resume(func(c *Console) error { return c.S.Continue() })},
		&Command{Name: "step", Repeats: true, Aliases: []string{"s"}, Group: "running", noArgs: true,
			Usage: "step", Summary: "step to the next line, into calls",
			Help: "Runs to the next WAT line (any next instruction for a .wasm), entering called\nfunctions and stopping when the current one returns.",
			run:  resume(func(c *Console) error { return c.S.Step() })},
		&Command{Name: "next", Repeats: true, Aliases: []string{"n"}, Group: "running", noArgs: true,
			Usage: "next", Summary: "step to the next line, over calls",
			Help: "Runs to the next WAT line of the current function, running calls to their end\n(breakpoints inside them still stop).",
			run:  resume(func(c *Console) error { return c.S.Next() })},
		&Command{Name: "stepi", Repeats: true, Aliases: []string{"si"}, Group: "running", noArgs: true,
			Usage: "stepi", Summary: "run one instruction",
			Help: "Runs exactly one instruction (entering a call stops at the callee's first).",
			run:  resume(func(c *Console) error { return c.S.StepInstruction() })},
		&Command{Name: "finish", Repeats: true, Aliases: []string{"fin", "stepout", "so"}, Group: "running", noArgs: true,
			Usage: "finish", Summary: "run until the selected frame returns",
			Help: "Runs until the selected frame returns and prints the values it returned.",
			run:  resume(func(c *Console) error { return c.S.Finish() })},
		&Command{Name: "until", Repeats: true, Aliases: []string{"u"}, Group: "running", Completes: "func",
			Usage: "until [PLACE]", Summary: "run past the current line (out of a loop), or to PLACE",
			Help: "Without PLACE: like next, but a jump back (a loop) does not stop it, so it leaves\n" +
				"loops. With PLACE: runs until PLACE (see break) is reached.\nExamples: until   until 42",
			run: func(c *Console, k *call) error {
				if k.args == "" {
					return resume(func(c *Console) error { return c.S.Until() })(c, k)
				}
				return resume(func(c *Console) error { return c.S.RunTo(k.args) })(c, k)
			}},
		&Command{Name: "advance", Group: "running", Completes: "func",
			Usage: "advance PLACE", Summary: "run to PLACE",
			Help: "Runs until PLACE (see break) is reached, or another breakpoint stops the program.\nExample: advance $check",
			run: func(c *Console, k *call) error {
				if k.args == "" {
					return fmt.Errorf("usage: advance PLACE")
				}
				return resume(func(c *Console) error { return c.S.RunTo(k.args) })(c, k)
			}},
		&Command{Name: "pause", Aliases: []string{"interrupt"}, Group: "running", noArgs: true,
			Usage: "pause", Summary: "stop the running program (Ctrl-C)",
			Help: "Stops the running program at its next function entry or loop iteration.",
			run: func(c *Console, k *call) error {
				if err := c.S.Pause(); err != nil {
					return err
				}
				c.Wait()
				return nil
			}},
		&Command{Name: "kill", Aliases: []string{"k"}, Group: "running", noArgs: true,
			Usage: "kill", Summary: "end the program",
			Help: "Ends the program; restart runs it again.",
			run: func(c *Console, k *call) error {
				if c.exited {
					return fmt.Errorf("the program is not running")
				}
				if err := c.S.Kill(); err != nil {
					return err
				}
				c.Drain()
				return nil
			}},
		&Command{Name: "restart", Aliases: []string{"r", "run"}, Group: "running", noArgs: true,
			Usage: "restart", Summary: "run the program again from the entry",
			Help: "Ends the program if it runs and starts it again in a fresh store, keeping the\nbreakpoints; it stops at the entry.",
			run: func(c *Console, k *call) error {
				if err := c.S.Restart(); err != nil {
					return err
				}
				c.Wait()
				c.Wait0()
				return nil
			}},
	)
}

// Wait0 waits once more if the last event was the old run's exit, so
// restart ends at the new run's entry stop.
func (c *Console) Wait0() {
	if c.exited {
		c.Wait()
	}
}
