package auth

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// moodleUsername is PARAM_USERNAME as PHP runs it, byte by byte: fix_utf8 drops invalid
// sequences, mb_strtolower lowers (only İ and the Kelvin sign become ASCII), and the
// byte-wise preg_replace keeps [-.@_a-z0-9].
func moodleUsername(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.NewReplacer("\u0130", "i\u0307", "\u212A", "k").Replace(s)
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '@' || c == '_' {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// FuzzCanonicalUsername: the throttle's account is the one Moodle would sign in, for any
// typed text; it is stable and never longer than what was typed.
func FuzzCanonicalUsername(f *testing.F) {
	for _, s := range []string{"kts.tutor", "Kts.Tutor?", "kts.tuto r", "\u212Ats.tutor", "\u0130nes", "ﬀ", "a\xffb", "\x00", "tutör", strings.Repeat("A", 200)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := CanonicalUsername(s)
		if want := moodleUsername(s); got != want {
			t.Fatalf("CanonicalUsername(%q) = %q; Moodle signs in %q", s, got, want)
		}
		if again := CanonicalUsername(got); again != got {
			t.Fatalf("not stable: %q then %q", got, again)
		}
		if len(got) > len(s) || !utf8.ValidString(got) {
			t.Fatalf("CanonicalUsername(%q) = %q: longer than the input or not UTF-8", s, got)
		}
	})
}
