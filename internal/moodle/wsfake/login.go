package wsfake

// LoginSite is what /login/token.php asks of a site's users and services.
type LoginSite interface {
	// Authenticate reports whether username exists and password is theirs.
	Authenticate(username, password string) bool
	// ServiceEnabled reports whether a service of this shortname exists and is enabled.
	ServiceEnabled(service string) bool
	// Token returns the user's token for the service, creating it where the site would (the
	// mobile app's service does for every user; a custom service only has the tokens an
	// administrator created); "" when the user has none and gets none.
	Token(username, service string) string
}

// Login answers /login/token.php with the body Moodle 4.5 sends, checking in Moodle's order:
// the three required parameters (missingparam), the password (invalidlogin), the service
// (servicenotavailable), then the token (cannotcreatetoken). params are PHP's request
// variables (see ReadRequest).
func Login(params *Array, site LoginSite) []byte {
	var v [3]string
	for i, name := range []string{"username", "password", "service"} {
		s, ok := params.String(name)
		if !ok {
			return LoginError("missingparam", "A required parameter ("+name+") was missing")
		}
		v[i] = s
	}
	username, password, service := v[0], v[1], v[2]
	if !site.Authenticate(username, password) {
		return LoginError("invalidlogin", "Invalid login, please try again")
	}
	if !site.ServiceEnabled(service) {
		return LoginError("servicenotavailable", "Web service is not available. (It doesn't exist or might be disabled.)")
	}
	token := site.Token(username, service)
	if token == "" {
		return LoginError("cannotcreatetoken", "No permission to create web service token for the service "+service+".")
	}
	return LoginToken(token)
}

// LoginError is a /login/token.php error body, whose shape differs from the REST one.
func LoginError(code, message string) []byte {
	return PHPJSON(struct {
		Error            string  `json:"error"`
		Errorcode        string  `json:"errorcode"`
		Stacktrace       *string `json:"stacktrace"`
		Debuginfo        *string `json:"debuginfo"`
		Reproductionlink *string `json:"reproductionlink"`
	}{Error: message, Errorcode: code})
}

// LoginToken is /login/token.php's success: privatetoken is null over http for a user who is
// not an administrator, as recorded.
func LoginToken(token string) []byte {
	return PHPJSON(struct {
		Token        string  `json:"token"`
		Privatetoken *string `json:"privatetoken"`
	}{Token: token})
}

// RESTException is a web-service error body as the REST server sends it (HTTP 200).
func RESTException(class, code, message string) []byte {
	return PHPJSON(struct {
		Exception string `json:"exception"`
		Errorcode string `json:"errorcode"`
		Message   string `json:"message"`
	}{class, code, message})
}
