package contact

import (
	"html"
	"regexp"
	"strconv"
	"strings"
	"time"

	xhtml "golang.org/x/net/html"
)

// visible is the text a reader sees in what Moodle returns: tags dropped (Moodle wraps plain
// text in <p>, turns newlines into <br>), every entity decoded whatever its form (&amp;,
// &#38;, &#x26;, &quot;, &#34;, &#039;, &nbsp;), whitespace runs as one space. Matching on it
// does not depend on how a Moodle version (or the demo) happens to escape.
func visible(moodleHTML string) string {
	var b strings.Builder
	z := xhtml.NewTokenizer(strings.NewReader(moodleHTML))
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return squash(b.String())
		case xhtml.TextToken:
			b.Write(z.Text()) // the tokenizer decodes entities
		case xhtml.StartTagToken, xhtml.EndTagToken, xhtml.SelfClosingTagToken:
			b.WriteByte(' ')
		}
	}
}

// numericRef is a numeric character reference typed by the teacher: Moodle's s() leaves those
// unescaped, so Moodle shows the character, not the reference.
var numericRef = regexp.MustCompile(`(?i)&#(\d+|x[0-9a-f]+);`)

// sentText is the text a reader sees of plain text the dashboard sent.
func sentText(plain string) string {
	return squash(numericRef.ReplaceAllStringFunc(plain, html.UnescapeString))
}

func squash(s string) string {
	return strings.Join(strings.Fields(strings.ReplaceAll(s, "\u00a0", " ")), " ")
}

// sameText reports whether Moodle's stored text is the plain text the dashboard sent.
func sameText(moodleHTML, plain string) bool { return visible(moodleHTML) == sentText(plain) }

// clockSkew is how much earlier than the write began a match may be dated in Moodle (its
// clock and the dashboard's differ; Moodle's times are in seconds).
const clockSkew = 2 * time.Minute

func itoa(n int) string { return strconv.Itoa(n) }
