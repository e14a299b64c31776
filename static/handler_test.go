package static

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

var pathRE = regexp.MustCompile(`^/static/[0-9a-f]{12}/[^/]+$`)

func TestServeEmbedded(t *testing.T) {
	t.Parallel()
	a := New()
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)

	tests := []struct {
		name, ctype string
	}{
		{CSS, "text/css; charset=utf-8"},
		{HTMX, "text/javascript; charset=utf-8"},
		{App, "text/javascript; charset=utf-8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := a.Path(tt.name)
			if !pathRE.MatchString(p) || !strings.HasSuffix(p, "/"+tt.name) {
				t.Fatalf("Path(%q) = %q, want /static/{hash}/%s", tt.name, p, tt.name)
			}
			want := embedded(t, tt.name)

			// Ask for identity explicitly: the Go client would otherwise ask for gzip itself.
			res, body := get(t, srv.URL+p, "identity")
			if res.StatusCode != http.StatusOK {
				t.Fatalf("GET %s: status %d, want 200", p, res.StatusCode)
			}
			if !bytes.Equal(body, want) {
				t.Errorf("GET %s: body differs from the embedded file (%d bytes, want %d)", p, len(body), len(want))
			}
			for k, v := range map[string]string{
				"Content-Type":           tt.ctype,
				"Cache-Control":          "public, max-age=31536000, immutable",
				"X-Content-Type-Options": "nosniff",
				"Content-Encoding":       "",
			} {
				if got := res.Header.Get(k); got != v {
					t.Errorf("GET %s: %s = %q, want %q", p, k, got, v)
				}
			}
			if !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
				t.Errorf("GET %s: Vary = %q, want Accept-Encoding", p, res.Header.Get("Vary"))
			}
			if res.Header.Get("ETag") == "" {
				t.Errorf("GET %s: no ETag", p)
			}
		})
	}
}

func TestServeGzip(t *testing.T) {
	t.Parallel()
	a := New()
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	p := a.Path(HTMX)

	res, body := get(t, srv.URL+p, "br, gzip;q=0.8")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("GET %s with gzip: status %d, Content-Encoding %q; want 200 gzip", p, res.StatusCode, res.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(plain, embedded(t, HTMX)) {
		t.Error("gunzipped body differs from the embedded htmx")
	}
	if len(body) >= len(plain) {
		t.Errorf("gzip body %d bytes, plain %d: not smaller", len(body), len(plain))
	}

	res, _ = get(t, srv.URL+p, "gzip;q=0, identity")
	if got := res.Header.Get("Content-Encoding"); got != "" {
		t.Errorf("gzip;q=0: Content-Encoding = %q, want none", got)
	}
}

func TestAcceptsGzip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want bool
	}{
		{"", false},
		{"gzip", true},
		{"GZIP", true},
		{"deflate, gzip;q=1.0, *;q=0.5", true},
		{"br", false},
		{"gzip;q=0", false},
		{"gzip; q=0.000", false},
		{"*", true},
		{"*;q=0", false},
		{"gzip;q=0, *", false},
		{"x-gzip", true},
		{"gzip;q=nonsense", true},
	}
	for _, tt := range tests {
		if got := acceptsGzip([]string{tt.in}); got != tt.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestServeConditionalAndHead(t *testing.T) {
	t.Parallel()
	a := New()
	h := a.Handler()
	p := a.Path(CSS)

	rec := serve(h, http.MethodGet, p, nil)
	etag := rec.Header().Get("ETag")

	rec = serve(h, http.MethodGet, p, http.Header{"If-None-Match": {etag}})
	if rec.Code != http.StatusNotModified {
		t.Errorf("If-None-Match %s: status %d, want 304", etag, rec.Code)
	}

	rec = serve(h, http.MethodHead, p, nil)
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Errorf("HEAD: status %d with %d body bytes, want 200 and none", rec.Code, rec.Body.Len())
	}
	if rec.Header().Get("Content-Length") == "" {
		t.Error("HEAD: no Content-Length")
	}

	rec = serve(h, http.MethodPost, p, nil)
	if rec.Code != http.StatusMethodNotAllowed || rec.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: status %d, Allow %q; want 405 and GET, HEAD", rec.Code, rec.Header().Get("Allow"))
	}
}

