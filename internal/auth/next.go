package auth

import (
	"net/url"
	"strings"
)

// SafeNext returns next if it is a local path on this site, else "/". It refuses everything a
// browser could read as another host: "//host", "/\host", "https://host", backslashes,
// control characters, and encoded variants of them.
func SafeNext(next string) string {
	if next == "" || len(next) > 2048 {
		return "/"
	}
	// Decode repeatedly so that %2F%2F and %252F%252F are judged as what they become.
	decoded := next
	for range 3 {
		d, err := url.PathUnescape(decoded)
		if err != nil {
			return "/"
		}
		if d == decoded {
			break
		}
		decoded = d
	}
	for _, s := range []string{next, decoded} {
		if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.ContainsAny(s, "\\\x00\r\n\t") {
			return "/"
		}
		for _, r := range s {
			if r < 0x20 || r == 0x7f {
				return "/"
			}
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return "/"
	}
	return next
}
