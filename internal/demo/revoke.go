package demo

// RevokeToken makes Moodle forget a token, as an administrator or an expiry would: every
// later call with it gets invalidtoken. Tests use it for the "session expired" paths.
func (s *Site) RevokeToken(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.tokens, token)
}
