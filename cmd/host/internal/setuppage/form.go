package setuppage

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"host/schema"
)

// fieldData is one field's template data: the field and its plugin's id.
type fieldData struct {
	fieldView
	Plugin string
}

type sectionView struct {
	Title  string
	Fields []fieldView
}

type fieldView struct {
	Key, ID, Label, Description, HelpText, HelpURL, Placeholder, Default string
	Input                                                                string // password, text, number, checkbox, select, radio, list, json
	Value                                                                string
	Values                                                               []string
	Choices                                                              []string
	Checked, Secret, Saved, Required                                     bool
	Issues                                                               []string
	DescribedBy                                                          string
}

// fields are the plugin's fields by key, each with its position.
func (s *Server) fields(ctx context.Context, id string) (map[string]Field, error) {
	list, err := s.o.Backend.Fields(ctx, id)
	if err != nil {
		return nil, err
	}
	m := make(map[string]Field, len(list))
	for i, f := range list {
		f.order = i
		m[f.Key] = f
	}
	return m, nil
}

// sections groups fields by their schema section, in order of first
// appearance; fields without one are "Settings".
func sections(fields []Field) []sectionView {
	var out []sectionView
	at := map[string]int{}
	for _, f := range fields {
		title := f.Section
		if title == "" {
			title = "Settings"
		}
		i, ok := at[title]
		if !ok {
			i = len(out)
			at[title] = i
			out = append(out, sectionView{Title: title})
		}
		out[i].Fields = append(out[i].Fields, view(f))
	}
	return out
}

func view(f Field) fieldView {
	v := fieldView{
		Key: f.Key, ID: "f-" + f.Key, Label: f.Label, Description: f.Description, HelpText: f.HelpText,
		HelpURL: f.HelpURL, Placeholder: f.Placeholder, Choices: f.Choices, Secret: f.Secret,
		Saved: f.Saved, Required: f.Required, Issues: f.Issues, Default: f.Default,
		Value: f.Value, Values: f.Values,
	}
	if v.Label == "" {
		v.Label = f.Key
	}
	for i, is := range v.Issues {
		if is == "required" {
			v.Issues = append([]string(nil), v.Issues...)
			v.Issues[i] = requiredIssue
		}
	}
	if v.HelpText == v.Description {
		v.HelpText = "" // the session falls back to the description
	}
	if v.Value == "" && f.HasDefault && !f.Secret {
		v.Value = f.Default
	}
	switch {
	case f.Secret:
		v.Input, v.Value = "password", ""
	case len(f.Choices) > 0 && f.Radio:
		v.Input = "radio"
	case len(f.Choices) > 0:
		v.Input = "select"
	case f.Kind == schema.KindBoolean:
		v.Input, v.Checked = "checkbox", v.Value == "true"
	case f.Kind == schema.KindNumber:
		v.Input = "number"
	case f.Kind == schema.KindDate:
		v.Input = "date"
		if t, err := schema.ParseDate(v.Value); err == nil {
			v.Value = t.Format("2006-01-02") // what <input type=date> shows
		}
	case f.Kind == schema.KindArray:
		v.Input = "list"
		if len(v.Values) == 0 && v.Value != "" {
			var items []any
			if json.Unmarshal([]byte(v.Value), &items) == nil {
				for _, it := range items {
					v.Values = append(v.Values, fmt.Sprint(it))
				}
			}
		}
	case f.Kind == schema.KindString || f.Kind == schema.KindLiteral || f.Kind == "":
		v.Input = "text"
	default:
		v.Input = "json"
	}
	var ids []string
	if f.Description != "" {
		ids = append(ids, v.ID+"-desc")
	}
	if f.HelpText != "" {
		ids = append(ids, v.ID+"-help")
	}
	if len(f.Issues) > 0 {
		ids = append(ids, v.ID+"-issues")
	}
	v.DescribedBy = strings.Join(ids, " ")
	return v
}

// answers reads the submitted form for fields: text as typed, a list's
// items as a JSON array, a checkbox as true/false. Empty values are left
// out (a saved secret stays as it is).
func answers(form url.Values, fields map[string]Field, keys []string) map[string]string {
	out := map[string]string{}
	for _, k := range keys {
		f, ok := fields[k]
		if !ok {
			continue
		}
		switch {
		case f.Kind == schema.KindArray && len(f.Choices) == 0:
			if _, sent := form[k+"[]"]; !sent {
				continue
			}
			items := []string{}
			for _, it := range form[k+"[]"] {
				if it = strings.TrimSpace(it); it != "" {
					items = append(items, it)
				}
			}
			b, _ := json.Marshal(items)
			out[k] = string(b)
		case f.Kind == schema.KindBoolean && len(f.Choices) == 0:
			vs := form[k]
			if len(vs) > 0 {
				out[k] = vs[len(vs)-1]
			}
		default:
			if v := form.Get(k); v != "" {
				out[k] = v
			}
		}
	}
	return out
}

// requiredIssue is what an empty required field says.
const requiredIssue = "Required: enter a value."

// currentText is a field's current value as the form shows it.
func currentText(f Field) string {
	if f.Kind == schema.KindArray && len(f.Choices) == 0 {
		b, _ := json.Marshal(append([]string{}, f.Values...))
		if len(f.Values) == 0 && f.Value != "" {
			return f.Value
		}
		return string(b)
	}
	if f.Value == "" && f.HasDefault {
		return f.Default
	}
	return f.Value
}
