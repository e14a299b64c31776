package views

import (
	"strings"

	xhtml "golang.org/x/net/html"
)

// StripTags turns Moodle's HTML (feedback, messages, criteria links) into plain text. templ
// then escapes it, so nothing Moodle holds can run in the dashboard's pages.
func StripTags(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	z := xhtml.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	for {
		switch z.Next() {
		case xhtml.ErrorToken:
			return strings.TrimSpace(collapse(b.String()))
		case xhtml.TextToken:
			b.Write(z.Text())
		case xhtml.StartTagToken, xhtml.EndTagToken, xhtml.SelfClosingTagToken:
			tt := z.Token()
			switch tt.Data {
			case "br", "p", "div", "li", "tr":
				b.WriteByte(' ')
			case "script", "style":
				if tt.Type == xhtml.StartTagToken && z.Next() == xhtml.TextToken {
					continue // drop the contents of scripts and styles
				}
			}
		}
	}
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }
