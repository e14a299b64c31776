package demo

import (
	"net/http"
)

// wireLoginError is /login/token.php's error shape, different from the web
// service exception shape.
type wireLoginError struct {
	Error            string  `json:"error"`
	Errorcode        string  `json:"errorcode"`
	Stacktrace       *string `json:"stacktrace"`
	Debuginfo        *string `json:"debuginfo"`
	Reproductionlink *string `json:"reproductionlink"`
}

// wireToken is /login/token.php's success: privatetoken is null over http
// for a non-admin, as recorded.
type wireToken struct {
	Token        string  `json:"token"`
	Privatetoken *string `json:"privatetoken"`
}

// serveLogin answers /login/token.php: username and password for a token of
// the named service. Checks run in Moodle's order: required parameters, then
// the password, then the service.
func (s *Site) serveLogin(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		writeJSON(w, wireLoginError{Error: "Invalid login, please try again", Errorcode: "invalidlogin"})
		return
	}
	if !sleep(r.Context(), s.opts.Latency.Request+s.opts.Latency.Login) {
		return
	}
	for _, p := range []string{"username", "password", "service"} {
		if _, ok := r.Form[p]; !ok {
			writeJSON(w, wireLoginError{Error: "A required parameter (" + p + ") was missing", Errorcode: "missingparam"})
			return
		}
	}
	username, password, svc := r.Form.Get("username"), r.Form.Get("password"), r.Form.Get("service")
	s.mu.Lock()
	defer s.mu.Unlock()
	u := s.userByName[username]
	if u == nil || u.password != password {
		writeJSON(w, wireLoginError{Error: "Invalid login, please try again", Errorcode: "invalidlogin"})
		return
	}
	if s.services[svc] == nil {
		writeJSON(w, wireLoginError{Error: "Web service is not available. (It doesn't exist or might be disabled.)", Errorcode: "servicenotavailable"})
		return
	}
	tok := tokenFor(u.username, svc)
	if _, exists := s.tokens[tok]; !exists {
		if svc != MobileService {
			// Only the mobile service creates tokens on demand; the custom
			// service has the tokens an admin created, nothing more.
			writeJSON(w, wireLoginError{Error: "No permission to create web service token for the service " + svc + ".", Errorcode: "cannotcreatetoken"})
			return
		}
		s.issueToken(u, svc)
	}
	writeJSON(w, wireToken{Token: tok})
}
