package handlers

import (
	"net/http"
	"net/url"
)

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
