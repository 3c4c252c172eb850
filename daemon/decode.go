package daemon

import (
	"fmt"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

// decoder fills config structs from a YAML node tree, refusing unknown
// and repeated keys, and naming the line of every mistake.
type decoder struct{ file string }

func (d *decoder) errf(line int, format string, args ...any) error {
	return &ConfigError{File: d.file, Line: line, Msg: fmt.Sprintf(format, args...)}
}

// valueDecoder is a config type that reads itself from a scalar.
type valueDecoder interface {
	decodeScalar(s string) error
}

var posType = reflect.TypeFor[Pos]()

// decodeStruct fills the struct v from the mapping n; where names it in
// messages.
func (d *decoder) decodeStruct(n *yaml.Node, v reflect.Value, where string) error {
	n = resolve(n)
	if n.Kind != yaml.MappingNode {
		return d.errf(n.Line, "%s: want a mapping of keys to values", where)
	}
	fields := map[string]reflect.Value{}
	collectFields(v, fields)
	keys := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		f, ok := fields[k.Value]
		if k.Kind != yaml.ScalarNode || !ok {
			return d.errf(k.Line, "unknown key %q in %s (known: %s)", k.Value, where, strings.Join(sortedKeys(fields), ", "))
		}
		if _, dup := keys[k.Value]; dup {
			return d.errf(k.Line, "key %q given twice in %s", k.Value, where)
		}
		keys[k.Value] = k.Line
		if err := d.decodeValue(val, f, k.Value); err != nil {
			return err
		}
	}
	if p := v.FieldByName("Pos"); p.IsValid() && p.Type() == posType {
		p.Set(reflect.ValueOf(Pos{Line: n.Line, Keys: keys}))
	}
	return nil
}

// collectFields maps the YAML keys of struct v to its fields, descending
// into inline structs.
func collectFields(v reflect.Value, out map[string]reflect.Value) {
	t := v.Type()
	for i := range t.NumField() {
		tag, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		switch {
		case tag == "-":
		case strings.HasSuffix(t.Field(i).Tag.Get("yaml"), ",inline"):
			collectFields(v.Field(i), out)
		case tag != "":
			out[tag] = v.Field(i)
		}
	}
}

func sortedKeys(m map[string]reflect.Value) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slicesSort(keys)
	return keys
}

// decodeValue fills the field f, named key, from n.
func (d *decoder) decodeValue(n *yaml.Node, f reflect.Value, key string) error {
	n = resolve(n)
	if vd, ok := f.Addr().Interface().(valueDecoder); ok {
		if n.Kind != yaml.ScalarNode {
			return d.errf(n.Line, "%s: want a single value", key)
		}
		if err := vd.decodeScalar(n.Value); err != nil {
			return d.errf(n.Line, "%s: %v", key, err)
		}
		return nil
	}
	switch f.Kind() {
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			return d.errf(n.Line, "%s: want a string", key)
		}
		f.SetString(n.Value)
	case reflect.Bool:
		var b bool
		if n.Kind != yaml.ScalarNode || n.Decode(&b) != nil {
			return d.errf(n.Line, "%s: %q is not true or false", key, n.Value)
		}
		f.SetBool(b)
	case reflect.Int:
		var i int
		if n.Kind != yaml.ScalarNode || n.Decode(&i) != nil {
			return d.errf(n.Line, "%s: %q is not a whole number", key, n.Value)
		}
		f.SetInt(int64(i))
	case reflect.Slice:
		return d.decodeSlice(n, f, key)
	default:
		return d.errf(n.Line, "%s: cannot be set here", key)
	}
	return nil
}

// decodeSlice fills a list of strings or of entries.
func (d *decoder) decodeSlice(n *yaml.Node, f reflect.Value, key string) error {
	if n.Kind != yaml.SequenceNode {
		return d.errf(n.Line, "%s: want a list", key)
	}
	out := reflect.MakeSlice(f.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		el := out.Index(i)
		where := fmt.Sprintf("%s[%d]", key, i)
		if el.Kind() == reflect.Struct {
			setDefaults(el)
			if err := d.decodeStruct(item, el, where); err != nil {
				return err
			}
			continue
		}
		if err := d.decodeValue(item, el, where); err != nil {
			return err
		}
	}
	f.Set(out)
	return nil
}

// resolve follows an alias to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

// setDefaults gives a new entry the defaults of its kind.
func setDefaults(v reflect.Value) {
	switch p := v.Addr().Interface().(type) {
	case *ServerConfig:
		*p = defaultServer()
	case *MountConfig:
		*p = defaultMount()
	case *SyncConfig:
		*p = defaultSync()
	}
}
