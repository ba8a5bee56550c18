package compile

import (
	"bytes"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gcscope/gcscope/engine/aot/aotfile"
	"github.com/gcscope/gcscope/engine/binary"
	"github.com/gcscope/gcscope/engine/wasm"
	"github.com/gcscope/gcscope/examples"
)

func TestOffsetMapFromRows(t *testing.T) {
	rows := []lineRow{
		{addr: 0x00, wasm: 0},
		{addr: 0x10, wasm: 40}, {addr: 0x10, wasm: 41}, // 40 has no code
		{addr: 0x18, wasm: 41}, // same instruction: merged
		{addr: 0x20, wasm: 0},  // merged code
		{addr: 0x28, wasm: 50},
		{addr: 0x40, wasm: 60},
		{addr: 0x50, end: true},
	}
	sortRows(rows)
	got := offsetMap(rows, 3, 0x18, 0x30) // [0x18, 0x48)
	want := aotfile.OffsetMap{Func: 3, Pairs: pairs(0, 41, 8, 0, 0x10, 50, 0x28, 60)}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	// Code past the sequence's end and before any row belongs to no
	// instruction.
	if got := offsetMap(rows, 0, 0x48, 0x10); !reflect.DeepEqual(got.Pairs, pairs(0, 60, 8, 0)) {
		t.Errorf("tail: got %+v", got.Pairs)
	}
	if got := offsetMap(rows[1:], 0, 0, 0x10); !reflect.DeepEqual(got.Pairs, pairs(0, 0)) {
		t.Errorf("head: got %+v", got.Pairs)
	}
}

// pairs makes offset pairs from native, wasm, native, wasm, ...
func pairs(v ...uint32) []aotfile.OffsetPair {
	var out []aotfile.OffsetPair
	for i := 0; i+1 < len(v); i += 2 {
		out = append(out, aotfile.OffsetPair{Native: v[i], Wasm: v[i+1]})
	}
	return out
}

// binaryModule parses an example and decodes its binary encoding, so the
// module has byte offsets.
func binaryModule(t testing.TB, name string) *wasm.Module {
	t.Helper()
	src, err := examples.FS.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	bin, err := binary.Encode(parse(t, src))
	if err != nil {
		t.Fatal(err)
	}
	m, err := binary.Decode(bin)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// instrOwners maps each instruction's offset in m to the index of the
// defined function whose body holds it.
func instrOwners(m *wasm.Module) map[uint32]int {
	owner := map[uint32]int{}
	for i, fn := range m.Funcs {
		for _, in := range fn.Body {
			owner[in.Offset] = i
		}
	}
	return owner
}

func compileOrSkip(t testing.TB, m *wasm.Module, opts Options) *aotfile.File {
	t.Helper()
	data, err := Compile(m, opts)
	if err != nil {
		if strings.Contains(err.Error(), "found on PATH") {
			t.Skip(err)
		}
		t.Fatal(err)
	}
	f, err := aotfile.Read(data)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestLineTablesDoNotChangeCode: the offset map costs nothing at run
// time, in release and debug builds: text, rodata and relocations are the
// same with and without the line tables it is read from.
func TestLineTablesDoNotChangeCode(t *testing.T) {
	for _, name := range []string{"fib.wat", "sieve.wat", "nbody.wat"} {
		m := binaryModule(t, name)
		for _, debug := range []bool{false, true} {
			for _, opt := range []int{0, 2} {
				with := compileOrSkip(t, m, Options{OptLevel: opt, Debug: debug})
				without := compileOrSkip(t, m, Options{OptLevel: opt, Debug: debug, NoOffsetMap: true})
				if !bytes.Equal(with.Text, without.Text) || !bytes.Equal(with.Rodata, without.Rodata) ||
					!reflect.DeepEqual(with.Relocs, without.Relocs) {
					t.Errorf("%s -O%d debug=%v: the code differs with line tables", name, opt, debug)
				}
				if len(with.OffsetMaps) != len(m.Funcs) || without.OffsetMaps != nil {
					t.Errorf("%s: %d offset maps with, %d without", name, len(with.OffsetMaps), len(without.OffsetMaps))
				}
			}
		}
	}
}

// TestOffsetMapNamesInstructions: every map pair names an instruction of
// the module (or 0), and every function's map names at least one of its
// own instructions.
func TestOffsetMapNamesInstructions(t *testing.T) {
	for _, name := range []string{"fib.wat", "sieve.wat", "nbody.wat"} {
		m := binaryModule(t, name)
		owner := instrOwners(m)
		for _, debug := range []bool{false, true} {
			f := compileOrSkip(t, m, Options{OptLevel: 2, Debug: debug})
			for i, om := range f.OffsetMaps {
				own := false
				for _, p := range om.Pairs {
					o, ok := owner[p.Wasm]
					if p.Wasm != 0 && !ok {
						t.Errorf("%s func %d: pair %+v names no instruction", name, i, p)
					}
					own = own || ok && o == i
				}
				if !own && len(m.Funcs[i].Body) > 1 {
					t.Errorf("%s debug=%v func %d: no pair names its own instructions: %+v", name, debug, i, om.Pairs)
				}
			}
		}
	}
}

// BenchmarkCompileOffsetMap measures what the line tables cost to compile.
func BenchmarkCompileOffsetMap(b *testing.B) {
	m := binaryModule(b, "nbody.wat")
	for _, c := range []struct {
		name string
		opts Options
	}{{"release", Options{OptLevel: 2, NoOffsetMap: true}}, {"release+map", Options{OptLevel: 2}},
		{"debug", Options{OptLevel: 2, Debug: true, NoOffsetMap: true}}, {"debug+map", Options{OptLevel: 2, Debug: true}}} {
		b.Run(c.name, func(b *testing.B) {
			start, cpu := time.Now(), cpuTime()
			for range b.N {
				compileOrSkip(b, m, c.opts)
			}
			b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(b.N), "ms/compile")
			// opt and llc's CPU time (and this process's): what the load
			// on a shared machine disturbs least.
			b.ReportMetric(float64(cpuTime()-cpu)/1e6/float64(b.N), "cpu-ms/compile")
		})
	}
}

// cpuTime is this process's and its waited-for children's CPU time in ns.
func cpuTime() int64 {
	var self, kids syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &self) != nil || syscall.Getrusage(syscall.RUSAGE_CHILDREN, &kids) != nil {
		return 0
	}
	return self.Utime.Nano() + self.Stime.Nano() + kids.Utime.Nano() + kids.Stime.Nano()
}
