package wast

import (
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
)

// Collect expands the arguments of `gcscope wast` into .wast files:
// directories are walked (sorted), files are taken as given.
func Collect(args []string) ([]string, error) {
	var files []string
	for _, a := range args {
		err := filepath.WalkDir(a, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && (path == a || strings.HasSuffix(path, ".wast")) {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}

// Totals adds up results.
type Totals struct {
	Passed, Failed, Skipped, MessageDiffs int
}

// Add counts one script's result.
func (t *Totals) Add(r *Result) {
	t.Passed += r.Passed
	t.Failed += r.Failed
	t.Skipped += r.Skipped
	t.MessageDiffs += r.MessageDiffs
}

// Line is the closing line: "N passed, N failed" and ", N skipped" when any
// were not run.
func (t Totals) Line() string {
	s := fmt.Sprintf("%d passed, %d failed", t.Passed, t.Failed)
	if t.Skipped > 0 {
		s += fmt.Sprintf(", %d skipped", t.Skipped)
	}
	return s
}

// ByFolder groups results by the folder their file is in.
func ByFolder(results []*Result) (folders []string, totals map[string]*Totals) {
	totals = map[string]*Totals{}
	for _, r := range results {
		dir := filepath.Dir(r.File)
		if totals[dir] == nil {
			totals[dir] = &Totals{}
			folders = append(folders, dir)
		}
		totals[dir].Add(r)
	}
	sort.Strings(folders)
	return folders, totals
}

// WriteFolderSummary prints one line per folder.
func WriteFolderSummary(w io.Writer, results []*Result) {
	folders, totals := ByFolder(results)
	width := 0
	for _, f := range folders {
		width = max(width, len(f))
	}
	for _, f := range folders {
		fmt.Fprintf(w, "%-*s  %s\n", width, f, totals[f].Line())
	}
}

// WriteFailures prints each failed check as file:line:col: command: detail.
func WriteFailures(w io.Writer, r *Result, messageDiffs bool) {
	for _, c := range r.Checks {
		switch {
		case c.Outcome == Failed:
			fmt.Fprintf(w, "%s:%s: %s: %s\n", r.File, c.Pos, c.Command, c.Detail)
		case messageDiffs && c.MessageDiffers:
			fmt.Fprintf(w, "%s:%s: %s: message differs: expected %q, got %q\n", r.File, c.Pos, c.Command, c.Want, c.Got)
		}
	}
}
