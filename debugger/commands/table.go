package commands

import (
	"sort"
	"strings"
)

// Command is one debugger command.
type Command struct {
	Name    string
	Aliases []string
	Usage   string // synopsis, e.g. "break PLACE [if COND]"
	Summary string // one line
	Help    string // what it does, with examples
	// Group orders the help listing.
	Group string
	// Completes says what the arguments complete to: "func", "expr",
	// "command" or "".
	Completes string
	// Repeats says an empty line repeats it (step, next, x, ...), as gdb does.
	Repeats bool
	noArgs  bool // takes no arguments
	formats bool // takes a /FORMAT suffix
	run     func(c *Console, k *call) error
}

var table []*Command

func register(cmds ...*Command) { table = append(table, cmds...) }

// Commands lists every command, in help order.
func Commands() []*Command {
	out := append([]*Command(nil), table...)
	order := map[string]int{"breakpoints": 0, "running": 1, "stack": 2, "data": 3, "heap": 4, "code": 5, "other": 6}
	sort.SliceStable(out, func(i, j int) bool { return order[out[i].Group] < order[out[j].Group] })
	return out
}

// Repeatable reports whether an empty line after line should run it again.
func Repeatable(line string) bool {
	name, _, _ := split(line)
	c := Lookup(name)
	return c != nil && c.Repeats
}

// Lookup finds a command by name or alias; unambiguous prefixes of names
// work too, as in gdb.
func Lookup(name string) *Command {
	for _, c := range table {
		if c.Name == name {
			return c
		}
		for _, a := range c.Aliases {
			if a == name {
				return c
			}
		}
	}
	var found *Command
	for _, c := range table {
		if strings.HasPrefix(c.Name, name) {
			if found != nil {
				return nil
			}
			found = c
		}
	}
	return found
}
