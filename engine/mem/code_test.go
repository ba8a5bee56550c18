package mem

import "testing"

func TestCodeSeal(t *testing.T) {
	c, err := NewCode(100, 10)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	text, ro := c.Text(), c.ReadOnly()
	if uint64(len(text)) != osPageSize || uint64(len(ro)) != osPageSize {
		t.Fatalf("sections %d and %d bytes", len(text), len(ro))
	}
	if c.ReadOnlyBase()-c.TextBase() != uintptr(osPageSize) {
		t.Fatal("data does not follow the text on the next page")
	}
	text[0], ro[0] = 0xC3, 7 // ret
	if err := c.Seal(); err != nil {
		t.Fatal(err)
	}
	if !c.Sealed() || c.Text()[0] != 0xC3 || c.ReadOnly()[0] != 7 {
		t.Fatal("sealed code unreadable or changed")
	}
	if err := c.Seal(); err != ErrSealed {
		t.Fatalf("second seal: %v", err)
	}
	if err := c.Close(); err != nil || c.Text() != nil || c.TextBase() != 0 || c.Seal() != ErrSealed {
		t.Fatal("closed code")
	}
}

func TestCodeEmptyData(t *testing.T) {
	c, err := NewCode(1, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if len(c.ReadOnly()) != 0 || c.Seal() != nil {
		t.Fatal("code without data")
	}
	if _, err := NewCode(^uint64(0), 1); err == nil {
		t.Fatal("huge code accepted")
	}
}
