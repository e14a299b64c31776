package handlers

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/knowthystudents/kts/static"
)

// routes lists every route in one place (see CONTRACT.md for the public ones).
func (s *server) routes() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.RequestID, s.logRequests, s.recoverPanics, securityHeaders(s.Moodle.BaseURL()), limitBody(1<<20), headAsGet, s.warnInsecureCookie())

	r.Get("/healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok"))
	})
	r.Handle(static.Prefix+"*", s.Assets.Handler())

	r.Group(func(r chi.Router) {
		r.Use(s.Sessions.LoadAndSave, s.crossOriginProtection(), s.strictQuery, s.readForm)
		r.Get("/", s.handle(s.home))
		r.Get("/signin", s.handle(s.signInForm))
		r.Post("/signin", s.handle(s.signIn))
		r.Post("/signout", s.handle(s.forgetLTIToken(s.signOut)))
		r.Get("/lti/token", s.handle(s.ltiTokenForm))
		r.Post("/lti/token", s.handle(s.ltiToken))

		r.Route("/course/{courseid}", func(r chi.Router) {
			r.Use(s.requireUser)
			r.Get("/", s.handle(s.cohort))
			r.Post("/refresh", s.handle(s.refresh))
			r.Get("/rows", s.handle(s.cohortRows)) // internal: what a cohort page that fills itself in polls
			r.Get("/export.csv", s.handle(s.exportCSV))
			r.Get("/export.xlsx", s.handle(s.exportXLSX))
			r.Post("/columns", s.handle(s.saveColumns))
			r.Get("/student/{userid}", s.handle(s.student))
			r.Post("/student/{userid}/notes", s.handle(s.addNote))
			r.Get("/activities", s.handle(s.activities))
			r.Get("/activities.csv", s.handle(s.activitiesCSV))
			r.Get("/activity/{cmid}", s.handle(s.activity))
			r.Get("/message", s.handle(s.composeMessage))
			r.Post("/message", s.handle(s.sendMessage))
			r.Post("/message/note", s.handle(s.noteContact))
			r.Get("/queue", s.handle(s.queue))
			r.Post("/student/{userid}/state", s.handle(s.setState))
			r.Get("/changes", s.handle(s.changes))
			r.Get("/followup", s.handle(s.followup))
			r.Get("/rules", s.handle(s.rulesForm))
			r.Post("/rules", s.handle(s.saveRules))
		})
	})
	// LTI 1.3: Moodle posts the login initiation and the launch from its own site, so these
	// sit outside the cross-origin protection; the state cookie, nonce and Moodle's signature
	// protect them instead.
	r.Group(func(r chi.Router) {
		r.Use(s.Sessions.LoadAndSave)
		r.Get("/lti/jwks", s.handle(s.ltiJWKS))
		r.Get("/lti/register", s.handle(s.ltiRegister))
		r.Get("/lti/login", s.handle(s.ltiLogin))
		r.Post("/lti/login", s.handle(s.ltiLogin))
		r.Post("/lti/launch", s.handle(s.ltiLaunch))
	})
	// The error pages show who is signed in, so they read the session too (without it, scs
	// panics and a mistyped address got a bare 500).
	r.NotFound(s.Sessions.LoadAndSave(s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return notFoundf("There is no page at this address.")
	})).ServeHTTP)
	r.MethodNotAllowed(s.Sessions.LoadAndSave(s.handle(func(w http.ResponseWriter, r *http.Request) error {
		return &httpError{Status: http.StatusMethodNotAllowed, Heading: "Not allowed", Message: "This address does not accept that kind of request."}
	})).ServeHTTP)
	return r
}
