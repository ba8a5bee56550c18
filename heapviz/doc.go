// Package heapviz is the home of gcscope's heap snapshots and their
// analyses; the code lives in its subpackages, and this package only
// names them:
//
//   - snapshot: the snapshot model (compact node and edge tables), the
//     Builder the capture code fills while the world is stopped, and Capture
//     over a small Heap interface.
//   - snapjson: gcscope's own JSON snapshot format, read and written.
//   - analysis: histogram by type, dominator tree and retained sizes,
//     shortest paths from the roots, and the diff of two snapshots.
//   - export/chrome: the Chrome DevTools .heapsnapshot exporter.
//   - export/dot: Graphviz DOT of an object's neighbourhood.
//
// None of them prints for a user or imports UI code: the heap browser and
// the debugger build on top of them. docs/heap-snapshot.md describes the
// model, the file format, the analyses and the exporters.
package heapviz
