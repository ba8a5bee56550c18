package commands

import (
	"fmt"
	"strconv"
	"strings"
)

func init() {
	register(
		&Command{Name: "break", Aliases: []string{"b", "br"}, Group: "breakpoints", Completes: "func",
			Usage:   "break PLACE [if COND]",
			Summary: "set a breakpoint",
			Help: "Stops the program when it reaches PLACE: a function ($fib, fib, func[3]), a function\n" +
				"plus an offset from its first instruction ($fib+0x12), a WAT line (14, fib.wat:14; for\n" +
				"a .wasm, a line of the disassembly) or a bytecode offset (*0x4c). With if COND it stops\n" +
				"only when the condition holds, evaluated in the stopped frame.\n" +
				"Examples: break $check   b fib.wat:17   break $make if $depth == 2   b *0x4c",
			run: func(c *Console, k *call) error { return c.setBreak(k, false) }},
		&Command{Name: "tbreak", Aliases: []string{"tb"}, Group: "breakpoints", Completes: "func",
			Usage: "tbreak PLACE [if COND]", Summary: "set a temporary breakpoint (deleted when hit)",
			Help: "Like break, but the breakpoint is deleted the first time it stops the program.\nExample: tbreak $reverse",
			run:  func(c *Console, k *call) error { return c.setBreak(k, true) }},
		&Command{Name: "condition", Aliases: []string{"cond"}, Group: "breakpoints", Completes: "expr",
			Usage: "condition N [COND]", Summary: "set or remove a breakpoint's condition",
			Help: "Makes breakpoint N stop only when COND holds; without COND the condition is removed.\n" +
				"Examples: condition 1 $n == 3   condition 2 node.value > 10   condition 1",
			run: cmdCondition},
		&Command{Name: "delete", Aliases: []string{"d"}, Group: "breakpoints",
			Usage: "delete [N...]", Summary: "delete breakpoints (all without N)",
			Help: "Deletes the numbered breakpoints, or every breakpoint.\nExamples: delete 2   delete",
			run:  cmdDelete},
		&Command{Name: "enable", Group: "breakpoints", Usage: "enable N...", Summary: "enable breakpoints",
			Help: "Enables the numbered breakpoints.\nExample: enable 1 3",
			run:  func(c *Console, k *call) error { return c.enable(k, true) }},
		&Command{Name: "disable", Group: "breakpoints", Usage: "disable N...", Summary: "disable breakpoints",
			Help: "Disables the numbered breakpoints: they stay listed but do not stop the program.\nExample: disable 2",
			run:  func(c *Console, k *call) error { return c.enable(k, false) }},
		&Command{Name: "breakpoints", Aliases: []string{"bl", "bp"}, Group: "breakpoints", noArgs: true,
			Usage: "breakpoints", Summary: "list breakpoints",
			Help: "Lists the breakpoints: number, state, place, condition and hit count.\nAlso: info breakpoints",
			run:  cmdBreakpoints},
	)
}

func (c *Console) setBreak(k *call, temp bool) error {
	spec, cond := k.args, ""
	if i := strings.Index(spec, " if "); i >= 0 {
		spec, cond = strings.TrimSpace(spec[:i]), strings.TrimSpace(spec[i+4:])
		if cond == "" {
			return fmt.Errorf("if needs a condition: %s PLACE if COND", k.name)
		}
	}
	if spec == "" {
		return fmt.Errorf("usage: %s PLACE [if COND]", k.name)
	}
	bp, err := c.S.SetBreakpoint(spec, temp, cond)
	if err != nil {
		return err
	}
	kind := "Breakpoint"
	if temp {
		kind = "Temporary breakpoint"
	}
	c.printf("%s %d at %s", kind, bp.ID, bp.Place)
	if cond != "" {
		c.printf(" if %s", cond)
	}
	c.printf("\n")
	return nil
}

// ids parses breakpoint numbers.
func ids(args, usage string) ([]int, error) {
	var out []int
	for _, f := range strings.Fields(args) {
		n, err := strconv.Atoi(f)
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("%q is not a breakpoint number (usage: %s)", f, usage)
		}
		out = append(out, n)
	}
	return out, nil
}

func cmdCondition(c *Console, k *call) error {
	f := strings.Fields(k.args)
	if len(f) == 0 {
		return fmt.Errorf("usage: condition N [COND]")
	}
	n, err := ids(f[0], "condition N [COND]")
	if err != nil {
		return err
	}
	cond := strings.TrimSpace(strings.TrimPrefix(k.args, f[0]))
	if err := c.S.SetCondition(n[0], cond); err != nil {
		return err
	}
	if cond == "" {
		c.printf("Breakpoint %d now unconditional.\n", n[0])
	}
	return nil
}

func cmdDelete(c *Console, k *call) error {
	ns, err := ids(k.args, "delete [N...]")
	if err != nil {
		return err
	}
	if len(ns) == 0 {
		return c.S.DeleteAllBreakpoints()
	}
	for _, n := range ns {
		if err := c.S.DeleteBreakpoint(n); err != nil {
			return err
		}
	}
	return nil
}

func (c *Console) enable(k *call, on bool) error {
	ns, err := ids(k.args, k.name+" N...")
	if err != nil {
		return err
	}
	if len(ns) == 0 {
		return fmt.Errorf("usage: %s N... (breakpoint numbers, see breakpoints)", k.name)
	}
	for _, n := range ns {
		if err := c.S.EnableBreakpoint(n, on); err != nil {
			return err
		}
	}
	return nil
}

func cmdBreakpoints(c *Console, _ *call) error {
	bps := c.S.Breakpoints()
	if len(bps) == 0 {
		c.printf("No breakpoints.\n")
		return nil
	}
	c.printf("Num  Type        Enb  Hits  Where\n")
	for _, bp := range bps {
		typ, enb := "breakpoint", "y"
		if bp.Temp {
			typ = "tbreakpoint"
		}
		if !bp.Enabled {
			enb = "n"
		}
		c.printf("%-4d %-11s %-4s %-5d %s\n", bp.ID, typ, enb, bp.Hits, bp.Place)
		if bp.Cond != "" {
			c.printf("     stop only if %s\n", bp.Cond)
		}
	}
	return nil
}
