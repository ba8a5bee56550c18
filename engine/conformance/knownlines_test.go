package conformance

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// The differential test's known-differences list may name a check with
// lines, "CHECK:L1,L2 REASON": only those lines of the check's output may
// differ (a difference the spec allows, traced to one operation), so the
// rest of the module is still compared. A listed line that agrees fails,
// as a listed whole check that passes does.

// knownLines is a line entry of the list.
type knownLines struct {
	lines  map[int]bool
	reason string
}

// splitKnown separates the entries naming whole checks from those naming
// lines of a check (by check name), or says which entry is malformed.
func splitKnown(known map[string]string) (whole map[string]string, lines map[string]knownLines, err error) {
	whole, lines = map[string]string{}, map[string]knownLines{}
	for name, reason := range known {
		check, list, ok := strings.Cut(name, ":")
		if !ok {
			whole[name] = reason
			continue
		}
		k := knownLines{lines: map[int]bool{}, reason: reason}
		for _, l := range strings.Split(list, ",") {
			n, err := strconv.Atoi(l)
			if err != nil || n < 1 {
				return nil, nil, fmt.Errorf("%s: %q is not a line number", name, l)
			}
			k.lines[n] = true
		}
		if _, dup := lines[check]; dup {
			return nil, nil, fmt.Errorf("%s: %s has lines listed twice", name, check)
		}
		lines[check] = k
	}
	for check := range lines {
		if _, dup := whole[check]; dup {
			return nil, nil, fmt.Errorf("%s is listed whole and by lines", check)
		}
	}
	return whole, lines, nil
}

// tolerateLines runs check and records in r the mismatches on lines k
// does not list, and one for each listed line that no longer differs. It
// returns how many mismatches k tolerated.
func tolerateLines(r *report, k knownLines, check func(*report)) int {
	var all report
	check(&all)
	seen := map[int]bool{}
	tolerated := 0
	for i, e := range all.errs {
		if l := all.lines[i]; k.lines[l] {
			seen[l] = true
			tolerated++
			continue
		}
		r.LineErrorf(all.lines[i], "%s", e)
	}
	var agree []int
	for l := range k.lines {
		if !seen[l] {
			agree = append(agree, l)
		}
	}
	sort.Ints(agree)
	for _, l := range agree {
		r.LineErrorf(l, "line %d is listed as a known difference (%s) but agrees now: remove it from the list", l, k.reason)
	}
	return tolerated
}

// TestTolerateLines: listed lines may differ, others may not, and a
// listed line that agrees is reported.
func TestTolerateLines(t *testing.T) {
	whole, lines, err := splitKnown(map[string]string{
		"interp/all1":       "whole",
		"aot/all1:2,4":      "two lines",
		"aot-interp/all1:3": "one line",
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(whole) != 1 || whole["interp/all1"] != "whole" || len(lines) != 2 || !lines["aot/all1"].lines[4] {
		t.Fatalf("splitKnown: whole %v, lines %v", whole, lines)
	}
	k := lines["aot/all1"]
	want := "a\nb\nc\nd\n"
	cases := []struct {
		got       string
		tolerated int
		errs      []int // lines still reported
	}{
		{"a\nB\nc\nD\n", 2, nil},
		{"a\nB\nC\nD\n", 2, []int{3}},
		{"A\nB\nc\nd\n", 1, []int{1, 4}}, // line 4 agrees now
		{"a\nB\nc\nD\ne\n", 2, []int{5}},
	}
	for _, c := range cases {
		var r report
		n := tolerateLines(&r, k, func(r *report) { compareLines(r, c.got, want) })
		if n != c.tolerated || fmt.Sprint(r.lines) != fmt.Sprint(c.errs) {
			t.Errorf("%q: tolerated %d, reported lines %v (%v); want %d, %v", c.got, n, r.lines, r.errs, c.tolerated, c.errs)
		}
	}
	for _, bad := range []map[string]string{
		{"aot/x:0": "r"}, {"aot/x:a": "r"}, {"aot/x:1": "r", "aot/x": "r"},
	} {
		if _, _, err := splitKnown(bad); err == nil {
			t.Errorf("splitKnown(%v) accepted", bad)
		}
	}
}
