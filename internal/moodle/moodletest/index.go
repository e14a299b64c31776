package moodletest

import (
	"encoding/json"
	"strings"
)

// index finds recordings by request. It is built once per server and only read afterwards.
type index struct {
	rest     map[string][]Entry         // replyKey(fn, params) -> entries, manifest order
	login    []Entry                    // /login/token.php entries
	services map[string]map[string]bool // service -> functions it allows
}

func newIndex(fx *Fixtures) *index {
	ix := &index{rest: map[string][]Entry{}, services: map[string]map[string]bool{}}
	if fx == nil {
		return ix
	}
	for _, e := range fx.entries {
		if e.Endpoint == TokenPath {
			ix.login = append(ix.login, e)
			continue
		}
		p := make(map[string]string, len(e.Params))
		for k, v := range e.Params {
			switch k {
			case "wstoken", "wsfunction", "moodlewsrestformat":
				continue
			}
			p[k] = v
		}
		k := replyKey(e.WSFunction, p)
		ix.rest[k] = append(ix.rest[k], e)
	}
	// The recorded site info of each service lists in functions[] what its tokens may call.
	serviceSiteInfo := map[string]string{
		"custom-service": "core_webservice_get_site_info.teacher.json",
		"mobile-app":     "core_webservice_get_site_info.teacher-mobile.json",
	}
	for svc, file := range serviceSiteInfo {
		var info struct {
			Functions []struct {
				Name string `json:"name"`
			} `json:"functions"`
		}
		if json.Unmarshal(fx.bodies[file], &info) != nil || len(info.Functions) == 0 {
			continue
		}
		set := map[string]bool{}
		for _, f := range info.Functions {
			set[f.Name] = true
		}
		ix.services[svc] = set
	}
	return ix
}

// exact finds the recording of this very request made with a token of this kind.
func (ix *index) exact(fn string, params map[string]string, kind string) (Entry, bool) {
	for _, e := range ix.rest[replyKey(fn, params)] {
		if e.TokenKind == kind {
			return e, true
		}
	}
	return Entry{}, false
}

// sameRole finds the recording of this request made by the same role through another
// service, leaving out errors that came from the other token rather than from the data.
func (ix *index) sameRole(fn string, params map[string]string, kind string) (Entry, bool) {
	_, role := splitKind(kind)
	for _, e := range ix.rest[replyKey(fn, params)] {
		if _, r := splitKind(e.TokenKind); r != role {
			continue
		}
		if e.ErrorCode == "accessexception" || e.ErrorCode == "invalidtoken" {
			continue
		}
		return e, true
	}
	return Entry{}, false
}

// allows reports whether a token of kind may call fn. Kinds of a service the fixtures do not
// describe may call anything.
func (ix *index) allows(kind, fn string) bool {
	svc, _ := splitKind(kind)
	set, ok := ix.services[svc]
	return !ok || set[fn]
}

// exists reports whether some service of the site lists fn.
func (ix *index) exists(fn string) bool {
	for _, set := range ix.services {
		if set[fn] {
			return true
		}
	}
	return false
}

// splitKind splits "custom-service tutor (non-editing ...)" into its service and its role
// ("custom-service", "tutor").
func splitKind(kind string) (service, role string) {
	service, rest, ok := strings.Cut(kind, " ")
	if !ok {
		return "", kind
	}
	role, _, _ = strings.Cut(rest, " ")
	return service, role
}
