// Package analysis answers the questions one asks of a heap snapshot:
// which types take the memory (Histogram), what keeps what alive
// (Dominators: the dominator tree from the super-root and retained sizes),
// how an object is reached from a root (ShortestPaths), and what changed
// between two snapshots (Diff). It works on snapshot.Snapshot alone and
// returns data, never text for a user: views and exporters present it.
package analysis
