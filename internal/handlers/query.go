package handlers

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/knowthystudents/kts/views"
)

// Every query and path parameter the dashboard reads is parsed here and in query_cohort.go;
// the addresses are built in views/paths.go, and paths_test.go checks that each parses back to
// itself.

// strictQuery answers a query string that does not parse (a ";" between pairs, a broken
// %-escape) with a 400 and a sentence, before any handler reads it. URL.Query drops such
// pairs silently: "?userid=6;x" on the compose form lost its userid and so addressed every
// student shown. Every route behind the session reads its query through here.
func (s *server) strictQuery(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := url.ParseQuery(r.URL.RawQuery); err != nil {
			s.fail(w, r, errMalformedQuery)
			return
		}
		next.ServeHTTP(w, r)
	})
}

var errMalformedQuery = badRequest("The part of this address after the “?” cannot be read: its parts must be joined with “&” (not “;”) and each written as name=value.")

// parseForm reads a posted form strictly: a body over the limit is a 413, a body that does
// not parse a 400, never a form with pairs quietly missing.
func parseForm(r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return formError(err)
	}
	return nil
}

// parseID reads a Moodle id from a URL: a positive whole number that fits in 63 bits.
func parseID(v, what string) (int64, error) {
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil || id <= 0 {
		if v == "" {
			return 0, badRequest("The " + what + " number is missing from this address.")
		}
		return 0, badRequest("“" + clip(v, 40) + "” is not a valid " + what + " number: it must be a whole number above zero.")
	}
	return id, nil
}

// parsePage reads the page parameter: a whole number from 1; a page past the last shows the
// last.
func parsePage(v url.Values) (int, error) {
	vals, ok := v[views.ParamPage]
	if !ok {
		return 1, nil
	}
	if len(vals) != 1 {
		return 0, badRequest("The page was given more than once; give it once.")
	}
	n, err := strconv.Atoi(vals[0])
	if err != nil || n < 1 {
		return 0, badRequest("The page must be a whole number from 1, like page=2.")
	}
	return n, nil
}

// parseVersion reads the data version a page that fills itself in polls after.
func parseVersion(v url.Values) (uint64, error) {
	n, err := strconv.ParseUint(v.Get(views.ParamVersion), 10, 64)
	if err != nil {
		return 0, badRequest("The version of the data on the page is not a number; reload the page.")
	}
	return n, nil
}

// parseAt reads the student in focus in the queue; 0 when none is named.
func parseAt(v url.Values) (int64, error) {
	raw := v.Get(views.ParamAt)
	if raw == "" {
		return 0, nil
	}
	return parseID(raw, "student")
}

// fromQueue reports whether a student page was opened from the attention queue, so that its
// previous and next follow the queue.
func fromQueue(v url.Values) bool { return v.Get(views.ParamFrom) == views.FromQueue }

// saidSaved reports whether the address says the form before it saved.
func saidSaved(v url.Values) bool { return v.Get(views.ParamSaved) == "1" }

// noteAdded reports whether the student page is the one a saved note went back to.
func noteAdded(v url.Values) bool { return v.Get(views.ParamNote) == "added" }

// parseSince reads the changes page's ?since= (RFC 3339), which must not be after now; ok is
// false when none is given.
func parseSince(v url.Values, now time.Time) (t time.Time, ok bool, err error) {
	raw := v.Get("since")
	if raw == "" {
		return time.Time{}, false, nil
	}
	if t, err = time.Parse(time.RFC3339, raw); err != nil {
		return time.Time{}, false, badRequest("“" + clip(raw, 40) + "” is not a time: write it as RFC 3339, for example 2026-11-30T08:00:00Z.")
	}
	if t.After(now) {
		return time.Time{}, false, badRequest("“since” is in the future: nothing can have changed since then.")
	}
	return t, true, nil
}

// wantsBOM reports whether a CSV download asks for a byte order mark (?bom=1, for Excel).
func wantsBOM(v url.Values) bool { return v.Get("bom") == "1" }
