// Package static serves the dashboard's CSS and its pinned htmx from the
// binary itself, each under a URL that carries a hash of the file's content.
//
// A URL that changes whenever the content changes lets browsers and proxies
// keep every file for a year without ever showing a teacher a stale
// stylesheet after a deploy: the new page simply names a new URL. The files
// are embedded so the server is one binary with nothing to copy beside it.
package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"crypto/sha512"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"
)

// Names of the embedded files, for templates: static.Path(static.CSS).
// Constants rather than string literals at call sites, so a typo fails to
// compile instead of rendering a link that 404s.
const (
	CSS  = "app.css"
	HTMX = "htmx.min.js"
	// App is the dashboard's own script: it only tells the server scripts run (a cookie),
	// so cohort pages may arrive in parts.
	App = "kts.js"
)

// Prefix is the URL path under which Handler serves; routers mount the
// handler at Prefix + "*".
const Prefix = "/static/"

// files holds the assets compiled into the binary. embed only works on a
// package-level variable; it is read-only and set by the compiler, not at
// run time.
//
//go:embed css/*.css vendor/*.js js/*.js
var files embed.FS

// Assets is the set of embedded files with their content hashes. It is
// immutable once built, so one value is shared by all requests.
type Assets struct {
	byName map[string]*asset
}

// asset is one file, prepared once so serving it costs no work per request.
type asset struct {
	name      string
	body      []byte
	gz        []byte // nil when compressing does not pay
	hash      string
	ctype     string
	integrity string
}

// New returns the assets embedded in the binary. It panics only if the
// embedded files are unusable, which is a broken build, not a run-time
// condition (the same contract as template.Must).
func New() *Assets {
	a, err := NewFS(files)
	if err != nil {
		panic("static: embedded assets: " + err.Error())
	}
	return a
}

// NewFS builds Assets from every regular file in fsys, named by base name.
// It exists so tests can serve a small fstest.MapFS; two files with the same
// base name are an error because Path could not tell them apart.
func NewFS(fsys fs.FS) (*Assets, error) {
	a := &Assets{byName: make(map[string]*asset)}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		name := path.Base(p)
		if _, dup := a.byName[name]; dup {
			return fmt.Errorf("two files named %q", name)
		}
		a.byName[name] = newAsset(name, body)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

func newAsset(name string, body []byte) *asset {
	sum := sha256.Sum256(body)
	sri := sha512.Sum384(body)
	return &asset{
		name:      name,
		body:      body,
		gz:        compress(body),
		hash:      hex.EncodeToString(sum[:6]),
		ctype:     contentType(name),
		integrity: "sha384-" + base64.StdEncoding.EncodeToString(sri[:]),
	}
}

// Path returns the URL of the named file under its current content hash,
// for href and src attributes. An unknown name yields a URL that 404s, so a
// mistake shows up as a missing stylesheet in tests rather than a crash
// halfway through rendering a page.
func (a *Assets) Path(name string) string {
	f, ok := a.byName[name]
	if !ok {
		return Prefix + "missing/" + name
	}
	return Prefix + f.hash + "/" + f.name
}

// Integrity returns the Subresource Integrity value ("sha384-...") of the
// named file, for the integrity attribute of a script or link tag, or "" for
// an unknown name. It lets the browser refuse a file altered in transit or by
// a cache between the server and the teacher.
func (a *Assets) Integrity(name string) string {
	f, ok := a.byName[name]
	if !ok {
		return ""
	}
	return f.integrity
}

// contentType is fixed for the types we ship so the answer does not depend
// on the host's /etc/mime.types; anything else falls back to the mime table.
func contentType(name string) string {
	switch ext := strings.ToLower(path.Ext(name)); ext {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js", ".mjs":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	default:
		if t := mime.TypeByExtension(ext); t != "" {
			return t
		}
		return "application/octet-stream"
	}
}

// compress gzips body once at start-up, or returns nil when that saves less
// than a tenth: htmx shrinks from about 50 kB to 16 kB, which matters on a
// school's network.
func compress(body []byte) []byte {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil
	}
	if _, err := zw.Write(body); err != nil {
		return nil
	}
	if err := zw.Close(); err != nil {
		return nil
	}
	if buf.Len() > len(body)*9/10 {
		return nil
	}
	return buf.Bytes()
}
