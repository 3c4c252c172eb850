package daemon

import (
	"context"
	"encoding/json"
)

// unit is one server, mount or sync that the supervisor runs.
type unit interface {
	// run serves until ctx ends (then it stops gracefully and returns
	// nil) or the unit fails. It calls ready once it serves.
	run(ctx context.Context, ready func()) error
	// fill adds the unit's own figures to st.
	fill(st *UnitStatus)
}

// spec is a unit's config entry, as the supervisor diffs it.
type spec struct {
	kind, name string
	// content is the entry as JSON: a change restarts the unit.
	content string
	where   string
	// mountpoint is set for mounts, folder for syncs.
	mountpoint string
	build      func(env *env) unit
}

// specs lists the units of c in start order: servers, mounts, syncs.
func (c *Config) specs() []spec {
	var out []spec
	for _, s := range c.Servers {
		out = append(out, spec{kind: KindServer, name: s.Name, content: jsonOf(s), where: s.Listen,
			build: func(e *env) unit { return newServerUnit(e, s) }})
	}
	for _, m := range c.Mounts {
		out = append(out, spec{kind: KindMount, name: m.Name, content: jsonOf(m), where: m.Mountpoint, mountpoint: m.Mountpoint,
			build: func(e *env) unit { return newMountUnit(e, m) }})
	}
	for _, s := range c.Syncs {
		out = append(out, spec{kind: KindSync, name: s.Name, content: jsonOf(s), where: s.Local + " <-> " + s.RemoteURL,
			build: func(e *env) unit { return newSyncUnit(e, s) }})
	}
	return out
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
