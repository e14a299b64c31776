package cohort

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// fold returns s in the form searches and name sorting compare: lower case, Latin diacritics
// removed ("Zoë Nguyễn" → "zoe nguyen"), combining marks dropped, so a teacher who types
// "zoe" or "lukasz" finds Zoë and Łukasz whatever keyboard they have.
func fold(s string) string {
	if isASCII(s) {
		return strings.ToLower(s)
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if f, ok := foldLatin(r); ok {
			b.WriteString(f)
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
