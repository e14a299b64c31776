package moodle

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"sync"
	"unicode"
)

// Decoding from the stream. A reply used to be read whole, checked with json.Valid and then
// unmarshalled: a 10 MB roster cost its body, the body's growth while being read, and the
// decoded records, about 3.5× its size per teacher loading it. decodeStream instead walks the
// JSON from the connection and decodes each element of an array (at any depth of struct
// fields and slices: a roster's students, an assignment's submissions) on its own, so a reply
// costs about what it decodes to. The classification is decodeReply's: empty, not JSON,
// truncated, Moodle's exception, or the wrong shape.

// errTooLarge is what bodyReader returns past its limit: not io.EOF, which a decoder would
// take for truncated JSON.
var errTooLarge = errors.New("moodle: reply over the size limit")

// bodyReader reads a reply through the size limit and remembers the connection's own error
// (a reset or a timeout halfway), which is a transport failure, not bad JSON.
type bodyReader struct {
	r      io.Reader
	left   int64 // bytes still allowed, plus one to notice a body over the limit
	tooBig bool
	err    error
}

func newBodyReader(r io.Reader, limit int64) *bodyReader {
	return &bodyReader{r: r, left: limit + 1}
}

func (b *bodyReader) Read(p []byte) (int, error) {
	if b.tooBig {
		return 0, errTooLarge
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	if b.left <= 0 {
		b.tooBig = true
		return n, errTooLarge
	}
	if err != nil && err != io.EOF {
		b.err = err
	}
	return n, err
}

// decodeReply decodes a reply already in memory (a batch's inner reply, /login/token.php).
func decodeReply(fn string, body []byte, out any) error {
	return decodeStream(fn, bytes.NewReader(body), out)
}

// decodeStream turns a 200 body into out, or into the *Error Moodle sent instead. Read
// errors of r are returned as they are, for the caller to classify.
func decodeStream(fn string, r io.Reader, out any) error {
	br := bufio.NewReaderSize(&spaceRuns{r: r}, 32<<10)
	first, err := firstByte(br)
	if err != nil {
		if err == io.EOF {
			return &DecodeError{Function: fn, Kind: DecodeEmpty}
		}
		return err
	}
	if first == '<' {
		return &DecodeError{Function: fn, Kind: DecodeNotJSON}
	}
	d := &streamDecoder{dec: json.NewDecoder(br), body: r}
	switch rv := reflect.ValueOf(out); {
	case out == nil:
		err = d.skip(first == '{')
	case rv.Kind() != reflect.Pointer || rv.IsNil():
		return &DecodeError{Function: fn, Kind: DecodeShape, Err: errors.New("decode target is not a pointer")}
	default:
		rv.Elem().SetZero() // a retried call decodes into a clean value
		if streamable(rv.Elem().Type()) {
			err = d.value(rv.Elem(), 0)
		} else {
			err = d.whole(rv.Elem(), first == '{')
		}
	}
	if err == nil {
		err = onlySpace(bufio.NewReader(io.MultiReader(d.dec.Buffered(), br)))
	}
	if err != nil {
		if errors.Is(err, errTooLarge) || isReadError(err, r) {
			return err
		}
		kind := DecodeNotJSON
		if first == '{' || first == '[' || first == '"' {
			kind = DecodeTruncated
		}
		return &DecodeError{Function: fn, Kind: kind}
	}
	if e := d.exception(); e != nil {
		e.Function = fn
		return e
	}
	if d.shape != nil {
		return &DecodeError{Function: fn, Kind: DecodeShape, Err: d.shape}
	}
	return nil
}

var errTrailing = errors.New("data after the JSON value")

// isReadError reports whether err came from reading r rather than from the JSON in it.
func isReadError(err error, r io.Reader) bool {
	if br, ok := r.(*bodyReader); ok && br.err != nil {
		return errors.Is(err, br.err)
	}
	return false
}

// spaceRuns passes JSON through with every run of white space outside strings cut to its
// first byte. json.Decoder re-scans a run of white space each time it reads more, so
// megabytes of padding took time quadratic in their length; one byte keeps the tokens apart
// and the JSON's meaning and validity unchanged.
type spaceRuns struct {
	r                     io.Reader
	inString, esc, spaced bool
}

func (s *spaceRuns) Read(p []byte) (int, error) {
	for {
		n, err := s.r.Read(p)
		k := 0
		for _, c := range p[:n] {
			switch {
			case s.inString:
				s.inString = s.esc || c != '"'
				s.esc = !s.esc && c == '\\'
			case c == ' ' || c == '\t' || c == '\n' || c == '\r':
				if s.spaced {
					continue
				}
				s.spaced = true
			default:
				s.spaced = false
				s.inString = c == '"'
			}
			p[k] = c
			k++
		}
		if k > 0 || err != nil || n == 0 {
			return k, err
		}
	}
}

// firstByte skips space and peeks at the first byte of the value. Space is what
// bytes.TrimSpace trims, as when replies were read whole: Unicode's, not only JSON's.
func firstByte(br *bufio.Reader) (byte, error) {
	for {
		r, _, err := br.ReadRune()
		if err != nil {
			return 0, err
		}
		if !unicode.IsSpace(r) {
			br.UnreadRune()
			c, err := br.Peek(1)
			if err != nil {
				return 0, err
			}
			return c[0], nil
		}
	}
}

// onlySpace reads the rest of the reply and fails if anything but space follows the value.
func onlySpace(br *bufio.Reader) error {
	for {
		r, _, err := br.ReadRune()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if !unicode.IsSpace(r) {
			return errTrailing
		}
	}
}

// streamDecoder walks one JSON value, decoding slices element by element.
type streamDecoder struct {
	dec *json.Decoder
	// shape is the first value that did not fit its Go type; decoding goes on, as
	// json.Unmarshal does, so that a later syntax error still wins.
	shape error
	// exc holds the top-level members that spell an exception, in order, for exceptionOf.
	exc     []json.RawMessage
	excBody json.RawMessage // a whole top-level object, decoded by whole
	body    io.Reader
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// value decodes the next value into v, at depth in the reply. Walking tokens costs more
// than decoding a value whole, so only the top value and the slices among its members are
// walked; their elements (a student, an assignment with its submissions) are decoded whole,
// one at a time. The reply's top-level object keeps its exception members.
func (d *streamDecoder) value(v reflect.Value, depth int) error {
	t := v.Type()
	if !streamable(t) || depth > 1 || depth == 1 && t.Kind() != reflect.Slice {
		return d.decode(v)
	}
	topObject := depth == 0
	tok, err := d.dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case nil:
		if t.Kind() == reflect.Slice {
			v.SetZero()
		}
		return nil // null leaves a struct alone, as json.Unmarshal does
	case json.Delim('['):
		if t.Kind() != reflect.Slice {
			d.mismatch(t, "array")
			return d.rest('[')
		}
		v.SetLen(0)
		for d.dec.More() {
			v.Grow(1)
			v.SetLen(v.Len() + 1)
			if err := d.value(v.Index(v.Len()-1), depth+1); err != nil {
				return err
			}
		}
		if v.IsNil() {
			v.Set(reflect.MakeSlice(t, 0, 0)) // [] is an empty slice, not nil
		}
		_, err := d.dec.Token()
		return err
	case json.Delim('{'):
		if t.Kind() != reflect.Struct {
			// An array expected, an object came: at the top, Moodle's exception (or the
			// wrong shape); its members are read for exceptionOf.
			d.mismatch(t, "object")
			if topObject {
				return d.members(reflect.Value{}, 0)
			}
			return d.rest('{')
		}
		return d.members(v, depth)
	}
	d.mismatch(t, "scalar")
	return nil
}

// streamable: the types decoded piece by piece; any other is decoded whole.
func streamable(t reflect.Type) bool {
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		return false
	}
	return t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8 || t.Kind() == reflect.Struct && plainStruct(t)
}

