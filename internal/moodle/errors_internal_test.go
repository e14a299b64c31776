package moodle

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestScrubKeepsTheChain: an error wrapped around Moodle's own, whose text held the token,
// still leads errors.As to the *Error (its page depends on it) and errors.Is to the
// sentinels, while no text of it, nor any field of the *Error it holds, keeps the token.
func TestScrubKeepsTheChain(t *testing.T) {
	t.Parallel()
	const token = "0123456789abcdef0123456789abcdef"
	for _, tt := range []struct {
		name string
		err  func() error
		want error
	}{
		{"wrapped Moodle error", func() error {
			me := &Error{Function: "core_webservice_get_site_info", Code: "accessexception", Message: "token " + token + " may not call this"}
			return fmt.Errorf("site info: %w", me)
		}, ErrAccessException},
		{"wrapped twice", func() error {
			me := &Error{Function: "f", Code: "nopermissions", Exception: "required_capability_exception", Message: "x"}
			return fmt.Errorf("with %s: %w", token, fmt.Errorf("inner: %w", me))
		}, ErrNoPermission},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := scrub(tt.err(), token)
			for _, text := range []string{s.Error(), fmt.Sprintf("%v", s), fmt.Sprintf("%+v", s)} {
				if strings.Contains(text, token) {
					t.Fatalf("scrubbed error shows the token: %s", text)
				}
			}
			var me *Error
			if !errors.As(s, &me) {
				t.Fatalf("errors.As found no *Error in %v", s)
			}
			if strings.Contains(me.Function+me.Exception+me.Code+me.Message+me.Error(), token) {
				t.Fatalf("the *Error under the scrubbed error keeps the token: %+v", *me)
			}
			if !errors.Is(s, tt.want) {
				t.Fatalf("errors.Is(%v, %v) = false", s, tt.want)
			}
		})
	}
}
