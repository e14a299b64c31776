package moodletest

import (
	"bytes"
	"encoding/json"

	"github.com/knowthystudents/kts/internal/moodle/wsfake"
)

// runBatch runs a batch the way Moodle 4.5 does (wsfake.RunBatch): inner calls in PHP's
// array order, each answered by the same rules as a call of its own (registered replies and
// handlers, recordings, service check), stopping after the first one that fails, so
// responses[] can be shorter than requests[]. It returns the reply and how many inner calls
// ran.
func (s *Server) runBatch(c Call, args *wsfake.Array) ([]byte, int) {
	reqs, err := wsfake.BatchRequests(args)
	if err != nil {
		s.tb.Logf("moodletest: %v: answering invalidparameter", err)
		return []byte(InvalidParameterBody), 1
	}
	reply := wsfake.RunBatch(reqs, s.URL, func(r wsfake.InnerCall) wsfake.InnerResult {
		s.mu.Lock()
		s.batched[r.Function]++
		s.mu.Unlock()
		body, _ := s.resolve(Call{Function: r.Function, Params: wsfake.Flatten(r.Args), Token: c.Token, Kind: c.Kind,
			Batched: true}, r.Args)
		if e, ok := exceptionIn(body); ok {
			return wsfake.InnerResult{Err: &wsfake.Exception{Code: e.Code, Message: e.Message}}
		}
		return wsfake.InnerResult{Data: []byte(compact(body))}
	})
	return JSON(reply), len(reply.Responses)
}

// compact returns body as the one-line JSON string Moodle puts in responses[].data.
func compact(body []byte) string {
	var b bytes.Buffer
	if json.Compact(&b, body) != nil {
		return string(bytes.TrimSpace(body))
	}
	return b.String()
}