// whole decodes the reply into a type decoded whole (a map, an interface, a type with its
// own UnmarshalJSON), as json.Unmarshal would, keeping an object for exceptionOf.
func (d *streamDecoder) whole(v reflect.Value, topObject bool) error {
	var raw json.RawMessage
	if err := d.dec.Decode(&raw); err != nil {
		return err
	}
	if topObject {
		d.excBody = raw
	}
	if err := json.Unmarshal(raw, v.Addr().Interface()); err != nil {
		d.noteShape(err)
	}
	return nil
}

// object walks an object whose '{' is next, keeping its exception members when top.
func (d *streamDecoder) object(v reflect.Value, top bool) error {
	tok, err := d.dec.Token()
	if err != nil {
		return err
	}
	if tok != json.Delim('{') {
		return errors.New("not an object")
	}
	if !v.IsValid() {
		d.mismatch(nil, "object")
	}
	depth := 1
	if top {
		depth = 0
	}
	return d.members(v, depth)
}

// members decodes an object's members into the struct v (invalid: skip them), at depth.
func (d *streamDecoder) members(v reflect.Value, depth int) error {
	top := depth == 0
	var fields map[string]int
	if v.IsValid() {
		fields = fieldsOf(v.Type())
	}
	for d.dec.More() {
		tok, err := d.dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		if top && exceptionKey(key) {
			var raw json.RawMessage
			if err := d.dec.Decode(&raw); err != nil {
				return err
			}
			name, _ := json.Marshal(key)
			d.exc = append(d.exc, name, raw)
			if i, ok := fieldIndex(fields, key); ok {
				if err := json.Unmarshal(raw, v.Field(i).Addr().Interface()); err != nil {
					d.noteShape(err)
				}
			}
			continue
		}
		i, ok := fieldIndex(fields, key)
		if !ok {
			if err := d.skipValue(); err != nil {
				return err
			}
			continue
		}
		if err := d.value(v.Field(i), depth+1); err != nil {
			return err
		}
	}
	_, err := d.dec.Token()
	return err
}

