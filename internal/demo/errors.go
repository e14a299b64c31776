package demo

import "fmt"

// wsError is a Moodle exception as the REST server reports it: HTTP 200
// with {"exception", "errorcode", "message"}. Class names and messages are
// copied from the recorded fixtures.
type wsError struct {
	exception string
	errorcode string
	message   string
}

func (e *wsError) Error() string { return e.errorcode + ": " + e.message }

// wireException is the body of a failed web-service request.
type wireException struct {
	Exception string `json:"exception"`
	Errorcode string `json:"errorcode"`
	Message   string `json:"message"`
}

func (e *wsError) wire() wireException {
	return wireException{Exception: e.exception, Errorcode: e.errorcode, Message: e.message}
}

const (
	exMoodle     = `core\exception\moodle_exception`
	exInvalid    = `core\exception\invalid_parameter_exception`
	exCapability = `core\exception\required_capability_exception`
)

func errInvalidParameter() *wsError {
	return &wsError{exInvalid, "invalidparameter", "Invalid parameter value detected"}
}

func errInvalidToken() *wsError {
	return &wsError{exMoodle, "invalidtoken", "Invalid token - token not found"}
}

func errAccess() *wsError {
	return &wsError{"webservice_access_exception", "accessexception", "Access control exception"}
}

// errMissingRecord is what Moodle answers for an unknown id (and an unknown
// wsfunction: table external_functions).
func errMissingRecord(table string) *wsError {
	return &wsError{"dml_missing_record_exception", "invalidrecord",
		"Can't find data record in database table " + table + "."}
}

// errNoCapability is require_capability's failure; capName is the
// capability's human name, e.g. "View grades of other users".
func errNoCapability(capName string) *wsError {
	return &wsError{exCapability, "nopermissions",
		"Sorry, but you do not currently have permissions to do that (" + capName + ")."}
}

// errNoPermission is the other spelling Moodle uses (mod_assign).
func errNoPermission() *wsError {
	return &wsError{exCapability, "nopermission", "error/nopermission"}
}

func errMoodle(code, message string) *wsError {
	return &wsError{exMoodle, code, message}
}

// errNotEnrolled is require_login's failure for a course the caller is not
// (actively) enrolled in.
func errNotEnrolled() *wsError {
	return &wsError{"require_login_exception", "requireloginerror",
		"Course or activity not accessible. (Not enrolled)"}
}

func errCourseContext(courseID int) *wsError {
	return errMoodle("errorcoursecontextnotvalid", fmt.Sprintf(
		"You cannot execute functions in the course context (course id:%d). The error message was: Course or activity not accessible. (Not enrolled)", courseID))
}

func errAccessDenied() *wsError { return errMoodle("accessdenied", "Access denied") }

// errNotYou is how the core_message functions refuse to act for another user.
func errNotYou() *wsError {
	return errMoodle("You do not have permission to perform this action.",
		"error/You do not have permission to perform this action.")
}
