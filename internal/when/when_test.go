package when

import (
	"encoding/json"
	"testing"
	"time"
)

func TestUnmarshal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in        string
		wantNever bool
		wantUnix  int64
	}{
		{`null`, true, 0},
		{`0`, true, 0},
		{`"0"`, true, 0},
		{`1733270400`, false, 1733270400},
		{`"1733270400"`, false, 1733270400},
		{`1733270400.7`, false, 1733270400},
	}
	for _, tt := range tests {
		var got Time
		if err := json.Unmarshal([]byte(tt.in), &got); err != nil {
			t.Errorf("Unmarshal(%s): %v", tt.in, err)
			continue
		}
		if got.Never() != tt.wantNever || got.Unix() != tt.wantUnix {
			t.Errorf("Unmarshal(%s) = never %v unix %d, want never %v unix %d", tt.in, got.Never(), got.Unix(), tt.wantNever, tt.wantUnix)
		}
	}
	var bad Time
	if err := json.Unmarshal([]byte(`"soon"`), &bad); err == nil {
		t.Error(`Unmarshal("soon") succeeded, want an error`)
	}
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	at := Of(time.Date(2026, 12, 4, 10, 30, 15, 999, time.FixedZone("AEST", 10*3600)))
	b, err := json.Marshal(at)
	if err != nil {
		t.Fatal(err)
	}
	var back Time
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if back != at || back.Time().Location() != time.UTC {
		t.Errorf("round trip %s -> %s -> %v, want the same instant in UTC", at.Time(), b, back.Time())
	}
	if b, _ := json.Marshal(Time{}); string(b) != "0" {
		t.Errorf("Marshal(never) = %s, want 0", b)
	}
	if !Of(time.Time{}).Never() || !Unix(0).Never() {
		t.Error("the zero time.Time and Unix(0) must be never")
	}
}
