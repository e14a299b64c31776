package contact

import "testing"

// Moodle's stored form of a plain-text message, in every escaping a Moodle version or a fake
// might use, matches the text sent; a different text does not.
func TestSameText(t *testing.T) {
	t.Parallel()
	sent := `Quote check: "Chapter 2" & don't <miss> it 🎉`
	for _, stored := range []string{
		`<p>Quote check: "Chapter 2" &amp; don't &lt;miss&gt; it 🎉</p>`, // Moodle 4.5, live
		`<p>Quote check: &#34;Chapter 2&#34; &amp; don&#39;t &lt;miss&gt; it 🎉</p>`,
		`Quote check: &quot;Chapter 2&quot; &amp; don&#039;t &lt;miss&gt; it &#x1F389;`, // s(), a note's content
		`<div class="text_to_html">Quote check: &#x22;Chapter 2&#x22; &#38; don&apos;t &lt;miss&gt; it &#127881;</div>`,
	} {
		if !sameText(stored, sent) {
			t.Errorf("sameText(%q) = false; want true (visible %q)", stored, visible(stored))
		}
	}
	for _, stored := range []string{
		`<p>Quote check: "Chapter 3" &amp; don't &lt;miss&gt; it 🎉</p>`,
		`<p>Quote check: "Chapter 2" &amp;amp; don't &lt;miss&gt; it 🎉</p>`,
		`<p>Quote check: "Chapter 2" &amp; don't <miss> it 🎉</p>`, // a tag, not the text
	} {
		if sameText(stored, sent) {
			t.Errorf("sameText(%q) = true; want false", stored)
		}
	}
	// Newlines become <br>, two spaces "&nbsp; ", and a numeric reference typed by the teacher
	// is shown by Moodle as its character.
	if !sameText("<p>Line one<br>\nline&nbsp; two &#123;x}</p>", "Line one\nline  two &#123;x}") {
		t.Error("newlines, double spaces or a typed numeric reference did not match")
	}
}
