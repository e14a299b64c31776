package moodle

import (
	"context"
	"errors"
)

// Login exchanges a username and password for a token of service through /login/token.php.
// The password goes only into the POST body of this one request and is not kept. An empty
// service is left out of the form, so that Moodle reports the missing parameter
// (missingparam, ErrInvalidParameter) instead of looking for a service named "".
func (c *Client) Login(ctx context.Context, username, password, service string) (string, error) {
	form := Params{"username": {username}, "password": {password}}
	if service != "" {
		form.Set("service", service)
	}
	body, err := c.post(ctx, tokenPath, form, "login")
	if err != nil {
		return "", scrub(err, password)
	}
	var out struct {
		Token string `json:"token"`
	}
	if err := decodeReply("login", body, &out); err != nil {
		return "", scrub(err, password)
	}
	if out.Token == "" {
		return "", &DecodeError{Function: "login", Kind: DecodeShape, Err: errNoToken}
	}
	return out.Token, nil
}

// errNoToken: a 200 reply from /login/token.php that is neither a token nor an error.
var errNoToken = errors.New("no token in reply")
