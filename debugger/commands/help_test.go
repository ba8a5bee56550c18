package commands

import (
	"bytes"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/debugger"
)

// Every command has a usage, a summary and help with some substance, and
// help NAME shows it; names and aliases are unique.
func TestHelpForEveryCommand(t *testing.T) {
	seen := map[string]string{}
	var out bytes.Buffer
	c := &Console{Out: &out}
	for _, cmd := range Commands() {
		if cmd.Usage == "" || cmd.Summary == "" || len(cmd.Help) < 20 {
			t.Errorf("%s: usage %q, summary %q, help %q", cmd.Name, cmd.Usage, cmd.Summary, cmd.Help)
		}
		for _, n := range append([]string{cmd.Name}, cmd.Aliases...) {
			if other, ok := seen[n]; ok {
				t.Errorf("%s is both %s and %s", n, other, cmd.Name)
			}
			seen[n] = cmd.Name
			if Lookup(n) != cmd {
				t.Errorf("Lookup(%q) is not %s", n, cmd.Name)
			}
		}
		out.Reset()
		if err := c.Exec("help " + cmd.Name); err != nil || !strings.Contains(out.String(), "Usage: "+cmd.Usage) {
			t.Errorf("help %s: %v\n%s", cmd.Name, err, out.String())
		}
	}
	// gdb's and delve's usual aliases.
	for alias, name := range map[string]string{"b": "break", "c": "continue", "s": "step", "n": "next", "bt": "backtrace",
		"p": "print", "si": "stepi", "fin": "finish", "f": "frame", "q": "quit", "so": "finish", "disas": "disassemble", "l": "list"} {
		if cmd := Lookup(alias); cmd == nil || cmd.Name != name {
			t.Errorf("%s is not an alias of %s", alias, name)
		}
	}
}

func TestComplete(t *testing.T) {
	s, err := debugger.New(debugger.Options{Path: "../../examples/binary_trees.wat", Invoke: "run", Args: []string{"4"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var out bytes.Buffer
	c := New(s, &out)
	c.Wait()
	c.Exec("break $check")
	c.Exec("continue")
	for line, want := range map[string]string{
		"bre":            "break",
		"break $ma":      "break $make",
		"tbreak ch":      "tbreak $check",
		"print $t.le":    "print $t.left",
		"p $t.left.ri":   "p $t.left.right",
		"print $":        "print $t",
		"help disas":     "help disassemble",
		"set $t.left = ": "set $t.left = $t",
		"print $st":      "print $stack[",
	} {
		got := c.Complete(line)
		found := false
		for _, g := range got {
			found = found || g == want
		}
		if !found {
			t.Errorf("Complete(%q) = %q, want %q among them", line, got, want)
		}
	}
}
