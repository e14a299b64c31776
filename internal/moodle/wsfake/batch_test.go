package wsfake

import (
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

func TestBatchRequestsInPHPOrder(t *testing.T) {
	t.Parallel()
	form := url.Values{}
	for i := range 12 {
		n := strconv.Itoa(i)
		form.Set("requests["+n+"][function]", "f"+n)
		form.Set("requests["+n+"][arguments]", `{"userid":`+n+`}`)
		form.Set("requests["+n+"][settingfilter]", "0")
	}
	calls, err := BatchRequests(ParseForm(form.Encode())) // sorted: requests[0], [10], [11], [1], [2], ...
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range calls {
		u, _ := c.Args.String("userid")
		got = append(got, c.Function+"/"+u)
		if !c.SettingFileURL || c.SettingFilter {
			t.Errorf("%s: settings %+v, want Moodle's defaults for what was not sent", c.Function, c)
		}
	}
	want := "f0/0 f10/10 f11/11 f1/1 f2/2 f3/3 f4/4 f5/5 f6/6 f7/7 f8/8 f9/9"
	if g := strings.Join(got, " "); g != want {
		t.Errorf("calls in order %s, want PHP's %s", g, want)
	}
}

func TestBatchRequestsRefuses(t *testing.T) {
	t.Parallel()
	for _, body := range []string{
		"",
		"requests=x",
		"requests[0][function]=f&other=1",
		"requests[0][arguments]={}",
		"requests[0][function]=f&requests[0][extra]=1",
		"requests[0][function]=f&requests[0][settingraw]=true",
		"requests[0][function]=f;drop",
		"requests[0]=f",
	} {
		if _, err := BatchRequests(ParseForm(body)); !errors.Is(err, ErrBatchParameters) {
			t.Errorf("BatchRequests(%q) = %v, want ErrBatchParameters", body, err)
		}
	}
}

func TestRunBatchStopsAtFirstFailure(t *testing.T) {
	t.Parallel()
	calls, err := BatchRequests(ParseForm("requests[0][function]=ok&requests[1][function]=bad&requests[2][function]=ok"))
	if err != nil {
		t.Fatal(err)
	}
	ran := 0
	reply := RunBatch(calls, "http://moodle.example/", func(c InnerCall) InnerResult {
		ran++
		if c.Function == "bad" {
			return InnerResult{Err: &Exception{Code: "invalidrecord", Message: "Can't find data record in database table course."}}
		}
		return InnerResult{Data: []byte(`{"ok":true}`)}
	})
	if ran != 2 || len(reply.Responses) != 2 {
		t.Fatalf("ran %d calls, %d responses; want 2 and 2 (the batch stops after the failure)", ran, len(reply.Responses))
	}
	b, _ := json.Marshal(reply)
	want := `{"responses":[{"error":false,"data":"{\"ok\":true}"},{"error":true,"exception":"{\"message\":\"Can't find data record in database table course.\",\"errorcode\":\"invalidrecord\",\"link\":\"http:\\/\\/moodle.example\\/\",\"moreinfourl\":\"https:\\/\\/docs.moodle.org\\/405\\/en\\/error\\/moodle\\/invalidrecord\"}"}]}`
	if string(b) != want {
		t.Errorf("reply\n%s\nwant\n%s", b, want)
	}
	access := InnerException(&Exception{Code: "accessexception"}, "")
	if access != `{"errorcode":"accessexception","module":"webservice"}` {
		t.Errorf("access exception %s", access)
	}
}
