package wsfake

import (
	"errors"
	"fmt"
	"strings"
)

// BatchFunction is Moodle's batch call, which both fakes run inner call by inner call.
const BatchFunction = "tool_mobile_call_external_functions"

// InnerCall is one entry of a batch's requests, as Moodle validated it.
type InnerCall struct {
	Function string
	// Arguments is the JSON text sent; Args is what json_decode made of it (see FromJSON).
	Arguments string
	Args      *Array
	// Settings, with Moodle's defaults when not sent (filter off, file URLs rewritten).
	SettingRaw, SettingFilter, SettingFileURL bool
	SettingLang                               string
}

// ErrBatchParameters is a batch whose parameters Moodle's validation refuses: Moodle answers
// invalidparameter for the whole batch.
var ErrBatchParameters = errors.New("invalid parameters of " + BatchFunction)

// BatchRequests reads the batch's parameters the way Moodle's validate_parameters reads them
// against call_external_functions_parameters: requests is a list of structures whose order is
// PHP's array order (the order in which requests[N] first appeared in the form, whatever N
// is), each with a function (PARAM_ALPHANUMEXT, required), arguments (PARAM_RAW, default "{}")
// and optional settings (PARAM_BOOL: "0" or "1"; settinglang PARAM_LANG). Any other key, at
// the top or in a request, is refused. A function that exists nowhere, "" included, passes:
// Moodle then answers that inner call with accessexception, as for any function outside the
// token's service.
func BatchRequests(params *Array) ([]InnerCall, error) {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrBatchParameters, fmt.Sprintf(format, a...))
	}
	for _, k := range params.keys {
		if k != "requests" {
			return nil, bad("unexpected key %q", k)
		}
	}
	reqs, ok := params.Array("requests")
	if !ok {
		return nil, bad("requests is missing or not a list")
	}
	out := make([]InnerCall, 0, reqs.Len())
	for n, v := range reqs.Values() {
		r, ok := v.(*Array)
		if !ok {
			return nil, bad("requests item %d is not a structure", n)
		}
		c := InnerCall{Arguments: "{}", SettingFileURL: true}
		hasFunction := false
		for _, k := range r.keys {
			s, isStr := r.vals[k].(string)
			if !isStr {
				return nil, bad("requests item %d: %s is not a scalar", n, k)
			}
			var err error
			switch k {
			case "function":
				c.Function, hasFunction = s, true
				if strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != "" {
					return nil, bad("requests item %d: function %q", n, s)
				}
			case "arguments":
				c.Arguments = s
			case "settingraw":
				c.SettingRaw, err = paramBool(s)
			case "settingfilter":
				c.SettingFilter, err = paramBool(s)
			case "settingfileurl":
				c.SettingFileURL, err = paramBool(s)
			case "settinglang":
				c.SettingLang = s
			default:
				return nil, bad("requests item %d: unexpected key %q", n, k)
			}
			if err != nil {
				return nil, bad("requests item %d: %s=%q", n, k, s)
			}
		}
		if !hasFunction {
			return nil, bad("requests item %d has no function", n)
		}
		c.Args = FromJSON(c.Arguments)
		out = append(out, c)
	}
	return out, nil
}

// paramBool is Moodle's validation of a PARAM_BOOL sent in a form: "0" or "1".
func paramBool(s string) (bool, error) {
	switch s {
	case "0":
		return false, nil
	case "1":
		return true, nil
	}
	return false, errors.New("not a PARAM_BOOL")
}

// Exception is a web-service error as Moodle reports it: its errorcode and message.
type Exception struct {
	Code    string
	Message string
}

func (e *Exception) Error() string { return e.Code + ": " + e.Message }

// InnerResult is the outcome of one inner call: the reply's JSON, or the exception.
type InnerResult struct {
	Data []byte
	Err  *Exception
}

// BatchReply is tool_mobile_call_external_functions's reply: one response per inner call
// that ran, data and exception being JSON text themselves.
type BatchReply struct {
	Responses []BatchResponse `json:"responses"`
}

// BatchResponse is one entry of BatchReply.
type BatchResponse struct {
	Error     bool    `json:"error"`
	Data      *string `json:"data,omitempty"`
	Exception *string `json:"exception,omitempty"`
}

// RunBatch runs calls as call_external_functions does: one after the other in the order
// given (BatchRequests's, PHP's), each answered by run, stopping after the first that fails,
// so that the reply can hold fewer responses than calls. siteURL is the link of a failed
// call's exception.
func RunBatch(calls []InnerCall, siteURL string, run func(InnerCall) InnerResult) BatchReply {
	out := BatchReply{Responses: []BatchResponse{}}
	for _, c := range calls {
		r := run(c)
		if r.Err != nil {
			x := InnerException(r.Err, siteURL)
			out.Responses = append(out.Responses, BatchResponse{Error: true, Exception: &x})
			break
		}
		d := string(r.Data)
		out.Responses = append(out.Responses, BatchResponse{Data: &d})
	}
	return out
}

// InnerException is a failed inner call's exception as Moodle 4.5 encodes it (debugging off):
// {"errorcode","module"} when the function is not in the token's service,
// {"message","errorcode","link","moreinfourl"} otherwise, with json_encode's escaped slashes.
func InnerException(e *Exception, siteURL string) string {
	if e.Code == "accessexception" {
		return string(PHPJSON(struct {
			Errorcode string `json:"errorcode"`
			Module    string `json:"module"`
		}{e.Code, "webservice"}))
	}
	return string(PHPJSON(struct {
		Message     string `json:"message"`
		Errorcode   string `json:"errorcode"`
		Link        string `json:"link"`
		Moreinfourl string `json:"moreinfourl"`
	}{e.Message, e.Code, strings.TrimRight(siteURL, "/") + "/", "https://docs.moodle.org/405/en/error/moodle/" + e.Code}))
}
