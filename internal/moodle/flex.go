package moodle

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ID is a Moodle id that some functions send as a number and others as a string (the groups
// selector sends "0"). It decodes both.
type ID int64

// UnmarshalJSON reads a number or a numeric string; null is 0.
func (i *ID) UnmarshalJSON(b []byte) error {
	f, err := flexNumber(b)
	*i = ID(f)
	return err
}

// Number is a decimal that Moodle sends as a number or as a string ("92.00000" in
// mod_assign_get_grades). Valid is false for null or an empty string.
type Number struct {
	Value float64
	Valid bool
}

// UnmarshalJSON reads a number, a numeric string, or null.
func (n *Number) UnmarshalJSON(b []byte) error {
	if s := strings.TrimSpace(string(b)); s == "null" || s == `""` {
		*n = Number{}
		return nil
	}
	f, err := flexNumber(b)
	*n = Number{Value: f, Valid: err == nil}
	return err
}

// MarshalJSON writes the number, or null.
func (n Number) MarshalJSON() ([]byte, error) {
	if !n.Valid {
		return []byte("null"), nil
	}
	return []byte(strconv.FormatFloat(n.Value, 'f', -1, 64)), nil
}

// Text is a string Moodle sometimes sends as a number (warningcode "3" vs 3).
type Text string

// UnmarshalJSON reads a string, a number or null.
func (t *Text) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*t = Text(s)
		return nil
	}
	if string(b) == "null" {
		*t = ""
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*t = Text(n)
	return nil
}

func flexNumber(b []byte) (float64, error) {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		return 0, nil
	}
	if strings.HasPrefix(s, `"`) {
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return 0, err
		}
		s = strings.TrimSpace(str)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err == nil && (math.IsNaN(f) || math.IsInf(f, 0)) {
		// ParseFloat reads "NaN" and "Infinity"; no Moodle id or grade is either, and NaN
		// would marshal to invalid JSON.
		return 0, fmt.Errorf("moodle: %q is not a finite number", s)
	}
	return f, err
}

// Warning is an entry of a reply's warnings[]: Moodle's way to say "partly done". Replies keep
// them so that callers can show what is missing.
type Warning struct {
	Item        string `json:"item"`
	ItemID      ID     `json:"itemid"`
	WarningCode Text   `json:"warningcode"`
	Message     string `json:"message"`
}
