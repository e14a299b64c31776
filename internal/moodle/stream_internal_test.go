package moodle

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// TestSpaceRunsKeepJSON: what the decoder reads has no run of white space longer than one byte
// outside strings (so its cost is linear in the reply), while strings, white space inside them
// and escaped quotes pass unchanged, whatever the reads' sizes.
func TestSpaceRunsKeepJSON(t *testing.T) {
	t.Parallel()
	in := "[ \n\t {\"a\" :  \"x  \\\"  y\\\\\" ,\r\n\"b\":[1 ,  2]}   ,\n\n\"  \"  ]" + strings.Repeat(" ", 5000)
	for name, r := range map[string]func() io.Reader{
		"whole":       func() io.Reader { return strings.NewReader(in) },
		"byte a read": func() io.Reader { return iotest.OneByteReader(strings.NewReader(in)) },
	} {
		out, err := io.ReadAll(&spaceRuns{r: r()})
		if err != nil {
			t.Fatal(err)
		}
		var want, got any
		if err := json.Unmarshal([]byte(in), &want); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("%s: %q no longer JSON: %v", name, out, err)
		}
		if w, g := mustJSON(t, want), mustJSON(t, got); w != g {
			t.Errorf("%s: meaning changed: %s, want %s", name, g, w)
		}
		if !bytes.Contains(out, []byte(`"x  \"  y\\"`)) || !bytes.Contains(out, []byte(`"  "`)) {
			t.Errorf("%s: a string lost its spaces: %q", name, out)
		}
		outside := out
		for _, s := range []string{`"x  \"  y\\"`, `"  "`} {
			outside = bytes.ReplaceAll(outside, []byte(s), []byte("S"))
		}
		for _, run := range []string{"  ", " \n", "\n\n", "\t ", "\r\n", "\n\t"} {
			if bytes.Contains(outside, []byte(run)) {
				t.Errorf("%s: a run of white space %q outside strings passed: %q", name, run, out)
			}
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
