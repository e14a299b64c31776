package auth

import (
	"testing"
	"unicode"
)

func TestCanonicalUsernameFoldsAsMoodle(t *testing.T) {
	t.Parallel()
	// Each spelling is one that Moodle's PARAM_USERNAME turns into kts.tutor (probed against
	// the demo, which follows lib/classes/param.php).
	for _, in := range []string{
		"kts.tutor", "kts.tutor!", "Kts.Tutor?", "kts.tuto r", "kts.tutor#", "kts.tutor!!",
		" KTS.TUTOR\t", "kts\x00.tutor", "kts.tutor\xff", "ﬀkts.tutor",
		"\u212Ats.tutor", "kts.tuto\u0301r", "k\u200bts.tutor", "kts.t<u>tor",
	} {
		if got := CanonicalUsername(in); got != "kts.tutor" {
			t.Errorf("CanonicalUsername(%q) = %q; want kts.tutor", in, got)
		}
	}
	for in, want := range map[string]string{
		"\u0130nes": "ines", "tutör": "tutr", "a-b_c@d.e": "a-b_c@d.e", "!!!": "", "": "",
	} {
		if got := CanonicalUsername(in); got != want {
			t.Errorf("CanonicalUsername(%q) = %q; want %q", in, got, want)
		}
	}
}

// TestOnlyTwoNonASCIILettersLowerToASCII pins the reason CanonicalUsername can use Go's simple
// case mapping for mb_strtolower: the only runes whose lower case is ASCII are İ and the
// Kelvin sign, which full case mapping lowers to the same ASCII letter.
func TestOnlyTwoNonASCIILettersLowerToASCII(t *testing.T) {
	t.Parallel()
	var got []rune
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		if unicode.ToLower(r) < 0x80 {
			got = append(got, r)
		}
	}
	if len(got) != 2 || got[0] != 0x130 || got[1] != 0x212A {
		t.Errorf("runes lowering to ASCII: %U; want [U+0130 U+212A]", got)
	}
}
