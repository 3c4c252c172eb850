package iam

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/cairnfs/cairn/objstore/policy"
)

func TestChangesReachARunningReader(t *testing.T) {
	dir := t.TempDir()
	server, admin := Open(dir, nil), Open(dir, nil)
	ctx := context.Background()
	if _, ok := server.SecretKey("AKIANOTHING"); ok {
		t.Fatal("key found in an empty store")
	}
	var key AccessKey
	err := admin.Update(ctx, func(st *State) error {
		if _, err := st.AddUser("alice", "", false, time.Now()); err != nil {
			return err
		}
		if err := st.AttachPolicy("alice", "AmazonS3ReadOnlyAccess"); err != nil {
			return err
		}
		var err error
		key, err = st.CreateKey("alice", time.Now())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	secret, ok := server.SecretKey(key.AccessKey)
	if !ok || secret != key.SecretKey {
		t.Fatalf("server does not see the new key: %q %v", secret, ok)
	}
	id, _ := server.Identity(key.AccessKey)
	if id.ARN != "arn:aws:iam::000000000001:user/alice" || len(id.Policies) != 1 {
		t.Fatalf("identity %+v", id)
	}
	got := id.Policies[0].Evaluate(policy.Request{Action: "s3:GetObject", Resource: "arn:aws:s3:::b/k"})
	if got != policy.Allowed {
		t.Fatalf("read-only policy on GetObject: %v", got)
	}
	fi, err := os.Stat(admin.Path())
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("identity file mode: %v %v", fi.Mode(), err)
	}
	if err := admin.Update(ctx, func(st *State) error { return st.RemoveUser("alice") }); err != nil {
		t.Fatal(err)
	}
	if _, ok := server.SecretKey(key.AccessKey); ok {
		t.Fatal("key of a removed user still accepted")
	}
}

func TestAdminErrors(t *testing.T) {
	st := &State{}
	now := time.Now()
	if _, err := st.AddUser("bad name", "", false, now); err == nil {
		t.Error("name with a space accepted")
	}
	if _, err := st.AddUser("carol", "12345", false, now); err == nil {
		t.Error("short account accepted")
	}
	u, err := st.AddUser("pipe", "987654321098", true, now)
	if err != nil || u.ARN() != "arn:aws:iam::987654321098:role/pipe" {
		t.Fatalf("role %v %v", u.ARN(), err)
	}
	if _, err := st.AddUser("pipe", "", false, now); !errors.Is(err, ErrExists) {
		t.Errorf("duplicate user: %v", err)
	}
	if err := st.AttachPolicy("pipe", "NoSuchPolicy"); !errors.Is(err, ErrNotFound) {
		t.Errorf("attach unknown policy: %v", err)
	}
	if err := st.PutPolicy("p", []byte(`{"Statement":{"Effect":"Allow","Principal":"*","Action":"s3:*","Resource":"*"}}`)); err == nil {
		t.Error("identity policy with a principal accepted")
	}
	if err := st.DeleteKey("AKIANONE"); !errors.Is(err, ErrNotFound) {
		t.Errorf("delete unknown key: %v", err)
	}
}
