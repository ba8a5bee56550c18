package tui

import (
	"fmt"
	"strings"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/gcscope/gcscope/heapviz/analysis"
	"github.com/gcscope/gcscope/heapviz/snapshot"
)

// hvPane names a pane of the heap browser.
type hvPane int

const (
	hvTypes     hvPane = iota // the histogram by type
	hvInstances               // the objects of the opened type
	hvObject                  // one object: references, retainers, path
	hvNumPanes
)

// HeapView is the heap browser over a saved snapshot (`gcscope heap
// view`): a types pane, the instances of the opened type and an object
// pane whose references can be followed and gone back from. It
// implements tea.Model; use it as a pointer.
type HeapView struct {
	s     *snapshot.Snapshot
	name  string // the file, for the status line
	dom   *analysis.DomTree
	paths *analysis.PathTree

	w, h  int
	focus hvPane

	types hvTypesPane
	insts hvInstPane
	obj   hvObjectPane

	searching bool   // typing a search after /
	query     string // the search being typed
	searchOld int    // the types selection before the search
	msg       string // a one-line notice in the status line
	quit      bool

	bytes uint64 // total shallow bytes
}

// NewHeapView analyses a snapshot (dominators, retained sizes, shortest
// paths) and returns the browser over it; name labels the status line.
func NewHeapView(s *snapshot.Snapshot, name string) *HeapView {
	v := &HeapView{s: s, name: name, w: 100, h: 30}
	v.dom = analysis.Dominators(s)
	v.paths = analysis.ShortestPaths(s)
	for n := snapshot.FirstObject; n < s.NumNodes(); n++ {
		v.bytes += uint64(s.Size(n))
	}
	v.types.init(s, analysis.Histogram(s, v.dom))
	return v
}

// SetSize sets the screen size (tests; a running program gets
// tea.WindowSizeMsg).
func (v *HeapView) SetSize(w, h int) { v.w, v.h = w, h }

// Init does nothing: the snapshot is already analysed.
func (v *HeapView) Init() tea.Cmd { return nil }

// Update handles keys and resizes.
func (v *HeapView) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		v.w, v.h = msg.Width, msg.Height
	case tea.KeyMsg:
		if msg.Type == tea.KeyRunes && len(msg.Runes) > 1 && !v.searching {
			// Keys typed faster than they are read ("/ext") come as one
			// message: take them one at a time.
			var cmd tea.Cmd
			for _, r := range msg.Runes {
				if c := v.key(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}}); c != nil {
					cmd = c
				}
			}
			return v, cmd
		}
		return v, v.key(msg)
	}
	return v, nil
}

// key handles a key press.
func (v *HeapView) key(k tea.KeyMsg) tea.Cmd {
	if v.searching {
		v.searchKey(k)
		return nil
	}
	v.msg = ""
	switch k.String() {
	case "q", "ctrl+c", "ctrl+d":
		v.quit = true
		return tea.Quit
	case "tab":
		v.focus = (v.focus + 1) % hvNumPanes
		return nil
	case "shift+tab":
		v.focus = (v.focus + hvNumPanes - 1) % hvNumPanes
		return nil
	case "s":
		v.types.cycle()
		return nil
	case "/":
		v.searching, v.query, v.searchOld = true, "", v.types.nav.sel
		v.focus = hvTypes
		return nil
	}
	switch v.focus {
	case hvTypes:
		v.typesKey(k)
	case hvInstances:
		v.instancesKey(k)
	case hvObject:
		v.objectKey(k)
	}
	return nil
}

// moveKey applies the moving keys to a list shown page rows at a time
// (PgUp and PgDn turn the page); it reports whether k was one.
func moveKey(l *listNav, k string, page int) bool {
	switch k {
	case "up", "k":
		l.move(-1)
	case "down", "j":
		l.move(1)
	case "pgup":
		l.move(-max(1, page))
		l.top = max(0, l.top-max(1, page))
	case "pgdown", " ":
		l.move(max(1, page))
		l.top = min(l.top+max(1, page), max(0, l.n-page))
	case "home", "g":
		l.move(-l.n)
	case "end", "G":
		l.move(l.n)
	default:
		return false
	}
	return true
}

func (v *HeapView) typesKey(k tea.KeyMsg) {
	if moveKey(&v.types.nav, k.String(), v.types.page) {
		return
	}
	if k.String() == "enter" {
		v.openType()
	}
}

