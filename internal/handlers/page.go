package handlers

import (
	"net/http"

	"github.com/knowthystudents/kts/static"
	"github.com/knowthystudents/kts/views"
)

// page builds the layout data every view needs.
func (s *server) page(r *http.Request, title string, crumbs ...views.Crumb) views.Page {
	p := views.Page{
		Title:       title,
		Demo:        s.Demo,
		CSS:         s.Assets.Path(static.CSS),
		JS:          s.Assets.Path(static.HTMX),
		JSIntegrity: s.Assets.Integrity(static.HTMX),
		AppJS:       s.Assets.Path(static.App),
		AppJSInteg:  s.Assets.Integrity(static.App),
		MoodleURL:   s.Moodle.BaseURL(),
		Crumbs:      crumbs,
	}
	if u, ok := s.sess.Current(r.Context()); ok {
		p.User = &views.Viewer{FullName: u.FullName}
	}
	return p
}

// endSession signs the user out and drops their cached Moodle data.
func (s *server) endSession(r *http.Request, reason string) {
	if u, ok := s.sess.Current(r.Context()); ok {
		s.Loader.Forget(u.Credentials)
	}
	if err := s.sess.SignOut(r.Context()); err != nil {
		s.Log.Error("sign-out failed", "err", err)
	}
	s.Log.Info("session ended", "reason", reason)
}