func TestServeNotFound(t *testing.T) {
	t.Parallel()
	a := New()
	h := a.Handler()
	good := a.Path(CSS)
	hash := strings.Split(good, "/")[2]

	for _, p := range []string{
		"/static/",
		"/static/app.css",
		"/static/0123456789ab/app.css",
		"/static/" + hash + "/",
		"/static/" + hash + "/nope.css",
		"/static/" + hash + "/css/app.css",
		"/static/" + hash + "/../app.css",
		"/static//app.css",
		"/app.css",
		"/" + hash + "/app.css",
		a.Path("nope.css"),
		good + "/",
		strings.ToUpper(good),
	} {
		rec := serve(h, http.MethodGet, p, nil)
		if rec.Code != http.StatusNotFound {
			t.Errorf("GET %s: status %d, want 404", p, rec.Code)
		}
		if cc := rec.Header().Get("Cache-Control"); strings.Contains(cc, "immutable") {
			t.Errorf("GET %s: a 404 marked %q", p, cc)
		}
	}
}

// TestOldHashIsGone stands for a deploy: the file changes, the old URL 404s
// and the new one serves the new content.
func TestOldHashIsGone(t *testing.T) {
	t.Parallel()
	v1, err := NewFS(fstest.MapFS{"css/app.css": {Data: []byte("body{color:red}")}})
	if err != nil {
		t.Fatal(err)
	}
	v2, err := NewFS(fstest.MapFS{"css/app.css": {Data: []byte("body{color:blue}")}})
	if err != nil {
		t.Fatal(err)
	}
	if v1.Path(CSS) == v2.Path(CSS) {
		t.Fatalf("different content, same path %s", v1.Path(CSS))
	}
	if rec := serve(v2.Handler(), http.MethodGet, v1.Path(CSS), nil); rec.Code != http.StatusNotFound {
		t.Errorf("old hash: status %d, want 404", rec.Code)
	}
	rec := serve(v2.Handler(), http.MethodGet, v2.Path(CSS), nil)
	if rec.Code != http.StatusOK || rec.Body.String() != "body{color:blue}" {
		t.Errorf("new hash: status %d body %q", rec.Code, rec.Body.String())
	}
}

func TestNewFSRejectsDuplicateNames(t *testing.T) {
	t.Parallel()
	_, err := NewFS(fstest.MapFS{
		"a/app.css": {Data: []byte("a")},
		"b/app.css": {Data: []byte("b")},
	})
	if err == nil {
		t.Fatal("NewFS with two app.css: no error")
	}
}

func TestIntegrity(t *testing.T) {
	t.Parallel()
	a := New()
	if got := a.Integrity(HTMX); !regexp.MustCompile(`^sha384-[A-Za-z0-9+/]{64}$`).MatchString(got) {
		t.Errorf("Integrity(%q) = %q, want sha384-<base64>", HTMX, got)
	}
	if got := a.Integrity("nope.js"); got != "" {
		t.Errorf("Integrity of an unknown file = %q, want empty", got)
	}
}

func FuzzHandlerPath(f *testing.F) {
	a := New()
	h := a.Handler()
	valid := map[string]bool{a.Path(CSS): true, a.Path(HTMX): true, a.Path(App): true}
	for p := range valid {
		f.Add(p)
	}
	f.Add("/static/")
	f.Add("/static/x/../app.css")
	f.Fuzz(func(t *testing.T, p string) {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.URL.Path = p
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		switch {
		case valid[p] && rec.Code != http.StatusOK:
			t.Errorf("GET %q: status %d, want 200", p, rec.Code)
		case !valid[p] && rec.Code != http.StatusNotFound:
			t.Errorf("GET %q: status %d, want 404", p, rec.Code)
		}
	})
}

func embedded(t *testing.T, name string) []byte {
	t.Helper()
	for _, dir := range []string{"css/", "vendor/", "js/"} {
		if b, err := files.ReadFile(dir + name); err == nil {
			return b
		}
	}
	t.Fatalf("no embedded file %s", name)
	return nil
}

func get(t *testing.T, url, acceptEncoding string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Accept-Encoding", acceptEncoding)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

func serve(h http.Handler, method, path string, header http.Header) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, "/", nil)
	r.URL.Path = path
	for k, v := range header {
		r.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}
