package static

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"testing"
)

// TestColourContrast reads the colour tokens from app.css's :root and checks
// the pairs the stylesheet puts together: text at WCAG AA 4.5:1, control
// edges, focus rings and chart fills at 3:1 (WCAG 1.4.11). A colour changed
// in the CSS is checked here without anyone copying it into the test.
func TestColourContrast(t *testing.T) {
	t.Parallel()
	css, err := files.ReadFile("css/app.css")
	if err != nil {
		t.Fatal(err)
	}
	tokens := colourTokens(string(css))

	text := [][2]string{
		{"text", "bg"}, {"text", "bg-subtle"}, {"text", "bg-hover"},
		{"text-muted", "bg"}, {"text-muted", "bg-subtle"}, {"text-muted", "bg-hover"},
		{"accent", "bg"}, {"accent", "bg-subtle"}, {"accent", "bg-hover"},
		{"accent-strong", "bg"}, {"accent-strong", "bg-subtle"}, {"accent-strong", "bg-hover"},
		{"on-accent", "accent"}, {"on-accent", "accent-strong"},
		{"red-text", "red-bg"}, {"red-text", "bg"}, {"red-text", "bg-subtle"},
		{"on-accent", "red-solid"},
		{"amber-text", "amber-bg"},
		{"green-text", "green-bg"}, {"green-text", "bg"}, {"on-accent", "green-solid"},
		{"blue-text", "blue-bg"},
		{"purple-text", "purple-bg"},
		{"grey-text", "grey-bg"}, {"grey-text", "bg"},
		{"demo-text", "demo-bg"},
	}
	edges := [][2]string{
		{"border-strong", "bg"}, {"border-strong", "bg-subtle"},
		{"focus", "bg"}, {"focus", "bg-subtle"}, {"focus", "demo-bg"},
		{"red-border", "bg"},
		{"accent", "meter-track"}, {"amber-border", "meter-track"}, {"red-solid", "meter-track"},
		{"border-strong", "meter-track"},
		{"accent", "bg-subtle"}, {"chart-lag", "bg"}, {"chart-lag", "bg-subtle"},
	}
	check := func(pairs [][2]string, min float64) {
		for _, p := range pairs {
			fg, bg, err := lookup2(tokens, p[0], p[1])
			if err != nil {
				t.Error(err)
				continue
			}
			if r := contrast(fg, bg); r < min {
				t.Errorf("--%s on --%s: contrast %.2f:1, want at least %.1f:1", p[0], p[1], r, min)
			}
		}
	}
	check(text, 4.5)
	check(edges, 3)
}

var tokenRE = regexp.MustCompile(`--([a-z0-9-]+):\s*#([0-9a-fA-F]{6})\s*;`)

func colourTokens(css string) map[string]string {
	m := map[string]string{}
	for _, s := range tokenRE.FindAllStringSubmatch(css, -1) {
		m[s[1]] = s[2]
	}
	return m
}

func lookup2(tokens map[string]string, a, b string) (string, string, error) {
	x, ok := tokens[a]
	if !ok {
		return "", "", fmt.Errorf("no colour token --%s in app.css", a)
	}
	y, ok := tokens[b]
	if !ok {
		return "", "", fmt.Errorf("no colour token --%s in app.css", b)
	}
	return x, y, nil
}

// contrast is the WCAG 2 contrast ratio of two "rrggbb" colours.
func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(hex string) float64 {
	var c [3]float64
	for i := range c {
		v, _ := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
		s := float64(v) / 255
		if s <= 0.04045 {
			c[i] = s / 12.92
		} else {
			c[i] = math.Pow((s+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
}

func TestContrastFormula(t *testing.T) {
	t.Parallel()
	if got := contrast("000000", "ffffff"); math.Abs(got-21) > 0.01 {
		t.Errorf("black on white = %.2f, want 21", got)
	}
	if got := contrast("767676", "ffffff"); math.Abs(got-4.54) > 0.01 {
		t.Errorf("#767676 on white = %.2f, want 4.54", got)
	}
}
