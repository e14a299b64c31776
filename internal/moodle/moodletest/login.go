package moodletest

import (
	"bytes"
	"net/url"
	"strconv"
)

// answerLogin answers /login/token.php as described at Account.
func (s *Server) answerLogin(form url.Values) []byte {
	params := map[string]string{}
	for k, v := range form {
		if len(v) > 0 {
			params[k] = v[0]
		}
	}
	if b, ok := s.registered(Call{Function: LoginFunction, Params: params}); ok {
		return b
	}
	s.mu.Lock()
	acct, hasAcct := s.accounts[params["username"]]
	s.mu.Unlock()
	service := params["service"]
	token := acct.Tokens[service]
	for _, e := range s.idx.login {
		if !loginMatches(e.Params, params, acct, hasAcct) {
			continue
		}
		body := s.fx.bodies[e.File]
		if token != "" {
			body = bytes.Replace(body, []byte(`"token": "REDACTED"`), []byte(`"token": `+strconv.Quote(token)), 1)
		}
		return body
	}
	for _, f := range []string{"username", "password", "service"} {
		if _, ok := params[f]; !ok {
			return LoginError("missingparam", "A required parameter ("+f+") was missing")
		}
	}
	if !hasAcct || acct.Password != params["password"] {
		return []byte(InvalidLoginBody)
	}
	_, listed := acct.Tokens[service]
	if !listed && service != "moodle_mobile_app" && service != "know_thy_students" {
		return LoginError("servicenotavailable", "Web service is not available. (It doesn't exist or might be disabled.)")
	}
	if token == "" {
		return LoginError("cannotcreatetoken", "No permission to create web service token for the service "+service+".")
	}
	return JSON(map[string]any{"token": token, "privatetoken": nil})
}

// loginMatches reports whether a recorded login form is the one sent: the same fields and
// values, a recorded "REDACTED" password standing for the account's real one.
func loginMatches(rec, sent map[string]string, acct Account, hasAcct bool) bool {
	if len(rec) != len(sent) {
		return false
	}
	for k, v := range rec {
		got, ok := sent[k]
		switch {
		case !ok:
			return false
		case k == "password" && v == "REDACTED":
			if !hasAcct || acct.Password != got {
				return false
			}
		case v != got:
			return false
		}
	}
	return true
}
