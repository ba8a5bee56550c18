package text

import (
	"math/rand"
	"os"
	"testing"
	"time"
)

func TestZZStress(t *testing.T) {
	r := rand.New(rand.NewSource(time.Now().UnixNano()))
	var chunks [][]byte
	for _, f := range suiteFiles(t) {
		b, _ := os.ReadFile(f)
		chunks = append(chunks, topLevelChunks(b)...)
	}
	toks := []string{"(", ")", "$x", "0", "-1", "i32", "(ref null 0)", "\"", "nan:0x1", "end", "else", "(then", "(@custom \"a\"", "(@name \"a\")", "(param", "(result", "block", "try", "delegate", "catch", "(type 0)", "offset=1", "align=3", ";;", "(;", "$\"", "1e400", "(rec", "(sub", "(elem", "(data", "(memory", "(table", "(@"}
	deadline := time.Now().Add(40 * time.Second)
	n := 0
	for time.Now().Before(deadline) {
		c := []byte(string(chunks[r.Intn(len(chunks))]))
		for k := r.Intn(4) + 1; k > 0; k-- {
			if len(c) == 0 {
				break
			}
			i := r.Intn(len(c))
			switch r.Intn(3) {
			case 0:
				c = append(c[:i], c[i+1:]...)
			case 1:
				tok := " " + toks[r.Intn(len(toks))] + " "
				c = append(c[:i], append([]byte(tok), c[i:]...)...)
			case 2:
				j := r.Intn(len(c))
				c[i], c[j] = c[j], c[i]
			}
		}
		os.WriteFile("/tmp/zz_last.bin", c, 0o644)
		func() {
			defer func() {
				if e := recover(); e != nil {
					t.Fatalf("panic %v on %q", e, c)
				}
			}()
			ParseScript(c, "x")
			ParseModule(c)
		}()
		n++
	}
	t.Logf("%d inputs", n)
}
