package fetch

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"strings"
	"unicode/utf8"

	"github.com/dop251/goja"

	"host/bindings/url"
	"host/jsrt"
)

// parseForm(handle | null, contentType, who) -> [[name, string] |
// [name, handle, filename, type], ...]: a body read as FormData, as the
// fetch standard's formData() does for application/x-www-form-urlencoded
// (the URL standard's parser) and multipart/form-data (RFC 7578). Any other
// type, or a body that does not parse, is a TypeError naming who.
func (b *binding) parseForm(call goja.FunctionCall, vm *goja.Runtime) goja.Value {
	var data []byte
	if h := call.Argument(0); !goja.IsNull(h) && !goja.IsUndefined(h) {
		data = handle(vm, h).data
	}
	who := call.Argument(2).String()
	entries, err := parseFormBody(data, call.Argument(1).String())
	if err != nil {
		jsrt.Throw(vm, jsrt.TypeErrorf("%s.formData: could not parse the body as FormData: %v", who, err))
	}
	out := make([]any, len(entries))
	for i, e := range entries {
		if e.file == nil {
			out[i] = vm.NewArray(e.name, e.value)
		} else {
			out[i] = vm.NewArray(e.name, &body{data: e.file}, e.value, e.fileType)
		}
	}
	return vm.NewArray(out...)
}

// formEntry is one parsed entry: a string value, or a file (file non-nil,
// value its name).
type formEntry struct {
	name, value string
	file        []byte
	fileType    string
}

func parseFormBody(data []byte, contentType string) ([]formEntry, error) {
	mediaType, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		if contentType == "" {
			return nil, errors.New("the body has no Content-Type (want application/x-www-form-urlencoded or multipart/form-data)")
		}
		return nil, fmt.Errorf("its Content-Type %q does not parse", contentType)
	}
	switch mediaType {
	case "application/x-www-form-urlencoded":
		var out []formEntry
		for _, kv := range url.ParseForm(string(data)) {
			out = append(out, formEntry{name: kv[0], value: kv[1]})
		}
		return out, nil
	case "multipart/form-data":
		boundary := params["boundary"]
		if boundary == "" {
			return nil, errors.New("the multipart/form-data Content-Type has no boundary")
		}
		return parseMultipart(data, boundary)
	}
	return nil, fmt.Errorf("its Content-Type is %s, not application/x-www-form-urlencoded or multipart/form-data", mediaType)
}

// nameUnescaper undoes the escaping HTML's multipart/form-data encoding
// applies to names and file names (the fetch standard's parser does the
// same): %0A, %0D and %22 are LF, CR and '"'.
var nameUnescaper = strings.NewReplacer("%0A", "\n", "%0D", "\r", "%22", `"`)

// parseMultipart reads multipart/form-data parts as they were sent (no
// transfer decoding, file names unchanged): a part with a filename
// parameter is a file, typed by its Content-Type (text/plain when it has
// none, as the fetch standard says); any other part is a UTF-8 string.
func parseMultipart(data []byte, boundary string) ([]formEntry, error) {
	if !bytes.Contains(data, []byte("--"+boundary)) {
		return nil, errors.New("no part starts with the boundary")
	}
	r := multipart.NewReader(bytes.NewReader(data), boundary)
	var out []formEntry
	for {
		part, err := r.NextRawPart()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("the multipart body is malformed (%v)", err)
		}
		disp, params, err := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
		if err != nil || disp != "form-data" {
			return nil, errors.New("a part has no form-data Content-Disposition")
		}
		name, ok := params["name"]
		name = nameUnescaper.Replace(name)
		if !ok {
			return nil, errors.New("a part's Content-Disposition has no name")
		}
		content, err := io.ReadAll(part)
		if err != nil {
			return nil, err
		}
		if filename, isFile := params["filename"]; isFile {
			ctype := part.Header.Get("Content-Type")
			if ctype == "" {
				ctype = "text/plain"
			}
			out = append(out, formEntry{name: name, value: nameUnescaper.Replace(filename), file: content, fileType: ctype})
			continue
		}
		value := string(content)
		if !utf8.ValidString(value) {
			value = strings.ToValidUTF8(value, "\uFFFD")
		}
		out = append(out, formEntry{name: name, value: value})
	}
}
