package moodletest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// batchRequest is one entry of requests[] of tool_mobile_call_external_functions.
type batchRequest struct {
	fn   string
	args string
}

// batchResponse is one entry of responses[]: data on success, exception on failure, both as
// JSON strings to decode again, as Moodle sends them.
type batchResponse struct {
	Error     bool    `json:"error"`
	Data      *string `json:"data,omitempty"`
	Exception *string `json:"exception,omitempty"`
}

// runBatch runs a batch the way Moodle 4.5 does: inner calls in order, each answered by the
// same rules as a call of its own (registered replies and handlers, recordings, service
// check), stopping after the first one that fails, so responses[] can be shorter than
// requests[]. It returns the reply and how many inner calls ran.
func (s *Server) runBatch(c Call) ([]byte, int) {
	reqs, err := batchRequests(c.Params)
	if err != nil {
		s.tb.Logf("moodletest: %s: %v: answering invalidparameter", BatchFunction, err)
		return []byte(InvalidParameterBody), 1
	}
	var out []batchResponse
	for _, r := range reqs {
		s.mu.Lock()
		s.batched[r.fn]++
		s.mu.Unlock()
		body := []byte(InvalidParameterBody)
		if params, err := argsParams(r.args); err == nil {
			body, _ = s.resolve(Call{Function: r.fn, Params: params, Token: c.Token, Kind: c.Kind, Batched: true})
		}
		if e, ok := exceptionIn(body); ok {
			x := s.innerException(e)
			out = append(out, batchResponse{Error: true, Exception: &x})
			break
		}
		d := compact(body)
		out = append(out, batchResponse{Data: &d})
	}
	return JSON(map[string]any{"responses": out}), len(out)
}

// innerException shapes a failed inner call's exception as the recordings show it:
// {"errorcode","module"} for an access exception, {"message","errorcode","link",
// "moreinfourl"} otherwise, with PHP's escaped slashes.
func (s *Server) innerException(e exception) string {
	var v any = map[string]string{"errorcode": e.Code, "module": "webservice"}
	if e.Code != "accessexception" {
		v = map[string]string{
			"message": e.Message, "errorcode": e.Code, "link": s.URL + "/",
			"moreinfourl": "https://docs.moodle.org/405/en/error/moodle/" + e.Code,
		}
	}
	return strings.ReplaceAll(string(JSON(v)), "/", `\/`)
}

// batchRequests reads requests[i][function|arguments|setting*] into calls, in index order.
func batchRequests(params map[string]string) ([]batchRequest, error) {
	byIndex := map[int]*batchRequest{}
	for k, v := range params {
		rest, ok := strings.CutPrefix(k, "requests[")
		if !ok {
			return nil, fmt.Errorf("unexpected parameter %q", k)
		}
		idx, field, ok := strings.Cut(rest, "][")
		i, err := strconv.Atoi(idx)
		if !ok || err != nil || i < 0 || !strings.HasSuffix(field, "]") {
			return nil, fmt.Errorf("unexpected parameter %q", k)
		}
		r := byIndex[i]
		if r == nil {
			r = &batchRequest{args: "{}"}
			byIndex[i] = r
		}
		switch strings.TrimSuffix(field, "]") {
		case "function":
			r.fn = v
		case "arguments":
			r.args = v
		case "settingraw", "settingfilter", "settingfileurl", "settinglang":
		default:
			return nil, fmt.Errorf("unexpected parameter %q", k)
		}
	}
	idx := make([]int, 0, len(byIndex))
	for i := range byIndex {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	out := make([]batchRequest, len(idx))
	for n, i := range idx {
		if i != n || byIndex[i].fn == "" {
			return nil, fmt.Errorf("requests[%d] missing or without a function", n)
		}
		out[n] = *byIndex[i]
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no requests")
	}
	return out, nil
}

// argsParams flattens a batch call's JSON arguments into the bracket notation of a call of
// its own ({"courseids":[2]} is courseids[0]=2), so that the same recordings answer both.
func argsParams(args string) (map[string]string, error) {
	if strings.TrimSpace(args) == "" {
		args = "{}"
	}
	dec := json.NewDecoder(strings.NewReader(args))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	p := map[string]string{}
	for k, v := range m {
		flatten(p, k, v)
	}
	return p, nil
}

func flatten(p map[string]string, name string, v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			flatten(p, name+"["+k+"]", e)
		}
	case []any:
		for i, e := range x {
			flatten(p, name+"["+strconv.Itoa(i)+"]", e)
		}
	case bool:
		p[name] = "0"
		if x {
			p[name] = "1"
		}
	case json.Number:
		p[name] = x.String()
	case string:
		p[name] = x
	}
}

// compact returns body as the one-line JSON string Moodle puts in responses[].data.
func compact(body []byte) string {
	var b bytes.Buffer
	if json.Compact(&b, body) != nil {
		return string(bytes.TrimSpace(body))
	}
	return b.String()
}
