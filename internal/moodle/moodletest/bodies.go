package moodletest

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/knowthystudents/kts/internal/moodle/wsfake"
)

// Moodle's own error bodies, copied byte for byte from the recorded fixtures named in each
// comment (a test checks that they still match), so that the fake answers like Moodle even
// when it runs without fixtures.
const (
	// InvalidTokenBody is core_webservice_get_site_info.invalid-token.json: any token the
	// fake was not told about.
	InvalidTokenBody = `{
  "exception": "core\\exception\\moodle_exception",
  "errorcode": "invalidtoken",
  "message": "Invalid token - token not found"
}
`
	// InvalidRecordBody is kts_no_such_function.unknown-function.json: a wsfunction that does
	// not exist (Moodle looks it up in external_functions).
	InvalidRecordBody = `{
  "exception": "dml_missing_record_exception",
  "errorcode": "invalidrecord",
  "message": "Can't find data record in database table external_functions."
}
`
	// InvalidParameterBody is core_enrol_get_enrolled_users.missing-param.json: what the fake
	// answers for a known function called with parameters nobody recorded or registered.
	InvalidParameterBody = `{
  "exception": "core\\exception\\invalid_parameter_exception",
  "errorcode": "invalidparameter",
  "message": "Invalid parameter value detected"
}
`
	// AccessExceptionBody is core_course_search_courses.not-in-service.json: a function that
	// exists but is not in the token's service.
	AccessExceptionBody = `{
  "exception": "webservice_access_exception",
  "errorcode": "accessexception",
  "message": "Access control exception"
}
`
	// InvalidLoginBody is login-token.wrong-password.json: /login/token.php with an unknown
	// user or a wrong password.
	InvalidLoginBody = `{
  "error": "Invalid login, please try again",
  "errorcode": "invalidlogin",
  "stacktrace": null,
  "debuginfo": null,
  "reproductionlink": null
}
`
)

// xmlBody answers a call without moodlewsrestformat=json: Moodle would answer in XML, which
// the fake does not speak; either way the caller gets no JSON.
const xmlBody = `<?xml version="1.0" encoding="UTF-8" ?>
<EXCEPTION class="moodle_exception">
<ERRORCODE>moodletest_xml</ERRORCODE>
<MESSAGE>moodletest only answers moodlewsrestformat=json</MESSAGE>
</EXCEPTION>
`

// Exception returns a REST error body as Moodle sends it (HTTP 200), for handlers that model
// an error the fixtures do not show. Sentinels match on code.
func Exception(code, message string) []byte {
	return JSON(map[string]string{
		"exception": "core\\exception\\moodle_exception",
		"errorcode": code,
		"message":   message,
	})
}

// LoginError returns a /login/token.php error body, whose shape differs from the REST one.
func LoginError(code, message string) []byte { return wsfake.LoginError(code, message) }

// JSON marshals v for a handler's reply. It panics on values encoding/json rejects, which is
// a bug in the test, not a condition to handle.
func JSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("moodletest.JSON: %v", err))
	}
	return b
}

// exception is the part of an error body the fake needs to re-shape it (batch responses).
type exception struct{ Class, Code, Message string }

// exceptionIn reports whether body is a REST error body, and which.
func exceptionIn(body []byte) (exception, bool) {
	s := strings.TrimSpace(string(body))
	if !strings.HasPrefix(s, "{") {
		return exception{}, false
	}
	var e struct {
		Class   *string `json:"exception"`
		Code    string  `json:"errorcode"`
		Message string  `json:"message"`
	}
	if json.Unmarshal([]byte(s), &e) != nil || e.Class == nil {
		return exception{}, false
	}
	return exception{Class: *e.Class, Code: e.Code, Message: e.Message}, true
}
