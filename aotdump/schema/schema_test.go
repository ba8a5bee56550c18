package schema

import "testing"

func TestValidateWith(t *testing.T) {
	s := []byte(`{"type":"object","required":["a"],"additionalProperties":false,
		"properties":{"a":{"$ref":"#/$defs/n"},"b":{"oneOf":[{"type":"string"},{"enum":[1,2]}]},
		"c":{"type":"array","items":{"type":"boolean"}},"d":{"type":"object","additionalProperties":{"type":"string"}}},
		"$defs":{"n":{"type":"integer","minimum":0}}}`)
	for doc, ok := range map[string]bool{
		`{"a":1}`:                    true,
		`{"a":1,"b":"x","c":[true]}`: true,
		`{"a":1,"b":2}`:              true,
		`{"a":1,"d":{"k":"v"}}`:      true,
		`{}`:                         false,
		`{"a":-1}`:                   false,
		`{"a":1.5}`:                  false,
		`{"a":1,"b":3}`:              false,
		`{"a":1,"c":[1]}`:            false,
		`{"a":1,"d":{"k":1}}`:        false,
		`{"a":1,"z":0}`:              false,
		`{"a":1} {}`:                 false,
		`[`:                          false,
	} {
		if err := ValidateWith(s, []byte(doc)); (err == nil) != ok {
			t.Errorf("%s: error %v, want ok=%v", doc, err, ok)
		}
	}
	if err := ValidateWith([]byte(`{"pattern":"x"}`), []byte(`"s"`)); err == nil {
		t.Error("an unimplemented keyword was ignored")
	}
	if err := ValidateWith([]byte(`{"$ref":"#/$defs/missing"}`), []byte(`1`)); err == nil {
		t.Error("an unresolvable $ref was accepted")
	}
}
