package commands

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/debugger"
)

// badArgs are malformed arguments: every command must reject at least one
// of them with an error, and none may crash it.
var badArgs = []string{
	"((", "$ $", "1 2 3 4 5 6 7 8 9", "-1", "]", "0x", "\t\x01", "$nosuch.x[0", "/nonexistent/dir/file",
	"99999999999999999999", "$t.left[", "if", "= =", "*0xzz", "$t[99]", "fib.wat:", "+", "\"",
}

func TestMalformedArguments(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir()) // snapshot writes files named by its argument
	s, err := debugger.New(debugger.Options{Path: wd + "/../../examples/binary_trees.wat", Invoke: "run", Args: []string{"4"}})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var out bytes.Buffer
	c := New(s, &out)
	c.Wait()
	if err := c.Exec("break $check"); err != nil {
		t.Fatal(err)
	}
	if err := c.Exec("continue"); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range Commands() {
		names := []string{cmd.Name}
		if cmd.formats {
			names = append(names, cmd.Name+"/zz", cmd.Name+"/0", cmd.Name+"/99999x")
		}
		rejected := false
		for _, name := range names {
			for _, arg := range badArgs {
				line := name + " " + arg
				err := run(c, line)
				if err != nil {
					if strings.TrimSpace(err.Error()) == "" {
						t.Errorf("%q: an empty error message", line)
					}
					rejected = true
				}
				// Whatever happened, get back to a stopped program.
				if s.State() != debugger.StateStopped {
					s.Restart()
					c.Wait()
					c.Wait0()
					c.Exec("continue")
				}
			}
		}
		if !rejected {
			t.Errorf("%s accepted every malformed argument", cmd.Name)
		}
	}
	t.Logf("%d commands checked", len(Commands()))
	// The session still works.
	out.Reset()
	if err := c.Exec("backtrace"); err != nil || !strings.Contains(out.String(), "$check") {
		t.Errorf("backtrace after the bad commands: %v\n%s", err, out.String())
	}
}

// run executes a line, turning a panic into a test failure's error.
func run(c *Console, line string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("PANIC %v", p)
			panic(fmt.Sprintf("%q crashed: %v", line, p))
		}
	}()
	err = c.Exec(line)
	if err == ErrQuit {
		return fmt.Errorf("quit")
	}
	return err
}