// openType shows the instances of the selected type and the largest of
// them in the object pane.
func (v *HeapView) openType() {
	t, ok := v.types.selected()
	if !ok {
		return
	}
	v.insts.open(v.s, v.dom, t)
	v.focus = hvInstances
	v.showInstance()
}

// showInstance shows the selected instance in the object pane, forgetting
// the references followed.
func (v *HeapView) showInstance() {
	if n, ok := v.insts.selected(); ok {
		v.obj.history = nil
		v.obj.show(v.s, v.dom, v.paths, n)
	}
}

func (v *HeapView) instancesKey(k tea.KeyMsg) {
	if moveKey(&v.insts.nav, k.String(), v.insts.page) {
		v.showInstance()
		return
	}
	switch k.String() {
	case "enter", "right":
		if _, ok := v.insts.selected(); ok {
			v.focus = hvObject
		}
	case "backspace", "left":
		v.focus = hvTypes
	}
}

func (v *HeapView) objectKey(k tea.KeyMsg) {
	switch k.String() {
	case "up", "k":
		v.obj.move(-1)
	case "down", "j":
		v.obj.move(1)
	case "pgup":
		v.obj.move(-max(1, v.obj.page))
	case "pgdown", " ":
		v.obj.move(max(1, v.obj.page))
	case "enter", "right":
		v.obj.follow(v.s, v.dom, v.paths)
	case "backspace", "left":
		if !v.obj.back(v.s, v.dom, v.paths) {
			v.focus = hvInstances
		}
	}
}

// searchKey edits the type search: the selection moves to the first type
// whose name holds the query (case-insensitive) as it is typed; Enter
// keeps it, Esc goes back to where it was.
func (v *HeapView) searchKey(k tea.KeyMsg) {
	switch k.Type {
	case tea.KeyEnter:
		v.searching = false
		return
	case tea.KeyEsc, tea.KeyCtrlC:
		v.searching = false
		v.types.nav.sel = v.searchOld
		return
	case tea.KeyBackspace:
		if r := []rune(v.query); len(r) > 0 {
			v.query = string(r[:len(r)-1])
		}
	case tea.KeyRunes, tea.KeySpace:
		v.query += string(k.Runes)
	default:
		return
	}
	if v.query == "" {
		v.types.nav.sel = v.searchOld
		return
	}
	if i := v.types.find(v.query); i >= 0 {
		v.types.nav.sel = i
		v.msg = ""
	} else {
		v.msg = fmt.Sprintf("no type matches %q", v.query)
	}
}

// View draws the screen: the status line, the types and instances panes
// on the left, the object pane on the right, and the help bar.
func (v *HeapView) View() string {
	if v.quit {
		return ""
	}
	w, h := max(v.w, minW), max(v.h, minH)
	rem := h - 2
	leftW := max(w*2/5, min(w/2, 40))
	rightW := w - leftW
	typesH := max(3, rem/2)
	instH := rem - typesH
	// Bodies first: they set the page sizes the titles show.
	typesBody := v.types.view(leftW-2, typesH-2, v.focus == hvTypes)
	instBody := v.insts.view(v.s, leftW-2, instH-2, v.focus == hvInstances)
	objBody := v.obj.view(v.s, v.dom, rightW-2, rem-2, v.focus == hvObject)
	types := box(v.types.title(), typesBody, leftW, typesH, v.focus == hvTypes)
	insts := box(v.insts.title(v.s), instBody, leftW, instH, v.focus == hvInstances)
	obj := box(v.obj.title(), objBody, rightW, rem, v.focus == hvObject)
	lines := []string{stStatus.Render(fit(v.statusLine(), w))}
	lines = append(lines, hjoin(append(types, insts...), obj)...)
	lines = append(lines, fit(v.helpBar(w), w))
	return strings.Join(lines, "\n")
}

// statusLine is the top line: the file, its totals, or a notice.
func (v *HeapView) statusLine() string {
	st := fmt.Sprintf("%d objects, %d bytes, %d types, %d roots", v.s.NumObjects(), v.bytes, len(v.types.rows), len(v.s.Roots()))
	if v.msg != "" {
		st = v.msg
	}
	return fmt.Sprintf(" gcscope heap view %s │ %s", v.name, st)
}
