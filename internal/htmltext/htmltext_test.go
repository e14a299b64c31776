package htmltext

import "testing"

func TestTextLeavesNoMarkup(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		`<p>Excellent <b>work</b></p>`:                  "Excellent work",
		`<script>alert(1)</script>Hi`:                   "Hi",
		`<img src=x onerror=alert(1)>Note`:              "Note",
		`a &amp; b &lt;c&gt;`:                           "a & b <c>",
		`<a href="http://x/mod/assign/view.php">A1</a>`: "A1",
		// A formatted grade of an activity with a pass grade (Moodle 4.5's reply).
		`<i class="icon fa fa-check text-success fa-fw inline"  title="Pass" role="img" aria-label="Pass"></i>77.00`: "77.00",
		` 8.50 &#37; `: "8.50 %",
	}
	for in, want := range tests {
		if got := Text(in); got != want {
			t.Errorf("Text(%q) = %q; want %q", in, got, want)
		}
	}
}
