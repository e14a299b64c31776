package auth

import (
	"strings"
	"unicode"
)

// MaxUsername is the longest username Moodle stores (user.username is varchar(100)); a
// sign-in form with a longer one is refused before it costs anything.
const MaxUsername = 100

// CanonicalUsername is the account Moodle's login/token.php signs in for a typed username:
// clean_param($username, PARAM_USERNAME) with $CFG->extendedusernamechars off (the default),
// then trim(core_text::strtolower()). PARAM_USERNAME drops invalid UTF-8 and NUL bytes,
// trims, lower-cases with mb_strtolower, removes spaces and then every byte that is not
// [-.@_a-z0-9]. So "Kts.Tutor?", "kts.tuto r" and "kts.tutor#" are all the account
// "kts.tutor", and sign-in throttling must count them as one.
//
// Only ASCII survives Moodle's filter, so lower-casing matters only for the letters whose
// lower case is ASCII: U+0130 (İ, "i̇" in mb_strtolower, whose combining dot is then
// dropped) and U+212A (Kelvin sign, "k"). unicode.ToLower maps both the same way.
//
// On a site with extendedusernamechars on, Moodle keeps more characters than this; the
// throttle then folds a few distinct accounts into one bucket (stricter, never looser).
func CanonicalUsername(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r = unicode.ToLower(r); {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '.', r == '@', r == '_':
			b.WriteRune(r)
		}
	}
	return b.String()
}
