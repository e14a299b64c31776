package wsfake

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestReadRequest(t *testing.T) {
	t.Parallel()
	r := httptest.NewRequest(http.MethodPost, "/webservice/rest/server.php?wstoken=fromquery&moodlewsrestformat=json",
		strings.NewReader("wstoken=t&wsfunction=f&ids[1]=b&ids[0]=a"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
	req, err := ReadRequest(r)
	if err != nil {
		t.Fatal(err)
	}
	if got := req.Value("wstoken"); got != "t" {
		t.Errorf("wstoken = %q, want the body's (array_merge($_GET, $_POST))", got)
	}
	if got, want := dump(req.FunctionParams()), `[ids:[1:"b" 0:"a"]]`; got != want {
		t.Errorf("FunctionParams = %s, want %s", got, want)
	}
	again, _ := io.ReadAll(r.Body)
	if string(again) != "wstoken=t&wsfunction=f&ids[1]=b&ids[0]=a" {
		t.Errorf("body left %q, want it readable again", again)
	}

	other := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"a":1}`))
	other.Header.Set("Content-Type", "application/json")
	if req, err := ReadRequest(other); err != nil || req.Post.Len() != 0 {
		t.Errorf("a JSON body: %v, %d POST variables; want none, as PHP fills $_POST from forms only", err, req.Post.Len())
	}

	parsed := httptest.NewRequest(http.MethodPost, "/", strings.NewReader("a=1"))
	parsed.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if err := parsed.ParseForm(); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadRequest(parsed); !errors.Is(err, ErrBodyConsumed) {
		t.Errorf("after r.ParseForm: %v, want ErrBodyConsumed", err)
	}

	big := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(strings.Repeat("a", MaxBodyBytes+1)))
	if _, err := ReadRequest(big); !errors.Is(err, ErrBodyTooLarge) {
		t.Errorf("body over post_max_size: %v, want ErrBodyTooLarge", err)
	}
}
