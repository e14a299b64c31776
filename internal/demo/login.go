package demo

import (
	"net/http"

	"github.com/knowthystudents/kts/internal/moodle/wsfake"
)

// serveLogin answers /login/token.php: username and password for a token of
// the named service, with Moodle's checks in Moodle's order (wsfake.Login).
func (s *Site) serveLogin(w http.ResponseWriter, r *http.Request) {
	req, err := wsfake.ReadRequest(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if !sleep(r.Context(), s.opts.Latency.Request+s.opts.Latency.Login) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	writeBody(w, wsfake.Login(req.Params, siteLogin{s}))
}

// siteLogin is the site's users and services as /login/token.php sees them;
// the caller holds s.mu.
type siteLogin struct{ s *Site }

func (l siteLogin) Authenticate(username, password string) bool {
	u := l.s.userByName[username]
	return u != nil && u.password == password
}

func (l siteLogin) ServiceEnabled(service string) bool { return l.s.services[service] != nil }

// Token: only the mobile service creates tokens on demand; the custom service
// has the tokens an admin created, nothing more.
func (l siteLogin) Token(username, service string) string {
	tok := tokenFor(username, service)
	if _, exists := l.s.tokens[tok]; exists {
		return tok
	}
	if service != MobileService {
		return ""
	}
	l.s.issueToken(l.s.userByName[username], service)
	return tok
}
