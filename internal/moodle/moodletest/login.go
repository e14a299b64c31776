package moodletest

import (
	"bytes"
	"strconv"

	"github.com/knowthystudents/kts/internal/moodle/wsfake"
)

// answerLogin answers /login/token.php as described at Account.
func (s *Server) answerLogin(req *wsfake.Request) []byte {
	params := wsfake.Flatten(req.Params)
	if b, ok := s.registered(Call{Function: LoginFunction, Params: params}); ok {
		return b
	}
	s.mu.Lock()
	acct, hasAcct := s.accounts[params["username"]]
	s.mu.Unlock()
	token := acct.Tokens[params["service"]]
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
	return wsfake.Login(req.Params, accountsLogin{s})
}

// accountsLogin is the site's accounts as /login/token.php sees them.
type accountsLogin struct{ s *Server }

func (l accountsLogin) account(username string) (Account, bool) {
	l.s.mu.Lock()
	defer l.s.mu.Unlock()
	a, ok := l.s.accounts[username]
	return a, ok
}

func (l accountsLogin) Authenticate(username, password string) bool {
	a, ok := l.account(username)
	return ok && a.Password == password
}

// ServiceEnabled: the two services of the recordings, and any an account has a token for.
func (l accountsLogin) ServiceEnabled(service string) bool {
	if service == "moodle_mobile_app" || service == "know_thy_students" {
		return true
	}
	l.s.mu.Lock()
	defer l.s.mu.Unlock()
	for _, a := range l.s.accounts {
		if _, ok := a.Tokens[service]; ok {
			return true
		}
	}
	return false
}

func (l accountsLogin) Token(username, service string) string {
	a, _ := l.account(username)
	return a.Tokens[service]
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