// decode decodes one whole value the usual way.
func (d *streamDecoder) decode(v reflect.Value) error {
	err := d.dec.Decode(v.Addr().Interface())
	var se *json.SyntaxError
	switch {
	case err == nil:
	case errors.As(err, &se), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF),
		errors.Is(err, errTooLarge), isReadError(err, d.body):
		return err
	default:
		// The value was read whole but does not fit (a type error, an UnmarshalJSON of
		// ours refusing it): the wrong shape, as json.Unmarshal reports it.
		d.noteShape(err)
	}
	return nil
}

func (d *streamDecoder) noteShape(err error) {
	if d.shape == nil {
		d.shape = err
	}
}

func (d *streamDecoder) mismatch(t reflect.Type, got string) {
	name := "value"
	if t != nil {
		name = t.String()
	}
	d.noteShape(errors.New("json: cannot unmarshal " + got + " into Go value of type " + name))
}

// skip walks a value without keeping it (a call whose reply is not read), keeping the
// exception members of a top-level object.
func (d *streamDecoder) skip(topObject bool) error {
	if topObject {
		err := d.object(reflect.Value{}, true)
		d.shape = nil
		return err
	}
	return d.skipValue()
}

// skipValue walks the next value, checking its syntax, keeping nothing.
func (d *streamDecoder) skipValue() error {
	tok, err := d.dec.Token()
	if err != nil {
		return err
	}
	if delim, ok := tok.(json.Delim); ok {
		return d.rest(delim)
	}
	return nil
}

// rest walks what is left of an array or object whose opening delimiter was read.
func (d *streamDecoder) rest(open json.Delim) error {
	depth := 1
	for depth > 0 {
		tok, err := d.dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('['), json.Delim('{'):
			depth++
		case json.Delim(']'), json.Delim('}'):
			depth--
		}
	}
	return nil
}

// exception is Moodle's error from the top-level members that spell one, read by the same
// rules as exceptionOf reads a whole body.
func (d *streamDecoder) exception() *Error {
	if d.excBody != nil {
		return exceptionOf(d.excBody)
	}
	if len(d.exc) == 0 {
		return nil
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i := 0; i < len(d.exc); i += 2 {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(d.exc[i])
		b.WriteByte(':')
		b.Write(d.exc[i+1])
	}
	b.WriteByte('}')
	return exceptionOf(b.Bytes())
}

// exceptionKey: the members exceptionOf reads (json matches names without regard to case).
func exceptionKey(k string) bool {
	for _, n := range [...]string{"exception", "error", "errorcode", "message", "debuginfo"} {
		if strings.EqualFold(k, n) {
			return true
		}
	}
	return false
}

// plainStruct: a struct whose fields can be matched by name here (no embedded fields, no
// ",string" options); others are decoded whole.
func plainStruct(t reflect.Type) bool {
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous || strings.Contains(f.Tag.Get("json"), ",string") {
			return false
		}
	}
	return true
}

var fieldCache sync.Map // reflect.Type → map[string]int

// fieldsOf maps a struct's JSON names to field indexes, as encoding/json names them.
func fieldsOf(t reflect.Type) map[string]int {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]int)
	}
	m := map[string]int{}
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" && f.Tag.Get("json") == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		m[name] = i
	}
	fieldCache.Store(t, m)
	return m
}

// fieldIndex finds a member's field: the exact name, else one equal under case folding.
func fieldIndex(fields map[string]int, key string) (int, bool) {
	if fields == nil {
		return 0, false
	}
	if i, ok := fields[key]; ok {
		return i, true
	}
	for name, i := range fields {
		if strings.EqualFold(name, key) {
			return i, true
		}
	}
	return 0, false
}
