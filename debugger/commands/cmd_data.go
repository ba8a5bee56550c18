package commands

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"

	"github.com/gcscope/gcscope/debugger"
	"github.com/gcscope/gcscope/engine/wasm"
)

func init() {
	register(
		&Command{Name: "print", Aliases: []string{"p", "eval"}, Group: "data", Completes: "expr", formats: true,
			Usage: "print[/x|/d] EXPR", Summary: "show a value: a local, global, field, element or expression",
			Help: "Evaluates EXPR in the selected frame and shows its declared type and value; a struct\n" +
				"shows its fields one level deep, an array its first elements. Paths go through\n" +
				"objects: node.left.value, arr[3], arr[2:6] (a range), arr.length, $local0 (locals\n" +
				"by number), $global0, $stack[0] (the operand stack's bottom; $stack[-1] its top).\nOperators: == != < <= > >= && || ! + - * / %. /x prints\n" +
				"integers in hex.\nExamples: p $n   print $t.left.right   p/x $i * 4   print $shapes[0:3]",
			run: cmdPrint},
		&Command{Name: "inspect", Aliases: []string{"explore"}, Group: "data", Completes: "expr",
			Usage: "inspect EXPR", Summary: "show an object field by field",
			Help: "Like print, but lists a struct's fields (with types and mutability) or an array's\nelements one per line.\nExample: inspect $s",
			run:  cmdInspect},
		&Command{Name: "set", Group: "data", Completes: "expr",
			Usage: "set [var] PATH = EXPR", Summary: "change a local, global, field, element or operand",
			Help: "Assigns to a local, a mutable global, a mutable struct field or array element, or a\n" +
				"number on the stopped frame's operand stack ($stack[i]; in AOT debug builds those of\n" +
				"the innermost block). Numbers convert to the place's type; a reference place takes\n" +
				"null (if nullable) or a reference of a matching type.\n" +
				"Examples: set $n = 3   set var $list.head = 10   set $t.left = null   set $stack[-1] = 0\n" +
				"set scheduler-locking off|step|on: which threads run on a resume: off (the default),\n" +
				"every thread, for step, next, finish, stepi and until too (the step ends where the\n" +
				"selected thread gets to); step, only the selected thread for step, next, finish,\n" +
				"stepi and until, every thread for continue; on, only the selected thread, for continue\n" +
				"too (the others stay stopped). set scheduler-locking alone shows the mode.",
			run: cmdSet},
		&Command{Name: "globals", Group: "data", noArgs: true, Usage: "globals", Summary: "show the globals",
			Help: "Lists the module's globals with their types and values.",
			run:  cmdGlobals},
		&Command{Name: "tables", Group: "data", Usage: "tables [FIRST [COUNT]]", Summary: "show the tables and their elements",
			Help: "Lists the tables with their type and size, and COUNT elements (default 8) from FIRST.\nExample: tables 0 16",
			run:  cmdTables},
		&Command{Name: "x", Repeats: true, Aliases: []string{"examine", "memory"}, Group: "data", formats: true, Completes: "expr",
			Usage: "x[/NFU] ADDR", Summary: "examine linear memory",
			Help: "Shows N units of memory 0 from ADDR (an expression). F is the format: x (hex, the\n" +
				"default), d (signed), u (unsigned), c (characters); U the unit size: b (1 byte),\n" +
				"h (2), w (4, the default), g (8). The last format is kept.\nExamples: x/16xb 0   x/4dw $ptr   x/8c 1024",
			run: cmdExamine},
	)
}

func cmdPrint(c *Console, k *call) error {
	if k.args == "" {
		return fmt.Errorf("usage: print EXPR (%s)", "e.g. print $n, print node.left.value")
	}
	hex := false
	switch k.format {
	case "", "d":
	case "x":
		hex = true
	default:
		return fmt.Errorf("print/%s: the formats are /x (hex) and /d (decimal)", k.format)
	}
	r, err := c.S.Eval(k.args, 1)
	if err != nil {
		return err
	}
	text := r.Text
	if hex {
		switch r.Value.Type.Kind {
		case wasm.KindI32:
			text = fmt.Sprintf("0x%x", uint32(r.Value.Bits))
		case wasm.KindI64:
			text = fmt.Sprintf("0x%x", r.Value.Bits)
		}
	}
	if r.Type != "" {
		c.printf("%s: %s = %s\n", r.Expr, r.Type, text)
	} else {
		c.printf("%s = %s\n", r.Expr, text)
	}
	return nil
}

func cmdInspect(c *Console, k *call) error {
	if k.args == "" {
		return fmt.Errorf("usage: inspect EXPR")
	}
	r, err := c.S.Eval(k.args, 0)
	if err != nil {
		return err
	}
	if r.Type != "" {
		c.printf("%s: %s = %s\n", r.Expr, r.Type, r.Text)
	} else {
		c.printf("%s = %s\n", r.Expr, r.Text)
	}
	for _, l := range r.Lines {
		c.printf("  %s\n", l)
	}
	return nil
}

