package bench

import (
	"errors"
	"fmt"
	"strings"

	"github.com/gcscope/gcscope/bench/native"
	"github.com/gcscope/gcscope/engine/aot/loader"
	"github.com/gcscope/gcscope/engine/runtime"
)

// aotRunner runs main as native code compiled by the AOT tier (opt + llc
// at -O2), with no fallback: a module the compiler refuses is reported as
// unsupported, never measured on the interpreter instead.
type aotRunner struct {
	runner
	eng *loader.Engine
}

// newAOT compiles and loads bin (before any clock starts). A module the
// compiler does not accept yet gives an *aotUnsupported error.
func newAOT(bin []byte) (runner, error) {
	e := loader.New(nil)
	r, err := newGcscope(bin, runtime.Config{Engine: e})
	if err != nil {
		e.Close()
		var un *runtime.Unsupported
		if errors.As(err, &un) {
			return nil, &aotUnsupported{reason: strings.TrimPrefix(un.Msg, "aot: unsupported: ")}
		}
		return nil, err
	}
	return aotRunner{r, e}, nil
}

func (r aotRunner) close() {
	r.runner.close()
	r.eng.Close()
}

// aotUnsupported says the AOT compiler refuses a program (yet): the
// report prints the reason instead of a number.
type aotUnsupported struct{ reason string }

func (e *aotUnsupported) Error() string { return "AOT: unsupported (" + e.reason + ")" }

// nativeRunner calls a C version of an example's main (bench/native,
// gcc -O2).
type nativeRunner struct{ main func() int64 }

// newNative returns the C version of file's main, or an error saying
// there is none.
func newNative(file string) (runner, error) {
	m, ok := native.Mains[file]
	if !ok {
		return nil, fmt.Errorf("no C version of %s", file)
	}
	return nativeRunner{m}, nil
}

func (r nativeRunner) callMain() (int64, error) { return r.main(), nil }
func (nativeRunner) close()                     {}
