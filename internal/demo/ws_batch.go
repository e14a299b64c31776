package demo

import (
	"encoding/json"
	"errors"
	"time"
)

type wireBatchResponse struct {
	Error     bool    `json:"error"`
	Data      *string `json:"data,omitempty"`
	Exception *string `json:"exception,omitempty"`
}

type wireBatch struct {
	Responses []wireBatchResponse `json:"responses"`
}

// wireInnerException is a failed inner call's exception, itself sent as a
// JSON string.
type wireInnerException struct {
	Message     string `json:"message"`
	Errorcode   string `json:"errorcode"`
	Link        string `json:"link"`
	Moreinfourl string `json:"moreinfourl"`
}

// wireInnerAccess is the shorter exception of an inner call to a function
// outside the token's service.
type wireInnerAccess struct {
	Errorcode string `json:"errorcode"`
	Module    string `json:"module"`
}

// batch answers tool_mobile_call_external_functions: each request runs as
// its own call (its own locking, its own permission checks), its reply goes
// into data as a JSON string, and the batch stops at the first failing call,
// whose exception (also a JSON string) is the last response. The batch
// itself succeeds.
func batch(c *call) (any, error) {
	reqs, err := c.a.objs("requests")
	if err != nil {
		return nil, err
	}
	type inner struct {
		fn   string
		args args
	}
	var calls []inner
	for _, r := range reqs {
		fn, err := r.reqStr("function")
		if err != nil {
			return nil, err
		}
		raw, err := r.strOr("arguments", "{}")
		if err != nil {
			return nil, err
		}
		for _, setting := range []string{"settingraw", "settingfilter", "settingfileurl"} {
			if _, err := r.boolOr(setting, false); err != nil {
				return nil, err
			}
		}
		var decoded any
		var a args
		if json.Unmarshal([]byte(raw), &decoded) == nil {
			if m, ok := argsFromJSON(decoded).(args); ok {
				a = m
			}
		}
		calls = append(calls, inner{fn, a})
	}
	out := wireBatch{Responses: []wireBatchResponse{}}
	lat := c.s.opts.Latency
	for _, in := range calls {
		c.s.stats.batchedCall(in.fn)
		c.inner = append(c.inner, in.fn)
		sub := &call{ctx: c.ctx, s: c.s, fn: in.fn, u: c.u, svc: c.svc, a: in.args, base: c.base}
		result, err := c.s.runInner(sub)
		c.extra += time.Duration(lat.batchFactor() * float64(lat.cost(in.fn, sub.units)))
		if err == nil {
			var b []byte
			if b, err = marshal(result); err == nil {
				out.Responses = append(out.Responses, wireBatchResponse{Data: ptr(string(b))})
				continue
			}
		}
		out.Responses = append(out.Responses, wireBatchResponse{Error: true, Exception: ptr(c.innerException(err))})
		break
	}
	return out, nil
}

// runInner runs one call of a batch with the checks of a direct call.
func (s *Site) runInner(c *call) (any, error) {
	if c.a == nil {
		return nil, errInvalidParameter()
	}
	f := s.funcs[c.fn]
	switch {
	case f == nil:
		return nil, errMissingRecord("external_functions")
	case c.fn == "tool_mobile_call_external_functions":
		return nil, errInvalidParameter()
	case !c.svc.allowed[c.fn]:
		return nil, errAccess()
	}
	switch f.lock {
	case lockRead:
		s.mu.RLock()
		defer s.mu.RUnlock()
	case lockWrite:
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	return f.run(c)
}

func (c *call) innerException(err error) string {
	var we *wsError
	if !errors.As(err, &we) {
		we = errMoodle("generalexceptionmessage", err.Error())
	}
	var v any = wireInnerException{Message: we.message, Errorcode: we.errorcode, Link: c.base + "/",
		Moreinfourl: "https://docs.moodle.org/405/en/error/moodle/" + we.errorcode}
	if we.errorcode == "accessexception" {
		v = wireInnerAccess{Errorcode: we.errorcode, Module: "webservice"}
	}
	b, _ := marshal(v)
	return string(b)
}
