package snapshot

import "fmt"

// NoType is the canonical type id of objects that have none (funcrefs and
// extern wrappers), as in the GC heap.
const NoType = ^uint32(0)

// Type describes one type of object in a snapshot. Types are identified
// within a snapshot by their position in Types(); across snapshots of one
// store by (ID, Kind), since canonical ids are per store.
type Type struct {
	ID     uint32   // canonical type id, NoType if none
	Kind   Kind     // the kind of its objects
	Name   string   // display name, e.g. "$node"; may be empty
	Fields []string // field names by index (structs, exceptions); may be short or empty
}

// DisplayName is the name to show for t: its Name, else one made from its
// kind and id, so every type has a label.
func (t *Type) DisplayName() string {
	if t.Name != "" {
		return t.Name
	}
	if t.ID == NoType {
		// Objects without a type are named by their reference type.
		switch t.Kind {
		case KindFunc:
			return "funcref"
		case KindExtern:
			return "externref"
		case KindExn:
			return "exnref"
		}
		return t.Kind.String()
	}
	return fmt.Sprintf("%s#%d", t.Kind, t.ID)
}

// FieldName names field i of t: its name if known, else its index, the
// way the text format lets unnamed fields be written.
func (t *Type) FieldName(i uint32) string {
	if int64(i) < int64(len(t.Fields)) && t.Fields[i] != "" {
		return t.Fields[i]
	}
	return fmt.Sprint(i)
}
