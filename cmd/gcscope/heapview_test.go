package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestHeapViewErrors: `heap view` reads the file before it needs a
// terminal, so a missing or damaged file exits 1 naming the file and the
// place, and a missing argument exits 2.
func TestHeapViewErrors(t *testing.T) {
	dir := t.TempDir()
	damaged := filepath.Join(dir, "damaged.json")
	data, err := os.ReadFile(filepath.Join("..", "..", "heapviz", "snapjson", "testdata", "sample.json"))
	if err != nil {
		t.Fatal(err)
	}
	i := strings.Index(string(data), `"nodes": [`)
	if i < 0 {
		t.Fatal("sample.json has no nodes")
	}
	i += len(`"nodes": [`)
	if err := os.WriteFile(damaged, append(append(data[:i:i], "\n2 2"...), data[i:]...), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "nosuch.json")
	for _, c := range []struct {
		args []string
		code int
		msg  []string
	}{
		{[]string{"view", missing}, 1, []string{"gcscope heap view: ", missing, "no such file"}},
		{[]string{"view", damaged}, 1, []string{"gcscope heap view: " + damaged + ": ", "byte offset", "in nodes"}},
		{[]string{"view"}, 2, []string{"0 arguments given", "Usage: gcscope heap view"}},
		{[]string{"view", missing, missing}, 2, []string{"2 arguments given"}},
	} {
		code, out, errOut := runHeap(t, c.args...)
		if code != c.code || out != "" {
			t.Errorf("heap %q: exit %d (want %d), stdout %q", c.args, code, c.code, out)
		}
		for _, m := range c.msg {
			if !strings.Contains(errOut, m) {
				t.Errorf("heap %q: stderr %q lacks %q", c.args, errOut, m)
			}
		}
	}
}
