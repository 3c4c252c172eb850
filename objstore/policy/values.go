package policy

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// object decodes a JSON object into its fields, refusing any field not
// in known.
func object(raw json.RawMessage, what string, known ...string) (map[string]json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || m == nil {
		return nil, errorf("%s must be a JSON object", what)
	}
	for k := range m {
		if !contains(known, k) {
			return nil, errorf("Unknown field %s", k)
		}
	}
	return m, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// stringValue decodes a JSON string.
func stringValue(raw json.RawMessage, field string) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", errorf("%s must be a string", field)
	}
	return s, nil
}

// stringList decodes a string or a non-empty array of strings.
func stringList(raw json.RawMessage, field string) ([]string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		s, err := stringValue(raw, field)
		return []string{s}, err
	}
	var list []string
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, errorf("%s must be a string or an array of strings", field)
	}
	if len(list) == 0 {
		return nil, errorf("%s must not be empty", field)
	}
	return list, nil
}

// scalarList decodes a condition value: a string, number or boolean, or
// a non-empty array of them, each as its text.
func scalarList(raw json.RawMessage, field string) ([]string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, errorf("Invalid Condition value for %s", field)
	}
	items, ok := v.([]any)
	if !ok {
		items = []any{v}
	}
	if len(items) == 0 {
		return nil, errorf("Condition value for %s must not be empty", field)
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, err := scalarText(it)
		if err != nil {
			return nil, errorf("Invalid Condition value for %s: %v", field, err)
		}
		out = append(out, s)
	}
	return out, nil
}

func scalarText(v any) (string, error) {
	switch t := v.(type) {
	case string:
		return t, nil
	case json.Number:
		return t.String(), nil
	case bool:
		return strconv.FormatBool(t), nil
	default:
		return "", fmt.Errorf("%T is not a string, number or boolean", v)
	}
}
