package snapjson

import (
	"bufio"
	"encoding/json"
	"io"
	"strconv"

	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// Format and Version are the values of the file's "format" and "version".
const (
	Format  = "gcscope-heap-snapshot"
	Version = 1
)

type fileType struct {
	ID     int64    `json:"id"`
	Kind   string   `json:"kind"`
	Name   string   `json:"name,omitempty"`
	Fields []string `json:"fields,omitempty"`
}

type fileRoot struct {
	Category string `json:"category"`
	Thread   uint32 `json:"thread,omitempty"`
	Frame    uint32 `json:"frame,omitempty"`
	Func     uint32 `json:"func,omitempty"`
	Index    uint32 `json:"index,omitempty"`
	Slot     uint32 `json:"slot,omitempty"`
	Name     string `json:"name,omitempty"`
	Target   uint32 `json:"target"`
}

// Write writes s in the JSON format: one type, node, edge or root per line,
// so files diff well, with numbers formatted by hand since a million-node
// file is written while the user waits.
func Write(w io.Writer, s *snapshot.Snapshot) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	var buf []byte
	put := func(b []byte) { bw.Write(b) } // errors are sticky; Flush reports them
	putJSON := func(v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		put(b)
		return nil
	}
	put([]byte("{\n\"format\": \"" + Format + "\",\n\"version\": " + strconv.Itoa(Version) + ",\n\"types\": ["))
	types := s.Types()[1:] // index 0 is the synthetic nodes' type
	for i, t := range types {
		id := int64(t.ID)
		if t.ID == snapshot.NoType {
			id = -1
		}
		put(sep(i))
		if err := putJSON(fileType{ID: id, Kind: t.Kind.String(), Name: t.Name, Fields: t.Fields}); err != nil {
			return err
		}
	}
	put([]byte("\n],\n\"nodes\": ["))
	for n := snapshot.FirstObject; n < s.NumNodes(); n++ {
		buf = append(buf[:0], sep(n-snapshot.FirstObject)...)
		buf = appendNums(buf, s.ID(n), uint32(s.TypeIndex(n)-1), s.Size(n), s.Len(n))
		put(buf)
	}
	put([]byte("\n],\n\"edges\": ["))
	k := 0
	for n := snapshot.FirstObject; n < s.NumNodes(); n++ {
		lo, hi := s.Edges(n)
		for e := lo; e < hi; e++ {
			buf = append(buf[:0], sep(k)...)
			buf = appendNums(buf, s.ID(n), s.ID(s.EdgeTo(e)), uint32(s.EdgeKind(e)), s.EdgeIndex(e))
			put(buf)
			k++
		}
	}
	put([]byte("\n],\n\"roots\": ["))
	for i, r := range s.Roots() {
		put(sep(i))
		if err := putJSON(fileRoot{Category: r.Category.String(), Thread: r.Thread, Frame: r.Frame,
			Func: r.Func, Index: r.Index, Slot: r.Slot, Name: r.Name, Target: r.Target}); err != nil {
			return err
		}
	}
	put([]byte("\n]\n}\n"))
	return bw.Flush()
}

// sep starts the i-th item of an array on its own line.
func sep(i int) []byte {
	if i == 0 {
		return []byte("\n")
	}
	return []byte(",\n")
}

func appendNums(buf []byte, v ...uint32) []byte {
	for i, x := range v {
		if i > 0 {
			buf = append(buf, ',')
		}
		buf = strconv.AppendUint(buf, uint64(x), 10)
	}
	return buf
}
