package text

import (
	"strings"
	"testing"

	"github.com/gcscope/gcscope/engine/wasm"
)

func lexAll(t *testing.T, src string) ([]token, error) {
	t.Helper()
	lx := newLexer([]byte(src))
	var toks []token
	for {
		tok, err := lx.next()
		if err != nil {
			return toks, err
		}
		if tok.kind == tEOF {
			return toks, nil
		}
		toks = append(toks, tok)
	}
}

func TestStrings(t *testing.T) {
	tests := []struct{ src, want string }{
		{`"abc"`, "abc"},
		{`"\t\n\r\"\'\\"`, "\t\n\r\"'\\"},
		{`"\00\ff\7F"`, "\x00\xff\x7f"},
		{`"\u{41}\u{e9}\u{1F600}"`, "Aé😀"},
		{`"\u{10FFFF}"`, "\U0010FFFF"},
		{`"héllo"`, "héllo"},
		{`""`, ""},
	}
	for _, tc := range tests {
		toks, err := lexAll(t, tc.src)
		if err != nil || len(toks) != 1 || toks[0].kind != tString || toks[0].text != tc.want {
			t.Errorf("lex %s = %+v, %v; want string %q", tc.src, toks, err, tc.want)
		}
	}
	bad := []struct{ src, msg string }{
		{`"abc`, "unclosed string"},
		{"\"a\nb\"", "unclosed string"},
		{`"\q"`, "illegal escape"},
		{`"\u{D800}"`, "malformed UTF-8 encoding"},
		{`"\u{110000}"`, "malformed UTF-8 encoding"},
		{`"\u{}"`, "illegal escape"},
		{"\"a\x01\"", "illegal character"},
		{`"\f"`, "illegal escape"},
	}
	for _, tc := range bad {
		_, err := lexAll(t, tc.src)
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("lex %q: err %v, want %q", tc.src, err, tc.msg)
		}
	}
}

func TestTokens(t *testing.T) {
	toks, err := lexAll(t, "(func $f $\"quoted id\" i32.add 0x10 -1.5 offset=4 ;; line\n (; block (; nested ;) ;) nan:0x1 $l$l)")
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		kind tokKind
		text string
	}{
		{tLParen, ""}, {tKeyword, "func"}, {tID, "f"}, {tID, "quoted id"}, {tKeyword, "i32.add"},
		{tAtom, "0x10"}, {tAtom, "-1.5"}, {tKeyword, "offset=4"}, {tKeyword, "nan:0x1"}, {tID, "l$l"}, {tRParen, ""},
	}
	if len(toks) != len(want) {
		t.Fatalf("got %d tokens %+v, want %d", len(toks), toks, len(want))
	}
	for i, w := range want {
		if toks[i].kind != w.kind || toks[i].text != w.text {
			t.Errorf("token %d = %v %q, want %v %q", i, toks[i].kind, toks[i].text, w.kind, w.text)
		}
	}
	// Line 2 is " (; block (; nested ;) ;) nan:0x1": the comment spans
	// columns 2 to 25.
	if p := toks[len(toks)-3].pos; p != (wasm.Pos{Line: 2, Col: 27}) {
		t.Errorf("nan:0x1 at %v, want 2:27", p)
	}
}

func TestReservedAndIllegal(t *testing.T) {
	toks, err := lexAll(t, `$l"a" 0"a" "a""b" a,b`)
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range toks {
		if tok.kind != tReserved {
			t.Errorf("%q lexed as %v, want reserved", tok.text, tok.kind)
		}
	}
	for src, msg := range map[string]string{
		"(; unclosed": "unclosed comment",
		"$":           "empty identifier",
		`$""`:         "empty identifier",
		"(@)":         "empty annotation id",
		"\x80":        "malformed UTF-8 encoding",
		"é":           "illegal character",
		"\x01":        "illegal character",
	} {
		if _, err := lexAll(t, src); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("lex %q: err %v, want %q", src, err, msg)
		}
	}
}

func TestDeepNesting(t *testing.T) {
	deep := strings.Repeat("(nop ", maxDepth) + strings.Repeat(")", maxDepth)
	if _, err := ParseModule([]byte("(func " + deep + ")")); err == nil || !strings.Contains(err.Error(), "nested deeper") {
		t.Errorf("too deep: %v", err)
	}
	ok := "(func " + strings.Repeat("(nop ", 1000) + strings.Repeat(")", 1000) + ")"
	m, err := ParseModule([]byte(ok))
	if err != nil || len(m.Funcs[0].Body) != 1001 {
		t.Errorf("1000 nested nops: %v", err)
	}
}

func TestSexprErrors(t *testing.T) {
	for src, msg := range map[string]string{
		"(module":     "unexpected end",
		"(module))":   "unexpected token",
		"(@a (x)":     "unclosed annotation",
		"(module (@a": "unclosed annotation",
	} {
		if _, err := parseSexprs([]byte(src)); err == nil || !strings.Contains(err.Error(), msg) {
			t.Errorf("parse %q: err %v, want %q", src, err, msg)
		}
	}
}
