package conformance

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/text"
	"github.com/gcscope/gcscope/engine/validate"
	"github.com/gcscope/gcscope/engine/wasm"
	"github.com/gcscope/gcscope/internal/shared"
)

var suiteDir = shared.Path("testsuite")

// folderStats counts, per test suite folder, what the validator did with
// the modules the front ends could read.
type folderStats struct {
	valid, validOK         int // modules that must validate, and did
	invalid, invalidOK     int // assert_invalid modules, and rejected
	msgOK                  int // rejected with the expected message
	unread                 int // modules the parser or decoder could not read
	validFail, invalidPass []string
	msgMiss                []string
}

// staleMessages are assert_invalid expectations that no longer hold in
// Wasm 3.0: the threads repository's old core variants still reject a
// second memory.
var staleMessages = map[string]bool{"multiple memories": true}

// TestSuite checks the spec suite's verdicts: every module a script
// expects to be valid (plain modules and those in assert_return-style,
// assert_unlinkable, assert_uninstantiable and assert_trap forms) must
// validate, and every assert_invalid module must be rejected with
// the expected message (the spec's wording as a prefix). Modules the
// front ends cannot read are counted but
// are not this package's failures.
func TestSuite(t *testing.T) {
	var files []string
	filepath.WalkDir(suiteDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".wast") {
			files = append(files, p)
		}
		return nil
	})
	if len(files) == 0 {
		t.Fatal("no test suite at " + suiteDir)
	}
	stats := map[string]*folderStats{}
	parseFail := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(suiteDir, f)
		folder := filepath.Dir(rel)
		st := stats[folder]
		if st == nil {
			st = &folderStats{}
			stats[folder] = st
		}
		sc, err := parseScript(src, f)
		if err != nil {
			parseFail++
			t.Logf("parse %s: %v", rel, err)
			continue
		}
		walk(sc.Commands, rel, st)
	}
	var names []string
	for k := range stats {
		names = append(names, k)
	}
	sort.Strings(names)
	var tot folderStats
	for _, n := range names {
		s := stats[n]
		t.Logf("%-26s valid %4d/%-4d  invalid rejected %4d/%-4d  message %4d/%-4d  unread %d",
			n, s.validOK, s.valid, s.invalidOK, s.invalid, s.msgOK, s.invalidOK, s.unread)
		for _, m := range s.validFail {
			t.Errorf("should validate: %s", m)
		}
		for _, m := range s.invalidPass {
			t.Errorf("should be invalid: %s", m)
		}
		for _, m := range s.msgMiss {
			t.Errorf("message: %s", m)
		}
		tot.valid += s.valid
		tot.validOK += s.validOK
		tot.invalid += s.invalid
		tot.invalidOK += s.invalidOK
		tot.msgOK += s.msgOK
		tot.unread += s.unread
	}
	t.Logf("TOTAL valid %d/%d, invalid rejected %d/%d, expected message %d/%d, unread %d, scripts not parsed %d",
		tot.validOK, tot.valid, tot.invalidOK, tot.invalid, tot.msgOK, tot.invalidOK, tot.unread, parseFail)
}

// parseScript calls the text parser, turning a panic in it into an error
// so that one bad script does not hide the others.
func parseScript(src []byte, file string) (sc *text.Script, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("parser panic: %v", r)
		}
	}()
	return text.ParseScript(src, file)
}

// readModule turns a script module into a wasm.Module, or nil if the front
// ends cannot read it.
func readModule(md *text.ModuleDef) (m *wasm.Module) {
	defer func() {
		if recover() != nil {
			m = nil
		}
	}()
	if md == nil {
		return nil
	}
	switch md.Form {
	case text.ModuleText:
		if md.Err == nil {
			return md.Module
		}
	case text.ModuleBinary:
		if dm, err := binary.Decode(md.Bytes); err == nil {
			return dm
		}
	case text.ModuleQuote:
		if pm, err := text.ParseModule(md.Bytes); err == nil {
			return pm
		}
	}
	return nil
}

// check validates m, turning a validator panic into an error report.
func check(m *wasm.Module) (err error, panicked bool) {
	defer func() {
		if r := recover(); r != nil {
			err, panicked = fmt.Errorf("validator panic: %v", r), true
		}
	}()
	return validate.Module(m), false
}

func walk(cmds []text.Command, file string, st *folderStats) {
	for i := range cmds {
		c := &cmds[i]
		where := fmt.Sprintf("%s:%d", file, c.Pos.Line)
		switch c.Kind {
		case text.CmdModule, text.CmdAssertUnlinkable, text.CmdAssertUninstantiable, text.CmdAssertTrap:
			if c.Module == nil || c.Module.Form == text.ModuleInstance {
				continue
			}
			st.valid++
			m := readModule(c.Module)
			if m == nil {
				st.unread++
				continue
			}
			if err, _ := check(m); err != nil {
				st.validFail = append(st.validFail, fmt.Sprintf("%s: %v", where, err))
				continue
			}
			st.validOK++
		case text.CmdAssertInvalid:
			if staleMessages[c.Text] {
				continue
			}
			st.invalid++
			m := readModule(c.Module)
			if m == nil {
				st.unread++
				continue
			}
			err, panicked := check(m)
			if err == nil || panicked {
				st.invalidPass = append(st.invalidPass, fmt.Sprintf("%s: expected %q, got %v", where, c.Text, err))
				continue
			}
			st.invalidOK++
			msg := err.Error()
			if e, ok := err.(*wasm.Error); ok {
				msg = e.Msg
			}
			if strings.HasPrefix(msg, c.Text) {
				st.msgOK++
			} else {
				st.msgMiss = append(st.msgMiss, fmt.Sprintf("%s: expected %q, got %q", where, c.Text, msg))
			}
		case text.CmdThread:
			walk(c.Body, file, st)
		}
	}
}
