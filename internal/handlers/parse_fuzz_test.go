package handlers

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParseID: any path segment is either a Moodle id (a positive integer, the one it spells)
// or a 400 whose sentence is valid UTF-8 and echoes at most a clipped part of the input.
func FuzzParseID(f *testing.F) {
	for _, seed := range []string{"2", "abc", "-1", "0", "99999999999999999999", "1.5", "", "+7", " 3", "0x10", "٣", "\xff", "<script>alert(1)</script>"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, v string) {
		id, err := parseID(v, "course")
		if err == nil {
			if n, perr := strconv.ParseInt(v, 10, 64); perr != nil || n != id || id <= 0 {
				t.Fatalf("parseID(%q) = %d, want a positive integer it spells", v, id)
			}
			return
		}
		var he *httpError
		if !errors.As(err, &he) || he.Status != http.StatusBadRequest {
			t.Fatalf("parseID(%q) error %#v, want a 400 *httpError", v, err)
		}
		if !utf8.ValidString(he.Message) || !strings.Contains(he.Message, "course number") {
			t.Fatalf("parseID(%q) sentence %q is not a readable sentence about the course number", v, he.Message)
		}
		if n := utf8.RuneCountInString(he.Message); n > 160 {
			t.Fatalf("parseID(%q) sentence is %d runes: the input is not clipped", v, n)
		}
	})
}
