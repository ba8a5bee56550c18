// Package schema holds the JSON Schema of `gcscope dump --json`
// (dump.schema.json, documented in docs/dump-json.md) and a validator for
// the subset of JSON Schema it uses, so tests need no network or library.
package schema

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// JSON is the schema document.
//
//go:embed dump.schema.json
var JSON []byte

// Validate checks a JSON document against the dump schema.
func Validate(doc []byte) error {
	return ValidateWith(JSON, doc)
}

// ValidateWith checks doc against schema. The keywords understood are
// type, properties, required, additionalProperties, items, enum, const,
// minimum, oneOf and $ref to "#/$defs/NAME"; any other keyword in the
// schema is an error, so the schema cannot silently rely on one.
func ValidateWith(schema, doc []byte) error {
	var s, v any
	if err := decode(schema, &s); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	if err := decode(doc, &v); err != nil {
		return fmt.Errorf("document: %w", err)
	}
	root, ok := s.(map[string]any)
	if !ok {
		return fmt.Errorf("schema: not an object")
	}
	c := &checker{root: root}
	c.check(root, v, "$")
	if len(c.errs) > 0 {
		if len(c.errs) > 10 {
			c.errs = append(c.errs[:10], fmt.Sprintf("... %d more", len(c.errs)-10))
		}
		return fmt.Errorf("%s", strings.Join(c.errs, "\n"))
	}
	return nil
}

func decode(b []byte, out *any) error {
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.UseNumber()
	if err := dec.Decode(out); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("trailing data after the JSON value")
	}
	return nil
}

type checker struct {
	root map[string]any
	errs []string
}

func (c *checker) fail(path, format string, args ...any) {
	c.errs = append(c.errs, path+": "+fmt.Sprintf(format, args...))
}

var known = map[string]bool{"type": true, "properties": true, "required": true, "additionalProperties": true,
	"items": true, "enum": true, "const": true, "minimum": true, "oneOf": true, "$ref": true,
	"$schema": true, "$id": true, "$defs": true, "title": true, "description": true}

// check validates v against schema s, appending problems.
func (c *checker) check(s map[string]any, v any, path string) {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !known[k] {
			c.fail(path, "schema uses keyword %q, which this validator does not implement", k)
		}
	}
	if ref, ok := s["$ref"].(string); ok {
		name, found := strings.CutPrefix(ref, "#/$defs/")
		defs, _ := c.root["$defs"].(map[string]any)
		target, ok := defs[name].(map[string]any)
		if !found || !ok {
			c.fail(path, "unresolvable $ref %q", ref)
			return
		}
		c.check(target, v, path)
	}
	if t, ok := s["type"]; ok && !c.typeOK(t, v) {
		c.fail(path, "is %s, want %v", typeOf(v), t)
		return
	}
	if e, ok := s["enum"].([]any); ok {
		match := false
		for _, x := range e {
			if equal(x, v) {
				match = true
			}
		}
		if !match {
			c.fail(path, "value %v is not one of %v", v, e)
		}
	}
	if x, ok := s["const"]; ok && !equal(x, v) {
		c.fail(path, "value %v, want %v", v, x)
	}
	if m, ok := s["minimum"].(json.Number); ok {
		if n, isNum := v.(json.Number); isNum {
			a, _ := n.Float64()
			b, _ := m.Float64()
			if a < b {
				c.fail(path, "%v is below the minimum %v", n, m)
			}
		}
	}
	if alts, ok := s["oneOf"].([]any); ok {
		n := 0
		for _, alt := range alts {
			sub := &checker{root: c.root}
			if as, ok := alt.(map[string]any); ok {
				sub.check(as, v, path)
			}
			if len(sub.errs) == 0 {
				n++
			}
		}
		if n != 1 {
			c.fail(path, "matches %d of the oneOf alternatives, want exactly 1", n)
		}
	}
	switch x := v.(type) {
	case map[string]any:
		c.object(s, x, path)
	case []any:
		if items, ok := s["items"].(map[string]any); ok {
			for i, e := range x {
				c.check(items, e, fmt.Sprintf("%s[%d]", path, i))
			}
		}
	}
}

func (c *checker) object(s map[string]any, x map[string]any, path string) {
	props, _ := s["properties"].(map[string]any)
	if req, ok := s["required"].([]any); ok {
		for _, r := range req {
			if name, _ := r.(string); name != "" {
				if _, ok := x[name]; !ok {
					c.fail(path, "missing required property %q", name)
				}
			}
		}
	}
	names := make([]string, 0, len(x))
	for k := range x {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		p := path + "." + k
		if ps, ok := props[k].(map[string]any); ok {
			c.check(ps, x[k], p)
			continue
		}
		switch ap := s["additionalProperties"].(type) {
		case bool:
			if !ap {
				c.fail(path, "unexpected property %q", k)
			}
		case map[string]any:
			c.check(ap, x[k], p)
		}
	}
}

func (c *checker) typeOK(t, v any) bool {
	switch tt := t.(type) {
	case string:
		return isType(tt, v)
	case []any:
		for _, x := range tt {
			if s, _ := x.(string); isType(s, v) {
				return true
			}
		}
	}
	return false
}

func isType(t string, v any) bool {
	switch t {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "null":
		return v == nil
	case "number":
		_, ok := v.(json.Number)
		return ok
	case "integer":
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		_, err := n.Int64()
		if err != nil {
			_, err = fmt.Sscan(string(n), new(uint64))
		}
		return err == nil && !strings.ContainsAny(string(n), ".eE")
	}
	return false
}

func typeOf(v any) string {
	switch x := v.(type) {
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	case json.Number:
		return "the number " + string(x)
	}
	return fmt.Sprintf("%T", v)
}

func equal(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}
