package compile

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"time"
)

// Tools says where LLVM's tools are. Empty names are looked up on PATH
// (llc-14, then llc; opt-14, then opt). Opt is optional: without it the
// code is correct but keeps locals in stack slots, since llc alone does
// not run mem2reg.
type Tools struct {
	LLC, Opt string
	// NoOpt skips opt even when it is found.
	NoOpt bool
	// Timeout bounds each tool run; 0 means no bound. A compiler has no
	// business giving up on a large module because the machine is slow or
	// busy (a fixed two-minute bound once killed llc on a 135 KB module
	// under load); tests and benchmarks that need a budget set one.
	Timeout time.Duration
}

func findTool(explicit string, names ...string) (string, error) {
	if explicit != "" {
		return exec.LookPath(explicit)
	}
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("aot: none of %v found on PATH", names)
}

// CPU is the -mcpu the code is compiled for: x86-64-v2 has SSE4.1, whose
// round instructions implement ceil/floor/trunc/nearest without libm
// calls (the object must not refer to anything outside itself).
const CPU = "x86-64-v2"

// toObject runs opt (optional) and llc on LLVM IR text and returns the ELF
// object file's bytes.
func (t Tools) toObject(ll []byte, level int) ([]byte, error) {
	llc, err := findTool(t.LLC, "llc-14", "llc")
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "gcscope-aot-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	src := filepath.Join(dir, "m.ll")
	if err := os.WriteFile(src, ll, 0o600); err != nil {
		return nil, err
	}
	olevel := fmt.Sprintf("-O%d", level)
	if !t.NoOpt && level > 0 {
		if opt, err := findTool(t.Opt, "opt-14", "opt"); err == nil {
			bc := filepath.Join(dir, "m.bc")
			// Loop idioms would become memset/memcpy calls, which the
			// object cannot link to.
			if err := t.run(opt, olevel, "-disable-loop-idiom-all", "-mcpu="+CPU, src, "-o", bc); err != nil {
				return nil, err
			}
			src = bc
		}
	}
	obj := filepath.Join(dir, "m.o")
	if err := t.run(llc, olevel, "-filetype=obj", "-relocation-model=pic", "-mcpu="+CPU, src, "-o", obj); err != nil {
		return nil, err
	}
	return os.ReadFile(obj)
}

func (t Tools) run(tool string, args ...string) error {
	ctx, cancel := context.Background(), context.CancelFunc(func() {})
	if t.Timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, t.Timeout)
	}
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, tool, args...)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("aot: %s ran longer than its %v budget (Tools.Timeout)", filepath.Base(tool), t.Timeout)
		}
		msg := stderr.String()
		if len(msg) > 2000 {
			msg = msg[:2000] + "..."
		}
		return fmt.Errorf("aot: %s failed: %v\n%s", filepath.Base(tool), err, msg)
	}
	return nil
}
