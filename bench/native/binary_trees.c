/* binary_trees.c: binary_trees.wat with a bump arena instead of a garbage
 * collector: every node comes from one array; a dropped tree is freed by
 * moving the bump pointer back (to 0 after the stretch tree, to just above
 * the long-lived tree after each short-lived one). This is the cheapest
 * memory management the program allows, the bound a GC can approach. */
#include <stdlib.h>

#include "programs.h"

typedef struct node {
	struct node *left, *right;
} node;

static node *arena;
static size_t arena_cap, arena_top;

/* make builds the children first, then the node, as struct.new takes its
 * operands (the children) from the stack. */
static node *make(int32_t depth) {
	node *l = NULL, *r = NULL;
	if (depth != 0) {
		depth--;
		l = make(depth);
		r = make(depth);
	}
	node *n = &arena[arena_top++];
	n->left = l;
	n->right = r;
	return n;
}

/* check counts nodes; a node has both children or none. */
static int32_t check(const node *t) {
	if (t->left == NULL) {
		return 1;
	}
	return check(t->left) + check(t->right) + 1;
}

int32_t bench_binary_trees(int32_t n) {
	int32_t max = n > 6 ? n : 6;
	/* The stretch tree, of depth max+1, is the largest live set. */
	size_t need = ((size_t)1 << (max + 2)) - 1;
	if (need > arena_cap) {
		node *a = realloc(arena, need * sizeof(node));
		if (a == NULL) {
			return -1;
		}
		arena = a;
		arena_cap = need;
	}
	arena_top = 0;
	int32_t total = check(make(max + 1));
	arena_top = 0;
	node *long_lived = make(max);
	size_t mark = arena_top;
	for (int32_t depth = 4; depth <= max; depth += 2) {
		int32_t iterations = 1 << (max - depth + 4);
		for (int32_t i = 0; i < iterations; i++) {
			total += check(make(depth));
			arena_top = mark;
		}
	}
	return total + check(long_lived);
}
