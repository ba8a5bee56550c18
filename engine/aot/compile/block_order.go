package compile

import "github.com/llir/llvm/ir"

// reversePostorder numbers the blocks reachable from entry.
func reversePostorder(entry *ir.Block) ([]*ir.Block, map[*ir.Block]int) {
	type item struct {
		b    *ir.Block
		succ []*ir.Block
		next int
	}
	seen := map[*ir.Block]bool{entry: true}
	var post []*ir.Block
	succs := func(b *ir.Block) []*ir.Block {
		if b.Term == nil {
			return nil
		}
		return b.Term.Succs()
	}
	stack := []item{{b: entry, succ: succs(entry)}}
	for len(stack) > 0 {
		top := &stack[len(stack)-1]
		if top.next < len(top.succ) {
			s := top.succ[top.next]
			top.next++
			if !seen[s] {
				seen[s] = true
				stack = append(stack, item{b: s, succ: succs(s)})
			}
			continue
		}
		post = append(post, top.b)
		stack = stack[:len(stack)-1]
	}
	order := make([]*ir.Block, len(post))
	index := make(map[*ir.Block]int, len(post))
	for i := range post {
		b := post[len(post)-1-i]
		order[i] = b
		index[b] = i
	}
	return order, index
}
