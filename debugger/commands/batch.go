package commands

import (
	"bufio"
	"io"
	"strings"
)

// Batch runs the commands of r, one a line, and writes a transcript: each
// command after the prompt, then its output. The events that came before
// the first command (the entry stop) are printed first. Lines starting
// with # are comments, echoed like commands. It stops at quit or at the
// end of r, killing the program if it still runs.
func (c *Console) Batch(r io.Reader) error {
	c.Wait()
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		c.printf("%s%s\n", Prompt, line)
		if c.Run(line) {
			break
		}
	}
	c.S.Kill()
	c.Drain()
	return sc.Err()
}

// Complete returns the completions of a partial command line, for the
// CLI's tab key: command names, then per command function names, locals,
// globals and struct fields (after a dot). Each is the whole line.
func (c *Console) Complete(line string) []string {
	name, format, _ := split(line)
	if !strings.ContainsAny(line, " \t") {
		var out []string
		for _, cmd := range Commands() {
			for _, n := range append([]string{cmd.Name}, cmd.Aliases...) {
				if strings.HasPrefix(n, name) && format == "" && len(n) > 1 {
					out = append(out, n)
				}
			}
		}
		return out
	}
	cmd := Lookup(name)
	if cmd == nil {
		return nil
	}
	// The word being completed follows the last separator.
	cut := strings.LastIndexAny(line, " \t=(!<>&|+-*%") + 1
	head, last := line[:cut], line[cut:]
	var cands []string
	switch cmd.Completes {
	case "command":
		for _, k := range Commands() {
			cands = append(cands, k.Name)
		}
	case "func":
		cands = c.S.FuncNames()
	case "expr":
		for _, w := range c.S.CompleteExpr(last) {
			if i := strings.LastIndexByte(last, '.'); i >= 0 {
				w = last[:i+1] + w
			}
			cands = append(cands, w)
		}
		return prefixed(head, cands)
	}
	var out []string
	for _, w := range cands {
		if strings.HasPrefix(w, last) || strings.HasPrefix(w, "$"+last) {
			out = append(out, w)
		}
	}
	return prefixed(head, out)
}

func prefixed(head string, ws []string) []string {
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = head + w
	}
	return out
}
