package commands

import (
	"fmt"
	"strings"
)

func init() {
	register(
		&Command{Name: "help", Aliases: []string{"h", "?"}, Group: "other", Completes: "command",
			Usage: "help [COMMAND]", Summary: "list the commands, or explain one",
			Help: "Without COMMAND, lists every command with its aliases; with one, shows its usage and\nexamples.\nExample: help break",
			run:  cmdHelp},
		&Command{Name: "info", Aliases: []string{"i"}, Group: "other", Usage: "info breakpoints|locals|args|frame|threads|globals|stack|roots|heap|sections",
			Summary: "gdb's info: the listing commands under one name",
			Help:    "info X runs the command X from the list (info breakpoints is breakpoints).\nExample: info locals",
			run:     cmdInfo},
		&Command{Name: "quit", Aliases: []string{"q", "exit"}, Group: "other", noArgs: true, Usage: "quit", Summary: "end the session",
			Help: "Kills the program and leaves the debugger.",
			run:  func(c *Console, k *call) error { return ErrQuit }},
	)
}

var infoTopics = map[string]string{
	"breakpoints": "breakpoints", "break": "breakpoints", "b": "breakpoints", "locals": "locals", "args": "args",
	"frame": "frame", "threads": "threads", "globals": "globals", "variables": "globals", "stack": "backtrace",
	"operands": "stack", "roots": "roots", "heap": "heap", "sections": "sections", "tables": "tables",
}

func cmdInfo(c *Console, k *call) error {
	f := strings.Fields(k.args)
	if len(f) == 0 {
		return fmt.Errorf("usage: info breakpoints|locals|args|frame|threads|globals|stack|roots|heap|sections")
	}
	to, ok := infoTopics[f[0]]
	if !ok {
		return fmt.Errorf("info %s: unknown topic; topics are breakpoints locals args frame threads globals stack roots heap sections", f[0])
	}
	return c.Exec(to + strings.TrimPrefix(k.args, f[0]))
}

func cmdHelp(c *Console, k *call) error {
	if k.args != "" {
		cmd := Lookup(k.args)
		if cmd == nil {
			return fmt.Errorf("no command %q: help lists them", k.args)
		}
		c.printf("Usage: %s\n%s\n", cmd.Usage, cmd.Summary)
		if len(cmd.Aliases) > 0 {
			c.printf("Aliases: %s\n", strings.Join(cmd.Aliases, ", "))
		}
		c.printf("\n%s\n", cmd.Help)
		return nil
	}
	group := ""
	for _, cmd := range Commands() {
		if cmd.Group != group {
			group = cmd.Group
			c.printf("\n%s:\n", strings.ToUpper(group[:1])+group[1:])
		}
		name := cmd.Name
		if len(cmd.Aliases) > 0 {
			name += " (" + strings.Join(cmd.Aliases, ", ") + ")"
		}
		c.printf("  %-28s %s\n", name, cmd.Summary)
	}
	c.printf("\nPlaces: FUNC, FUNC+OFFSET, LINE, FILE:LINE, *0xOFFSET. Ctrl-C pauses a running program.\nhelp COMMAND shows a command's usage and examples.\n")
	return nil
}
