package commands

import (
	"github.com/gcscope/gcscope/debugger"
	"github.com/gcscope/gcscope/engine/binary"
)

func init() {
	register(
		&Command{Name: "list", Repeats: true, Aliases: []string{"l", "ls"}, Group: "code", Completes: "func",
			Usage: "list [PLACE]", Summary: "show the WAT source around the current line or PLACE",
			Help: "Shows the source around the selected frame's line, or around PLACE (see break);\n" +
				"=> marks the current line, * a breakpoint. For a .wasm it shows the disassembly.\nExamples: list   list $check",
			run: func(c *Console, k *call) error {
				l, err := c.S.List(k.args, c.Radius)
				if err != nil {
					return err
				}
				c.showListing(l)
				return nil
			}},
		&Command{Name: "disassemble", Aliases: []string{"disas", "disass"}, Group: "code", Completes: "func",
			Usage: "disassemble [PLACE]", Summary: "show the module as WAT around the current instruction",
			Help: "Prints the module as flat WAT (one instruction a line, names from the name section)\n" +
				"around the selected frame's instruction or PLACE; => marks the current instruction,\n* a breakpoint.\nExamples: disas   disassemble $make",
			run: func(c *Console, k *call) error {
				l, err := c.S.Disassemble(k.args, c.Radius)
				if err != nil {
					return err
				}
				c.showListing(l)
				return nil
			}},
		&Command{Name: "sections", Group: "code", noArgs: true, Usage: "sections", Summary: "list the module's sections",
			Help: "Lists the sections of the module's binary form with their offsets and sizes.",
			run: func(c *Console, k *call) error {
				secs, err := binary.Sections(c.S.Module().Binary)
				if err != nil {
					return err
				}
				for _, s := range secs {
					c.printf("%-10s offset 0x%06x size %d\n", s.Name, s.Offset, s.Size)
				}
				return nil
			}},
	)
}

func (c *Console) showListing(l *debugger.Listing) {
	if len(l.Lines) == 0 {
		c.printf("No lines there.\n")
		return
	}
	for _, line := range l.Lines {
		mark := "  "
		if line.Current {
			mark = "=>"
		}
		bp := " "
		if line.Breakpoint {
			bp = "*"
		}
		c.printf("%s%s%5d\t%s\n", mark, bp, line.Line, line.Text)
	}
}
