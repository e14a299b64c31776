package static

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Handler serves the files at the URLs Path returns. Only the current hash
// of a file is served: an old or made-up hash is a 404, so a stale page can
// never be paired with a newer file under a URL cached for a year.
func (a *Assets) Handler() http.Handler {
	return http.HandlerFunc(a.serve)
}

func (a *Assets) serve(w http.ResponseWriter, r *http.Request) {
	f, ok := a.lookup(r.URL.Path)
	if !ok {
		w.Header().Set("Cache-Control", "no-cache")
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	body, etag := f.body, `"`+f.hash+`"`
	if f.gz != nil {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Values("Accept-Encoding")) {
			h.Set("Content-Encoding", "gzip")
			body, etag = f.gz, `"`+f.hash+`-gz"`
		}
	}
	h.Set("ETag", etag)
	// ServeContent answers HEAD, Range and If-None-Match; the zero time
	// leaves Last-Modified out, since the hash says more than a date.
	http.ServeContent(w, r, f.name, time.Time{}, bytes.NewReader(body))
}

// lookup maps "/static/{hash}/{name}" to the file, if hash is its current one.
func (a *Assets) lookup(p string) (*asset, bool) {
	rest, ok := strings.CutPrefix(p, Prefix)
	if !ok {
		return nil, false
	}
	hash, name, ok := strings.Cut(rest, "/")
	if !ok {
		return nil, false
	}
	f, ok := a.byName[name]
	if !ok || f.hash != hash {
		return nil, false
	}
	return f, true
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip: named,
// or covered by "*", with a q-value above zero.
func acceptsGzip(values []string) bool {
	star := false
	for _, v := range values {
		for part := range strings.SplitSeq(v, ",") {
			coding, params, _ := strings.Cut(part, ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			if coding != "gzip" && coding != "x-gzip" && coding != "*" {
				continue
			}
			ok := qAboveZero(params)
			if coding == "*" {
				star = ok
				continue
			}
			return ok
		}
	}
	return star
}

// qAboveZero reads the q parameter of one Accept-Encoding entry; a missing
// or unreadable q counts as 1, as RFC 9110 says.
func qAboveZero(params string) bool {
	for p := range strings.SplitSeq(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return true
		}
		return q > 0
	}
	return true
}
