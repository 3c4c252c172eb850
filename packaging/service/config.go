package service

import (
	"fmt"
	"io"
	"os"

	"go.yaml.in/yaml/v3"
)

// maxConfigSize bounds what CheckConfig reads: a daemon config is small.
const maxConfigSize = 4 << 20

// CheckConfig checks that path is a regular file holding a YAML mapping
// (or nothing but comments), so that a service is not installed on a
// missing or mistyped config. What the mapping says is for cairn daemon
// to judge.
func CheckConfig(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return fmt.Errorf("config %s: not a regular file", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxConfigSize+1))
	if err != nil {
		return fmt.Errorf("config: read %s: %w", path, err)
	}
	if len(data) > maxConfigSize {
		return fmt.Errorf("config %s: larger than %d bytes", path, maxConfigSize)
	}
	if err := checkYAMLMapping(data); err != nil {
		return fmt.Errorf("config %s: %w", path, err)
	}
	return nil
}

func checkYAMLMapping(data []byte) error {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return err
	}
	if len(doc.Content) == 0 {
		return nil
	}
	if root := doc.Content[0]; root.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: the config is a YAML mapping (key: value lines), not a %s", root.Line, kindName(root.Kind))
	}
	return nil
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "single value"
	case yaml.AliasNode:
		return "alias"
	}
	return "document"
}
