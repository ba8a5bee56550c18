// Package dot draws the neighbourhood of one object of a heap snapshot as a
// Graphviz DOT graph: the objects within a few references of it, in either
// direction, with every reference between them labelled by field, element
// or root.
package dot

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/gcscope/gcscope/heapviz/analysis"
	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// Options shape the drawing.
type Options struct {
	// Hops is how many references away from the center to go, following
	// edges both ways; 0 means 1.
	Hops int
	// MaxNodes caps the drawing, since a category node or a big array can
	// have thousands of neighbours; 0 means 60. Nodes are taken nearest
	// first, and a node with neighbours left out says how many edges were
	// hidden.
	MaxNodes int
	// Dom, if set, adds retained sizes to the labels.
	Dom *analysis.DomTree
}

// Write draws the neighbourhood of node center. Nodes and edges come in
// node and edge number order, so the output is stable for golden files.
func Write(w io.Writer, s *snapshot.Snapshot, center int, opts Options) error {
	if center < 0 || center >= s.NumNodes() {
		return fmt.Errorf("dot: node %d is not in the snapshot (%d nodes)", center, s.NumNodes())
	}
	hops, limit := opts.Hops, opts.MaxNodes
	if hops <= 0 {
		hops = 1
	}
	if limit <= 0 {
		limit = 60
	}
	in := neighbourhood(s, center, hops, limit)

	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "digraph heap {\n\tgraph [rankdir=LR, label=%s, labelloc=t];\n", quote("neighbourhood of "+s.NodeName(center)))
	bw.WriteString("\tnode [shape=box, fontname=\"monospace\", fontsize=10];\n\tedge [fontname=\"monospace\", fontsize=9];\n")
	for n := range s.NumNodes() {
		if !in[n] {
			continue
		}
		attrs := []string{"label=" + quote(nodeLabel(s, n, in, opts.Dom))}
		if n < snapshot.FirstObject {
			attrs = append(attrs, "shape=ellipse", "style=dashed")
		}
		if n == center {
			attrs = append(attrs, "style=\"bold,filled\"", "fillcolor=\"#ffe9a8\"")
		}
		fmt.Fprintf(bw, "\tn%d [%s];\n", n, strings.Join(attrs, ", "))
	}
	for n := range s.NumNodes() {
		if !in[n] {
			continue
		}
		lo, hi := s.Edges(n)
		for e := lo; e < hi; e++ {
			if to := s.EdgeTo(e); in[to] {
				style := ""
				if k := s.EdgeKind(e); k == snapshot.EdgeRoot || k == snapshot.EdgeInternal {
					style = ", style=dashed"
				}
				fmt.Fprintf(bw, "\tn%d -> n%d [label=%s%s];\n", n, to, quote(s.EdgeName(e)), style)
			}
		}
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

// neighbourhood marks the nodes within hops edges of center, either
// direction, nearest first, at most limit of them.
func neighbourhood(s *snapshot.Snapshot, center, hops, limit int) []bool {
	in := make([]bool, s.NumNodes())
	in[center] = true
	count := 1
	frontier := []int{center}
	for h := 0; h < hops && len(frontier) > 0 && count < limit; h++ {
		var next []int
		add := func(v int) {
			if !in[v] && count < limit {
				in[v] = true
				count++
				next = append(next, v)
			}
		}
		for _, v := range frontier {
			lo, hi := s.Edges(v)
			for e := lo; e < hi; e++ {
				add(s.EdgeTo(e))
			}
			_, from := s.In(v)
			for _, f := range from {
				add(int(f))
			}
		}
		frontier = next
	}
	return in
}

// nodeLabel names node n, its size and array length, and how many of its
// edges lead outside the drawing.
func nodeLabel(s *snapshot.Snapshot, n int, in []bool, dom *analysis.DomTree) string {
	var b strings.Builder
	b.WriteString(s.NodeName(n))
	if n >= snapshot.FirstObject {
		b.WriteString("\n" + strconv.FormatUint(uint64(s.Size(n)), 10) + " B")
		if s.Kind(n) == snapshot.KindArray {
			b.WriteString(", length " + strconv.FormatUint(uint64(s.Len(n)), 10))
		}
	}
	if dom != nil && dom.Reachable(n) {
		b.WriteString("\nretains " + strconv.FormatUint(dom.Retained(n), 10) + " B")
	}
	hidden := 0
	lo, hi := s.Edges(n)
	for e := lo; e < hi; e++ {
		if !in[s.EdgeTo(e)] {
			hidden++
		}
	}
	_, from := s.In(n)
	for _, f := range from {
		if !in[f] {
			hidden++
		}
	}
	if hidden > 0 {
		fmt.Fprintf(&b, "\n(+%d edges not shown)", hidden)
	}
	return b.String()
}

// quote makes a DOT string: double quotes, with quotes and backslashes
// escaped and newlines as DOT's centred line breaks.
func quote(v string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(v) + `"`
}
