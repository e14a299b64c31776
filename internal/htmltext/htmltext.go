// Package htmltext turns the HTML Moodle sends (feedback, notes, messages, criteria, formatted
// grades) into the plain text the dashboard shows. It is the one tag stripper, on
// golang.org/x/net/html's tokenizer, and a leaf package, so the code that translates Moodle's
// replies (the handlers, the domain's intake) can use it without the views or the domain
// importing the Moodle client.
package htmltext

import (
	"strings"

	xhtml "golang.org/x/net/html"
)

// Text is s with its tags dropped, its entities decoded and its whitespace runs as one space.
// A block element (p, div, li, tr, br) separates words; scripts and styles are dropped whole.
// templ escapes the result, so nothing Moodle holds can run in the dashboard's pages.
func Text(s string) string {
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