func cmdSet(c *Console, k *call) error {
	args := strings.TrimSpace(strings.TrimPrefix(k.args, "var "))
	if mode, ok := strings.CutPrefix(args, "scheduler-locking"); ok && !strings.Contains(mode, "=") {
		mode = strings.TrimSpace(mode)
		if mode == "" {
			c.printf("scheduler-locking is %s\n", c.S.GetLocking())
			return nil
		}
		if err := c.S.SetLocking(debugger.Locking(mode)); err != nil {
			return err
		}
		c.printf("scheduler-locking is %s\n", mode)
		return nil
	}
	if args == "" {
		return fmt.Errorf("usage: set [var] PATH = EXPR")
	}
	r, err := c.S.Set(args)
	if err != nil {
		return err
	}
	c.printf("%s: %s = %s\n", r.Expr, r.Type, r.Text)
	return nil
}

func cmdGlobals(c *Console, _ *call) error {
	gs, err := c.S.Globals()
	if err != nil {
		return err
	}
	if len(gs) == 0 {
		c.printf("No globals.\n")
	}
	for _, g := range gs {
		mut := ""
		if g.Mutable {
			mut = "mut "
		}
		c.printf("%s: %s%s = %s\n", g.Name, mut, g.Type, g.Text)
	}
	return nil
}

func cmdTables(c *Console, k *call) error {
	first, count := uint64(0), uint64(8)
	f := strings.Fields(k.args)
	if len(f) > 2 {
		return fmt.Errorf("usage: tables [FIRST [COUNT]]")
	}
	for i, s := range f {
		n, err := strconv.ParseUint(s, 0, 32)
		if err != nil {
			return fmt.Errorf("%q is not a number (usage: tables [FIRST [COUNT]])", s)
		}
		if i == 0 {
			first = n
		} else {
			count = n
		}
	}
	ts, err := c.S.Tables(first, count)
	if err != nil {
		return err
	}
	if len(ts) == 0 {
		c.printf("No tables.\n")
	}
	for _, t := range ts {
		c.printf("%s: %s, size %d\n", t.Name, t.Type, t.Size)
		for i, e := range t.Elems {
			c.printf("  [%d] %s\n", t.First+uint64(i), e)
		}
	}
	return nil
}

// xFormat is the x command's N, F and U.
type xFormat struct {
	count  int
	format byte
	size   int
}

func parseX(s string, last xFormat) (xFormat, error) {
	f := last
	f.count = 1
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 {
		n, err := strconv.Atoi(s[:i])
		if err != nil || n <= 0 || n > 4096 {
			return f, fmt.Errorf("x/%s: the count must be 1 to 4096", s)
		}
		f.count = n
	}
	for _, ch := range []byte(s[i:]) {
		switch ch {
		case 'x', 'd', 'u', 'c':
			f.format = ch
		case 'b':
			f.size = 1
		case 'h':
			f.size = 2
		case 'w':
			f.size = 4
		case 'g':
			f.size = 8
		default:
			return f, fmt.Errorf("x/%s: unknown letter %q: formats are x d u c, sizes b h w g (e.g. x/16xb ADDR)", s, ch)
		}
	}
	if f.format == 'c' {
		f.size = 1
	}
	return f, nil
}

func cmdExamine(c *Console, k *call) error {
	f, err := parseX(k.format, c.lastX)
	if err != nil {
		return err
	}
	if k.args == "" {
		return fmt.Errorf("usage: x[/NFU] ADDR, e.g. x/16xb 0")
	}
	addr, err := c.S.EvalInt(k.args)
	if err != nil {
		return err
	}
	if addr < 0 {
		return fmt.Errorf("address %d is negative", addr)
	}
	b, err := c.S.ReadMemory(0, uint64(addr), uint64(f.count*f.size))
	if err != nil {
		return err
	}
	c.lastX = f
	perLine := 16 / f.size
	if f.format == 'd' || f.format == 'u' {
		perLine = 8 / f.size
		if perLine < 1 {
			perLine = 1
		}
	}
	for i := 0; i < f.count; i++ {
		if i%perLine == 0 {
			if i > 0 {
				c.printf("\n")
			}
			c.printf("0x%08x:", uint64(addr)+uint64(i*f.size))
		}
		c.printf(" %s", unit(b[i*f.size:(i+1)*f.size], f))
	}
	c.printf("\n")
	return nil
}

func unit(b []byte, f xFormat) string {
	var u uint64
	switch f.size {
	case 1:
		u = uint64(b[0])
	case 2:
		u = uint64(binary.LittleEndian.Uint16(b))
	case 4:
		u = uint64(binary.LittleEndian.Uint32(b))
	default:
		u = binary.LittleEndian.Uint64(b)
	}
	switch f.format {
	case 'd':
		shift := 64 - 8*f.size
		return strconv.FormatInt(int64(u<<shift)>>shift, 10)
	case 'u':
		return strconv.FormatUint(u, 10)
	case 'c':
		return strconv.QuoteRune(rune(b[0]))
	}
	return fmt.Sprintf("0x%0*x", 2*f.size, u)
}
