package aotdump

import (
	"testing"

	"github.com/gcscope/gcscope/aotdump/schema"
)

// validateAgainstSchema checks JSON output against schema/dump.schema.json.
func validateAgainstSchema(t *testing.T, js []byte) {
	t.Helper()
	if err := schema.Validate(js); err != nil {
		t.Errorf("JSON output does not match the schema:\n%v", err)
	}
}

// The validator must be able to fail.
func TestSchemaValidatorRejects(t *testing.T) {
	for _, bad := range []string{
		`{}`,
		`{"format":"gcscope-dump","version":1,"kind":"aot","file_size":1,"ok":true,"sections":[],"problems":[],"extra":1}`,
		`{"format":"gcscope-dump","version":2,"kind":"aot","file_size":1,"ok":true,"sections":[],"problems":[]}`,
		`{"format":"gcscope-dump","version":1,"kind":"elf","file_size":1,"ok":true,"sections":[],"problems":[]}`,
		`{"format":"gcscope-dump","version":1,"kind":"aot","file_size":-1,"ok":true,"sections":[],"problems":[]}`,
		`{"format":"gcscope-dump","version":1,"kind":"aot","file_size":1,"ok":true,"sections":[{"id":1}],"problems":[]}`,
		`{"format":"gcscope-dump","version":1,"kind":"aot","file_size":1,"ok":"yes","sections":[],"problems":[]}`,
		`{"format":"gcscope-dump","version":1,"kind":"aot","file_size":1.5,"ok":true,"sections":[],"problems":[]}`,
	} {
		if err := schema.Validate([]byte(bad)); err == nil {
			t.Errorf("schema accepted %s", bad)
		}
	}
	good := `{"format":"gcscope-dump","version":1,"kind":"aot","file_size":1,"ok":false,"sections":[],"problems":[{"offset":0,"message":"x"}]}`
	if err := schema.Validate([]byte(good)); err != nil {
		t.Errorf("schema rejected %s: %v", good, err)
	}
}
